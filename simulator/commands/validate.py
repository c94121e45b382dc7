"""`rotsim validate`: check a config without running it.

It reports what `run` would stop on, all at once (schema errors, then
strategies, parameters and missing data, each at its config line), and what
`study` would stop on for a config with a `study:` section; when there is
none, prints every warning `run` would print, in the same words.
"""

from __future__ import annotations

import argparse

from ._common import (
    add_data_options,
    add_plugin_options,
    console,
    data_access,
    load_registry,
    print_warnings,
    report_broken,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    val = sub.add_parser("validate", help="check a config (keys, strategies, parameters, data) without running it")
    val.add_argument("config")
    val.add_argument("--data-dir", metavar="DIR")
    add_plugin_options(val)
    add_data_options(val, refresh=False)
    val.set_defaults(func=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..config import check_config
    from ..errors import ConfigError

    loaded, errors = check_config(args.config)
    if loaded is None:  # told before the pipeline (and pandas with it) is imported: a typo is answered at once
        raise ConfigError("\n".join(errors))
    from ..pipeline.execute import load_market
    from ..pipeline.plan import make_plan, plugin_files
    from ..pipeline.study import check_study
    from ..pipeline.sweep_plan import plan_sweep, sweep_entry

    registry = load_registry(args, plugin_files(loaded, args.plugin))
    term = console()
    report_broken(registry, term)
    sweep = None
    if sweep_entry(loaded) is not None:  # a sweep's errors too, before the data's
        try:
            sweep = plan_sweep(loaded, registry)
        except ConfigError as exc:
            errors.append(str(exc))
        if sweep is not None:
            from ..pipeline.sweep_files import check_files

            errors += check_files(loaded, sweep)[1]  # sweep.files: variants that exist, within max_files
    try:
        plan = make_plan(loaded, registry, args.data_dir, data_access(args))
    except ConfigError as exc:
        raise ConfigError("\n".join([*errors, str(exc)])) from None
    if errors:
        raise ConfigError("\n".join(errors))
    market = load_market(plan)  # the span and the series too: what `run` would find wrong, found now
    print_warnings(term, market.warnings)
    study = check_study(loaded, plan, market)  # a study's own errors (assets, events, horizons) too
    labels = ", ".join(p.label for p in plan.strategies)
    span = f"{market.start.date()} to {market.end.date()}"
    warned = f"; {len(market.warnings)} data warning(s) above" if market.warnings else ""
    print(f"{args.config}: ok ({len(plan.strategies)} strategies: {labels}; data: {plan.source.name}, {span}){warned}")
    if study:
        print(study)
    if sweep is not None:
        print(
            f"sweep: {len(sweep.ids):,} variants of {sweep.label} ({', '.join(sweep.names)}); default {sweep.default}"
        )
    return 0
