"""Numbers a user takes at face value: the benchmark is its ticker's total return, strategies see
their warm-up history and are invested from the first close, cash earns the rate from day one,
and Sharpe/Sortino are over the cash rate. Every expected figure is computed here from raw inputs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import only_run, run_in_process
from reference import daily_rf as _daily_rf

# one run on the synthetic market, 2010-2012, three books; tearsheets off (not what is checked here)
CONFIG = """\
name: face
data: {{source: sample, start: 2010-01-04, end: 2012-12-31}}
universe: {{large_cap: SPY, small_cap: IWM}}
engine: {{fees_bps: 5, slippage_bps: 2, cash_earns: risk_free}}
strategies:
  - {{name: static_weights, label: All SPY, params: {{weights: {{large_cap: 1.0}}}}}}
  - {{name: static_weights, label: Half cash, params: {{weights: {{small_cap: 0.5}}}}}}
report: {{tearsheets: false{extra}}}
"""

ALL_SPY = """\
name: {name}
data: {{source: sample, {span}}}
universe: {{large_cap: SPY}}
strategies:
  - {{name: static_weights, label: All SPY, params: {{weights: {{large_cap: 1.0}}}}}}
report: {{tearsheets: false}}
"""


def _run(tmp_path: Path, extra: str = "") -> Path:
    return _run_config(tmp_path, "face", CONFIG.format(extra=extra))


def _run_config(tmp_path: Path, name: str, text: str) -> Path:
    """`rotsim run` on a config of ``text`` (its ``name``); the results folder."""
    cfg = tmp_path / f"{name}.yaml"
    cfg.write_text(text)
    proc = run_in_process("run", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    return only_run(tmp_path / "out", name)


@pytest.fixture(scope="module")
def face(tmp_path_factory) -> Path:
    return _run(tmp_path_factory.mktemp("face"))


@pytest.fixture(scope="module")
def raw():  # noqa: ANN201 - the synthetic market's raw prices and DTB3, as its generator makes them
    from simulator.data.sources.sample import SampleSource

    src = SampleSource(seed=7)
    return src.load_prices(["SPY", "IWM"]), src.load_series(["DTB3"])["DTB3"]


def _returns(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "returns.csv", index_col=0, parse_dates=True)


def test_the_benchmark_is_its_tickers_total_return_on_every_day(face: Path, raw) -> None:
    prices, _ = raw
    bench = _returns(face)["S&P 500 (SPY)"]
    spy = prices["SPY"]
    expected = spy.pct_change().reindex(bench.index)
    assert bench.index[0] == pd.Timestamp("2010-01-04")
    assert bench.iloc[0] == 0.0  # every book starts at the first close
    np.testing.assert_allclose(bench.iloc[1:], expected.iloc[1:], rtol=0, atol=1e-12)
    total = (1 + bench).prod() - 1
    assert total == pytest.approx(spy.loc["2012-12-31"] / spy.loc["2010-01-04"] - 1, abs=1e-12)
    trades = pd.read_csv(face / "trades" / "benchmark.csv")
    assert trades.empty  # not traded: no costs, no lag
    manifest = json.loads((face / "manifest.json").read_text())
    assert "total return" in manifest["benchmark"]["returns"]


def test_a_book_holds_its_first_target_from_the_first_close(face: Path, raw) -> None:
    prices, _ = raw
    trades = pd.read_csv(face / "trades" / "all-spy.csv")
    first = trades.iloc[0]
    assert (first["date"], first["ticker"], first["side"]) == ("2010-01-04", "SPY", "buy")
    # bought at the first close, paying 5 bps fees: from the next day on it earns SPY's return
    r = _returns(face)["All SPY"]
    # the first day: the costs of buying. All the cash buys SPY at the close, 2 bps up, 5 bps fees on top
    assert r.iloc[0] == pytest.approx(1 / ((1 + 2e-4) * (1 + 5e-4)) - 1, abs=1e-12)
    spy = prices["SPY"].pct_change().reindex(r.index)
    np.testing.assert_allclose(r.iloc[1:], spy.iloc[1:], rtol=0, atol=1e-9)
    manifest = json.loads((face / "manifest.json").read_text())
    books = {s["label"]: s for s in manifest["strategies"]}
    assert books["All SPY"]["first_target"] == "2010-01-04" and "first_day_note" not in books["All SPY"]


def test_cash_earns_the_rate_from_the_first_day(face: Path, raw) -> None:
    """Half cash: 50% IWM, 50% cash earning DTB3 known at the previous close; day 2 on, by hand."""
    prices, dtb3 = raw
    r = _returns(face)["Half cash"]
    rf = _daily_rf(dtb3, prices["SPY"].index, r.index)
    iwm = prices["IWM"].reindex(r.index)
    # at the first close, 50% of the value buys IWM at that close's price (shares = 0.5 / price); the fill
    # pays 2 bps slippage on the price and 5 bps fees on top; the rest stays in cash
    shares = 0.5 / iwm.iloc[0]
    cash = 1.0 - 0.5 * (1 + 2e-4) * (1 + 5e-4)
    first_close = shares * iwm.iloc[0] + cash
    v1 = shares * iwm.iloc[1] + cash * (1 + rf.iloc[1])
    assert r.iloc[0] == pytest.approx(first_close - 1, abs=1e-12)  # the costs of the first buy
    assert r.iloc[1] == pytest.approx(v1 / first_close - 1, abs=1e-12)
    assert rf.iloc[1] > 0  # the first day's rate is known: the warm-up has the day before


def test_sharpe_and_sortino_are_over_the_cash_rate(face: Path, raw) -> None:
    _, dtb3 = raw
    r = _returns(face)
    metrics = pd.read_csv(face / "metrics.csv", index_col=0)
    prices, _ = raw
    rf = _daily_rf(dtb3, prices["SPY"].index, r.index).fillna(0.0)
    for label in metrics.index:
        x = r[label] - rf
        sharpe = x.mean() / x.std(ddof=1) * np.sqrt(252)
        sortino = x.mean() / np.sqrt((np.minimum(x, 0) ** 2).mean()) * np.sqrt(252)
        assert metrics.loc[label, "sharpe"] == pytest.approx(sharpe, rel=1e-9), label
        assert metrics.loc[label, "sortino"] == pytest.approx(sortino, rel=1e-9), label
    written = pd.read_csv(face / "risk_free.csv", index_col=0, parse_dates=True)["risk_free"]
    np.testing.assert_allclose(written, rf, rtol=0, atol=1e-15)
    manifest = json.loads((face / "manifest.json").read_text())
    assert "DTB3" in manifest["metrics"]["risk_free"]
    assert "risk-free" in manifest["metrics"]["definitions"]["sharpe"]


def test_rf_zero_stays_a_choice(tmp_path: Path) -> None:
    folder = _run(tmp_path, ", risk_free: zero")
    r = _returns(folder)
    metrics = pd.read_csv(folder / "metrics.csv", index_col=0)
    x = r["S&P 500 (SPY)"]
    assert metrics.loc["S&P 500 (SPY)", "sharpe"] == pytest.approx(x.mean() / x.std(ddof=1) * np.sqrt(252), rel=1e-9)
    assert not (folder / "risk_free.csv").exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["metrics"]["risk_free"] == "none (rf = 0)"
    assert "rf = 0" in manifest["metrics"]["definitions"]["sharpe"]


def test_a_book_equal_to_the_benchmark_reports_the_benchmarks_metrics(tmp_path: Path) -> None:
    folder = _run_config(tmp_path, "same", ALL_SPY.format(name="same", span="start: 2010-01-04, end: 2011-12-30"))
    metrics = pd.read_csv(folder / "metrics.csv", index_col=0)
    same, bench = metrics.loc["All SPY"], metrics.loc["S&P 500 (SPY)"]
    pd.testing.assert_series_equal(same, bench, check_names=False, rtol=1e-12)
    assert np.isnan(same["information_ratio"])  # no tracking error: undefined, not a number from rounding
    assert same["turnover"] == 0.0  # buying the starting position is not turnover


def test_no_bar_before_the_first_day_is_said_in_the_manifest(tmp_path: Path) -> None:
    """The synthetic market begins 1990-01-02: a run from there has no close to decide on before it."""
    folder = _run_config(tmp_path, "first", ALL_SPY.format(name="first", span="end: 1990-12-31"))
    (book,) = json.loads((folder / "manifest.json").read_text())["strategies"]
    from simulator.data.sources.sample import SampleSource

    second = str(SampleSource(seed=7).load_prices(["SPY"])["SPY"].index[1].date())  # the market's second day
    assert book["first_target"] == second
    assert f"in cash until {second}" in book["first_day_note"]


@pytest.mark.real_data
def test_the_seed_runs_benchmark_row_is_spys_total_return(seed_rotations_real: Path, shared_data: Path) -> None:
    folder = seed_rotations_real  # the session's one run of the seed config (conftest)
    bench = _returns(folder)["S&P 500 (SPY)"]
    spy = pd.read_csv(shared_data / "etf_SPY.csv", index_col=0, parse_dates=True)["adj_close"]
    np.testing.assert_allclose(bench.iloc[1:], spy.pct_change().reindex(bench.index).iloc[1:], rtol=0, atol=1e-12)
    first, last = bench.index[0], bench.index[-1]
    assert (1 + bench).prod() - 1 == pytest.approx(spy[last] / spy[first] - 1, rel=1e-12)  # 682.4% from 2000-05-26
    metrics = pd.read_csv(folder / "metrics.csv", index_col=0)
    years = len(bench) / 252
    assert metrics.loc["S&P 500 (SPY)", "cagr"] == pytest.approx((spy[last] / spy[first]) ** (1 / years) - 1, rel=1e-12)
