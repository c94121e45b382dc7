"""Sector momentum: hold the sectors that rose most over the last six months."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import pandas as pd

from simulator.contract import Param, Strategy, StrategyInput, hookimpl, strategy
from simulator.contract.signals import period_starts

__version__ = "0.1.0"

# The nine original Select Sector SPDR funds, by role. A config's universe may
# name any of these roles to trade another ticker; the rest load these.
SECTORS = {
    "tech": "XLK",
    "financials": "XLF",
    "energy": "XLE",
    "health": "XLV",
    "staples": "XLP",
    "utilities": "XLU",
    "discretionary": "XLY",
    "industrials": "XLI",
    "materials": "XLB",
}


@strategy(default_tickers=SECTORS)
def sector_momentum(
    data: StrategyInput,
    lookback: Annotated[int, Param("trading days over which momentum is measured (126: six months)", ge=21)] = 126,
    top: Annotated[int, Param("how many sectors to hold, equally weighted", ge=1, le=len(SECTORS))] = 3,
) -> pd.DataFrame:
    """Each month, hold the `top` sectors with the highest `lookback`-day return, equally weighted.

    Requires: a price for every sector role.
    Sets: on the first trading day of each month, 1/top in each of the `top`
    sectors whose return over the `lookback` days to that close is highest,
    held until the next month; cash until every sector has that much history.
    """
    prices = data.prices[list(SECTORS)]
    momentum = prices / prices.shift(lookback) - 1  # known at each close
    ranked = momentum.rank(axis=1, ascending=False, method="first") <= top
    ready = momentum.notna().all(axis=1)  # every sector ranked
    target = ranked.astype(float).div(top).mul(ready, axis=0)
    first_day = period_starts(data.index, "M")  # compares with the past only
    return target.where(first_day, axis=0).ffill()


@hookimpl
def register_strategies(register: Callable[[Strategy], None]) -> None:
    register(sector_momentum)
