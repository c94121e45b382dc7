"""`rotsim run` as a user runs it: the demo offline, and a real-data config."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, only_run, run_in_process


@pytest.fixture(scope="module")
def demo_run(demo_cli_run) -> tuple[Path, str]:
    return demo_cli_run  # shared with the comparison page's tests: one demo run per session


def test_demo_writes_every_output(demo_run) -> None:
    folder, stdout = demo_run
    manifest = json.loads((folder / "manifest.json").read_text())
    labels = [s["label"] for s in manifest["strategies"]]
    for label in labels:
        from simulator.reports.files import slug

        html = (folder / "tearsheets" / f"{slug(label)}.html").read_text()
        assert "SYNTHETIC" in html and label.split()[0] in html
        weights = pd.read_csv(folder / "weights" / f"{slug(label)}.csv", index_col=0, parse_dates=True)
        assert ((weights.sum(axis=1) - 1).abs() < 1e-9).all()
        pd.read_csv(folder / "trades" / f"{slug(label)}.csv")
    assert manifest["data"]["synthetic"] is True and "SYNTHETIC" in manifest["data"]["label"]
    assert set(manifest["packages"]) >= {"vectorbt", "pandas", "quantstats"}
    assert all(len(h) == 16 for h in manifest["data"]["tickers"].values())
    assert not list(folder.parent.glob(".rotsim-tmp-*"))
    assert "SYNTHETIC DATA" in stdout and str(folder) in stdout


# Built-ins the demo leaves out, and where they are run instead. threshold_cross states claims for
# `rotsim study` (configs/claims/); adding it to the demo would change the demo's results files.
NOT_IN_DEMO = {"threshold_cross": "tests/test_thresholds_cross.py::test_trades_in_a_run"}


def test_demo_shows_every_builtin_doing_something(demo_run, registry) -> None:
    folder, _ = demo_run
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {s["strategy"] for s in manifest["strategies"]} == set(registry.strategies) - set(NOT_IN_DEMO)
    for s in manifest["strategies"]:
        if s["strategy"] == "static_weights":
            continue
        from simulator.reports.files import slug

        trades = pd.read_csv(folder / "trades" / f"{slug(s['label'])}.csv")
        assert len(trades) > 4, s["label"]  # the first buy and at least two switches there and back
        assert len(s["holdings"]["mixes"]) >= 2 and s["holdings"]["signal"]["spell_count"] >= 2, s["label"]


def test_demo_numbers_are_finite_and_sane(demo_run) -> None:
    folder, _ = demo_run
    metrics = pd.read_csv(folder / "metrics.csv", index_col=0)
    returns = pd.read_csv(folder / "returns.csv", index_col=0, parse_dates=True)
    assert list(metrics.index) == list(returns.columns)
    assert "S&P 500 (SPY)" in metrics.index
    for col in ["cagr", "volatility", "sharpe", "max_drawdown", "beta", "exposure"]:
        assert metrics[col].map(math.isfinite).all(), col
    assert metrics["cagr"].between(-0.5, 0.5).all()
    assert metrics["volatility"].between(0.02, 0.8).all()
    assert metrics["max_drawdown"].between(-1, 0).all()
    assert returns.notna().all().all() and (returns.abs() < 0.5).all().all()
    # the benchmark row is consistent with its own returns
    bench = returns["S&P 500 (SPY)"]
    assert metrics.loc["S&P 500 (SPY)", "cagr"] == pytest.approx(
        (1 + bench).prod() ** (252 / len(bench)) - 1, rel=1e-12
    )


@pytest.mark.real_data
def test_seed_rotations_run_all_seven_on_real_data(seed_rotations_real: Path) -> None:
    folder = seed_rotations_real  # the session's one run of the seed config (conftest)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["data"]["synthetic"] is False and manifest["data"]["start"] == "2000-05-26"
    names = [s["strategy"] for s in manifest["strategies"]]
    assert sorted(names) == sorted(
        ["static_weights", "small_cap_thrust", "rotation_spread", "election_barbell", "rate_cut_regime",
         "policy_curve_trigger", "yield_tilt"]
    )  # fmt: skip
    metrics = pd.read_csv(folder / "metrics.csv", index_col=0)
    assert len(metrics) == 8 and metrics["cagr"].map(math.isfinite).all()
    # 100% SPY through static_weights is the benchmark bought once at the first close, 2 bps up, 5 bps fees on top
    bench = pd.read_csv(folder / "returns.csv", index_col=0)["S&P 500 (SPY)"]
    growth = (1 + bench).prod() / ((1 + 2e-4) * (1 + 5e-4))
    assert metrics.loc["100% SPY", "cagr"] == pytest.approx(growth ** (252 / len(bench)) - 1, rel=1e-10)
    signals = pd.read_csv(folder / "signals.csv", index_col=0, parse_dates=True)
    assert set(signals.columns) == {s["label"] for s in manifest["strategies"] if s["strategy"] != "static_weights"}
    for s in manifest["strategies"]:
        mixes = s["holdings"]["mixes"]
        assert sum(m["share_of_days"] for m in mixes) + s["holdings"].get("other_mixes", {}).get(
            "share_of_days", 0
        ) == pytest.approx(1, abs=1e-3)
        if s["strategy"] != "static_weights":
            assert 0 < s["holdings"]["signal"]["on_share"] < 1, s["label"]  # every idea switches on and off
    # ^RUT closed up 3.5% on 2024-07-16 (and 3.57% on 07-11): IWM is held through the next year
    thrust = pd.read_csv(folder / "weights" / "small-cap-thrust.csv", index_col=0, parse_dates=True)
    assert thrust.loc["2024-07-17", "IWM"] > 0.95 and thrust.loc["2025-07-01", "IWM"] > 0.95


@pytest.mark.real_data
def test_thrust_of_2024_07_16_fires_and_trades_next_day(tmp_path: Path, shared_data: Path) -> None:
    """With a 2-day hold the 07-11 thrust has lapsed by 07-16, so that day's thrust must trade on 07-17."""
    cfg = (ROOT / "configs" / "small_cap_thrust.yaml").read_text()
    assert "hold: 252" in cfg
    path = tmp_path / "short.yaml"
    path.write_text(cfg.replace("hold: 252", "hold: 2").replace("tearsheets: true", "tearsheets: false"))
    path.write_text(
        path.read_text()
        .replace("start: 2000-05-26", "start: 2024-01-02")
        .replace("start: 2000-06-01", "start: 2024-01-02")
    )
    out = tmp_path / "out"
    proc = run_in_process("run", str(path), "--data-dir", str(shared_data), "--out", str(out), "--no-tearsheets")
    assert proc.returncode == 0, proc.stderr
    trades = pd.read_csv(next((only_run(out, "small_cap_thrust") / "trades").glob("small-cap*.csv")))
    july = trades[trades["date"].between("2024-07-10", "2024-07-19") & (trades["ticker"] == "IWM")]
    assert list(zip(july["date"], july["side"])) == [
        ("2024-07-12", "buy"), ("2024-07-16", "sell"), ("2024-07-17", "buy"), ("2024-07-19", "sell"),
    ]  # fmt: skip


def test_a_strategy_equal_to_the_benchmark_does_not_break_the_reports(tmp_path: Path) -> None:
    """Zero tracking error made quantstats' all-strategies report crash the whole run."""
    cfg = tmp_path / "same.yaml"
    cfg.write_text(
        "name: same\n"
        "data: {source: sample, start: 2010-01-04, end: 2011-12-30}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\n"
        "strategies:\n"
        "  - {name: static_weights, label: All SPY, params: {weights: {large_cap: 1.0}}}\n"
        "  - {name: static_weights, label: Half small, params: {weights: {large_cap: 0.5, small_cap: 0.5}}}\n"
    )
    proc = run_in_process("run", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    folder = only_run(tmp_path / "out", "same")
    assert (folder / "index.html").is_file() and (folder / "tearsheets" / "all-spy.html").is_file()
    metrics = pd.read_csv(folder / "metrics.csv", index_col=0)
    pd.testing.assert_series_equal(metrics.loc["All SPY"], metrics.loc["S&P 500 (SPY)"], check_names=False)
    # quantstats' own report holds only the strategy that differs from the benchmark
    assert "Half small" in (folder / "tearsheets" / "all_strategies.html").read_text()


def test_a_publication_lag_shorter_than_published_is_marked_hindsight(tmp_path: Path, registry) -> None:
    from simulator.config import load_config
    from simulator.pipeline.plan import make_plan

    cfg = tmp_path / "early.yaml"
    cfg.write_text(
        "name: early\n"
        "data: {source: sample, start: 2010-01-04, end: 2011-12-30, publication_lag_days: {y2: 0, y10: 3}}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\n"
        "strategies:\n"
        "  - {name: policy_curve_trigger}\n"
        "  - {name: yield_tilt}\n"
    )
    curve, tilt = make_plan(load_config(cfg), registry).strategies
    assert "makes 'y2' known 0 days after its date, before it was published (1)" in curve.hindsight_note()
    assert tilt.hindsight_note() is None  # a later lag than published is only cautious
