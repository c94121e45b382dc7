"""Hand-made inputs for the built-in strategies' boundary tests: prices and series written out, no market."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from simulator.contract import Strategy, StrategyInput

DAYS = pd.bdate_range("2021-03-01", periods=40)


def flat(roles: Iterable[str], index: pd.DatetimeIndex) -> pd.DataFrame:
    """Prices of 100 on every day for each role: roles the rule traded but does not read."""
    return pd.DataFrame({r: 100.0 for r in roles}, index=index)


def weights(
    strategy: Strategy,
    prices: pd.DataFrame,
    macro: pd.DataFrame | None = None,
    observed: pd.DataFrame | None = None,
    **params: Any,
) -> pd.DataFrame:
    """The strategy's checked weights on this input (``observed``: the macro values' observation dates), ``params`` as in a config."""
    macro = pd.DataFrame(index=prices.index) if macro is None else macro
    return strategy.weights(StrategyInput(prices, macro, observed), strategy.resolve_params(params))


def on_at(index: pd.DatetimeIndex, positions: Iterable[int]) -> list[bool]:
    """True at these day positions of ``index``, False elsewhere."""
    on = set(positions)
    return [i in on for i in range(len(index))]


def signal(w: pd.DataFrame) -> list[bool]:
    return [bool(x) for x in w.attrs["signal"]]


def column(w: pd.DataFrame, role: str) -> list[float]:
    return [float(x) for x in w[role]]


def mix(on: Sequence[bool], on_weight: float, off_weight: float) -> list[float]:
    """The weight a two-role tilt gives its tilted role, written from the signal."""
    return [on_weight if x else off_weight for x in on]
