"""election_barbell at its calendar edges: Jan 1 of election years and the new term, and 365 days around election day.

The rule (docstring): with 'calendar' the barbell is on every day of each
presidential election year (2016, 2020: divisible by four) and, with
``first_term_year``, of the year after; with 'election_day' on for
E - 365 days < t <= E, and with ``first_term_year`` to E + 365 days. The input
has every calendar day, so each edge is tested on the day itself and on
either side of it; the expected weights are written out.
"""

from __future__ import annotations

import pandas as pd
import pytest

from rotsim_strategies import election_barbell

from rule_inputs import flat, weights

INDEX = pd.date_range("2015-01-01", "2022-12-31", freq="D")  # every day: Jan 1 and weekends too
# barbell 0.8, a quarter of it in tech: tech 0.2, financials 0.6, large caps 0.2 while on
ON = {"financials": 0.6, "tech": 0.2, "large_cap": 0.2}
OFF = {"financials": 0.0, "tech": 0.0, "large_cap": 1.0}


def _barbell(**params: object) -> pd.DataFrame:
    return weights(
        election_barbell, flat(["financials", "tech", "large_cap"], INDEX), barbell=0.8, tech_share=0.25, **params
    )


def _assert_days(w: pd.DataFrame, days: dict[str, bool]) -> None:
    for day, on in days.items():
        assert bool(w.attrs["signal"][day]) is on, day
        assert w.loc[day].to_dict() == pytest.approx(ON if on else OFF, abs=1e-15), day


def test_calendar_years_start_on_jan_1() -> None:
    _assert_days(_barbell(), {
        "2015-12-31": False, "2016-01-01": True,  # the election year's first day
        "2017-12-31": True, "2018-01-01": False,  # the term's first year ends
        "2019-12-31": False, "2020-01-01": True,
        "2021-12-31": True, "2022-01-01": False,
    })  # fmt: skip
    expected = INDEX.year.isin([2016, 2017, 2020, 2021])
    assert (_barbell().attrs["signal"].to_numpy() == expected).all()


def test_calendar_without_first_term_year_ends_dec_31() -> None:
    _assert_days(_barbell(first_term_year=False), {
        "2015-12-31": False, "2016-01-01": True, "2016-12-31": True, "2017-01-01": False,
        "2019-12-31": False, "2020-01-01": True, "2020-12-31": True, "2021-01-01": False,
    })  # fmt: skip


def test_election_day_window_edges() -> None:
    # 2016-11-08 - 365 days = 2015-11-09 (off, the edge is open), + 365 days = 2017-11-08 (on, closed)
    _assert_days(_barbell(switch="election_day"), {
        "2015-11-09": False, "2015-11-10": True,
        "2016-11-08": True, "2016-11-09": True,
        "2017-11-08": True, "2017-11-09": False,
        "2019-11-04": False, "2019-11-05": True,  # 2020-11-03 - 365 days = 2019-11-04 (2020 is a leap year)
        "2021-11-03": True, "2021-11-04": False,
    })  # fmt: skip
    _assert_days(_barbell(switch="election_day", first_term_year=False), {
        "2015-11-09": False, "2015-11-10": True, "2016-11-08": True, "2016-11-09": False,
    })  # fmt: skip
