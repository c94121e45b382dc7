"""The overfitting ledger of a sweep: every statistic of one returns matrix, with a sentence for each.

Plain values in (the variants' daily returns, the benchmark's, the daily
risk-free return), a frozen :class:`Ledger` out; nothing here reads a config
or writes a file. :func:`streamed_ledger` takes the returns a chunk of
variants at a time (a sweep's chunks on disk), :func:`overfitting_ledger`
all at once (one chunk); both give the same ledger. ``to_dict`` is the manifest's JSON (NaN as null);
``sentences`` is one plain-English sentence per figure, as the page shows them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, final

import numpy as np
import pandas as pd

from ...engine.metrics import daily_rf, performance
from ._deflated_sharpe import DeflatedSharpe, best_sharpe, deflated_sharpe_of
from ._measure import block_moments, check_metric, measure
from ._pbo import PBO, check_splits, pbo_from_moments
from ._spa import SPAResult, spa
from ._walk_forward import WalkForward, train_values, walk_forward_chosen, window_bounds

__all__ = ["Ledger", "overfitting_ledger", "streamed_ledger"]


@final
@dataclass(frozen=True, eq=False)
class Ledger:
    variants: int  # how many were tried
    days: int
    start: pd.Timestamp
    end: pd.Timestamp
    metric: str  # what PBO and walk-forward rank by
    default: str  # the default variant's id
    best: str  # the variant best by ``metric`` over all days
    benchmark: str
    benchmark_metrics: Mapping[str, float]  # performance() of the benchmark over the same days and rf
    deflated: DeflatedSharpe
    pbo: PBO
    spa: SPAResult | None  # None: bootstrap_reps = 0
    walk_forward: WalkForward

    def sentences(self) -> list[str]:
        """One sentence per figure: variants tried and the deflated Sharpe ratio, PBO, SPA, walk-forward."""
        out = [self.deflated.sentence(), self.pbo.sentence()]
        if self.spa is not None:
            out.append(self.spa.sentence())
        out.append(self.walk_forward.sentence())
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (NaN and infinities as null) for the manifest."""
        out: dict[str, Any] = _safe(
            {
                "variants": self.variants,
                "days": self.days,
                "span": [f"{self.start:%Y-%m-%d}", f"{self.end:%Y-%m-%d}"],
                "metric": self.metric,
                "default": self.default,
                "best": self.best,
                "benchmark": self.benchmark,
                "benchmark_metrics": dict(self.benchmark_metrics),
                "deflated_sharpe": self.deflated.to_dict(),
                "pbo": self.pbo.to_dict(),
                "spa": None if self.spa is None else self.spa.to_dict(),
                "walk_forward": self.walk_forward.to_dict(),
                "sentences": self.sentences(),
            }
        )
        return out


def overfitting_ledger(
    returns: pd.DataFrame,
    benchmark: pd.Series,
    rf: pd.Series | None,
    *,
    default: str,
    metric: str = "sharpe",
    pbo_splits: int = 16,
    bootstrap_reps: int = 1000,
    block_size: float | None = None,
    seed: int = 0,
    train_days: int = 756,
    test_days: int = 252,
    expanding: bool = False,
) -> Ledger:
    """Every statistic of the ledger for ``returns`` (dates x variant ids, daily simple returns).

    Requires ``benchmark`` on the same dates, no missing value in either, and
    ``default`` among the columns; ``rf`` is the daily risk-free return (a
    missing day: 0; None: 0 throughout), which Sharpe and Sortino are over.
    ``metric``: sharpe, sortino or cagr, what PBO and walk-forward rank by (the
    deflated Sharpe ratio is of the Sharpe ratio by definition).
    ``bootstrap_reps`` = 0 skips the SPA test (the slow part: its cost grows
    with reps x days x variants). Raises ValueError naming what is wrong.
    """
    _check(returns, benchmark, default)
    return streamed_ledger(
        [returns],
        lambda ids: returns[list(ids)],
        benchmark,
        rf,
        default=default,
        metric=metric,
        pbo_splits=pbo_splits,
        bootstrap_reps=bootstrap_reps,
        block_size=block_size,
        seed=seed,
        train_days=train_days,
        test_days=test_days,
        expanding=expanding,
    )


def streamed_ledger(
    chunks: Iterable[pd.DataFrame],
    columns: Callable[[Sequence[str]], pd.DataFrame],
    benchmark: pd.Series,
    rf: pd.Series | None,
    *,
    default: str,
    metric: str = "sharpe",
    pbo_splits: int = 16,
    bootstrap_reps: int = 1000,
    block_size: float | None = None,
    seed: int = 0,
    train_days: int = 756,
    test_days: int = 252,
    expanding: bool = False,
) -> Ledger:
    """:func:`overfitting_ledger` of the returns given a chunk of variants at a time, in bounded memory.

    ``chunks``: the variants' daily returns, dates x some variant ids each, read
    once in order; ``columns``: the returns of the given ids (dates x ids),
    asked for a few variants after the chunks (the best, the default, the
    walk-forward's choices). Every statistic but SPA needs of each variant
    only figures of its own column (its Sharpe ratio, its moments per PBO
    block, its metric per walk-forward training window), gathered chunk by
    chunk; so memory grows with the chunk, not with the number of variants.
    SPA bootstraps every variant's days together: with ``bootstrap_reps`` > 0
    it asks ``columns`` for all of them at once (days x variants in memory).
    """
    check_metric(metric)
    check_splits(pbo_splits)
    bench = benchmark.rename(str(benchmark.name) if benchmark.name is not None else "benchmark")
    dates = bench.index
    rate = daily_rf(rf, dates)
    blocked = len(dates) >= 2 * pbo_splits
    bounds = window_bounds(len(dates), train_days, test_days, expanding)
    ids: list[str] = []
    sharpes, wholes, moments, trained = [], [], [], []
    counts = np.empty(0)
    for part in chunks:
        _check_chunk(part, bench)
        r = part.to_numpy(dtype=float)
        ids += [str(c) for c in part.columns]
        sharpes.append(measure("sharpe", r, rate))
        wholes.append(sharpes[-1] if metric == "sharpe" else measure(metric, r, rate))
        if blocked:
            counts, m = block_moments(metric, r, rate, pbo_splits)
            moments.append(m)
        trained.append(train_values(metric, r, rate, bounds))
    _check_ids(len(dates), ids, str(default))
    sharpe = np.concatenate(sharpes)
    whole = np.concatenate(wholes)
    walk = np.concatenate(trained, axis=1)
    best = ids[int(np.argmax(np.where(np.isnan(whole), -np.inf, whole)))]
    k = best_sharpe(sharpe)
    chosen = [ids[int(np.argmax(np.where(np.isnan(row), -np.inf, row)))] for row in walk]
    needed = list(dict.fromkeys([str(default), *([] if k is None else [ids[k]]), *chosen]))
    few = columns(needed)
    few = few.set_axis([str(c) for c in few.columns], axis=1)
    tested = None
    if bootstrap_reps > 0:
        every = columns(ids).to_numpy(dtype=float)
        tested = spa(
            every, bench.to_numpy(dtype=float), str(bench.name), block_size=block_size, reps=bootstrap_reps, seed=seed
        )
        del every
    return Ledger(
        variants=len(ids),
        days=len(dates),
        start=dates[0],
        end=dates[-1],
        metric=metric,
        default=str(default),
        best=best,
        benchmark=str(bench.name),
        benchmark_metrics=performance(bench, rf=rf),
        deflated=deflated_sharpe_of(
            None if k is None else few[ids[k]].to_numpy(dtype=float), len(dates), rate, ids, sharpe
        ),
        pbo=pbo_from_moments(
            metric, pbo_splits, len(ids), (counts, np.concatenate(moments, axis=2)) if blocked else None
        ),
        spa=tested,
        walk_forward=walk_forward_chosen(
            walk,
            ids,
            few,
            bench,
            rate,
            default=str(default),
            metric=metric,
            train_days=train_days,
            test_days=test_days,
            expanding=expanding,
        ),
    )


def _check_chunk(part: pd.DataFrame, benchmark: pd.Series) -> None:
    if not benchmark.index.equals(part.index):
        raise ValueError("the benchmark's dates differ from the variants' returns: align them first")
    bad = part.columns[part.isna().any().to_numpy()]
    if len(bad):
        raise ValueError(f"missing returns in {len(bad)} variants, e.g. {bad[0]!r}: the ledger needs every day")
    if benchmark.isna().any():
        raise ValueError("missing benchmark returns: the ledger needs every day")


def _check_ids(days: int, ids: Sequence[Any], default: str) -> None:
    if days < 3 or not ids:
        raise ValueError(f"the ledger needs at least 3 days and 1 variant, got {days} x {len(ids)}")
    if len(set(ids)) < len(ids):
        repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
        raise ValueError(f"variant ids repeat: {repeated[:5]}")
    if default not in ids:
        raise ValueError(f"the default variant {default!r} is not a column of the returns")


def _check(returns: pd.DataFrame, benchmark: pd.Series, default: str) -> None:
    # the whole matrix's checks before any figure is taken of it (the streamed ledger's come after its chunks)
    _check_ids(returns.shape[0], list(returns.columns), default)
    _check_chunk(returns, benchmark)


def _safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value]
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
