"""`rotsim data`: fill the download cache for a config (`fetch`), and show what it holds (`list`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import add_data_options, add_plugin_options, console, data_access, escape, load_registry, report_broken

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import JustifyMethod
    from rich.table import Table

    from ..data.sources.prefetch import FetchResult

EXIT_USER_ERROR = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    data = sub.add_parser("data", help="download market data into the cache; list the cache")
    data.set_defaults(func=lambda _args: _usage(data))
    commands = data.add_subparsers(title="subcommands", metavar="SUBCOMMAND")

    fetch = commands.add_parser("fetch", help="download everything a config needs into the cache")
    fetch.add_argument("config", help="YAML config file")
    fetch.add_argument("--data-dir", metavar="DIR", help="CSV folder: what it holds is read from there, not fetched")
    add_plugin_options(fetch)
    add_data_options(fetch, offline=False)
    fetch.set_defaults(func=_cmd_fetch)

    listing = commands.add_parser("list", help="show what the cache holds")
    add_data_options(listing, refresh=False, offline=False)
    listing.set_defaults(func=_cmd_list)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_USER_ERROR


def _cmd_fetch(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..data.sources.auto import AutoSource
    from ..errors import DataError
    from ..pipeline.plan import make_plan, plugin_files
    from ..reports.console import progress

    loaded = load_config(args.config)
    registry = load_registry(args, plugin_files(loaded, args.plugin))
    term = console()
    report_broken(registry, term)
    plan = make_plan(loaded, registry, args.data_dir, data_access(args))
    source = plan.source
    if not isinstance(source, AutoSource):
        term.print(f"nothing to fetch: {escape(args.config)} reads {escape(source.name)}", highlight=False)
        return 0
    # what the run would load: strategies' default tickers and own series too
    tickers = list(plan.tickers)
    ids = list(dict.fromkeys(i for spec in plan.series_specs for i in spec.ids))
    with progress(term, len(source.plan_fetch(tickers, ids))) as step:
        results = source.fetch(tickers, ids, step)
    term.print(_results_table(results, source.cache.root))
    failed = [r for r in results if r.status == "failed"]
    if failed:
        lines = [f"{', '.join(r.keys)} ({_source(r)}): {r.detail}" for r in failed]
        raise DataError(
            f"{len(failed)} of {len(results)} downloads failed; the cache keeps what it had:\n"
            + "\n".join(f"  {line}" for line in lines)
        )
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from ..data.providers.cache import Cache
    from ..data.sources.pick import cache_dir

    cache = Cache(cache_dir(args.cache_dir))
    metas, problems = cache.entries()
    term = console()
    for problem in problems:
        term.print(f"[yellow]warning:[/] {escape(problem)}", highlight=False)
    if not metas:
        term.print(
            f"the cache ({escape(str(cache.root))}) is empty; fill it with: rotsim data fetch CONFIG", highlight=False
        )
        return 0
    from rich.table import Table

    table = Table(title=f"cache {cache.root}", title_justify="left", header_style="bold")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("ticker / series", "left"), ("source", "left"), ("first", "left"), ("last", "left"),
        ("rows", "right"), ("fetched at (UTC)", "left"),
    )  # fmt: skip
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for m in metas:
        table.add_row(
            escape(m.dataset), m.source, _day(m.first), _day(m.last), f"{m.rows:,}", f"{m.fetched_at:%Y-%m-%d %H:%M}"
        )
    term.print(table)
    return 0


def _results_table(results: list[FetchResult], root: Path) -> Table:
    from rich.table import Table

    table = Table(title=f"cache {root}", title_justify="left", header_style="bold")
    for column in ("ticker / series", "source", "status", "first", "last", "rows", "detail"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    styles = {"failed": "bold red", "fetched": "green", "updated": "green", "refetched": "yellow"}
    for r in results:
        m = r.meta
        style = styles.get(r.status, "")
        table.add_row(
            escape(", ".join(r.keys)),
            escape(_source(r)),
            f"[{style}]{r.status}[/]" if style else r.status,
            _day(m.first) if m else "",
            _day(m.last) if m else "",
            f"{m.rows:,}" if m else "",
            "see below" if r.status == "failed" else escape(r.detail),
        )
    return table


def _source(r: FetchResult) -> str:
    # A Ken French file serves several ids: name the file too.
    return r.source if r.keys == (r.dataset,) else f"{r.source}: {r.dataset}"


def _day(ts: pd.Timestamp | None) -> str:
    return "" if ts is None else f"{ts:%Y-%m-%d}"
