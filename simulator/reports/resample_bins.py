"""pandas' ``resample(freq).prod()`` / ``.sum()`` / ``.last()``, its periods found once per dates and period.

To resample, pandas generates every period end between the first and the
last date (a Python step per week or month: most of a resample's time), and a
tearsheet resamples the same dates by the same few periods a dozen times
(returns and benchmark, by week, month, quarter and year, in several charts
and the metrics table). Here each (dates, period) pair is resampled by pandas
once, for how many rows fall in each period; every later call groups by
those periods with the same aggregation pandas' resample runs on them
(``groupby().aggregate(how, ...)``, its cython kernels), so the result is
pandas' own to the bit, empty periods, NaN, labels and dtype included.
"""

from __future__ import annotations

from typing import Any, TypeGuard, overload

import numpy as np
import pandas as pd

__all__ = ["resampled"]

# what pandas' resample gives a period without rows (min_count=0): an empty product, an empty sum, no last value
_EMPTY = {"prod": 1.0, "sum": 0.0, "last": np.nan}
_KWARGS: dict[str, dict[str, Any]] = {  # the arguments pandas' Resampler passes its groupby for each
    "prod": {"numeric_only": False, "min_count": 0},
    "sum": {"numeric_only": False, "min_count": 0},
    "last": {"numeric_only": False, "min_count": 0, "skipna": True},
}
_KEPT = 16  # (dates, period) pairs remembered: a tearsheet uses about ten; a worker writes tearsheets of one run
_periods: list[tuple[str, pd.DatetimeIndex, pd.DatetimeIndex, np.ndarray]] = []  # the latest last


@overload
def resampled(data: pd.Series, freq: str, how: str) -> pd.Series: ...
@overload
def resampled(data: pd.DataFrame, freq: str, how: str) -> pd.DataFrame: ...
@overload
def resampled(data: pd.Series | pd.DataFrame, freq: str, how: str) -> pd.Series | pd.DataFrame: ...


def resampled(data: pd.Series | pd.DataFrame, freq: str, how: str) -> pd.Series | pd.DataFrame:
    """``getattr(data.resample(freq), how)()``, for ``how`` "prod", "sum" or "last", the same to the bit.

    Anything but float64 data on increasing dates without NaT is resampled by
    pandas directly.
    """
    if how not in _EMPTY:
        raise ValueError(f"resampled: {how!r} is not one of {sorted(_EMPTY)}")
    index = data.index
    if not (_float_data(data) and _sorted_dates(index)):
        return getattr(data.resample(freq), how)()  # type: ignore[no-any-return]
    labels, codes = _bins(index, freq)
    result = data.groupby(codes).aggregate(how, **_KWARGS[how])
    # groupby leaves out the periods without rows: pandas' resample gives them its empty value
    result = result.reindex(pd.RangeIndex(len(labels)), fill_value=_EMPTY[how])
    result.index = labels.rename(index.name)
    return result


def _float_data(data: Any) -> bool:
    """Float64 data, where an empty period's value (1.0, 0.0, NaN) keeps the dtype pandas gives it."""
    if isinstance(data, pd.Series):
        return data.dtype == np.float64
    if isinstance(data, pd.DataFrame):
        return len(data.columns) > 0 and all(t == np.float64 for t in data.dtypes)
    return False


def _sorted_dates(index: pd.Index) -> TypeGuard[pd.DatetimeIndex]:
    """Dates, at least one, increasing, without NaT."""
    return (
        isinstance(index, pd.DatetimeIndex) and len(index) > 0 and not index.hasnans and index.is_monotonic_increasing
    )


def _bins(index: pd.DatetimeIndex, freq: str) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The labels of ``index``'s periods of ``freq`` (as pandas' resample labels them) and each row's period."""
    for i, (was_freq, dates, labels, codes) in enumerate(_periods):
        # equals compares the dates and their dtype (unit, time zone); the index's own freq is compared too
        if was_freq == freq and len(dates) == len(index) and dates.equals(index) and dates.freq == index.freq:
            _periods.append(_periods.pop(i))
            return labels, codes
    # pandas' own periods, resampled once: rows are in date order, so a period's rows are consecutive
    counts = pd.Series(np.zeros(len(index)), index=index.rename(None)).resample(freq).size()
    labels = pd.DatetimeIndex(counts.index)
    sizes = counts.to_numpy(dtype=np.int64)
    if int(sizes.sum()) != len(index):
        raise RuntimeError(f"resampled: pandas put {int(sizes.sum())} of {len(index)} rows in periods of {freq}")
    codes = np.repeat(np.arange(len(labels)), sizes)
    _periods.append((freq, index, labels, codes))
    del _periods[:-_KEPT]
    return labels, codes
