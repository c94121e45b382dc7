"""simulator.contract: the ground floor plugins import from; it imports nothing else of rotsim."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from string import Template

import pytest

from conftest import ROOT, checkout_env

CONTRACT = ROOT / "simulator" / "contract"
GUIDE = ROOT / "docs" / "writing-strategies.md"
# where a plugin author reads what to import: each must import from the contract (and the tests' helpers)
AUTHOR_FACING = {
    "the guide": GUIDE.read_text(encoding="utf-8"),
    "the example plugin": (ROOT / "examples/rotsim-sector-momentum/src/rotsim_sector_momentum/__init__.py").read_text(),
    "the scaffold's module": Template(__import__("simulator.scaffold", fromlist=["MODULE"]).MODULE).substitute(
        name="idea"
    ),
    **{f"built-in {p.name}": p.read_text(encoding="utf-8") for p in sorted((ROOT / "strategies").glob("*.py"))},
}
ALLOWED = {"simulator.contract", "simulator.contract.signals", "simulator.testing"}
# the election calendar: dates of the data, not a plugin helper (election_barbell reads it)
BUILTINS_ALSO = {"simulator.data.calendar"}


def test_importing_the_contract_loads_no_other_part_of_rotsim() -> None:
    # every public name (they load on first use): the whole contract, and nothing of rotsim beside it;
    # before them, importing the package loads its errors only (simulator.errors' import of them needs no pandas)
    code = (
        "import sys, simulator.contract; light = sorted(m for m in ('pandas', 'numpy') if m in sys.modules); "
        "from simulator.contract import *; "
        "print(light, sorted(m for m in sys.modules if m.split('.')[0] == 'simulator'))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=checkout_env()
    )
    light, loaded = eval(proc.stdout.replace("] [", "], ["))  # noqa: S307 - two lists of module names printed above
    assert light == []
    others = [m for m in loaded if m != "simulator" and not m.startswith("simulator.contract")]
    assert "simulator.contract" in loaded and others == []
    assert {"simulator.contract.signals", "simulator.contract.hookspecs", "simulator.contract._strategy"} <= set(loaded)


def _imports(path: str, source: str) -> list[tuple[str, int]]:
    """Every module ``source`` imports (relative ones as written, dots first), type-checking imports included."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(("." * node.level + (node.module or ""), node.lineno))
    return found


@pytest.mark.parametrize("path", sorted(CONTRACT.glob("*.py")), ids=lambda p: p.name)
def test_no_module_of_the_contract_imports_rotsim_outside_it(path) -> None:  # noqa: ANN001 - a Path
    for name, line in _imports(str(path), path.read_text(encoding="utf-8")):
        assert not name.startswith(".."), f"{path.name}:{line} imports {name}"
        assert name.split(".")[0] not in ("simulator", "rotsim_strategies", "strategies"), (
            f"{path.name}:{line} imports {name}"
        )


def test_simulator_exports_the_contract_as_the_same_objects() -> None:
    import simulator
    import simulator.contract as contract
    import simulator.errors

    for name in contract.__all__:
        assert name in simulator.__all__ and getattr(simulator, name) is getattr(contract, name), name
    assert simulator.errors.StrategyError is contract.StrategyError
    assert issubclass(contract.StrategyError, simulator.errors.UserError)


def test_simulators_own_module_imports_only_from_the_contract_and_errors() -> None:
    text = (ROOT / "simulator" / "__init__.py").read_text(encoding="utf-8")
    assert {name for name, _ in _imports("simulator/__init__.py", text) if name.startswith(".")} <= {
        ".contract",
        ".errors",
    }
    assert re.findall(r'^_EXPORTS = .*"\.errors"', text, re.M)  # the errors load on first use only


@pytest.mark.parametrize("where", sorted(AUTHOR_FACING))
def test_author_facing_code_imports_rotsim_only_from_the_contract(where: str) -> None:
    text = AUTHOR_FACING[where]
    blocks = re.findall(r"```python\n(.*?)```", text, re.S) if where == "the guide" else [text]
    imported = [name for block in blocks for name, _ in _imports(where, block) if name.split(".")[0] == "simulator"]
    assert imported, f"{where} imports nothing of rotsim"
    allowed = ALLOWED | (BUILTINS_ALSO if where.startswith("built-in") else set())
    assert set(imported) <= allowed, f"{where} imports {sorted(set(imported) - allowed)}"


def test_the_guide_names_the_contract_as_the_place_to_import_from() -> None:
    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    assert "Everything a plugin imports comes from one place, `simulator.contract`" in text
    assert "simulator/contract/hookspecs.py" in text and "## Signal helpers" in text
