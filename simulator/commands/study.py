"""`rotsim study`: measure what followed a config's events (or calendar groups) and check its claim."""

from __future__ import annotations

import argparse

from . import _common as common


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    study = sub.add_parser(
        "study", help="an event or period study of a config's `study:` section: forward returns, baseline, claim"
    )
    study.add_argument("config", help="YAML config file with a `study:` section")
    study.add_argument("--data-dir", metavar="DIR", help="CSV data folder (overrides $ROTSIM_DATA_DIR and data.dir)")
    study.add_argument("--out", metavar="DIR", help="results folder (overrides report.out)")
    common.add_plugin_options(study)
    common.add_data_options(study)
    study.set_defaults(func=_cmd_study)


def _cmd_study(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..pipeline.plan import plugin_files
    from ..pipeline.study import count_study_steps, execute_study
    from ..reports.console import paths_list, progress

    loaded = load_config(args.config)
    registry = common.load_registry(args, plugin_files(loaded, args.plugin))
    term = common.console()
    common.report_broken(registry, term)
    with progress(term, count_study_steps(loaded)) as step:
        access = common.data_access(args)
        result = execute_study(loaded, registry, data_dir=args.data_dir, out=args.out, access=access, step=step)
    common.print_warnings(term, result.warnings)
    for label, note in result.hindsight.items():  # as a run's summary marks it: nobody could have had this
        term.print(f"[bold red]HINDSIGHT[/] {common.escape(label)}: {common.escape(note)}", highlight=False)
    if result.claim is not None and not result.claim.empty:
        for _, r in result.claim.iterrows():
            at = f" {r['asset']} {r['at']}".rstrip()
            test = f"; {r['versus_baseline']}" if r["versus_baseline"] else ""
            why = f" ({r['why']})" if r["why"] else ""
            line = f"{r['figure']}{at}: claimed {r['claimed']:.4g}, measured {r['measured']:.4g}: "
            term.print(
                f"{common.escape(line)}[bold]{common.escape(r['verdict'])}[/]{common.escape(why + test)}",
                highlight=False,
            )
    term.print(f"[bold]wrote[/] {paths_list(result.folder, result.files)}", highlight=False)
    return 0
