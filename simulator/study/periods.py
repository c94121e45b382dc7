"""Period studies: calendar years (or months) grouped by a label, each asset's return per group against all.

"Financials average 11.7% in election years" is a mean of calendar-year
returns over the years with one label. A period's return runs from the last
close of the period before to its own last close; the first period of an
asset's data (no close before it) and a last period the data do not reach
the end of are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from .stats import hac_dummy_test, holm

__all__ = ["CYCLE_NAMES", "Frequency", "cycle_labels", "period_returns", "period_study", "signal_labels"]

Frequency = Literal["year", "month"]

# The presidential cycle: years after the election year, the election year last (year % 4 == 0).
CYCLE_NAMES = {1: "1 first year", 2: "2 midterm", 3: "3 pre-election", 0: "4 election year"}
_FREQ = {"year": "Y", "month": "M"}
_SLACK_DAYS = 4  # a period ending on a holiday or weekend still ends within this many days of its last weekday


def period_returns(prices: pd.Series, freq: Frequency) -> pd.Series:
    """Each complete period's return, close to close, indexed by ``pd.Period``.

    Requires: prices on trading days (NaN where unknown). Sets: a float
    Series; the first period with a price is left out (nothing before it to
    start from), and so is the last when the data stop more than a few days
    before its last weekday.
    """
    p = prices.dropna()
    if p.empty:
        return pd.Series(dtype=float)
    periods = pd.DatetimeIndex(p.index).to_period(_FREQ[freq])
    last_close = p.groupby(periods).last()
    out = (last_close / last_close.shift(1) - 1.0).iloc[1:]
    if len(out):
        last_period = out.index[-1]
        weekday_end = pd.Timestamp(last_period.end_time.date())
        while weekday_end.weekday() >= 5:
            weekday_end -= pd.Timedelta(days=1)
        if p.index[-1] < weekday_end - pd.Timedelta(days=_SLACK_DAYS):
            out = out.iloc[:-1]
    return out


def cycle_labels(periods: pd.PeriodIndex) -> pd.Series:
    """The presidential-cycle label of each period's year (known in advance: never look-ahead)."""
    return pd.Series([CYCLE_NAMES[p.year % 4] for p in periods], index=periods)


def signal_labels(signal: pd.Series, periods: pd.PeriodIndex) -> pd.Series:
    """'on' or 'off': the signal at the last close before each period starts (what was known then)."""
    s = signal.fillna(False).astype(bool)
    out = []
    for period in periods:
        before = s.loc[: period.start_time - pd.Timedelta(days=1)]
        out.append(("on" if bool(before.iloc[-1]) else "off") if len(before) else None)
    return pd.Series(out, index=periods, dtype=object)


def period_study(returns: Mapping[str, pd.Series], labels: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Per asset and label group: n, mean, median, hit rate, the mean of all periods, the difference and its test.

    Requires: period returns by asset (``period_returns``) and, by asset, a
    label per period (None: not labelled, left out). Sets: one row per asset
    x group, sorted by group; ``t_stat`` and ``p_raw`` from OLS of the
    period return on the group's dummy (HAC, no lags: periods do not overlap),
    ``p_value`` Holm-adjusted across each asset's groups.
    """
    rows = []
    for asset, r in returns.items():
        lab = labels[asset].reindex(r.index)
        keep = lab.notna().to_numpy()
        y, lab = r.to_numpy(dtype=float)[keep], lab[keep]
        for group in sorted(set(lab)):
            in_group = (lab == group).to_numpy()
            t, p = hac_dummy_test(y, in_group, 0)
            g = y[in_group]
            rows.append({
                "asset": asset, "group": group, "n": int(len(g)), "mean": float(g.mean()),
                "median": float(np.median(g)), "hit_rate": float((g > 0).mean()),
                "all_n": int(len(y)), "all_mean": float(y.mean()), "difference": float(g.mean() - y.mean()),
                "t_stat": t, "p_raw": p,
                "first": str(r.index[keep][0]), "last": str(r.index[keep][-1]),
            })  # fmt: skip
    table = pd.DataFrame(rows)
    if not table.empty:
        table["p_value"] = np.nan
        for _, group in table.groupby("asset", sort=False):
            table.loc[group.index, "p_value"] = holm(group["p_raw"].to_numpy(dtype=float))
    return table
