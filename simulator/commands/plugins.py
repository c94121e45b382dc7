"""`rotsim plugins`: installed plugins, where each comes from, what it registers or why it broke."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from ._common import add_plugin_options, console, escape, load_registry

_STATUS_STYLE = {"ok": "green", "broken": "bold red", "disabled": "yellow"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pl = sub.add_parser(
        "plugins",
        help="list plugins: name, version, where from, strategies; broken ones with the reason",
        description=(
            "List strategy plugins in load order: entry points in the rotsim.strategies group (the built-ins "
            "first), then $ROTSIM_PLUGINS, then --plugin. A broken plugin is listed with its reason and "
            "does not stop the others."
        ),
    )
    add_plugin_options(pl)
    pl.add_argument("--json", action="store_true", help="print a JSON list instead (one object per plugin)")
    pl.set_defaults(func=_cmd_plugins)


def _cmd_plugins(args: argparse.Namespace) -> int:
    registry = load_registry(args)
    if args.json:
        rows = [asdict(p) | {"strategies": list(p.strategies), "status": p.status} for p in registry.plugins]
        print(json.dumps(rows, indent=2))
        return 0
    term = console()
    for p in registry.plugins:
        style = _STATUS_STYLE[p.status]
        version = f" {escape(p.version)}" if p.version else ""
        term.print(f"[bold cyan]{escape(p.name)}[/]{version}  [{style}]{p.status}[/]", highlight=False)
        term.print(f"  from: {escape(p.source)}", highlight=False)
        if p.location:
            term.print(f"  module: {escape(p.location)}", highlight=False)
        if p.error:
            term.print(f"  [{style}]reason:[/] {escape(p.error)}", highlight=False)
        elif not p.disabled:
            term.print(f"  strategies: {', '.join(p.strategies) or '(none)'}", highlight=False)
    if not registry.plugins:
        term.print("no plugins found")
    return 0
