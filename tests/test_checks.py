"""Data quality checks: what stops a run (DataError) and what only warns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.data.checks import DataWarning, check_prices, check_series
from simulator.errors import DataError

WHERE = "data/etf_TEST.csv"


def _prices(values: list[float], start: str = "2020-01-01") -> pd.Series:
    return pd.Series(values, index=pd.bdate_range(start, periods=len(values), name="date"), dtype=float)


def _daily(dates: list[str], values: list[float]) -> pd.Series:
    values = [100.0 + v for v in values]  # near 100, so steps of 1 are not "jumps"
    return pd.Series(values, index=pd.DatetimeIndex(pd.to_datetime(dates), name="date"), dtype=float)


def _rising(n: int) -> list[float]:
    return list(100.0 + np.arange(n))


# --- clean data -------------------------------------------------------------


def test_clean_prices_give_no_warnings() -> None:
    assert check_prices(_prices(_rising(300)), "TEST", WHERE) == []


def test_empty_and_single_point_series_are_fine() -> None:
    assert check_prices(_prices([]), "TEST", WHERE) == []
    assert check_prices(_prices([1.0]), "TEST", WHERE) == []
    assert check_series(_prices([]), "TEST", WHERE) == []


def test_warning_str_names_series() -> None:
    assert str(DataWarning("SPY", "something on 2020-01-01")) == "SPY: something on 2020-01-01"


# --- errors -----------------------------------------------------------------


def test_duplicate_dates_raise_naming_dates_and_file() -> None:
    s = _daily(["2020-01-02", "2020-01-03", "2020-01-03", "2020-01-06"], [1, 2, 3, 4])
    with pytest.raises(DataError, match="TEST: duplicate dates 2020-01-03") as info:
        check_prices(s, "TEST", WHERE)
    assert info.value.where == WHERE
    with pytest.raises(DataError, match="duplicate dates 2020-01-03"):
        check_series(s, "TEST", WHERE)


def test_unsorted_dates_raise_naming_where_order_breaks() -> None:
    s = _daily(["2020-01-02", "2020-01-06", "2020-01-03"], [1, 2, 3])
    with pytest.raises(DataError, match="2020-01-03 comes after 2020-01-06") as info:
        check_prices(s, "TEST", WHERE)
    assert str(info.value).startswith(f"{WHERE}: TEST:")


@pytest.mark.parametrize("bad", [0.0, -1.5])
def test_non_positive_price_raises(bad: float) -> None:
    s = _prices([10.0, 11.0, bad, 12.0])
    with pytest.raises(DataError, match=r"non-positive prices on 2020-01-03"):
        check_prices(s, "TEST", WHERE)


def test_non_positive_is_fine_for_macro_series() -> None:
    assert check_series(_prices([0.25, 0.0, -0.1, 0.0]), "RATE", WHERE) == []


@pytest.mark.parametrize("check", [check_prices, check_series])
def test_infinity_raises_but_nan_does_not(check) -> None:
    with pytest.raises(DataError, match="infinite values on 2020-01-02"):
        check(_prices([1.0, np.inf, 2.0]), "TEST", WHERE)
    assert check(_prices([100.0, np.nan, 101.0]), "TEST", WHERE) == []


def test_error_lists_at_most_a_few_dates() -> None:
    s = _prices([-1.0] * 8)
    with pytest.raises(DataError, match="and 3 more"):
        check_prices(s, "TEST", WHERE)


def test_index_must_be_dates() -> None:
    with pytest.raises(DataError, match="index is not dates"):
        check_prices(pd.Series([1.0, 2.0]), "TEST", WHERE)


# --- warnings ---------------------------------------------------------------


def test_gap_of_a_full_week_warns_with_both_dates() -> None:
    # 2001-09-10 (Mon) -> 2001-09-17 (Mon): the 9/11 closure, 7 calendar days.
    s = _daily(["2001-09-07", "2001-09-10", "2001-09-17", "2001-09-18"], [1, 2, 3, 4])
    [w] = check_prices(s, "SPY", WHERE)
    assert w.series == "SPY"
    assert "7 days" in w.message and "2001-09-10" in w.message and "2001-09-17" in w.message


def test_long_weekend_gap_does_not_warn() -> None:
    # Fri -> Wed (New Year + a closure) is 5 days: normal.
    s = _daily(["2006-12-28", "2006-12-29", "2007-01-03"], [1, 2, 3])
    assert check_prices(s, "SPY", WHERE) == []
    assert check_prices(s, "SPY", WHERE, max_gap_days=5) != []


def test_nan_run_longer_than_limit_warns() -> None:
    values = _rising(20)
    values[5:11] = [np.nan] * 6  # 2020-01-08 .. 2020-01-15
    [w] = check_prices(_prices(values), "TEST", WHERE)
    assert "6 missing values" in w.message
    assert "2020-01-08" in w.message and "2020-01-15" in w.message
    values[10] = 115.0  # now a run of 5: allowed
    assert check_prices(_prices(values), "TEST", WHERE) == []


def test_stale_price_warns_when_repeated_more_than_five_days() -> None:
    values = _rising(20)
    values[3:9] = [103.0] * 6  # 2020-01-06 .. 2020-01-13
    [w] = check_prices(_prices(values), "TEST", WHERE)
    assert "stuck at 103" in w.message and "6 observations" in w.message
    assert "2020-01-06" in w.message and "2020-01-13" in w.message
    values[8] = 108.0  # five in a row: allowed
    assert check_prices(_prices(values), "TEST", WHERE) == []


def test_flat_macro_series_is_not_stale() -> None:
    assert check_series(_prices([5.25] * 100), "DFEDTAR", WHERE) == []


@pytest.mark.parametrize(("after", "move"), [(50.0, "-50.0%"), (1000.0, "+900.0%")])
def test_split_like_jump_warns_with_date_and_move(after: float, move: str) -> None:
    s = _prices([100.0, 100.0, after, after])
    [w] = check_prices(s, "TEST", WHERE)
    assert w.message.startswith(f"2020-01-03: price moved {move}")


def test_moves_below_forty_percent_do_not_warn() -> None:
    assert check_prices(_prices([100.0, 139.0, 84.0]), "TEST", WHERE) == []


def test_jump_across_missing_values_is_still_seen() -> None:
    [w] = check_prices(_prices([100.0, np.nan, 50.0]), "TEST", WHERE)
    assert "2020-01-03" in w.message and "2020-01-01" in w.message


def test_thresholds_can_be_switched_off() -> None:
    s = _prices([100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 300.0])
    assert len(check_prices(s, "TEST", WHERE)) == 2
    assert check_prices(s, "TEST", WHERE, max_stale_run=None, max_abs_return=None) == []


def test_many_findings_are_capped_with_a_summary() -> None:
    dates = pd.date_range("2020-01-01", periods=30, freq="14D")
    warnings = check_prices(pd.Series(_rising(30), index=dates), "TEST", WHERE)
    assert len(warnings) == 11
    assert warnings[-1].message == "... and 19 more gaps not listed"


# --- series frequency -------------------------------------------------------


def test_monthly_series_gaps_are_judged_by_their_own_spacing() -> None:
    months = pd.date_range("2000-01-01", periods=24, freq="MS")
    s = pd.Series(np.zeros(24), index=months)
    assert check_series(s, "USREC", WHERE) == []
    [w] = check_series(s.drop(pd.Timestamp("2000-06-01")), "USREC", WHERE)
    assert "2000-05-01 to 2000-07-01" in w.message


def test_daily_series_gap_uses_max_gap_days() -> None:
    s = _daily(["2020-01-02", "2020-01-03", "2020-01-13", "2020-01-14"], [1, 2, 3, 4])
    [w] = check_series(s, "DGS2", WHERE)
    assert "10 days, 2020-01-03 to 2020-01-13" in w.message
    assert check_series(s, "DGS2", WHERE, max_gap_days=None) == []


# --- unadjusted prices: split-like jumps --------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (100.0, 50.2, "2-for-1 split"),
        (90.0, 60.5, "3-for-2 split"),  # -33%: under the 40% jump limit, still found
        (300.0, 29.8, "10-for-1 split"),
        (5.0, 49.0, "1-for-10 reverse split"),
        (40.0, 81.0, "1-for-2 reverse split"),
    ],
)
def test_split_like_moves_in_plain_closes_name_the_split(before: float, after: float, kind: str) -> None:
    s = _prices([before * 0.99, before, after, after * 1.01])
    [w] = check_prices(s, "TEST", WHERE, adjusted=False)
    assert w.message.startswith(f"2020-01-03: price moved {after / before - 1:+.1%}")
    assert f"like a {kind}; these are plain closes, not adjusted for splits" in w.message


def test_adjusted_prices_are_not_searched_for_3_for_2_splits() -> None:
    s = _prices([90.0, 90.0, 60.5, 61.0])
    assert check_prices(s, "TEST", WHERE) == []  # an adjusted -33% day is a crash, not a split


def test_crash_days_are_not_mistaken_for_splits() -> None:
    # 1987-10-19: ^GSPC -20.5%; 2008-10-13: +11.6%; neither is near a split ratio
    s = _prices([282.7, 224.84, 250.0, 279.0])
    assert check_prices(s, "TEST", WHERE, adjusted=False) == []


# --- stale values in series that usually move ----------------------------------


def test_a_yield_stuck_for_weeks_is_stale_but_a_policy_rate_is_not() -> None:
    rng = np.random.default_rng(0)
    moving = list(np.round(4 + rng.normal(0, 0.05, 200).cumsum(), 2))
    stuck = moving[:100] + [moving[99]] * 30 + moving[130:]
    [w] = check_series(_prices(stuck), "DGS10", WHERE)
    assert w.series == "DGS10" and w.message.startswith(f"value stuck at {moving[99]:g} for 31 observations, 2020-05-19")
    assert check_series(_prices(stuck), "DGS10", WHERE, max_stale_run=None) == []
    assert check_series(_prices(moving[:100] + [moving[99]] * 15 + moving[115:]), "DGS10", WHERE) == []
    # a target rate that changes a few times a year sits still for months by design
    target = [5.25] * 90 + [5.0] * 60 + [4.75] * 50
    assert check_series(_prices(target), "DFEDTAR", WHERE) == []
