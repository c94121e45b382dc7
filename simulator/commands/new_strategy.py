"""`rotsim new-strategy NAME`: write a strategy plugin package, ready to `pip install -e`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import console, escape


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ns = sub.add_parser(
        "new-strategy",
        help="write a new strategy plugin package (pyproject, module, config, README, test)",
        description=(
            "Write rotsim-NAME/ (dashes for underscores): a plugin package declaring the rotsim.strategies "
            "entry point, with a working example strategy to edit, a config that runs it, a README and a test "
            "using simulator.testing. After `pip install -e rotsim-NAME`, `rotsim strategies` lists it."
        ),
    )
    ns.add_argument("name", help="the strategy's name: a lowercase Python identifier, e.g. sector_momentum")
    ns.add_argument("--dir", default=".", metavar="PATH", help="folder to create the package in (default: here)")
    ns.set_defaults(func=_cmd_new_strategy)


def _cmd_new_strategy(args: argparse.Namespace) -> int:
    from ..plugins import load_plugins
    from ..scaffold import check_name, package_names, write_package

    check_name(args.name, {n: s.plugin for n, s in load_plugins().strategies.items()})
    folder = write_package(args.name, Path(args.dir))
    _, package = package_names(args.name)
    term = console()
    term.print(f"[bold]wrote[/] {escape(str(folder))}", highlight=False)
    for rel in ("pyproject.toml", f"src/{package}/__init__.py", f"tests/test_{args.name}.py", f"{args.name}.yaml"):
        term.print(f"  {escape(str(folder / rel))}", highlight=False)
    term.print(
        "next:\n"
        f"  pip install -e {escape(str(folder))}\n"
        f"  rotsim strategies {args.name}\n"
        f"  rotsim run {escape(str(folder / (args.name + '.yaml')))}\n"
        f"  pytest {escape(str(folder / 'tests'))}",
        highlight=False,
    )
    return 0
