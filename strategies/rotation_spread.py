"""Rotation spread: a day when small caps beat the Nasdaq-100 by 4 points starts a small-cap run."""

from __future__ import annotations

from typing import Annotated

import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import at_or_above, hold_after, tilt, with_events


@strategy(roles=("small_cap", "growth"))
def rotation_spread(
    data: StrategyInput,
    threshold: Annotated[
        float,
        Param(
            "one-day return of small caps minus growth that fires the signal (0.04 = 4 percentage points)", gt=0, lt=1
        ),
    ] = 0.04,
    hold: Annotated[
        int,
        Param(
            "trading days to stay overweight after a spread day, that day included; the idea's horizons are 63 and 252 "
            "(a new spread day restarts the count)",
            ge=1,
        ),
    ] = 63,
    on_small: Annotated[float, Param("small-cap weight while the signal is on (the rest in growth)", ge=0, le=1)] = 1.0,
    off_small: Annotated[
        float, Param("small-cap weight otherwise, the rest in growth (the neutral mix)", ge=0, le=1)
    ] = 0.5,
) -> pd.DataFrame:
    """After small caps beat the Nasdaq-100 by at least 4 points in a day, overweight small caps against growth.

    Hypothesis: a one-day rotation out of mega-cap growth into small caps
    this violent (IWM beating QQQ by 4 percentage points or more) starts a
    lasting change of leadership. Source idea: such spread days (2020-11-09:
    5.67 pp, 2021-01-06: 5.48 pp, 2024-07-11: 5.79 pp) were followed by
    small-cap outperformance over the next quarter (63 trading days) and
    year (252).

    Requires: roles ``small_cap`` (e.g. IWM) and ``growth`` (e.g. QQQ), both
    traded and both the signal.
    Sets: on the close of a day with return(small_cap) - return(growth) >=
    ``threshold`` (rounded to 12 decimals, so +0.5% against -3.5% is exactly 4 pp)
    and the ``hold - 1`` trading days after it, ``on_small`` in
    small_cap and the rest in growth; ``off_small`` / rest otherwise (by
    default an even split). Signal: the holding period. Events: every spread day.
    """
    r = data.returns
    spread_day = at_or_above(r["small_cap"] - r["growth"], threshold)
    on = hold_after(spread_day, hold)
    return with_events(tilt(on, on_small, off_small, "small_cap", "growth"), spread_day)
