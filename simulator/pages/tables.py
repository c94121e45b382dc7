"""The comparison page's tables, as HTML fragments: at a glance, metrics, calendar years (by year or by decade)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from html import escape
from typing import cast

import numpy as np
import pandas as pd

from ..engine.metrics import COLUMNS, yearly
from ..reports.console import format_metric, shown_value
from .comparison import Comparison

# +1: higher is better, -1: lower is better. Drawdowns and worst years are
# negative, so "higher" means "less deep". Exposure and beta are a choice, not a
# score, so they are not ranked.
BETTER = {
    "cagr": 1,
    "volatility": -1,
    "sharpe": 1,
    "sortino": 1,
    "max_drawdown": 1,
    "calmar": 1,
    "worst_year": 1,
    "turnover": -1,
    "alpha": 1,
    "information_ratio": 1,
}

# What each column means, for runs whose manifest does not say (older runs, whose ratios used rf = 0)
HELP = {
    "cagr": "Compound annual growth rate",
    "volatility": "Standard deviation of daily returns, annualised (252 days)",
    "sharpe": "Mean daily return over its standard deviation, annualised (risk-free rate 0)",
    "sortino": "Like Sharpe, dividing by the downside deviation only",
    "max_drawdown": "Deepest fall from a previous peak",
    "calmar": "CAGR over the depth of the maximum drawdown",
    "worst_year": "Worst calendar-year return (a partial first or last year counts as it is)",
    "turnover": "Value traded per year (one way) as a fraction of the portfolio",
    "exposure": "Average fraction of the portfolio invested, not in cash (not ranked)",
    "beta": "Sensitivity of daily returns to the benchmark's (not ranked)",
    "alpha": "Annualised mean return not explained by beta",
    "information_ratio": "Annualised mean return over the benchmark, divided by its tracking error",
}

EXCESS_FULL = 0.15  # an excess of 15 points in a year gets the strongest colour


def best_rows(metrics: pd.DataFrame, unranked: Collection[str] = ()) -> dict[str, set[str]]:
    """For each ranked column of ``metrics``, the rows holding its best finite value as shown.

    Values are compared as the page shows them (0.1% or 0.01), so rows that
    read the same all share the mark; when every ranked row reads the same,
    none has it (there is nothing to tell apart). Rows in ``unranked`` (the
    hindsight strategies: results nobody could have had) neither win nor
    count.
    """
    out: dict[str, set[str]] = {}
    ranked = metrics.drop(index=[r for r in unranked if r in metrics.index])
    for col, sign in BETTER.items():
        if col not in ranked.columns:
            continue
        values = ranked[col].astype(float)
        finite = values[np.isfinite(values)]
        if finite.empty:
            continue
        shown = finite.map(lambda v: shown_value(col, v))  # noqa: B023 - called at once
        best = shown.max() if sign > 0 else shown.min()
        winners = set(shown.index[shown == best])
        if len(winners) < len(finite):
            out[col] = winners
    return out


def metric_definitions(c: Comparison) -> dict[str, str]:
    """Column of ``c.metrics`` -> how it is computed, from each run's own manifest.

    A run that states none (written before they were stated) gets :data:`HELP`.
    Where runs differ (another risk-free rate), each run's text is given after its tag.
    """
    out = {}
    for col in c.metrics.columns:
        texts = {tag: run.definitions.get(col) or HELP.get(col, col) for tag, run in zip(c.tags, c.runs)}
        distinct = list(dict.fromkeys(texts.values()))
        out[col] = distinct[0] if len(distinct) == 1 else "; ".join(f"{tag}: {t}" for tag, t in texts.items())
    return out


def definitions_list(definitions: Mapping[str, str]) -> str:
    """The definitions under the metrics table, one line per column."""
    items = "".join(f"<dt>{escape(COLUMNS.get(k, k))}</dt><dd>{escape(v)}</dd>" for k, v in definitions.items())
    return f'<dl class="definitions">{items}</dl>'


def metrics_table(
    metrics: pd.DataFrame,
    benchmark: str,
    colours: Mapping[str, str],
    hindsight: Mapping[str, str] | None = None,
    definitions: Mapping[str, str] | None = None,
) -> str:
    """A sortable table: one row per strategy and the benchmark, the best of each ranked column marked.

    Rows in ``hindsight`` (label -> note) are marked HINDSIGHT and never marked best.
    A column's header shows its entry in ``definitions`` on hover (default :data:`HELP`).
    """
    hindsight = hindsight or {}
    definitions = definitions or HELP
    best = best_rows(metrics, hindsight)
    head = ['<th scope="col" data-sort="text" class="name">Strategy</th>']
    for col in metrics.columns:
        better = {1: "high", -1: "low"}.get(BETTER.get(col, 0), "")
        arrow = {"high": " ↑", "low": " ↓"}.get(better, "")
        head.append(
            f'<th scope="col" data-sort="num" data-better="{better}" title="{escape(definitions.get(col, col))}">'
            f"{escape(COLUMNS.get(col, col))}<span class=dir>{arrow}</span></th>"
        )
    body = []
    for key, row in metrics.iterrows():
        label = cast(str, key)  # strategy labels
        cls = ' class="bench"' if label == benchmark else ' class="hindsight"' if label in hindsight else ""
        name = f"{chip(colours[label])}{escape(label)}{hindsight_badge(hindsight.get(label))}"
        cells = [f'<th scope="row" data-v="{escape(label)}">{name}</th>']
        for col in metrics.columns:
            v = float(row[col])
            mark = label in best.get(col, ())
            attrs = f' data-v="{v!r}"' if np.isfinite(v) else ' data-v=""'
            if mark:
                attrs += ' class="best" title="best in this column"'
            elif label in hindsight and col in BETTER:
                attrs += ' title="not ranked: uses hindsight"'
            cells.append(f"<td{attrs}>{escape(format_metric(col, v))}</td>")
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return (
        '<div class="scroll"><table class="metrics sortable" id="metrics-table"><thead><tr>'
        + "".join(head)
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></div>"
    )


def calendar_table(
    returns: pd.DataFrame, benchmark: str, colours: Mapping[str, str], hindsight: Mapping[str, str] | None = None
) -> str:
    """Years down, the benchmark then each strategy across; a strategy's cell is coloured by its
    return minus the benchmark's that year (green ahead, red behind). A last row counts the
    years each strategy was ahead, behind and level. Columns in ``hindsight`` are marked HINDSIGHT."""
    hindsight = hindsight or {}
    years = yearly(returns)
    points = year_points(returns, benchmark, years)
    cols = [benchmark] + [c for c in returns.columns if c != benchmark]
    partial = _partial_years(cast(pd.DatetimeIndex, returns.index))
    head = ['<th scope="col">Year</th>'] + [
        f'<th scope="col">{chip(colours[c])}{escape(c)}{hindsight_badge(hindsight.get(c))}</th>' for c in cols
    ]
    body = []
    for year in years.index:
        mark = f'<span class="partial" title="{escape(partial[year])}">*</span>' if year in partial else ""
        cells = [f'<th scope="row">{year}{mark}</th>']
        for c in cols:
            r = cast(float, years.at[year, c])
            if c == benchmark:
                cells.append(f'<td class="bench">{_pct(r)}</td>')
                continue
            cells.append(_excess_cell(c, year, r, cast(float, points.at[year, c])))
        body.append(f"<tr>{''.join(cells)}</tr>")
    counts = ['<th scope="row">Years ahead · behind · level</th>', '<td class="bench"></td>']
    counts += [f"<td>{_year_counts(points[c])}</td>" for c in cols[1:]]
    body.append(f'<tr class="total">{"".join(counts)}</tr>')
    notes = "; ".join(f"{y}: {t}" for y, t in partial.items())
    foot = f'<p class="note">* partial year ({escape(notes)}).</p>' if partial else ""
    return (
        '<div class="scroll"><table class="calendar"><thead><tr>'
        + "".join(head)
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></div>"
        + foot
    )


def decade_grids(
    returns: pd.DataFrame, benchmark: str, colours: Mapping[str, str], hindsight: Mapping[str, str] | None = None
) -> str:
    """Calendar years of a long span, one grid per column: decades down, a year's last digit across.

    A hundred years fit on a screen this way (a row a year would be 100 rows
    tall). The benchmark's grid comes first; a strategy's cells are coloured
    and marked as in :func:`calendar_table`, with its years ahead, behind and
    level under its name.
    """
    hindsight = hindsight or {}
    years = yearly(returns)
    points = year_points(returns, benchmark, years)
    partial = _partial_years(cast(pd.DatetimeIndex, returns.index))
    cols = [benchmark] + [c for c in returns.columns if c != benchmark]
    decades = range(int(years.index[0]) // 10 * 10, int(years.index[-1]) // 10 * 10 + 1, 10)
    head = '<tr><th scope="col"></th>' + "".join(f'<th scope="col">·{k}</th>' for k in range(10)) + "</tr>"
    grids = []
    for c in cols:
        rows = []
        for decade in decades:
            cells = [f'<th scope="row">{decade}s</th>']
            for year in range(decade, decade + 10):
                if year not in years.index:
                    cells.append("<td></td>")
                    continue
                r = cast(float, years.at[year, c])
                mark = '<span class="partial">*</span>' if year in partial else ""
                if c == benchmark:
                    # an empty second line keeps its rows as tall as a strategy's, so grids side by side line up
                    cells.append(
                        f'<td class="bench" title="{escape(c)} {year}: {_pct(r)}">{_pct(r)}{mark}<small>&nbsp;</small></td>'
                    )
                    continue
                cells.append(_excess_cell(c, year, r, cast(float, points.at[year, c]), mark))
            rows.append(f"<tr>{''.join(cells)}</tr>")
        counts = "the benchmark" if c == benchmark else _year_counts(points[c])
        grids.append(
            f'<div class="decades"><h3>{chip(colours[c])}{escape(c)}{hindsight_badge(hindsight.get(c))} '
            f'<span class="muted">— {counts}</span></h3>'
            f'<div class="scroll"><table class="decades"><thead>{head}</thead><tbody>{"".join(rows)}</tbody>'
            "</table></div></div>"
        )
    notes = "; ".join(f"{y}: {t}" for y, t in partial.items())
    foot = f'<p class="note">* partial year ({escape(notes)}).</p>' if partial else ""
    return '<div class="decade-grid">' + "".join(grids) + "</div>" + foot


def _excess_cell(label: str, year: int, r: float, excess: float, mark: str = "") -> str:
    """A strategy's return in ``year``, coloured and captioned by its points ahead of the benchmark."""
    gap = _points(excess)
    return (
        f'<td style="background:{_excess_colour(excess)}" title="{escape(label)} {year}: {_pct(r)}, '
        f'{gap} points vs the benchmark">{_pct(r)}{mark}<small>{gap}</small></td>'
    )


def year_points(returns: pd.DataFrame, benchmark: str, years: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each column's calendar-year return minus the benchmark's, in points rounded as the page shows them (0.1).

    One rounding for the figure, its colour and the ahead / behind / level
    counts: a year that reads 0.0 is level, not a loss. ``years``: ``yearly(returns)``, when the caller has it.
    """
    years = yearly(returns) if years is None else years
    return years.sub(years[benchmark], axis=0).mul(100).round(1) + 0.0  # + 0.0: no "-0.0"


def year_counts(points: pd.Series) -> tuple[int, int, int]:
    """Years (ahead, behind, level) from :func:`year_points` of one strategy."""
    return int((points > 0).sum()), int((points < 0).sum()), int((points == 0).sum())


def _year_counts(points: pd.Series) -> str:
    ahead, behind, level = year_counts(points)
    return f"<b>{ahead}</b> ahead · {behind} behind · {level} level"


def _points(p: float) -> str:
    return f"{p:+.1f}" if p else "0.0"


def glance(
    metrics: pd.DataFrame,
    returns: pd.DataFrame,
    benchmark: str,
    colours: Mapping[str, str],
    hindsight: Mapping[str, str] | None = None,
    vintage: Mapping[str, str] | None = None,
) -> str:
    """One card per strategy: did it beat the benchmark, by how much a year, at what depth of loss.

    A strategy in ``hindsight`` (label -> note) says HINDSIGHT in its title and
    verdict, and its note: its result was not available to anyone at the time.
    One in ``vintage`` (label -> note) carries its data-vintage caveat under the verdict, milder.
    """
    hindsight = hindsight or {}
    vintage = vintage or {}
    b = cast(pd.Series, metrics.loc[benchmark])  # a row: a label is on one row
    points = year_points(returns, benchmark)
    cards = []
    for label in [c for c in returns.columns if c != benchmark]:
        m = cast(pd.Series, metrics.loc[label])
        gap = m["cagr"] - b["cagr"]
        verdict = ("ahead", "beat") if gap > 0 else ("behind", "trailed")
        by = f"<b>{abs(gap) * 100:.1f}</b> points a year"
        if abs(gap) < 0.0005:  # would read "by 0.0 points"
            verdict, by = ("level", "matched"), f"to within 0.05 points a year ({gap * 100:+.2f})"
        note = hindsight.get(label)
        said = f"{verdict[1]} {escape(benchmark)} {'' if verdict[0] == 'level' else 'by '}{by}"
        cards.append(
            f'<div class="card{" hindsight" if note else ""}" style="border-top-color:{colours[label]}">'
            f'<div class="card-title">{escape(label)}{hindsight_badge(note)}</div>'
            f'<div class="verdict {verdict[0]}">{"with hindsight, " + said if note else said}</div>'
            + (f'<p class="hindsight-note">{escape(note)}</p>' if note else "")
            + (f'<p class="vintage-note">data vintage: {escape(v)}</p>' if (v := vintage.get(label)) else "")
            + "<dl>"
            f"<dt>CAGR</dt><dd>{_pct(m['cagr'])} <span>vs {_pct(b['cagr'])}</span></dd>"
            f"<dt>Max drawdown</dt><dd>{_pct(m['max_drawdown'])} <span>vs {_pct(b['max_drawdown'])}</span></dd>"
            f"<dt>Sharpe</dt><dd>{format_metric('sharpe', m['sharpe'])} "
            f"<span>vs {format_metric('sharpe', b['sharpe'])}</span></dd>"
            f"<dt>Years</dt><dd>{_year_counts(points[label])}</dd>"
            f"</dl></div>"
        )
    return '<div class="cards">' + "".join(cards) + "</div>"


def _partial_years(index: pd.DatetimeIndex) -> dict[int, str]:
    """Years the dates do not cover from their first to their last trading week."""
    out = {}
    first, last = index[0], index[-1]
    if (first.month, first.day) > (1, 7):
        out[first.year] = f"from {first:%Y-%m-%d}"
    if (last.month, last.day) < (12, 24):
        out[last.year] = (out.get(last.year, "") + " " if last.year in out else "") + f"to {last:%Y-%m-%d}"
    return out


def _excess_colour(points: float) -> str:
    if not np.isfinite(points) or points == 0:
        return "transparent"  # level with the benchmark, to the shown precision
    e = points / 100
    strength = min(abs(e) / EXCESS_FULL, 1.0)
    alpha = 0.08 + 0.55 * strength
    rgb = "26, 152, 80" if e > 0 else "215, 48, 39"
    return f"rgba({rgb}, {alpha:.3f})"


def hindsight_badge(note: str | None) -> str:
    """The HINDSIGHT mark beside a strategy's name, its note on hover; nothing for ``None``."""
    if not note:
        return ""
    return f' <span class="hindsight-mark" title="{escape(note)}">HINDSIGHT</span>'


def chip(colour: str) -> str:
    """The small colour swatch that ties a row to its line in the charts."""
    return f'<span class="chip" style="background:{colour}"></span>'


def _pct(v: float) -> str:
    return format_metric("cagr", v)  # a percent, or a dash when missing
