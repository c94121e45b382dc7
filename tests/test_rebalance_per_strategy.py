"""A strategy's own ``rebalance:`` decides its trading days, over the engine's default.

One run, four books of the same targets (tests/plugin_fakes.py ``windowed``:
30% small caps, 70% inside a few windows the test picks), three rebalanced
by their own policy and one by the engine's default, lag 2, no costs. The
days each book traded are read from trades/ and weights/ and compared with
days the test computes from the run's calendar (returns.csv's dates): the
first day, two trading days after each change of target, and the first
trading day of each month or quarter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import only_run
from plugin_fakes import inside, write_plugin

LAG = 2
WINDOWS = [("2010-05-12", "2010-08-20"), ("2011-03-01", "2011-03-01"), ("2011-09-15", "2011-11-30")]
SMALL_ON, SMALL_OFF = 0.7, 0.3
# label -> (the policy it must trade by, its rebalance line in the config, its trades/weights file name)
BOOKS = {
    "Quarterly by default": ("quarterly", "", "quarterly-by-default"),  # engine.rebalance
    "Monthly": ("monthly", "rebalance: monthly, ", "monthly"),
    "On change": ("on_change", "rebalance: on_change, ", "on-change"),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from simulator.cli import main

    tmp = tmp_path_factory.mktemp("rebalance")
    windows = ", ".join(f"['{a}', '{b}']" for a, b in WINDOWS)
    params = f"params: {{windows: [{windows}], small_on: {SMALL_ON}, small_off: {SMALL_OFF}}}"
    books = "".join(
        f"  - {{name: windowed, label: {label}, {line}{params}}}\n" for label, (_, line, _) in BOOKS.items()
    )
    cfg = tmp / "rebal.yaml"
    cfg.write_text(
        "name: rebal\n"
        "data: {source: sample, start: 2010-01-04, end: 2011-12-30}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\n"
        f"plugins: [{write_plugin(tmp)}]\n"
        f"engine: {{lag: {LAG}, rebalance: quarterly, fees_bps: 0, slippage_bps: 0, cash_earns: nothing}}\n"
        "strategies:\n" + books + "  - {name: static_weights, label: Static monthly, rebalance: monthly, "
        "params: {weights: {large_cap: 0.6, small_cap: 0.4}}}\n"
        "report: {tearsheets: false}\n"
    )
    assert main(["run", str(cfg), "--out", str(tmp / "out")]) == 0
    return only_run(tmp / "out", "rebal")


def _days(run: Path) -> pd.DatetimeIndex:
    return pd.read_csv(run / "returns.csv", index_col=0, parse_dates=True).index


def _small_target(days: pd.DatetimeIndex) -> pd.Series:
    """The share of small caps ``windowed`` decides at each close."""
    return inside(days, WINDOWS).map({True: SMALL_ON, False: SMALL_OFF})


def _expected(days: pd.DatetimeIndex, policy: str) -> set[pd.Timestamp]:
    """The first day; LAG trading days after each target change (on_change); each period's first trading day."""
    out = {days[0]}
    if policy != "static":
        small = _small_target(days)
        changed = np.flatnonzero(small.diff().fillna(0).to_numpy() != 0)
        assert len(changed) == 2 * len(WINDOWS) and changed[0] > 0  # every change inside the run, none on day one
        out |= {days[i + LAG] for i in changed}
    if policy in ("monthly", "quarterly", "static"):
        period = "Q" if policy == "quarterly" else "M"
        firsts = pd.Series(days, index=days).groupby(days.to_period(period)).min()
        out |= set(firsts)
    return out


def _traded(run: Path, name: str) -> set[pd.Timestamp]:
    fills = pd.read_csv(run / "trades" / f"{name}.csv", parse_dates=["date"])
    return set(fills["date"])


@pytest.mark.parametrize("label", list(BOOKS))
def test_each_book_trades_on_its_own_policys_days(run: Path, label: str) -> None:
    policy, _, name = BOOKS[label]
    assert _traded(run, name) == _expected(_days(run), policy)


def test_a_static_book_with_its_own_monthly_policy_trades_each_month(run: Path) -> None:
    """Its targets never change: every trade after the first day is the policy's (the engine's default is quarterly)."""
    days = _days(run)
    assert _traded(run, "static-monthly") == _expected(days, "static")
    assert len(_expected(days, "static")) == 24  # two years of months, the first day being January's first


@pytest.mark.parametrize("label", list(BOOKS))
def test_held_weights_are_back_on_target_exactly_on_the_rebalance_days(run: Path, label: str) -> None:
    """No costs: a rebalanced close holds the target decided LAG days before; every other close has drifted."""
    policy, _, name = BOOKS[label]
    days = _days(run)
    held = pd.read_csv(run / "weights" / f"{name}.csv", index_col=0, parse_dates=True)
    # the target traded on day i was decided at day i - LAG; before the run's third day that is the warm-up's 30%
    target = _small_target(days).shift(LAG).fillna(SMALL_OFF)
    on_target = (held["IWM"] - target).abs() < 1e-9
    assert set(days[on_target.to_numpy()]) == _expected(days, policy)
    assert (held["cash"].abs() < 1e-9).all()  # fully invested throughout: the drift is between the two tickers
