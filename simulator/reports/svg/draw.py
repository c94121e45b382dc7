"""What the tearsheet charts share: quantstats' colours, their sizes, a chart over time, and where SVG goes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .figure import Figure, Key
from .scale import date_ticks, day_number, decimals_label, growth_ticks, nice_ticks, padded, pct_label

__all__ = [
    "COLORS",
    "WIDTH",
    "Line",
    "Ref",
    "columns",
    "height",
    "save",
    "time_chart",
    "value_axis",
]

# quantstats' chart colours (_plotting.core._FLATUI_COLORS): the benchmark first, then each strategy
COLORS = ["#FEDD78", "#348DC1", "#BA516B", "#4FA487", "#9B59B6", "#613F66", "#84B082", "#DC136C", "#559CAD", "#4A5899"]
WIDTH = 620.0  # the page's column the charts fill, in CSS pixels


@dataclass(frozen=True)
class Line:
    """A series drawn as a line (and, with ``fill``, the area down to 0 under it)."""

    label: str
    values: pd.Series
    color: str
    width: float = 1.5
    dash: str | None = None
    opacity: float = 1.0
    fill: bool = False


@dataclass(frozen=True)
class Ref:
    """A horizontal reference line at ``value``."""

    value: float
    color: str = "#000000"
    label: str = "zero"
    width: float = 1.0
    dash: str | None = "4,3"


def height(figsize: tuple[float, float]) -> float:
    """The pixel height of a chart quantstats sizes ``figsize`` (inches), at the page's width: the same shape."""
    return float(round(WIDTH * figsize[1] / figsize[0]))


def columns(data: pd.Series | pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """Each series of ``data`` with its name (a Series is one)."""
    if isinstance(data, pd.DataFrame):
        return [(str(c), data[c]) for c in data.columns]
    return [(str(data.name), data)]


def value_axis(fig: Figure, low: float, high: float, kind: str, style: str) -> None:
    """Scale ticks of a value axis (set already from ``low``-``high``): ``style`` "pct" (returns) or "plain"."""
    if kind == "log1p":
        ticks = growth_ticks(low, high)
        fig.y_ticks(ticks.tolist(), [pct_label(t) for t in ticks])
        return
    ticks = nice_ticks(low, high)
    step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    if style == "pct" and step * 100 >= 1:
        labels = [pct_label(t) for t in ticks]
    else:
        fmt = decimals_label(step, percent=style == "pct")
        labels = [fmt.format(t * 100 if style == "pct" else t) for t in ticks]
    fig.y_ticks(ticks.tolist(), labels)


def time_chart(
    title: str,
    figsize: tuple[float, float],
    lines: Sequence[Line],
    refs: Sequence[Ref] = (),
    legend: bool = True,
    kind: str = "linear",
    style: str = "pct",
    spans: Sequence[tuple[pd.Timestamp, pd.Timestamp]] = (),
    y_ticks: Sequence[float] | None = None,
) -> str:
    """A chart of ``lines`` over time, with reference lines ``refs`` and shaded date ``spans``, as SVG."""
    keys = [Key(line.label, line.color, dash=line.dash, opacity=line.opacity) for line in lines] if legend else []
    fig = Figure(WIDTH, height(figsize), title, keys)
    dates = [line.values.index for line in lines if len(line.values)]
    first = min(d[0] for d in dates) if dates else pd.Timestamp("2000-01-01")
    last = max(d[-1] for d in dates) if dates else first + pd.Timedelta(days=1)
    finite = np.concatenate([_finite(line.values) for line in lines] + [np.array([r.value for r in refs], dtype=float)])
    finite = finite[np.isfinite(finite)]
    if kind == "log1p":
        finite = finite[finite > -1]
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    if y_ticks is not None:
        low, high = min(low, *y_ticks), max(high, *y_ticks)
    if kind == "log1p":
        lo, hi = padded(float(np.log10(1 + low)), float(np.log10(1 + high)))
        y_domain = (10**lo - 1, 10**hi - 1)
    else:
        y_domain = padded(low, high)
    x0, x1 = day_number(pd.DatetimeIndex([first, last]))
    fig.scales("time", (float(x0), float(x1)), kind, y_domain)
    tick_dates, tick_labels = date_ticks(first, last)
    fig.x_ticks(day_number(pd.DatetimeIndex(tick_dates)).tolist(), tick_labels)
    if y_ticks is not None:
        fig.y_ticks(list(y_ticks), [f"{t:.1f}" for t in y_ticks])
    else:
        value_axis(fig, *y_domain, kind, style)
    for start, end in spans:
        s, e = day_number(pd.DatetimeIndex([start, end]))
        fig.rect(float(s), float(e), y_domain[0], y_domain[1], "#ff0000", "span", "span", opacity=0.1)
    drawn = [(line, day_number(line.values.index), line.values.to_numpy(dtype=float)) for line in lines]
    # every filled area first, under every line
    for line, x, y in drawn:
        if line.fill:
            fig.area_fill(x, y, line.color, line.label)
    for line, x, y in drawn:
        fig.line(x, y, line.color, line.label, line.width, line.dash, line.opacity)
    for ref in refs:
        fig.hline(ref.value, ref.color, ref.label, ref.width, ref.dash)
    return fig.svg()


def _finite(values: pd.Series) -> np.ndarray:
    v = values.to_numpy(dtype=float)
    return np.asarray(v[np.isfinite(v)], dtype=float)


def save(svg: str, savefig: Any) -> None:
    """Write ``svg`` where quantstats asked its figure saved: ``{"fname": stream or path, ...}`` or a path."""
    target = savefig.get("fname") if isinstance(savefig, dict) else savefig
    if target is None:
        return
    if hasattr(target, "write"):
        target.write(svg.encode("utf-8"))
    else:
        with open(target, "w", encoding="utf-8") as out:
            out.write(svg)
