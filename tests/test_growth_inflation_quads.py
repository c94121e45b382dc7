"""growth_inflation_quads: its quads and sequence triggers on hand-built releases, on real dates, and after publication.

Hand-built: year-on-year rates released on written-out days, each for the
month before its release; the quad on each day is worked out in the
comments from the rule (accelerating: the rate above its value for the
month ``change_over`` months earlier). Real data: the quads
around 2008 and 2020 computed here from the FRED files with plain pandas
(year-on-year by date, the change over three months, each value counted
from its month's end plus the lag), against the strategy's. Publication:
a CPI value for month M moves no weight before M's publication day.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fred_published import published_yoy_change

from rotsim_strategies import growth_inflation_quads
from rotsim_strategies.growth_inflation_quads import quads, sequence_triggers, yoy_change

from rule_inputs import flat, weights

ROLES = ["small_cap", "large_cap", "staples", "utilities", "health"]
DAYS = pd.bdate_range("2021-01-04", "2021-06-30")


def _released(values: dict[str, float]) -> pd.Series:
    """A rate as known on each of ``DAYS``: each value from its release day on, NaN before the first."""
    s = pd.Series(np.nan, index=DAYS)
    for day, v in values.items():
        s[day:] = v
    return s


def _observed(values: dict[str, float]) -> pd.Series:
    """The observation date of ``_released(values)``: each release is for the month before it (NaT before the first)."""
    s = pd.Series(pd.NaT, index=DAYS, dtype="datetime64[ns]")
    for day in values:
        s[day:] = pd.Timestamp(day).to_period("M").to_timestamp() - pd.DateOffset(months=1)
    return s


# growth (INDPRO-like) released on the 17th, inflation (CPI-like) on the 15th (or the next business day)
GROWTH_RELEASES = {"2021-01-18": 3.0, "2021-02-17": 2.5, "2021-03-17": 2.0, "2021-04-19": 2.4, "2021-05-17": 2.6}
INFLATION_RELEASES = {"2021-01-15": 2.0, "2021-02-15": 1.8, "2021-03-15": 2.1, "2021-04-15": 1.9, "2021-05-17": 2.2}
GROWTH, GROWTH_OBS = _released(GROWTH_RELEASES), _observed(GROWTH_RELEASES)
INFLATION, INFLATION_OBS = _released(INFLATION_RELEASES), _observed(INFLATION_RELEASES)
# change since the last release (change_over_months 1):
#   growth:    Feb 17 -0.5, Mar 17 -0.5, Apr 19 +0.4, May 17 +0.2
#   inflation: Feb 15 -0.2, Mar 15 +0.3, Apr 15 -0.2, May 17 +0.3
# quad, from the day both changes are known (Feb 17):
#   Feb 17: g -0.5, i -0.2 -> 4;  Mar 15: g -0.5, i +0.3 -> 3 (inflation turned first);  Mar 17: g -0.5 still -> 3
#   Apr 15: g -0.5, i -0.2 -> 4;  Apr 19: g +0.4, i -0.2 -> 1;  May 17: g +0.2, i +0.3 -> 2
EXPECTED = {
    "2021-02-16": np.nan,
    "2021-02-17": 4,
    "2021-03-12": 4,
    "2021-03-15": 3,
    "2021-04-14": 3,
    "2021-04-15": 4,
    "2021-04-16": 4,
    "2021-04-19": 1,
    "2021-05-14": 1,
    "2021-05-17": 2,
    "2021-06-30": 2,
}


def _macro(growth: pd.Series = GROWTH, inflation: pd.Series = INFLATION) -> pd.DataFrame:
    return pd.DataFrame({"indpro_yoy": growth, "real_gdp_yoy": growth, "cpi_yoy": inflation}, index=DAYS)


def _obs(growth: pd.Series = GROWTH_OBS, inflation: pd.Series = INFLATION_OBS) -> pd.DataFrame:
    return pd.DataFrame({"indpro_yoy": growth, "real_gdp_yoy": growth, "cpi_yoy": inflation}, index=DAYS)


def test_yoy_change_counts_releases_not_days() -> None:
    change = yoy_change(GROWTH, GROWTH_OBS, 1)
    assert np.isnan(change["2021-02-16"])  # one release known: no change yet
    assert change["2021-02-17"] == pytest.approx(-0.5) and change["2021-03-16"] == pytest.approx(-0.5)
    assert change["2021-04-19"] == pytest.approx(0.4) and change["2021-06-30"] == pytest.approx(0.2)
    two = yoy_change(GROWTH, GROWTH_OBS, 2)  # against two releases back
    assert np.isnan(two["2021-03-16"]) and two["2021-03-17"] == pytest.approx(-1.0)
    assert two["2021-05-17"] == pytest.approx(0.6)


# inflation repeats itself: March's rate (out Apr 15) equals February's (out Mar 15), as CPI's did in 1961
REPEAT_RELEASES = {"2021-01-15": 2.0, "2021-02-15": 1.8, "2021-03-15": 2.1, "2021-04-15": 2.1, "2021-05-17": 2.0}
# change_over_months 1: Mar 15 +0.3, Apr 15 0.0 (the repeat: not accelerating), May 17 -0.1
# change_over_months 2: Mar 15 +0.1 (2.1 - 2.0), Apr 15 +0.3 (2.1 - 1.8), May 17 -0.1 (2.0 - 2.1)
# growth (change_over 1) is -0.5 from Feb 17 to Apr 16, then +0.4, then +0.2 from May 17; quads with inflation:
#   change_over 1: Apr 15 g -0.5, i 0.0 -> 4;  Apr 19 g +0.4 -> 1;  May 17 -> 1
#   (counting releases by value changes misses Apr 15: i stays +0.3 -> 3, then 2 from Apr 19 until May 17)


def test_a_release_equal_to_the_one_before_counts_as_a_release() -> None:
    known, observed = _released(REPEAT_RELEASES), _observed(REPEAT_RELEASES)
    one, two = yoy_change(known, observed, 1), yoy_change(known, observed, 2)
    assert one["2021-04-14"] == pytest.approx(0.3) and one["2021-04-15"] == pytest.approx(0.0)
    assert one["2021-05-17"] == pytest.approx(-0.1)
    assert two["2021-03-15"] == pytest.approx(0.1) and two["2021-04-15"] == pytest.approx(0.3)
    assert two["2021-05-17"] == pytest.approx(-0.1)
    w = weights(
        growth_inflation_quads, flat(ROLES, DAYS), _macro(inflation=known), _obs(inflation=observed),
        change_over_months=1, quad3_small=0.25,
    )  # fmt: skip
    quad4 = {"small_cap": 0.0, "large_cap": 0.0, "staples": 1 / 3, "utilities": 1 / 3, "health": 1 / 3}
    assert w.loc["2021-04-15"].to_dict() == pytest.approx(quad4, abs=1e-15)
    assert w.loc["2021-04-16"].to_dict() == pytest.approx(quad4, abs=1e-15)
    assert w.loc["2021-04-19", "small_cap"] == 1.0 and w.loc["2021-05-17", "small_cap"] == 1.0


def _monthly_as_known(rates: pd.Series, days: pd.DatetimeIndex, lag_days: int) -> tuple[pd.Series, pd.Series]:
    """Each day's latest monthly rate published by then (month end + lag), and its month: written out with a loop."""
    known = pd.Series(np.nan, index=days)
    observed = pd.Series(pd.NaT, index=days, dtype="datetime64[ns]")
    for month, rate in rates.items():
        out = pd.Timestamp(month) + pd.offsets.MonthEnd(0) + pd.Timedelta(days=lag_days)
        known[out:] = rate
        observed[out:] = pd.Timestamp(month)
    return known, observed


@pytest.mark.parametrize("months", [1, 3, 6])
def test_without_gaps_the_change_over_months_is_the_change_since_as_many_releases(months: int) -> None:
    rng = np.random.default_rng(11)
    obs_months = pd.date_range("2000-01-01", "2004-12-01", freq="MS")
    # one decimal, as FRED's rates were once quoted: about one release in five repeats the one before
    rates = pd.Series(np.round(2.0 + np.cumsum(rng.choice([-0.1, 0.0, 0.0, 0.1], len(obs_months))), 1), obs_months)
    assert (rates.diff() == 0).sum() > 10  # repeats the old count missed
    days = pd.bdate_range("2000-01-03", "2005-03-31")
    known, observed = _monthly_as_known(rates, days, 15)
    # count releases: the days the month moves, each rate against the rate ``months`` releases before it
    release_days = observed.index[observed.ne(observed.shift()) & observed.notna()]
    by_release = known[release_days] - known[release_days].shift(months)
    expected = by_release.reindex(days).ffill().where(observed.notna())
    got = yoy_change(known, observed, months)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-12)
    assert got.notna().sum() > 1000


def test_across_a_missing_month_only_the_step_that_needs_it_is_one_month_wider() -> None:
    months = pd.date_range("2025-01-01", "2026-03-01", freq="MS")
    rates = pd.Series(np.arange(len(months), dtype=float) ** 2 / 10, index=months).drop(pd.Timestamp("2025-10-01"))
    days = pd.bdate_range("2025-02-03", "2026-04-30")
    known, observed = _monthly_as_known(rates, days, 15)
    got = yoy_change(known, observed, 3)
    rate = rates.to_dict()

    def on(month: str) -> float:  # the change known on the day ``month``'s rate is out
        out = pd.Timestamp(month) + pd.offsets.MonthEnd(0) + pd.Timedelta(days=15)
        return float(got[days[days.searchsorted(out)]])

    ts = pd.Timestamp
    # November and December: three months back (August, September) exist; counting releases would reach a month further
    assert on("2025-11-01") == pytest.approx(rate[ts("2025-11-01")] - rate[ts("2025-08-01")])
    assert on("2025-12-01") == pytest.approx(rate[ts("2025-12-01")] - rate[ts("2025-09-01")])
    # January 2026: three months back is the missing October, so the latest before it, September
    assert on("2026-01-01") == pytest.approx(rate[ts("2026-01-01")] - rate[ts("2025-09-01")])
    assert on("2026-02-01") == pytest.approx(rate[ts("2026-02-01")] - rate[ts("2025-11-01")])


def test_an_input_without_observation_dates_is_refused_with_the_reason() -> None:
    from simulator.contract import StrategyError

    with pytest.raises(StrategyError, match="needs data.observed"):
        weights(growth_inflation_quads, flat(ROLES, DAYS), _macro())


def test_quads_on_hand_built_releases() -> None:
    q = quads(yoy_change(GROWTH, GROWTH_OBS, 1), yoy_change(INFLATION, INFLATION_OBS, 1))
    got = {d: float(q[d]) for d in EXPECTED}
    assert got == pytest.approx(EXPECTED, nan_ok=True)


def test_weights_follow_the_quads() -> None:
    w = weights(growth_inflation_quads, flat(ROLES, DAYS), _macro(), _obs(), change_over_months=1, quad3_small=0.25)
    third = 1.0 / 3.0
    rows = {  # quad -> expected row: Q1/Q2 small caps, Q3 a quarter small, Q4 the defensive thirds
        1: {"small_cap": 1.0, "large_cap": 0.0, "staples": 0.0, "utilities": 0.0, "health": 0.0},
        2: {"small_cap": 1.0, "large_cap": 0.0, "staples": 0.0, "utilities": 0.0, "health": 0.0},
        3: {"small_cap": 0.25, "large_cap": 0.75, "staples": 0.0, "utilities": 0.0, "health": 0.0},
        4: {"small_cap": 0.0, "large_cap": 0.0, "staples": third, "utilities": third, "health": third},
    }
    before = {"small_cap": 0.0, "large_cap": 1.0, "staples": 0.0, "utilities": 0.0, "health": 0.0}
    for day, quad in EXPECTED.items():
        expected = before if np.isnan(quad) else rows[int(quad)]
        assert w.loc[day].to_dict() == pytest.approx(expected, abs=1e-15), day
    events = w.attrs["events"]
    # the quad changes on Mar 15, Apr 15, Apr 19, May 17; Feb 17 is the first quad known, not a change
    assert list(events.index[events].strftime("%m-%d")) == ["03-15", "04-15", "04-19", "05-17"]
    assert list(w.attrs["signal"].index[w.attrs["signal"]][[0, -1]].strftime("%m-%d")) == ["04-19", "06-30"]


def test_the_sequence_fires_on_4_then_3_then_1_or_2() -> None:
    w = weights(growth_inflation_quads, flat(ROLES, DAYS), _macro(), _obs(), change_over_months=1, entry="sequence")
    # spells: 4 (Feb 17), 3 (Mar 15), 4 (Apr 15), 1 (Apr 19), 2 (May 17): no 4 -> 3 -> 1/2 in a row
    assert not w.attrs["events"].any() and (w["large_cap"] == 1.0).all()
    # inflation still accelerating on Apr 15 (+0.1): spells 4 (Feb 17), 3 (Mar 15), 2 (Apr 19), 1 (May 17)
    calmer = {"2021-01-15": 2.0, "2021-02-15": 1.8, "2021-03-15": 2.1, "2021-04-15": 2.2, "2021-05-17": 2.0}
    w = weights(growth_inflation_quads, flat(ROLES, DAYS), _macro(inflation=_released(calmer)),
                _obs(inflation=_observed(calmer)), change_over_months=1, entry="sequence")  # fmt: skip
    events = w.attrs["events"]
    assert list(events.index[events].strftime("%m-%d")) == ["04-19"]
    # small caps from the trigger while the quad stays 1 or 2 (2 from Apr 19, 1 from May 17): to the end
    assert (w.loc[:"2021-04-16", "small_cap"] == 0).all() and (w.loc["2021-04-19":, "small_cap"] == 1).all()


@pytest.mark.parametrize(
    ("spells", "fires"),
    [
        ([4, 3, 1], [False, False, True]),
        ([4, 3, 2], [False, False, True]),
        ([3, 4, 3, 2, 1], [False, False, False, True, False]),  # 1 after 2 is not a new sequence
        ([4, 1, 3, 2], [False, False, False, False]),  # 3 must follow 4 directly
        ([4, np.nan, 3, 1], [False, False, False, False]),  # unknown days break the sequence
        ([4, 3, 4, 3, 1], [False, False, False, False, True]),
    ],
)
def test_sequence_triggers_on_spells(spells: Sequence[float], fires: Sequence[bool]) -> None:
    days = pd.bdate_range("2020-01-01", periods=3 * len(spells))
    quad = pd.Series(np.repeat(spells, 3).astype(float), index=days)
    expected = np.zeros(len(days), dtype=bool)
    expected[::3] = fires  # a trigger falls on the first day of its spell
    assert sequence_triggers(quad).tolist() == expected.tolist()


def test_weights_above_one_in_a_quad_are_refused() -> None:
    from simulator.contract import StrategyError

    with pytest.raises(StrategyError, match="quad4_small \\+ quad4_defensive exceed 1"):
        weights(growth_inflation_quads, flat(ROLES, DAYS), _macro(), _obs(), quad4_small=0.5)


def test_the_strategy_declares_a_vintage_note_not_hindsight() -> None:
    params = growth_inflation_quads.resolve_params({"growth": "gdp"})
    assert growth_inflation_quads.hindsight_note(params) is None
    note = growth_inflation_quads.vintage_note(params)
    assert note is not None and "GDPC1" in note and "CPIAUCSL" in note
    assert growth_inflation_quads.required_series(params) == ("real_gdp_yoy", "cpi_yoy")


# --- publication: a CPI value moves nothing before it is published -------------------------------------


class _Source:
    """An in-memory source: business-day prices and monthly FRED series."""

    name, synthetic = "memory", False

    def __init__(self, series: dict[str, pd.Series]) -> None:
        self.series = series
        days = pd.bdate_range("2008-01-01", "2012-12-31", name="date")
        self.prices = {t: pd.Series(100.0, index=days, name=t) for t in ("SPY", "IWM", "XLP", "XLU", "XLV")}

    def missing(self, tickers: Sequence[str], series: Sequence[str]) -> list[str]:
        return [i for i in series if i not in self.series]

    def load_prices(self, tickers: Sequence[str]) -> dict[str, pd.Series]:
        return {t: self.prices[t] for t in tickers}

    def load_series(self, ids: Sequence[str]) -> dict[str, pd.Series]:
        return {i: self.series[i] for i in ids}


def _run(cpi: pd.Series, indpro: pd.Series) -> pd.DataFrame:
    from simulator.data.market.alignment import build_market

    src = _Source({"CPIAUCSL": cpi, "INDPRO": indpro})
    market = build_market(src, ["IWM", "XLP", "XLU", "XLV"], "SPY", ["indpro_yoy", "cpi_yoy"])
    s = growth_inflation_quads
    # each quad its own weights, so any change of quad shows
    params = s.resolve_params({"change_over_months": 1, "quad2_small": 0.5, "quad3_small": 0.25})
    roles = {"small_cap": "IWM", "large_cap": "SPY", "staples": "XLP", "utilities": "XLU", "health": "XLV"}
    return s.weights(market.input_for(roles, s.required_series(params)), params)


def test_a_cpi_value_moves_no_weight_before_its_publication_day() -> None:
    months = pd.date_range("2006-01-01", "2012-12-01", freq="MS", name="date")
    rng = np.random.default_rng(5)
    cpi = pd.Series(200 * np.cumprod(1 + rng.normal(0.002, 0.003, len(months))), index=months, name="CPIAUCSL")
    indpro = pd.Series(100 * np.cumprod(1 + rng.normal(0.001, 0.006, len(months))), index=months, name="INDPRO")
    # June 2010's CPI, published 15 days after June ends (2010-07-15), moved to turn inflation's acceleration
    # (June's year-on-year rate against May's, change_over_months 1) the other way
    june, may, a_year = pd.Timestamp("2010-06-01"), pd.Timestamp("2010-05-01"), pd.DateOffset(years=1)
    up = cpi[june] / cpi[june - a_year] > cpi[may] / cpi[may - a_year]
    moved = cpi.copy()
    moved[june] *= 0.95 if up else 1.05
    base, changed = _run(cpi, indpro), _run(moved, indpro)
    differ = (base != changed).any(axis=1)
    assert differ.any(), "the planted change must move some weight, else the test shows nothing"
    assert differ.idxmax() == pd.Timestamp("2010-07-15")  # the first day it differs is the publication day
    assert not differ.loc[:"2010-07-14"].any()


# --- real data: the quads around 2008 and 2020 ------------------------------------------------------------


@pytest.mark.real_data
def test_quads_around_2008_and_2020_on_real_data(shared_data: Path) -> None:
    """Regime history: growth and inflation both slowed through the 2008-09 recession (Quad 4 from the autumn of
    2008 into mid-2009: oil's collapse took CPI inflation from 5.6% in July 2008 to -2% in July 2009); industrial
    production turned up in the summer of 2009 while inflation was still falling (Quad 1). In 2020 both collapsed
    in the spring (Quad 4), then growth and inflation rebounded together from the summer (Quad 2)."""
    from simulator.data.market.alignment import build_market
    from simulator.data.sources.csv_folder import CsvSource

    market = build_market(CsvSource(shared_data), ["SPY", "IWM"], "SPY", ["indpro_yoy", "cpi_yoy"])
    macro, observed = market.macro, market.observed
    got = quads(
        yoy_change(macro["indpro_yoy"], observed["indpro_yoy"], 3), yoy_change(macro["cpi_yoy"], observed["cpi_yoy"], 3)
    )
    growth, inflation = (
        published_yoy_change(shared_data, "INDPRO", 17),
        published_yoy_change(shared_data, "CPIAUCSL", 15),
    )
    days = got.loc["2007-01-01":"2010-12-31"].index.append(got.loc["2019-06-01":"2021-12-31"].index)
    for day in days:
        g, i = growth.loc[:day].iloc[-1], inflation.loc[:day].iloc[-1]
        expected = 1 if g > 0 >= i else 2 if g > 0 else 3 if i > 0 else 4
        assert got[day] == expected, day
    named = {"2008-12-31": 4, "2009-03-31": 4, "2009-09-30": 1, "2020-06-01": 4, "2020-09-01": 2}
    assert {d: int(got[d]) for d in named} == named


def test_gdp_counts_from_a_month_after_its_quarter_and_yoy_matches_by_date() -> None:
    from simulator.data.market.alignment import as_known, year_on_year
    from simulator.data.market.series import SERIES

    quarters = pd.DatetimeIndex(["2023-01-01", "2023-04-01", "2023-07-01", "2023-10-01", "2024-01-01"])
    gdp = pd.Series([100.0, 101.0, 102.0, 103.0, 104.0], index=quarters)
    yoy = year_on_year(gdp)
    assert yoy.index.tolist() == [pd.Timestamp("2024-01-01")] and yoy.iloc[0] == pytest.approx(4.0)
    days = pd.bdate_range("2024-04-25", "2024-05-03")
    known = as_known(yoy, SERIES["real_gdp_yoy"], SERIES["real_gdp_yoy"].lag_days, days)
    # 2024Q1 ends on 03-31; its advance estimate counts 30 days later, on 04-30
    assert known.loc[:"2024-04-29"].isna().all() and np.allclose(known.loc["2024-04-30":], 4.0)
    # a missing month (CPI's 2025-10) leaves a hole: 2025-11 is still compared with 2024-11
    months = pd.date_range("2024-01-01", "2025-12-01", freq="MS")
    cpi = pd.Series(np.arange(len(months), dtype=float) + 100.0, index=months).drop(pd.Timestamp("2025-10-01"))
    rates = year_on_year(cpi)
    assert pd.Timestamp("2025-10-01") not in rates.index
    assert rates["2025-11-01"] == pytest.approx((122.0 / 110.0 - 1) * 100)
