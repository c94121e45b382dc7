"""What runs a sweep's chunks, local processes or a Dask cluster, seen from the sweep: start, drain, cancel.

``start`` (in the main thread) sends the first chunks out; ``drain`` hands
each result to a callback as it ends, until every chunk is done or ``stop``
is set, and may run in a thread of its own while the sweep does other work
(the default variant's full run); ``cancel`` ends the computing at once
(Ctrl-C). Each chunk's result is handed over once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from .run import ChunkResult

__all__ = ["Chunks", "OnResult"]

OnResult = Callable[[ChunkResult], None]


class Chunks(Protocol):
    def start(self) -> None: ...

    def drain(self, on_result: OnResult, stop: threading.Event) -> None: ...

    def cancel(self) -> None: ...
