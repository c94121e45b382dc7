"""The download cache: one Parquet file per downloaded dataset, with where and when it came from.

Layout: ``<root>/<source>/<dataset>.parquet`` (``yahoo/SPY.parquet``,
``yahoo/%5ERUT.parquet`` for ``^RUT``, ``fred/DGS2.parquet``,
``french/F-F_Research_Data_Factors_daily.parquet``). Each file carries its own
metadata in the Parquet footer (source, dataset, URL, fetch time, first and
last date, rows), so data and provenance are replaced together, in one step:
a write goes to a temporary file in the same folder and is renamed over the
old one (``os.replace``), so a download that fails, or a process that dies,
leaves the cache as it was. Listing reads the footers only.

The folder is, in order: ``--cache-dir``, ``$ROTSIM_CACHE_DIR``, the config's
``data.cache_dir``, else the user cache directory of the platform
(``~/.cache/rotsim`` on Linux, ``~/Library/Caches/rotsim`` on macOS,
``%LOCALAPPDATA%\\rotsim\\Cache`` on Windows).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from simulator.errors import DataError

CACHE_DIR_ENV = "ROTSIM_CACHE_DIR"
_META_KEY = b"rotsim"
_FORMAT = 1


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("rotsim", appauthor=False))


@dataclass(frozen=True)
class Meta:
    """Where and when a cached dataset came from, and what it spans."""

    source: str
    dataset: str
    url: str
    fetched_at: datetime
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    rows: int
    adjusted: bool
    path: Path

    def age_days(self, now: datetime) -> float:
        return (now - self.fetched_at).total_seconds() / 86400.0


@dataclass(frozen=True)
class Entry:
    """A cached dataset: ``frame`` as downloaded (``DatetimeIndex`` named ``date``) and its ``meta``."""

    frame: pd.DataFrame
    meta: Meta


class Cache:
    """Datasets by ``(source, dataset)`` under one folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser()

    def path(self, source: str, dataset: str) -> Path:
        # Percent-encoding keeps ^, / and : out of file names and can be undone for listing.
        return self.root / source / f"{quote(dataset, safe='')}.parquet"

    def meta(self, source: str, dataset: str) -> Meta | None:
        """The metadata of a cached dataset (footer only), or None if it is not cached."""
        path = self.path(source, dataset)
        return _read_meta(path) if path.is_file() else None

    def read(self, source: str, dataset: str) -> Entry | None:
        """A cached dataset, or None if it is not cached; ``DataError`` if its file is unreadable."""
        path = self.path(source, dataset)
        if not path.is_file():
            return None
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(path)
        except Exception as exc:  # noqa: BLE001 - pyarrow has many error types; all mean "unreadable"
            raise _unreadable(path, exc) from None
        meta = _meta_from(table.schema.metadata, path)
        frame = table.to_pandas()
        frame.index = pd.DatetimeIndex(frame.index, name="date")
        return Entry(frame.astype("float64"), meta)

    def write(self, source: str, dataset: str, frame: pd.DataFrame, *, url: str, adjusted: bool = True) -> Entry:
        """Store ``frame`` (replacing any earlier version at once) and return it as cached."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.path(source, dataset)
        frame = frame.astype("float64")
        frame.index = pd.DatetimeIndex(frame.index, name="date")
        fetched_at = datetime.now(UTC).replace(microsecond=0)
        info = {
            "format": _FORMAT,
            "source": source,
            "dataset": dataset,
            "url": url,
            "fetched_at": fetched_at.isoformat(),
            "first": _day(frame.index[0]) if len(frame) else None,
            "last": _day(frame.index[-1]) if len(frame) else None,
            "rows": len(frame),
            "adjusted": adjusted,
        }
        table = pa.Table.from_pandas(frame, preserve_index=True)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), _META_KEY: json.dumps(info).encode()})
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
            os.close(fd)
        except OSError as exc:
            raise DataError(f"cannot write to the cache: {exc.strerror or exc}", str(path.parent)) from None
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise DataError(f"cannot write to the cache: {exc.strerror or exc}", str(path)) from None
            raise
        return Entry(frame, _meta_from(table.schema.metadata, path))

    def entries(self) -> tuple[list[Meta], list[str]]:
        """Every cached dataset's metadata, sorted by source and dataset, and a message per unreadable file."""
        metas: list[Meta] = []
        problems: list[str] = []
        for path in sorted(self.root.glob("*/*.parquet")):
            try:
                metas.append(_read_meta(path))
            except DataError as exc:
                problems.append(str(exc))
        return sorted(metas, key=lambda m: (m.source, m.dataset)), problems


def _read_meta(path: Path) -> Meta:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # noqa: BLE001 - see Cache.read
        raise _unreadable(path, exc) from None
    return _meta_from(schema.metadata, path)


def _meta_from(metadata: dict[bytes, bytes] | None, path: Path) -> Meta:
    try:
        info = json.loads((metadata or {})[_META_KEY])
        return Meta(
            source=info["source"],
            dataset=info["dataset"],
            url=info["url"],
            fetched_at=datetime.fromisoformat(info["fetched_at"]),
            first=pd.Timestamp(info["first"]) if info["first"] else None,
            last=pd.Timestamp(info["last"]) if info["last"] else None,
            rows=int(info["rows"]),
            adjusted=bool(info["adjusted"]),
            path=path,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _unreadable(path, f"no rotsim metadata ({exc})") from None


def _unreadable(path: Path, why: object) -> DataError:
    return DataError(f"unreadable cache file ({why}); delete it, or fetch again with --refresh", str(path))


def _day(ts: pd.Timestamp) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")
