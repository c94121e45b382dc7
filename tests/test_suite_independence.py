"""The suite itself, as a new user runs it: on a fresh clone without ../shared, with plugins installed.

Each test runs pytest in a subprocess: on a copy of the repository in a
folder with no ``shared`` beside it, or on this checkout with plugin packages
(a healthy one and a broken one) on the path as if they were installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from test_plugin_loading import GOOD_MODULE, write_package

from conftest import ROOT, checkout_env, run_cli
from plugin_isolation import HIDDEN_ENV

# What a fresh clone has: no git metadata, results, environments or caches.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", "results", ".venv", "__pycache__", "*.egg-info", "build", ".pytest_cache"
)


def _pytest(cwd: Path, args: list[str], env: dict[str, str], basetemp: Path) -> subprocess.CompletedProcess:
    """pytest on the checkout at ``cwd`` (first on PYTHONPATH), outside CI unless ``env`` says so.

    In one process (``-n 0``): what is checked is what it collects, runs and skips, not how fast; xdist's
    workers would each import and collect the whole suite again.
    """
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "--basetemp",
            str(basetemp),
            *args,
        ],
        cwd=cwd,
        env=checkout_env({"CI": None, **env}, root=cwd),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_fresh_clone_without_shared_data_collects_everything_and_skips_real_data_tests_for_one_reason(
    tmp_path: Path,
) -> None:
    clone = tmp_path / "fresh" / "rotsim"
    shutil.copytree(ROOT, clone, ignore=NOT_IN_A_CLONE)
    env = {"PYTHONPATH": ""}  # the clone alone on the path, as in a fresh environment
    # -m real_data: every module is collected, only the real-data tests run. --assert=plain: each skips
    # before an assert of its own runs, so pytest need not rewrite the asserts of every module it imports
    # (a third of this run's CPU, with no bytecode cache to keep the rewritten modules in)
    proc = _pytest(clone, ["-m", "real_data", "--assert=plain"], env, tmp_path / "t1")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    skipped = re.findall(r"^SKIPPED \[(\d+)\] (.*)$", proc.stdout, re.MULTILINE)
    assert len(skipped) == 1, skipped  # one line: every real-data test skips for the same reason
    count, reason = skipped[0]
    assert f"real data folder {tmp_path / 'fresh' / 'shared' / 'data'} not found" in reason
    assert "put that folder there" in reason
    assert f"{count} skipped" in proc.stdout and int(count) >= 20

    # In CI a missing folder is a failure, not a skip: a wrong path cannot silently skip them all.
    ci = _pytest(clone, ["tests/test_rotations_real.py", "--assert=plain"], env | {"CI": "true"}, tmp_path / "t2")
    assert ci.returncode == 1, ci.stdout + ci.stderr
    assert "CI=true and the real-data tests cannot run: real data folder" in ci.stdout
    assert " skipped" not in ci.stdout


def _installed_plugins(site: Path) -> None:
    """A healthy plugin and a broken one, as pip leaves them (see test_plugin_loading)."""
    site.mkdir()
    write_package(site, "rotsim-extra", {"extra": "extra_mod"}, {"extra_mod": GOOD_MODULE.format(name="extra_hold")})
    write_package(site, "rotsim-broken", {"broken": "broken_mod"}, {"broken_mod": "raise RuntimeError('no API key')\n"})


def test_plugins_installed_in_the_environment_change_no_test(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _installed_plugins(site)
    proc = _pytest(ROOT, ["tests/test_plugin_loading.py"], {"PYTHONPATH": str(site)}, tmp_path / "t")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_rotsim_subprocesses_do_not_see_the_plugins_installed_in_the_environment(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _installed_plugins(site)
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    # what conftest records at the start had these been installed too (with whatever is installed here)
    hidden = [*json.loads(os.environ[HIDDEN_ENV]), ["rotsim-extra", str(site)], ["rotsim-broken", str(site)]]
    proc = run_cli("plugins", "--json", env={"PYTHONPATH": path, HIDDEN_ENV: json.dumps(hidden)})
    assert proc.returncode == 0, proc.stderr
    assert [r["name"] for r in json.loads(proc.stdout)] == ["builtin"]
    # the same packages in a folder of a test's own are seen
    proc = run_cli("plugins", "--json", env={"PYTHONPATH": path})
    assert {r["name"]: r["status"] for r in json.loads(proc.stdout)} == {
        "builtin": "ok",
        "broken": "broken",
        "extra": "ok",
    }
