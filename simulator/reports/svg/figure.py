"""One chart as SVG text: a title, a legend under it, a plot area with its grid and ticks, and the marks on it.

Marks are drawn in pixels through the plot area's scales, which it writes
out (``<g class="plot" data-x=... data-y=...>``): a drawn point can be read
back to the value it shows. Each mark carries its series' name
(``data-label``). Text is SVG text (selectable, searchable, any font).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

import numpy as np

from .decimate import envelope
from .pixels import points_text
from .scale import Scale

__all__ = ["FONT", "Figure", "Key"]

FONT = "Arial, 'DejaVu Sans', Helvetica, sans-serif"
_GRID = "#e6e6e6"
_TICK = "#666666"


@dataclass(frozen=True)
class Key:
    """A legend entry: a short line (``kind`` "line") or a swatch ("box") of ``color``."""

    label: str
    color: str
    kind: str = "line"
    dash: str | None = None
    opacity: float = 1.0


def _attr(value: float) -> str:
    return f"{round(float(value), 2):g}"


@dataclass
class Figure:
    """A chart ``width`` x ``height`` pixels titled ``title``, its plot area inside ``margin`` (top, right, bottom, left).

    Set the scales (:meth:`scales`, in pixels of the plot area) before drawing marks.
    """

    width: float
    height: float
    title: str
    legend: Sequence[Key] = ()
    margin: tuple[float, float, float, float] = (40.0, 14.0, 28.0, 58.0)
    x: Scale | None = None
    y: Scale | None = None
    _under: list[str] = field(default_factory=list)  # grid and ticks
    _marks: list[str] = field(default_factory=list)
    _over: list[str] = field(default_factory=list)  # tick labels, axis titles

    def __post_init__(self) -> None:
        # a legend of more than one row makes the chart taller, not its plot area smaller
        self.height += 18.0 * max(0, len(self._legend_rows()) - 1)

    @property
    def area(self) -> tuple[float, float, float, float]:
        """The plot area: left, top, right, bottom, in pixels (the legend's row is taken from the top)."""
        top, right, bottom, left = self.margin
        return (left, top + 18.0 * len(self._legend_rows()), self.width - right, self.height - bottom)

    def scales(self, x_kind: str, x_domain: tuple[float, float], y_kind: str, y_domain: tuple[float, float]) -> None:
        """The plot area's scales: ``x_domain`` across it, ``y_domain`` up it."""
        left, top, right, bottom = self.area
        self.x = Scale(x_kind, (float(x_domain[0]), float(x_domain[1])), (left, right))
        self.y = Scale(y_kind, (float(y_domain[0]), float(y_domain[1])), (bottom, top))

    def _scales(self) -> tuple[Scale, Scale]:
        if self.x is None or self.y is None:
            raise RuntimeError("Figure.scales() first")
        return self.x, self.y

    # ------------------------------------------------------------------ ticks and grid

    def x_ticks(self, values: Sequence[float], labels: Sequence[str], grid: bool = True) -> None:
        x, _ = self._scales()
        left, top, right, bottom = self.area
        for px, label in zip(x(np.asarray(values, dtype=float)), labels, strict=True):
            if grid:
                self._under.append(
                    f'<line x1="{_attr(px)}" y1="{top}" x2="{_attr(px)}" y2="{bottom}" stroke="{_GRID}"/>'
                )
            self._over.append(
                f'<text class="xtick" x="{_attr(px)}" y="{bottom + 15}" text-anchor="middle" '
                f'font-size="11" fill="{_TICK}">{escape(label)}</text>'
            )

    def y_ticks(self, values: Sequence[float], labels: Sequence[str], grid: bool = True) -> None:
        _, y = self._scales()
        left, top, right, bottom = self.area
        for py, label in zip(y(np.asarray(values, dtype=float)), labels, strict=True):
            if grid:
                self._under.append(
                    f'<line x1="{left}" y1="{_attr(py)}" x2="{right}" y2="{_attr(py)}" stroke="{_GRID}"/>'
                )
            self._over.append(
                f'<text class="ytick" x="{left - 6}" y="{_attr(py + 4)}" text-anchor="end" '
                f'font-size="11" fill="{_TICK}">{escape(label)}</text>'
            )

    def y_title(self, text: str) -> None:
        _, top, _, bottom = self.area
        mid = (top + bottom) / 2
        self._over.append(
            f'<text x="12" y="{_attr(mid)}" transform="rotate(-90 12 {_attr(mid)})" text-anchor="middle" '
            f'font-size="12" font-weight="bold">{escape(text)}</text>'
        )

    # ------------------------------------------------------------------ marks

    def line(
        self,
        xs: np.ndarray,
        ys: np.ndarray,
        color: str,
        label: str,
        width: float = 1.5,
        dash: str | None = None,
        opacity: float = 1.0,
    ) -> None:
        """A line through ``(xs, ys)`` (data values), broken where ``ys`` is NaN, thinned to the pixels."""
        x, y = self._scales()
        px, py = x(xs), y(ys)
        style = _stroke(color, width, dash, opacity)
        for run in _runs(np.isfinite(py) & np.isfinite(px)):
            keep = envelope(px[run], py[run])
            self._marks.append(
                f'<polyline class="line" data-label="{escape(label)}" points="{points_text(px[run][keep], py[run][keep])}" '
                f'fill="none" {style}/>'
            )

    def area_fill(self, xs: np.ndarray, ys: np.ndarray, color: str, label: str, opacity: float = 0.25) -> None:
        """The area between ``(xs, ys)`` and y = 0, thinned as a line is."""
        x, y = self._scales()
        px, py = x(xs), y(ys)
        base = float(y(0.0))
        for run in _runs(np.isfinite(py) & np.isfinite(px)):
            keep = envelope(px[run], py[run])
            ex, ey = px[run][keep], py[run][keep]
            outline = points_text(np.r_[ex[0], ex, ex[-1]], np.r_[base, ey, base])
            self._marks.append(
                f'<polygon class="area" data-label="{escape(label)}" points="{outline}" '
                f'fill="{color}" fill-opacity="{opacity}" stroke="none"/>'
            )

    def hline(self, value: float, color: str, label: str, width: float = 1.0, dash: str | None = "4,3") -> None:
        """A reference line across the plot area at ``value``."""
        _, y = self._scales()
        left, _, right, _ = self.area
        py = _attr(float(y(value)))
        self._marks.append(
            f'<line class="hline" data-label="{escape(label)}" x1="{left}" y1="{py}" x2="{right}" y2="{py}" '
            f"{_stroke(color, width, dash, 1.0)}/>"
        )

    def rect(
        self, x0: float, x1: float, y0: float, y1: float, color: str, label: str, kind: str, opacity: float = 1.0
    ) -> None:
        """A rectangle from data ``(x0, y0)`` to ``(x1, y1)``: a bar (``kind`` "bar") or a span ("span")."""
        x, y = self._scales()
        px0, px1 = sorted(float(v) for v in x(np.array([x0, x1])))
        py0, py1 = sorted(float(v) for v in y(np.array([y0, y1])))
        self._marks.append(
            f'<rect class="{kind}" data-label="{escape(label)}" x="{_attr(px0)}" y="{_attr(py0)}" '
            f'width="{_attr(px1 - px0)}" height="{_attr(py1 - py0)}" fill="{color}"'
            + (f' fill-opacity="{opacity}"' if opacity < 1 else "")
            + "/>"
        )

    def raw(self, svg: str) -> None:
        """Marks already in pixels (a box plot's, a heatmap's)."""
        self._marks.append(svg)

    # ------------------------------------------------------------------ out

    def svg(self) -> str:
        """The chart, a standalone ``<svg>`` element."""
        x, y = self._scales()
        left, top, right, bottom = self.area
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="rotsim-chart" viewBox="0 0 {self.width:g} {self.height:g}" '
            f'width="{self.width:g}" height="{self.height:g}" font-family="{FONT}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>'
            f'<text class="title" x="{self.width / 2:g}" y="22" text-anchor="middle" font-size="14" '
            f'font-weight="bold">{escape(self.title)}</text>'
        )
        return "".join(
            [
                head,
                self._legend(),
                *self._under,
                f'<g class="plot" data-x="{x.attribute()}" data-y="{y.attribute()}">',
                *self._marks,
                "</g>",
                *self._over,
                "</svg>",
            ]
        )

    def _legend_rows(self) -> list[list[tuple[Key, float]]]:
        """The legend's entries with their widths, in as many centred rows as the chart's width needs."""
        rows: list[list[tuple[Key, float]]] = []
        for key in self.legend:
            w = 26 + 6.2 * len(key.label) + 14  # swatch, text at about 6.2 px a character, gap
            if not rows or sum(width for _, width in rows[-1]) + w > self.width - 20:
                rows.append([])
            rows[-1].append((key, w))
        return rows

    def _legend(self) -> str:
        if not self.legend:
            return ""
        out = ['<g class="legend">']
        for i, row in enumerate(self._legend_rows()):
            x = (self.width - sum(w for _, w in row)) / 2
            y = self.margin[0] + 4 + 18 * i
            out += [self._key(key, x + sum(w for _, w in row[:j]), y) for j, (key, _) in enumerate(row)]
        out.append("</g>")
        return "".join(out)

    def _key(self, key: Key, x: float, y: float) -> str:
        if key.kind == "box":
            swatch = f'<rect x="{x:.1f}" y="{y - 5}" width="18" height="10" fill="{key.color}"'
            swatch += f' fill-opacity="{key.opacity}"/>' if key.opacity < 1 else "/>"
        else:
            swatch = f'<line x1="{x:.1f}" y1="{y}" x2="{x + 18:.1f}" y2="{y}" {_stroke(key.color, 2, key.dash, key.opacity)}/>'
        return swatch + f'<text x="{x + 24:.1f}" y="{y + 4}" font-size="11" fill="#333333">{escape(key.label)}</text>'


def _stroke(color: str, width: float, dash: str | None, opacity: float) -> str:
    out = f'stroke="{color}" stroke-width="{width:g}"'
    if dash:
        out += f' stroke-dasharray="{dash}"'
    if opacity < 1:
        out += f' stroke-opacity="{opacity:g}"'
    return out


def _runs(finite: np.ndarray) -> list[np.ndarray]:
    """The positions of each run of consecutive True in ``finite``."""
    edges = np.diff(np.r_[0, finite.astype(np.int8), 0])
    return [np.arange(s, e) for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True)]
