"""The election calendar, computed, against the real US presidential election days."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from simulator.data.calendar import election_day, is_presidential_year, presidential_election_days, presidential_window

# Presidential election days, from the historical record (not from the code under test).
REAL = ["1992-11-03", "1996-11-05", "2000-11-07", "2004-11-02", "2008-11-04", "2012-11-06", "2016-11-08",
        "2020-11-03", "2024-11-05"]  # fmt: skip


def test_election_days_match_history() -> None:
    assert [str(d) for d in presidential_election_days(1990, 2025)] == REAL


def test_election_day_is_the_tuesday_after_the_first_monday_of_november() -> None:
    for year in range(1900, 2100):
        d = election_day(year)
        first_monday = next(date(year, 11, k) for k in range(1, 8) if date(year, 11, k).weekday() == 0)
        assert d.weekday() == 1 and (d - first_monday).days == 1, year  # Nov 2..8, never Nov 1


def test_presidential_years_every_four() -> None:
    assert [y for y in range(1995, 2030) if is_presidential_year(y)] == [
        1996,
        2000,
        2004,
        2008,
        2012,
        2016,
        2020,
        2024,
        2028,
    ]


def test_calendar_window_is_election_year_and_the_next() -> None:
    idx = pd.bdate_range("2014-01-01", "2023-12-31")
    on = presidential_window(idx, "calendar")
    assert set(idx[on].year) == {2016, 2017, 2020, 2021}
    only = presidential_window(idx, "calendar", first_term_year=False)
    assert set(idx[only].year) == {2016, 2020}


def test_election_day_window_is_a_year_either_side() -> None:
    idx = pd.date_range("2014-01-01", "2022-12-31", freq="D")  # 2012 and 2024 windows fall outside
    on = presidential_window(idx, "election_day")
    for e in ("2016-11-08", "2020-11-03"):
        e = pd.Timestamp(e)
        assert not on[e - pd.Timedelta(days=365)] and on[e - pd.Timedelta(days=364)]
        assert on[e] and on[e + pd.Timedelta(days=365)] and not on[e + pd.Timedelta(days=366)]
    assert on.sum() == 2 * 730
    before = presidential_window(idx, "election_day", first_term_year=False)
    assert before.sum() == 2 * 365 and before["2016-11-08"] and not before["2016-11-09"]


def test_unknown_switch_is_an_error() -> None:
    with pytest.raises(ValueError, match="switch"):
        presidential_window(pd.bdate_range("2020-01-01", "2020-02-01"), "weekly")
