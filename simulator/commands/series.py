"""`rotsim series`: the macro series a strategy can declare, with their source ids, lags and the dates at hand."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import add_data_options, console, escape

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from ..contract import SeriesSpec

EXIT_USER_ERROR = 2
Span = tuple[str, str]  # first and last date at hand, as shown


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sr = sub.add_parser(
        "series", help="list the macro series strategies can declare: source ids, frequency, lag, dates at hand"
    )
    sr.add_argument("name", nargs="?", help="one series in detail: its rotsim name (y10) or a source id (DGS10)")
    sr.add_argument(
        "--data-dir",
        metavar="DIR",
        help="CSV folder the first and last dates are read from (default: $ROTSIM_DATA_DIR, else the download cache)",
    )
    sr.add_argument("--sample", action="store_true", help="the synthetic sample market instead of real data")
    add_data_options(sr, refresh=False, offline=False)
    sr.set_defaults(func=_cmd_series)


def _cmd_series(args: argparse.Namespace) -> int:
    from ..data.market.series import SERIES
    from ..errors import UserError

    specs = list(SERIES.values())
    if args.name:
        asked = args.name.lower()  # FRED ids are upper case, rotsim's names lower: either is accepted in any case
        found = [s for s in specs if asked in (s.name.lower(), *(i.lower() for i in s.ids))]
        if not found:
            raise UserError(
                f"unknown macro series '{args.name}'; known names: {', '.join(SERIES)} "
                f"(or a source id: {', '.join(dict.fromkeys(i for s in specs for i in s.ids))})"
            )
        specs = found
    where, spans = _spans(args, [i for s in specs for i in s.ids])
    term = console()
    if args.name:
        for s in specs:
            _detail(term, s, where, spans)
        return 0
    from rich.table import Table

    table = Table(title=f"macro series (dates at hand: {where})", title_justify="left", header_style="bold")
    for column in ("name", "source id", "frequency", "known after", "first", "last"):
        table.add_column(column)
    for s in specs:
        first, last = _joined(s, spans)
        table.add_row(s.name, "+".join(s.ids), s.frequency, _lag(s), first, last)
    term.print(table)
    term.print("[dim]rotsim series NAME: one series in full (NAME or its source id)[/]", highlight=False)
    return 0


def _detail(term: Console, s: SeriesSpec, where: str, spans: dict[str, Span]) -> None:
    term.print(f"[bold cyan]{s.name}[/]  [dim]{s.frequency}, known {escape(_lag(s))}[/]", highlight=False)
    term.print(f"  {escape(s.description)}", highlight=False)
    for i in s.ids:
        first, last = spans.get(i, ("", ""))
        optional = " (optional: used where the data has it)" if i in s.optional else ""
        dates = f"{first} to {last}" if first and first != "synthetic" else first or "not at hand"
        term.print(f"  source id {escape(i)}{optional}: {escape(dates)} ({escape(where)})", highlight=False)
    if s.yoy:
        term.print("  values: percent change over the observation a year earlier", highlight=False)
    term.print(f"  declare it: @strategy(series=({s.name!r},)); read it: data.macro[{s.name!r}]", highlight=False)
    term.print()


def _lag(s: SeriesSpec) -> str:
    if s.hindsight:
        return "on the dates it describes (HINDSIGHT)"
    if s.frequency == "daily":
        return (
            "the same day" if s.lag_days == 0 else f"{s.lag_days} business day{'s' * (s.lag_days > 1)} after its date"
        )
    period = "quarter" if s.frequency == "quarterly" else "month"
    return f"{s.lag_days} day{'s' * (s.lag_days > 1)} after its {period} ends"


def _joined(s: SeriesSpec, spans: dict[str, Span]) -> Span:
    """The series' first and last date at hand over its spliced ids ('' where none is at hand)."""
    have = [spans[i] for i in s.ids if i in spans]
    if not have:
        return "", ""
    if any(first == "synthetic" for first, _ in have):
        return "synthetic", "synthetic"
    first = min(f for f, _ in have)
    if s.yoy:  # the first rate needs the observation a year before it
        first = f"{int(first[:4]) + 1}{first[4:]}"
    return first, max(last for _, last in have)


def _spans(args: argparse.Namespace, ids: list[str]) -> tuple[str, dict[str, Span]]:
    """Where the dates come from, and each id's first and last date there."""
    ids = list(dict.fromkeys(ids))
    if args.sample:
        from ..data.sources.sample import SERIES as SAMPLE_IDS

        return "the synthetic sample", {i: ("synthetic", "synthetic") for i in ids if i in SAMPLE_IDS}
    folder = args.data_dir or os.environ.get("ROTSIM_DATA_DIR")
    if folder:
        return str(folder), _folder_spans(Path(folder).expanduser(), ids, args.cache_dir)
    return _cache_spans(args.cache_dir, ids)


def _folder_spans(folder: Path, ids: list[str], cache_dir: str | None) -> dict[str, Span]:
    from ..data.sources.csv_folder import CsvSource
    from ..data.sources.pick import parsed_dir
    from ..errors import UserError

    if not folder.is_dir():
        raise UserError(f"--data-dir {folder}: not a folder")
    source = CsvSource(folder, parsed_dir(cache_dir))
    present = [i for i in ids if i not in set(source.missing([], ids))]
    return {i: _span(obs) for i, obs in source.load_series(present).items() if obs.notna().any()}


def _cache_spans(cache_dir: str | None, ids: list[str]) -> tuple[str, dict[str, Span]]:
    from ..data.providers.cache import Cache
    from ..data.providers.french import library_name, parse_id
    from ..data.sources.pick import cache_dir as default_cache_dir

    cache = Cache(default_cache_dir(cache_dir))
    metas, _ = cache.entries()
    by_key = {(m.source, m.dataset): m for m in metas}
    spans = {}
    for i in ids:
        french = parse_id(i)  # cached under the zip's name, as FrenchRemote.dataset names it
        m = by_key.get(("french", library_name(french.file))) if french else by_key.get(("fred", i))
        if m is not None and m.first is not None and m.last is not None:
            spans[i] = (f"{m.first:%Y-%m-%d}", f"{m.last:%Y-%m-%d}")
    return f"the download cache {cache.root}", spans


def _span(obs: pd.Series) -> Span:
    known = obs.dropna()
    return f"{known.index[0]:%Y-%m-%d}", f"{known.index[-1]:%Y-%m-%d}"
