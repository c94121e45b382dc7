"""The probability of backtest overfitting, by combinatorially symmetric cross-validation (CSCV).

Bailey, D. H., Borwein, J., Lopez de Prado, M. and Zhu, Q. J. (2017), "The
Probability of Backtest Overfitting", Journal of Computational Finance 20(4)
(working paper 2015): split the days into S blocks; for each of the C(S, S/2)
ways to take half of the blocks as in-sample (the rest, in order, out of
sample), pick the variant best in sample and find its relative rank out of
sample, w = rank / (N + 1) (rank 1 the worst of N, ties averaged); its logit
is log(w / (1 - w)). PBO is the share of logits <= 0: how often the in-sample
pick did no better than the median variant out of sample. Near 0, picking
the best carries over; near 0.5, picking is a coin toss; above, the best in
sample tends to be worse than average out of sample.

Every combination's metric comes from per-block sums (``_measure``), in
matrix products over chunks of combinations: 12,870 combinations of 1,000
variants are a few arrays of 1,000 x 1,000, not 12,870 pandas calls.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, final

import numpy as np

from ._measure import block_moments, from_moments

__all__ = ["PBO", "pbo", "pbo_from_moments"]

CELLS = 2_000_000  # combinations x variants at a time: arrays of 16 MB, whatever the number of variants


@final
@dataclass(frozen=True, eq=False)
class PBO:
    metric: str
    splits: int  # S
    combinations: int  # C(S, S/2)
    variants: int  # N
    probability: float  # share of logits <= 0 (NaN: too few days or variants)
    logits: np.ndarray = field(repr=False)  # one per combination
    in_sample: np.ndarray = field(repr=False)  # the in-sample pick's metric in sample, per combination
    out_of_sample: np.ndarray = field(repr=False)  # and out of sample
    picks: np.ndarray = field(repr=False)  # column index of the in-sample pick, per combination

    @property
    def loss_probability(self) -> float:
        """Share of combinations where the pick's metric out of sample was below 0."""
        return float(np.mean(self.out_of_sample < 0)) if len(self.out_of_sample) else math.nan

    def sentence(self) -> str:
        if not math.isfinite(self.probability):
            return (
                f"The probability of backtest overfitting needs at least two variants and {2 * self.splits} days "
                f"({self.splits} blocks of two); it is not computed here."
            )
        if self.probability < 0.2:
            verdict = "picking the best in sample mostly carried over to the unseen half"
        elif self.probability < 0.5:
            verdict = "picking the best in sample carried over less often than not to the unseen half"
        else:
            verdict = "picking the best in sample was no better than a coin toss on the unseen half"
        return (
            f"Picking the best of {self.variants:,} variants by {_name(self.metric)} on half of the history and "
            f"checking it on the other half, over all {self.combinations:,} ways to choose {self.splits // 2} of "
            f"{self.splits} blocks of days, the pick ranked in the bottom half of the variants on the unseen half "
            f"{self.probability:.0%} of the time: the probability of backtest overfitting (PBO) is "
            f"{self.probability:.0%}; {verdict}. Its {_name(self.metric)} on the unseen half was below 0 in "
            f"{self.loss_probability:.0%} of the splits."
        )

    def to_dict(self) -> dict[str, Any]:
        finite = self.logits[np.isfinite(self.logits)]
        quartiles = np.quantile(finite, [0.25, 0.5, 0.75]).tolist() if len(finite) else [math.nan] * 3
        return {
            "metric": self.metric,
            "splits": self.splits,
            "combinations": self.combinations,
            "variants": self.variants,
            "probability": self.probability,
            "loss_probability": self.loss_probability,
            "logit_quartiles": quartiles,
            "method": "Bailey, Borwein, Lopez de Prado & Zhu (2015): CSCV over C(S, S/2) halves of S blocks "
            "of days; logit of the out-of-sample relative rank (rank / (N + 1), ties averaged) of the "
            "in-sample best; PBO = share of logits <= 0",
        }


def pbo(returns: np.ndarray, rf: np.ndarray, metric: str, splits: int) -> PBO:
    """CSCV of daily ``returns`` (T x N, a column per variant) ranked by ``metric`` (over daily ``rf``, T,).

    Requires ``splits`` even and at least 2. The blocks are ``splits`` runs of
    consecutive days, as equal as T allows. With fewer than two variants, or
    blocks of fewer than two days, every figure is NaN or empty.
    """
    check_splits(splits)
    days, variants = returns.shape
    if variants < 2 or days < 2 * splits:
        return pbo_from_moments(metric, splits, variants, None)
    return pbo_from_moments(metric, splits, variants, block_moments(metric, returns, rf, splits))


def check_splits(splits: int) -> None:
    if splits < 2 or splits % 2:
        raise ValueError(f"pbo_splits must be an even number of at least 2, got {splits}")


def pbo_from_moments(metric: str, splits: int, variants: int, blocks: tuple[np.ndarray, np.ndarray] | None) -> PBO:
    """CSCV from ``block_moments`` of the returns (day counts (S,), moments (S x 2 x N)); None: too few days.

    The moments of a variant's blocks depend on its own column only, so they
    can be summed chunk of variants by chunk and put side by side: a sweep's
    ledger never holds every variant's daily returns at once.
    """
    combos = np.array(list(itertools.combinations(range(splits), splits // 2)), dtype=np.intp)
    if variants < 2 or blocks is None:
        empty = np.empty(0)
        return PBO(metric, splits, len(combos), variants, math.nan, empty, empty, empty, empty.astype(np.intp))
    counts, moments = blocks
    mask = np.zeros((len(combos), splits))
    np.put_along_axis(mask, combos, 1.0, axis=1)
    # CSCV is symmetric: a combination's out-of-sample blocks are its complement's in-sample ones, so
    # each metric matrix is computed once and read both ways
    code = mask @ (2.0 ** np.arange(splits))
    mirror = np.searchsorted(code, 2.0**splits - 1.0 - code, sorter=np.argsort(code))
    mirror = np.argsort(code)[mirror]
    half = np.flatnonzero(np.arange(len(combos)) < mirror)
    total_n, total = counts.sum(), moments.sum(axis=0)
    logits = np.empty(len(combos))
    is_best, oos_best = np.empty(len(combos)), np.empty(len(combos))
    picks = np.empty(len(combos), dtype=np.intp)
    chunk = max(1, CELLS // variants)
    for lo in range(0, len(half), chunk):
        own = half[lo : lo + chunk]
        m = mask[own]
        n_in = (m @ counts)[:, None]
        s1, s2 = m @ moments[:, 0], m @ moments[:, 1]
        a = from_moments(metric, n_in, s1, s2, missing=-np.inf)
        b = from_moments(metric, total_n - n_in, total[0] - s1, total[1] - s2, missing=-np.inf)
        for rows, inside, outside in ((own, a, b), (mirror[own], b, a)):
            pick = np.argmax(inside, axis=1)  # the first of equals, as a user reading the table would pick
            at = np.arange(len(rows))
            chosen = outside[at, pick][:, None]
            rank = (outside < chosen).sum(axis=1) + ((outside == chosen).sum(axis=1) + 1) / 2.0
            w = rank / (variants + 1.0)
            logits[rows] = np.log(w / (1.0 - w))
            is_best[rows], oos_best[rows], picks[rows] = inside[at, pick], chosen[:, 0], pick
    lam = logits
    return PBO(
        metric=metric,
        splits=splits,
        combinations=len(combos),
        variants=variants,
        probability=float(np.mean(lam <= 0.0)),
        logits=lam,
        in_sample=_unranked(is_best),
        out_of_sample=_unranked(oos_best),
        picks=picks,
    )


def _unranked(values: np.ndarray) -> np.ndarray:
    return np.where(np.isinf(values), np.nan, values)


def _name(metric: str) -> str:
    return {"sharpe": "Sharpe ratio", "sortino": "Sortino ratio", "cagr": "CAGR"}.get(metric, metric)
