"""Fixed weights, traded by the engine's rebalance policy."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from pydantic import AfterValidator

from simulator.contract import Param, StrategyInput, strategy


def _valid(weights: dict[str, float]) -> dict[str, float]:
    if not weights:
        raise ValueError("give at least one role, e.g. {large_cap: 1.0}")
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must be >= 0 (long only)")
    if sum(weights.values()) > 1 + 1e-9:
        raise ValueError(f"weights sum to {sum(weights.values()):.4f}; at most 1 (the rest is cash)")
    return weights


@strategy(roles=lambda params: tuple(params["weights"]))
def static_weights(
    data: StrategyInput,
    weights: Annotated[
        dict[str, float],
        AfterValidator(_valid),
        Param("role -> weight; at most 1 in total, the rest stays in cash"),
    ] = {"large_cap": 1.0},  # noqa: B006 - pydantic copies defaults
) -> pd.DataFrame:
    """Hold fixed weights by role; {large_cap: 1.0} on the benchmark ticker is buy-and-hold.

    Requires: the roles named in ``weights``.
    Sets: the same weights on every day. With rebalance 'on_change' the engine
    buys once and lets them drift; 'monthly', 'quarterly' or 'drift' restore them.
    """
    return pd.DataFrame({role: float(w) for role, w in weights.items()}, index=data.index)
