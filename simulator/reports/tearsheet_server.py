"""The server tearsheet workers are forked from, started early so that it imports quantstats while the run computes.

Standard library only (no pandas): ``rotsim run`` starts it as soon as its
config is read, before this process imports pandas, and the two imports run
on two cores; started later, the workers waited for it half a second.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.context import BaseContext

from ..interrupt import spawning

__all__ = ["PRELOAD", "agg_backend", "context", "start_workers"]

# what the server the workers are forked from imports first, so that each worker starts with it:
# quantstats, without the matplotlib charts rotsim does not use
PRELOAD = ["simulator.reports.quantstats_light", "simulator.reports.tearsheet"]


def start_workers(strategies: int) -> None:
    """Start the server for the tearsheets of ``strategies`` strategies; it ends with this process.

    Nothing where one strategy's tearsheet is written in this process (one
    report, or one core), nor where there is no such server (spawned workers
    each import quantstats). Starting it again does nothing.
    """
    server = context()
    if strategies < 2 or server.get_start_method() != "forkserver" or (os.cpu_count() or 1) < 2:
        return
    from multiprocessing import forkserver

    with spawning(), agg_backend():  # it starts, as the workers do, with the stopping signals blocked
        forkserver.ensure_running()


def context() -> BaseContext:
    """How the tearsheet workers start: forked from the server where the platform has one, else spawned."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(PRELOAD)
        return server
    return multiprocessing.get_context("spawn")


@contextmanager
def agg_backend() -> Iterator[None]:
    """Within: a process started has matplotlib draw to files (Agg), not look for a display as it imports."""
    before = os.environ.get("MPLBACKEND")
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MPLBACKEND", None)
