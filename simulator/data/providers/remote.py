"""What a download source provides: whole files of history, fetched by name.

A ``Remote`` (Yahoo, FRED, Ken French) downloads one *dataset* at a time:
a ticker's prices, a FRED series, or a Ken French file holding many columns.
``AutoSource`` caches each dataset and serves tickers and series ids from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from .transport import Transport


@dataclass(frozen=True)
class Download:
    """One downloaded dataset.

    - ``frame``: a sorted ``DatetimeIndex`` named ``date`` and float columns, as
      published (prices in the currency, rates and Ken French returns in percent).
    - ``url``: where it came from (for a yfinance download, ``yfinance:<ticker>``).
    - ``adjusted``: False when the prices are plain closes, not adjusted for splits.
    """

    frame: pd.DataFrame
    url: str
    adjusted: bool = True


class Remote(Protocol):
    """A source of downloads.

    - ``name``: the value of ``data.sources`` that picks it, and its cache folder.
    - ``prices``: True when its datasets are prices (checked as prices when fetched).
    - ``incremental``: True when ``download(dataset, start)`` can fetch only what
      follows ``start``; the rest is fetched whole.
    """

    name: str
    prices: bool
    incremental: bool

    def dataset(self, key: str) -> str:
        """The dataset serving a ticker or series id (for Ken French, the file)."""
        ...

    def column(self, key: str) -> str:
        """The dataset column holding ``key``."""
        ...

    def unavailable(self) -> str | None:
        """Why this remote cannot download anything here (a missing package), or None."""
        ...

    def download(self, dataset: str, start: pd.Timestamp | None = None) -> Download:
        """Fetch a dataset (from ``start`` on, if incremental); raise ``FetchError`` or ``DataError``."""
        ...


class HttpRemote:
    """Base of the remotes that fetch whole files over HTTP through a ``Transport`` (FRED, Ken French).

    ``base_url`` replaces the public server (a mirror, or a test server).
    """

    prices = False
    incremental = False

    def __init__(self, transport: Transport, base_url: str | None = None) -> None:
        self.transport = transport
        self.base_url = base_url

    def unavailable(self) -> str | None:
        return None  # the standard library is all they need
