"""quantstats HTML tearsheets, imported lazily (quantstats costs seconds to import).

The page, its tables and its metrics are quantstats'; its charts are drawn by
rotsim from quantstats' own figures (:mod:`.svg.quantstats_charts`), as SVG
text, without matplotlib. A strategy's tearsheet keeps the figures quantstats' report of all
strategies draws again (:mod:`.tearsheet_figures`); that report takes them
(:class:`Drawn`) instead of drawing them a second time.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from collections.abc import Iterator, MutableMapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..engine.metrics import PERIODS
from .svg.quantstats_charts import drawn_by_rotsim
from .tearsheet_figures import SLOTS, keeping, leaving_out, put_back
from .tearsheet_fixes import annual_rf, fill_header, page_template, patched_quantstats, shared_rows
from .tearsheet_speed import faster_quantstats

__all__ = ["Drawn", "keeping_figures", "multi_tearsheet_page", "no_percent", "write_multi_tearsheet", "write_tearsheet"]

_kept: list[MutableMapping[str, str]] = []  # where the figures of the tearsheet being written go (keeping_figures)


def write_tearsheet(
    returns: pd.Series,
    benchmark: pd.Series,
    path: Path,
    title: str,
    strategy_title: str,
    benchmark_title: str,
    subtitle: str = "",
    rf: pd.Series | None = None,
) -> None:
    """Write one tearsheet of ``returns`` against ``benchmark`` (both daily returns, same dates).

    ``title`` heads the page on one line, ``subtitle`` (if any) goes under it.
    ``rf``: the daily risk-free return Sharpe and Sortino are taken over, as
    in metrics.csv (a missing day counts as 0); None: rf = 0.
    The benchmark is always a Series: given a ticker string, quantstats tries
    to download it and offline silently compares against zeros.
    """
    name = no_percent(strategy_title)
    kept = _kept[-1] if _kept else None
    # rotsim's charts first: keeping() keeps what they draw
    with drawn_by_rotsim(), keeping(kept) if kept is not None else nullcontext():
        html = _quantstats_html(returns.rename(name), benchmark, title, name, benchmark_title, subtitle, rf)
    path.write_text(html, encoding="utf-8")


@contextmanager
def keeping_figures(into: MutableMapping[str, str]) -> Iterator[None]:
    """Within: :func:`write_tearsheet` also keeps the figures quantstats' report of all strategies shows in ``into``."""
    _kept.append(into)
    try:
        yield
    finally:
        _kept.pop()


@dataclass
class Drawn:
    """What the tearsheets drew for quantstats' report of all strategies, for :func:`write_multi_tearsheet`.

    ``figures``: per name drawn under (:func:`no_percent` of the label), the
    returns and benchmark drawn and each figure's SVG by slot. ``page``: the
    report computed with a marker in place of every strategy's figures
    (:func:`multi_tearsheet_page`), with the arguments it was computed from.
    Each is used only where the report's own data is the same.
    """

    figures: dict[str, tuple[pd.Series, pd.Series, dict[str, str]]] = field(default_factory=dict)
    page: tuple[tuple[pd.DataFrame, pd.Series, str, str, pd.Series | None], str] | None = None

    def figures_for(self, frame: pd.DataFrame, benchmark: pd.Series) -> dict[str, dict[str, str]]:
        """The figures drawn from exactly ``frame``'s columns and ``benchmark``, by column."""
        return {
            name: svg
            for name, (returns, bench, svg) in self.figures.items()
            if name in frame.columns
            and set(svg) == set(SLOTS.values())
            and _same(returns, frame[name])
            and _same(bench, benchmark)
        }

    def page_for(
        self, frame: pd.DataFrame, benchmark: pd.Series, title: str, benchmark_title: str, rf: pd.Series | None
    ) -> str | None:
        """The page computed from the same arguments, or None."""
        if self.page is None:
            return None
        (returns, bench, was_title, was_bench_title, was_rf), html = self.page
        was = _differing(returns, bench)
        same = (
            (was_title, was_bench_title) == (title, benchmark_title)
            and was is not None
            and list(was.columns) == list(frame.columns)
            and all(_same(was[c], frame[c]) for c in frame.columns)
            and _same(bench, benchmark)
            and (was_rf is None) == (rf is None)
            and (rf is None or was_rf is None or _same(_daily(was_rf, frame.index), _daily(rf, frame.index)))
        )
        return html if same else None


def multi_tearsheet_page(
    returns: pd.DataFrame, benchmark: pd.Series, title: str, benchmark_title: str, rf: pd.Series | None = None
) -> str | None:
    """quantstats' report of all strategies as :func:`write_multi_tearsheet` writes it, less each strategy's figures.

    A marker stands in for each (:mod:`.tearsheet_figures`); their tearsheets
    draw them. None: no column differs from the benchmark.
    """
    frame = _differing(returns, benchmark)
    if frame is None:
        return None
    return _multi_page(frame, benchmark, title, benchmark_title, rf, list(frame.columns))


def write_multi_tearsheet(
    returns: pd.DataFrame,
    benchmark: pd.Series,
    path: Path,
    title: str,
    benchmark_title: str,
    rf: pd.Series | None = None,
    drawn: Drawn | None = None,
) -> Path | None:
    """Write quantstats' report of several strategies (the columns of ``returns``) against ``benchmark``.

    Requires every column and the benchmark on the same dates. It adds what
    rotsim's own page leaves out: some fifty more metrics side by side (VaR,
    skew, win rates, ...) on quantstats' conventions. Columns identical to the
    benchmark are left out: with zero tracking error quantstats' information
    ratio comes back as a bare int and the report crashes. Returns ``path``,
    or None (nothing written) when no column differs from the benchmark.
    ``drawn``: what the tearsheets drew of it already (the same data only).
    """
    frame = _differing(returns, benchmark)
    if frame is None:
        return None
    figures = drawn.figures_for(frame, benchmark) if drawn is not None else {}
    html = None
    if drawn is not None and len(figures) == len(frame.columns):
        html = drawn.page_for(frame, benchmark, title, benchmark_title, rf)
    if html is None:
        html = _multi_page(frame, benchmark, title, benchmark_title, rf, list(figures))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(put_back(html, list(frame.columns), figures), encoding="utf-8")
    return path


def _differing(returns: pd.DataFrame, benchmark: pd.Series) -> pd.DataFrame | None:
    """The columns that differ from the benchmark, named as quantstats can draw them; None if none does."""
    differ = [c for c in returns.columns if (returns[c] - benchmark).abs().max() > 0]
    return returns[differ].rename(columns=no_percent) if differ else None


def _multi_page(
    frame: pd.DataFrame,
    benchmark: pd.Series,
    title: str,
    benchmark_title: str,
    rf: pd.Series | None,
    left_out: Sequence[str],
) -> str:
    names = list(frame.columns)
    # a marker names its strategy by position: two columns of one name cannot tell theirs apart
    with drawn_by_rotsim(), leaving_out(left_out if len(set(names)) == len(names) else []):
        return _quantstats_html(frame, benchmark, title, names, benchmark_title, rf=rf)


def _quantstats_html(
    returns: pd.Series | pd.DataFrame,
    benchmark: pd.Series,
    title: str,
    strategy_title: str | list[str],
    benchmark_title: str,
    subtitle: str = "",
    rf: pd.Series | None = None,
) -> str:
    import quantstats as qs

    if not returns.index.equals(benchmark.index):
        raise ValueError("tearsheet: returns and benchmark must share dates")
    benchmark_title = no_percent(benchmark_title)
    frame = returns.to_frame() if isinstance(returns, pd.Series) else returns
    daily_rf = None if rf is None else _daily(rf, returns.index)
    rf_annual = None if daily_rf is None else annual_rf(daily_rf)
    rows = shared_rows(frame, benchmark, daily_rf)
    with (
        tempfile.TemporaryDirectory() as tmp,
        faster_quantstats(),  # first: rotsim's changes wrap its metrics table
        patched_quantstats(rows, rf_annual),  # within drawn_by_rotsim: gives its rolling ratios the rate
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        output = Path(tmp) / "tearsheet.html"
        qs.reports.html(
            returns,
            benchmark=benchmark.rename(benchmark_title),
            output=str(output),
            template_path=str(page_template(Path(tmp))),
            strategy_title=strategy_title,
            benchmark_title=benchmark_title,
            periods_per_year=PERIODS,
            match_dates=False,  # already aligned; quantstats' own trimming would shift the start
        )
        html = output.read_text(encoding="utf-8")
    first, last = returns.index[0], returns.index[-1]
    over = "rf = 0" if rf_annual is None else f"the risk-free rate ({rf_annual.mean():.1%} a year on average)"
    about = (
        f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y} · benchmark {benchmark_title} · "
        f"Sharpe and Sortino over {over}; information ratio annualised · QuantStats {qs.__version__}"
    )
    headings = list(frame.columns) if isinstance(returns, pd.DataFrame) else []
    return fill_header(html, title, [subtitle, about], headings)


def _daily(rf: pd.Series, dates: pd.Index) -> pd.Series:
    """The daily risk-free return on ``dates``, a missing day 0."""
    return rf.reindex(dates).fillna(0.0)


def _same(a: pd.Series, b: pd.Series) -> bool:
    """The same numbers on the same dates (names aside)."""
    return a.index.equals(b.index) and bool(np.array_equal(a.to_numpy(), b.to_numpy(), equal_nan=True))


def no_percent(text: str) -> str:
    """A strategy or benchmark name quantstats can use in plot titles.

    It %-formats those titles, so a literal "%" (as in "+3.5%") crashes it.
    A look-alike sign is no answer: its plots are drawn with DejaVu Sans,
    which lacks one. The page title is not formatted and keeps its "%".
    """
    return re.sub(r"\s*%", " pct", text)
