"""The figures behind a box plot, a histogram and a density curve, as seaborn computes them for quantstats.

- :func:`box`: matplotlib's ``boxplot_stats`` (whis=1.5), which seaborn's box plot draws;
- :func:`histogram`: seaborn's ``histplot(stat="density")`` of several groups on
  common bins, each group's density scaled by its share of all points;
- :func:`density`: seaborn's KDE curve for such a histogram (Scott's
  bandwidth, a grid of 200 over all points, no cut beyond them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Box", "box", "density", "histogram"]


@dataclass(frozen=True)
class Box:
    """A box plot's figures: quartiles, whisker ends (the furthest points within 1.5 IQR) and the points beyond."""

    q1: float
    median: float
    q3: float
    low: float
    high: float
    outliers: np.ndarray


def box(values: np.ndarray) -> Box:
    """``values``' box (NaN left out), as ``matplotlib.cbook.boxplot_stats(values, whis=1.5)``."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    q1, median, q3 = np.percentile(x, [25, 50, 75])
    iqr = q3 - q1
    below, above = x[x <= q3 + 1.5 * iqr], x[x >= q1 - 1.5 * iqr]
    high = float(below.max()) if len(below) and below.max() >= q3 else float(q3)
    low = float(above.min()) if len(above) and above.min() <= q1 else float(q1)
    return Box(float(q1), float(median), float(q3), low, high, x[(x < low) | (x > high)])


def histogram(groups: Sequence[np.ndarray], bins: int = 20) -> tuple[np.ndarray, list[np.ndarray]]:
    """Common bin edges over all ``groups`` and each group's density on them, scaled by its share of all points."""
    clean = [np.asarray(g, dtype=float)[np.isfinite(g)] for g in groups]
    every = np.concatenate(clean)
    edges = np.histogram_bin_edges(every, bins=bins, range=(every.min(), every.max()))
    width = np.diff(edges)
    return edges, [np.histogram(g, bins=edges)[0] / (len(every) * width) for g in clean]


def density(group: np.ndarray, grid: np.ndarray, total: int) -> np.ndarray | None:
    """A Gaussian kernel density of ``group`` on ``grid`` (Scott's bandwidth), times its share of ``total`` points.

    None where seaborn draws none: fewer than two points or no spread.
    """
    x = np.asarray(group, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) < 2 or np.isclose(np.var(x, ddof=1), 0.0):
        return None
    bandwidth = np.std(x, ddof=1) * len(x) ** (-1.0 / 5.0)
    z = (grid[:, None] - x[None, :]) / bandwidth
    values = np.exp(-0.5 * z * z).sum(axis=1) / (len(x) * bandwidth * np.sqrt(2 * np.pi))
    return np.asarray(values * len(x) / total, dtype=float)
