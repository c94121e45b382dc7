"""The rule of flow, read from the source: every module's imports, parsed (ast), nothing imported.

config -> plan -> data -> strategies -> engine -> results folder -> pages:
rooms import only rooms on their own floor or below, no two rooms import
each other (directly or round a longer loop), and nothing below the
pipeline sees the config. Every import counts: at the top, inside a
function, under ``TYPE_CHECKING``.

A room is a top-level folder or module of ``simulator/`` (``data``,
``engine``, ``errors``, ...; the package's own ``__init__`` is the room
``simulator``, its public names) or a top-level package of the built-in
strategies. The rules are data, below: a new room needs a floor in
``LAYERS`` before the suite passes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# ----------------------------------------------------------------------------- the rules, as data

# The packages checked: import name -> folder of the repository (rotsim's own and its built-in strategies).
PACKAGES = {"simulator": "simulator", "strategies": "strategies"}

# Floors, lowest first. A room may import its own floor and the floors below it, never one above.
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(floor)
    for floor in (
        {"errors", "units", "interrupt", "contract"},  # the ground floor: imports nothing of rotsim
        {"plugins", "simulator"},  # the plugin contract (and the public names `simulator` exports)
        {"data", "engine", "lookahead", "study", "sweep"},  # plain values in, plain values out
        {"strategies", "reports", "testing", "scaffold"},  # built-ins read the contract; reports read results
        {"pages"},  # the comparison pages, built from results folders
        {"config"},  # the config's shape and loader: read by the pipeline and what drives it
        {"pipeline"},  # plan and execute a run: the only room below the commands that reads the config
        {"commands"},
        {"cli"},
    )
)

# Rooms that may import `simulator.config`: the pipeline and whatever stands above it.
CONFIG = "config"
CONFIG_READERS_FROM = "pipeline"

# The one module that defines the trading year; no other binds a module-level name to it.
TRADING_YEAR = 252
TRADING_YEAR_HOME = "simulator.units"

# ----------------------------------------------------------------------------- known exceptions
# Imports (importer module, imported module) that break a rule today, each with why and who removes it.
# An exception that no longer occurs fails `test_known_exceptions_still_occur`: delete it then.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


# ----------------------------------------------------------------------------- reading the imports


@dataclass(frozen=True)
class Import:
    importer: str  # module name
    imported: str  # module name (a submodule when `from package import submodule`)
    line: int

    @property
    def where(self) -> str:
        return f"{module_files()[self.importer].relative_to(ROOT)}:{self.line}"


@cache
def module_files() -> dict[str, Path]:
    """Every module of ``PACKAGES`` by name (a package by its ``__init__``, or by its folder if it has none)."""
    out: dict[str, Path] = {}
    for package, folder in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = (package, *path.relative_to(ROOT / folder).with_suffix("").parts)
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


@cache
def known_modules() -> frozenset[str]:
    """Module names and package names (folders without an ``__init__`` too)."""
    names = set(module_files())
    for name in list(names):
        parts = name.split(".")
        names |= {".".join(parts[:i]) for i in range(1, len(parts))}
    return frozenset(names)


def _is_package(name: str) -> bool:
    path = module_files().get(name)
    return path is None or path.name == "__init__.py"  # a folder without __init__ is a package too


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not _is_package(importer):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _ours(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


@cache
def imports() -> tuple[Import, ...]:
    found = []
    for importer, path in module_files().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [Import(importer, a.name, node.lineno) for a in node.names if _ours(a.name)]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(importer, node)
                if not _ours(base):
                    continue
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    found.append(Import(importer, sub if sub in known_modules() else base, node.lineno))
    return tuple(dict.fromkeys(found))  # `from x import a, b` is one import of x


def room(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "simulator":
        return parts[1] if len(parts) > 1 else "simulator"
    return parts[0]


def floor(name: str) -> int:
    """The room's floor; a room with none stands above all (``test_every_room_has_a_floor`` names it)."""
    return next((i for i, rooms in enumerate(LAYERS) if name in rooms), len(LAYERS))


def crossings() -> Iterator[Import]:
    """Imports from one room into another, less the known exceptions."""
    for imp in imports():
        if room(imp.importer) != room(imp.imported) and (imp.importer, imp.imported) not in KNOWN_EXCEPTIONS:
            yield imp


# ----------------------------------------------------------------------------- the tests


def test_the_imports_are_read() -> None:
    """The parser sees what is there: a test of the rules that read nothing would pass vacuously."""
    edges = {(i.importer, i.imported) for i in imports()}
    assert ("simulator.pipeline.plan", "simulator.config") in edges  # from ..config import LoadedConfig
    assert ("simulator.pipeline.execute", "simulator.pipeline.plan") in edges  # from .plan import ...
    assert ("simulator.cli", "simulator.commands._common") in edges  # inside a function
    assert any(i.importer.startswith("strategies.") and i.imported == "simulator.contract" for i in imports())
    assert len(module_files()) > 50


def test_every_room_has_a_floor() -> None:
    rooms = {room(m) for m in module_files()}
    placed = set().union(*LAYERS)
    assert not rooms - placed, f"rooms with no floor in LAYERS (tests/test_architecture.py): {sorted(rooms - placed)}"


def test_no_upward_import() -> None:
    upward = [
        f"{imp.where}: {imp.importer} (floor {floor(room(imp.importer))}) imports {imp.imported} "
        f"(floor {floor(room(imp.imported))})"
        for imp in crossings()
        if floor(room(imp.importer)) < floor(room(imp.imported))
    ]
    assert not upward, "imports up the floors:\n" + "\n".join(upward)


def test_no_cycle_between_rooms() -> None:
    graph: dict[str, set[str]] = {}
    for imp in crossings():
        graph.setdefault(room(imp.importer), set()).add(room(imp.imported))
    cycles = [c for c in _strongly_connected(graph) if len(c) > 1]
    detail = [
        f"{imp.where}: {imp.importer} -> {imp.imported}"
        for c in cycles
        for imp in crossings()
        if room(imp.importer) in c and room(imp.imported) in c
    ]
    assert not cycles, f"rooms that import each other: {cycles}\n" + "\n".join(detail)


def test_nothing_below_the_pipeline_sees_the_config() -> None:
    below = floor(CONFIG_READERS_FROM)
    seen = [
        f"{imp.where}: {imp.importer} imports {imp.imported}"
        for imp in crossings()
        if room(imp.imported) == CONFIG and floor(room(imp.importer)) < below
    ]
    assert not seen, "the config read below the pipeline:\n" + "\n".join(seen)


def test_one_trading_year() -> None:
    """The trading year is defined once (``TRADING_YEAR_HOME``); every other module imports it."""
    defined = []
    for module, path in module_files().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.Constant) and type(value.value) is int and value.value == TRADING_YEAR:
                defined.append(module)
    assert defined == [TRADING_YEAR_HOME], f"modules that bind a name to {TRADING_YEAR} at the top: {defined}"


def test_known_exceptions_still_occur() -> None:
    """An exception that no longer occurs is deleted, so the list says what is left to do."""
    found = {(i.importer, i.imported) for i in imports()}
    gone = [edge for edge in sorted(KNOWN_EXCEPTIONS) if edge not in found]
    assert not gone, f"{gone} no longer occur: delete them from KNOWN_EXCEPTIONS"


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            out.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out
