"""The overfitting ledger of a sweep: every statistic of one returns matrix, with a sentence for each.

Plain values in (the variants' daily returns, the benchmark's, the daily
risk-free return), a frozen :class:`Ledger` out; nothing here reads a config
or writes a file. ``to_dict`` is the manifest's JSON (NaN as null);
``sentences`` is one plain-English sentence per figure, as the page shows them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, final

import numpy as np
import pandas as pd

from ...engine.metrics import daily_rf, performance
from ._deflated_sharpe import DeflatedSharpe, deflated_sharpe
from ._measure import check_metric, measure
from ._pbo import PBO, pbo
from ._spa import SPAResult, spa
from ._walk_forward import WalkForward, walk_forward

__all__ = ["Ledger", "overfitting_ledger"]


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
    check_metric(metric)
    r = returns.to_numpy(dtype=float)
    rate = daily_rf(rf, returns.index)
    ids = [str(c) for c in returns.columns]
    bench = benchmark.rename(str(benchmark.name) if benchmark.name is not None else "benchmark")
    sharpes = measure("sharpe", r, rate)
    whole = sharpes if metric == "sharpe" else measure(metric, r, rate)
    best = ids[int(np.argmax(np.where(np.isnan(whole), -np.inf, whole)))]
    tested = None
    if bootstrap_reps > 0:
        b = bench.to_numpy(dtype=float)
        tested = spa(r, b, str(bench.name), block_size=block_size, reps=bootstrap_reps, seed=seed)
    return Ledger(
        variants=r.shape[1],
        days=r.shape[0],
        start=returns.index[0],
        end=returns.index[-1],
        metric=metric,
        default=str(default),
        best=best,
        benchmark=str(bench.name),
        benchmark_metrics=performance(bench, rf=rf),
        deflated=deflated_sharpe(r, rate, ids, sharpes),
        pbo=pbo(r, rate, metric, pbo_splits),
        spa=tested,
        walk_forward=walk_forward(
            returns.set_axis(ids, axis=1),
            bench,
            rate,
            default=str(default),
            metric=metric,
            train_days=train_days,
            test_days=test_days,
            expanding=expanding,
        ),
    )


def _check(returns: pd.DataFrame, benchmark: pd.Series, default: str) -> None:
    if returns.shape[0] < 3 or returns.shape[1] < 1:
        raise ValueError(f"the ledger needs at least 3 days and 1 variant, got {returns.shape[0]} x {returns.shape[1]}")
    if returns.columns.duplicated().any():
        raise ValueError(f"variant ids repeat: {sorted(set(returns.columns[returns.columns.duplicated()]))[:5]}")
    if default not in returns.columns:
        raise ValueError(f"the default variant {default!r} is not a column of the returns")
    if not benchmark.index.equals(returns.index):
        raise ValueError("the benchmark's dates differ from the variants' returns: align them first")
    bad = returns.columns[returns.isna().any().to_numpy()]
    if len(bad):
        raise ValueError(f"missing returns in {len(bad)} variants, e.g. {bad[0]!r}: the ledger needs every day")
    if benchmark.isna().any():
        raise ValueError("missing benchmark returns: the ledger needs every day")


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
