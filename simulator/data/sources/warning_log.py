"""Data warnings collected once each, in the order first seen.

A source reads the same file or cached dataset for several keys, and again on
a later call; its findings are reported once, not once per read.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..checks import DataWarning


class WarningLog:
    """The warnings a source has found so far, without repeats (``items``, in the order first seen)."""

    def __init__(self) -> None:
        self.items: list[DataWarning] = []
        self._seen: set[DataWarning] = set()

    def add(self, warnings: Iterable[DataWarning]) -> None:
        """Append each warning not seen before."""
        for w in warnings:
            if w not in self._seen:
                self._seen.add(w)
                self.items.append(w)

    def warn(self, key: str, message: str) -> None:
        """Add one warning about ``key``."""
        self.add([DataWarning(key, message)])
