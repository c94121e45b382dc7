"""Tearsheets written on every core: worker processes, the longest report first, a callback as each ends.

Workers are forked from a server process started early
(:func:`.tearsheet_server.start_workers`) that has imported quantstats once,
where the platform has one (Linux, macOS); elsewhere they are spawned and each
imports it. Never forked from the run itself: it holds numba and vectorbt
state that a fork would copy half-initialised.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..interrupt import deferred, leave_interrupts_to_parent, spawning
from . import tearsheet
from .tearsheet_server import agg_backend, context

__all__ = ["AllStrategiesJob", "TearsheetJob", "Tearsheets", "write_tearsheets"]


@dataclass(frozen=True)
class _Result:
    """What a job sends back: its worker's seconds, and what quantstats' report of all strategies reuses."""

    seconds: float
    figures: dict[str, str] = field(default_factory=dict)
    page: str | None = None


@dataclass(frozen=True)
class TearsheetJob:
    """One ``write_tearsheet`` call, as data a worker process can take."""

    returns: pd.Series
    benchmark: pd.Series
    path: Path
    title: str
    strategy_title: str
    benchmark_title: str
    subtitle: str = ""
    rf: pd.Series | None = None

    @property
    def name(self) -> str:
        return self.strategy_title

    def __call__(self) -> _Result:
        start = time.perf_counter()
        figures: dict[str, str] = {}
        with tearsheet.keeping_figures(figures):
            tearsheet.write_tearsheet(
                self.returns,
                self.benchmark,
                self.path,
                self.title,
                self.strategy_title,
                self.benchmark_title,
                self.subtitle,
                self.rf,
            )
        return _Result(time.perf_counter() - start, figures)


@dataclass(frozen=True)
class AllStrategiesJob:
    """quantstats' report of all strategies (``write_multi_tearsheet``'s arguments), computed beside the tearsheets.

    Less the figures each strategy's tearsheet draws: ``write_multi_tearsheet``
    puts those in when it writes the page.
    """

    returns: pd.DataFrame
    benchmark: pd.Series
    title: str
    benchmark_title: str
    rf: pd.Series | None = None

    @property
    def name(self) -> str:
        return "all strategies"

    def __call__(self) -> _Result:
        start = time.perf_counter()
        page = tearsheet.multi_tearsheet_page(self.returns, self.benchmark, self.title, self.benchmark_title, self.rf)
        return _Result(time.perf_counter() - start, page=page)


Job = TearsheetJob | AllStrategiesJob


@dataclass
class Tearsheets:
    """What :func:`write_tearsheets` did: the tearsheets written, what the report of all strategies reuses, timings."""

    written: list[Path]
    drawn: tearsheet.Drawn  # for write_multi_tearsheet
    seconds: dict[str, float]  # each report's name -> the seconds its worker took


def write_tearsheets(
    jobs: Sequence[TearsheetJob],
    on_done: Callable[[Job], None] = lambda _: None,
    on_failed: Callable[[TearsheetJob, Exception], None] | None = None,
    all_strategies: AllStrategiesJob | None = None,
) -> Tearsheets:
    """Write several tearsheets, on every core: each takes a second or so of one core (mostly quantstats' metrics).

    ``written`` lists the paths written, in the order of ``jobs``. A job that
    fails is passed to ``on_failed`` and the others are still written;
    without ``on_failed`` its error is raised. ``all_strategies`` is computed
    first, beside them, when there is more than one worker (in one process
    ``write_multi_tearsheet`` computes it when it writes it; so it does if
    this failed). ``on_done`` is called as each job ends. An interrupt
    (Ctrl-C; SIGTERM under ``simulator.interrupt``) stops every worker before
    it goes on, so none writes into a folder the caller is removing.
    """
    written: set[Path] = set()
    out = Tearsheets([], tearsheet.Drawn(), {})

    def done(job: Job, result: _Result) -> None:
        out.seconds[job.name] = result.seconds
        if isinstance(job, AllStrategiesJob):
            if result.page is not None:
                out.drawn.page = ((job.returns, job.benchmark, job.title, job.benchmark_title, job.rf), result.page)
        else:
            written.add(job.path)
            if result.figures:
                out.drawn.figures[tearsheet.no_percent(job.strategy_title)] = (
                    job.returns,
                    job.benchmark,
                    result.figures,
                )
        on_done(job)

    def failed(job: Job, exc: Exception) -> None:
        if isinstance(job, AllStrategiesJob):
            return  # computed again where it is written, which says why if it fails there too
        if on_failed is None:
            raise exc
        on_failed(job, exc)

    # the longest first: a worker that takes it last would leave the other cores idle meanwhile
    queue: list[Job] = [all_strategies, *jobs] if all_strategies is not None else list(jobs)
    workers = min(len(queue), os.cpu_count() or 1)
    if workers <= 1:
        for job in jobs:
            try:
                result = job()
            except Exception as exc:  # noqa: BLE001 - the caller decides (on_failed)
                failed(job, exc)
            else:
                done(job, result)
    else:
        pool: ProcessPoolExecutor | None = None
        try:
            with spawning(), agg_backend():  # the workers start here, all of them, before a signal is acted on
                pool = ProcessPoolExecutor(workers, mp_context=context(), initializer=leave_interrupts_to_parent)
                futures = {pool.submit(job): job for job in queue}
            for future in as_completed(futures):
                try:
                    result = future.result()  # a worker's error is raised here
                except Exception as exc:  # noqa: BLE001 - the caller decides (on_failed)
                    failed(futures[future], exc)
                else:
                    done(futures[future], result)
        except BaseException:
            if pool is not None:
                _stop_workers(pool)
            raise
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    out.written = [job.path for job in jobs if job.path in written]
    return out


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now; ``shutdown`` alone lets each finish (and write) its tearsheet."""
    with deferred():
        if hasattr(pool, "kill_workers"):  # Python 3.14
            pool.kill_workers()
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way before 3.14
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            p.kill()  # not terminate(): a worker still starting up holds SIGTERM blocked (``spawning``)
        for p in processes:
            p.join()
