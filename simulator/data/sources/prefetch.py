"""Filling the cache ahead of a run (``rotsim data fetch``): every dataset a config needs, one result each.

A failed dataset raises nothing: its result says why, and the cache keeps
its old copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ...errors import DataError
from ..providers.cache import Entry, Meta
from ..providers.french import id_help, is_french, parse_id
from ..providers.remote import Remote
from .cached import CachedDatasets
from .routing import Kind, Router

Status = Literal["folder", "cached", "fetched", "updated", "refetched", "failed"]


@dataclass(frozen=True)
class FetchResult:
    """What ``AutoSource.fetch`` did for one dataset (a ticker, a FRED series, a Ken French file)."""

    source: str
    dataset: str
    keys: tuple[str, ...]
    status: Status
    detail: str
    meta: Meta | None = None


class Prefetcher:
    """Fetches what the router sends to download sources; ``why_unavailable`` explains a folder key that is absent."""

    def __init__(
        self, router: Router, datasets: CachedDatasets, why_unavailable: Callable[[str, Kind], str | None]
    ) -> None:
        self.router = router
        self.datasets = datasets
        self.why_unavailable = why_unavailable

    def fetch(
        self, tickers: Sequence[str], series: Sequence[str], step: Callable[[str], None] = lambda _: None
    ) -> list[FetchResult]:
        """Make sure every key is cached and up to date; one result per dataset, failures included.

        Calls ``step(description)`` as each dataset starts.
        """
        results = []
        for route, dataset, keys in self.router.datasets(tickers, series):
            step(f"{route} {dataset}")
            if route == "folder":
                results.append(self._folder_result(dataset, keys, tickers))
                continue
            results.append(self._fetch_one(self.router.remotes[route], dataset, keys))
        return results

    def _fetch_one(self, remote: Remote, dataset: str, keys: tuple[str, ...]) -> FetchResult:
        def result(status: Status, detail: str, meta: Meta | None = None) -> FetchResult:
            return FetchResult(remote.name, dataset, keys, status, detail, meta)

        bad_ids = [k for k in keys if is_french(k) and parse_id(k) is None]
        if bad_ids:
            return result("failed", f"{', '.join(bad_ids)}: {id_help()}")
        try:
            entry = self.datasets.read(remote, dataset)
        except DataError as exc:
            return result("failed", str(exc))
        freshness = self.datasets.freshness
        if entry is not None and not freshness.due(remote, entry):
            return _columns_checked(result("cached", "up to date", entry.meta), remote, entry, keys)
        blocked = freshness.blocked(remote)
        if blocked:
            return result("failed", blocked)
        try:
            written, status, detail = self.datasets.update(remote, dataset, entry)
        except DataError as exc:
            return result("failed", str(exc), entry.meta if entry else None)
        return _columns_checked(result(status, detail, written.meta), remote, written, keys)

    def _folder_result(self, key: str, keys: tuple[str, ...], tickers: Sequence[str]) -> FetchResult:
        kind: Kind = "price" if key in tickers else "series"
        if self.router.in_folder(key, kind):
            folder = self.router.folder
            assert folder is not None  # in_folder is False without one
            return FetchResult("csv", key, keys, "folder", f"in {folder.directory}: read from there")
        return FetchResult("csv", key, keys, "failed", self.why_unavailable(key, kind) or "not in the folder")


def _columns_checked(done: FetchResult, remote: Remote, entry: Entry, keys: tuple[str, ...]) -> FetchResult:
    absent = [k for k in keys if remote.column(k) not in entry.frame]
    if not absent:
        return done
    columns = ", ".join(entry.frame.columns)
    detail = f"no column for {', '.join(absent)} in {done.dataset} (columns: {columns})"
    return FetchResult(done.source, done.dataset, done.keys, "failed", detail, done.meta)
