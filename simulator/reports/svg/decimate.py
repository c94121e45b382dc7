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
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    # within each column, sort by value: the first of a column is its lowest, the last its highest
    order = np.lexsort((y, group))
    lowest = order[starts]
    highest = order[ends]
    keep = np.unique(np.concatenate([starts, ends, lowest, highest]))
    return keep
