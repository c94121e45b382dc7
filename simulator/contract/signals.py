"""Signal helpers: the building blocks of rotsim's built-in strategies, for any strategy.

Each helper takes and returns pandas objects on a strategy's trading days and
looks only backwards (a value on day t depends on days up to t), so a
strategy built of them passes the no-look-ahead check. Like bt's Algos, each
one's docstring says what it requires, what it sets and its exact rule,
edges included.

- thresholds, compared at ``DECIMALS`` places: ``above``, ``at_or_above``,
  ``below``, ``at_or_below``, ``crosses``
- events and states: ``hold_after``, ``confirmed``, ``turns_on``,
  ``first_after_quiet``
- calendar: ``period_starts``
- weights: ``tilt``, ``with_events``
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "DECIMALS",
    "above",
    "at_or_above",
    "at_or_below",
    "below",
    "confirmed",
    "crosses",
    "decimal",
    "first_after_quiet",
    "hold_after",
    "period_starts",
    "tilt",
    "turns_on",
    "with_events",
]

# A rule compares a computed return or spread with a threshold written in decimal. Floating point
# puts a value equal to it in decimal a few ulps to either side (103.5 / 100 - 1 is
# 0.03499999999999992, 2.35 - 2.25 is 0.10000000000000009), so the rule would fire or not by
# accident of representation; rounded to this many places first, equal in decimal compares equal.
DECIMALS = 12


def decimal(x: pd.Series) -> pd.Series:
    """``x`` rounded to ``DECIMALS`` (12) places, to compare with a threshold written in decimal.

    Requires: a numeric Series. Sets: a float Series on the same index; NaN
    stays NaN.
    """
    return x.round(DECIMALS)


def above(x: pd.Series, threshold: float) -> pd.Series:
    """True where ``x`` is strictly above ``threshold``, compared at 12 decimals.

    Requires: a numeric Series (NaN where unknown). Sets: a boolean Series
    on the same index: ``decimal(x) > threshold``; False where ``x`` is NaN.
    """
    return decimal(x) > threshold


def at_or_above(x: pd.Series, threshold: float) -> pd.Series:
    """True where ``x`` is at or above ``threshold``, compared at 12 decimals (equal in decimal counts).

    Requires: a numeric Series (NaN where unknown). Sets: a boolean Series
    on the same index: ``decimal(x) >= threshold``; False where ``x`` is NaN
    (so 100 -> 103.5, a gain of 0.03499999999999992 in floats, is at or above 0.035).
    """
    return decimal(x) >= threshold


def below(x: pd.Series, threshold: float) -> pd.Series:
    """True where ``x`` is strictly below ``threshold``, compared at 12 decimals.

    Requires: a numeric Series (NaN where unknown). Sets: a boolean Series
    on the same index: ``decimal(x) < threshold``; False where ``x`` is NaN.
    """
    return decimal(x) < threshold


def at_or_below(x: pd.Series, threshold: float) -> pd.Series:
    """True where ``x`` is at or below ``threshold``, compared at 12 decimals (equal in decimal counts).

    Requires: a numeric Series (NaN where unknown). Sets: a boolean Series
    on the same index: ``decimal(x) <= threshold``; False where ``x`` is NaN,
    so ``above`` and ``at_or_below`` are both False on a day ``x`` is unknown.
    """
    return decimal(x) <= threshold


def crosses(x: pd.Series, threshold: float, direction: Literal["above", "below"] = "above") -> pd.Series:
    """True on each day ``x`` crosses ``threshold``: from at or below to above (or from at or above to below).

    Requires: a numeric Series (NaN where unknown). Sets: a boolean Series
    on the same index. ``direction='above'``: True on day t when
    ``above(x, threshold)`` at t and ``at_or_below(x, threshold)`` at t-1;
    ``'below'``: ``below`` at t and ``at_or_above`` at t-1. Both values must
    be known: the first day of data, and a day after a NaN, is never a cross.
    Touching the threshold is not crossing it: 1.0 -> 2.0 -> 3.0 crosses 2.0
    above on the third day.
    """
    if direction == "above":
        now, before = above(x, threshold), at_or_below(x, threshold)
    elif direction == "below":
        now, before = below(x, threshold), at_or_above(x, threshold)
    else:
        raise ValueError(f"direction must be 'above' or 'below', not {direction!r}")
    return now & before.shift(1, fill_value=False)


def turns_on(state: pd.Series) -> pd.Series:
    """True on each day a boolean state is on after a day it was off.

    Requires: a boolean Series. Sets: a boolean Series on the same index;
    the first day is never a turn (there is no day before it to compare
    with), so a state already on when the data starts does not count.
    """
    return state & ~state.shift(1, fill_value=True)


def hold_after(events: pd.Series, hold: int) -> pd.Series:
    """True on each event day and the ``hold - 1`` trading days after it.

    Requires: a boolean Series (NaN counts as no event); ``hold`` >= 1.
    Sets: a boolean Series on the same index. ``hold=1`` is the event days
    alone. An event while on restarts the count, so re-triggers extend the
    holding period: events on days 0 and 2 with ``hold=3`` hold days 0 to 4.
    """
    fired = events.fillna(False).astype(float)
    return fired.rolling(hold, min_periods=1).max().gt(0)


def confirmed(on: pd.Series, off: pd.Series, days: int) -> pd.Series:
    """A switch that turns on after ``days`` ``on`` days in a row and off after ``days`` ``off`` days in a row.

    Requires: boolean Series on the same index; ``days`` >= 1. Sets: a
    boolean Series on the same index, True from the close of the ``days``-th
    ``on`` day in a row to the close before the ``days``-th ``off`` day in a
    row. It is off until the first switch on (the first ``days - 1`` days can
    never be on) and keeps its last state on days that complete neither run;
    a day that completes both runs turns it off. ``days=1`` follows ``on``
    and ``off`` day by day. A NaN in either Series breaks that Series' run.
    """
    run_on = on.astype(float).rolling(days).sum().eq(days)
    run_off = off.astype(float).rolling(days).sum().eq(days)
    state = pd.Series(np.nan, index=on.index).mask(run_on, 1.0).mask(run_off, 0.0)
    return state.ffill().fillna(0.0).gt(0)


def first_after_quiet(events: pd.Series, span_days: int) -> pd.Series:
    """True on each event at least ``span_days`` calendar days after the previous one, in data seen that long.

    Requires: a boolean Series on trading days, NaN on the days its source
    was not known yet (e.g. ``target.diff() < 0`` of a rate before it is
    published); ``span_days`` >= 1. Sets: a boolean Series on the same index,
    True on an event day t when both
    - no earlier event fell within the ``span_days`` calendar days before t
      (the previous one is ``span_days`` or more days back, or there is none),
    - and the source has been known for ``span_days`` or more: t minus the
      first day ``events`` is not NaN is at least ``span_days``; an earlier
      event could hide in the days before the data starts.
    Exactly ``span_days`` apart counts. Days are calendar days (timestamps
    subtracted), not trading days. All False if ``events`` is never known.
    """
    known = events.dropna()
    out = pd.Series(False, index=events.index)
    if known.empty:
        return out
    fired = pd.DatetimeIndex(known.index[known.astype(bool).to_numpy()])
    span = pd.Timedelta(days=span_days)
    since_previous = fired.to_series().diff()  # NaT for the first event seen
    since_data = fired - known.index[0]
    first = (since_previous.isna() | (since_previous >= span)).to_numpy() & (since_data >= span)
    out[fired[first]] = True
    return out


def period_starts(index: pd.DatetimeIndex, freq: Literal["M", "Q"]) -> pd.Series:
    """True on the first trading day of each month (``'M'``) or quarter (``'Q'``) in ``index``.

    Requires: a sorted DatetimeIndex of trading days. Sets: a boolean
    Series on ``index``, True where the day's period differs from the
    previous day's, and on the first day of data (whatever its date). It
    compares with the past only, so it is known on the day itself.
    """
    periods = index.to_period(freq)
    starts = np.r_[True, periods[1:] != periods[:-1]] if len(index) else np.zeros(0, dtype=bool)
    return pd.Series(starts, index=index)


def tilt(signal: pd.Series, on_weight: float, off_weight: float, tilted: str, rest: str) -> pd.DataFrame:
    """Weights of two roles: ``tilted`` gets ``on_weight`` on signal days, ``off_weight`` otherwise; ``rest`` the rest.

    Requires: ``signal`` a boolean Series on the strategy's dates (NaN is
    not allowed: say what an unknown day is first); weights within 0..1.
    Sets: a DataFrame on ``signal``'s index with columns ``tilted`` and
    ``rest`` summing to 1 every day, and ``weights.attrs["signal"] = signal``
    (reports shade the days it is on).
    """
    w = np.where(signal.to_numpy(dtype=bool), on_weight, off_weight)
    weights = pd.DataFrame({tilted: w, rest: 1.0 - w}, index=signal.index)
    weights.attrs["signal"] = signal.astype(bool)
    return weights


def with_events(weights: pd.DataFrame, events: pd.Series) -> pd.DataFrame:
    """``weights`` with its trigger days declared: ``weights.attrs["events"] = events``, as booleans.

    Requires: ``events`` a boolean Series on the weights' dates, True on each
    day the strategy's rule fires (a thrust day, the first cut), known at that
    day's close; NaN counts as no event. Sets: ``attrs["events"]`` on
    ``weights`` (the weights themselves unchanged) and returns ``weights``.
    ``rotsim study`` measures what followed each event; the holding spells
    the events start are the weights' business.
    """
    weights.attrs["events"] = events.fillna(False).astype(bool)
    return weights
