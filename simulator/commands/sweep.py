"""`rotsim sweep`: run every variant of a config's parameter sweep, on local processes or a Dask cluster."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from . import _common as common

if TYPE_CHECKING:
    from ..config.load import LoadedConfig


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sweep = sub.add_parser(
        "sweep", help="run every variant of a config's parameter sweep (strategies[].sweep) and rank them"
    )
    sweep.add_argument("config", help="YAML config file with a strategy that has a `sweep:`")
    add_sweep_options(sweep)
    sweep.add_argument("--data-dir", metavar="DIR", help="CSV data folder (overrides $ROTSIM_DATA_DIR and data.dir)")
    sweep.add_argument("--out", metavar="DIR", help="results folder (overrides report.out)")
    common.add_plugin_options(sweep)
    sweep.add_argument("--no-tearsheets", action="store_true", help="skip the default variant's tearsheet")
    common.add_data_options(sweep)
    sweep.set_defaults(func=cmd_sweep)


def add_sweep_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run the chunks on this Dask scheduler's workers (or $ROTSIM_DASK_SCHEDULER; default: local processes)",
    )
    parser.add_argument(
        "--resume", metavar="DIR", type=Path, help="continue the interrupted sweep whose chunks are kept in DIR"
    )
    parser.add_argument(
        "--workers", type=int, metavar="N", help="local worker processes (default: sweep.workers, else one a core)"
    )
    parser.add_argument("--chunk-size", type=int, metavar="N", help="variants per chunk (default: sweep.chunk_size)")
    parser.add_argument(
        "--files",
        action="append",
        metavar="WHICH",
        help="variants that also get their own results files under variants/<id>/ (default: sweep.files): "
        "comma-separated ids (v0012) or numbers, best, default, top:N, or params ('threshold=0.03&hold=63')",
    )


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..errors import UserError
    from ..pipeline.plan import plugin_files
    from ..pipeline.sweep import count_sweep_steps, execute_sweep
    from ..pipeline.sweep_plan import sweep_entry
    from ..reports.console import metrics_table, paths_list, progress
    from .run import _without_tearsheets  # run's own --no-tearsheets, one definition for both commands

    loaded = load_config(args.config)
    for flag in ("workers", "chunk_size"):
        if (n := getattr(args, flag, None)) is not None and n < 1:
            raise UserError(f"--{flag.replace('_', '-')} must be 1 or more (got {n})")
    if getattr(args, "no_tearsheets", False):
        loaded = _without_tearsheets(loaded)
    entry = sweep_entry(loaded)
    if entry is None:
        raise UserError("no strategy of this config has a `sweep:` (strategies[i].sweep)", where=str(loaded.path))
    registry = common.load_registry(args, plugin_files(loaded, args.plugin))
    term = common.console()
    common.report_broken(registry, term)
    sc = loaded.config.strategies[entry]
    rough = _rough_chunks(loaded, entry, args.chunk_size or loaded.config.sweep.chunk_size)
    err = common.console(stderr=True)
    with progress(term, count_sweep_steps(loaded, rough)) as step:
        result = execute_sweep(
            loaded,
            registry,
            data_dir=args.data_dir,
            out=args.out,
            step=step,
            access=common.data_access(args),
            scheduler=args.scheduler,
            resume=args.resume,
            workers=args.workers,
            chunk_size=args.chunk_size,
            files=args.files,
        )
    common.print_warnings(term, result.run.warnings)
    title = f"{loaded.config.name}" + (" — SYNTHETIC DATA" if result.run.synthetic else "")
    term.print(metrics_table(result.run.metrics, title, result.run.hindsight))
    metric = loaded.config.sweep.metric
    best = result.table.sort_values("rank").head(5)
    lines = [f"{len(result.table)} variants of {sc.title}, ranked by {metric}:"]
    for vid, row in best.iterrows():
        values = ", ".join(f"{n}={row[n]!r}" for n in sc.sweep or {})
        lines.append(f"  {row['rank']:>4}  {vid}  {metric} {row[metric]:.3f}  {values}")
    d = result.table.loc[result.default]
    lines.append(f"  default {result.default}: rank {d['rank']}, {metric} {d[metric]:.3f}")
    term.print(common.escape("\n".join(lines)), highlight=False)
    folder = result.run.folder
    chunk_files = [p for p in result.run.files if p.parent.parent == folder / "sweep"]
    shown = [p for p in result.run.files if p not in chunk_files]
    listed = paths_list(folder, shown) + f"\n  sweep/ ({len(chunk_files)} chunk files: returns/ and metrics/)"
    term.print(f"[bold]wrote[/] {common.escape(listed)}", highlight=False)
    if result.run.failed:
        for name, why in result.run.failed.items():
            err.print(f"[bold red]error:[/] {common.escape(f'{result.run.folder / name}: {why}')}", highlight=False)
        return 1
    return 0


def _rough_chunks(loaded: LoadedConfig, entry: int, size: int) -> int:
    """The chunks the progress bar counts: the grid's size before it is checked (a bar, not a promise)."""
    from ..sweep.grid import range_count

    n = 1
    for spec in (loaded.config.strategies[entry].sweep or {}).values():
        if isinstance(spec, list):
            n *= max(len(spec), 1)
        elif isinstance(spec, dict):
            try:
                n *= max(range_count(spec["from"], spec["to"], spec["step"]), 1)
            except (KeyError, TypeError, ValueError, ArithmeticError):
                pass
        n = min(n, 10**9)
    return -(-min(n, loaded.config.sweep.max_variants + 1) // size)
