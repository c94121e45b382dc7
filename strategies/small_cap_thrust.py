"""Small-cap thrust: a big one-day gain in small caps starts a run of small-cap leadership."""

from __future__ import annotations

from typing import Annotated

import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import at_or_above, hold_after, tilt, with_events

from ._tilt_params import OffSmall, OnSmall


@strategy(roles=("small_cap", "large_cap"), optional_roles={"small_cap_index": "small_cap"})
def small_cap_thrust(
    data: StrategyInput,
    threshold: Annotated[
        float, Param("one-day gain of the small-cap index that fires the signal (0.035 = +3.5%)", gt=0, lt=1)
    ] = 0.035,
    hold: Annotated[
        int,
        Param(
            "trading days to stay overweight after a thrust, the thrust day included (a new thrust restarts the count)",
            ge=1,
        ),
    ] = 252,
    on_small: OnSmall = 1.0,
    off_small: OffSmall = 0.0,
) -> pd.DataFrame:
    """After the small-cap index gains at least 3.5% in a day, overweight small caps for a year.

    Hypothesis: a broad one-day thrust in small caps marks the start of a
    run of small-cap leadership. Source idea: "after the Russell 2000 gains
    3.5% in a day, small caps beat for a year" (^RUT +3.5% on 2024-07-16,
    after +3.6% on 2024-07-11).

    Requires: roles ``small_cap`` and ``large_cap`` (traded) and optionally
    ``small_cap_index`` (the signal, e.g. ^RUT; else the small_cap ETF).
    Sets: on the close of a day the index gains >= ``threshold`` (the gain
    rounded to 12 decimals, so 100 -> 103.5 is exactly 3.5%) and the
    ``hold - 1`` trading days after it, ``on_small`` in small_cap and the
    rest in large_cap; ``off_small`` / rest otherwise. The engine trades a
    decision ``lag`` bars later. Signal: the holding period. Events: every
    thrust day (a thrust while on counts too, as published studies count it).
    """
    gain = data.prices["small_cap_index"].pct_change(fill_method=None)
    thrust = at_or_above(gain, threshold)
    on = hold_after(thrust, hold)
    return with_events(tilt(on, on_small, off_small, "small_cap", "large_cap"), thrust)
