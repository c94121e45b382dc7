"""A trading calendar kept on disk, so that each run need not build it again.

exchange_calendars takes about a second to import and build the NYSE's
calendar; the sessions read back from a file take a millisecond. The file is
in the download cache's folder (``$ROTSIM_CACHE_DIR``, else the platform's
user cache: ``~/.cache/rotsim`` on Linux), ``calendars/<name>.npz``, and is
used only when it is what a new build would give:

- its key matches: the file format, the calendar's name and first day, and the
  versions of exchange_calendars and pandas (a release adds a closure such as a
  national day of mourning, or changes a holiday rule);
- it is at most ``MAX_AGE_DAYS`` old: a calendar ends a year after the day it
  was built, so a month-old one still covers every day up to eleven months
  ahead, past any date real data has;
- it reads back whole: sessions in increasing order, none before the first day.

Anything else (no file, another version, too old, unreadable, or a clock set
back before the day it was built) builds the calendar anew and replaces the
file in one step (a temporary file renamed over it). A folder that cannot be
written only means the calendar is built in every process, as before.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .cache_file import write_quietly

__all__ = ["MAX_AGE_DAYS", "calendar_folder", "stored_sessions"]

MAX_AGE_DAYS = 30
_FORMAT = 1


def calendar_folder() -> Path:
    """Where calendars are kept: ``calendars/`` in the download cache's default folder."""
    from .sources.pick import cache_dir

    return cache_dir() / "calendars"


def stored_sessions(
    name: str,
    start: pd.Timestamp,
    build: Callable[[], pd.DatetimeIndex],
    *,
    folder: Path | None = None,
    today: pd.Timestamp | None = None,
) -> pd.DatetimeIndex:
    """The sessions ``build`` returns for calendar ``name`` from ``start``, read from disk while still valid.

    Requires ``build`` to return sorted, timezone-naive dates from ``start``
    on, and to depend only on the versions in the key and on the day it runs.
    ``today`` (default: the local date, as exchange_calendars takes it) ages
    the file. Sets: the file, when it had to be built.
    """
    folder = calendar_folder() if folder is None else folder
    today = pd.Timestamp.now().floor("D") if today is None else today.floor("D")
    path = folder / f"{name}.npz"
    key = _key(name, start)
    found = _read(path, key, start, today)
    if found is not None:
        return found
    sessions = build()
    _write(path, key, today, sessions)
    return sessions


def _key(name: str, start: pd.Timestamp) -> str:
    from importlib.metadata import version

    return (
        f"format {_FORMAT}; {name} from {start:%Y-%m-%d}; "
        f"exchange_calendars {version('exchange_calendars')}; pandas {pd.__version__}"
    )


def _read(path: Path, key: str, start: pd.Timestamp, today: pd.Timestamp) -> pd.DatetimeIndex | None:
    """The stored sessions, or None when the file is missing, of another key, too old or damaged."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            if str(stored["key"]) != key:
                return None
            built = np.datetime64(int(stored["built"]), "D")
            days = stored["sessions"].astype("datetime64[D]")
    except (
        OSError,
        ValueError,
        KeyError,
        EOFError,
        zipfile.BadZipFile,
    ):  # missing, cut short, not an npz, other fields
        return None
    age = int((np.datetime64(today.date(), "D") - built).astype(int))
    if not 0 <= age <= MAX_AGE_DAYS:
        return None
    if days.ndim != 1 or not len(days) or days[0] < np.datetime64(start.date(), "D") or np.any(np.diff(days) <= 0):
        return None
    return pd.DatetimeIndex(days.astype("datetime64[ns]"))


def _write(path: Path, key: str, today: pd.Timestamp, sessions: pd.DatetimeIndex) -> None:
    days = sessions.values.astype("datetime64[D]").astype(np.int64)
    built = np.int64(np.datetime64(today.date(), "D").astype(np.int64))
    # a folder that cannot be written: the calendar is built in each process, nothing else changes
    write_quietly(path, lambda f: np.savez(f, key=np.array(key), built=built, sessions=days))
