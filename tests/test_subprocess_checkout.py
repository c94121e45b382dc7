"""Every subprocess a test starts runs this checkout's code, not whichever ``simulator`` is installed.

A subprocess started from a temporary folder imports ``simulator`` from
PYTHONPATH, else from the environment (an editable install of another
checkout, say): a bug in the checkout under test would then go unseen. Each
helper is run from a temporary folder with the inherited PYTHONPATH removed
and reports where ``simulator`` and ``strategies`` came from, checked against
this file's own checkout; a plugin's site folder a test adds stays on the
path. A structural check keeps every ``subprocess`` call in tests/ on the
helper.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, checkout_env, run_cli, run_pytest

# Where the probe's imports came from, and whether the site folder's module was found. ``strategies``
# is looked up, not run: the file ``import strategies`` loads is its spec's origin, and running its
# modules (pandas and all) cost a second a probe.
PROBE = """
import json, simulator, site_marker
from importlib.util import find_spec
print("PROBE " + json.dumps({"simulator": simulator.__file__, "strategies": find_spec("strategies").origin,
                              "site": site_marker.__file__}))
"""
SPAWNERS = {"run", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput"}


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A working folder outside the checkout, no PYTHONPATH inherited, and a site folder a test puts on the path."""
    monkeypatch.delenv("PYTHONPATH", raising=False)
    work, site = tmp_path / "work", tmp_path / "site"
    work.mkdir()
    site.mkdir()
    (site / "site_marker.py").write_text("")
    return work, site


def _probed(stdout: str) -> dict[str, str]:
    (line,) = [line for line in stdout.splitlines() if line.startswith("PROBE ")]
    return json.loads(line.removeprefix("PROBE "))


def _assert_from_checkout(found: dict[str, str], site: Path) -> None:
    for package in ("simulator", "strategies"):
        assert Path(found[package]).resolve().is_relative_to(ROOT.resolve()), (package, found[package], ROOT)
    assert Path(found["site"]).resolve().parent == site.resolve()  # the test's own PYTHONPATH is kept


def test_run_cli_runs_the_checkout(bare: tuple[Path, Path]) -> None:
    work, site = bare
    (work / "probe.py").write_text(PROBE)  # a one-off plugin file: the CLI imports it after simulator
    proc = run_cli("plugins", "--plugin", "probe.py", cwd=work, env={"PYTHONPATH": str(site)})
    assert proc.returncode == 0, proc.stderr
    _assert_from_checkout(_probed(proc.stdout), site)


def test_run_pytest_runs_the_checkout(bare: tuple[Path, Path]) -> None:
    work, site = bare
    tests, report = work / "pkg" / "tests", work / "probe.txt"
    tests.mkdir(parents=True)
    # pytest keeps a passing test's output to itself: the probe's line goes to a file
    (tests / "test_probe.py").write_text(
        "import contextlib, io, pathlib\n\n\ndef test_probe():\n    out = io.StringIO()\n"
        f"    with contextlib.redirect_stdout(out):\n        exec({PROBE!r})\n"
        f"    pathlib.Path({str(report)!r}).write_text(out.getvalue())\n"
    )
    proc = run_pytest(tests, {"PYTHONPATH": str(site)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _assert_from_checkout(_probed(report.read_text()), site)


def test_checkout_env_puts_the_checkout_first(bare: tuple[Path, Path]) -> None:
    work, site = bare
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], check=False, cwd=work, env=checkout_env({"PYTHONPATH": str(site)}),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    _assert_from_checkout(_probed(proc.stdout), site)


def _spawns(module: str, name: str) -> bool:
    """``module.name`` starts a process: subprocess's runners, ``os.system``/``popen``/``exec*``/``spawn*``."""
    if module == "subprocess":
        return name in SPAWNERS
    return module == "os" and (name in ("system", "popen") or name.startswith(("exec", "spawn", "posix_spawn")))


def _through_helper(call: ast.Call) -> bool:
    return any(
        k.arg == "env" and isinstance(k.value, ast.Call) and getattr(k.value.func, "id", None) == "checkout_env"
        for k in call.keywords
    )


def test_every_subprocess_in_the_tests_goes_through_checkout_env() -> None:
    offenders, seen = [], 0
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            # ``from subprocess import run`` would hide a call from the check below
            if isinstance(node, ast.ImportFrom) and any(_spawns(node.module or "", a.name) for a in node.names):
                offenders.append(f"{where}: imports a process starter by name")
            func = node.func if isinstance(node, ast.Call) else None
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and _spawns(func.value.id, func.attr)
            ):
                seen += 1
                if not _through_helper(node):
                    offenders.append(f"{where}: {ast.unparse(func)}(...) without env=checkout_env(...)")
    assert not offenders, "\n".join(offenders)
    assert seen >= 6  # run_cli, pip_install, run_pytest, the interrupts, suite independence, the help test, this file
