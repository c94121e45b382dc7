"""quantstats' charts of returns by period, drawn as SVG: years as bars, months as a histogram and a heatmap,
every period's spread as box plots. Each takes the arguments and the data of quantstats' function of the name.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .draw import COLORS, WIDTH, columns, height, save, value_axis
from .figure import Figure, Key
from .heatmap import heatmap_svg
from .scale import nice_ticks, padded, pct_label
from .stats import box, density
from .stats import histogram as common_bins

__all__ = ["distribution", "distribution_frame", "histogram_chart", "monthly_heatmap", "yearly_bars", "yearly_returns"]

_BOX_COLORS = ["#FEDD78", "#348DC1", "#BA516B", "#4FA487", "#9B59B6"]  # quantstats' palette of the five periods


def yearly_bars(returns: pd.Series | pd.DataFrame, benchmark: Any, compounded: bool = True) -> pd.DataFrame:
    """What quantstats' EOY chart plots: each year's return (``_compat.safe_resample(..., "YE", comp)``), the benchmark first."""
    from quantstats import stats, utils

    ours = _by_period(returns, "YE", stats.comp if compounded else "sum")
    frame = ours.to_frame() if isinstance(ours, pd.Series) else ours
    if benchmark is not None:
        theirs = _by_period(utils._prepare_benchmark(benchmark, returns.index), "YE", stats.comp)
        frame = pd.concat([theirs[theirs.index.isin(frame.index)].rename(theirs.name), frame], axis=1)
    return frame.dropna()


def yearly_returns(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any = None,
    figsize: tuple[float, float] = (10, 5),
    compounded: bool = True,
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.yearly_returns``: a group of bars per year (benchmark, then each strategy), the mean line.

    Each bar stands over its own year's label (quantstats' own misplaces them under pandas 3).
    """
    frame = yearly_bars(returns, benchmark, compounded)
    names = [str(c) for c in frame.columns]
    palette = COLORS if benchmark is not None else COLORS[1:]
    title = "EOY Returns vs Benchmark" if benchmark is not None else "EOY Returns"
    keys = [Key(n, palette[i % len(palette)], "box") for i, n in enumerate(names)]
    fig = Figure(WIDTH, height(figsize), title, keys)
    values = frame.to_numpy(dtype=float)
    mean = float(frame.iloc[:, -1].mean()) if isinstance(returns, pd.Series) else None
    low = float(min(0.0, np.nanmin(values) if values.size else 0.0, mean if mean is not None else 0.0))
    high = float(max(0.0, np.nanmax(values) if values.size else 0.0, mean if mean is not None else 0.0))
    y_domain = padded(low, high)
    n = len(frame)
    fig.scales("linear", (-0.5, n - 0.5), "linear", y_domain)
    years = [int(d.year) for d in frame.index]
    step = next(k for k in (1, 2, 5, 10, 20, 50, 100) if n / k <= 12)
    shown = [(i, str(y)) for i, y in enumerate(years) if y % step == 0]
    fig.x_ticks([i for i, _ in shown], [label for _, label in shown], grid=False)
    value_axis(fig, *y_domain, "linear", "pct")
    width = 0.8 / max(len(names), 1)
    for j, name in enumerate(names):
        for i in range(n):
            v = values[i, j]
            if np.isfinite(v):
                x0 = i - 0.4 + j * width
                fig.rect(x0, x0 + width, 0.0, float(v), palette[j % len(palette)], name, "bar")
    if mean is not None:
        fig.hline(mean, "red", "average", 1.5)
    fig.hline(0.0, "#000000", "zero", 1.0)
    save(fig.svg(), savefig)


def histogram_chart(
    returns: pd.Series | pd.DataFrame, benchmark: pd.Series | None, resample: str = "ME", compounded: bool = True
) -> list[tuple[str, pd.Series]]:
    """What quantstats' histogram counts: each period's return (``safe_resample``), the benchmark's first."""
    from quantstats import stats

    how = stats.comp if compounded else np.sum
    out = [] if benchmark is None else [(str(benchmark.name), _by_period(benchmark.fillna(0), resample, how))]
    return out + columns(_by_period(returns.fillna(0), resample, how))


def _by_period(data: Any, freq: str, how: Any) -> Any:
    """Each period's return as quantstats' charts take it: ``safe_resample`` by ``how``, then by "last"."""
    from quantstats import _compat

    return _compat.safe_resample(_compat.safe_resample(data, freq, how), freq, "last")


def histogram(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any = None,
    resample: str = "ME",
    figsize: tuple[float, float] = (10, 5),
    compounded: bool = True,
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.histogram``: densities of period returns on common bins, with seaborn's density curves."""
    groups = histogram_chart(returns, benchmark, resample, compounded)
    word = {"W": "Weekly ", "ME": "Monthly ", "QE": "Quarterly ", "YE": "Annual "}.get(resample, "")
    single = benchmark is None and len(groups) == 1
    palette = COLORS[1:] if benchmark is None else COLORS
    alpha = 0.5 if isinstance(returns, pd.DataFrame) and len(returns.columns) > 1 else 0.7
    keys = [] if single else [Key(n, palette[i], "box", opacity=alpha) for i, (n, _) in enumerate(groups)]
    fig = Figure(WIDTH, height((0.995 * figsize[0], figsize[1])), f"Distribution of {word}Returns", keys)
    arrays = [g.to_numpy(dtype=float) for _, g in groups]
    edges, heights = common_bins(arrays)
    every = np.concatenate(arrays)
    every = every[np.isfinite(every)]
    grid = np.linspace(every.min(), every.max(), 200)
    curves = [density(a, grid, len(every)) for a in arrays]
    top = max([float(h.max()) for h in heights] + [float(c.max()) for c in curves if c is not None])
    x_domain = padded(float(edges[0]), float(edges[-1]))
    fig.scales("linear", x_domain, "linear", (0.0, top * 1.05))
    ticks = nice_ticks(*x_domain)
    fig.x_ticks(ticks.tolist(), [pct_label(t) for t in ticks])
    value_axis(fig, 0.0, top * 1.05, "linear", "plain")
    for i, ((name, _values), h) in enumerate(zip(groups, heights, strict=True)):
        for x0, x1, v in zip(edges[:-1], edges[1:], h, strict=True):
            if v > 0:
                fig.rect(float(x0), float(x1), 0.0, float(v), palette[i], name, "bar", opacity=alpha)
    for i, ((name, _values), curve) in enumerate(zip(groups, curves, strict=True)):
        if curve is not None:
            fig.line(grid, curve, "#000000" if single else palette[i], name, 1.5)
    if single:
        mean = float(np.mean(arrays[0]))
        x = float(fig.x(mean)) if fig.x is not None else 0.0
        top_px, bottom_px = fig.area[1], fig.area[3]
        fig.raw(
            f'<line class="vline" data-label="Average" x1="{x:.2f}" y1="{top_px}" x2="{x:.2f}" y2="{bottom_px}" '
            'stroke="red" stroke-width="1.5" stroke-dasharray="4,3"/>'
        )
    save(fig.svg(), savefig)


def monthly_heatmap(
    returns: pd.Series,
    benchmark: Any = None,
    returns_label: str = "Strategy",
    compounded: bool = True,
    eoy: bool = False,
    savefig: Any = None,
    active: bool = False,
    **_: Any,
) -> None:
    """quantstats' ``plots.monthly_heatmap``: ``stats.monthly_returns`` in percent, years by months."""
    from quantstats import stats

    table = stats.monthly_returns(returns, eoy=eoy, compounded=compounded) * 100
    title = f"{returns_label} - Monthly Returns (%)"
    if active and benchmark is not None:
        table = table - stats.monthly_returns(benchmark, eoy=eoy, compounded=compounded) * 100
        title = f"{returns_label} - Monthly Active Returns (%)"
    save(heatmap_svg(table, title), savefig)


def distribution_frame(returns: pd.Series, compounded: bool = True) -> pd.DataFrame:
    """What quantstats' return quantiles chart plots (``plot_distribution``): daily returns and, on the same days,
    the week's, month's, quarter's and year's return carried forward."""
    from quantstats import _compat, stats

    how = stats.comp if compounded else "sum"
    port = pd.DataFrame(returns.fillna(0))
    port.columns = ["Daily"]
    for column, freq in (("Weekly", "W-MON"), ("Monthly", "ME"), ("Quarterly", "QE"), ("Yearly", "YE")):
        port[column] = _compat.safe_resample(port["Daily"], freq, how)
        port[column] = port[column].ffill()
    return port


def distribution(
    returns: pd.Series,
    figsize: tuple[float, float] = (10, 6),
    compounded: bool = True,
    title: str | None = None,
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.distribution``: a box plot of each period's returns (seaborn's: 1.5 IQR whiskers)."""
    port = distribution_frame(returns, compounded)
    # a period none of whose ends falls on a day of the series (a year ending on a Sunday) has no box, as in seaborn
    boxes = {c: box(port[c].to_numpy(dtype=float)) for c in port.columns if port[c].notna().any()}
    fig = Figure(WIDTH, height(figsize), f"{title} - Return Quantiles" if title else "Return Quantiles")
    drawn = list(boxes.values())
    low = min([b.low for b in drawn] + [float(b.outliers.min()) for b in drawn if len(b.outliers)])
    high = max([b.high for b in drawn] + [float(b.outliers.max()) for b in drawn if len(b.outliers)])
    y_domain = padded(low, high)
    fig.scales("linear", (-0.5, len(port.columns) - 0.5), "linear", y_domain)
    fig.x_ticks(list(range(len(port.columns))), list(port.columns), grid=False)
    value_axis(fig, *y_domain, "linear", "pct")
    for i, name in enumerate(port.columns):
        if name in boxes:
            fig.raw(_box_svg(fig, i, str(name), boxes[name], _BOX_COLORS[i]))
    save(fig.svg(), savefig)


def _box_svg(fig: Figure, at: float, name: str, b: Any, fill: str) -> str:
    """One box at x = ``at``: box q1-q3, median, whiskers with caps, outliers one circle per pixel."""
    assert fig.x is not None and fig.y is not None
    x0, x1, xc = (float(v) for v in fig.x(np.array([at - 0.4, at + 0.4, at])))
    cap0, cap1 = (float(v) for v in fig.x(np.array([at - 0.2, at + 0.2])))
    q1, med, q3, lo, hi = (float(v) for v in fig.y(np.array([b.q1, b.median, b.q3, b.low, b.high])))
    stroke = 'stroke="#3f3f3f" stroke-width="1"'
    parts = [
        f'<g class="box" data-label="{name}">',
        f'<line class="whisker" x1="{xc:.2f}" y1="{q1:.2f}" x2="{xc:.2f}" y2="{lo:.2f}" {stroke}/>',
        f'<line class="whisker" x1="{xc:.2f}" y1="{q3:.2f}" x2="{xc:.2f}" y2="{hi:.2f}" {stroke}/>',
        f'<line class="cap" x1="{cap0:.2f}" y1="{lo:.2f}" x2="{cap1:.2f}" y2="{lo:.2f}" {stroke}/>',
        f'<line class="cap" x1="{cap0:.2f}" y1="{hi:.2f}" x2="{cap1:.2f}" y2="{hi:.2f}" {stroke}/>',
        f'<rect class="quartiles" x="{x0:.2f}" y="{min(q1, q3):.2f}" width="{x1 - x0:.2f}" '
        f'height="{abs(q1 - q3):.2f}" fill="{fill}" {stroke}/>',
        f'<line class="median" x1="{x0:.2f}" y1="{med:.2f}" x2="{x1:.2f}" y2="{med:.2f}" {stroke}/>',
    ]
    if len(b.outliers):
        # one circle per half pixel of height: thousands of daily outliers would draw the same few
        ys = np.unique(np.round(fig.y(b.outliers) * 2) / 2)
        parts += [
            f'<circle class="outlier" cx="{xc:.2f}" cy="{y:g}" r="2.5" fill="none" {stroke}/>' for y in ys.tolist()
        ]
    parts.append("</g>")
    return "".join(parts)
