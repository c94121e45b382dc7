"""The statistics of one event set, asset and horizon: events against every day, tested for overlap.

Forward returns over h days overlap from one day to the next, so plain
standard errors overstate significance: the t-statistic is OLS of the
forward return on an event dummy with Newey-West (HAC) errors, h - 1 lags
(statsmodels), and the interval of the events' mean is a stationary block
bootstrap with blocks of about h days (arch). Several horizons are several
tests: ``holm`` adjusts their p-values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import final

import numpy as np

__all__ = ["Bootstrap", "Stats", "bootstrap_interval", "describe", "hac_dummy_test", "holm", "resample_days"]


@final
@dataclass(frozen=True)
class Bootstrap:
    reps: int = 1000
    seed: int = 7
    level: float = 0.95


@final
@dataclass(frozen=True)
class Stats:
    n: int  # events with a complete window
    mean: float
    median: float
    hit_rate: float  # share of events with a positive forward return
    baseline_n: int
    baseline_mean: float
    baseline_hit_rate: float
    t_stat: float
    p_value: float
    ci_low: float
    ci_high: float

    @property
    def excess(self) -> float:
        return self.mean - self.baseline_mean


def hac_dummy_test(y: np.ndarray, dummy: np.ndarray, lags: int) -> tuple[float, float]:
    """t-statistic and two-sided p-value of b in y = a + b * dummy, Newey-West errors with ``lags`` lags.

    Requires: finite ``y``; ``dummy`` 0/1 of the same length. Sets: (nan, nan)
    when the dummy is all 0 or all 1 (nothing to compare). statsmodels'
    ``cov_type="HAC"``: Bartlett weights, its small-sample correction.
    """
    d = dummy.astype(float)
    if len(y) < 3 or d.min() == d.max():
        return np.nan, np.nan
    import statsmodels.api as sm  # lazily: a second of imports

    fit = sm.OLS(y, np.column_stack([np.ones(len(y)), d])).fit(cov_type="HAC", cov_kwds={"maxlags": max(lags, 0)})
    return float(fit.tvalues[1]), float(fit.pvalues[1])


def resample_days(n: int, block: int, boot: Bootstrap) -> np.ndarray:
    """``boot.reps`` stationary-bootstrap resamples of positions 0..n-1, mean block length ``block`` (arch).

    Requires: ``n`` >= 1, ``block`` >= 1. Sets: an int array (reps x n), each
    row one resample of the days; seeded with ``boot.seed``, so repeatable.
    One draw serves every asset and measure of a horizon.
    """
    from arch.bootstrap import StationaryBootstrap  # lazily: arch imports scipy

    bs = StationaryBootstrap(max(block, 1), np.arange(n, dtype=np.int32), seed=np.random.default_rng(boot.seed))
    return np.stack([pos[0] for pos, _ in bs.bootstrap(boot.reps)]) if boot.reps else np.zeros((0, n), np.int32)


def bootstrap_interval(
    y: np.ndarray, dummy: np.ndarray, block: int, boot: Bootstrap, days: np.ndarray | None = None
) -> tuple[float, float]:
    """The ``boot.level`` interval of the events' mean, resampling days in blocks (stationary bootstrap).

    Requires: ``y`` (NaN: a day left out), a boolean ``dummy`` of the same
    length, ``block`` >= 1 (the mean block length, about the horizon), and
    optionally ``days`` from ``resample_days(len(y), block, boot)``. Sets:
    percentiles of the mean of the events each resample drew (a resample
    with none is left out).
    """
    use = dummy.astype(bool) & np.isfinite(y)
    if not use.any() or boot.reps < 1:
        return np.nan, np.nan
    days = resample_days(len(y), block, boot) if days is None else days
    picked = use[days]
    counts = picked.sum(axis=1)
    sums = np.where(use, y, 0.0)[days].sum(axis=1)
    means = np.divide(sums, counts, out=np.full(len(days), np.nan), where=counts > 0)
    tail = (1.0 - boot.level) / 2.0
    lo, hi = np.nanquantile(means, [tail, 1.0 - tail])
    return float(lo), float(hi)


def describe(
    y: np.ndarray,
    dummy: np.ndarray,
    horizon: int,
    boot: Bootstrap | None,
    aside: np.ndarray | None = None,
    days: np.ndarray | None = None,
) -> Stats:
    """Every statistic of events (``dummy``) against the baseline (every day of ``y``).

    Requires: ``y`` the forward returns of the sample's days (NaN where the
    window is incomplete: left out), ``dummy`` True on the events used,
    ``aside`` True on event days not used (independent events only): they
    are neither events nor other days in the test and the interval.
    Sets: the events' n, mean, median and hit rate; the baseline's over every
    day with a complete window (events included); the HAC test of the dummy
    with ``horizon - 1`` lags; the bootstrap interval of the events' mean
    (NaN without ``boot``).
    """
    ok = np.isfinite(y)
    base = y[ok]
    tested = ok & ~(np.zeros(len(y), dtype=bool) if aside is None else aside.astype(bool))
    lo, hi = (np.nan, np.nan)
    if boot is not None:  # over every day of the sample: a resample's events are the tested event days it drew
        lo, hi = bootstrap_interval(np.where(tested, y, np.nan), dummy, horizon, boot, days)
    y, dummy = y[tested], dummy[tested].astype(bool)
    ev = y[dummy]
    t, p = hac_dummy_test(y, dummy, horizon - 1)
    return Stats(
        n=int(len(ev)),
        mean=float(ev.mean()) if len(ev) else np.nan,
        median=float(np.median(ev)) if len(ev) else np.nan,
        hit_rate=float((ev > 0).mean()) if len(ev) else np.nan,
        baseline_n=int(len(base)),
        baseline_mean=float(base.mean()) if len(base) else np.nan,
        baseline_hit_rate=float((base > 0).mean()) if len(base) else np.nan,
        t_stat=t,
        p_value=p,
        ci_low=lo,
        ci_high=hi,
    )


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values; NaN stays NaN and is not counted among the tests.

    Step-down: the k-th smallest of m p-values times (m - k + 1), made
    non-decreasing, capped at 1. (statsmodels' ``multipletests`` gives the
    same and the tests hold it to that, but it runs ``gc.collect()`` on each
    call: half a second a table.)
    """
    out = np.full(len(p_values), np.nan)
    ok = np.flatnonzero(np.isfinite(p_values))
    if len(ok):
        order = ok[np.argsort(p_values[ok], kind="stable")]
        m = len(order)
        scaled = p_values[order] * (m - np.arange(m))
        out[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return out
