"""Chunks of variants on local worker processes, each result handed back as it ends.

The workers are forked from the sweep once its data is loaded, in the main
thread (where the platform forks; elsewhere spawned and sent the data once,
at start): the data reaches each worker once, chunks carry only ids and
params. The sweep's process has called no engine kernel when it forks (the
engine runs in the workers), so no numba or vectorbt state is copied half-made.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from ..interrupt import deferred, leave_interrupts_to_parent, spawning
from .backend import OnResult
from .run import Chunk, ChunkResult, SweepData, run_chunk

__all__ = ["LocalChunks"]

_data: SweepData | None = None  # a worker's data, set once as it starts


def _start(data: SweepData) -> None:
    global _data
    _data = data
    leave_interrupts_to_parent()


def _work(chunk: Chunk) -> ChunkResult:
    assert _data is not None, "the worker was started without its data"
    return run_chunk(_data, chunk)


class LocalChunks:
    """``todo`` on ``workers`` processes (default: one a core, at most one a chunk); one: in this process."""

    def __init__(self, data: SweepData, todo: Sequence[Chunk], workers: int | None = None) -> None:
        self.data = data
        self.queue = list(todo)
        self.n = min(workers or os.cpu_count() or 1, len(todo))
        self.pool: ProcessPoolExecutor | None = None
        self.running: set[Future[ChunkResult]] = set()

    def start(self) -> None:
        if self.n <= 1:
            return
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with spawning():  # the workers start here, all of them, before a signal is acted on
            self.pool = ProcessPoolExecutor(self.n, mp_context=context, initializer=_start, initargs=(self.data,))
            self._top_up()

    def _top_up(self) -> None:
        # no more chunks queued than the workers can take: memory holds a few results, not the sweep's
        assert self.pool is not None
        while self.queue and len(self.running) < 2 * self.n:
            self.running.add(self.pool.submit(_work, self.queue.pop(0)))

    def drain(self, on_result: OnResult, stop: threading.Event) -> None:
        if self.pool is None:
            while self.queue and not stop.is_set():
                on_result(run_chunk(self.data, self.queue.pop(0)))
            return
        try:
            while self.running and not stop.is_set():
                finished, self.running = wait(self.running, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in finished:
                    on_result(future.result())
                    if stop.is_set():
                        return
                self._top_up()
        finally:
            if not self.running and not self.queue:
                self.pool.shutdown()

    def cancel(self) -> None:
        """End the workers now: an interrupted sweep keeps what was written and stops computing."""
        pool, self.pool = self.pool, None
        if pool is None:
            return
        with deferred():
            processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way before 3.14
            # The pool's manager thread, seeing its workers die, closes its wakeup pipe; if the interpreter
            # exits meanwhile, concurrent.futures' exit hook writes to that pipe without a lock on Python
            # 3.11 (CPython gh-125451 added one later) and Ctrl-C ends in a traceback ("Bad file
            # descriptor"). So the thread is waited for: killed workers make it finish at once, and the
            # hook then finds the pipe closed.
            manager = getattr(pool, "_executor_manager_thread", None)
            pool.shutdown(wait=False, cancel_futures=True)
            for p in processes:
                p.kill()
            for p in processes:
                p.join()
            if manager is not None:
                manager.join()
