"""Whatever a plugin's code raises, SystemExit included, is that plugin's failure: named, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli

PLUGIN = '''
import sys
import pandas as pd
from simulator import hookimpl, strategy

class Odd(BaseException):
    """Not an Exception: what a careless library might raise."""

def fail():
    {action}

@strategy(roles={roles}, hindsight={hindsight})
def quitter(data):
    """Hold large caps, or fail."""
    {weights}
    return pd.DataFrame({{"large_cap": 1.0}}, index=data.index)

@hookimpl
def register_strategies(register):
    register(quitter)
'''


def _plugin(tmp_path: Path, action: str, where: str = "weights") -> Path:
    parts = {"roles": '("large_cap",)', "hindsight": "None", "weights": "pass"}
    parts[where] = {"weights": "fail()", "roles": "lambda params: fail()", "hindsight": "lambda params: fail()"}[where]
    (tmp_path / "quitter_plugin.py").write_text(PLUGIN.format(action=action, **parts))
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "name: quit\n"
        "data: {source: sample, start: 2010-01-04, end: 2010-12-31}\n"
        "universe: {large_cap: SPY}\n"
        "plugins: [quitter_plugin.py]\n"
        "strategies:\n  - {name: static_weights, label: Fine}\n  - {name: quitter, label: Quits}\n"
        "report: {tearsheets: false}\n"
    )
    return cfg


def test_sys_exit_0_in_weights_is_a_failure_not_success(tmp_path: Path) -> None:
    """It made `rotsim run` exit 0 with no message and nothing written: CI took that for success."""
    cfg = _plugin(tmp_path, "sys.exit(0)")
    proc = run_cli("run", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2, proc.stderr
    assert "strategy 'quitter'" in proc.stderr and "quitter_plugin.py" in proc.stderr
    assert "sys.exit(0)" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "action, said",
    [
        ("sys.exit()", "it called sys.exit()"),
        ("sys.exit('giving up')", "it called sys.exit('giving up')"),
        ("raise SystemExit(3)", "it called sys.exit(3)"),
        ("raise Odd('deep trouble')", "Odd: deep trouble"),
        ("raise GeneratorExit()", "GeneratorExit"),
    ],
)
def test_any_base_exception_in_weights_names_the_plugin(tmp_path: Path, capsys, action: str, said: str) -> None:
    from simulator.cli import main

    code = main(["run", str(_plugin(tmp_path, action)), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"strategy 'quitter' (plugin {tmp_path / 'quitter_plugin.py'}) failed: {said}" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["roles", "hindsight"])
def test_plugin_code_the_plan_calls_is_guarded_too(tmp_path: Path, capsys, where: str) -> None:
    from simulator.cli import main

    code = main(["run", str(_plugin(tmp_path, "sys.exit(1)", where)), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "strategy 'quitter'" in err and "it called sys.exit(1)" in err
    assert not (tmp_path / "out").exists()


def test_an_interrupt_raised_in_a_plugin_stays_an_interrupt(tmp_path: Path, capsys) -> None:
    from simulator.cli import main

    code = main(["run", str(_plugin(tmp_path, "raise KeyboardInterrupt")), "--out", str(tmp_path / "out")])
    assert code == 130
    assert "interrupted (SIGINT); nothing was written" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("raised", ["GeneratorExit('odd')", "type('Odd', (BaseException,), {})('deep trouble')"])
def test_a_plugin_raising_any_base_exception_at_import_is_reported_broken(tmp_path: Path, raised: str) -> None:
    from simulator.plugins import load_plugins

    bad = tmp_path / "bad_import.py"
    bad.write_text(f"raise {raised}\n")
    registry = load_plugins([bad])
    (broken,) = registry.broken
    assert broken.name == str(bad) and ("GeneratorExit: odd" in broken.error or "Odd: deep trouble" in broken.error)
    assert "static_weights" in registry.strategies  # the others load
