"""The monthly returns table as coloured cells, readable from one year to a century.

Cells are coloured on seaborn's ``RdYlGn`` map centred at 0 (as quantstats'
heatmap). Up to about 40 years each cell shows its value; over more, rows
shrink, years are labelled every 2, 5 or 10, each cell says its value on
hover (``<title>``), and a colour key is drawn under the table.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from .draw import WIDTH as _WIDTH
from .figure import FONT

__all__ = ["color", "heatmap_svg"]

# ColorBrewer's RdYlGn, 11 classes (matplotlib's and seaborn's RdYlGn interpolate these)
_RDYLGN = np.array(
    [
        [165, 0, 38], [215, 48, 39], [244, 109, 67], [253, 174, 97], [254, 224, 139], [255, 255, 191],
        [217, 239, 139], [166, 217, 106], [102, 189, 99], [26, 152, 80], [0, 104, 55],
    ],
    dtype=float,
)  # fmt: skip
_LEFT, _RIGHT = 46.0, 10.0


def color(values: np.ndarray, limit: float) -> tuple[list[str], np.ndarray]:
    """Each value's colour on RdYlGn from -``limit`` to +``limit``, and whether its text should be white."""
    share = np.clip((np.asarray(values, dtype=float) / (limit or 1.0) + 1.0) / 2.0, 0.0, 1.0)
    position = share * (len(_RDYLGN) - 1)
    low = np.minimum(np.floor(position).astype(int), len(_RDYLGN) - 2)
    t = (position - low)[:, None]
    rgb = _RDYLGN[low] * (1 - t) + _RDYLGN[low + 1] * t
    # seaborn writes on a dark cell in white: relative luminance under 0.408
    linear = np.where(rgb / 255 <= 0.03928, rgb / 255 / 12.92, ((rgb / 255 + 0.055) / 1.055) ** 2.4)
    luminance = linear @ np.array([0.2126, 0.7152, 0.0722])
    hexes = [f"#{int(r):02x}{int(g):02x}{int(b):02x}" for r, g, b in np.round(rgb)]
    return hexes, luminance <= 0.408


def heatmap_svg(table: pd.DataFrame, title: str) -> str:
    """``table`` (years by 12 months, in percent) as a heatmap titled ``title``: an ``<svg>`` element."""
    years = [str(y) for y in table.index]
    values = table.to_numpy(dtype=float)
    rows = len(years)
    annotate = rows <= 40
    row_h = 20.0 if annotate else float(max(6.0, min(14.0, 560.0 / max(rows, 1))))
    cell_w = (_WIDTH - _LEFT - _RIGHT) / 12
    top = 48.0
    key_h = 0.0 if annotate else 40.0
    height = top + rows * row_h + 8 + key_h
    limit = float(np.nanmax(np.abs(values))) if values.size and np.isfinite(values).any() else 1.0
    fills, white = color(values.ravel(), limit)
    label_every = next(k for k in (1, 2, 5, 10, 20, 50) if k * row_h >= 13)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rotsim-chart" viewBox="0 0 {_WIDTH:g} {height:g}" '
        f'width="{_WIDTH:g}" height="{height:g}" font-family="{FONT}">',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text class="title" x="{_WIDTH / 2:g}" y="20" text-anchor="middle" font-size="13" '
        f'font-weight="bold">{escape(title)}</text>',
    ]
    for m, month in enumerate(table.columns):
        out.append(
            f'<text class="xtick" x="{_LEFT + (m + 0.5) * cell_w:.1f}" y="{top - 6}" text-anchor="middle" '
            f'font-size="11" fill="#808080">{escape(str(month))}</text>'
        )
    labels: list[str] = []  # the years, beside the cells
    out.append('<g class="heatmap">')
    font = 10 if row_h >= 20 else 9
    for i, year in enumerate(years):
        y = top + i * row_h
        if int(year) % label_every == 0:
            labels.append(
                f'<text class="ytick" x="{_LEFT - 6}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" '
                f'font-size="11" fill="#808080">{escape(year)}</text>'
            )
        for m, month in enumerate(table.columns):
            k = i * 12 + m
            v = values[i, m]
            x = _LEFT + m * cell_w
            shown = f"{v:.2f}"
            cell = (
                f'<rect data-year="{escape(year)}" data-month="{escape(str(month))}" data-value="{float(v)!r}" '
                f'x="{x:.1f}" y="{y:.1f}" width="{cell_w:.1f}" height="{row_h:g}" fill="{fills[k]}" '
                f'stroke="#ffffff" stroke-width="{0.5 if annotate else 0.25}">'
                f"<title>{escape(year)} {escape(str(month))}: {shown}%</title></rect>"
            )
            out.append(cell)
            if annotate:
                out.append(
                    f'<text x="{x + cell_w / 2:.1f}" y="{y + row_h / 2 + 3.5:.1f}" text-anchor="middle" '
                    f'font-size="{font}" fill="{"#ffffff" if white[k] else "#000000"}">{shown}</text>'
                )
    out.append("</g>")
    out += labels
    if not annotate:
        out.append(_key(top + rows * row_h + 14, limit))
    out.append("</svg>")
    return "".join(out)


def _key(y: float, limit: float) -> str:
    """A colour key: -limit .. +limit in eleven steps."""
    steps = np.linspace(-limit, limit, 11)
    fills, _ = color(steps, limit)
    width = 24.0
    x0 = (_WIDTH - width * len(steps)) / 2
    out = ['<g class="key">']
    for i, (v, fill) in enumerate(zip(steps, fills, strict=True)):
        out.append(f'<rect x="{x0 + i * width:.1f}" y="{y:.1f}" width="{width:g}" height="10" fill="{fill}"/>')
        if i in (0, 5, 10):
            out.append(
                f'<text x="{x0 + (i + 0.5) * width:.1f}" y="{y + 22:.1f}" text-anchor="middle" '
                f'font-size="10" fill="#808080">{v:+.0f}%</text>'
            )
    out.append("</g>")
    return "".join(out)
