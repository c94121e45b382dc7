"""A results folder that appears complete or not at all.

Files are written to a hidden temporary folder beside the final one and
moved into place with one rename, so an interrupted or failed run leaves no
half-written results and never touches earlier runs. A run that writes
nothing leaves no trace: the folders it would have written into are made
only when it starts writing, and removed again (when empty) if it fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ..errors import OutputError, WriteError
from ..interrupt import deferred

__all__ = ["check_destination", "new_run_id", "results_folder"]


def new_run_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")


def check_destination(folder: Path) -> None:
    """Raise ``OutputError`` naming ``folder`` unless results can be written into it; creates nothing.

    ``folder`` may exist (a folder one can write in) or not (then the nearest
    existing folder above it must let its missing folders be made). Checked by
    doing it: making them in a temporary folder there and removing it, which
    no permission bit, ACL or read-only mount can fool.
    """
    folder = Path(folder)
    missing: list[str] = []
    here = folder
    while not os.path.lexists(here) and here != here.parent:
        missing.append(here.name)
        here = here.parent
    if not here.is_dir():
        raise _refused(folder, f"{here} is {'a file' if here.is_file() else 'not a folder'}")
    with deferred():  # a Ctrl-C now must not leave the probe behind
        try:
            probe = Path(tempfile.mkdtemp(prefix=".rotsim-probe-", dir=here))
        except OSError as exc:
            raise _refused(folder, f"cannot create anything in {here}: {exc.strerror or type(exc).__name__}") from None
        try:
            if missing:
                probe.joinpath(*reversed(missing)).mkdir(parents=True)
        except OSError as exc:
            made = here.joinpath(*reversed(missing))
            raise _refused(folder, f"cannot create {made}: {exc.strerror or type(exc).__name__}") from None
        finally:
            shutil.rmtree(probe, ignore_errors=True)


@contextmanager
def results_folder(parent: Path, run_id: str) -> Iterator[tuple[Path, list[Path]]]:
    """Yield ``(tmp, final)`` where ``final`` is a one-item list filled on success.

    ``final`` is ``parent/run_id`` or, if that exists, ``parent/run_id-2`` and so on.
    Raises ``OutputError`` before anything is made if ``parent`` cannot be
    written in, ``WriteError`` (nothing kept) if a write inside fails.
    """
    parent = Path(parent)
    check_destination(parent)
    tmp = parent / f".rotsim-tmp-{run_id}-{os.getpid()}"
    made: list[Path] = []  # the folders this run created, outermost first
    done: list[Path] = []
    try:
        for folder in reversed([parent, *parent.parents]):
            if not os.path.lexists(folder):
                folder.mkdir()
                made.append(folder)
        tmp.mkdir()
        yield tmp, done
        with deferred():  # the rename and its record go together
            target = parent / run_id
            n = 2
            while os.path.lexists(target):
                target = parent / f"{run_id}-{n}"
                n += 1
            tmp.rename(target)
            done.append(target)
    except OSError as exc:
        raise WriteError(f"nothing was written: {_reason(exc, tmp)}", where=str(parent)) from None
    finally:
        with deferred():  # a second Ctrl-C must not cut the cleanup short
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
            if not done:
                for folder in reversed(made):
                    try:
                        folder.rmdir()  # only if empty: another run may have written there meanwhile
                    except OSError:
                        break


def _refused(folder: Path, why: str) -> OutputError:
    return OutputError(f"cannot write results here: {why}", where=str(folder))


def _reason(exc: OSError, base: Path) -> str:
    """One line: what failed, on which file (relative to ``base`` when inside it)."""
    text = exc.strerror or (str(exc).splitlines() or [type(exc).__name__])[0]
    if exc.filename is not None:
        name = Path(os.fsdecode(exc.filename))
        try:
            name = name.relative_to(base)
        except ValueError:
            pass
        text = f"could not write {name}: {text}"
    return text
