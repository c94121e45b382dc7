"""`rotsim run`: simulate a config's strategies and write the reports."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ._common import (
    add_data_options,
    add_plugin_options,
    console,
    data_access,
    escape,
    load_registry,
    print_warnings,
    report_broken,
)

if TYPE_CHECKING:
    from ..config.load import LoadedConfig

EXIT_REPORTS_FAILED = 1  # results written, some reports not: the manifest's failed_reports says which and why


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="run a config: simulate its strategies and write reports")
    run.add_argument("config", help="YAML config file")
    run.add_argument("--data-dir", metavar="DIR", help="CSV data folder (overrides $ROTSIM_DATA_DIR and data.dir)")
    run.add_argument("--out", metavar="DIR", help="results folder (overrides report.out)")
    add_plugin_options(run)
    run.add_argument("--no-tearsheets", action="store_true", help="skip the quantstats tearsheets")
    add_data_options(run)
    from .sweep import add_sweep_options

    add_sweep_options(run)  # a config with a sweep runs as `rotsim sweep`
    run.set_defaults(func=_cmd_run)


def _cmd_run(args: argparse.Namespace) -> int:
    from ..config import load_config

    loaded = load_config(args.config)  # a config in error is told before the pipeline (and pandas) is imported
    from ..pipeline.sweep_plan import sweep_entry

    if sweep_entry(loaded) is not None:
        from .sweep import cmd_sweep

        return cmd_sweep(args)
    if given := [f"--{k.replace('_', '-')}" for k in _sweep_options() if getattr(args, k)]:
        from ..errors import UserError

        raise UserError(f"{', '.join(given)}: for a sweep, and no strategy of this config has a `sweep:`")
    if args.no_tearsheets:
        loaded = _without_tearsheets(loaded)
    elif loaded.config.report.tearsheets:
        from ..reports.tearsheet_server import start_workers

        # before this process imports pandas and the engine: the server imports quantstats beside them
        start_workers(len(loaded.config.strategies))
    from ..pipeline.execute import count_steps, execute
    from ..pipeline.plan import plugin_files
    from ..reports.console import metrics_table, paths_list, progress

    registry = load_registry(args, plugin_files(loaded, args.plugin))
    term = console()
    report_broken(registry, term)
    with progress(term, count_steps(loaded)) as step:
        result = execute(loaded, registry, data_dir=args.data_dir, out=args.out, step=step, access=data_access(args))
    print_warnings(term, result.warnings)
    title = f"{loaded.config.name}" + (" — SYNTHETIC DATA" if result.synthetic else "")
    term.print(metrics_table(result.metrics, title, result.hindsight, result.vintage))
    term.print(f"[bold]wrote[/] {paths_list(result.folder, result.files)}", highlight=False)
    if result.failed:  # the results are written; a script must still notice what is missing
        err = console(stderr=True)
        for name, why in result.failed.items():
            text = escape(f"{result.folder / name}: {why}")
            err.print(f"[bold red]error:[/] {text}", highlight=False, soft_wrap=True)
        rest = escape(str(result.folder))
        err.print(f"{len(result.failed)} report(s) not written; the rest is in {rest}", highlight=False, soft_wrap=True)
        return EXIT_REPORTS_FAILED
    return 0


def _sweep_options() -> list[str]:
    """The destinations of the options ``add_sweep_options`` adds (read from it: one list to keep)."""
    from .sweep import add_sweep_options

    probe = argparse.ArgumentParser(add_help=False)
    add_sweep_options(probe)
    return list(vars(probe.parse_args([])))


def _without_tearsheets(loaded: LoadedConfig) -> LoadedConfig:
    from dataclasses import replace

    report = loaded.config.report.model_copy(update={"tearsheets": False})
    return replace(loaded, config=loaded.config.model_copy(update={"report": report}))
