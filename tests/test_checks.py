"""Data quality checks: what stops a run (DataError) and what only warns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.data.checks import DataWarning, capped, check_prices, check_series, in_span
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


def test_market_closures_from_the_nyse_calendar_are_not_gaps() -> None:
    # 2001-09-10 (Mon) -> 2001-09-17 (Mon): the NYSE was closed 9/11-9/14, 7 calendar days.
    assert (
        check_prices(_daily(["2001-09-07", "2001-09-10", "2001-09-17", "2001-09-18"], [1, 2, 3, 4]), "SPY", WHERE) == []
    )
    # Fri -> Wed: New Year's Day and the national day of mourning for Gerald Ford (2007-01-02)
    assert check_prices(_daily(["2006-12-28", "2006-12-29", "2007-01-03"], [1, 2, 3]), "SPY", WHERE) == []
    # Hurricane Sandy: no trading 2012-10-29 and 10-30
    assert check_prices(_daily(["2012-10-26", "2012-10-31"], [1, 2]), "SPY", WHERE) == []


def test_one_missing_trading_day_warns_with_both_dates() -> None:
    # 2021-02-25 (a Thursday, an ordinary trading day) is missing
    s = _daily(["2021-02-23", "2021-02-24", "2021-02-26", "2021-03-01"], [1, 2, 3, 4])
    [w] = check_prices(s, "SPY", WHERE)
    assert (w.series, w.kind) == ("SPY", "gaps")
    assert w.message == "no data on 1 NYSE trading day between 2021-02-24 and 2021-02-26"
    assert (w.first, w.last) == (pd.Timestamp("2021-02-24"), pd.Timestamp("2021-02-26"))


def test_a_missing_week_counts_the_trading_days() -> None:
    # 2001-09-17 .. 2001-09-21 were trading days after the closure: a file lacking them too is short 5
    [w] = check_prices(_daily(["2001-09-10", "2001-09-24"], [1, 2]), "SPY", WHERE)
    assert w.message == "no data on 5 NYSE trading days between 2001-09-10 and 2001-09-24"


def test_before_1970_gaps_are_judged_by_their_length() -> None:
    # exchange_calendars' XNYS lacks the regular holidays before 1970: the week rule applies there
    bank_holiday = _daily(["1933-03-02", "1933-03-03", "1933-03-15", "1933-03-16"], [1, 2, 3, 4])
    [w] = check_prices(bank_holiday, "^GSPC", WHERE)
    assert w.message == "no data for 12 days, 1933-03-03 to 1933-03-15"
    assert check_prices(bank_holiday, "^GSPC", WHERE, max_gap_days=None) == []
    independence_day = _daily(["1960-06-30", "1960-07-01", "1960-07-05"], [1, 2, 3])  # Fri -> Tue
    assert check_prices(independence_day, "^GSPC", WHERE) == []
    [w] = check_prices(independence_day, "^GSPC", WHERE, max_gap_days=4)
    assert w.message == "no data for 4 days, 1960-07-01 to 1960-07-05"
    # across the start of 1970: a week's gap before (Christmas 1969 to New Year), one trading day after
    s = _daily(["1969-12-19", "1969-12-26", "1970-01-02", "1970-01-06"], [1, 2, 3, 4])
    assert [w.message for w in check_prices(s, "^GSPC", WHERE)] == [
        "no data for 7 days, 1969-12-19 to 1969-12-26",
        "no data for 7 days, 1969-12-26 to 1970-01-02",
        "no data on 1 NYSE trading day between 1970-01-02 and 1970-01-06",
    ]


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
    assert len(warnings) == 29  # every finding is returned: which ones a run shows depends on its span
    shown = capped(warnings)
    assert shown[:10] == warnings[:10] and len(shown) == 11
    assert shown[-1] == DataWarning("TEST", "... and 19 more gaps not listed")


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
    assert w.message == "no data on 5 NYSE trading days between 2020-01-03 and 2020-01-13"
    assert check_series(s, "DGS2", WHERE, max_gap_days=None) == []
    assert check_series(s, "DGS2", WHERE, max_gap_days=11) == []


def test_daily_series_keep_their_own_holidays_but_not_a_week_off() -> None:
    # the bond market closes on Columbus Day (2020-10-12), the NYSE does not: not a gap
    assert check_series(_daily(["2020-10-08", "2020-10-09", "2020-10-13"], [1, 2, 3]), "DTB3", WHERE) == []
    # a week with no data while the NYSE was closed (2001-09-11..14) is not one either
    assert check_series(_daily(["2001-09-07", "2001-09-10", "2001-09-17"], [1, 2, 3]), "DTB3", WHERE) == []
    [w] = check_series(_daily(["2001-09-17", "2001-09-18", "2001-09-25"], [1, 2, 3]), "DTB3", WHERE)
    assert w.message == "no data on 4 NYSE trading days between 2001-09-18 and 2001-09-25"


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
    assert w.series == "DGS10" and w.message.startswith(
        f"value stuck at {moving[99]:g} for 31 observations, 2020-05-19"
    )
    assert check_series(_prices(stuck), "DGS10", WHERE, max_stale_run=None) == []
    assert check_series(_prices(moving[:100] + [moving[99]] * 15 + moving[115:]), "DGS10", WHERE) == []
    # a target rate that changes a few times a year sits still for months by design
    target = [5.25] * 90 + [5.0] * 60 + [4.75] * 50
    assert check_series(_prices(target), "DFEDTAR", WHERE) == []


# --- which warnings a run shows: its span and the year before it ---------------


def _gap(day: str, next_day: str) -> DataWarning:
    return DataWarning("SPY", f"gap {day}", pd.Timestamp(day), pd.Timestamp(next_day), "gaps")


def test_in_span_keeps_what_touches_the_span_or_the_year_before_it() -> None:
    start, end = pd.Timestamp("2000-05-26"), pd.Timestamp("2025-12-31")
    found = [
        _gap("1933-03-03", "1933-03-15"),  # decades before: not shown
        _gap("1999-05-20", "1999-05-26"),  # ends 366 days before the start: not shown
        _gap("1999-05-21", "1999-05-27"),  # ends 365 days before the start (a strategy's look-back): shown
        _gap("2025-12-31", "2026-01-05"),  # starts on the last day: shown
        _gap("2026-01-02", "2026-01-06"),  # after the run: not shown
        DataWarning("SPY", "could not update the cached copy"),  # no dates: always shown
        "IWM starts on 2000-05-26; the run starts there",  # build_market's own words: always shown
    ]
    assert in_span(found, start, end) == [
        "SPY: gap 1999-05-21", "SPY: gap 2025-12-31", "SPY: could not update the cached copy",
        "IWM starts on 2000-05-26; the run starts there",
    ]  # fmt: skip


def test_in_span_caps_after_choosing_so_findings_in_the_span_are_never_crowded_out() -> None:
    old = [_gap(f"19{50 + i}-03-01", f"19{50 + i}-03-09") for i in range(15)]
    new = [_gap(f"2010-0{m}-01", f"2010-0{m}-09") for m in range(1, 4)]
    assert in_span(old + new, pd.Timestamp("2010-01-04"), pd.Timestamp("2011-01-03")) == [str(w) for w in new]
    many = [_gap(f"2010-{m:02d}-01", f"2010-{m:02d}-09") for m in range(1, 13)]
    shown = in_span(many, pd.Timestamp("2010-01-04"), pd.Timestamp("2011-01-03"))
    assert shown == [str(w) for w in many[:10]] + ["SPY: ... and 2 more gaps not listed"]


def test_a_warning_is_shown_once() -> None:
    w = _gap("2010-03-01", "2010-03-09")
    assert in_span([w, w, "x", "x"], pd.Timestamp("2010-01-04"), pd.Timestamp("2011-01-03")) == [str(w), "x"]


@pytest.mark.parametrize("tz", [None, "America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize("unit", ["s", "us", "ns"])
def test_gaps_are_counted_by_each_dates_own_day(tz: str | None, unit: str) -> None:
    """Times of day, time zones and index units do not move a date to another day; before 1970 neither."""
    from simulator.data.calendar import nyse_sessions

    rng = np.random.default_rng(5)
    # days from 1965 (before the calendar) to past its end, each at a random time of day
    days = np.sort(rng.choice(np.arange(-1_900, 21_200), size=400, replace=False))
    stamps = (
        pd.Timestamp("1970-01-01")
        + pd.to_timedelta(days, unit="D")
        + pd.to_timedelta(rng.integers(0, 86_400, 400), unit="s")
    )
    index = pd.DatetimeIndex(stamps).as_unit(unit)
    index = index if tz is None else index.tz_localize(tz)
    series = pd.Series(100.0 + np.arange(len(index)) % 3, index=index)  # no stale runs, no jumps
    sessions = set(nyse_sessions())
    last = max(sessions)
    expected = []
    for a, b in zip(index[:-1], index[1:]):  # one pair at a time, each date's own day by Timestamp.normalize
        da, db = a.normalize().tz_localize(None), b.normalize().tz_localize(None)
        if da >= pd.Timestamp("1970-01-01") and db <= last:
            if n := sum(1 for d in pd.date_range(da, db)[1:-1] if d in sessions):
                expected.append((a, b, f"no data on {n} NYSE trading day{'s' if n > 1 else ''}"))
        elif (db - da).days >= 7:
            expected.append((a, b, f"no data for {(db - da).days} days"))
    found = [(w.first, w.last, w.message.split(" between")[0].split(",")[0]) for w in check_prices(series, "T", WHERE)]
    assert found == expected and len(found) > 300
