"""docs/writing-strategies.md is the code that runs: its files are the example's, its snippets run."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

GUIDE = ROOT / "docs" / "writing-strategies.md"
TEXT = GUIDE.read_text(encoding="utf-8")
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)


def test_every_file_shown_is_the_file_itself() -> None:
    shown = re.findall(r"<!-- file: (\S+) -->\n```\w+\n(.*?)```", TEXT, re.S)
    assert {path for path, _ in shown} >= {
        "examples/rotsim-sector-momentum/src/rotsim_sector_momentum/__init__.py",
        "examples/rotsim-sector-momentum/pyproject.toml",
        "examples/rotsim-sector-momentum/sector_momentum.yaml",
    }
    for path, block in shown:
        assert block == (ROOT / path).read_text(encoding="utf-8"), f"{GUIDE.name} shows {path} differently"


def test_the_python_snippets_run_and_their_tests_pass() -> None:
    namespace: dict = {"__name__": "guide"}
    blocks = [code for lang, code in FENCE.findall(TEXT) if lang == "python"]
    assert len(blocks) >= 3
    for code in blocks:
        exec(compile(code, str(GUIDE), "exec"), namespace)  # noqa: S102 - our own documentation
    tests = [f for name, f in namespace.items() if name.startswith("test_")]
    assert len(tests) >= 3
    for test in tests:
        test()


def test_the_hooks_section_lists_every_hook_with_its_docstring() -> None:
    import inspect

    from simulator.contract import hookspecs

    specs = {n: f for n, f in vars(hookspecs).items() if hasattr(f, "rotsim_spec")}
    assert specs
    for name, func in specs.items():
        args = ", ".join(inspect.signature(func).parameters)
        assert f"- `{name}({args})`: {inspect.getdoc(func)}" in TEXT


def test_the_guide_points_at_rotsim_series_not_a_copy_of_the_catalogue() -> None:
    from simulator.data.market.series import SERIES

    # a table of series in the guide went stale with each new series: `rotsim series` reads the catalogue
    assert "`rotsim series`" in TEXT and "`rotsim series DGS10`" in TEXT
    assert not re.findall(r"^\| `(\w+)` \| ([\w:+]+) \| (daily|monthly|quarterly) \|", TEXT, re.M)
    assert all(f"`{name}`" in TEXT for name in ("y10", "recession_hindsight")) and "y10" in SERIES


@pytest.mark.parametrize("name", ["Param", "SeriesSpec", "Strategy", "StrategyInput", "hookimpl", "strategy"])
def test_what_the_guide_imports_is_exported_typed_from_simulator(name: str) -> None:
    import simulator

    assert name in simulator.__all__ and getattr(simulator, name) is not None
    assert (ROOT / "simulator" / "py.typed").is_file()
    assert re.search(rf"from \.\w+ import .*\b{name}\b", (ROOT / "simulator" / "__init__.py").read_text())
