"""When a cached dataset is due for an update, and whether a download may be tried now.

A cached copy is used as it is unless ``refresh`` is set or it is older than
``max_age_days``; a dataset updated by this session is never due again. No
download is tried when downloads are off (``offline``), when the download
source cannot work here (yfinance not installed), or when its host was found
unreachable earlier in the session.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..providers.cache import Entry
from ..providers.remote import Remote


class Freshness:
    """The update policy of one session, and what it has learnt: datasets updated, hosts unreachable."""

    def __init__(
        self, *, offline: bool, refresh: bool, max_age_days: float | None, now: Callable[[], datetime]
    ) -> None:
        self.offline = offline
        self.refresh = refresh
        self.max_age_days = max_age_days
        self._now = now
        self._updated: set[tuple[str, str]] = set()  # (remote, dataset) downloaded this session
        self._unreachable: dict[str, str] = {}  # remote -> why; no more tries this session

    def due(self, remote: Remote, entry: Entry) -> bool:
        """Whether the cached ``entry`` should be updated before use."""
        if (remote.name, entry.meta.dataset) in self._updated:
            return False
        if self.refresh:
            return True
        return self.max_age_days is not None and entry.meta.age_days(self._now()) > self.max_age_days

    def blocked(self, remote: Remote) -> str | None:
        """Why nothing can be downloaded from ``remote`` now, or None."""
        if self.offline:
            return "downloads are off (--offline or ROTSIM_OFFLINE)"
        return remote.unavailable() or self._unreachable.get(remote.name)

    def updated(self, remote: Remote, dataset: str) -> None:
        """Record that ``dataset`` was downloaded and cached by this session."""
        self._updated.add((remote.name, dataset))

    def unreachable(self, remote: Remote, why: str) -> None:
        """Record that ``remote``'s host cannot be reached, so its other datasets fail at once."""
        self._unreachable[remote.name] = why
