"""Yield tilt: "when rates dip, small caps rip"; the small-cap weight rises as the 10-year yield falls."""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import period_starts, turns_on, with_events


@strategy(roles=("small_cap", "large_cap"), series=("y10",))
def yield_tilt(
    data: StrategyInput,
    lookback: Annotated[int, Param("trading days over which the 10-year yield change is measured", ge=1)] = 63,
    neutral_small: Annotated[
        float,
        Param("small-cap weight when the yield is unchanged over the lookback (the rest in large caps)", ge=0, le=1),
    ] = 0.5,
    sensitivity: Annotated[
        float,
        Param("small-cap weight added per percentage point the yield fell (0.5: a 1 pp fall adds 50 points)", ge=0),
    ] = 0.5,
    max_tilt: Annotated[
        float,
        Param(
            "most the small-cap weight may move away from neutral_small, either way (bounds within 0..1)", ge=0, le=1
        ),
    ] = 0.5,
    step: Annotated[
        float,
        Param("weights move in steps of this size, so small yield moves do not trade every day", gt=0, le=1),
    ] = 0.1,
    decide: Annotated[
        Literal["daily", "monthly"],
        Param("'monthly': set the weight on the first trading day of each month and hold it; 'daily': every day"),
    ] = "monthly",
) -> pd.DataFrame:
    """The small-cap weight rises as the 10-year Treasury yield falls over a lookback, within bounds.

    Hypothesis: small caps carry more floating-rate and refinancing debt
    and longer-dated growth, so falling long rates help them more than large
    caps. Source idea: "when rates dip, small caps rip".

    Requires: roles ``small_cap`` and ``large_cap``; series ``y10`` (DGS10,
    as published the next business day).
    Sets: with d = y10(t) - y10(t - ``lookback`` trading days) in percentage
    points, small_cap = ``neutral_small`` - ``sensitivity`` * d, rounded to
    the nearest ``step`` from neutral (a half step away from neutral: with
    the defaults a fall of exactly 0.1 pp adds 0.1, a rise of 0.1 pp takes
    0.1 off) and kept within ``neutral_small`` +-
    ``max_tilt`` and 0..1; large_cap gets the rest. ``neutral_small`` until
    the yield is known ``lookback`` days back. With ``decide`` 'monthly' the
    weight is set on each month's first trading day (known that day: the
    previous trading day fell in another month) and held to the next.
    Signal: on while the small-cap weight is above neutral (yields fell).
    Events: each day the signal turns on.
    """
    y10 = data.macro["y10"]
    change = (y10 - y10.shift(lookback)).fillna(0.0).to_numpy()
    tilt = np.clip(-sensitivity * change, -max_tilt, max_tilt)
    # round the tilt, not the weight, so neutral_small is always reachable. In steps, a decimal half
    # is a few ulps off in floats (0.5 * 0.3 / 0.1 is 1.4999999999999998; 2.9 - 3.0 is -0.10000000000000009)
    # and np.round sends halves to even: at 9 places, then halves away from neutral, the same for every level
    steps = np.round(tilt / step, 9)
    steps = np.sign(steps) * np.floor(np.abs(steps) + 0.5)
    tilt = np.clip(steps * step, -max_tilt, max_tilt) + 0.0  # +0.0 turns -0.0 into 0.0
    small = np.round(np.clip(neutral_small + tilt, 0.0, 1.0), 10)  # 0.5 + 3 * 0.1 reads as 0.8
    if decide == "monthly":
        small = pd.Series(small, index=data.index).where(period_starts(data.index, "M")).ffill().to_numpy()
    weights = pd.DataFrame({"small_cap": small, "large_cap": 1.0 - small}, index=data.index)
    signal = pd.Series(small > neutral_small + 1e-12, index=data.index)
    weights.attrs["signal"] = signal
    return with_events(weights, turns_on(signal))
