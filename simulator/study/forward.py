"""Forward returns: from a day's close (or the next close) to ``h`` trading days later."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["Entry", "entry_offset", "forward_returns", "window_past_data"]

Entry = Literal["close", "next_close"]


def entry_offset(entry: Entry) -> int:
    """Trading days from the event's close to the close the forward return starts from."""
    return 0 if entry == "close" else 1


def forward_returns(prices: pd.Series, horizon: int, entry: Entry = "close") -> pd.Series:
    """For each day t: price(t + o + horizon) / price(t + o) - 1, o = 0 (close) or 1 (next close).

    Requires: prices on a trading calendar (NaN where the asset has no price);
    ``horizon`` >= 0. Sets: a float Series on the same index; NaN where either
    close is missing or the window runs past the last day (horizon 0: 0
    where the entry close is known, the start of an average path).
    """
    p = prices.to_numpy(dtype=float)
    n = len(p)
    start = np.arange(n) + entry_offset(entry)
    end = start + horizon
    out = np.full(n, np.nan)
    ok = end < n
    out[ok] = p[end[ok]] / p[start[ok]] - 1.0
    return pd.Series(out, index=prices.index, name=prices.name)


def window_past_data(prices: pd.Series, horizon: int, entry: Entry = "close") -> pd.Series:
    """True on the days whose forward window ends after the asset's last price (listed, not averaged)."""
    known = np.flatnonzero(np.isfinite(prices.to_numpy(dtype=float)))
    n_last = int(known[-1]) if len(known) else -1
    end = np.arange(len(prices)) + entry_offset(entry) + horizon
    return pd.Series(end > n_last, index=prices.index)
