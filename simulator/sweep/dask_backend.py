"""Chunks of variants on a Dask distributed cluster: the data scattered to every worker once, a task a chunk.

``dask.distributed`` is an optional extra (``pip install rotsim[dask]``).
The scheduler reschedules a lost worker's tasks on the others (and the data
is on each of them), so a worker that dies mid-sweep costs time, not results.
Each result is handed back as it arrives, to be written at once: an
interrupted sweep keeps every chunk that arrived.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import UserError
from .backend import OnResult
from .run import Chunk, SweepData, run_chunk

__all__ = ["DASK_MISSING", "DaskChunks", "check_dask"]

DASK_MISSING = "a Dask scheduler needs dask.distributed: pip install rotsim[dask]"
CONNECT_SECONDS = 30


def check_dask() -> None:
    """Raise ``UserError`` (exit 2) naming the extra to install when ``dask.distributed`` is missing."""
    if importlib.util.find_spec("distributed") is None:
        raise UserError(DASK_MISSING)


class DaskChunks:
    """``todo`` on the cluster at ``address``; ``on_client`` is called with the connected client (tests)."""

    def __init__(
        self,
        address: str,
        data: SweepData,
        todo: Sequence[Chunk],
        on_client: Callable[[Any], None] | None = None,
    ) -> None:
        check_dask()
        self.address, self.data, self.todo, self.on_client = address, data, list(todo), on_client
        self.client: Any = None
        self.futures: list[Any] = []

    def start(self) -> None:
        from distributed import Client

        try:
            self.client = Client(self.address, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            raise UserError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        if self.on_client is not None:
            self.on_client(self.client)
        if not self.todo:
            return
        # once, to every worker: a chunk's task carries only its ids and params
        shared = self.client.scatter(self.data, broadcast=True, hash=False)
        self.futures = [
            self.client.submit(run_chunk, shared, chunk, pure=False, key=f"rotsim-chunk-{chunk.number}-{id(self)}")
            for chunk in self.todo
        ]

    def drain(self, on_result: OnResult, stop: threading.Event) -> None:
        from distributed import as_completed

        try:
            if self.futures:
                for future in as_completed(self.futures):
                    if stop.is_set():
                        return
                    on_result(future.result())
                    future.release()
        finally:
            self.cancel()

    def cancel(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            client.close()
