"""The rotation strategies on real history (../shared/data): the dates the ideas name."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.real_data

ROLES = {
    "large_cap": "SPY",
    "small_cap": "IWM",
    "small_cap_index": "^RUT",
    "growth": "QQQ",
    "tech": "XLK",
    "financials": "XLF",
}
SERIES = ["fed_target", "recession", "recession_hindsight", "fed_funds", "y2", "y10"]
# First cuts after a year without one since 1990, dated on the FOMC's announcement day (the list).
FIRST_CUTS = ["1995-07-06", "1998-09-29", "2001-01-03", "2007-09-18", "2019-07-31", "2024-09-18"]


@pytest.fixture(scope="module")
def market(shared_data: Path):
    """The config universe: history from IWM's first day, 2000-05-26."""
    from simulator.data.market.alignment import build_market
    from simulator.data.sources.csv_folder import CsvSource

    return build_market(CsvSource(shared_data), ROLES.values(), "SPY", SERIES, None, None)


@pytest.fixture(scope="module")
def long_market(shared_data: Path):
    """Indices only, so the macro series reach back to 1987 (^RUT's first day)."""
    from simulator.data.market.alignment import build_market
    from simulator.data.sources.csv_folder import CsvSource

    return build_market(CsvSource(shared_data), ["^GSPC", "^RUT"], "^GSPC", SERIES, None, None)


def weights(registry, market, name: str, universe: dict[str, str] = ROLES, **params) -> pd.DataFrame:
    s = registry.get(name)
    resolved = s.resolve_params(params)
    return s.weights(market.input_for(s.role_tickers(resolved, universe), s.series), resolved)


def starts(signal: pd.Series, since: str = "1900") -> list[str]:
    """The first day of each spell of the signal, from ``since`` on."""
    first = signal & ~signal.shift(1, fill_value=False)
    return [str(d.date()) for d in signal.index[first] if d >= pd.Timestamp(since)]


def test_thrust_fires_on_2024_07_16_with_the_russell(registry, market) -> None:
    w = weights(registry, market, "small_cap_thrust", hold=3)
    # ^RUT closed +3.57% on 2024-07-11 and +3.505% on 2024-07-16 (PROVENANCE.md spot checks)
    july = w.attrs["signal"]["2024-07-01":"2024-07-31"]
    assert [str(d.date()) for d in july.index[july]] == [
        "2024-07-11",
        "2024-07-12",
        "2024-07-15",
        "2024-07-16",
        "2024-07-17",
        "2024-07-18",
    ]
    year = weights(registry, market, "small_cap_thrust")
    assert year.loc["2024-07-16", "small_cap"] == 1.0
    on = year.attrs["signal"]["2024-07-16":]
    assert on.iloc[:252].all()  # 252 trading days from the 2024-07-16 thrust


@pytest.mark.parametrize(("day", "spread_pp"), [("2020-11-09", 5.67), ("2021-01-06", 5.48), ("2024-07-11", 5.79)])
def test_spread_days_fire(registry, market, day: str, spread_pp: float) -> None:
    r = market.prices[["IWM", "QQQ"]].pct_change()
    assert (r.loc[day, "IWM"] - r.loc[day, "QQQ"]) * 100 == pytest.approx(spread_pp, abs=0.005)
    for hold in (63, 252):
        w = weights(registry, market, "rotation_spread", hold=hold)
        assert w.loc[day, "small_cap"] == 1.0 and w.loc[day, "growth"] == 0.0
        assert w.attrs["signal"][day:].iloc[:hold].all()


def test_spread_2024_spell_starts_on_the_day_and_lasts_63_days(registry, market) -> None:
    w = weights(registry, market, "rotation_spread", hold=63)
    sig = w.attrs["signal"]["2024-01-01":"2024-12-31"]
    assert starts(w.attrs["signal"], "2024") == ["2024-07-11"] and sig.sum() == 63
    assert w.loc["2024-07-10", "small_cap"] == 0.5  # the neutral mix the day before


def test_election_barbell_switches_on_real_trading_days(registry, market) -> None:
    cal = weights(registry, market, "election_barbell")
    assert starts(cal.attrs["signal"], "2001") == [
        "2004-01-02",
        "2008-01-02",
        "2012-01-03",
        "2016-01-04",
        "2020-01-02",
        "2024-01-02",
    ]
    assert cal.loc["2016-01-04", "financials"] == 0.5 and cal.loc["2015-12-31", "large_cap"] == 1.0
    by_day = weights(registry, market, "election_barbell", switch="election_day")
    sig = by_day.attrs["signal"]
    # 2016-11-08 minus 365 days is 2015-11-09; plus 365 days is 2017-11-08
    assert not sig["2015-11-09"] and sig["2015-11-10"] and sig["2017-11-08"] and not sig["2017-11-09"]


def test_first_cuts_since_1990_exactly(long_market) -> None:
    from rotsim_strategies.rate_cut_regime import first_cuts

    target = long_market.macro["fed_target"]
    found = first_cuts(target, 365)["1990":]
    assert [str(d.date()) for d in found.index[found]] == FIRST_CUTS
    shorter = first_cuts(target, 120)["1990":]
    shorter = [str(d.date()) for d in shorter.index[shorter]]
    assert "2020-03-03" in shorter and set(FIRST_CUTS) <= set(shorter)


def test_cuts_are_dated_on_announcement_days(long_market) -> None:
    """FRED's DFEDTARU dates the 2019 and 2024 cuts on 08-01 and 09-19, the day after each statement."""
    t = long_market.macro["fed_target"]
    assert t["2019-07-30"] == 2.5 and t["2019-07-31"] == 2.25
    assert t["2024-09-17"] == 5.5 and t["2024-09-18"] == 5.0
    assert t["2020-03-02"] == 1.75 and t["2020-03-03"] == 1.25  # the intermeeting cut, announced 10 am
    assert t["2020-03-13"] == 1.25 and t["2020-03-16"] == 0.25  # announced Sunday 2020-03-15
    assert t["2008-12-15"] == 1.0 and t["2008-12-16"] == 0.25  # the range began the day it was announced
    assert t["2015-12-15"] == 0.25 and t["2015-12-16"] == 0.5  # dated on its statement day by FRED itself


def test_rate_cut_tilts_with_and_without_hindsight(registry, long_market, market) -> None:
    index_roles = {"large_cap": "^GSPC", "small_cap": "^RUT"}
    known = weights(registry, long_market, "rate_cut_regime", index_roles)
    assert starts(known.attrs["signal"], "1990") == FIRST_CUTS  # the published flag is too slow to skip any
    hindsight = weights(registry, long_market, "rate_cut_regime", index_roles, hindsight_recession_filter=True)
    # NBER recessions began in April 2001, January 2008 and March 2020: within a year of three of the cuts
    assert starts(hindsight.attrs["signal"], "1990") == ["1995-07-06", "1998-09-29", "2024-09-18"]
    # The run starts on IWM's first day (2000-05-26), but the strategy sees the fed target's history
    # before it (its warm-up), so the 2001-01-03 cut, less than a year into the run, is a first cut
    config = weights(registry, market, "rate_cut_regime")
    assert starts(config.attrs["signal"], "2000-05-26") == FIRST_CUTS[2:]


def test_policy_curve_on_real_rates(registry, market) -> None:
    w = weights(registry, market, "policy_curve_trigger")
    # end of 2021: fed funds 0.08%, 2-year 0.73%; end of 2023: fed funds 5.33%, 2-year 4.26% (as published)
    assert w.loc["2021-12-31", "small_cap"] == 1.0 and w.loc["2023-12-29", "large_cap"] == 1.0


def test_yield_tilt_on_real_yields(registry, market, shared_data: Path) -> None:
    w = weights(registry, market, "yield_tilt")
    dgs10 = pd.read_csv(shared_data / "fred_DGS10.csv", index_col=0, parse_dates=True).iloc[:, 0].dropna()
    days = market.prices.index
    for month in ("2020-04", "2022-04"):
        first = days[days.searchsorted(pd.Timestamp(f"{month}-01"))]
        back = days[days.get_loc(first) - 63]
        # as published: the latest DGS10 observation dated before each day
        change = dgs10[dgs10.index < first].iloc[-1] - dgs10[dgs10.index < back].iloc[-1]
        expected = min(1.0, max(0.0, 0.5 + round(-0.5 * change / 0.1) * 0.1))
        held = w.loc[month, "small_cap"]
        assert held.tolist() == pytest.approx([expected] * len(held)), (month, change)
    assert w.loc["2020-04-01", "small_cap"] == 1.0  # the 10-year fell 1.2 pp in the quarter to March 2020
