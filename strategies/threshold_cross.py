"""Threshold cross: any thrust or spread claim in YAML alone; the N-day return of one role (or its spread over another) crosses a threshold."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import at_or_above, at_or_below, hold_after, tilt, with_events


@strategy(
    roles=lambda p: ("versus",) if p["spread"] else (),
    default_tickers={"held": "IWM", "neutral": "SPY"},
    optional_roles={"signal": "held"},
)
def threshold_cross(
    data: StrategyInput,
    days: Annotated[int, Param("trading days the return is measured over (1: the day's return)", ge=1, le=2520)] = 1,
    threshold: Annotated[
        float, Param("the return (or spread) that fires, as a fraction: 0.035 = +3.5%, -0.05 = -5%", ge=-10, le=10)
    ] = 0.035,
    direction: Annotated[
        Literal["up", "down"], Param("'up': fires at or above the threshold; 'down': at or below it")
    ] = "up",
    spread: Annotated[
        bool, Param("measure the signal role's return minus the return of role 'versus' over the same days")
    ] = False,
    count: Annotated[
        Literal["every_day", "first_day"],
        Param(
            "'every_day': every day at or beyond the threshold is an event (as published studies count); "
            "'first_day': only a day beyond it after a day that was not"
        ),
    ] = "every_day",
    hold: Annotated[
        int, Param("trading days held after an event, that day included (a new event restarts the count)", ge=1)
    ] = 252,
    on_weight: Annotated[float, Param("weight of role 'held' while holding (the rest in 'neutral')", ge=0, le=1)] = 1.0,
    off_weight: Annotated[float, Param("weight of role 'held' otherwise (the rest in 'neutral')", ge=0, le=1)] = 0.0,
) -> pd.DataFrame:
    """Hold a role for a while after the N-day return of a role (or its spread over another) crosses a threshold.

    A threshold claim stated in YAML alone: "after the Russell 2000 gains
    3.5% in a day" is ``{signal: ^RUT}`` with ``threshold: 0.035``; "after IWM
    beats QQQ by 4 points in a day" is ``{signal: IWM, versus: QQQ}`` with
    ``spread: true, threshold: 0.04``; "after the S&P 500 falls 10% in a month"
    is ``days: 21, threshold: -0.10, direction: down``. Its events (the days
    it fires) are what ``rotsim study`` measures.

    Requires: roles ``held`` (default ticker IWM) and ``neutral`` (SPY),
    both traded; optionally ``signal`` (the role whose return is measured;
    else ``held``); ``versus`` when ``spread`` is true.
    Sets: x = signal's return over ``days`` trading days (close t over close
    t - days, minus versus' over the same days when ``spread``), rounded to
    12 decimals, so 100 -> 103.5 is exactly 0.035. An event on each day with
    x >= ``threshold`` (``direction`` 'up') or x <= ``threshold`` ('down');
    with ``count`` 'first_day' only where the day before was known and not
    beyond. No event until x is known. On each event and the ``hold - 1``
    trading days after it ``on_weight`` in held and the rest in neutral;
    ``off_weight`` / rest otherwise. Signal: the holding period.
    """
    prices = data.prices
    x = prices["signal"].pct_change(days, fill_method=None)
    if spread:
        x = x - prices["versus"].pct_change(days, fill_method=None)
    beyond = at_or_above(x, threshold) if direction == "up" else at_or_below(x, threshold)
    events = beyond
    if count == "first_day":
        known_before = x.shift(1).notna()
        events = beyond & ~beyond.shift(1, fill_value=False) & known_before
    on = hold_after(events, hold)
    return with_events(tilt(on, on_weight, off_weight, "held", "neutral"), events)
