"""Which way each ticker or series id comes: from the local folder, or from which download source.

A key's *route* is its ``data.sources`` entry, else ``data.source``: ``csv``
(the folder only), ``auto`` (the folder if it has the file, else the key's
default download source: Ken French ids ``french``, other price tickers
``yahoo``, other series ids ``fred``), or a download source by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from ..providers.french import is_french
from ..providers.remote import Remote
from .csv_folder import CsvSource

Kind = Literal["price", "series"]


def all_keys(tickers: Sequence[str], series: Sequence[str]) -> list[tuple[str, Kind]]:
    """Every ticker then every series id, each once, with its kind."""
    found: list[tuple[str, Kind]] = [(t, "price") for t in dict.fromkeys(tickers)]
    return found + [(i, "series") for i in dict.fromkeys(series)]


class Router:
    """The routes of a config's keys: ``route(key)`` names a download source, or None for the folder."""

    def __init__(
        self, remotes: Mapping[str, Remote], routes: Mapping[str, str], default_route: str, folder: CsvSource | None
    ) -> None:
        self.remotes = dict(remotes)
        self.routes = dict(routes)
        self.default_route = default_route
        self.folder = folder

    def in_folder(self, key: str, kind: Kind) -> bool:
        """Whether the local folder has a file for ``key`` (nothing is parsed)."""
        if self.folder is None:
            return False
        return not self.folder.missing([key], []) if kind == "price" else not self.folder.missing([], [key])

    def remote(self, key: str, kind: Kind) -> Remote | None:
        """The download source serving ``key``, or None when it comes from the folder (or nowhere)."""
        route = self.routes.get(key, self.default_route)
        if route == "csv" or (route == "auto" and self.in_folder(key, kind)):
            return None
        if route in self.remotes:
            return self.remotes[route]
        default = "french" if is_french(key) else ("yahoo" if kind == "price" else "fred")
        return self.remotes[default]

    def datasets(self, tickers: Sequence[str], series: Sequence[str]) -> list[tuple[str, str, tuple[str, ...]]]:
        """``(route, dataset, keys)`` per dataset the keys need, in order; route ``folder`` for local files."""
        groups: dict[tuple[str, str], list[str]] = {}
        for key, kind in all_keys(tickers, series):
            remote = self.remote(key, kind)
            group = ("folder", key) if remote is None else (remote.name, remote.dataset(key))
            groups.setdefault(group, []).append(key)
        return [(route, dataset, tuple(members)) for (route, dataset), members in groups.items()]
