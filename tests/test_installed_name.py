"""The built-in strategies install as ``rotsim_strategies``, never as a bare ``strategies`` another distribution may own."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, checkout_env

NAME = "rotsim_strategies"


def test_every_rotsim_entry_point_names_a_module_of_rotsim_strategies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    targets = project["entry-points"]["rotsim.strategies"].values()
    assert targets and all(t == NAME or t.startswith(f"{NAME}.") or t.startswith(f"{NAME}:") for t in targets)


@pytest.mark.parametrize("folder", ["simulator", "strategies"])
def test_nothing_of_rotsim_imports_the_bare_name(folder: str) -> None:
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not [n for n in names if n.split(".")[0] == "strategies"], f"{path}:{node.lineno}"
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / folder).rglob("*.py"))
    assert not re.search(r"""import_module\(\s*["']strategies\b""", source)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rotsim's wheel, built offline from a copy of the checkout (building writes build/ beside the sources)."""
    tmp = tmp_path_factory.mktemp("wheel")
    copy = tmp / "rotsim"
    copy.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, copy / name)
    for name in ("simulator", "strategies"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(tmp / "dist"),
            str(copy),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=checkout_env(),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = (tmp / "dist").glob("rotsim-*.whl")
    return built


def test_the_wheel_installs_rotsim_strategies_and_no_bare_strategies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/RECORD"))
        entry_points = z.read(f"{info}/entry_points.txt").decode()
        top_level = z.read(f"{info}/top_level.txt").decode().split() if f"{info}/top_level.txt" in names else []
    assert {n.split("/")[0] for n in names} == {"simulator", NAME, info}
    assert f"{NAME}/__init__.py" in names and f"{NAME}/rate_cut_regime.py" in names
    assert "simulator/contract/signals.py" in names and "simulator/py.typed" in names
    assert re.search(rf"^builtin = {NAME}$", entry_points, re.M)
    assert "strategies" not in top_level and not re.search(r"= strategies\b", entry_points)
    every_package = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "simulator").rglob("*.py")}
    assert every_package <= {n.rsplit("/", 1)[0] for n in names}  # every folder of simulator/ is in the wheel
