"""What the terminal shows: progress while a run works, then a metrics table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..engine.metrics import COLUMNS

PERCENT = {"cagr", "volatility", "max_drawdown", "worst_year", "exposure", "alpha", "turnover"}


@contextmanager
def progress(console, total: int) -> Iterator[Callable[[str], None]]:  # noqa: ANN001 - rich Console
    """Yield ``step(description)``: call it as each of ``total`` steps starts."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("[bold]{task.description:<40}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with bar:
        task = bar.add_task("starting", total=total)
        started = [False]

        def step(description: str) -> None:
            if started[0]:
                bar.advance(task)
            started[0] = True
            bar.update(task, description=description)

        yield step
        bar.update(task, completed=total)


def metrics_table(metrics: pd.DataFrame, title: str):  # noqa: ANN201 - rich Table
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold")
    table.add_column("")
    for key in metrics.columns:
        table.add_column(COLUMNS.get(key, key), justify="right")
    for label, row in metrics.iterrows():
        # escaped: a label like "Thrust [run 2]" is text, not rich markup
        table.add_row(escape(str(label)), *(format_metric(k, row[k]) for k in metrics.columns))
    return table


def paths_list(folder: Path, files: list[Path]) -> str:
    shown = [str(folder)] + [f"  {p.relative_to(folder)}" for p in files]
    return "\n".join(shown)


def format_metric(key: str, value: float) -> str:
    """A metric as the reports show it: percent or two decimals, an en dash when missing."""
    if pd.isna(value):
        return "–"
    shown = shown_value(key, value)
    return f"{shown:.1%}" if key in PERCENT else f"{shown:.2f}"


def shown_value(key: str, value: float) -> float:
    """``value`` rounded as :func:`format_metric` shows it (0.1% or 0.01): equal here means equal on screen."""
    return round(float(value), 3 if key in PERCENT else 2) + 0.0  # + 0.0 turns a rounded -0 into 0: no "-0.0%"
