"""The metric variants are ranked by, on any rows of the returns: whole windows, or blocks put together.

The definitions are :mod:`simulator.engine.metrics`' (``sharpe``, ``sortino``,
``cagr``, applied to every column at once). Ranking on combinations of blocks
(PBO) needs the metric of blocks joined together without joining them: each
block is summed once into the moments the metric needs (:func:`block_moments`),
a combination's moments are sums of its blocks', and :func:`from_moments`
gives the same number the definition gives on the joined rows.
"""

from __future__ import annotations

import numpy as np

from ...engine.metrics import PERIODS, cagr, sharpe, sortino

__all__ = ["MEASURES", "block_moments", "check_metric", "from_moments", "measure"]

# metrics defined by sums over days, so a sample of non-adjacent blocks has one (a drawdown has not)
MEASURES = ("sharpe", "sortino", "cagr")
COLUMN_CELLS = 2_000_000  # values per piece of the returns worked on at once: 16 MB


def check_metric(metric: str) -> None:
    """Raise ValueError unless variants can be ranked by ``metric`` on split samples."""
    if metric not in MEASURES:
        raise ValueError(
            f"metric {metric!r}: the ledger ranks variants on split samples, by one of {', '.join(MEASURES)}"
        )


def measure(metric: str, returns: np.ndarray, rf: np.ndarray) -> np.ndarray:
    """``metric`` of each column of daily ``returns`` (T x N), Sharpe and Sortino over the daily ``rf`` (T,).

    A few hundred columns at a time: the excess returns of 10,000 variants over 26 years would be
    another half gigabyte at once.
    """
    if returns.ndim == 1:
        return _measure(metric, returns, rf)
    return np.concatenate([_measure(metric, part, rf[:, None]) for part in _columns(returns)])


def _measure(metric: str, returns: np.ndarray, rf: np.ndarray) -> np.ndarray:
    if metric == "cagr":
        return cagr(returns)
    return sharpe(returns - rf) if metric == "sharpe" else sortino(returns - rf)


def block_moments(metric: str, returns: np.ndarray, rf: np.ndarray, splits: int) -> tuple[np.ndarray, np.ndarray]:
    """Per block of days (``splits`` nearly equal, in order): its day count (S,) and moments (S x 2 x N).

    Sharpe: sums of the excess returns and of their squares; Sortino: of the
    excess returns and of their negative parts squared; CAGR: of log(1 + r).
    """
    blocks = np.array_split(np.arange(returns.shape[0]), splits)
    counts = np.array([len(b) for b in blocks], dtype=float)
    starts = np.array([b[0] for b in blocks])
    parts = []
    for part in _columns(returns):
        if metric == "cagr":
            x = np.log1p(part)
            second = np.zeros_like(x)
        else:
            x = part - rf[:, None]
            second = x**2 if metric == "sharpe" else np.minimum(x, 0.0) ** 2
        parts.append(np.stack([np.add.reduceat(x, starts, axis=0), np.add.reduceat(second, starts, axis=0)], axis=1))
    return counts, np.concatenate(parts, axis=2)


def _columns(returns: np.ndarray) -> list[np.ndarray]:
    """``returns`` in pieces of at most COLUMN_CELLS values (views, no copy)."""
    width = max(1, COLUMN_CELLS // max(1, returns.shape[0]))
    return [returns[:, lo : lo + width] for lo in range(0, max(returns.shape[1], 1), width)]


def from_moments(metric: str, n: np.ndarray, s1: np.ndarray, s2: np.ndarray, missing: float = np.nan) -> np.ndarray:
    """The metric from day counts ``n`` (K, 1) and summed moments ``s1``, ``s2`` (K x N), as ``measure`` defines it.

    ``missing``: the value where the metric is undefined (a column that does not vary), NaN as
    ``measure`` gives; -inf ranks such a variant below every other. ``s1`` and ``s2`` are not changed.
    """
    mean = s1 / n
    if metric == "cagr":
        return np.asarray(np.expm1(mean * PERIODS))  # prod(1 + r) ** (PERIODS / n) - 1
    if metric == "sharpe":
        var = s1 * mean
        np.subtract(s2, var, out=var)
        # a constant column leaves rounding, not spread: metrics.sharpe gives NaN there, so must this
        np.copyto(var, 0.0, where=var <= 1e-9 * s2)
        var /= n - 1.0  # the sample variance, ddof 1
    else:
        var = s2 / n  # the downside variance over all days
    spread = np.sqrt(var, out=var)
    out = np.full(mean.shape, missing)
    np.divide(mean, spread, out=out, where=spread > 0)
    out *= np.sqrt(PERIODS)
    return out
