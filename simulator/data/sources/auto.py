"""A source that finds each ticker and series where it can: a local folder, the cache, or a download.

Each key (ticker or series id) has a *route* (``data.sources`` in the config,
else ``data.source``):

- ``csv``: the local CSV folder only;
- ``auto``: the local folder if it has the file, else the key's default
  download source through the cache: Ken French ids (``FF:...``) ``french``,
  other price tickers ``yahoo``, other series ids ``fred``;
- ``yahoo``, ``fred``, ``french``: that download source, through the cache.

Through the cache means: a cached copy is used as it is, unless it is older
than ``max_age`` or ``refresh`` is set; then it is updated (for Yahoo only from
the last cached day on, with an overlap that must match what is cached, since
a dividend or split rescales all earlier adjusted prices; if it does not match,
the whole history is fetched again). Not cached: downloaded and cached, unless
``offline``. Every series served is checked (``data/checks.py``) when downloaded
(errors keep it out of the cache) and when loaded (warnings).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

import numpy as np
import pandas as pd

from simulator.errors import DataError

from ..providers.cache import Cache, Entry, Meta
from ..checks import DataWarning, check_prices, check_series
from .csv_folder import CsvSource
from ..providers.french import FACTOR_COLUMNS, FACTORS, id_help, is_french, parse_id, to_index
from ..providers.remote import Download, Remote
from ..providers.transport import FetchError

Kind = Literal["price", "series"]
Status = Literal["folder", "cached", "fetched", "updated", "refetched", "failed"]

# Calendar days re-fetched before the last cached day: at least a week of trading
# days to compare, so a rescaled adjusted history cannot slip through.
OVERLAP_DAYS = 10
# Adjusted prices that agree to this relative tolerance are unchanged; a dividend
# rescales them by its yield (typically 0.1% or more).
_SAME_PRICE_RTOL = 1e-6


@dataclass(frozen=True)
class FetchResult:
    """What ``AutoSource.fetch`` did for one dataset (a ticker, a FRED series, a Ken French file)."""

    source: str
    dataset: str
    keys: tuple[str, ...]
    status: Status
    detail: str
    meta: Meta | None = None


class _Unavailable(Exception):
    """A key that is not cached and cannot be downloaded now; ``reason`` says why.

    ``offline``: downloads are off or the server could not be reached, so the
    key itself may be fine.
    """

    def __init__(self, key: str, reason: str, offline: bool) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason
        self.offline = offline


class AutoSource:
    """Tickers and series from a local folder, the download cache and the download sources."""

    synthetic = False

    def __init__(
        self,
        *,
        cache: Cache,
        remotes: Mapping[str, Remote],
        routes: Mapping[str, str] | None = None,
        default_route: str = "auto",
        folder: CsvSource | None = None,
        offline: bool = False,
        refresh: bool = False,
        max_age_days: float | None = None,
        fetch_command: str = "rotsim data fetch CONFIG",
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.cache = cache
        self.remotes = dict(remotes)
        self.routes = dict(routes or {})
        self.default_route = default_route
        self.folder = folder
        self.offline = offline
        self.refresh = refresh
        self.max_age_days = max_age_days
        self.fetch_command = fetch_command
        self._now = now
        parts = [f"folder {folder.directory}"] if folder else []
        parts += [f"cache {cache.root}"] + (["offline"] if offline else [])
        self.name = f"{default_route}: {', '.join(parts)}"
        self.warnings: list[DataWarning] = []
        # ticker/id -> where its data came from, for the run's manifest
        self.provenance: dict[str, dict[str, object]] = {}
        self._seen_warnings: set[DataWarning] = set()
        self._updated: set[tuple[str, str]] = set()  # datasets fetched by this instance
        self._entries: dict[tuple[str, str], Entry] = {}  # read once a run: FF:RF and FF:SMB share a file
        self._unreachable: dict[str, str] = {}  # remote -> why; no more tries this session
        self._why_missing: dict[str, str] = {}
        self._expected: list[tuple[str, Kind]] = []  # every key the last `missing` call was asked about

    # --- Source protocol ---------------------------------------------------

    def missing(self, tickers: Sequence[str], series: Sequence[str]) -> list[str]:
        """Keys that can neither be read locally nor downloaded now (nothing is loaded or fetched)."""
        self._why_missing = {}
        self._expected = self._keys(tickers, series)
        for key, kind in self._expected:
            why = self._why_unavailable(key, kind)
            if why:
                self._why_missing[key] = why
        return list(self._why_missing)

    def missing_hint(self) -> str | None:
        """What to do about the keys the last ``missing`` call returned, or None."""
        reasons = list(dict.fromkeys(self._why_missing.values()))
        return "\n".join(reasons) or None

    def load_prices(self, tickers: Sequence[str]) -> dict[str, pd.Series]:
        """Adjusted daily closes per ticker (Ken French returns as a total-return index)."""
        return self._load_all([(t, "price") for t in dict.fromkeys(tickers)])

    def load_series(self, ids: Sequence[str]) -> dict[str, pd.Series]:
        """Observations per series id in published units (percent for rates and Ken French), NaN dropped."""
        return self._load_all([(i, "series") for i in dict.fromkeys(ids)])

    # --- prefetching (`rotsim data fetch`) ---------------------------------

    def plan_fetch(self, tickers: Sequence[str], series: Sequence[str]) -> list[tuple[str, str, tuple[str, ...]]]:
        """``(route, dataset, keys)`` for everything a fetch would touch, in order; route ``folder`` for local files."""
        groups: dict[tuple[str, str], list[str]] = {}
        for key, kind in self._keys(tickers, series):
            remote = self._remote(key, kind)
            group = ("folder", key) if remote is None else (remote.name, remote.dataset(key))
            groups.setdefault(group, []).append(key)
        return [(route, dataset, tuple(keys)) for (route, dataset), keys in groups.items()]

    def fetch(
        self, tickers: Sequence[str], series: Sequence[str], step: Callable[[str], None] = lambda _: None
    ) -> list[FetchResult]:
        """Make sure every key is cached and up to date; one result per dataset, failures included.

        Calls ``step(description)`` as each dataset starts. Nothing is raised
        for a failed dataset: its result says why, and the cache keeps its old copy.
        """
        results = []
        for route, dataset, keys in self.plan_fetch(tickers, series):
            step(f"{route} {dataset}")
            if route == "folder":
                results.append(self._folder_result(dataset, keys, tickers))
                continue
            results.append(self._fetch_one(self.remotes[route], dataset, keys))
        return results

    # --- routing -----------------------------------------------------------

    def _keys(self, tickers: Sequence[str], series: Sequence[str]) -> list[tuple[str, Kind]]:
        keys: list[tuple[str, Kind]] = [(t, "price") for t in dict.fromkeys(tickers)]
        return keys + [(i, "series") for i in dict.fromkeys(series)]

    def _in_folder(self, key: str, kind: Kind) -> bool:
        if self.folder is None:
            return False
        return not self.folder.missing([key], []) if kind == "price" else not self.folder.missing([], [key])

    def _remote(self, key: str, kind: Kind) -> Remote | None:
        """The download source serving ``key``, or None when it comes from the folder (or nowhere)."""
        route = self.routes.get(key, self.default_route)
        if route == "csv" or (route == "auto" and self._in_folder(key, kind)):
            return None
        if route in self.remotes:
            return self.remotes[route]
        default = "french" if is_french(key) else ("yahoo" if kind == "price" else "fred")
        return self.remotes[default]

    def _why_unavailable(self, key: str, kind: Kind) -> str | None:
        remote = self._remote(key, kind)
        if remote is None:
            if self._in_folder(key, kind):
                return None
            if self.folder is None:
                return "these come from csv (data.source or data.sources), but no folder is given: pass --data-dir DIR"
            return f"these come from csv (data.source or data.sources): not in the folder {self.folder.directory}"
        if is_french(key):
            parsed = parse_id(key)
            if parsed is None or (parsed.file == FACTORS and parsed.column not in FACTOR_COLUMNS):
                return f"{key}: no such Ken French column; {id_help()}"
        dataset = remote.dataset(key)
        if self._cached(remote, dataset):
            return None
        if self.offline:
            return (
                f"not in the cache ({self.cache.root}) and downloads are off (--offline or ROTSIM_OFFLINE): "
                f"fetch them first with: {self.fetch_command}"
            )
        return remote.unavailable()

    def _needs_download(self, key: str, kind: Kind) -> bool:
        remote = self._remote(key, kind)
        return remote is not None and not self._cached(remote, remote.dataset(key))

    def _cached(self, remote: Remote, dataset: str) -> bool:
        try:
            return self.cache.meta(remote.name, dataset) is not None
        except DataError:
            return True  # unreadable: loading will say so, with the file

    # --- loading -----------------------------------------------------------

    def _load_all(self, keys: list[tuple[str, Kind]]) -> dict[str, pd.Series]:
        # Report every key that failed at once: fixing data one error per run is slow.
        result: dict[str, pd.Series] = {}
        errors: list[DataError] = []
        unavailable: list[_Unavailable] = []
        for key, kind in keys:
            try:
                result[key] = self._load(key, kind)
            except _Unavailable as exc:
                unavailable.append(exc)
            except DataError as exc:
                errors.append(exc)
        if len(errors) == 1 and not unavailable:
            raise errors[0]
        if not errors and not unavailable:
            return result
        lines = [str(e) for e in errors] + [f"{u.key}: not cached, and {u.reason}" for u in unavailable]
        untried: list[str] = []
        if unavailable:
            # Name every other key that would fail the same way, not only those tried so far.
            tried = {k for k, _ in keys}
            untried = [k for k, kind in self._expected if k not in tried and self._needs_download(k, kind)]
            lines += [f"{k}: not cached either" for k in untried]
            if any(u.offline for u in unavailable):
                lines.append(f"when the network is back, fetch everything with: {self.fetch_command}")
            else:
                lines.append(f"fix the ticker or id (or its data.sources entry), then fetch with: {self.fetch_command}")
        count = len(errors) + len(unavailable) + len(untried)
        raise DataError(f"{count} {'ticker or series' if count == 1 else 'tickers or series'} failed:\n"
                        + "\n".join(f"  {m}" for m in lines))

    def _load(self, key: str, kind: Kind) -> pd.Series:
        remote = self._remote(key, kind)
        if remote is None:
            return self._from_folder(key, kind)
        entry = self._entry(remote, remote.dataset(key), key)
        column = remote.column(key)
        if column not in entry.frame:
            columns = ", ".join(entry.frame.columns)
            raise DataError(f"{key}: no column {column!r} in {remote.name} {entry.meta.dataset} (columns: {columns})",
                            str(entry.meta.path))
        values = entry.frame[column]
        where = str(entry.meta.path)
        if kind == "price":
            values = to_index(values) if is_french(key) else values
            found = check_prices(values, key, where, adjusted=entry.meta.adjusted)
        else:
            values = values.dropna()
            found = check_series(values, key, where)
        self._collect(found)
        self.provenance[key] = {
            "from": "cache",
            "source": remote.name,
            "url": entry.meta.url,
            "fetched_at": entry.meta.fetched_at.isoformat(),
            "file": where,
        }
        return pd.Series(values.to_numpy(dtype="float64", copy=True), index=values.index.rename("date"), name=key)

    def _from_folder(self, key: str, kind: Kind) -> pd.Series:
        if self.folder is None:
            raise DataError(f"{key}: comes from csv, but no folder is given (pass --data-dir DIR)")
        got = self.folder.load_prices([key]) if kind == "price" else self.folder.load_series([key])
        self._collect(self.folder.warnings)
        self.provenance[key] = {"from": "folder", "source": self.folder.name}
        return got[key]

    def _entry(self, remote: Remote, dataset: str, key: str) -> Entry:
        """The cached dataset, updated first when it is due and downloads are possible; read once per instance."""
        if (known := self._entries.get((remote.name, dataset))) is None:
            known = self._entries[(remote.name, dataset)] = self._fresh_entry(remote, dataset, key)
        return known

    def _fresh_entry(self, remote: Remote, dataset: str, key: str) -> Entry:
        entry = self._read(remote, dataset)
        if entry is not None and not self._due(remote, entry):
            return entry
        blocked = self._blocked(remote)
        if blocked:
            if entry is None:
                raise _Unavailable(key, f"cannot be downloaded: {blocked}", offline=True)
            self._warn(key, f"cached copy from {entry.meta.fetched_at:%Y-%m-%d} not updated ({blocked})")
            return entry
        try:
            return self._update(remote, dataset, entry)[0]
        except DataError as exc:
            fetch_failed = isinstance(exc, FetchError)
            if entry is None:
                if not fetch_failed:
                    raise  # a bad payload: its own message names the URL and line
                raise _Unavailable(key, f"the download failed: {exc}", offline=exc.unreachable) from None
            # The cache still holds the last good copy: run on it, and say so.
            self._warn(key, f"could not update the cached copy from {entry.meta.fetched_at:%Y-%m-%d}: {exc}")
            return entry

    def _read(self, remote: Remote, dataset: str) -> Entry | None:
        try:
            return self.cache.read(remote.name, dataset)
        except DataError:
            if self.refresh:
                return None  # an unreadable file is simply fetched again
            raise

    def _due(self, remote: Remote, entry: Entry) -> bool:
        if (remote.name, entry.meta.dataset) in self._updated:
            return False
        if self.refresh:
            return True
        return self.max_age_days is not None and entry.meta.age_days(self._now()) > self.max_age_days

    def _blocked(self, remote: Remote) -> str | None:
        if self.offline:
            return "downloads are off (--offline or ROTSIM_OFFLINE)"
        return remote.unavailable() or self._unreachable.get(remote.name)

    # --- downloading -------------------------------------------------------

    def _update(self, remote: Remote, dataset: str, entry: Entry | None) -> tuple[Entry, Status, str]:
        """Download ``dataset`` (incrementally if possible), check it, and cache it.

        An unreachable host is remembered, so the other keys it serves fail at
        once, each in its own name: the reason kept leaves out the first URL.
        """
        try:
            return self._download_and_cache(remote, dataset, entry)
        except FetchError as exc:
            if exc.unreachable:
                self._unreachable[remote.name] = exc.message
            raise

    def _download_and_cache(self, remote: Remote, dataset: str, entry: Entry | None) -> tuple[Entry, Status, str]:
        if entry is not None and remote.incremental and entry.meta.last is not None:
            last = entry.meta.last
            recent = remote.download(dataset, last - pd.Timedelta(days=OVERLAP_DAYS))
            merged = extend(entry.frame, recent.frame, last)
            if merged is not None:
                added = int((merged.index > last).sum())
                download = Download(merged, recent.url, recent.adjusted)
                status, detail = "updated", f"+{added} rows after {last:%Y-%m-%d}"
            else:
                download = remote.download(dataset)
                status, detail = "refetched", "adjusted history changed (dividend or split): fetched it all again"
        else:
            download = remote.download(dataset)
            status, detail = "fetched", f"from {download.url}"
        _check_download(remote, dataset, download)
        written = self.cache.write(remote.name, dataset, download.frame, url=download.url, adjusted=download.adjusted)
        self._updated.add((remote.name, dataset))
        return written, status, detail

    def _fetch_one(self, remote: Remote, dataset: str, keys: tuple[str, ...]) -> FetchResult:
        def result(status: Status, detail: str, meta: Meta | None = None) -> FetchResult:
            return FetchResult(remote.name, dataset, keys, status, detail, meta)

        bad_ids = [k for k in keys if is_french(k) and parse_id(k) is None]
        if bad_ids:
            return result("failed", f"{', '.join(bad_ids)}: {id_help()}")
        try:
            entry = self._read(remote, dataset)
        except DataError as exc:
            return result("failed", str(exc))
        if entry is not None and not self._due(remote, entry):
            return self._columns_checked(result("cached", "up to date", entry.meta), remote, entry, keys)
        blocked = self._blocked(remote)
        if blocked:
            return result("failed", blocked)
        try:
            written, status, detail = self._update(remote, dataset, entry)
        except DataError as exc:
            return result("failed", str(exc), entry.meta if entry else None)
        return self._columns_checked(result(status, detail, written.meta), remote, written, keys)

    def _columns_checked(self, done: FetchResult, remote: Remote, entry: Entry, keys: tuple[str, ...]) -> FetchResult:
        absent = [k for k in keys if remote.column(k) not in entry.frame]
        if not absent:
            return done
        columns = ", ".join(entry.frame.columns)
        detail = f"no column for {', '.join(absent)} in {done.dataset} (columns: {columns})"
        return FetchResult(done.source, done.dataset, done.keys, "failed", detail, done.meta)

    def _folder_result(self, key: str, keys: tuple[str, ...], tickers: Sequence[str]) -> FetchResult:
        kind: Kind = "price" if key in tickers else "series"
        if self._in_folder(key, kind):
            return FetchResult("csv", key, keys, "folder", f"in {self.folder.directory}: read from there")
        return FetchResult("csv", key, keys, "failed", self._why_unavailable(key, kind) or "not in the folder")

    # --- warnings ----------------------------------------------------------

    def _warn(self, key: str, message: str) -> None:
        self._collect([DataWarning(key, message)])

    def _collect(self, warnings: Sequence[DataWarning]) -> None:
        for w in warnings:
            if w not in self._seen_warnings:
                self._seen_warnings.add(w)
                self.warnings.append(w)


def extend(cached: pd.DataFrame, recent: pd.DataFrame, last: pd.Timestamp) -> pd.DataFrame | None:
    """``cached`` with the rows of ``recent`` from ``last`` on, or None if history changed.

    ``recent`` must overlap ``cached`` on at least one day before ``last``
    and agree with it there; the cached ``last`` row itself may be replaced
    (it may have been an intraday price). None when there is no overlap, the
    columns differ, or any overlapping value moved.
    """
    if list(cached.columns) != list(recent.columns):
        return None
    overlap = cached.index.intersection(recent.index[recent.index < last])
    if len(overlap) == 0:
        return None
    old = cached.loc[overlap].to_numpy(dtype=float)
    new = recent.loc[overlap].to_numpy(dtype=float)
    if not np.allclose(old, new, rtol=_SAME_PRICE_RTOL, atol=0.0, equal_nan=True):
        return None
    tail = recent[recent.index >= last]
    if tail.empty:
        return cached
    return pd.concat([cached[cached.index < last], tail])


def _check_download(remote: Remote, dataset: str, download: Download) -> None:
    """Raise ``DataError`` (naming the URL) if a download fails a quality check; warnings wait for loading."""
    if remote.prices:
        for column in download.frame:
            check_prices(download.frame[column], dataset, download.url, adjusted=download.adjusted)
    else:
        single = len(download.frame.columns) == 1
        for column in download.frame:
            check_series(download.frame[column], dataset if single else f"{dataset} [{column}]", download.url)

