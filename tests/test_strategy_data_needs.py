"""Strategies declare extra data (roles with default tickers, macro series of their own); runs load it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from simulator.config import load_config
from simulator.errors import ConfigError
from simulator.pipeline.plan import make_plan, plugin_files
from simulator.plugins import load_plugins

from conftest import run_in_process

PLUGIN = '''
import pandas as pd
from simulator import SeriesSpec, StrategyInput, hookimpl, strategy

SEEN = []  # the inputs the strategies were given, for the test to inspect
EFFR = SeriesSpec("effr", ("EFFR",), "daily", 1, "effective fed funds rate, percent")


@strategy(roles=("large_cap",), default_tickers={"energy": "XLE"}, series=(EFFR, "y2"))
def energy_when_easy(data: StrategyInput) -> pd.DataFrame:
    """Energy while the effective rate is below the 2-year yield, else large caps."""
    SEEN.append(data)
    easy = (data.macro["effr"] < data.macro["y2"]).astype(float)
    return pd.DataFrame({"energy": easy, "large_cap": 1.0 - easy}, index=data.index)


@strategy(roles=("large_cap",), default_tickers={"gold": "GLD"})
def gold_bug(data: StrategyInput) -> pd.DataFrame:
    """All in gold."""
    return pd.DataFrame({"gold": 1.0}, index=data.index)


@strategy(roles=("large_cap",), series=(SeriesSpec("y10", ("DGS2",), "daily", 1, "not the 10-year"),))
def redefines_y10(data: StrategyInput) -> pd.DataFrame:
    """Holds large caps."""
    return pd.DataFrame({"large_cap": 1.0}, index=data.index)


@strategy(roles=("large_cap",), series=(SeriesSpec("effr", ("DFF",), "daily", 1, "another effr"),))
def other_effr(data: StrategyInput) -> pd.DataFrame:
    """Holds large caps."""
    return pd.DataFrame({"large_cap": 1.0}, index=data.index)


@strategy(roles=("large_cap",), series=(SeriesSpec("hy_spread", ("BAMLH0A0HYM2",), "daily", 1, "high-yield spread"),))
def credit(data: StrategyInput) -> pd.DataFrame:
    """Holds large caps."""
    return pd.DataFrame({"large_cap": 1.0}, index=data.index)


@hookimpl
def register_strategies(register):
    for s in (energy_when_easy, gold_bug, redefines_y10, other_effr, credit):
        register(s)
'''


def _config(tmp_path: Path, strategies: str, universe: str = "large_cap: SPY", extra: str = "") -> Path:
    (tmp_path / "needs.py").write_text(PLUGIN)
    path = tmp_path / "needs.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            name: needs
            data:
              source: sample
              start: 2001-01-02
              end: 2004-12-31
            {extra}
            universe: {{{universe}}}
            benchmark: SPY
            plugins: [needs.py]
            strategies:
            {strategies}
            report: {{tearsheets: false}}
            """
        ).format(strategies=textwrap.indent(strategies, "  "), universe=universe, extra=extra)
    )
    return path


def _plan(path: Path):  # noqa: ANN202
    loaded = load_config(path)
    registry = load_plugins(plugin_files(loaded), use_env=False)
    return loaded, registry, make_plan(loaded, registry)


def test_a_default_ticker_and_an_own_series_are_loaded_and_reach_the_strategy(tmp_path: Path) -> None:
    from simulator.data.market.alignment import as_known
    from simulator.data.sources.sample import SampleSource
    from simulator.pipeline.execute import execute

    path = _config(tmp_path, "- name: energy_when_easy", extra="  publication_lag_days: {effr: 3}")
    loaded, registry, plan = _plan(path)
    (planned,) = plan.strategies
    assert planned.tickers == {"large_cap": "SPY", "energy": "XLE"}
    # risk_free too: Sharpe and Sortino are over the cash rate when the data has it
    assert "XLE" in plan.tickers and set(plan.series) == {"effr", "y2", "risk_free"}
    assert [s.ids for s in plan.series_specs] == [("EFFR",), ("DGS2",), ("FF:RF", "DTB3")]

    result = execute(loaded, registry, out=tmp_path / "out")
    data = registry.get("energy_when_easy").func.__globals__["SEEN"][-1]
    source = SampleSource(seed=7)
    xle = source.load_prices(["XLE"])["XLE"].reindex(data.index)
    assert data.prices["energy"].to_numpy() == pytest.approx(xle.to_numpy())
    effr_raw = source.load_series(["EFFR"])["EFFR"]
    known = as_known(effr_raw, plan.series_specs[0], 3, data.index)  # the config's lag override
    pd.testing.assert_series_equal(data.macro["effr"], known, check_names=False)
    day = pd.Timestamp("2003-06-18")  # by hand: the last observation dated 3 business days before or earlier
    assert data.macro.loc[day, "effr"] == effr_raw[effr_raw.index + pd.offsets.BDay(3) <= day].iloc[-1]

    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["strategies"][0]["roles"] == {"large_cap": "SPY", "energy": "XLE"}
    assert {"effr", "y2"} <= set(manifest["data"]["macro_series"])
    weights = pd.read_csv(result.folder / "weights" / "energy-when-easy.csv", index_col=0, parse_dates=True)
    assert set(weights.columns) - {"cash"} == {"SPY", "XLE"} and weights["XLE"].max() > 0.9


def test_the_universe_overrides_a_default_ticker(tmp_path: Path) -> None:
    _, _, plan = _plan(_config(tmp_path, "- name: energy_when_easy", universe="large_cap: SPY, energy: XLU"))
    assert plan.strategies[0].tickers == {"large_cap": "SPY", "energy": "XLU"}
    assert "XLE" not in plan.tickers


@pytest.mark.parametrize(
    ("strategies", "expected"),
    [
        (
            "- name: gold_bug",
            ":11: strategy 'gold_bug' reads role 'gold' from its default ticker 'GLD', which is not in the data "
            "(sample (synthetic, seed 7)); name another ticker for 'gold' in the universe",
        ),
        (
            "- name: redefines_y10",
            ":11: strategy 'redefines_y10' defines macro series 'y10' differently from rotsim's catalogue "
            "(DGS2 vs DGS10); give its series another name",
        ),
        (
            "- name: energy_when_easy\n- name: other_effr",
            ":12: strategy 'other_effr' defines macro series 'effr' differently from strategy 'energy_when_easy' "
            "(DFF vs EFFR)",
        ),
        (
            "- name: credit",
            ":11: strategy 'credit' defines macro series 'hy_spread' from 'BAMLH0A0HYM2', which is not in the data "
            "(sample (synthetic, seed 7))",
        ),
    ],
    ids=["default-ticker-missing", "redefines-catalogue", "two-definitions", "own-series-missing"],
)
def test_data_needs_that_cannot_be_met_are_config_errors(tmp_path: Path, strategies: str, expected: str) -> None:
    path = _config(tmp_path, strategies)
    with pytest.raises(ConfigError) as caught:
        _plan(path)
    assert f"{path}{expected}" in str(caught.value)


def test_the_cli_reports_an_unmet_data_need_with_exit_code_2(tmp_path: Path) -> None:
    path = _config(tmp_path, "- name: gold_bug")
    out = tmp_path / "out"
    proc = run_in_process("run", str(path), "--out", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "default ticker 'GLD'" in " ".join(proc.stderr.split())
    assert not out.exists()
