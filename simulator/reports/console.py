"""What the terminal shows: progress while a run works, then a metrics table."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, final

import pandas as pd

from ..engine.metrics import COLUMNS

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.table import Table
    from rich.text import Text

__all__ = ["HINDSIGHT", "MetricsTable", "format_metric", "metrics_table", "paths_list", "progress", "shown_value"]

PERCENT = {"cagr", "volatility", "max_drawdown", "worst_year", "exposure", "alpha", "turnover"}
HINDSIGHT = "HINDSIGHT"
# Left out first when the terminal is too narrow for every column; CAGR, max
# drawdown and Sharpe always stay. Choices (exposure, beta) go before scores.
DROP_ORDER = (
    "exposure", "beta", "alpha", "calmar", "turnover", "volatility", "worst_year", "sortino", "information_ratio",
)  # fmt: skip
NAME_MIN = 14  # names wrap at words down to this width


@contextmanager
def progress(console: Console, total: int) -> Iterator[Callable[[str], None]]:
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


def metrics_table(
    metrics: pd.DataFrame,
    title: str,
    hindsight: Mapping[str, str] | None = None,
    vintage: Mapping[str, str] | None = None,
) -> MetricsTable:
    """The metrics as a terminal table; ``hindsight`` maps the labels of strategies that use the future to why,
    ``vintage`` those that read today's revised figures to which."""
    return MetricsTable(metrics, title, dict(hindsight or {}), dict(vintage or {}))


@final
@dataclass(frozen=True, eq=False)
class MetricsTable:
    """A rich renderable: the metrics table at the console's width, never cutting a number.

    Names wrap; when the numbers still do not fit, whole columns are left out
    (least telling first, see :data:`DROP_ORDER`) and a note under the table
    says which and where to read them. Strategies with a hindsight note are
    marked HINDSIGHT, with the note under the table; a data-vintage note
    (revised figures read as if known then) follows, milder: no mark on the row.
    """

    metrics: pd.DataFrame
    title: str
    hindsight: dict[str, str]
    vintage: dict[str, str] = field(default_factory=dict)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        cells = {k: [format_metric(k, v) for v in self.metrics[k]] for k in self.metrics.columns}
        # each number column as wide as its widest number (or header word), fixed: rich never squeezes it
        widths = {k: max([len(c) for c in cells[k]] + [len(w) for w in COLUMNS.get(k, k).split()]) for k in cells}
        shown = list(self.metrics.columns)
        dropped = [k for k in DROP_ORDER if k in shown]
        while dropped and self._needs(widths, shown) > options.max_width:
            shown.remove(dropped.pop(0))
        dropped = [k for k in self.metrics.columns if k not in shown]
        if self._needs(widths, shown) > options.max_width:
            yield from self._lines()  # too narrow for any table: one line per number
        else:
            yield self._table(shown, cells, widths)
            if dropped:
                names = ", ".join(COLUMNS.get(k, k) for k in dropped)
                yield Text(
                    f"Not shown at {options.max_width} columns: {names}. Every metric is in metrics.csv and index.html "
                    "in the results folder (or widen the terminal).",
                    style="dim",
                )
        for label, note in self.hindsight.items():
            yield Text.assemble((HINDSIGHT, "bold red"), f" {label}: {note}")
        for label, note in self.vintage.items():
            yield Text.assemble(("data vintage", "yellow"), f" {label}: {note}", style="dim")

    def _needs(self, widths: Mapping[str, int], keys: list[str]) -> int:
        """Columns the table needs with names wrapped: rich's default box pads each cell by one space a side
        and draws a rule between columns and at both edges."""
        return self._name_width() + sum(widths[k] for k in keys) + 3 * (len(keys) + 1) + 1

    def _table(self, keys: list[str], cells: Mapping[str, list[str]], widths: Mapping[str, int]) -> Table:
        from rich.table import Table

        table = Table(title=self.title, title_justify="left", header_style="bold")
        table.add_column("", overflow="fold", min_width=self._name_width())
        for k in keys:
            table.add_column(COLUMNS.get(k, k), justify="right", width=widths[k])
        for i, label in enumerate(self.metrics.index):
            table.add_row(self._name(str(label)), *(cells[k][i] for k in keys))
        return table

    def _name(self, label: str) -> Text:
        from rich.text import Text

        # Text, not markup: a label like "Thrust [run 2]" is shown as written
        name = Text(label)
        if label in self.hindsight and HINDSIGHT not in label:
            name.append(f" {HINDSIGHT}", style="bold red")
        return name

    def _lines(self) -> Iterator[RenderableType]:
        from rich.text import Text

        yield Text(self.title, style="italic")
        for label, row in self.metrics.iterrows():
            yield self._name(str(label))
            for k in self.metrics.columns:
                yield Text(f"  {COLUMNS.get(k, k)}: {format_metric(k, row[k])}")

    def _name_width(self) -> int:
        """The name column's narrowest: names wrap at words down to :data:`NAME_MIN`."""
        return min(NAME_MIN, max((len(self._name(str(x))) for x in self.metrics.index), default=1))


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
