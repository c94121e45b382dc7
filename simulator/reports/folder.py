"""A results folder that appears complete or not at all.

Files are written to a hidden temporary folder beside the final one and
moved into place with one rename, so an interrupted or failed run leaves no
half-written results and never touches earlier runs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path


def new_run_id(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%d-%H%M%S")


@contextmanager
def results_folder(parent: Path, run_id: str) -> Iterator[tuple[Path, list[Path]]]:
    """Yield ``(tmp, final)`` where ``final`` is a one-item list filled on success.

    ``final`` is ``parent/run_id`` or, if that exists, ``parent/run_id-2`` and so on.
    """
    parent.mkdir(parents=True, exist_ok=True)
    tmp = parent / f".rotsim-tmp-{run_id}-{os.getpid()}"
    tmp.mkdir()
    done: list[Path] = []
    try:
        yield tmp, done
        target = parent / run_id
        n = 2
        while target.exists():
            target = parent / f"{run_id}-{n}"
            n += 1
        tmp.rename(target)
        done.append(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
