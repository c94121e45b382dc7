"""Pieces the rotation strategies share: holding a signal on, and a two-role tilt."""

from __future__ import annotations

from typing import Annotated

import numpy as np
import pandas as pd

from simulator import Param

# The small-cap vs large-cap tilt's two weights, shared by the strategies that make one.
OnSmall = Annotated[float, Param("small-cap weight while the signal is on (the rest in large caps)", ge=0, le=1)]
OffSmall = Annotated[float, Param("small-cap weight otherwise (the neutral mix; the rest in large caps)", ge=0, le=1)]

# A rule compares a computed return or spread with a threshold written in decimal. Floating point
# puts a value equal to it in decimal a few ulps to either side (103.5 / 100 - 1 is
# 0.03499999999999992, 2.35 - 2.25 is 0.10000000000000009), so the rule would fire or not by
# accident of representation; rounded to this many places first, equal in decimal compares equal.
DECIMALS = 12


def decimal(x: pd.Series) -> pd.Series:
    """``x`` rounded to ``DECIMALS`` places, to compare with a threshold (NaN stays NaN)."""
    return x.round(DECIMALS)


def hold_after(events: pd.Series, hold: int) -> pd.Series:
    """True on each event day and the ``hold - 1`` trading days after it.

    Requires: a boolean Series (NaN counts as no event). Sets: a boolean
    Series on the same index; an event while on restarts the count, so
    re-triggers extend the holding period.
    """
    fired = events.fillna(False).astype(float)
    return fired.rolling(hold, min_periods=1).max().gt(0)


def confirmed(up: pd.Series, down: pd.Series, days: int) -> pd.Series:
    """A switch that turns on after ``days`` ``up`` days in a row and off after ``days`` ``down`` days in a row.

    Requires: boolean Series on the same index. Sets: a boolean Series, off
    until the first switch on; between switches it keeps its last state.
    """
    run_up = up.astype(float).rolling(days).sum().eq(days)
    run_down = down.astype(float).rolling(days).sum().eq(days)
    state = pd.Series(np.nan, index=up.index).mask(run_up, 1.0).mask(run_down, 0.0)
    return state.ffill().fillna(0.0).gt(0)


def tilt(on: pd.Series, on_weight: float, off_weight: float, tilted: str, rest: str) -> pd.DataFrame:
    """Weights of two roles: ``tilted`` gets ``on_weight`` on signal days, ``off_weight`` otherwise; ``rest`` the rest.

    Requires: ``on`` a boolean Series on the strategy's dates. Sets:
    ``weights.attrs["signal"] = on``.
    """
    w = np.where(on.to_numpy(dtype=bool), on_weight, off_weight)
    weights = pd.DataFrame({tilted: w, rest: 1.0 - w}, index=on.index)
    weights.attrs["signal"] = on.astype(bool)
    return weights
