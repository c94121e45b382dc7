"""What the tests of the quads recompute from a FRED file in ../shared/data, with plain pandas.

Independent of rotsim's data layer: the tests compare the strategy's quads with these.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["published_yoy_change"]


def published_yoy_change(folder: Path, series: str, lag_days: int, months: int = 3) -> pd.Series:
    """The change over ``months`` of a monthly series' year-on-year rate, indexed by the day each month's value is out.

    A month's value is out ``lag_days`` after the month ends; both rates are matched by observation date.
    """
    frame = pd.read_csv(folder / f"fred_{series}.csv", index_col=0, parse_dates=True)
    level = frame.iloc[:, 0].dropna()
    yoy = level / level.reindex(level.index - pd.DateOffset(years=1)).to_numpy() - 1
    change = yoy - yoy.reindex(yoy.index - pd.DateOffset(months=months)).to_numpy()
    published = change.index + pd.offsets.MonthEnd(0) + pd.Timedelta(days=lag_days)
    return pd.Series(change.to_numpy(), index=published).dropna()
