"""`rotsim new-strategy`: the package it writes installs, is listed, runs in a config and passes its own test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import on_sys_path, pip_install, run_cli, run_in_process, run_pytest


def test_the_scaffold_installs_runs_and_passes_its_own_test(tmp_path: Path) -> None:
    work = tmp_path / "work"
    proc = run_in_process("new-strategy", "trend_rider", "--dir", str(work))  # writes files: no process needed
    assert proc.returncode == 0, proc.stderr
    pkg = work / "rotsim-trend-rider"
    written = sorted(str(p.relative_to(pkg)) for p in pkg.rglob("*") if p.is_file())
    assert written == [
        "README.md", "pyproject.toml", "src/rotsim_trend_rider/__init__.py", "tests/test_trend_rider.py", "trend_rider.yaml",
    ]  # fmt: skip
    assert [p.name for p in work.iterdir()] == ["rotsim-trend-rider"]  # no temporary folder left behind
    assert f"pip install -e {pkg}" in proc.stdout

    copy, site = pip_install(pkg, tmp_path)
    env = {"PYTHONPATH": str(site)}
    # a rotsim process finds it on PYTHONPATH; the commands that use it run in this process, site on sys.path
    plugins = {r["name"]: r for r in json.loads(run_cli("plugins", "--json", env=env).stdout)}
    assert plugins["trend_rider"]["distribution"] == "rotsim-trend-rider"
    assert plugins["trend_rider"]["location"].startswith(str(site))
    out = tmp_path / "out"
    with on_sys_path(site):
        listing = " ".join(run_in_process("strategies", "trend_rider").stdout.split())
        run = run_in_process("run", str(copy / "trend_rider.yaml"), "--out", str(out), "--no-tearsheets")
    assert "trend_rider plugin: trend_rider" in listing and "window int 200 >= 2" in listing
    assert run.returncode == 0, run.stderr + run.stdout
    (folder,) = [p for p in (out / "trend_rider").iterdir() if not p.name.startswith(".")]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["strategies"][0] | {"description": ""} == manifest["strategies"][0] | {
        "strategy": "trend_rider",
        "plugin": "trend_rider",
        "params": {"window": 200},
        "description": "",
    }
    assert (folder / "signals.csv").is_file()  # the example sets weights.attrs["signal"]

    tests = run_pytest(copy / "tests", env)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "3 passed" in tests.stdout


@pytest.mark.parametrize("name", ["My_idea", "2fast", "class", "has-dash", "has space", "_private", ""])
def test_a_bad_name_is_refused_with_nothing_written(name: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from simulator.cli import main

    assert main(["new-strategy", name, "--dir", str(tmp_path / "work")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"'{name}' cannot be a strategy name: use a lowercase Python identifier" in err
    assert not (tmp_path / "work").exists()


def test_an_installed_name_or_an_existing_folder_is_refused(tmp_path: Path) -> None:
    taken = run_in_process("new-strategy", "static_weights", "--dir", str(tmp_path))
    assert taken.returncode == 2
    assert "a strategy named 'static_weights' is already installed (plugin builtin)" in " ".join(taken.stderr.split())
    existing = tmp_path / "rotsim-my-idea"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine")
    proc = run_in_process("new-strategy", "my_idea", "--dir", str(tmp_path))
    assert proc.returncode == 2 and "rotsim-my-idea already exists" in " ".join(proc.stderr.split())
    assert [p.name for p in existing.iterdir()] == ["notes.txt"] and sorted(p.name for p in tmp_path.iterdir()) == [
        "rotsim-my-idea"
    ]


def test_a_failure_while_writing_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator import scaffold

    monkeypatch.setattr(scaffold, "TEST", "written last, and broken: $no_such_value")
    with pytest.raises(KeyError):
        scaffold.write_package("half_done", tmp_path)
    assert list(tmp_path.iterdir()) == []
