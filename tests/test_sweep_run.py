"""A sweep's variants equal the same variants run alone: returns to 1e-10, every metric of metrics.csv.

Each variant is compared with a plain `rotsim run` of a config holding only
that strategy with the variant's params: the run a user would make by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import only_run, run_in_process

SWEEP = """\
name: s
data:
  source: sample
  start: 2003-01-02
  end: 2008-12-31
universe:
  large_cap: SPY
  small_cap: {small}
  small_cap_index: ^RUT
benchmark: SPY
engine:
  fees_bps: 5
  slippage_bps: 2
  lag: {lag}
  rebalance: {rebalance}
  cash_earns: {cash}
strategies:
  - name: small_cap_thrust
    label: x
    params: {{threshold: 0.03, hold: 63}}
{sweep}
report:
  tearsheets: false
"""

GRID = """\
    sweep:
      threshold: [0.005, 0.03, 0.999]
      hold: {from: 1, to: 253, step: 126}
      on_small: [0.0, 0.6]
"""

ENGINES = {
    "on_change": dict(small="IWM", lag=1, rebalance="on_change", cash="risk_free"),
    "monthly_lag_2_no_cash": dict(small="IWM", lag=2, rebalance="monthly", cash="nothing"),
    "drift_two_roles_one_ticker": dict(small="SPY", lag=1, rebalance="drift", cash="risk_free"),
}


def _sweep(tmp: Path, engine: dict) -> Path:
    """The results folder of `rotsim run` on the sweep config (it runs the sweep), 2 workers, in ``tmp``."""
    cfg = tmp / "sweep.yaml"
    cfg.write_text(SWEEP.format(sweep=GRID.rstrip("\n"), **engine), encoding="utf-8")
    r = run_in_process("run", str(cfg), "--out", str(tmp / "out"), "--chunk-size", "5", "--workers", "2")
    assert r.returncode == 0, r.stdout + r.stderr
    return only_run(tmp / "out", "s")


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Callable[[str], Path]:
    """The results folder of ``ENGINES[name]``'s sweep (`rotsim run` on the sweep config, 2 workers), made once.

    Made at a test's first call and kept for the module: the tests read it and write nothing into it.
    """
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            made[name] = _sweep(tmp_path_factory.mktemp(name), ENGINES[name])
        return made[name]

    return get


def _alone(tmp: Path, engine: dict, params: dict) -> tuple[pd.Series, pd.Series]:
    """returns.csv's column and metrics.csv's row of a plain run of the one variant."""
    folder = tmp / f"alone-{len(list(tmp.glob('alone-*')))}"
    folder.mkdir()
    text = SWEEP.format(sweep="", **engine).replace(
        "params: {threshold: 0.03, hold: 63}", f"params: {{{', '.join(f'{k}: {v!r}' for k, v in params.items())}}}"
    )
    (folder / "c.yaml").write_text(text, encoding="utf-8")
    r = run_in_process("run", str(folder / "c.yaml"), "--out", str(folder / "out"))
    assert r.returncode == 0, r.stdout + r.stderr
    run = only_run(folder / "out", "s")
    returns = pd.read_csv(run / "returns.csv", index_col="date", parse_dates=True)["x"]
    metrics = pd.read_csv(run / "metrics.csv", index_col="strategy").loc["x"]
    return returns, metrics


def _sweep_returns(run: Path) -> pd.DataFrame:
    files = sorted((run / "sweep" / "returns").glob("chunk-*.parquet"))
    return pd.concat([pd.read_parquet(f) for f in files], axis=1)


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_each_variant_equals_its_run_alone(tmp_path, name, swept):
    engine = ENGINES[name]
    run = swept(name)  # `rotsim run` on a sweep config runs the sweep
    table = pd.read_csv(run / "sweep.csv", index_col="variant")
    returns = _sweep_returns(run)
    assert len(table) == 3 * 3 * 2 + 1  # the grid, then the default (hold 63 is not on the grid)
    assert list(returns.columns) == list(table.index)
    assert len(list((run / "sweep" / "returns").glob("*.parquet"))) == 4  # 19 variants, 5 a chunk
    default = table.index[table["default"]]
    assert list(default) == [table.index[-1]] and table.loc[default[0], "hold"] == 63
    edges = [  # the extremes of each swept parameter, and the default
        dict(threshold=0.005, hold=1, on_small=0.0),
        dict(threshold=0.999, hold=253, on_small=0.6),
        dict(threshold=0.03, hold=127, on_small=0.6),
        dict(threshold=0.03, hold=63, on_small=1.0),
    ]
    for params in edges:
        row = table[np.logical_and.reduce([table[k] == v for k, v in params.items()])]
        assert len(row) == 1, params
        vid = row.index[0]
        alone, metrics = _alone(tmp_path, engine, params)
        got = returns[vid]
        assert got.index.equals(alone.index)
        assert np.abs(got.to_numpy() - alone.to_numpy()).max() <= 1e-10, params
        for m, want in metrics.items():
            have = table.loc[vid, m]
            if np.isnan(want):
                assert np.isnan(have), (params, m)
            else:
                assert have == pytest.approx(want, rel=1e-9, abs=1e-12), (params, m)
    # the default's full run is the results folder's own: its metrics.csv row is the sweep's default row
    own = pd.read_csv(run / "metrics.csv", index_col="strategy").loc["x"]
    assert table.loc[default[0], "sharpe"] == pytest.approx(own["sharpe"], rel=1e-12)


def test_ranks_and_tables(swept):
    # the sweep test_each_variant_equals_its_run_alone reads (`rotsim sweep` itself: the real-data test below)
    run = swept("on_change")
    csv = pd.read_csv(run / "sweep.csv", index_col="variant")
    parquet = pd.read_parquet(run / "sweep.parquet")
    assert list(parquet.index) == list(csv.index)
    metrics = ["cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar", "worst_year", "turnover"]
    for col in ["threshold", "hold", "on_small", *metrics, "exposure", "beta", "alpha", "information_ratio", "rank"]:
        assert col in parquet.columns, col
    assert np.allclose(parquet[metrics].to_numpy(), csv[metrics].to_numpy(), rtol=0, atol=0, equal_nan=True)
    # rank 1 is the highest Sharpe; ties share the lower rank
    s = csv["sharpe"].to_numpy()
    want = np.array([1 + int(np.sum(s > v)) for v in s])
    assert (csv["rank"].to_numpy() == want).all()
    assert csv["hold"].dtype.kind == "i" and sorted(set(csv["hold"])) == [1, 63, 127, 253]
    # the ledger and its page, on every variant's returns
    import json

    assert (run / "sweep.html").stat().st_size > 10_000
    sweep = json.loads((run / "manifest.json").read_text())["sweep"]
    assert sweep["variants"] == len(csv) and sweep["ledger"]["variants"] == len(csv)
    assert sweep["default"] == csv.index[csv["default"]][0] and sweep["best"] == csv["rank"].idxmin()
    assert len(sweep["ledger_in_words"]) >= 3


def test_metrics_of_many_columns_are_those_of_each_column_alone():
    # performance() is checked against quantstats (test_metrics_independent.py); the sweep's vectorised
    # metrics must give its numbers column by column, on returns whose worst year, worst drawdown and
    # downside differ by column: a bad first year, a flat column (no tracking error), a falling one
    from simulator.engine.metrics import performance
    from simulator.engine.metrics_many import performance_many

    rng = np.random.default_rng(3)
    index = pd.bdate_range("2001-01-01", "2004-12-31")
    n = len(index)
    bench = pd.Series(rng.normal(0.0003, 0.01, n), index=index)
    cols = [
        rng.normal(0.0005, 0.012, n),
        np.where(index.year == 2001, -0.004, 0.001) + rng.normal(0, 0.002, n),
        bench.to_numpy().copy(),
        np.full(n, -0.001),
    ]
    rf = pd.Series(0.0001, index=index[10:])  # missing days count as 0
    many = performance_many(np.column_stack(cols), index, bench, rf)
    for j, c in enumerate(cols):
        alone = performance(pd.Series(c, index=index), bench, rf)
        for m, want in alone.items():
            if np.isnan(want):
                assert np.isnan(many[m][j]), (j, m)
            else:
                assert many[m][j] == pytest.approx(want, rel=1e-10, abs=1e-13), (j, m)


REAL = """\
name: r
data: {{source: csv, start: 2000-05-26}}
universe: {{large_cap: SPY, small_cap: IWM, small_cap_index: ^RUT}}
benchmark: SPY
engine: {{fees_bps: 5, slippage_bps: 2, lag: 1, rebalance: on_change, cash_earns: risk_free}}
strategies:
  - name: small_cap_thrust
    label: x
    params: {params}
{sweep}
report: {{tearsheets: false}}
"""


def test_real_data_variants_equal_their_runs_alone(tmp_path, shared_data):
    # small_cap_thrust on ^RUT / IWM / SPY: a threshold that fires nearly every day, the seed's, one that never
    # fires; a one-day hold, a year, eight years
    sweep = "    sweep:\n      threshold: [0.0001, 0.035, 0.2]\n      hold: [1, 252, 2016]"
    cfg = tmp_path / "sweep.yaml"
    cfg.write_text(REAL.format(params="{threshold: 0.035, hold: 252}", sweep=sweep), encoding="utf-8")
    r = run_in_process("sweep", str(cfg), "--data-dir", str(shared_data), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    run = only_run(tmp_path / "out", "r")
    table = pd.read_csv(run / "sweep.csv", index_col="variant")
    returns = _sweep_returns(run)
    assert len(table) == 9 and table.loc[table["default"], "hold"].tolist() == [252]
    for threshold, hold in [(0.0001, 1), (0.2, 2016), (0.035, 2016), (0.0001, 252)]:
        folder = tmp_path / f"alone-{threshold}-{hold}"
        folder.mkdir()
        (folder / "c.yaml").write_text(
            REAL.format(params=f"{{threshold: {threshold}, hold: {hold}}}", sweep=""), encoding="utf-8"
        )
        r = run_in_process("run", str(folder / "c.yaml"), "--data-dir", str(shared_data), "--out", str(folder))
        assert r.returncode == 0, r.stderr
        alone = only_run(folder, "r")
        want = pd.read_csv(alone / "returns.csv", index_col="date", parse_dates=True)["x"]
        vid = table.index[(table["threshold"] == threshold) & (table["hold"] == hold)][0]
        assert returns[vid].index.equals(want.index)
        assert np.abs(returns[vid].to_numpy() - want.to_numpy()).max() <= 1e-10
        metrics = pd.read_csv(alone / "metrics.csv", index_col="strategy").loc["x"]
        for m, v in metrics.items():
            assert table.loc[vid, m] == pytest.approx(v, rel=1e-9, abs=1e-12, nan_ok=True), (threshold, hold, m)
