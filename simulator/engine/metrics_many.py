"""``metrics.performance`` of many return series at once: a series each, the same formulas in numpy.

A sweep's metrics table has a row per variant; ``performance`` per variant
costs milliseconds of pandas (drawdowns, calendar years), a whole chunk of
variants here costs about as much. Each formula is ``performance``'s, taken
along the dates of a variants x dates array held row by row, so that each
sum is numpy's pairwise sum of one contiguous series, as ``performance``
takes it: a variant's figures do not depend on the chunk it ran in. The
tests check the two agree on every metric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .metrics import PERIODS, TE_FLOOR, _ratios, daily_rf

__all__ = ["performance_many"]


def performance_many(
    returns: np.ndarray, index: pd.DatetimeIndex, benchmark: pd.Series, rf: pd.Series | None = None
) -> dict[str, np.ndarray]:
    """``performance(returns[:, j], benchmark, rf)`` for each column j, as arrays keyed by metric.

    Requires ``returns`` of shape (len(index), n) and at least two dates.
    """
    r = np.ascontiguousarray(np.asarray(returns, dtype=float).T)  # a row per variant
    n = r.shape[1]
    wealth = np.cumprod(1.0 + r, axis=1)
    excess = r - daily_rf(rf, index)[None, :]
    std = r.std(axis=1, ddof=1)
    excess_std = excess.std(axis=1, ddof=1)
    excess_mean = excess.mean(axis=1)
    downside = np.sqrt(np.sum(np.minimum(excess, 0.0) ** 2, axis=1) / n)
    cagr = np.prod(1.0 + r, axis=1) ** (PERIODS / n) - 1.0  # as metrics.cagr takes it
    drawdown = wealth / np.maximum(np.maximum.accumulate(wealth, axis=1), 1.0) - 1.0
    mdd = np.minimum(0.0, drawdown.min(axis=1))
    years = index.year.to_numpy()
    firsts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
    yearly = np.multiply.reduceat(1.0 + r, firsts, axis=1) - 1.0
    b = benchmark.reindex(index).to_numpy(dtype=float)
    var_b = b.var(ddof=1)
    cov = ((r - r.mean(axis=1)[:, None]) * (b - b.mean())[None, :]).sum(axis=1) / (n - 1)
    beta = _ratios(cov, np.full(r.shape[0], var_b))
    active = r - b[None, :]
    tracking = active.std(axis=1, ddof=1)
    info = _ratios(active.mean(axis=1), tracking) * np.sqrt(PERIODS)
    return {
        "cagr": cagr,
        "volatility": std * np.sqrt(PERIODS),
        "sharpe": _ratios(excess_mean, excess_std) * np.sqrt(PERIODS),
        "sortino": _ratios(excess_mean, downside) * np.sqrt(PERIODS),
        "max_drawdown": mdd,
        "calmar": _ratios(cagr, np.abs(mdd)),
        "worst_year": yearly.min(axis=1),
        "beta": beta,
        "alpha": (r.mean(axis=1) - beta * b.mean()) * PERIODS,
        "information_ratio": np.where(tracking > TE_FLOOR, info, np.nan),
    }
