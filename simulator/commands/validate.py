"""`rotsim validate`: check a config without running it."""

from __future__ import annotations

import argparse

from ._common import add_data_options, add_plugin_options, console, data_access, load_registry, report_broken


def register(sub: argparse._SubParsersAction) -> None:
    val = sub.add_parser("validate", help="check a config (keys, strategies, parameters, data) without running it")
    val.add_argument("config")
    val.add_argument("--data-dir", metavar="DIR")
    add_plugin_options(val)
    add_data_options(val, refresh=False)
    val.set_defaults(func=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..plan import make_plan, plugin_files
    from ..run import load_market

    loaded = load_config(args.config)
    registry = load_registry(args, plugin_files(loaded, args.plugin))
    report_broken(registry, console(stderr=True))
    plan = make_plan(loaded, registry, args.data_dir, data_access(args))
    market = load_market(plan)  # the span and the series too: what `run` would find wrong, found now
    labels = ", ".join(p.label for p in plan.strategies)
    span = f"{market.start.date()} to {market.end.date()}"
    print(f"{args.config}: ok ({len(plan.strategies)} strategies: {labels}; data: {plan.source.name}, {span})")
    return 0
