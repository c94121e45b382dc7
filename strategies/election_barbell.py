"""Election barbell: financials and tech in presidential election years and the new term's first year."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import turns_on, with_events
from simulator.data.calendar import presidential_window


@strategy(roles=("financials", "tech", "large_cap"))
def election_barbell(
    data: StrategyInput,
    barbell: Annotated[
        float, Param("weight of the barbell while the signal is on; the rest stays in large caps", ge=0, le=1)
    ] = 1.0,
    tech_share: Annotated[
        float, Param("tech's share of the barbell (0.5: equal weights; financials get 1 - tech_share)", ge=0, le=1)
    ] = 0.5,
    switch: Annotated[
        Literal["calendar", "election_day"],
        Param(
            "'calendar': on from Jan 1 of each election year; 'election_day': on for the 365 days up to "
            "election day (and the 365 after it with first_term_year)"
        ),
    ] = "calendar",
    first_term_year: Annotated[
        bool, Param("also hold the barbell in the first year of the new term (the year after the election)")
    ] = True,
) -> pd.DataFrame:
    """In US presidential election years and the first year of a new term, hold a barbell of financials and tech.

    Hypothesis: election campaigns and a new administration's first year
    favour financials (deregulation, rates) and technology (spending and
    growth narratives) over the broad market. Source idea: "in election
    years and the year after, own XLF and XLK".

    The calendar is computed (simulator.data.calendar): elections every four
    years (2000, 2004, ...) on the Tuesday after the first Monday of
    November. It is known in advance, so no look-ahead.

    Requires: roles ``financials`` (e.g. XLF), ``tech`` (e.g. XLK) and
    ``large_cap`` (e.g. SPY, the neutral mix).
    Sets: while the signal is on, ``barbell * tech_share`` in tech,
    ``barbell * (1 - tech_share)`` in financials and the rest in large_cap;
    100% large_cap otherwise. With switch 'calendar' the signal is on in
    every election year (and, with ``first_term_year``, the year after);
    with 'election_day' on E - 365 days < t <= E (+ 365 days). Signal: on.
    Events: the first trading day of each window (not the data's first day).
    """
    on = presidential_window(data.index, switch, first_term_year)
    w = on.to_numpy(dtype=float) * barbell
    weights = pd.DataFrame(
        {"financials": w * (1.0 - tech_share), "tech": w * tech_share, "large_cap": 1.0 - w}, index=data.index
    )
    weights.attrs["signal"] = on
    return with_events(weights, turns_on(on))
