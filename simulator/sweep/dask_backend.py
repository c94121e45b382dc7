"""Chunks of variants on a Dask distributed cluster: the data scattered to every worker once, a task a chunk.

``dask.distributed`` is an optional extra (``pip install rotsim[dask]``).
The scheduler reschedules a lost worker's tasks on the others (and the data
is on each of them), so a worker that dies mid-sweep costs time, not results.
A result lost with its worker after it finished can come back as cancelled
("already forgotten") instead of computed again: its chunk is then submitted
again here, up to ``LOST_TRIES`` times.
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
LOST_TRIES = 3  # times a chunk is submitted again after its result was lost (a chunk, not the sweep)


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
        self.shared: Any = None  # the data, scattered to every worker
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
        self.shared = self.client.scatter(self.data, broadcast=True, hash=False)
        self.futures = [self._submit(chunk, 0) for chunk in self.todo]

    def _submit(self, chunk: Chunk, tries: int) -> Any:
        key = f"rotsim-chunk-{chunk.number}-{id(self)}" + (f"-again-{tries}" if tries else "")
        return self.client.submit(run_chunk, self.shared, chunk, pure=False, key=key)

    def drain(self, on_result: OnResult, stop: threading.Event) -> None:
        from concurrent.futures import CancelledError

        from distributed import as_completed

        try:
            if self.futures:
                chunks = {f.key: (chunk, 0) for f, chunk in zip(self.futures, self.todo, strict=True)}
                arriving = as_completed(self.futures)
                for future in arriving:
                    if stop.is_set():
                        return
                    try:
                        result = future.result()
                    except CancelledError:
                        if stop.is_set():  # cancelled by cancel(): the sweep is stopping
                            return
                        # nothing else here cancels a chunk: its result was lost with a worker
                        chunk, tries = chunks.pop(future.key)
                        if tries >= LOST_TRIES or self.client is None:
                            raise
                        again = self._submit(chunk, tries + 1)
                        chunks[again.key] = (chunk, tries + 1)
                        arriving.add(again)
                        continue
                    on_result(result)
                    future.release()
        finally:
            self.cancel()

    def cancel(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            client.close()
