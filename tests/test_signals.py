"""simulator.contract.signals: each helper against values written out by hand, edges included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.contract.signals import (
    above,
    at_or_above,
    at_or_below,
    below,
    confirmed,
    crosses,
    decimal,
    first_after_quiet,
    hold_after,
    period_starts,
    tilt,
    turns_on,
)

T, F = True, False


def days(n: int) -> pd.DatetimeIndex:
    return pd.bdate_range("2024-01-01", periods=n)  # Monday 2024-01-01 onwards


def flags(*values: object) -> pd.Series:
    return pd.Series(list(values), index=days(len(values)))


def on(dates: list[str], values: list[object]) -> pd.Series:
    return pd.Series(values, index=pd.DatetimeIndex(dates))


def listed(s: pd.Series) -> list[bool]:
    assert s.dtype == bool
    return s.tolist()


EMPTY = pd.Series([], index=pd.DatetimeIndex([]), dtype=bool)


# thresholds


def test_decimal_rounds_to_twelve_places_and_keeps_nan() -> None:
    got = decimal(pd.Series([0.1 + 0.2, 103.5 / 100 - 1, np.nan]))
    assert got.iloc[0] == 0.3 and got.iloc[1] == 0.035 and np.isnan(got.iloc[2])


def test_a_value_equal_in_decimal_is_at_the_threshold_not_above_it() -> None:
    spread = pd.Series([2.25, 2.35, 2.36, 2.15]) - 2.25  # 0.10000000000000009 in floats on the second day
    assert listed(spread > 0.1) == [F, T, T, F]  # what floats alone say
    assert listed(above(spread, 0.1)) == [F, F, T, F]
    assert listed(at_or_above(spread, 0.1)) == [F, T, T, F]
    assert listed(below(spread, 0.1)) == [T, F, F, T]
    assert listed(at_or_below(spread, 0.1)) == [T, T, F, T]
    gain = pd.Series([103.5 / 100 - 1])  # 0.03499999999999992
    assert listed(at_or_above(gain, 0.035)) == [T]


def test_nan_is_on_neither_side_of_a_threshold() -> None:
    x = pd.Series([np.nan, 1.0])
    for helper in (above, at_or_above, below, at_or_below):
        assert listed(helper(x, 0.5))[0] is False
    assert listed(above(x, 0.5)) == [F, T] and listed(at_or_below(x, 0.5)) == [F, F]


def test_crosses_above_and_below() -> None:
    x = flags(1.0, 2.0, 3.0, 2.0, 1.0, np.nan, 3.0, 1.0)
    assert listed(crosses(x, 2.0)) == [F, F, T, F, F, F, F, F]  # 2.0 -> 3.0; after the NaN: unknown before
    assert listed(crosses(x, 2.0, "below")) == [F, F, F, F, T, F, F, T]  # 2.0 -> 1.0 and 3.0 -> 1.0
    assert listed(crosses(x, 2.5)) == [F, F, T, F, F, F, F, F]


def test_the_first_day_of_data_is_never_a_cross() -> None:
    assert listed(crosses(flags(3.0, 3.0), 2.0)) == [F, F]
    assert listed(crosses(flags(1.0, 1.0), 2.0, "below")) == [F, F]


def test_crosses_compares_at_twelve_decimals() -> None:
    x = flags(0.0, 2.35 - 2.25, 0.2)  # the second value is 0.1 in decimal: at the threshold, not above
    assert listed(crosses(x, 0.1)) == [F, F, T]


def test_crosses_refuses_an_unknown_direction() -> None:
    with pytest.raises(ValueError, match="direction must be 'above' or 'below'"):
        crosses(flags(1.0), 0.0, "up")  # type: ignore[arg-type]


def test_thresholds_of_an_empty_series_are_empty() -> None:
    x = pd.Series([], index=pd.DatetimeIndex([]), dtype=float)
    for helper in (above, at_or_above, below, at_or_below, crosses):
        assert helper(x, 0.0).empty


# events and states


def test_turns_on_marks_the_first_day_of_each_run_but_never_the_first_day_of_data() -> None:
    assert listed(turns_on(flags(T, T, F, T, F, F, T))) == [F, F, F, T, F, F, T]
    assert listed(turns_on(flags(F, T))) == [F, T]
    assert turns_on(EMPTY).empty


def test_hold_after_with_hold_1_is_the_event_days() -> None:
    assert listed(hold_after(flags(F, T, F, T, T, F), 1)) == [F, T, F, T, T, F]


def test_hold_after_holds_the_event_day_and_the_days_after() -> None:
    assert listed(hold_after(flags(F, T, F, F, F, F), 3)) == [F, T, T, T, F, F]
    assert listed(hold_after(flags(T, F, F), 2)) == [T, T, F]  # an event on the first day of data


def test_a_new_event_while_holding_restarts_the_count() -> None:
    assert listed(hold_after(flags(F, T, F, T, F, F, F), 3)) == [F, T, T, T, T, T, F]


def test_hold_after_counts_nan_as_no_event() -> None:
    events = pd.Series([np.nan, T, np.nan, F], index=days(4), dtype=object)
    assert listed(hold_after(events, 2)) == [F, T, T, F]
    assert hold_after(EMPTY, 3).empty


def test_confirmed_with_one_day_follows_on_and_off() -> None:
    up = flags(T, F, F, T, F)
    down = flags(F, T, F, F, T)
    assert listed(confirmed(up, down, 1)) == [T, F, F, T, F]  # day 2 completes neither: keeps off


def test_confirmed_ignores_a_flip_shorter_than_days() -> None:
    up = flags(T, T, T, F, T, F, F, T)
    assert listed(confirmed(up, ~up, 2)) == [F, T, T, T, T, T, F, F]


def test_confirmed_is_off_until_the_first_run_completes() -> None:
    up = flags(T, T, T, T)
    assert listed(confirmed(up, ~up, 3)) == [F, F, T, T]


def test_a_nan_breaks_a_run() -> None:
    up = pd.Series([T, np.nan, T, T], index=days(4), dtype=object)
    down = flags(F, F, F, F)
    assert listed(confirmed(up, down, 2)) == [F, F, F, T]


def test_a_day_completing_both_runs_turns_the_switch_off() -> None:
    assert listed(confirmed(flags(T, T), flags(F, T), 1)) == [T, F]
    assert confirmed(EMPTY, EMPTY, 2).empty


def test_first_after_quiet_needs_a_quiet_span_before_the_event() -> None:
    dates = ["2020-01-01", "2020-01-11", "2020-01-15", "2020-01-24", "2020-02-04", "2020-02-05"]
    events = on(dates, [F, T, T, T, T, F])
    # 01-11: 10 days of data, no event before; 01-15: 4 days after 01-11; 01-24: 9 days after 01-15
    # (an event that was not first still breaks the quiet); 02-04: 11 days after 01-24
    assert listed(first_after_quiet(events, 10)) == [F, T, F, F, T, F]


def test_exactly_span_days_counts_in_calendar_days() -> None:
    dates = ["2024-01-05", "2024-01-08", "2024-01-15", "2024-01-22"]  # Fridays and Mondays: weekends count
    events = on(dates, [T, F, T, T])
    assert listed(first_after_quiet(events, 10)) == [F, F, T, F]  # 01-15: 10 days after the event of 01-05
    assert listed(first_after_quiet(events, 11)) == [F, F, F, F]


def test_the_first_day_of_data_is_never_first_after_a_quiet_span() -> None:
    events = on(["2024-01-01", "2024-03-01"], [T, F])
    assert listed(first_after_quiet(events, 1)) == [F, F]


def test_the_span_counts_from_the_first_known_day_not_the_first_day_of_the_index() -> None:
    dates = ["2020-01-01", "2020-01-05", "2020-01-14"]
    assert listed(first_after_quiet(on(dates, [np.nan, F, T]), 10)) == [F, F, F]  # known for 9 days
    assert listed(first_after_quiet(on(dates, [F, F, T]), 10)) == [F, F, T]  # known for 13 days


def test_first_after_quiet_of_nothing_known_is_all_false() -> None:
    assert listed(first_after_quiet(on(["2020-01-01", "2020-02-01"], [np.nan, np.nan]), 5)) == [F, F]
    assert first_after_quiet(EMPTY, 5).empty


# calendar


MONTH_ENDS = pd.DatetimeIndex(
    ["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02", "2024-03-28", "2024-04-01", "2024-04-02"]
)


def test_period_starts_are_each_months_first_trading_day_and_the_first_day_of_data() -> None:
    assert listed(period_starts(MONTH_ENDS, "M")) == [T, F, T, F, T, T, F]
    assert period_starts(MONTH_ENDS, "M").index.equals(MONTH_ENDS)


def test_quarter_starts() -> None:
    assert listed(period_starts(MONTH_ENDS, "Q")) == [T, F, F, F, F, T, F]


def test_period_starts_of_one_day_and_of_none() -> None:
    assert listed(period_starts(MONTH_ENDS[:1], "M")) == [T]
    assert period_starts(pd.DatetimeIndex([]), "Q").empty


# weights


def test_tilt_weights_two_roles_and_sets_the_signal() -> None:
    signal = flags(T, F, T)
    weights = tilt(signal, 0.75, 0.25, "small_cap", "large_cap")
    assert list(weights.columns) == ["small_cap", "large_cap"]
    assert weights["small_cap"].tolist() == [0.75, 0.25, 0.75]
    assert weights["large_cap"].tolist() == [0.25, 0.75, 0.25]
    assert weights.index.equals(signal.index) and listed(weights.attrs["signal"]) == [T, F, T]


def test_tilt_of_no_days_is_an_empty_frame_with_both_roles() -> None:
    weights = tilt(EMPTY, 1.0, 0.0, "a", "b")
    assert weights.empty and list(weights.columns) == ["a", "b"]
