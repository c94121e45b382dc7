"""When to trade: the execution lag and the rebalance policy, as a boolean mask.

Orders go in only on rebalance bars, so holdings drift freely in between and
a strategy whose targets do not change does not churn.
"""

from __future__ import annotations

from typing import Literal, cast

import numpy as np
import pandas as pd

from ..contract.signals import period_starts

TOL = 1e-12


def lagged_targets(weights: pd.DataFrame, lag: int) -> pd.DataFrame:
    """Targets decided at the close of t become executable at the close of t+lag."""
    return weights.shift(lag)


def rebalance_mask(
    targets: pd.DataFrame,
    prices: pd.DataFrame,
    policy: str = "on_change",
    drift_threshold: float = 0.05,
    lag: int = 1,
) -> np.ndarray:
    """Bars on which to trade to ``targets`` (rows with any NaN never trade).

    - ``on_change``: the first executable bar and every bar whose targets differ
      from the previous bar's.
    - ``monthly`` / ``quarterly``: those, plus the first bar of each period.
    - ``drift``: those, plus a trade ``lag`` bars after each close at which a
      held weight (cash included) has drifted more than ``drift_threshold``
      from its target since the last trade: a drift seen at a close is a
      decision like any other. Held weights follow prices exactly (ignoring
      costs), so this is decided before the simulation without looking ahead.
    """
    t = targets.to_numpy(dtype=float)
    valid = ~np.isnan(t).any(axis=1)
    prev = np.vstack([np.full((1, t.shape[1]), np.nan), t[:-1]])
    changed = ~(np.abs(t - prev) <= TOL).all(axis=1)  # NaN previous row counts as changed
    mask = valid & changed
    if policy in ("monthly", "quarterly"):
        freq: Literal["M", "Q"] = "M" if policy == "monthly" else "Q"
        mask |= valid & period_starts(cast(pd.DatetimeIndex, targets.index), freq).to_numpy()
    elif policy == "drift":
        mask = _add_drift(mask, t, prices.to_numpy(dtype=float), drift_threshold, lag)
    elif policy != "on_change":
        raise ValueError(f"unknown rebalance policy '{policy}'")
    return cast(np.ndarray, mask)


def _add_drift(mask: np.ndarray, t: np.ndarray, p: np.ndarray, threshold: float, lag: int) -> np.ndarray:
    # One pass per rebalance, each vectorised over the bars up to the next
    # scheduled trade: the loop runs over trades, not bars.
    out = mask.copy()
    scheduled = np.flatnonzero(mask)
    n = len(mask)
    i = int(scheduled[0]) if len(scheduled) else n
    while i < n:
        later = scheduled[scheduled > i]
        stop = int(later[0]) if len(later) else n
        w = t[i]
        cash = 1.0 - w.sum()
        growth = p[i + 1 : stop] / p[i]
        values = w * growth
        total = values.sum(axis=1) + cash
        held = values / total[:, None]
        dev = np.abs(held - w).max(axis=1, initial=0.0)
        dev = np.maximum(dev, np.abs(cash / total - cash))
        hits = np.flatnonzero(dev > threshold)
        trade = i + 1 + int(hits[0]) + lag if len(hits) else n  # seen at a close, traded lag bars on
        if trade < stop:
            out[trade] = True
            i = trade
        else:
            i = stop  # a scheduled trade comes first and resets the drift
    return out
