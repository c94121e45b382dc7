"""What every data source provides: raw observations, by ticker or series id.

A source knows nothing of universes, roles or trading calendars; `market/alignment.py`
aligns what sources return. Keeping the contract this small is what lets the
synthetic market, a CSV folder and downloaded data (``sources/auto.py``) stand in for
one another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import pandas as pd


@runtime_checkable
class Source(Protocol):
    """A provider of daily prices and macro series.

    - ``name``: how manifests, titles and messages call it, e.g. ``"csv:/data"``
      or ``"sample (synthetic, seed 7)"``.
    - ``synthetic``: True when the numbers are generated, not history.
    """

    name: str
    synthetic: bool

    def missing(self, tickers: Sequence[str], series: Sequence[str]) -> list[str]:
        """Return the tickers and series ids this source cannot provide, without loading them."""
        ...

    def load_prices(self, tickers: Sequence[str]) -> dict[str, pd.Series]:
        """Return adjusted daily closes per ticker.

        Each Series has a sorted, unique ``DatetimeIndex`` named ``date``,
        float values, and ``name`` set to the ticker. Raises ``DataError``
        naming every ticker that is missing or unreadable (and the file).
        """
        ...

    def load_series(self, ids: Sequence[str]) -> dict[str, pd.Series]:
        """Return raw macro observations per series id, dated by observation date.

        Missing observations are dropped (not NaN). Units are as published
        (percent for rates, 0/1 for flags). Raises ``DataError`` like
        ``load_prices``.
        """
        ...
