"""The command line's contract: instant help, strategies listed, local plugin files."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT, checkout_env, run_in_process

PLUGIN = '''
from typing import Annotated
import pandas as pd
from simulator import Param, hookimpl, strategy

@strategy(roles=("large_cap",))
def all_in(data, share: Annotated[float, Param("fraction held", ge=0, le=1)] = 1.0):
    """Hold a fixed share of large caps."""
    return pd.DataFrame({"large_cap": share}, index=data.index)

@hookimpl
def register_strategies(register):
    register(all_in)
'''


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys, simulator.cli as c; c._parser().format_help(); "
        "print(sorted(m for m in ('pandas', 'numpy', 'vectorbt', 'quantstats', 'pydantic', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=checkout_env(), capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# What a config in error is answered without: the data stack, plugins, the engine and the reports.
# It may import pydantic (the schema), yaml (the file) and rich (the message).
NOT_FOR_A_BAD_CONFIG = ("pandas", "numpy", "pyarrow", "pluggy", "vectorbt", "quantstats", "scipy", "exchange_calendars")


def test_a_config_in_error_is_answered_without_the_heavy_libraries(tmp_path: Path) -> None:
    """`rotsim validate` and `rotsim run` tell a config that does not parse or validate at once: exit 2, no pandas."""
    unusable = tmp_path / "unusable.yaml"  # its data section is in error: validate has nothing to check further
    unusable.write_text("name: t\ndata: {source: nope}\nuniverse: {large_cap: SPY}\nstrategies: []\n")
    typo = tmp_path / "typo.yaml"
    typo.write_text("name: t\ndata: {source: sample}\nuniverse: {large_cap: SPY}\nbenchmrk: SPY\nstrategies: []\n")
    cases = (
        (["validate", str(unusable)], f"{unusable}:2:"),
        (["validate", str(tmp_path / "nope.yaml")], "config file not found"),
        (["run", str(typo), "--out", str(tmp_path / "out")], f"{typo}:4: unknown key 'benchmrk'"),
    )
    # One process for the three: after each command, its exit code (main's return, which the `rotsim` script
    # exits with), its stderr and the libraries imported so far. Nothing unloads a library, so a command that
    # imported one is seen in its own line; an interpreter each cost a start-up and pydantic's import apiece.
    code = (
        "import contextlib, io, json, sys, simulator.cli as c\n"
        "for args in json.loads(sys.argv[1]):\n"
        "    err = io.StringIO()\n"
        "    with contextlib.redirect_stderr(err):\n"
        "        try:\n"
        "            code = c.main(args)\n"
        "        except SystemExit as exc:\n"
        "            code = exc.code\n"
        f"    print(json.dumps([code, err.getvalue(), sorted(m for m in {NOT_FOR_A_BAD_CONFIG!r} if m in sys.modules)]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps([args for args, _ in cases])],
        env=checkout_env({"COLUMNS": "200"}),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(cases), proc.stdout
    for (args, said), line in zip(cases, lines, strict=True):
        returned, stderr, imported = json.loads(line)
        assert returned == 2 and said in stderr, stderr
        assert imported == [], args
    assert not (tmp_path / "out").exists()


def test_strategies_lists_builtins_with_parameters() -> None:
    proc = run_in_process("strategies")
    assert proc.returncode == 0, proc.stderr
    for text in ("small_cap_thrust", "static_weights", "plugin: builtin", "threshold", "0.035", "one-day gain"):
        assert text in proc.stdout


def test_unknown_strategy_name_lists_installed() -> None:
    proc = run_in_process("strategies", "nope")
    assert proc.returncode == 2 and "installed:" in proc.stderr


def test_local_plugin_file_from_config_and_command_line(tmp_path: Path) -> None:
    plugin = tmp_path / "my_plugin.py"
    plugin.write_text(PLUGIN)
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        textwrap.dedent("""\
        name: local
        data: {source: sample, start: 2010-01-04, end: 2012-12-31}
        universe: {large_cap: SPY}
        plugins: [my_plugin.py]
        strategies:
          - {name: all_in, label: Half, params: {share: 0.5}}
        report: {tearsheets: false}
        """)
    )
    proc = run_in_process("run", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "Half" in proc.stdout
    listed = run_in_process("strategies", "--plugin", str(plugin))
    assert "all_in" in listed.stdout and str(plugin) in listed.stdout and "fraction held" in listed.stdout


def test_broken_local_plugin_is_reported_not_fatal(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("raise RuntimeError('boom')\n")
    proc = run_in_process("strategies", "--plugin", str(bad))
    assert proc.returncode == 0
    assert "did not load" in proc.stdout and "boom" in proc.stdout
    assert "small_cap_thrust" in proc.stdout  # the others still load


def test_sweep_options_on_a_config_without_a_sweep_exit_2_naming_them(tmp_path: Path) -> None:
    cfg = ROOT / "configs" / "demo.yaml"  # no strategy of it has a `sweep:`
    out = tmp_path / "out"
    proc = run_in_process("run", str(cfg), "--out", str(out), "--workers", "2", "--files", "best", "--resume", "x")
    assert proc.returncode == 2, proc.stderr
    assert "--resume, --workers, --files: for a sweep, and no strategy of this config has a `sweep:`" in proc.stderr
    assert not out.exists()
