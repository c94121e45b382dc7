"""Fees, slippage and cash earning the rate inside a real run, day by day, against numpy.

One `rotsim run` on the synthetic market (10 bp fees, 25 bp slippage,
``cash_earns: risk_free``) of fixed-weight books that keep part of their value
in cash. Every day of returns.csv is compared with the plain numpy
bookkeeping of tests/reference.py, fed with the market's raw closes and its
raw DTB3 series: percent a year, posted the next business day, turned into
the daily return (1 + rate/100) ** (1/252) - 1 and earned over the trading day
after the close it was known at (README: "Cash earns the rate from the first
day"; manifest: "known at the previous close").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from conftest import only_run, run_in_process
from reference import daily_rf, reference_book

FEES, SLIPPAGE = 10e-4, 25e-4
CONFIG = """\
name: costs
data: {source: sample, start: 2006-01-03, end: 2009-12-31}
universe: {large_cap: SPY, small_cap: IWM}
engine: {fees_bps: 10, slippage_bps: 25, cash_earns: risk_free}
strategies:
  - {name: static_weights, label: Once, params: {weights: {small_cap: 0.4}}}
  - {name: static_weights, label: Monthly, rebalance: monthly, params: {weights: {large_cap: 0.5, small_cap: 0.3}}}
report: {tearsheets: false}
"""
# label -> (target weights by ticker, rebalanced on the first trading day of each month)
BOOKS = {"Once": ({"IWM": 0.4}, False), "Monthly": ({"SPY": 0.5, "IWM": 0.3}, True)}


@dataclass(frozen=True)
class Run:
    returns: pd.DataFrame
    prices: pd.DataFrame  # raw closes on the run's days
    rf: pd.Series  # what cash earns each day, from the raw DTB3


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    from simulator.data.sources.sample import SampleSource

    tmp = tmp_path_factory.mktemp("costs")
    (tmp / "costs.yaml").write_text(CONFIG)
    proc = run_in_process("run", str(tmp / "costs.yaml"), "--out", str(tmp / "out"), "--no-tearsheets")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    returns = pd.read_csv(only_run(tmp / "out", "costs") / "returns.csv", index_col=0, parse_dates=True)
    src = SampleSource(seed=7)
    raw = pd.DataFrame(src.load_prices(["SPY", "IWM"]))
    rf = daily_rf(src.load_series(["DTB3"])["DTB3"], raw["SPY"].dropna().index, returns.index)
    return Run(returns, raw.reindex(returns.index), rf)


def _expected(run: Run, label: str) -> pd.Series:
    """The book's daily returns by hand: bought at the first close (its first return: the costs), then held.

    A static book's target is the same every day, so the lag does not move it;
    it trades on the first day and, rebalanced monthly, on each month's first trading day.
    """
    weights, monthly = BOOKS[label]
    days = run.returns.index
    targets = pd.DataFrame(weights, index=days)
    trade_days = np.zeros(len(days), bool)
    trade_days[0] = True
    if monthly:
        months = days.to_period("M")
        trade_days[1:] = months[1:] != months[:-1]
    prices = run.prices[list(weights)]
    value, _ = reference_book(prices, targets, 0, trade_days, FEES, SLIPPAGE, run.rf)
    return pd.Series(np.r_[value[0] - 1, value[1:] / value[:-1] - 1], index=days)  # value starts at 1


def test_the_rate_is_there_to_earn(run: Run) -> None:
    assert run.rf.notna().all() and run.rf.max() > 1e-4 and run.rf.nunique() > 100  # a rate that moves


def test_a_book_with_cash_paying_costs_matches_numpy_every_day(run: Run) -> None:
    """40% IWM, 60% cash earning the rate: the first day's return is the costs, then drift and interest."""
    got = run.returns["Once"]
    want = _expected(run, "Once")
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=0, atol=1e-12)
    slipped_and_fees = 0.4 * ((1 + SLIPPAGE) * (1 + FEES) - 1)
    assert got.iloc[0] == pytest.approx(-slipped_and_fees, abs=1e-15)  # both costs, on the 40% bought


def test_a_book_rebalanced_monthly_pays_its_costs_out_of_cash(run: Run) -> None:
    """50% SPY, 30% IWM, 20% cash, back to target each month: every trade's costs paid from cash."""
    np.testing.assert_allclose(
        run.returns["Monthly"].to_numpy(), _expected(run, "Monthly").to_numpy(), rtol=0, atol=1e-12
    )
