"""The comparison page's charts, as plotly figure specs (plain dicts, drawn by plotly.js).

Every trace's ``x`` is a reference such as ``"@daily"`` to a date axis the
page stores once (see :func:`axes`): seven strategies on 26 years of daily
dates would otherwise repeat the same 6,500 dates in every trace. Colours
are fixed per strategy and per ticker so a line or band means the same thing
in every chart.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Iterable, Mapping, Sequence
from html import escape
from typing import Any, Literal, NamedTuple, cast

import numpy as np
import pandas as pd

from ..engine.metrics import PERIODS, drawdowns
from ..reports.console import HINDSIGHT
from ..reports.holdings import signal_spans

Figure = dict[str, Any]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Tableau 10 without its grey, which is kept for the benchmark
STRATEGY_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7")
BENCHMARK_COLOUR = "#3d4148"
# ColorBrewer Set2/Pastel: softer than the strategy lines, so an area of tickers
# is not mistaken for a strategy
TICKER_COLOURS = ("#8da0cb", "#fc8d62", "#66c2a5", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3cde3", "#ccebc5")
CASH_COLOUR = "#dfe3e8"
SIGNAL_FILL = "rgba(31, 41, 51, 0.10)"
SIGNAL_MARK = "#52606d"
RIBBON = (0.93, 0.99)  # where the signal ribbon sits, in fractions of the chart's height
GRID = "#eceff3"
DASHES = ("solid", "dash", "dot", "dashdot")
ROLLING_DAYS = PERIODS  # 12 months of trading days
LEGEND_CHARS = 34  # a longer name is put on lines, so a legend entry fits a phone's width
# A span this long is read by decades: decade ticks, a point a week in the time charts, the calendar
# by decade. Its 7,500+ daily points per line are more than a chart has pixels, and 26,000 of them
# (1926 on) in three charts make up most of the page's data.
LONG_YEARS = 30
Points = Literal["daily", "weekly"]


class LineStyle(NamedTuple):
    colour: str
    dash: str  # plotly dash: solid, dash, dot, dashdot
    hindsight: bool = False  # its params use the future: its legend entry says so


def line_styles(
    labels: Sequence[str],
    benchmark: str,
    families: Mapping[str, str] | None = None,
    hindsight: Collection[str] = (),
) -> dict[str, LineStyle]:
    """One style per strategy, in order, and the benchmark's grey.

    ``families`` maps a label to what it is a variant of (the same strategy
    from another run): a family shares a hue, its later members lighter and
    dashed, so "the same strategy under two configs" reads as a pair.
    Labels in ``hindsight`` are marked HINDSIGHT wherever their name is shown.
    """
    families = families or {}
    order: dict[str, int] = {}
    seen: dict[str, int] = {}
    out = {}
    for label in labels:
        family = families.get(label, label)
        hue = order.setdefault(family, len(order))
        k = seen[family] = seen.get(family, -1) + 1
        base = STRATEGY_COLOURS[hue % len(STRATEGY_COLOURS)]
        out[label] = LineStyle(_tint(base, min(0.45, 0.3 * k)), DASHES[k % len(DASHES)], label in hindsight)
    out[benchmark] = LineStyle(BENCHMARK_COLOUR, "solid")
    return out


def ticker_colours(weights: Iterable[pd.DataFrame]) -> dict[str, str]:
    """One colour per ticker across every strategy's weights; cash is always light grey."""
    tickers = dict.fromkeys(c for w in weights for c in w.columns if c != "cash")
    out = {t: TICKER_COLOURS[i % len(TICKER_COLOURS)] for i, t in enumerate(tickers)}
    out["cash"] = CASH_COLOUR
    return out


def axes(returns: pd.DataFrame) -> dict[str, list[str]]:
    """The shared date axes: every trading day, and the last trading day of each week."""
    return {
        "daily": _dates(cast(pd.DatetimeIndex, returns.index)),
        "weekly": _dates(cast(pd.DatetimeIndex, weekly(returns).index)),
    }


def weekly(frame: pd.DataFrame) -> pd.DataFrame:
    """The last row of each calendar week, on its own date (not the week's label)."""
    return frame.groupby(cast(pd.DatetimeIndex, frame.index).to_period("W-FRI")).tail(1)


def weekly_low(frame: pd.DataFrame) -> pd.DataFrame:
    """The lowest value of each calendar week, on the week's last date: a drawdown's trough survives."""
    lows = frame.groupby(cast(pd.DatetimeIndex, frame.index).to_period("W-FRI")).min()
    lows.index = weekly(frame).index  # both in the weeks' order
    return lows


def long_span(index: pd.DatetimeIndex) -> bool:
    """Whether ``index`` spans ``LONG_YEARS`` or more: read by decades."""
    return len(index) > 1 and (index[-1] - index[0]).days >= LONG_YEARS * 365.25


def points_for(index: pd.DatetimeIndex) -> Points:
    """A point a day, or a point a week over a long span."""
    return "weekly" if long_span(index) else "daily"


def decade_ticks(figure: Figure, index: pd.DatetimeIndex) -> Figure:
    """Over a long span, ask plotly for about one date tick a decade (finer again when zoomed in).

    ``nticks`` is a most, so plotly's own steps (1, 2, 5, 10 years ...) land
    on 10 years at the full span and on months when a reader zooms in. The
    page lowers it where a chart is too narrow for a label a decade (a phone).
    """
    if long_span(index):
        years = (index[-1] - index[0]).days / 365.25
        figure["layout"]["xaxis"] |= {"nticks": int(np.ceil(years / 10)) + 1, "tickformat": "%Y"}
    return figure


def growth_chart(
    returns: pd.DataFrame, benchmark: str, styles: Mapping[str, LineStyle], points: Points = "daily"
) -> Figure:
    """Growth of $1 for every column of ``returns``, log scale with a button for linear.

    ``points`` weekly: each week's last close.
    """
    wealth = (1.0 + returns).cumprod()
    if points == "weekly":
        wealth = weekly(wealth)
    traces = [
        _line(label, wealth[label], styles[label], label == benchmark, "$%{y:,.2f}", digits=4, x=points)
        for label in _bench_last(returns.columns, benchmark)
    ]
    layout = _layout(yformat="$,.2~f", height=430)
    nticks = log_nticks(float(np.nanmin(wealth.to_numpy())), float(np.nanmax(wealth.to_numpy())))
    layout["yaxis"] |= {"type": "log", "nticks": nticks, "title": {"text": "value of $1 invested"}}
    layout["updatemenus"] = [
        {
            "type": "buttons",
            "direction": "right",
            "x": 0.01,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "showactive": True,
            "active": 0,
            "activecolor": "#d5e1f0",
            "bgcolor": "#f4f6f8",
            "bordercolor": "#c8ccd2",
            "font": {"size": 11},
            "buttons": [
                {"label": "Log scale", "method": "relayout", "args": [{"yaxis.type": "log", "yaxis.nticks": nticks}]},
                # nticks 0: plotly's own choice, which suits a linear axis
                {"label": "Linear scale", "method": "relayout", "args": [{"yaxis.type": "linear", "yaxis.nticks": 0}]},
            ],
        }
    ]
    return {"data": traces, "layout": layout}


def log_nticks(low: float, high: float) -> int:
    """How many ticks to ask plotly for on a log axis from ``low`` to ``high`` so its labels cannot overlap.

    Left to itself plotly labels every digit (1, 2, ... 9) when a decade
    spans few ticks' worth of pixels, and $7, $8, $9, $10 run into each other,
    more so on a phone where the legend takes height from the plot. Plotly
    labels only 1, 2 and 5 once the range spans more than 0.3 decades per
    tick, and only powers of 10 beyond 0.7: this asks for at most that many
    ticks. Up to 3.5 decades, 1-2-5 labels are 0.3 decades (17 px on a
    200 px plot) apart; beyond, powers of 10. Under one decade plotly uses
    plain linear steps.
    """
    decades = np.log10(high / low) if low > 0 and high > low else 0.0
    if decades <= 3.5:
        return int(max(3, np.floor(decades / 0.33)))
    return int(min(8, np.floor(decades / 0.72)))


def drawdown_chart(
    returns: pd.DataFrame, benchmark: str, styles: Mapping[str, LineStyle], points: Points = "daily"
) -> Figure:
    """Fall from the running peak of each column, the benchmark as a shaded area behind.

    ``points`` weekly: each week's deepest point, so the chart's troughs are the daily ones.
    """
    drawdown = cast(pd.DataFrame, drawdowns(returns))  # a frame in, a frame out
    if points == "weekly":
        drawdown = weekly_low(drawdown)
    traces = []
    for label in _bench_first(returns.columns, benchmark):
        trace = _line(label, drawdown[label], styles[label], label == benchmark, "%{y:.1%}", digits=5, x=points)
        if label == benchmark:
            trace |= {"fill": "tozeroy", "fillcolor": "rgba(61, 65, 72, 0.12)"}
        traces.append(trace)
    layout = _layout(yformat=".0%", height=340)
    layout["yaxis"]["title"] = {"text": "below previous peak"}
    return {"data": traces, "layout": layout}


def rolling_excess_chart(
    returns: pd.DataFrame, benchmark: str, styles: Mapping[str, LineStyle], points: Points = "daily"
) -> Figure:
    """Each strategy's trailing 12-month return minus the benchmark's over the same 12 months.

    ``points`` weekly: the figure at each week's last close.
    """
    # numpy's ufuncs keep a frame a frame (the stubs say ndarray)
    growth = cast(pd.DataFrame, np.exp(cast(pd.DataFrame, np.log1p(returns)).rolling(ROLLING_DAYS).sum())) - 1.0
    excess = growth.sub(growth[benchmark], axis=0)
    if points == "weekly":
        excess = weekly(excess)
    traces = [
        _line(label, excess[label], styles[label], False, "%{y:+.1%}", digits=5, x=points)
        for label in returns.columns
        if label != benchmark
    ]
    layout = _layout(yformat="+.0%", height=340)
    layout["yaxis"] |= {"zerolinecolor": BENCHMARK_COLOUR, "zerolinewidth": 1.5, "title": {"text": "12-month excess"}}
    return {"data": traces, "layout": layout}


def weights_chart(weights: pd.DataFrame, signal: pd.Series | None, ticker_colour: Mapping[str, str]) -> Figure:
    """Held weights (weekly) as a stacked area, cash on top; signal-on periods shaded.

    Requires ``weights`` with a ``cash`` column, on the page's daily dates;
    ``signal``, when given, is a bool Series on the same dates.
    """
    held = weekly(weights)
    # the same stacking order in every chart: the order of ticker_colour
    order = [t for t in ticker_colour if t in held.columns and t != "cash"]
    columns = [c for c in order if (held[c].abs() > 1e-9).any()] + ["cash"]
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": trace_name(col),
            "x": "@weekly",
            "y": _values(_no_negatives(held[col]), 4),
            "stackgroup": "w",
            "line": {"width": 0.5, "color": ticker_colour[col], "shape": "hv"},
            "fillcolor": ticker_colour[col],
            "hovertemplate": "%{y:.0%}",
        }
        for col in columns
    ]
    layout = _layout(yformat=".0%", height=270)
    layout["yaxis"] |= {"range": [0, 1.0], "dtick": 0.25, "domain": [0, RIBBON[0] - 0.03]}
    layout["legend"] |= {"traceorder": "normal"}
    spans = signal_spans(signal) if signal is not None else []
    if spans:
        # a ribbon above the weights marks the signal; a light veil carries it down over them
        layout["shapes"] = [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": a,
                "x1": b,
                "y0": y0,
                "y1": y1,
                "fillcolor": fill,
                "line": {"width": 0},
                "layer": "above",
            }
            for a, b in spans
            for y0, y1, fill in ((RIBBON[0], RIBBON[1], SIGNAL_MARK), (0, RIBBON[0] - 0.03, SIGNAL_FILL))
        ]
        # a legend entry for the signal, which shapes do not get
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "signal on",
                "x": [None],
                "y": [None],
                "marker": {"symbol": "square", "size": 11, "color": SIGNAL_MARK},
                "hoverinfo": "skip",
            }
        )
    return {"data": traces, "layout": layout}


def trace_name(label: str, hindsight: bool = False) -> str:
    """``label`` as plotly should show it in a legend and hover box: as written, long ones on several lines.

    Plotly reads ``<b>``, ``<br>``, ``<a href>`` and entities in trace names
    as markup, so the label is HTML-escaped (plotly shows ``&lt;`` as ``<``).
    With ``hindsight``, a bold HINDSIGHT follows, unless the label says so already.
    """
    raw = _wrap(label)
    lines = [escape(line, quote=False) for line in raw]
    if hindsight and HINDSIGHT not in label:
        mark = f"<b>{HINDSIGHT}</b>"
        if len(raw[-1]) + 1 + len(HINDSIGHT) <= LEGEND_CHARS:
            lines[-1] += " " + mark
        else:
            lines.append(mark)
    return "<br>".join(lines)


def _wrap(label: str) -> list[str]:
    return textwrap.wrap(label, LEGEND_CHARS, break_long_words=False, break_on_hyphens=False) or [label]


def _line(
    label: str, y: pd.Series, style: LineStyle, bench: bool, hover: str, digits: int, x: Points = "daily"
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": trace_name(label, style.hindsight),
        "x": f"@{x}",
        "y": _values(y, digits),
        "line": {"color": style.colour, "dash": style.dash, "width": 2.2 if bench else 1.6},
        "hovertemplate": hover,
        "legendrank": 2000 if bench else 1000,  # the benchmark last in every legend
    }


def _layout(yformat: str, height: int) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 70, "r": 16, "t": 30, "b": 30},
        "font": {"family": FONT, "size": 12, "color": "#1f2933"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "x unified",
        "hoverlabel": {"namelength": -1},
        # below the dates, clear of plotly's toolbar at the top right
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.09, "yanchor": "top", "font": {"size": 12}},
        "xaxis": {"type": "date", "gridcolor": GRID, "linecolor": "#c8ccd2", "hoverformat": "%d %b %Y"},
        "yaxis": {
            "tickformat": yformat,
            "hoverformat": yformat,
            "gridcolor": GRID,
            "linecolor": "#c8ccd2",
            "zerolinecolor": "#c8ccd2",
            "title": {"font": {"size": 11, "color": "#616e7c"}},
        },
    }


def _bench_last(columns: Iterable[str], benchmark: str) -> list[str]:
    return [c for c in columns if c != benchmark] + [benchmark]


def _bench_first(columns: Iterable[str], benchmark: str) -> list[str]:
    return [benchmark] + [c for c in columns if c != benchmark]


def _no_negatives(y: pd.Series) -> np.ndarray:
    """``y.clip(lower=0.0)`` as an array (NaN kept), at a fraction of pandas' cost per column."""
    arr = y.to_numpy(dtype=float)
    return np.where(arr < 0.0, 0.0, arr)


def _values(y: pd.Series | np.ndarray, digits: int) -> list[float | None]:
    arr = np.round(np.asarray(y, dtype=float), digits)
    return [None if v != v else v for v in arr.tolist()]  # NaN -> null in JSON


def _tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white by ``amount`` (0: unchanged)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def _dates(index: pd.DatetimeIndex) -> list[str]:
    return index.strftime("%Y-%m-%d").tolist()
