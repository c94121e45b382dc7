"""The ``rotsim`` command.

argparse, and only the standard library at import time: ``rotsim --help``
must answer at once, so each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

EXIT_USER_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USER_ERROR
    from .errors import UserError

    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        _console(stderr=True).print(f"[bold red]error:[/] {_escape(str(exc))}", highlight=False, soft_wrap=True)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="rotsim",
        description="Portfolio rotation simulator: test market-rotation claims as strategies on history.",
    )
    sub = p.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    run = sub.add_parser("run", help="run a config: simulate its strategies and write reports")
    run.add_argument("config", help="YAML config file")
    run.add_argument("--data-dir", metavar="DIR", help="CSV data folder (overrides $ROTSIM_DATA_DIR and data.dir)")
    run.add_argument("--out", metavar="DIR", help="results folder (overrides report.out)")
    run.add_argument("--plugin", action="append", default=[], metavar="FILE", help="load a strategy plugin file")
    run.add_argument("--no-tearsheets", action="store_true", help="skip the quantstats tearsheets")
    run.set_defaults(func=_cmd_run)

    val = sub.add_parser("validate", help="check a config (keys, strategies, parameters, data) without running it")
    val.add_argument("config")
    val.add_argument("--data-dir", metavar="DIR")
    val.add_argument("--plugin", action="append", default=[], metavar="FILE")
    val.set_defaults(func=_cmd_validate)

    st = sub.add_parser("strategies", help="list installed strategies with their parameters")
    st.add_argument("--plugin", action="append", default=[], metavar="FILE")
    st.add_argument("name", nargs="?", help="show one strategy")
    st.set_defaults(func=_cmd_strategies)
    return p


def _cmd_run(args: argparse.Namespace) -> int:
    from .config import load_config
    from .plan import plugin_files
    from .plugins import load_plugins
    from .reports.console import metrics_table, paths_list, progress
    from .run import count_steps, execute

    loaded = load_config(args.config)
    if args.no_tearsheets:
        loaded = _without_tearsheets(loaded)
    registry = load_plugins(plugin_files(loaded, args.plugin))
    console = _console()
    _report_broken(registry, console)
    with progress(console, count_steps(loaded)) as step:
        result = execute(loaded, registry, data_dir=args.data_dir, out=args.out, step=step)
    for w in result.warnings:
        console.print(f"[yellow]warning:[/] {_escape(w)}", highlight=False)
    title = f"{loaded.config.name}" + (" — SYNTHETIC DATA" if result.synthetic else "")
    console.print(metrics_table(result.metrics, title))
    console.print(f"[bold]wrote[/] {paths_list(result.folder, result.files)}", highlight=False)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .config import load_config
    from .plan import make_plan, plugin_files
    from .plugins import load_plugins

    loaded = load_config(args.config)
    registry = load_plugins(plugin_files(loaded, args.plugin))
    plan = make_plan(loaded, registry, args.data_dir)
    labels = ", ".join(p.label for p in plan.strategies)
    print(f"{args.config}: ok ({len(plan.strategies)} strategies: {labels}; data: {plan.source.name})")
    return 0


def _cmd_strategies(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .plugins import load_plugins

    registry = load_plugins(args.plugin)
    console = _console()
    _report_broken(registry, console)
    if args.name:
        registry.get(args.name)  # raises with the installed list
    for name in sorted(registry.strategies):
        if args.name and name != args.name:
            continue
        s = registry.strategies[name]
        roles = "(from params)" if callable(s.roles) else ", ".join(s.roles)
        optional = ", ".join(f"{r} (else {f})" for r, f in s.optional_roles.items())
        console.print(f"[bold cyan]{name}[/]  [dim]plugin: {s.plugin}[/]", highlight=False)
        console.print(f"  {_escape(s.description)}", highlight=False)
        console.print(
            f"  roles: {roles}" + (f"; optional: {optional}" if optional else "")
            + (f"; macro series: {', '.join(s.series)}" if s.series else ""),
            highlight=False,
        )
        table = Table(box=None, show_header=True, header_style="dim", pad_edge=False, padding=(0, 2))
        for col in ("parameter", "type", "default", "allowed", "help"):
            table.add_column(col)
        for p in s.params:
            table.add_row(p.name, p.type, repr(p.default), p.constraints, p.help)
        if s.params:
            console.print(table)
        console.print()
    return 0


def _without_tearsheets(loaded):  # noqa: ANN001, ANN202
    from dataclasses import replace

    report = loaded.config.report.model_copy(update={"tearsheets": False})
    return replace(loaded, config=loaded.config.model_copy(update={"report": report}))


def _report_broken(registry, console) -> None:  # noqa: ANN001
    for p in registry.broken:
        console.print(f"[yellow]warning:[/] plugin {p.name} ({p.source}) did not load: {_escape(p.error)}", highlight=False)


def _console(stderr: bool = False):  # noqa: ANN202
    from rich.console import Console

    # CI logs and pipes get plain text at a readable width
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "160"))
    return Console(stderr=stderr, width=width)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


if __name__ == "__main__":
    sys.exit(main())
