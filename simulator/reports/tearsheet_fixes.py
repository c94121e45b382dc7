"""What rotsim changes in quantstats' tearsheet (0.0.86), applied while :mod:`.tearsheet` writes one.

- The metrics rows that metrics.csv also has show metrics.csv's numbers
  (:func:`~simulator.engine.metrics.performance`): quantstats' information
  ratio is per day and 0 at zero tracking error, its benchmark column repeats
  the strategy's. Its other ratios take the same risk-free rate.
- The charts are rotsim's (:mod:`.svg.quantstats_charts`), from quantstats'
  data; its EOY chart put bars and year labels at different x under pandas 3.
- The EOY table's "Won" column says "=" for a year level with the benchmark
  at the shown precision (quantstats: "+" or "-" by floating-point noise).
- No "CAGR﹪": DejaVu Sans, many pages' fallback font, lacks that sign.
- The page header is rotsim's, escaped: quantstats pastes the title and the
  benchmark name into its HTML as they are. The page does not call ``save()``
  on load (it defines none: an error in the console).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..engine.metrics import PERIODS, performance
from ._swap import swapped

__all__ = ["annual_rf", "fill_header", "patched_quantstats", "page_template", "shared_rows"]

# quantstats' row -> (performance() key, shown in percent); the benchmark column first, as quantstats puts it
SHARED_ROWS = {
    "CAGR": ("cagr", True),
    "Volatility (ann.)": ("volatility", True),
    "Sharpe": ("sharpe", False),
    "Sortino": ("sortino", False),
    "Max Drawdown": ("max_drawdown", True),
    "Calmar": ("calmar", False),
    "Worst Year": ("worst_year", True),
    "Beta": ("beta", False),
    "Alpha": ("alpha", False),
    "Information Ratio": ("information_ratio", False),
}
# these take rf as one number subtracted from a total return: with a daily rate they come out blank or garbled
SCALAR_RF_ROWS = ("Ulcer Performance Index", "Serenity Index", "Treynor Ratio")
MISSING_GLYPH = "\ufe6a"  # "﹪", small percent sign

_HEADER = "<!--rotsim:header-->"
_TITLE = "<!--rotsim:title-->"
_FAVICON = re.compile(r'<link[^>]*rel="shortcut icon"[^>]*>\s*')
# rotsim's charts (.svg) have their own margins: quantstats' negative ones trim matplotlib's white borders
_CSS = (
    "<style>h1{font-size:22px;margin-bottom:4px}h4{margin-bottom:2px}"
    "#left svg.rotsim-chart,#monthly_heatmap svg.rotsim-chart{margin:0 0 18px;height:auto;display:block}</style>\n"
)


def shared_rows(returns: pd.DataFrame, benchmark: pd.Series, rf: pd.Series | None) -> dict[str, list[str]]:
    """The cells of each row metrics.csv shares with quantstats' table: benchmark, then each column of ``returns``.

    ``rf``: daily risk-free returns on the returns' dates, or None for rf = 0.
    """
    books = [benchmark, *(returns[c] for c in returns.columns)]
    values = [performance(r, benchmark, rf) for r in books]
    return {row: [_cell(v[key], pct) for v in values] for row, (key, pct) in SHARED_ROWS.items()}


def _cell(value: float, pct: bool) -> str:
    """A value as quantstats shows its own: rounded to 2 places, '-' when undefined."""
    if not np.isfinite(value):
        return "-"
    shown = round(value * 100 if pct else value, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{shown}%" if pct else str(shown)


@contextmanager
def patched_quantstats(rows: Mapping[str, Sequence[str]], rf_annual: pd.Series | None) -> Iterator[None]:
    """Within: quantstats' html() shows ``rows`` and takes ``rf_annual`` (annual rates on the returns' dates).

    Patches module attributes for the length of one report, in this process.
    """
    from quantstats import plots, reports, stats

    patches: dict[tuple[Any, str], Callable[..., Any]] = {
        (reports, "metrics"): _metrics_table(reports.metrics, rows, rf_annual),
        (stats, "compare"): _years_compared(stats.compare),
        (stats, "r_squared"): _undefined_when_flat(stats.r_squared),
    }
    if rf_annual is not None:
        # their rows are dropped (SCALAR_RF_ROWS): not computed, they cost a third of the table's time
        patches[(stats, "ulcer_performance_index")] = _dropped_row(stats.ulcer_performance_index)
        patches[(stats, "serenity_index")] = _dropped_row(stats.serenity_index)
        # quantstats annotates rf as a float; it is given the annual rate by day (a series), as before
        patches[(plots, "rolling_sharpe")] = partial(plots.rolling_sharpe, rf=rf_annual)  # type: ignore[arg-type]
        patches[(plots, "rolling_sortino")] = partial(plots.rolling_sortino, rf=rf_annual)  # type: ignore[arg-type]
    with swapped(patches):
        yield


def _dropped_row(original: Callable[..., Any]) -> Callable[..., Any]:
    """A metric whose row is dropped when rf is a series (:data:`SCALAR_RF_ROWS`): NaN per column, not computed."""

    def blank(returns: Any, rf: Any = 0.0, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(rf, pd.Series):
            return original(returns, rf, *args, **kwargs)
        if isinstance(returns, pd.DataFrame):
            return pd.Series(np.nan, index=returns.columns)
        return np.float64(np.nan)

    return blank


def _undefined_when_flat(r_squared: Callable[..., Any]) -> Callable[..., Any]:
    """quantstats' R², NaN (shown "-") for a book or benchmark whose returns never change.

    A book that only ever holds cash has such returns; quantstats fits a line
    with scipy, which raises on them, and the whole tearsheet was lost. R² is
    undefined there: only that error becomes NaN.
    """

    # quantstats' signature, prepare_returns positional too
    def safe(returns: pd.Series, benchmark: pd.Series, prepare_returns: bool = True) -> Any:
        if _flat(returns) or _flat(benchmark):
            return np.float64(np.nan)  # a numpy float, as quantstats' own: its callers .round() it
        return r_squared(returns, benchmark, prepare_returns=prepare_returns)

    return safe


def _flat(values: pd.Series) -> bool:
    v = pd.Series(values).dropna()
    return v.empty or bool((v == v.iloc[0]).all())


def _metrics_table(
    original: Callable[..., pd.DataFrame], rows: Mapping[str, Sequence[str]], rf_annual: pd.Series | None
) -> Callable[..., pd.DataFrame]:
    def table(*args: Any, **kwargs: Any) -> pd.DataFrame:
        if rf_annual is not None:
            kwargs["rf"] = rf_annual
        frame = original(*args, **kwargs)
        frame = frame.rename(index=lambda name: name.replace(MISSING_GLYPH, ""))
        if rf_annual is not None:
            frame = frame.drop(index=[r for r in SCALAR_RF_ROWS if r in frame.index])
        for name, cells in rows.items():
            if name not in frame.index:
                raise RuntimeError(f"quantstats' metrics table has no {name!r} row to show metrics.csv's value in")
            frame.loc[name] = list(cells)
        return frame

    return table


def _years_compared(original: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    def compare(*args: Any, **kwargs: Any) -> pd.DataFrame:
        data = original(*args, **kwargs)
        if "Won" in data:  # percent, shown to 2 places
            ours, theirs = data["Returns"].round(2), data["Benchmark"].round(2)
            data["Won"] = np.where(ours == theirs, "=", np.where(ours > theirs, "+", "-"))
        return data

    return compare


def page_template(folder: Path) -> Path:
    """quantstats' page template with rotsim's header slots and no favicon from the web, written into ``folder``."""
    import quantstats

    tpl = (Path(quantstats.__file__).parent / "report.html").read_text(encoding="utf-8")
    tpl = _FAVICON.sub("", tpl)
    tpl = tpl.replace('<body onload="save()">', "<body>")  # a function the page does not define: an error on load
    tpl, titles = re.subn(r"<title>.*?</title>", f"<title>{_TITLE}</title>", tpl, count=1, flags=re.S)
    tpl, headers = re.subn(r"<h1>\{\{title\}\}.*?</h4>", _HEADER, tpl, count=1, flags=re.S)
    if (titles, headers) != (1, 1):
        raise RuntimeError("quantstats' report.html has no <title> or no {{title}} heading to replace")
    path = folder / "report.html"
    path.write_text(tpl.replace("</head>", _CSS + "</head>", 1), encoding="utf-8")
    return path


def fill_header(html: str, title: str, lines: Sequence[str], headings: Sequence[str] = ()) -> str:
    """Put the escaped ``title`` and ``lines`` into a page written from :func:`page_template`.

    ``headings``: names quantstats wrote raw as <h3> headings (the multi-strategy drawdown tables).
    """
    for name in headings:
        html = html.replace(f"<h3>{name}</h3><br>", f"<h3>{escape(name)}</h3><br>")
    head = f"<h1>{escape(title)}</h1>\n" + "".join(f"        <h4>{escape(line)}</h4>\n" for line in lines if line)
    return html.replace(_TITLE, escape(title), 1).replace(_HEADER, head, 1)


def annual_rf(daily: pd.Series) -> pd.Series:
    """Daily risk-free returns as the annual rates quantstats takes (it de-annualises them back exactly)."""
    return (1.0 + daily) ** PERIODS - 1.0
