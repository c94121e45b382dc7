"""Small-cap thrust: a big one-day gain in small caps starts a run of small-cap leadership."""

from __future__ import annotations

from typing import Annotated

import numpy as np
import pandas as pd

from simulator import Param, StrategyInput, strategy


@strategy(roles=("small_cap", "large_cap"), optional_roles={"small_cap_index": "small_cap"})
def small_cap_thrust(
    data: StrategyInput,
    threshold: Annotated[float, Param("one-day gain of the small-cap index that fires the signal", gt=0, lt=1)] = 0.035,
    hold: Annotated[int, Param("trading days to stay overweight after a thrust (a new thrust restarts the count)", ge=1)] = 252,
    on_small: Annotated[float, Param("small-cap weight while the signal is on (the rest in large caps)", ge=0, le=1)] = 1.0,
    off_small: Annotated[float, Param("small-cap weight otherwise (the neutral mix)", ge=0, le=1)] = 0.0,
) -> pd.DataFrame:
    """After the small-cap index gains at least 3.5% in a day, overweight small caps for a year.

    Claim: "after the Russell 2000 gains 3.5% in a day, small caps beat for a
    year" (e.g. ^RUT +3.5% on 2024-07-16). A thrust on the close of day t is
    known at t; the engine trades it ``lag`` bars later.

    Requires: roles ``small_cap`` and ``large_cap`` (traded) and optionally
    ``small_cap_index`` (the signal, e.g. ^RUT; defaults to the small_cap ETF).
    Sets: ``on_small`` in small_cap and the rest in large_cap from each thrust
    day for ``hold`` trading days; ``off_small`` / rest otherwise.
    """
    gain = data.prices["small_cap_index"].pct_change(fill_method=None)
    thrust = (gain >= threshold).astype(float)
    on = thrust.rolling(hold, min_periods=1).max().to_numpy() > 0
    small = np.where(on, on_small, off_small)
    weights = pd.DataFrame({"small_cap": small, "large_cap": 1.0 - small}, index=data.index)
    weights.attrs["signal"] = pd.Series(on, index=data.index)
    return weights
