"""The long-history configs (configs/century/) on ../shared/data, checked against plain pandas on the CSV files.

Each config runs once, in-process, without tearsheets (a few seconds each).
What is checked is recomputed from the files themselves: the market's daily
total return from the Ken French factors (Mkt-RF + RF), a portfolio's
returns from its column, first cuts of the Fed's target from DFEDTAR and
DFEDTARU, first cuts from the effective rate by the config's rule on DFF, and
the cash rate (Ken French RF before DTB3).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from fred_published import published_yoy_change

from simulator.cli import main

pytestmark = pytest.mark.real_data

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ("small_cap_thrust", "rate_cut_regime", "election_barbell", "growth_inflation_quads")
TOL = 1e-12


@pytest.fixture(scope="module")
def runs(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("century")
    folders = {}
    for name in CONFIGS:
        config = ROOT / "configs" / "century" / f"{name}.yaml"
        args = ["run", str(config), "--data-dir", str(shared_data), "--out", str(out), "--no-tearsheets"]
        assert main(args) == 0
        (folders[name],) = (out / yaml.safe_load(config.read_text())["name"]).iterdir()
    return folders


def _ff(shared: Path, name: str) -> pd.DataFrame:
    """A Ken French file read with plain pandas: percent returns, -99.99 as missing."""
    if name == "factors":
        frame = pd.read_csv(shared / "ff_F-F_Research_Data_Factors_daily.csv", skiprows=4, index_col=0)
        frame = frame[pd.to_numeric(frame.index.str.strip().str[:4], errors="coerce").notna()]
        frame.index = pd.to_datetime(frame.index.str.strip(), format="%Y-%m-%d")
    else:
        frame = pd.read_csv(shared / f"ff_{name}.csv", index_col=0)
        frame.index = pd.to_datetime(frame.index.astype(str), format="%Y%m%d")
    frame = frame.apply(pd.to_numeric)
    return frame.where(frame > -99.99)


def _fred(shared: Path, series: str) -> pd.Series:
    frame = pd.read_csv(shared / f"fred_{series}.csv", index_col=0, parse_dates=True)
    return frame[series].dropna()


def _returns(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "returns.csv", index_col=0, parse_dates=True)


@pytest.mark.parametrize("name", CONFIGS)
def test_the_benchmark_is_the_ken_french_market_total_return(
    runs: dict[str, Path], shared_data: Path, name: str
) -> None:
    factors = _ff(shared_data, "factors")
    market = (factors["Mkt-RF"] + factors["RF"]) / 100
    got = _returns(runs[name])["FF:Mkt"]
    assert got.iloc[0] == 0.0  # bought at the first close
    np.testing.assert_allclose(got.iloc[1:].to_numpy(), market.loc[got.index[1:]].to_numpy(), rtol=0, atol=TOL)
    growth = (1 + got).prod()
    assert growth == pytest.approx((1 + market.loc[got.index[1] : got.index[-1]]).prod(), rel=1e-9)


def test_small_cap_thrust_spans_a_century_and_fires_on_the_quintiles_3_5pc_days(
    runs: dict[str, Path], shared_data: Path
) -> None:
    folder = runs["small_cap_thrust"]
    returns = _returns(folder)
    assert str(returns.index[0].date()) == "1926-07-01" and returns.index[-1] >= pd.Timestamp("2025-05-30")
    lo20 = _ff(shared_data, "Portfolios_Formed_on_ME_Daily")["Lo 20"].loc[returns.index]
    events = lo20.index[lo20 >= 3.5]
    assert len(events) > 100 and events[0] < pd.Timestamp("1930-01-01")
    signal = pd.read_csv(folder / "signals.csv", index_col=0, parse_dates=True).iloc[:, 0].astype(bool)
    # on for 252 trading days from each event day, that day included
    position = pd.Series(np.arange(len(signal)), index=signal.index)
    last = position.loc[events]
    expected = np.zeros(len(signal), dtype=bool)
    for p in last:
        expected[p : p + 252] = True
    np.testing.assert_array_equal(signal.to_numpy(), expected)
    # while held (from the day after a decision, lag 1), the book earns Lo 20's return
    held = pd.read_csv(next((folder / "weights").glob("small-cap*.csv")), index_col=0, parse_dates=True)
    small = held["FF:Portfolios_Formed_on_ME_Daily:Lo 20"]
    steady = small.eq(1.0) & small.shift(1).eq(1.0)
    book = returns.iloc[:, 0]
    np.testing.assert_allclose(book[steady].to_numpy(), lo20[steady].to_numpy() / 100, rtol=0, atol=1e-9)


def _target_first_cuts(shared: Path) -> list[pd.Timestamp]:
    """First cuts after 365 days without one, from DFEDTAR then DFEDTARU (moved to the FOMC's day from 2017)."""
    old, new = _fred(shared, "DFEDTAR"), _fred(shared, "DFEDTARU")
    new = new[new.ne(new.shift())]
    new.index = new.index.where(new.index < "2017-03-16", new.index - pd.Timedelta(days=1))
    target = pd.concat([old, new[new.index > old.index[-1]]])
    cuts = target.index[target.diff() < 0]
    firsts, previous = [], None
    for day in cuts:
        if (previous is None or (day - previous).days >= 365) and (day - target.index[0]).days >= 365:
            firsts.append(day)
        previous = day
    return firsts


def _funds_rule_first_cuts(shared: Path, days: pd.DatetimeIndex) -> list[pd.Timestamp]:
    """The config's rule on DFF: the month's average of the rates known at its closes (published a business
    day late) 25 bp or more below the highest of the 6 months before; acted on at the next month's first
    trading day; first when no such day is within 365 days before, and a year of months was judged."""
    dff = _fred(shared, "DFF")
    known = pd.Series(dff.reindex(days - pd.offsets.BDay(1), method="ffill").to_numpy(), index=days)
    months = known.groupby(days.to_period("M")).mean()
    high = months.rolling(6).max().shift(1)
    judged = months[high.notna()]
    eases = judged[judged <= high[high.notna()] - 0.25].index
    first_day = pd.Series(days, index=days).groupby(days.to_period("M")).first()
    acted = [first_day[m + 1] for m in eases if (m + 1) in first_day.index]
    start = first_day[judged.index[0] + 1]
    firsts, previous = [], None
    for day in acted:
        if (previous is None or (day - previous).days >= 365) and (day - start).days >= 365:
            firsts.append(day)
        previous = day
    return firsts


def test_fed_funds_rule_finds_the_targets_first_cuts_where_both_exist(runs: dict[str, Path], shared_data: Path) -> None:
    targets = _target_first_cuts(shared_data)
    assert [str(d.date()) for d in targets] == [
        "1984-09-20",
        "1989-06-06",
        "1995-07-06",
        "1998-09-29",
        "2001-01-03",
        "2007-09-18",
        "2019-07-31",
        "2024-09-18",
    ]
    days = _returns(runs["rate_cut_regime"]).index
    funds = _funds_rule_first_cuts(shared_data, pd.DatetimeIndex(days))
    overlap = [d for d in funds if d >= pd.Timestamp("1983-09-27")]  # the target known for a year
    assert len(overlap) == len(targets)
    for target, found in zip(targets, overlap):
        assert 0 < (found - target).days <= 62, (target, found)  # the month after the cut, or the one after
    assert [str(d.date()) for d in funds if d < pd.Timestamp("1983-09-27")] == [
        "1958-01-02",
        "1960-07-01",
        "1966-10-03",
        "1968-10-01",
        "1973-11-01",
        "1979-12-03",
    ]
    # the strategy's own rule gives the same days
    from simulator.data.market.alignment import build_market
    from simulator.data.sources.csv_folder import CsvSource

    rule = importlib.import_module("rotsim_strategies.rate_cut_regime").funds_first_cuts
    market = build_market(CsvSource(shared_data), ["FF:Mkt"], "FF:Mkt", ["fed_funds"], None, None)
    mine = rule(market.macro["fed_funds"].loc[days[0] :], 25.0, 365, 6)
    assert list(mine.index[mine.to_numpy(dtype=bool)]) == funds


def test_rate_cut_run_tilts_from_fed_funds_then_from_the_target(runs: dict[str, Path], shared_data: Path) -> None:
    folder = runs["rate_cut_regime"]
    signal = pd.read_csv(folder / "signals.csv", index_col=0, parse_dates=True).iloc[:, 0].astype(bool)
    starts = signal.index[signal & ~signal.shift(1, fill_value=False)]
    days = pd.DatetimeIndex(signal.index)
    funds = [d for d in _funds_rule_first_cuts(shared_data, days) if d < pd.Timestamp("1983-09-27")]
    targets = [d for d in _target_first_cuts(shared_data) if d <= days[-1]]
    # the NBER flag as published: each month known 640 days after it ends; a cut while it says recession is skipped
    usrec = _fred(shared_data, "USREC")
    published = pd.Series(usrec.to_numpy(), index=usrec.index + pd.offsets.MonthEnd(0) + pd.Timedelta(days=640))
    kept = [d for d in funds + targets if published.asof(d) == 0]
    assert [str(d.date()) for d in funds + targets if d not in kept] == ["1984-09-20"]  # Nov 1982, the trough month
    assert [str(d.date()) for d in starts] == [str(d.date()) for d in kept]


def test_election_run_holds_hitec_in_election_years_and_the_market_otherwise(
    runs: dict[str, Path], shared_data: Path
) -> None:
    returns = _returns(runs["election_barbell"])
    assert str(returns.index[0].date()) == "1928-01-03"
    hitec = _ff(shared_data, "10_Industry_Portfolios_Daily")["HiTec"].loc[returns.index] / 100
    factors = _ff(shared_data, "factors").loc[returns.index]
    market = (factors["Mkt-RF"] + factors["RF"]) / 100
    years = returns.index.year
    on = (years % 4 == 0) | (years % 4 == 1)  # election years (1928, 1932, ...) and the year after
    # away from the switches (a decision at a year's first close trades at the next: lag 1)
    year_start = pd.Series(years, index=returns.index).ne(pd.Series(years, index=returns.index).shift())
    settled = ~(year_start | year_start.shift(1, fill_value=False) | year_start.shift(2, fill_value=False))
    book = returns["Election years, HiTec"]
    np.testing.assert_allclose(book[on & settled].to_numpy(), hitec[on & settled].to_numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(book[~on & settled].to_numpy(), market[~on & settled].to_numpy(), rtol=0, atol=1e-9)


def test_quads_run_since_1948_holds_small_caps_in_quads_1_2_and_large_caps_in_3(
    runs: dict[str, Path], shared_data: Path
) -> None:
    returns = _returns(runs["growth_inflation_quads"])
    assert str(returns.index[0].date()) == "1948-01-02"
    sizes = _ff(shared_data, "Portfolios_Formed_on_ME_Daily").loc[returns.index] / 100
    industries = _ff(shared_data, "10_Industry_Portfolios_Daily").loc[returns.index] / 100
    # the quad known at each close: INDPRO out 17 days after its month, CPI 15 (as the config says)
    growth = published_yoy_change(shared_data, "INDPRO", 17)
    inflation = published_yoy_change(shared_data, "CPIAUCSL", 15)
    g = growth.groupby(level=0).last().reindex(returns.index.union(growth.index)).ffill().loc[returns.index]
    i = inflation.groupby(level=0).last().reindex(returns.index.union(inflation.index)).ffill().loc[returns.index]
    quad = pd.Series(
        np.select([(g > 0) & (i <= 0), (g > 0) & (i > 0), (g <= 0) & (i > 0)], [1, 2, 3], 4), returns.index
    )
    quad[g.isna() | i.isna()] = 0  # not known yet: large caps
    # a day's return is what was held from the close before, chosen (lag 1) at the close before that
    settled = quad.eq(quad.shift(1)) & quad.eq(quad.shift(2))
    book = returns["Quads (industrial production)"]
    small = settled & quad.isin([1, 2])
    large = settled & quad.isin([0, 3])
    assert small.sum() > 5000 and large.sum() > 3000  # each regime is a large part of 77 years
    np.testing.assert_allclose(book[small].to_numpy(), sizes["Lo 30"][small].to_numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(book[large].to_numpy(), sizes["Hi 30"][large].to_numpy(), rtol=0, atol=1e-9)
    # Quad 4: the defensive mix in equal parts at each switch, drifting after: between its lowest and highest part
    mix = industries[["NoDur", "Utils", "Hlth"]]
    four = settled & quad.eq(4)
    assert four.sum() > 3000
    assert (book[four] >= mix[four].min(axis=1) - 1e-12).all() and (book[four] <= mix[four].max(axis=1) + 1e-12).all()


def test_the_cash_rate_covers_1926_to_the_end_with_ken_french_rf_then_dtb3(
    runs: dict[str, Path], shared_data: Path
) -> None:
    rf = pd.read_csv(runs["small_cap_thrust"] / "risk_free.csv", index_col=0, parse_dates=True)["risk_free"]
    assert rf.notna().all() and str(rf.index[0].date()) == "1926-07-01"
    # the rate known at yesterday's close: none on the first two days (RF is published a day late)
    assert (rf.iloc[:2] == 0).all()
    factors = _ff(shared_data, "factors")
    bill = factors["RF"].loc[rf.index] / 100
    # 1953-1999 (no Saturday sessions): each day earns RF of two trading days before, unchanged
    span = (rf.index >= "1953-01-05") & (rf.index < "2000-01-03")
    np.testing.assert_allclose(rf[span].to_numpy(), bill.shift(2)[span].to_numpy(), rtol=0, atol=1e-12)
    # from 2000 the 3-month bill (DTB3, percent a year) as a daily return
    dtb3 = _fred(shared_data, "DTB3")
    daily = (1 + dtb3 / 100) ** (1 / 252) - 1
    later = rf.index >= "2000-01-05"
    expected = daily.reindex(rf.index, method="ffill").shift(2)[later]
    # where the market was closed and bills traded (2001-09-13, holidays) a newer rate was known: the largest gap
    assert np.abs(rf[later].to_numpy() - expected.to_numpy()).max() < 3e-5
    assert (np.abs(rf[later].to_numpy() - expected.to_numpy()) < 1e-15).mean() > 0.99
    # no day after the first two without a rate: each 0 is a 0.00 in the source itself (the 1930s-40s RF,
    # DTB3 in 2011-2015), a day or two before (Saturday sessions before 1953 shift it by one)
    source = pd.concat(
        [bill[rf.index < "2000-01-03"], daily.reindex(rf.index, method="ffill")[rf.index >= "2000-01-03"]]
    )
    zero = rf.index[(rf == 0).to_numpy()][2:]
    near = pd.concat([source.shift(k).loc[zero] == 0 for k in (1, 2, 3)], axis=1).any(axis=1)
    assert len(zero) > 1000 and near.all()
