"""Chunks of variants on local worker processes, each result handed back as it ends.

The workers are forked from the sweep once its data is loaded (where the
platform forks; elsewhere spawned and sent the data once, at start): the
data reaches each worker once, chunks carry only ids and params. The
sweep's process has called no kernel yet when it forks (the engine runs in
the workers), so no numba or vectorbt state is copied half-made.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from ..interrupt import deferred, leave_interrupts_to_parent, spawning
from .run import Chunk, ChunkResult, SweepData, run_chunk

__all__ = ["run_local"]

_data: SweepData | None = None  # a worker's data, set once as it starts


def _start(data: SweepData) -> None:
    global _data
    _data = data
    leave_interrupts_to_parent()


def _work(chunk: Chunk) -> ChunkResult:
    assert _data is not None, "the worker was started without its data"
    return run_chunk(_data, chunk)


def run_local(
    data: SweepData, todo: Sequence[Chunk], on_result: Callable[[ChunkResult], None], workers: int | None = None
) -> None:
    """Run each chunk of ``todo`` and call ``on_result`` with each result as it ends, in this process.

    ``workers``: processes (default: one a core, at most one a chunk); one
    runs the chunks here, in order.
    """
    n = min(workers or os.cpu_count() or 1, len(todo))
    if n <= 1:
        for chunk in todo:
            on_result(run_chunk(data, chunk))
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool: ProcessPoolExecutor | None = None
    try:
        with spawning():
            pool = ProcessPoolExecutor(n, mp_context=context, initializer=_start, initargs=(data,))
        # no more chunks queued than workers can take: a chunk ends, the next goes in (results stream in order of ending)
        queue = list(todo)
        running: set[Future[ChunkResult]] = set()
        while queue or running:
            while queue and len(running) < 2 * n:
                running.add(pool.submit(_work, queue.pop(0)))
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                on_result(future.result())
    except BaseException:
        if pool is not None:
            _stop(pool)
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now: an interrupted sweep keeps what was written and stops computing."""
    with deferred():
        processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way before Python 3.14
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            p.kill()
        for p in processes:
            p.join()
