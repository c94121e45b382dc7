"""Post-election cool-off: buy small caps after their post-election run has cooled, not at its height."""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import DECIMALS, hold_after, tilt, with_events
from simulator.data.calendar import presidential_election_days

from ._tilt_params import OffSmall, OnSmall

__all__ = ["cooloff_triggers", "post_election_cooloff"]


def cooloff_triggers(
    prices: pd.Series,
    runup: float,
    runup_days: int,
    cooloff: Literal["pullback", "days"],
    pullback: float,
    cool_days: int,
    wait_days: int,
) -> pd.Series:
    """True on each day a post-election run-up has cooled off.

    Requires: closes on trading days (NaN before the first). For each US
    presidential election day E with a close on or before it (the base: the
    last close before the result was known, that night):
    (a) the run-up: the first of the ``runup_days`` trading days after E on
    which the close is at least ``runup`` above the base;
    (b) the cool-off, on a later day: 'pullback' the first close at least
    ``pullback`` below the highest close since E; 'days' the first day
    ``cool_days`` trading days after the highest close since E (that many
    days without a new high).
    Sets: True on the day (b) holds, if it is within ``wait_days`` trading
    days after E; at most one day per election. Ratios are compared at 12
    decimals, as the signal helpers compare thresholds.
    """
    index = pd.DatetimeIndex(prices.index)
    values = prices.to_numpy(dtype=float)
    out = np.zeros(len(values), dtype=bool)
    if len(index) == 0:
        return pd.Series(out, index=index)
    for e in presidential_election_days(index[0].year - 1, index[-1].year):
        base_at = int(index.searchsorted(pd.Timestamp(e), side="right")) - 1  # the close on or before election day
        if base_at < 0 or np.isnan(values[base_at]):
            continue
        base = values[base_at]
        end = min(len(values), base_at + 1 + wait_days)
        high, high_at, ran = -np.inf, base_at, False
        for t in range(base_at + 1, end):
            v = values[t]
            if v > high:
                high, high_at = v, t
            if not ran:
                ran = t - base_at <= runup_days and round(v / base - 1.0, DECIMALS) >= runup
                continue
            cooled = round(1.0 - v / high, DECIMALS) >= pullback if cooloff == "pullback" else t - high_at >= cool_days
            if cooled:
                out[t] = True
                break
    return pd.Series(out, index=index)


@strategy(roles=("small_cap", "large_cap"), optional_roles={"small_cap_index": "small_cap"})
def post_election_cooloff(
    data: StrategyInput,
    runup: Annotated[
        float, Param("gain of the small-cap index over its election-day close that counts as a run-up", gt=0, lt=1)
    ] = 0.05,
    runup_days: Annotated[int, Param("trading days after election day within which the run-up must come", ge=1)] = 20,
    cooloff: Annotated[
        Literal["pullback", "days"],
        Param(
            "'pullback': a fall of `pullback` from the post-election high; 'days': `cool_days` days without a new high"
        ),
    ] = "pullback",
    pullback: Annotated[
        float, Param("fall from the highest close since election day that counts as cooled off", gt=0, lt=1)
    ] = 0.03,
    cool_days: Annotated[
        int, Param("trading days without a new post-election high that count as cooled off", ge=1)
    ] = 10,
    wait_days: Annotated[
        int, Param("trading days after election day to wait for the cool-off; none by then, no entry", ge=1)
    ] = 126,
    hold: Annotated[int, Param("trading days to hold small caps from the cool-off day, that day included", ge=1)] = 252,
    on_small: OnSmall = 1.0,
    off_small: OffSmall = 0.0,
) -> pd.DataFrame:
    """After a post-election small-cap run-up cools off, hold small caps for a year.

    Hypothesis: small caps often rally hard after a US presidential election
    (2016: ^RUT +13% in 20 trading days; 2020: +18%; 2024: +10%), and
    chasing the spike buys the top; waiting for the overheated move to cool
    off gives a better entry into the rest of the run. Source idea: "we need
    to see many of these stocks cool off before we can safely hop onboard".

    Defaults, as a reader of the idea would pick them: a run-up is a gain of
    5% within 20 trading days (a month) of the election-day close, a month
    small caps beat about one time in five (^RUT since 1987: median 21-day
    gain 1.3%, 19% of them 5% or more): an election that gives no such
    month (2000, 2008, 2012) has no run to cool off; cooled off is a 3%
    fall from the post-election high, about one standard deviation of a
    week's move in small caps (2.9% for ^RUT) ("pullback"), or, with
    ``cooloff: days``, two weeks (10 trading days) without a new high; the
    wait ends six months (126 trading days) after the election, within the
    new term's first half-year; the hold is a year (252 trading days), as
    the other small-cap rotations hold. The election calendar is fixed in
    advance (simulator.data.calendar), and the result counts as known after
    election day's close, so the run-up is measured from that close.

    Requires: roles ``small_cap`` and ``large_cap`` (traded) and optionally
    ``small_cap_index`` (the signal, e.g. ^RUT; else the small_cap ETF).
    Sets: from each cool-off day for ``hold`` trading days, ``on_small`` in
    small_cap and the rest in large_cap; ``off_small`` / rest otherwise.
    Signal: the holding period. Events: the cool-off days (at most one per
    election; trigger days in ``cooloff_triggers``).
    """
    triggers = cooloff_triggers(
        data.prices["small_cap_index"], runup, runup_days, cooloff, pullback, cool_days, wait_days
    )
    return with_events(tilt(hold_after(triggers, hold), on_small, off_small, "small_cap", "large_cap"), triggers)
