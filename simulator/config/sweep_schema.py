"""The ``sweep:`` section of a config: how a strategy's parameter sweep runs and what it ranks by.

Which parameters are swept and over which values is said on the strategy
itself (``strategies[i].sweep``); the pipeline checks those against the
strategy's declared parameters (``pipeline/sweep_plan.py``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from .schema import _Model

# what the overfitting ledger can rank variants by on split samples (simulator.sweep.ledger.MEASURES)
Metric = Literal["sharpe", "sortino", "cagr"]

MAX_VARIANTS = 10_000
MAX_FILES = 20  # variants given their own results files: each may write a tearsheet of a few seconds


class SweepConfig(_Model):
    max_variants: int = Field(
        MAX_VARIANTS,
        ge=1,
        le=10_000_000,
        description=(
            f"most variants a sweep may have ({MAX_VARIANTS:,} by default), so that a typo cannot start 10^9 of "
            "them; raise it here (sweep: {max_variants: 50000}) for a larger grid"
        ),
    )
    metric: Metric = Field(
        "sharpe",
        description=(
            "the metric variants are ranked by (rank 1: the highest), and that the ledger's PBO and walk-forward "
            "choose by: sharpe, sortino or cagr (sweep.csv has every metric)"
        ),
    )
    chunk_size: int = Field(
        100, ge=1, le=100_000, description="variants per chunk: each chunk runs as one task and is written as it ends"
    )
    workers: int | None = Field(
        None, ge=1, le=1_024, description="local worker processes (default: one a core); not used with a Dask scheduler"
    )
    bootstrap_reps: int = Field(
        1000, ge=0, le=100_000, description="bootstrap resamples of the overfitting ledger's SPA test (0: none)"
    )
    block_size: float | None = Field(
        None,
        gt=0,
        le=10_000,
        description="mean block length of that bootstrap, in days (default: chosen from the data)",
    )
    pbo_splits: int = Field(
        16, ge=2, le=32, description="blocks the dates are cut into for the probability of backtest overfitting (even)"
    )
    seed: int = Field(0, ge=0, le=2**63 - 1, description="the seed of the ledger's bootstrap: a sweep is repeatable")
    train_days: int = Field(756, ge=20, le=25_200, description="walk-forward: trading days each choice is made on")
    test_days: int = Field(252, ge=1, le=25_200, description="walk-forward: trading days each choice is then held")
    expanding: bool = Field(False, description="walk-forward: train on all days so far (else a rolling window)")
    files: list[str | int | dict[str, Any]] = Field(
        default_factory=list,
        description=(
            "variants that get their own results files (weights, trades, metrics.csv, a tearsheet) under "
            "variants/<id>/, as a run of that variant alone writes them: a variant id (v0012) or number (12), "
            "best, default, top:N, or params ({threshold: 0.03, hold: 63}: every variant with those values)"
        ),
    )
    max_files: int = Field(
        MAX_FILES, ge=1, le=10_000, description=f"most variants given their own files ({MAX_FILES} by default)"
    )

    @field_validator("pbo_splits")
    @classmethod
    def _even(cls, n: int) -> int:
        if n % 2:
            raise ValueError(f"must be even (half the blocks in sample, half out), got {n}")
        return n
