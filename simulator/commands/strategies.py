"""`rotsim strategies`: what is installed, with parameters and help."""

from __future__ import annotations

import argparse
import textwrap

from ._common import add_plugin_options, console, escape, load_registry, report_broken


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    st = sub.add_parser("strategies", help="list installed strategies with their parameters")
    add_plugin_options(st)
    st.add_argument("name", nargs="?", help="show one strategy in full (its whole docstring)")
    st.set_defaults(func=_cmd_strategies)


def _cmd_strategies(args: argparse.Namespace) -> int:
    from rich.table import Table

    registry = load_registry(args)
    term = console()
    report_broken(registry, term)
    if args.name:
        registry.get(args.name)  # raises with the installed list
    for name in sorted(registry.strategies):
        if args.name and name != args.name:
            continue
        s = registry.strategies[name]
        fixed = ["(from params)"] if callable(s.roles) else [r for r in s.roles if r not in s.default_tickers]
        roles = ", ".join([*fixed, *(f"{r} (default {t})" for r, t in s.default_tickers.items())])
        optional = ", ".join(f"{r} (else {f})" for r, f in s.optional_roles.items())
        term.print(f"[bold cyan]{name}[/]  [dim]plugin: {s.plugin}[/]", highlight=False)
        term.print(f"  {escape(s.description)}", highlight=False)
        if args.name and (rest := s.doc.split("\n\n", 1)[1:]):
            # one strategy asked for: its whole docstring (hypothesis, source, what it sets)
            term.print(textwrap.indent(escape(rest[0]), "  "), highlight=False)
        term.print(
            f"  roles: {roles}"
            + (f"; optional: {optional}" if optional else "")
            + (f"; macro series: {', '.join(s.series)}" if s.series else ""),
            highlight=False,
        )
        table = Table(box=None, show_header=True, header_style="dim", pad_edge=False, padding=(0, 2))
        for col in ("parameter", "type", "default", "allowed", "help"):
            table.add_column(col)
        for p in s.params:
            table.add_row(p.name, escape(p.type), escape(repr(p.default)), p.constraints, escape(p.help))
        if s.params:
            term.print(table)
        term.print()
    return 0
