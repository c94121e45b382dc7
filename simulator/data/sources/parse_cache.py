"""Parsed and checked CSV files kept across runs, keyed by content, so a file is parsed once.

Parsing and checking the files of a run takes longer than reading and hashing
them, so ``ParseCache.get`` hashes (blake2b) everything that decides the result:

- the file's bytes, the path its messages name, and what the file is read as
  (``kind`` and ``key``: a price ticker, a FRED id, a Ken French file);
- the parser version (``parser_version``): the source text of the modules
  whose code decides a parse (``PARSER_MODULES``), and the versions of Python,
  numpy, pandas and exchange_calendars (the NYSE calendar the checks use).

A result is found under that hash first in this process (``_MEMO``, the most
recently used entries), then on disk: one file per path and reading,
``<cache folder>/parsed/<file stem>-<hash of path, kind, key>.pkl``, holding the
content hash it was made for, so a file that changed just misses and its entry
is overwritten. Entries are written in one step (a temporary file renamed over
the old one); one that cannot be read back whole is ignored and parsed again,
and a folder that cannot be written only means parsing in every process.

Nothing that fails to parse or check is kept, so a bad file fails every time.
Results are shared: callers must not change them (``CsvSource`` hands out copies).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import pickle
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from ..cache_file import write_quietly
from ..checks import DataWarning
from ..formats.parsers import FrenchTable

__all__ = [
    "PARSED_FOLDER",
    "PARSER_MODULES",
    "ParseCache",
    "Parsed",
    "clear_memo",
    "content_key",
    "parser_version",
    "source_version",
]

PARSED_FOLDER = "parsed"

# The code a parse result depends on: layouts, cells, checks and their calendar, Ken French
# names, the parse functions of the CSV folder, and this module's entry format.
PARSER_MODULES = (
    "simulator.data.formats.csv_table",
    "simulator.data.formats.parsers",
    "simulator.data.checks",
    "simulator.data.calendar",
    "simulator.data.providers.french",
    "simulator.data.sources.csv_folder",
    "simulator.data.sources.parse_cache",
)
# Enough for every file of a run several times over; a test session runs many.
_MEMO_SIZE = 64
_FORMAT = 1

Warnings = dict[str, list[DataWarning]]


@dataclass(frozen=True)
class Parsed:
    """One file's content and the warnings its checks gave, by ticker/id (or column)."""

    data: pd.Series | FrenchTable
    warnings: Warnings


_MEMO: OrderedDict[str, Parsed] = OrderedDict()
_MEMO_LOCK = threading.Lock()  # a look-up moves its entry: two threads must not interleave


class ParseCache:
    """Parse results by content: in this process, and in ``folder`` when given (None: memory only)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder

    def get(self, kind: str, path: Path, key: str, payload: bytes, parse: Callable[[], Parsed]) -> Parsed:
        """What ``parse()`` gives for ``payload`` (the bytes of ``path``), parsing only if nothing is kept.

        Requires ``parse`` to read nothing but ``payload`` (its bytes are what
        the result is found by) and to depend on nothing outside the key.
        """
        content = content_key(kind, path, key, payload)
        found = _recall(content)
        if found is not None:
            return found
        entry = self._entry_path(kind, path, key)
        found = _read(entry, content) if entry is not None else None
        if found is None:
            found = parse()  # a DataError leaves nothing behind
            if not _keepable(found):
                return found
            if entry is not None:
                _write(entry, content, found)
        _remember(content, found)
        return found

    def _entry_path(self, kind: str, path: Path, key: str) -> Path | None:
        if self.folder is None:
            return None
        name = hashlib.blake2b(f"{kind}\0{path}\0{key}".encode(), digest_size=12).hexdigest()
        return self.folder / f"{path.stem}-{name}.pkl"


def content_key(kind: str, path: Path, key: str, payload: bytes) -> str:
    """The hash a parse result is kept under: the parser version, what is read, and the bytes."""
    h = hashlib.blake2b(digest_size=20)
    for part in (parser_version(), kind, str(path), key):
        h.update(part.encode())
        h.update(b"\0")
    h.update(payload)
    return h.hexdigest()


@functools.cache
def parser_version() -> str:
    """A hash of the code and library versions that decide a parse (computed once per process)."""
    return source_version(_module_files(PARSER_MODULES), _library_versions())


def source_version(files: Iterable[Path], libraries: Iterable[str]) -> str:
    """A hash of the files' bytes (in order) and of ``libraries`` (e.g. ``pandas 2.2.3``)."""
    h = hashlib.blake2b(digest_size=20)
    for path in files:
        data = path.read_bytes()
        h.update(f"{path.name} {len(data)}\0".encode())
        h.update(data)
    for lib in libraries:
        h.update(f"{lib}\0".encode())
    return h.hexdigest()


def _module_files(modules: Iterable[str]) -> list[Path]:
    files = []
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:  # a module of this list renamed: a loud error in tests
            raise RuntimeError(f"parse cache: no source for {name}")
        files.append(Path(spec.origin))
    return files


def _library_versions() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        # Read from metadata: importing exchange_calendars takes about a second.
        calendars = version("exchange_calendars")
    except PackageNotFoundError:
        calendars = "none"
    return [f"python {sys.version}", f"numpy {np.__version__}", f"pandas {pd.__version__}", f"xcals {calendars}"]


def _keepable(parsed: Parsed) -> bool:
    # Checks judge gaps by the NYSE calendar, which ends about a year after the
    # day it was built; any calendar covers the days up to today, so checks of
    # such dates depend on the file alone. A file dated later is not kept.
    data = parsed.data
    index = data.index if isinstance(data, pd.Series) else data.frame.index
    if not len(index):
        return True
    return bool(index.max() <= pd.Timestamp.today().normalize())


def _recall(content: str) -> Parsed | None:
    with _MEMO_LOCK:
        found = _MEMO.get(content)
        if found is not None:
            _MEMO.move_to_end(content)
        return found


def _remember(content: str, parsed: Parsed) -> None:
    with _MEMO_LOCK:
        _MEMO[content] = parsed
        _MEMO.move_to_end(content)
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)


def clear_memo() -> None:
    """Forget the results kept in this process (the files on disk stay)."""
    with _MEMO_LOCK:
        _MEMO.clear()


def _read(entry: Path, content: str) -> Parsed | None:
    """The entry's result if it was made for ``content`` and reads back whole, else None."""
    try:
        with entry.open("rb") as f:
            # The header first: a stale entry is told without unpickling its data.
            if pickle.load(f) != (_FORMAT, content):
                return None
            data, warnings = pickle.load(f)
    except Exception:  # noqa: BLE001 - a damaged pickle raises almost anything; all mean "parse again"
        return None
    if not isinstance(data, pd.Series | FrenchTable) or not isinstance(warnings, dict):
        return None
    return Parsed(data, warnings)


def _write(entry: Path, content: str, parsed: Parsed) -> None:
    def dump(f: BinaryIO) -> None:
        pickle.dump((_FORMAT, content), f, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump((parsed.data, parsed.warnings), f, protocol=pickle.HIGHEST_PROTOCOL)

    # a read-only cache folder or a full disk: parsed in each process; a half-written entry is never read
    write_quietly(entry, dump)
