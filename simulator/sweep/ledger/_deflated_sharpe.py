"""The deflated Sharpe ratio of the best of many variants (Bailey & Lopez de Prado, 2014).

Bailey, D. H. and Lopez de Prado, M. (2014), "The Deflated Sharpe Ratio:
Correcting for Selection Bias, Backtest Overfitting and Non-Normality",
Journal of Portfolio Management 40(5), 94-107:

- the Sharpe ratio the best of N trials reaches by luck alone, when the
  trials' true Sharpe ratios are all 0 and their estimates spread with
  variance V:  SR* = sqrt(V) ((1 - g) Z^-1(1 - 1/N) + g Z^-1(1 - 1/(N e))),
  g the Euler-Mascheroni constant, Z^-1 the standard normal quantile;
- the probabilistic Sharpe ratio of the best's estimate SR over T days with
  skewness g3 and kurtosis g4 (not excess):
  PSR(SR*) = Z((SR - SR*) sqrt(T - 1) / sqrt(1 - g3 SR + (g4 - 1) / 4 SR^2));
- DSR = PSR(SR*): the probability that the best's true Sharpe ratio beats
  what luck across N trials would give.

Every Sharpe ratio in these formulas is per day (not annualised); the
results are reported annualised as well.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, final

import numpy as np

from ...engine.metrics import PERIODS

__all__ = [
    "DeflatedSharpe",
    "best_sharpe",
    "deflated_sharpe",
    "deflated_sharpe_of",
    "expected_max_sharpe",
    "probabilistic_sharpe",
]

_Z = NormalDist()


@final
@dataclass(frozen=True)
class DeflatedSharpe:
    trials: int  # N: the variants tried
    best: str  # the variant with the highest Sharpe ratio
    sharpe: float  # its Sharpe ratio, annualised
    expected_max: float  # SR*: the best Sharpe ratio luck alone gives from N trials, annualised
    sharpe_std: float  # the standard deviation of the trials' Sharpe ratios, annualised
    skew: float  # of the best's daily excess returns
    kurtosis: float  # of the best's daily excess returns (3 for normal ones)
    days: int  # T
    probability: float  # DSR: PSR of the best's Sharpe ratio against SR*

    def sentence(self) -> str:
        if not math.isfinite(self.probability):
            return (
                f"Of {_count(self.trials)} tried, none has a Sharpe ratio to deflate "
                "(their returns do not vary), so the deflated Sharpe ratio is undefined."
            )
        verdict = (
            "at or above the usual 95% bar for skill"
            if self.probability >= 0.95
            else "below the usual 95% bar: the best may owe its lead to the number of trials"
        )
        return (
            f"Of {_count(self.trials)} tried, the best ({self.best}) has a Sharpe ratio of {self.sharpe:.2f}; "
            f"the best of {self.trials:,} tries with no skill at all would be expected to reach {self.expected_max:.2f} "
            f"(the trials' Sharpe ratios spread by {self.sharpe_std:.2f}). After accounting for that, for "
            f"{self.days:,} days of data and for the best's skewness ({self.skew:.2f}) and kurtosis "
            f"({self.kurtosis:.1f}), the probability that its Sharpe ratio reflects real skill is "
            f"{self.probability:.0%} (deflated Sharpe ratio), {verdict}."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "trials": self.trials,
            "best": self.best,
            "sharpe": self.sharpe,
            "expected_max_sharpe": self.expected_max,
            "sharpe_std": self.sharpe_std,
            "skew": self.skew,
            "kurtosis": self.kurtosis,
            "days": self.days,
            "probability": self.probability,
            "method": "Bailey & Lopez de Prado (2014): PSR of the best's Sharpe ratio against the expected "
            "maximum Sharpe ratio of N trials with the trials' variance of Sharpe ratios; daily ratios, "
            f"annualised x sqrt({PERIODS}) in the figures",
        }


def _count(n: int) -> str:
    return f"{n:,} variant" + ("" if n == 1 else "s")


def expected_max_sharpe(trials: int, variance: float) -> float:
    """SR*: the expected maximum of ``trials`` Sharpe estimates of true ratio 0 and ``variance`` (same units).

    One trial is not a selection: SR* = 0, and the DSR is the PSR against 0.
    """
    if trials < 2:
        return 0.0
    g = float(np.euler_gamma)
    quantiles = (1.0 - g) * _Z.inv_cdf(1.0 - 1.0 / trials) + g * _Z.inv_cdf(1.0 - 1.0 / (trials * math.e))
    return math.sqrt(variance) * quantiles


def probabilistic_sharpe(sharpe: float, threshold: float, days: int, skew: float, kurtosis: float) -> float:
    """PSR: the probability that the true Sharpe ratio exceeds ``threshold``, given the estimate ``sharpe``.

    Both per day, estimated over ``days`` days whose returns have ``skew`` and
    ``kurtosis`` (not excess). NaN when the estimate's variance is not positive.
    """
    spread = 1.0 - skew * sharpe + (kurtosis - 1.0) / 4.0 * sharpe**2
    if not (spread > 0 and days > 1 and math.isfinite(sharpe)):
        return math.nan
    return _Z.cdf((sharpe - threshold) * math.sqrt(days - 1.0) / math.sqrt(spread))


def deflated_sharpe(returns: np.ndarray, rf: np.ndarray, ids: list[str], annual_sharpe: np.ndarray) -> DeflatedSharpe:
    """The DSR of the best column of daily ``returns`` (T x N) over the daily ``rf`` (T,), by ``annual_sharpe`` (N,).

    ``annual_sharpe`` is :func:`simulator.engine.metrics.sharpe` of the excess
    returns (NaN where a column does not vary: not a trial with a ratio, but
    still counted as tried). Skewness and kurtosis are the population moments
    of the best's excess returns.
    """
    k = best_sharpe(annual_sharpe)
    return deflated_sharpe_of(None if k is None else returns[:, k], len(returns), rf, ids, annual_sharpe)


def best_sharpe(annual_sharpe: np.ndarray) -> int | None:
    """The column the deflated Sharpe ratio is of: the highest finite Sharpe ratio (the first of equals)."""
    daily = annual_sharpe / math.sqrt(PERIODS)  # ranked per day, as the ratio is tested
    finite = np.isfinite(daily)
    return int(np.argmax(np.where(finite, daily, -np.inf))) if finite.any() else None


def deflated_sharpe_of(
    best: np.ndarray | None, days: int, rf: np.ndarray, ids: list[str], annual_sharpe: np.ndarray
) -> DeflatedSharpe:
    """:func:`deflated_sharpe` from the best column's daily returns alone (``best_sharpe``; None: no such column).

    Every other variant enters through its Sharpe ratio only, so a sweep need
    not hold their returns.
    """
    trials = len(annual_sharpe)
    daily = annual_sharpe / math.sqrt(PERIODS)
    finite = np.isfinite(daily)
    k = best_sharpe(annual_sharpe)
    if k is None or best is None:
        nan = math.nan
        return DeflatedSharpe(trials, "", nan, nan, nan, nan, nan, days, nan)
    variance = float(np.var(daily[finite], ddof=1)) if finite.sum() > 1 else 0.0
    threshold = expected_max_sharpe(trials, variance)
    x = best - rf
    x = x - x.mean()
    m2 = float(np.mean(x**2))
    skew = float(np.mean(x**3)) / m2**1.5
    kurtosis = float(np.mean(x**4)) / m2**2
    root = math.sqrt(PERIODS)
    return DeflatedSharpe(
        trials=trials,
        best=ids[k],
        sharpe=float(daily[k]) * root,
        expected_max=threshold * root,
        sharpe_std=math.sqrt(variance) * root,
        skew=skew,
        kurtosis=kurtosis,
        days=days,
        probability=probabilistic_sharpe(float(daily[k]), threshold, days, skew, kurtosis),
    )
