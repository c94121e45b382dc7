"""Mutation testing of rotsim's engine, metrics, market alignment and strategies: mutmut, plus strategy bodies.

Usage (from anywhere; it runs in the repository root): ``python scripts/mutation.py run --max-children 2``,
then ``python scripts/mutation.py results`` and ``python scripts/mutation.py show <mutant>``.
The arguments are mutmut's own, plus ``score``: the last run's table by module, as CONTRIBUTING.md
shows it. What is mutated and which tests run are in pyproject.toml under ``[tool.mutmut]``.

Why a wrapper and not plain ``mutmut``: mutmut leaves every decorated function alone (copying
one for its trampolines would run the decorator once per copy), and each built-in strategy is
a function decorated with ``@strategy(...)`` whose body holds the strategy's rule (a threshold,
a comparison, a month boundary). Here a function whose only decorator is ``@strategy(...)`` is
mutated like any other but for its parameters' defaults: its mutant copies are plain functions,
and only the trampoline that dispatches to them keeps the decorator, so each strategy is still
made once. This patches two
of mutmut's internals, so the version is pinned (the ``mutation`` extra) and checked here.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import libcst as cst

ROOT = Path(__file__).resolve().parents[1]
MUTMUT_VERSION = "3.8.1"  # the internals patched below are this version's


def _is_strategy(node: cst.CSTNode) -> bool:
    """A ``def`` whose one decorator is a call of ``strategy`` (``@strategy(...)``)."""
    if not isinstance(node, cst.FunctionDef) or len(node.decorators) != 1:
        return False
    deco = node.decorators[0].decorator
    return isinstance(deco, cst.Call) and isinstance(deco.func, cst.Name) and deco.func.value == "strategy"


def _patch_mutmut() -> None:
    from importlib.metadata import version

    from libcst.metadata import PositionProvider
    from mutmut.mutation import file_mutation as fm

    if version("mutmut") != MUTMUT_VERSION:
        sys.exit(
            f"scripts/mutation.py patches mutmut {MUTMUT_VERSION}; found {version('mutmut')}: "
            'pip install -e ".[mutation]"'
        )

    skip = fm.MutationVisitor._skip_node_and_children
    arrange = fm.function_trampoline_arrangement

    defaults: set[int] = set()  # the parameters of @strategy functions, by id

    def skip_node_and_children(self: fm.MutationVisitor, node: cst.CSTNode) -> bool:
        if _is_strategy(node):  # the decorator's own arguments stay skipped: mutmut skips every Decorator node
            # A strategy is always called with every parameter (resolved from the config and
            # the defaults of its signature, which the trampoline keeps): a mutant's own
            # defaults are never read, so mutating them makes only equivalent mutants.
            defaults.update(id(p) for p in (*node.params.params, *node.params.kwonly_params))
            pos = self.get_metadata(PositionProvider, node, None)
            return bool(pos and pos.start.line in self._ignored_node_lines)  # "# pragma: no mutate block"
        return id(node) in defaults or skip(self, node)

    def trampoline_arrangement(function: cst.FunctionDef, mutants: Iterable[fm.Mutation], class_name: str | None):
        if not _is_strategy(function):
            return arrange(function, mutants, class_name)
        # the copies (original and mutants) without the decorator; the trampoline, first, with it on top
        decls, nodes, assigns, names = arrange(function.with_changes(decorators=[]), mutants, class_name)
        trampoline = nodes[0].with_changes(decorators=[*function.decorators, *nodes[0].decorators])
        return decls, [trampoline, *nodes[1:]], assigns, names

    fm.MutationVisitor._skip_node_and_children = skip_node_and_children
    fm.function_trampoline_arrangement = trampoline_arrangement


def score() -> None:
    """Print the last run's counts and score by module, a Markdown table (caught = killed + timeout)."""
    from mutmut.__main__ import walk_mutatable_files
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code

    kinds = ("killed", "timeout", "survived", "no tests")
    print("| module | mutants | " + " | ".join(kinds) + " | score |")
    print("|---|" + "---:|" * (len(kinds) + 2))
    total: Counter[str] = Counter()
    for path in sorted(walk_mutatable_files()):
        data = SourceFileMutationData(path=path)
        data.load()
        counts = Counter(status_by_exit_code[code] for code in data.exit_code_by_key.values())
        if counts:
            total += counts
            print(_row(str(path), counts, kinds))
    print(_row("**all**", total, kinds))


def _row(name: str, counts: Counter[str], kinds: tuple[str, ...]) -> str:
    n = sum(counts.values())
    caught = counts["killed"] + counts["timeout"]
    cells = [str(counts[k]) for k in kinds]
    other = n - sum(counts[k] for k in kinds)  # not checked, suspicious...: a run cut short
    return (
        f"| {name} | {n} | "
        + " | ".join(cells)
        + f" | {caught / n:.1%}"
        + (f" ({other} other)" if other else "")
        + " |"
    )


def main() -> None:
    os.chdir(ROOT)  # mutmut reads pyproject.toml and writes mutants/ in the working directory
    # the tests import the built-ins as strategies.* (tests/checkout_builtins.py): mutmut's names for them
    os.environ["ROTSIM_MUTATION"] = "1"
    _patch_mutmut()
    import click
    from mutmut.__main__ import cli

    cli.add_command(click.Command("score", callback=score, help="The last run's score by module."))
    cli(prog_name="scripts/mutation.py")


if __name__ == "__main__":
    main()
