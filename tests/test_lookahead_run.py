"""Every run checks its strategies for look-ahead: one that peeks is refused, unless it says so.

A run re-runs each strategy on its data cut after a few days
(``engine.lookahead_checks``); a weight or signal up to a cut that changes is
look-ahead. The plugins here peek on purpose; what the messages name is
checked against what the peek can change (a weight that reads the return two
days ahead changes only on the last two days before a cut).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from simulator.cli import main

PLUGIN = '''\
from typing import Annotated

import numpy as np
import pandas as pd

from simulator import Param, StrategyInput, hookimpl, strategy


def _weights(data, peek):
    ret = data.prices["small_cap"].pct_change()
    on = ((ret.shift(-2) if peek else ret) > 0).astype(float)  # shift(-2): the day after tomorrow's return
    return pd.DataFrame({"small_cap": on, "large_cap": 1.0 - on}, index=data.index)


@strategy(roles=("large_cap", "small_cap"))
def peeks(data: StrategyInput, peek: Annotated[bool, Param("read two days ahead")] = True) -> pd.DataFrame:
    """Small caps on the days before they rise."""
    return _weights(data, peek)


@strategy(
    roles=("large_cap", "small_cap"),
    hindsight=lambda p: "peek reads the return two days ahead" if p["peek"] else None,
)
def studies(data: StrategyInput, peek: Annotated[bool, Param("HINDSIGHT: read two days ahead")] = True) -> pd.DataFrame:
    """The same peek, declared: a study of what knowing the future is worth."""
    return _weights(data, peek)


@strategy(roles=("large_cap",))
def signals_ahead(data: StrategyInput) -> pd.DataFrame:
    """Always large caps; its signal is tomorrow's rise."""
    out = pd.DataFrame({"large_cap": 1.0}, index=data.index)
    out.attrs["signal"] = data.prices["large_cap"].pct_change().shift(-1) > 0
    return out


@strategy(roles=("large_cap",))
def dice(data: StrategyInput) -> pd.DataFrame:
    """Unseeded random weights."""
    return pd.DataFrame({"large_cap": np.random.default_rng().uniform(0, 1, len(data.index))}, index=data.index)


@strategy(roles=("large_cap",))
def needs_2012(data: StrategyInput) -> pd.DataFrame:
    """Refuses data that ends before mid-2012."""
    if data.index[-1] < pd.Timestamp("2012-06-01"):
        raise ValueError("needs data to mid-2012")
    return pd.DataFrame({"large_cap": 1.0}, index=data.index)


@hookimpl
def register_strategies(register):
    for s in (peeks, studies, signals_ahead, dice, needs_2012):
        register(s)
'''

CONFIG = """\
name: peek
data: {{source: sample, start: 2010-01-04, end: 2012-12-31}}
universe: {{large_cap: SPY, small_cap: IWM}}
engine: {{lookahead_checks: {checks}}}
plugins: [peek.py]
strategies:
  - {{name: static_weights, label: Plain}}
  - {{name: {name}, label: Under test{params}}}
report: {{tearsheets: false}}
"""


def _run(tmp_path: Path, capsys, name: str, params: str = "", checks: int = 5) -> tuple[int, str]:  # noqa: ANN001
    (tmp_path / "peek.py").write_text(PLUGIN)
    cfg = tmp_path / "peek.yaml"
    cfg.write_text(CONFIG.format(name=name, params=params, checks=checks))
    code = main(["run", str(cfg), "--out", str(tmp_path / "out")])
    out = capsys.readouterr()
    return code, " ".join((out.out + out.err).split())


def _manifest(tmp_path: Path) -> dict:
    (folder,) = (tmp_path / "out" / "peek").iterdir()
    return json.loads((folder / "manifest.json").read_text())


def _trading_days() -> pd.DatetimeIndex:
    from simulator.data.sources.sample import SampleSource

    return SampleSource(seed=7).load_prices(["SPY"])["SPY"].index


def test_a_strategy_that_reads_ahead_is_refused_naming_the_day_and_the_asset(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, text = _run(tmp_path, capsys, "peeks")
    assert code == 2, text
    assert "peek.yaml:8: strategy 'Under test' (peeks, plugin " in text and "looks ahead" in text
    found = re.search(
        r"its weight in IWM \(role small_cap\) on (\S+) changes when the data after (\S+) is removed", text
    )
    assert found, text
    day, cut = (pd.Timestamp(d) for d in found.groups())
    days = _trading_days()
    # the weight on day d reads the return of d + 2 trading days: only the last two days before a cut can change
    assert days.get_loc(cut) - days.get_loc(day) in (0, 1)
    assert pd.Timestamp("2010-01-04") <= cut <= pd.Timestamp("2012-12-31")
    assert "'Plain'" not in text and "Traceback" not in text
    assert not (tmp_path / "out").exists()


def test_a_signal_that_reads_ahead_is_refused(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, text = _run(tmp_path, capsys, "signals_ahead")
    assert code == 2, text
    found = re.search(
        r"strategy 'Under test' \(signals_ahead, .*looks ahead: "
        r"its signal on (\S+) changes when the data after (\S+) is removed",
        text,
    )
    assert found, text
    assert found.group(1) == found.group(2)  # tomorrow's rise is unknown only on the cut day itself
    assert not (tmp_path / "out").exists()


def test_declared_hindsight_runs_and_is_marked(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, text = _run(tmp_path, capsys, "studies")
    assert code == 0, text
    under_test = _manifest(tmp_path)["strategies"][1]
    assert under_test["hindsight"] == "peek reads the return two days ahead"
    assert under_test["lookahead"].startswith(
        "looks ahead, as its params declare (HINDSIGHT: peek reads the return two days ahead): its weight in IWM"
    )
    assert "warning: strategy 'Under test' looks ahead, as its params declare" in text


def test_hindsight_params_that_do_not_peek_pass(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, text = _run(tmp_path, capsys, "studies", ", params: {peek: false}")
    assert code == 0, text
    manifest = _manifest(tmp_path)
    assert [s["lookahead"] for s in manifest["strategies"]] == ["passed", "passed"]
    check = manifest["lookahead_check"]
    assert check["cuts"] == 5 and check["off"] is False and len(check["after"]) == 5
    assert all("2010-01-04" < day < "2012-12-31" for day in check["after"])


def test_zero_checks_run_an_unchecked_strategy_and_the_manifest_says_so(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, text = _run(tmp_path, capsys, "peeks", checks=0)
    assert code == 0, text
    manifest = _manifest(tmp_path)
    assert manifest["lookahead_check"]["off"] is True and manifest["lookahead_check"]["cuts"] == 0
    assert manifest["lookahead_check"]["after"] == []
    assert {s["lookahead"] for s in manifest["strategies"]} == {"not checked (engine.lookahead_checks: 0)"}


def test_an_unseeded_strategy_is_refused_as_not_deterministic(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, text = _run(tmp_path, capsys, "dice")
    assert code == 2, text
    assert "peek.yaml:8: strategy 'Under test' (dice, plugin " in text and "is not deterministic" in text
    assert not (tmp_path / "out").exists()


def test_a_strategy_failing_on_its_cut_data_names_the_cut(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, text = _run(tmp_path, capsys, "needs_2012")
    assert code == 2, text
    assert "peek.yaml:8: strategy 'needs_2012'" in text and "needs data to mid-2012" in text
    assert re.search(r"on its data cut after 201[01]-\d\d-\d\d, for the look-ahead check", text), text
    assert "Traceback" not in text and not (tmp_path / "out").exists()


@pytest.mark.parametrize("checks", ["-1", "51", "2.5", "many"])
def test_the_number_of_checks_is_a_small_whole_number(tmp_path: Path, capsys, checks: str) -> None:  # noqa: ANN001
    code, text = _run(tmp_path, capsys, "peeks", checks=checks)  # type: ignore[arg-type]
    assert code == 2 and "peek.yaml:4:" in text and "engine.lookahead_checks" in text, text


def test_every_builtin_passes_on_the_demo(demo_cli_run) -> None:  # noqa: ANN001
    folder, _ = demo_cli_run
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["lookahead_check"]["off"] is False and len(manifest["lookahead_check"]["after"]) == 5
    assert len(manifest["strategies"]) == 9
    assert {s["label"]: s["lookahead"] for s in manifest["strategies"]} == {
        s["label"]: "passed" for s in manifest["strategies"]
    }
