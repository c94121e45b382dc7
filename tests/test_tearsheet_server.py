"""The server the tearsheet workers fork from: started by `rotsim run` before it imports pandas, and only when needed."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import checkout_env

pytestmark = pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver on this platform"
)

CONFIG = (
    "name: t\n"
    "data: {source: sample, start: 2010-01-04, end: 2011-12-30}\n"
    "universe: {large_cap: SPY, small_cap: IWM}\n"
    "benchmark: SPY\n"
    "strategies:\n"
    "  - {name: static_weights, label: A, params: {weights: {large_cap: 1.0}}}\n"
    "  - {name: static_weights, label: B, params: {weights: {small_cap: 1.0}}}\n"
)
HEAVY = ("pandas", "numpy", "vectorbt", "quantstats", "scipy")

# Each command in one process, with the server's start replaced by a record of what this process had
# imported by then; the first start stops its command (nothing need be simulated to see when it came).
PROBE = f"""
import json, sys
from multiprocessing import forkserver
import simulator.cli as cli

class Started(Exception):
    pass

def started():
    raise Started(sorted(m for m in {HEAVY!r} if m in sys.modules))

forkserver.ensure_running = started
for args in json.loads(sys.argv[1]):
    try:
        code = cli.main(args)
    except Started as exc:
        print(json.dumps({{"started": exc.args[0]}}))
    else:
        print(json.dumps({{"returned": code}}))
"""


def test_rotsim_run_starts_the_server_before_it_imports_pandas_and_not_without_tearsheets(tmp_path: Path) -> None:
    """Its quantstats import then runs beside this process's pandas and engine, on the other core."""
    config = tmp_path / "c.yaml"
    config.write_text(CONFIG)
    off = tmp_path / "off.yaml"
    off.write_text(CONFIG + "report: {tearsheets: false}\n")
    commands = [
        ["run", str(config), "--out", str(tmp_path / "a")],
        ["run", str(config), "--out", str(tmp_path / "b"), "--no-tearsheets"],
        ["run", str(off), "--out", str(tmp_path / "c")],
    ]
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(commands)],
        env=checkout_env({"COLUMNS": "200"}),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines == [{"started": []}, {"returned": 0}, {"returned": 0}], proc.stdout + proc.stderr
    assert not (tmp_path / "a").exists()  # the first stopped at the server's start, before writing anything


def test_one_strategy_needs_no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """One strategy's tearsheet is written in the run's own process: no server; two or more start it."""
    from multiprocessing import forkserver

    from simulator.reports.tearsheet_server import start_workers

    calls: list[int] = []
    monkeypatch.setattr(forkserver, "ensure_running", lambda: calls.append(1))
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    start_workers(1)
    assert calls == []
    start_workers(2)
    assert calls == [1]
