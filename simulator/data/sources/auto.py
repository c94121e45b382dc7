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

``AutoSource`` composes the parts that each do one of these jobs: ``routing``
(which way a key comes), ``freshness`` (when a cached copy is due, whether a
download may be tried), ``incremental`` (downloading only what is new),
``cached`` (reading, updating and checking cached datasets), ``prefetch``
(``rotsim data fetch``) and ``warning_log`` (each warning once); it loads what
a run asks for, and reports every key that failed at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

import pandas as pd

from ...errors import DataError
from ..checks import DataWarning, check_prices, check_series
from ..providers.cache import Cache
from ..providers.french import FACTOR_COLUMNS, FACTORS, id_help, is_french, parse_id, to_index
from ..providers.remote import Remote
from .cached import CachedDatasets, Unavailable
from .csv_folder import CsvSource
from .freshness import Freshness
from .prefetch import FetchResult, Prefetcher
from .routing import Kind, Router, all_keys
from .warning_log import WarningLog


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
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.cache = cache
        self.folder = folder
        self.offline = offline
        self.fetch_command = fetch_command
        parts = [f"folder {folder.directory}"] if folder else []
        parts += [f"cache {cache.root}"] + (["offline"] if offline else [])
        self.name = f"{default_route}: {', '.join(parts)}"
        # ticker/id -> where its data came from, for the run's manifest
        self.provenance: dict[str, dict[str, object]] = {}
        self._log = WarningLog()
        self._router = Router(remotes, routes or {}, default_route, folder)
        freshness = Freshness(offline=offline, refresh=refresh, max_age_days=max_age_days, now=now)
        self._datasets = CachedDatasets(cache, freshness, self._log)
        self._prefetcher = Prefetcher(self._router, self._datasets, self._why_unavailable)
        self._why_missing: dict[str, str] = {}
        self._expected: list[tuple[str, Kind]] = []  # every key the last `missing` call was asked about

    @property
    def warnings(self) -> list[DataWarning]:
        """Data warnings found so far, each once."""
        return self._log.items

    # --- Source protocol ---------------------------------------------------

    def missing(self, tickers: Sequence[str], series: Sequence[str]) -> list[str]:
        """Keys that can neither be read locally nor downloaded now (nothing is loaded or fetched)."""
        self._why_missing = {}
        self._expected = all_keys(tickers, series)
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
        return self._router.datasets(tickers, series)

    def fetch(
        self, tickers: Sequence[str], series: Sequence[str], step: Callable[[str], None] = lambda _: None
    ) -> list[FetchResult]:
        """Make sure every key is cached and up to date; one result per dataset, failures included.

        Calls ``step(description)`` as each dataset starts. Nothing is raised
        for a failed dataset: its result says why, and the cache keeps its old copy.
        """
        return self._prefetcher.fetch(tickers, series, step)

    # --- availability ------------------------------------------------------

    def _why_unavailable(self, key: str, kind: Kind) -> str | None:
        remote = self._router.remote(key, kind)
        if remote is None:
            if self._router.in_folder(key, kind):
                return None
            if self.folder is None:
                return "these come from csv (data.source or data.sources), but no folder is given: pass --data-dir DIR"
            return f"these come from csv (data.source or data.sources): not in the folder {self.folder.directory}"
        if is_french(key):
            parsed = parse_id(key)
            if parsed is None or (parsed.file == FACTORS and parsed.column not in FACTOR_COLUMNS):
                return f"{key}: no such Ken French column; {id_help()}"
        dataset = remote.dataset(key)
        if self._datasets.is_cached(remote, dataset):
            return None
        if self.offline:
            return (
                f"not in the cache ({self.cache.root}) and downloads are off (--offline or ROTSIM_OFFLINE): "
                f"fetch them first with: {self.fetch_command}"
            )
        return remote.unavailable()

    def _needs_download(self, key: str, kind: Kind) -> bool:
        remote = self._router.remote(key, kind)
        return remote is not None and not self._datasets.is_cached(remote, remote.dataset(key))

    # --- loading -----------------------------------------------------------

    def _load_all(self, keys: list[tuple[str, Kind]]) -> dict[str, pd.Series]:
        # Report every key that failed at once: fixing data one error per run is slow.
        result: dict[str, pd.Series] = {}
        errors: list[DataError] = []
        unavailable: list[Unavailable] = []
        for key, kind in keys:
            try:
                result[key] = self._load(key, kind)
            except Unavailable as exc:
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
        raise DataError(
            f"{count} {'ticker or series' if count == 1 else 'tickers or series'} failed:\n"
            + "\n".join(f"  {m}" for m in lines)
        )

    def _load(self, key: str, kind: Kind) -> pd.Series:
        remote = self._router.remote(key, kind)
        if remote is None:
            return self._from_folder(key, kind)
        entry = self._datasets.entry(remote, remote.dataset(key), key)
        column = remote.column(key)
        if column not in entry.frame:
            columns = ", ".join(entry.frame.columns)
            raise DataError(
                f"{key}: no column {column!r} in {remote.name} {entry.meta.dataset} (columns: {columns})",
                str(entry.meta.path),
            )
        values = entry.frame[column]
        where = str(entry.meta.path)
        if kind == "price":
            values = to_index(values) if is_french(key) else values
            found = check_prices(values, key, where, adjusted=entry.meta.adjusted)
        else:
            values = values.dropna()
            found = check_series(values, key, where)
        self._log.add(found)
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
        self._log.add(self.folder.warnings)
        self.provenance[key] = {"from": "folder", "source": self.folder.name}
        return got[key]
