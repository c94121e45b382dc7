"""A file of a cache written in one step, or not at all: what the calendar and parse caches share."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["write_quietly"]


def write_quietly(path: Path, dump: Callable[[BinaryIO], None]) -> None:
    """Write ``path`` with ``dump`` into a temporary file renamed over it; on an OSError, leave things be.

    A cache that cannot be written (a read-only folder, a full disk) only means
    the work is done again next time: no error, no half-written file (the old
    one, if any, stays).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    except OSError:
        return
    tmp = Path(name)
    try:
        with os.fdopen(handle, "wb") as f:
            dump(f)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
