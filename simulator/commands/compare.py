"""`rotsim compare`: one comparison page across earlier runs, on the dates they share."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import console, escape


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmp = sub.add_parser(
        "compare",
        help="compare earlier runs side by side on their common dates (writes index.html)",
        description=(
            "Build the comparison page across results folders of earlier runs, e.g. the same strategy "
            "under two configs. The runs are aligned on the dates they all have and every metric is "
            "recomputed on that span."
        ),
    )
    cmp.add_argument(
        "results", nargs="+", metavar="RESULTS_DIR", help="a run's folder, e.g. results/demo/20250101-120000"
    )
    cmp.add_argument(
        "--out", metavar="DIR", default="results/compare", help="where to write (default: results/compare)"
    )
    cmp.add_argument(
        "--label", action="append", default=[], metavar="NAME",
        help="what to call each run on the page, once per RESULTS_DIR in order (default: run names)",
    )  # fmt: skip
    cmp.add_argument("--no-tearsheets", action="store_true", help="skip quantstats' report of all strategies")
    cmp.set_defaults(func=_cmd_compare)


def _cmd_compare(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from ..pages.comparison import load_run
    from ..pages.write import write_comparison
    from ..reports.console import metrics_table, paths_list
    from ..reports.folder import new_run_id, results_folder

    if args.label and len(args.label) != len(args.results):
        raise UserError(f"{len(args.label)} --label for {len(args.results)} results folders; give one per folder")
    for folder in args.results:
        load_run(folder)  # check every folder before anything is written
    with results_folder(Path(args.out), new_run_id()) as (tmp, final):
        comparison, files = write_comparison(
            tmp, [Path(f) for f in args.results], args.label or None, not args.no_tearsheets
        )
        rel = [f.relative_to(tmp) for f in files]
    folder = final[0]
    term = console()
    title = "comparison" + (" — SYNTHETIC DATA" if comparison.synthetic else "")
    term.print(metrics_table(comparison.metrics, title, comparison.hindsight, comparison.vintage))
    term.print(escape(comparison.span_note), highlight=False)
    term.print(escape(comparison.ratio_note), highlight=False)
    term.print(f"[bold]wrote[/] {paths_list(folder, [folder / r for r in rel])}", highlight=False)
    return 0
