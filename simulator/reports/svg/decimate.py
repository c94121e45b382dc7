"""A line thinned to the pixels it is drawn on, without losing a spike or a trough.

Thousands of daily points fall on a few hundred pixel columns. Each column
keeps its first, lowest, highest and last point, in their order (the "M4"
reduction): the drawn line covers, in every column, exactly the range the
full line covers there, and joins its neighbours where the full one does.
"""

from __future__ import annotations

import numpy as np

__all__ = ["envelope"]


def envelope(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The positions of the points of ``(x, y)`` to draw: per pixel column of ``x``, its first, lowest, highest, last.

    ``x`` in pixels, increasing; ``y`` without NaN. Lines of up to four points
    per column are kept whole.
    """
    n = len(x)
    if n == 0:
        return np.arange(0)
    column = np.floor(x).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    if n <= 4 * len(starts):
        return np.arange(n)
    ends = np.r_[starts[1:], n] - 1
    sizes = ends - starts + 1
    at = np.arange(n)
    # per column, its first lowest point and its last highest (where a stable sort by value puts them first and
    # last): a reduction per column, not a sort of every point
    lowest_value = np.repeat(np.minimum.reduceat(y, starts), sizes)
    highest_value = np.repeat(np.maximum.reduceat(y, starts), sizes)
    lowest = np.minimum.reduceat(np.where(y == lowest_value, at, n), starts)
    highest = np.maximum.reduceat(np.where(y == highest_value, at, -1), starts)
    keep = np.zeros(n, dtype=bool)
    keep[np.concatenate([starts, ends, lowest, highest])] = True
    return np.flatnonzero(keep)
