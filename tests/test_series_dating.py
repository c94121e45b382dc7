"""When macro values count as known: announcement-dated policy rates, the recession flag, hindsight series."""

from __future__ import annotations

import pandas as pd

from simulator.data.market.alignment import as_known, backdate_changes, splice
from simulator.data.market.series import SERIES


def test_changes_after_the_switch_date_move_to_the_announcement() -> None:
    days = pd.date_range("2016-12-10", "2017-03-20", freq="D")
    upper = pd.Series(0.50, index=days)
    upper["2016-12-14":] = 0.75  # FRED dates this one on its statement day
    upper["2017-03-16":] = 1.00  # and this one on the day after its statement (2017-03-15)
    moved = backdate_changes(upper, "2017-03-16")
    assert moved.to_dict() == {
        pd.Timestamp("2016-12-10"): 0.50, pd.Timestamp("2016-12-14"): 0.75, pd.Timestamp("2017-03-15"): 1.00
    }  # fmt: skip
    idx = pd.bdate_range("2016-12-12", "2017-03-17")
    known = as_known(moved, SERIES["fed_target"], 0, idx)
    assert known["2016-12-13"] == 0.50 and known["2016-12-14"] == 0.75
    assert known["2017-03-14"] == 0.75 and known["2017-03-15"] == 1.00


def test_splice_keeps_the_first_range_day() -> None:
    """DFEDTARU begins 2008-12-16, the day the range was announced: that first value is not moved."""
    old = pd.Series(1.0, index=pd.date_range("2008-12-01", "2008-12-15", freq="D"))
    new = pd.Series(0.25, index=pd.date_range("2008-12-16", "2009-01-31", freq="D"))
    joined = splice([old, backdate_changes(new, "2017-03-16")])
    assert joined["2008-12-15"] == 1.0 and joined["2008-12-16"] == 0.25


def test_recession_flag_is_not_known_before_the_nber_said_so() -> None:
    # The NBER announced the March 1991 trough on 1992-12-22 and the November 2001 trough on 2003-07-17.
    months = pd.date_range("1990-01-01", "2002-12-01", freq="MS")
    flag = pd.Series(0.0, index=months)
    flag["1990-08-01":"1991-03-01"] = 1.0
    flag["2001-04-01":"2001-11-01"] = 1.0
    idx = pd.bdate_range("1990-01-01", "2004-12-31")
    known = as_known(flag, SERIES["recession"], SERIES["recession"].lag_days, idx)
    assert known[:"1992-12-21"].iloc[-1] == 1.0  # still in recession as far as anyone knew
    assert known[:"2003-07-16"].iloc[-1] == 1.0


def test_hindsight_series_sits_on_the_month_it_describes() -> None:
    months = pd.date_range("2020-01-01", "2020-06-01", freq="MS")
    flag = pd.Series([0.0, 0.0, 1.0, 1.0, 0.0, 0.0], index=months)
    idx = pd.bdate_range("2020-01-01", "2020-06-30")
    dated = as_known(flag, SERIES["recession_hindsight"], 0, idx)
    assert dated["2020-02-28"] == 0.0 and dated["2020-03-02"] == 1.0 and dated["2020-04-30"] == 1.0
    assert dated["2020-05-01"] == 0.0
    assert SERIES["recession_hindsight"].hindsight and not SERIES["recession"].hindsight
