"""Quality checks for daily prices and macro series, run as data is loaded.

Findings come in two strengths:

- **errors** (``DataError``): data that cannot be right and would silently
  corrupt a backtest: duplicate or unsorted dates, infinite values, and
  non-positive prices. Nothing downstream can repair these, so they stop the run.
- **warnings** (``DataWarning``): things that are often real (market closures,
  halted trading, genuine crashes) but are also how bad data shows itself:
  long calendar gaps, runs of NaN, stale values and split-like jumps. They are
  returned, not printed, so the caller decides how to show them.

Every message names the series and the dates involved, so a user can open the
file and look. The defaults are tuned on the real files in ``shared/data``: each
ETF that traded in 2001 gives exactly one warning (no trading 2001-09-11..16),
everything else gives none, except ^GSPC, which also has the 1933 bank holiday.
No FRED or Ken French series there repeats a value for longer than the stale
limit while otherwise moving daily (the longest: DTB3, 17 days in 2014), and no
daily move in any price file is within 3% of a split ratio (the closest is the
1987 crash, -20.5%, 19% away from a 5-for-4 split, which is not looked for).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.errors import DataError

# One gap, NaN run or jump is worth a line each; hundreds of them are one
# problem (wrong frequency, wrong file), so say so once instead of flooding.
_MAX_WARNINGS_PER_KIND = 10
# How many dates an error message lists before it says "and N more".
_MAX_DATES_IN_ERROR = 5
# Price ratios (new / old) a split or reverse split leaves in unadjusted prices:
# 2-for-1 halves the price, 3-for-2 takes a third off, 1-for-10 multiplies it by 10.
# 5-for-4 (0.8) is left out: a -20% crash day (1987-10-19) looks just like it.
_SPLITS = ((2, 1), (3, 1), (3, 2), (4, 1), (5, 1), (10, 1), (20, 1))  # (new shares, old shares)
# A series "usually moves" when it changes on at least this share of observations
# (yields, bill rates, returns: 0.70-0.99); policy rates and flags (0.00-0.46) sit still for years.
_MOVING_SHARE = 0.6


@dataclass(frozen=True)
class DataWarning:
    """A suspicious but possibly genuine feature of one series.

    ``series`` is the ticker or series id; ``message`` says what was found and
    on which dates.
    """

    series: str
    message: str

    def __str__(self) -> str:
        return f"{self.series}: {self.message}"


def check_prices(
    s: pd.Series,
    name: str,
    where: str,
    *,
    max_gap_days: int | None = 7,
    max_nan_run: int | None = 5,
    max_stale_run: int | None = 5,
    max_abs_return: float | None = 0.40,
    adjusted: bool = True,
    split_tolerance: float = 0.03,
) -> list[DataWarning]:
    """Check a daily price series; raise on errors, return warnings.

    Raises ``DataError`` (with ``where``) for duplicate or unsorted dates,
    infinite values, prices <= 0 and rows without a single price. Warns for:

    - consecutive observations ``max_gap_days`` or more calendar days apart
      (Monday to the next Monday is 7: a whole trading week is missing);
    - more than ``max_nan_run`` NaN in a row;
    - the same price on more than ``max_stale_run`` consecutive observations;
    - a move of more than ``max_abs_return`` (0.40 = 40%) between consecutive
      valid prices, which is what an unadjusted split looks like;
    - with ``adjusted=False`` (the prices are plain closes, not adjusted for
      splits), a move whose ratio is within ``split_tolerance`` (3%) of a split
      ratio: 1/2, 1/3, 2/3, 1/4, 1/5, 1/10, 1/20 or, for a reverse split, their
      inverses. This also finds 3-for-2 splits (-33%), which stay under 40%.

    Pass ``None`` for a threshold to skip that check.
    """
    _check_index(s, name, where)
    _check_finite(s, name, where)
    _check_positive(s, name, where)
    if len(s) and not s.notna().any():  # rows, but not one price in them
        raise DataError(f"{name}: no prices: the price is empty on all {len(s)} row(s)", where)
    warnings: list[DataWarning] = []
    if max_gap_days is not None:
        warnings += _gap_warnings(s.index, name, max_gap_days)
    if max_nan_run is not None:
        warnings += _nan_run_warnings(s, name, max_nan_run)
    if max_stale_run is not None:
        warnings += _stale_warnings(s, name, max_stale_run)
    splits = {} if adjusted else _split_like(s, split_tolerance)
    if max_abs_return is not None:
        warnings += _jump_warnings(s, name, max_abs_return, skip=set(splits))
    if splits:
        warnings += _capped(name, "split-like jumps", [splits[d] for d in sorted(splits)])
    return warnings


def check_series(
    s: pd.Series,
    name: str,
    where: str,
    *,
    max_gap_days: int | None = 7,
    max_nan_run: int | None = 5,
    max_stale_run: int | None = 20,
) -> list[DataWarning]:
    """Check a macro series (rates, flags, factor returns); raise on errors, return warnings.

    Raises ``DataError`` for duplicate or unsorted dates and infinite values.
    Zero and negative values are fine here (rates, 0/1 flags, returns), and so
    are long flat stretches in a series that rarely changes (a policy rate can
    sit still for years). A series that usually moves (changes on at least 60%
    of its observations, like yields and returns) warns when one value repeats
    on more than ``max_stale_run`` consecutive observations: a feed that
    stopped updating.

    Gaps depend on the series' own frequency: a daily series (typical spacing
    of at most 4 days) warns like ``check_prices`` at ``max_gap_days``; a
    weekly, monthly or quarterly one warns when two observations are more
    than 1.5 times the typical spacing apart, i.e. at least one period is
    missing. Warns for more than ``max_nan_run`` NaN in a row.
    """
    _check_index(s, name, where)
    _check_finite(s, name, where)
    warnings: list[DataWarning] = []
    if max_gap_days is not None:
        warnings += _series_gap_warnings(s.index, name, max_gap_days)
    if max_nan_run is not None:
        warnings += _nan_run_warnings(s, name, max_nan_run)
    if max_stale_run is not None and _usually_moves(s):
        warnings += _stale_warnings(s, name, max_stale_run, noun="value")
    return warnings


# --- errors ----------------------------------------------------------------


def _check_index(s: pd.Series, name: str, where: str) -> None:
    if not isinstance(s.index, pd.DatetimeIndex):
        raise DataError(f"{name}: index is not dates (got {type(s.index).__name__})", where)
    if s.index.hasnans:
        bad = np.flatnonzero(s.index.isna())
        raise DataError(f"{name}: {len(bad)} row(s) without a date (positions {bad[:5].tolist()})", where)
    duplicated = s.index[s.index.duplicated()].unique()
    if len(duplicated):
        raise DataError(f"{name}: duplicate dates {_list_dates(duplicated)}", where)
    if not s.index.is_monotonic_increasing:
        # Name the first place order breaks: that is where to look in the file.
        i = int(np.flatnonzero(np.diff(s.index.asi8) < 0)[0])
        raise DataError(
            f"{name}: dates not in increasing order: {_day(s.index[i + 1])} comes after {_day(s.index[i])}",
            where,
        )


def _check_finite(s: pd.Series, name: str, where: str) -> None:
    values = s.to_numpy(dtype=float, na_value=np.nan)
    bad = np.isinf(values)
    if bad.any():
        raise DataError(f"{name}: infinite values on {_list_dates(s.index[bad])}", where)


def _check_positive(s: pd.Series, name: str, where: str) -> None:
    values = s.to_numpy(dtype=float, na_value=np.nan)
    bad = values <= 0  # NaN compares False, so missing prices are not flagged here
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"{name}: non-positive prices on {_list_dates(s.index[bad])} "
            f"(first: {values[first]:g} on {_day(s.index[first])})",
            where,
        )


# --- warnings --------------------------------------------------------------


def _gap_warnings(index: pd.DatetimeIndex, name: str, max_gap_days: int) -> list[DataWarning]:
    days = _spacing_days(index)
    found = [
        f"no data for {int(days[i])} days, {_day(index[i])} to {_day(index[i + 1])}"
        for i in np.flatnonzero(days >= max_gap_days)
    ]
    return _capped(name, "gaps", found)


def _series_gap_warnings(index: pd.DatetimeIndex, name: str, max_gap_days: int) -> list[DataWarning]:
    days = _spacing_days(index)
    if len(days) == 0:
        return []
    typical = float(np.median(days))
    if typical <= 4:
        return _gap_warnings(index, name, max_gap_days)
    found = [
        f"no data for {int(days[i])} days, {_day(index[i])} to {_day(index[i + 1])} "
        f"(usually {typical:g} days apart)"
        for i in np.flatnonzero(days > 1.5 * typical)
    ]
    return _capped(name, "gaps", found)


def _nan_run_warnings(s: pd.Series, name: str, max_nan_run: int) -> list[DataWarning]:
    isnan = s.isna().to_numpy()
    found = [
        f"{stop - start} missing values in a row, {_day(s.index[start])} to {_day(s.index[stop - 1])}"
        for start, stop in _runs(isnan)
        if stop - start > max_nan_run
    ]
    return _capped(name, "NaN runs", found)


def _usually_moves(s: pd.Series) -> bool:
    values = s.dropna().to_numpy(dtype=float)
    return len(values) > 1 and float(np.mean(values[1:] != values[:-1])) >= _MOVING_SHARE


def _stale_warnings(s: pd.Series, name: str, max_stale_run: int, noun: str = "price") -> list[DataWarning]:
    values = s.to_numpy(dtype=float, na_value=np.nan)
    # same[i]: observation i repeats observation i-1; a run of k repeats spans k+1 observations.
    same = np.zeros(len(values), dtype=bool)
    same[1:] = values[1:] == values[:-1]
    found = []
    for start, stop in _runs(same):
        first = start - 1
        count = stop - first
        if count > max_stale_run:
            found.append(
                f"{noun} stuck at {values[first]:g} for {count} observations, "
                f"{_day(s.index[first])} to {_day(s.index[stop - 1])}"
            )
    return _capped(name, "stale runs", found)


def _jump_warnings(s: pd.Series, name: str, max_abs_return: float, skip: set[pd.Timestamp]) -> list[DataWarning]:
    # Compare valid neighbours so that a jump hidden behind a NaN is still seen.
    valid = s.dropna()
    values = valid.to_numpy(dtype=float)
    if len(values) < 2:
        return []
    returns = values[1:] / values[:-1] - 1
    found = [
        f"{_day(valid.index[i + 1])}: price moved {returns[i]:+.1%} "
        f"({values[i]:g} on {_day(valid.index[i])} -> {values[i + 1]:g}); unadjusted split or bad price?"
        for i in np.flatnonzero(np.abs(returns) > max_abs_return)
        if valid.index[i + 1] not in skip  # already reported as split-like
    ]
    return _capped(name, "jumps", found)


def _split_like(s: pd.Series, tolerance: float) -> dict[pd.Timestamp, str]:
    """Days whose move matches a split or reverse split, with a message each."""
    valid = s.dropna()
    values = valid.to_numpy(dtype=float)
    if len(values) < 2:
        return {}
    log_ratio = np.log(values[1:] / values[:-1])
    found: dict[pd.Timestamp, str] = {}
    for new, old in _SPLITS:
        for a, b in ((new, old), (old, new)):
            # After an a-for-b split one share is worth b/a of a share before it.
            for i in np.flatnonzero(np.abs(log_ratio - np.log(b / a)) <= tolerance):
                kind = "split" if a > b else "reverse split"
                found[valid.index[i + 1]] = (
                    f"{_day(valid.index[i + 1])}: price moved {values[i + 1] / values[i] - 1:+.1%} "
                    f"({values[i]:g} on {_day(valid.index[i])} -> {values[i + 1]:g}), like a {a}-for-{b} {kind}; "
                    "these are plain closes, not adjusted for splits: use adjusted closes"
                )
    return found


# --- helpers ---------------------------------------------------------------


def _spacing_days(index: pd.DatetimeIndex) -> np.ndarray:
    """Calendar days between consecutive dates (whatever the index's time unit)."""
    if len(index) < 2:
        return np.array([], dtype=float)
    return np.diff(index.normalize().values).astype("timedelta64[D]").astype(float)


def _runs(mask: np.ndarray) -> Iterator[tuple[int, int]]:
    """Yield ``(start, stop)`` of each run of True, ``stop`` exclusive."""
    if not mask.any():
        return
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)
    yield from zip(starts.tolist(), stops.tolist())


def _capped(name: str, kind: str, messages: list[str]) -> list[DataWarning]:
    warnings = [DataWarning(name, m) for m in messages[:_MAX_WARNINGS_PER_KIND]]
    extra = len(messages) - _MAX_WARNINGS_PER_KIND
    if extra > 0:
        warnings.append(DataWarning(name, f"... and {extra} more {kind} not listed"))
    return warnings


def _list_dates(dates: pd.Index) -> str:
    shown = ", ".join(_day(d) for d in dates[:_MAX_DATES_IN_ERROR])
    extra = len(dates) - _MAX_DATES_IN_ERROR
    return f"{shown} and {extra} more" if extra > 0 else shown


def _day(ts: pd.Timestamp) -> str:
    # Daily data: the time of day is noise in a message.
    return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else str(ts)
