"""The cached datasets a session reads: each read once, updated first when due, checked before it is cached.

A dataset that cannot be updated is used as cached, with a warning; one that
is not cached and cannot be downloaded now makes its key ``Unavailable``.
Every download is checked (``data/checks.py``) before it is cached: errors
keep it out of the cache, warnings wait for loading.
"""

from __future__ import annotations

from ...errors import DataError
from ..checks import check_prices, check_series
from ..providers.cache import Cache, Entry
from ..providers.remote import Download, Remote
from ..providers.transport import FetchError
from .freshness import Freshness
from .incremental import How, download
from .warning_log import WarningLog


class Unavailable(Exception):
    """A key that is not cached and cannot be downloaded now; ``reason`` says why.

    ``offline``: downloads are off or the server could not be reached, so the
    key itself may be fine.
    """

    def __init__(self, key: str, reason: str, offline: bool) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason
        self.offline = offline


class CachedDatasets:
    """Datasets in the download cache, kept as fresh as ``freshness`` asks; update warnings go to ``log``."""

    def __init__(self, cache: Cache, freshness: Freshness, log: WarningLog) -> None:
        self.cache = cache
        self.freshness = freshness
        self.log = log
        self._entries: dict[tuple[str, str], Entry] = {}  # read once a session: FF:RF and FF:SMB share a file

    def is_cached(self, remote: Remote, dataset: str) -> bool:
        """Whether the cache holds ``dataset`` (an unreadable file counts: loading will say so, with the file)."""
        try:
            return self.cache.meta(remote.name, dataset) is not None
        except DataError:
            return True

    def read(self, remote: Remote, dataset: str) -> Entry | None:
        """The cached copy as it is, or None; an unreadable file raises, unless a refresh fetches it again."""
        try:
            return self.cache.read(remote.name, dataset)
        except DataError:
            if self.freshness.refresh:
                return None  # an unreadable file is simply fetched again
            raise

    def entry(self, remote: Remote, dataset: str, key: str) -> Entry:
        """The cached dataset, updated first when it is due and downloads are possible; read once per session."""
        if (known := self._entries.get((remote.name, dataset))) is None:
            known = self._entries[(remote.name, dataset)] = self._fresh_entry(remote, dataset, key)
        return known

    def update(self, remote: Remote, dataset: str, entry: Entry | None) -> tuple[Entry, How, str]:
        """Download ``dataset`` (incrementally if possible), check it, and cache it.

        An unreachable host is remembered, so the other keys it serves fail at
        once, each in its own name: the reason kept leaves out the first URL.
        """
        try:
            return self._download_and_cache(remote, dataset, entry)
        except FetchError as exc:
            if exc.unreachable:
                self.freshness.unreachable(remote, exc.message)
            raise

    def _download_and_cache(self, remote: Remote, dataset: str, entry: Entry | None) -> tuple[Entry, How, str]:
        fetched, how, detail = download(remote, dataset, entry)
        _check_download(remote, dataset, fetched)
        written = self.cache.write(remote.name, dataset, fetched.frame, url=fetched.url, adjusted=fetched.adjusted)
        self.freshness.updated(remote, dataset)
        return written, how, detail

    def _fresh_entry(self, remote: Remote, dataset: str, key: str) -> Entry:
        entry = self.read(remote, dataset)
        if entry is not None and not self.freshness.due(remote, entry):
            return entry
        blocked = self.freshness.blocked(remote)
        if blocked:
            if entry is None:
                raise Unavailable(key, f"cannot be downloaded: {blocked}", offline=True)
            self.log.warn(key, f"cached copy from {entry.meta.fetched_at:%Y-%m-%d} not updated ({blocked})")
            return entry
        try:
            return self.update(remote, dataset, entry)[0]
        except DataError as exc:
            if entry is None:
                if not isinstance(exc, FetchError):
                    raise  # a bad payload: its own message names the URL and line
                raise Unavailable(key, f"the download failed: {exc}", offline=exc.unreachable) from None
            # The cache still holds the last good copy: run on it, and say so.
            self.log.warn(key, f"could not update the cached copy from {entry.meta.fetched_at:%Y-%m-%d}: {exc}")
            return entry


def _check_download(remote: Remote, dataset: str, fetched: Download) -> None:
    """Raise ``DataError`` (naming the URL) if a download fails a quality check; warnings wait for loading."""
    if remote.prices:
        for column in fetched.frame:
            check_prices(fetched.frame[column], dataset, fetched.url, adjusted=fetched.adjusted)
    else:
        single = len(fetched.frame.columns) == 1
        for column in fetched.frame:
            check_series(fetched.frame[column], dataset if single else f"{dataset} [{column}]", fetched.url)
