"""Policy-curve trigger: small caps while the 2-year yield is above the fed funds rate."""

from __future__ import annotations

from typing import Annotated

import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import above, at_or_below, confirmed, hold_after, tilt, turns_on, with_events

from ._tilt_params import OffSmall, OnSmall


@strategy(roles=("small_cap", "large_cap"), series=("fed_funds", "y2"))
def policy_curve_trigger(
    data: StrategyInput,
    margin: Annotated[
        float,
        Param("percentage points the 2-year yield must exceed the fed funds rate by (0: any positive spread)", ge=0),
    ] = 0.0,
    confirm_days: Annotated[
        int,
        Param(
            "trading days in a row the spread must stay above (below) margin before the signal turns on (off); "
            "1 follows it daily, larger values ignore brief flips",
            ge=1,
        ),
    ] = 5,
    cross_within: Annotated[
        int,
        Param(
            "0: on for as long as the spread stays above margin; N > 0: only for the first N trading days "
            "after the signal turns on (a fresh cross)",
            ge=0,
        ),
    ] = 0,
    on_small: OnSmall = 1.0,
    off_small: OffSmall = 0.0,
) -> pd.DataFrame:
    """Overweight small caps while the effective fed funds rate is below the 2-year Treasury yield.

    Hypothesis: when the 2-year yield sits above the policy rate the market
    expects the Fed to hold or hike into a growing economy, not to rescue a
    weakening one; with policy no tighter than the market expects, small
    caps (more cyclical, more rate-sensitive) lead. When the 2-year falls
    below fed funds the market is pricing cuts, which historically come with
    slowdowns. Source idea: "small caps work while fed funds < 2-year".

    Requires: roles ``small_cap`` and ``large_cap``; series ``fed_funds``
    (DFF) and ``y2`` (DGS2), each as published (the next business day).
    Sets: the signal turns on at the close of the ``confirm_days``-th day
    in a row with y2 - fed_funds > ``margin`` (rounded to 12 decimals, so
    2.35 - 2.25 is exactly 0.1) and off at the close of the
    ``confirm_days``-th day in a row with it at or below; with ``cross_within``
    N > 0 it is on only for the first N trading days after turning on.
    ``on_small`` in small_cap and the rest in large_cap while on;
    ``off_small`` / rest otherwise, including before both are known. Signal: on.
    Events: each day the (confirmed) signal turns on.

    Note: the synthetic sample market builds its 2-year yield from the
    future policy path (perfect foresight), so this strategy's demo results
    say nothing about history.
    """
    spread = data.macro["y2"] - data.macro["fed_funds"]
    # NaN is neither above nor at or below: off until both are known
    on = confirmed(above(spread, margin), at_or_below(spread, margin), confirm_days)
    starts = turns_on(on)  # the first day is not a cross: no "before"
    if cross_within:
        on = on & hold_after(starts, cross_within)
    return with_events(tilt(on, on_small, off_small, "small_cap", "large_cap"), starts)
