"""Chunks of variants on a Dask distributed cluster: the data scattered to every worker once, a task a chunk.

``dask.distributed`` is an optional extra (``pip install rotsim[dask]``).
The scheduler reschedules a lost worker's tasks on the others (and the data
is on each of them), so a worker that dies mid-sweep costs time, not results.
Each result is handed back as it arrives, to be written at once: an
interrupted sweep keeps every chunk that arrived.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import UserError
from .run import Chunk, ChunkResult, SweepData, run_chunk

__all__ = ["DASK_MISSING", "check_dask", "run_dask"]

DASK_MISSING = "a Dask scheduler needs dask.distributed: pip install rotsim[dask]"
CONNECT_SECONDS = 30


def check_dask() -> None:
    """Raise ``UserError`` (exit 2) naming the extra to install when ``dask.distributed`` is missing."""
    if importlib.util.find_spec("distributed") is None:
        raise UserError(DASK_MISSING)


def run_dask(
    address: str,
    data: SweepData,
    todo: Sequence[Chunk],
    on_result: Callable[[ChunkResult], None],
    on_client: Callable[[Any], None] | None = None,
) -> None:
    """Run each chunk of ``todo`` on the cluster at ``address`` and call ``on_result`` as each arrives.

    ``on_client``: called with the connected ``distributed.Client`` before
    the chunks go out (the tests use it to stop a worker mid-sweep).
    """
    check_dask()
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as exc:
        raise UserError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        if on_client is not None:
            on_client(client)
        shared = client.scatter(data, broadcast=True, hash=False)  # once, to every worker: chunks carry ids and params
        futures = [
            client.submit(run_chunk, shared, chunk, pure=False, key=f"rotsim-chunk-{chunk.number}-{id(todo)}")
            for chunk in todo
        ]
        for future in as_completed(futures):
            on_result(future.result())
            future.release()
    finally:
        client.close()
