"""Rate-cut regime: the first cut of a Fed easing cycle starts a run of small-cap leadership."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import numpy as np
import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import first_after_quiet, hold_after, tilt, with_events

from ._tilt_params import OffSmall, OnSmall


def first_cuts(target: pd.Series, span_days: int) -> pd.Series:
    """True on each day the target rate is cut at least ``span_days`` calendar days after the previous cut.

    Requires: the target as known at each close (NaN before it is known).
    Sets: a boolean Series on the same days. A cut is "first" only when the
    series has been observed for the whole span before it: a cut less than
    ``span_days`` after the first known value cannot be shown to be first.
    """
    known = target.dropna()
    cuts = (known.diff() < 0).reindex(target.index)  # a cut: lower than the last known value; NaN: not known yet
    return first_after_quiet(cuts, span_days)


def _hindsight(params: Mapping[str, Any]) -> str | None:
    if params.get("hindsight_recession_filter"):
        return (
            f"hindsight_recession_filter skips first cuts followed by a recession within "
            f"{params.get('recession_window_days')} days, using the NBER dates as known today"
        )
    return None


@strategy(
    roles=("small_cap", "large_cap"),
    series=("fed_target", "recession", "recession_hindsight"),
    series_used=lambda p: (
        "fed_target",
        *(("recession",) if p["known_recession_filter"] else ()),
        *(("recession_hindsight",) if p["hindsight_recession_filter"] else ()),
    ),
    hindsight=_hindsight,
)
def rate_cut_regime(
    data: StrategyInput,
    span_days: Annotated[
        int,
        Param(
            "calendar days without a cut before a cut counts as the first of an easing cycle "
            "(365 finds 1995-07-06 ... 2024-09-18; about 120 also finds 2020-03-03)",
            ge=1,
        ),
    ] = 365,
    hold: Annotated[int, Param("trading days to stay tilted after a first cut, that day included", ge=1)] = 252,
    on_small: OnSmall = 1.0,
    off_small: OffSmall = 0.0,
    known_recession_filter: Annotated[
        bool, Param("ignore a first cut made while the NBER recession flag, as published by then, says recession")
    ] = True,
    hindsight_recession_filter: Annotated[
        bool,
        Param(
            "HINDSIGHT: ignore a first cut if the economy was in recession or entered one within "
            "recession_window_days, by today's NBER dates; reports mark such runs HINDSIGHT"
        ),
    ] = False,
    recession_window_days: Annotated[
        int, Param("calendar days after a first cut that the hindsight filter looks ahead", ge=0)
    ] = 365,
) -> pd.DataFrame:
    """After the first Fed cut of an easing cycle, tilt to small caps for a year.

    Hypothesis: small caps, more rate-sensitive and more dependent on
    floating-rate credit, lead once the Fed starts easing. Source idea: "the
    first cut of a cycle is bullish for small caps when the economy is not in
    recession and does not enter one within a year". Since 1990 the first
    cuts after a year without one were 1995-07-06, 1998-09-29, 2001-01-03,
    2007-09-18, 2019-07-31 and 2024-09-18 (2020-03-03 with a ~4-month span).

    Dates: a cut is dated on the day the FOMC announced it, which is when it
    was known (statements come out before the close). FRED's DFEDTARU dates a
    change on the day it took effect, the day after the statement since
    2017; the ``fed_target`` series moves those back to the announcement, so
    the 2019 and 2024 cycles start on 2019-07-31 and 2024-09-18, not on
    FRED's 08-01 and 09-19. DFEDTAR (to 2008) already dates changes on the
    announcement day.

    The claim's recession condition uses the future: whether a recession
    begins within a year of the cut is only known a year or more later. The
    default uses only what was known: the NBER flag as published (series
    ``recession``, lagged 640 days, since the NBER dates turning points
    long after). That flag is too slow to skip any first cut since 1990.
    ``hindsight_recession_filter`` applies the claim's condition with
    today's NBER dates (series ``recession_hindsight``); it skips 2001,
    2007 and 2019. It measures what the claim needs, not what a trader could
    have done, so reports mark it HINDSIGHT.

    Requires: roles ``small_cap`` and ``large_cap``; series ``fed_target``,
    ``recession`` and ``recession_hindsight``. The target must be known for
    ``span_days`` before a cut can count as first, so a run starting less
    than a year before a first cut (e.g. 2001-01-03 for IWM, which starts
    2000-05-26) does not see it.
    Sets: from each first cut that passes the filters, for ``hold`` trading
    days, ``on_small`` in small_cap and the rest in large_cap; ``off_small`` /
    rest otherwise. Signal: the tilt. Events: the first cuts that pass the filters.
    """
    macro = data.macro
    events = first_cuts(macro["fed_target"], span_days)
    if known_recession_filter:
        events &= macro["recession"].fillna(0).to_numpy() == 0
    if hindsight_recession_filter:
        events &= ~_recession_ahead(macro["recession_hindsight"], events, recession_window_days)
    on = hold_after(events, hold)
    return with_events(tilt(on, on_small, off_small, "small_cap", "large_cap"), events)


def _recession_ahead(flag: pd.Series, events: pd.Series, window_days: int) -> pd.Series:
    """True on event days where ``flag`` is 1 on any day from the event through ``window_days`` later.

    Reads the future by design (the hindsight filter); days beyond the data count as no recession.
    """
    ahead = pd.Series(False, index=events.index)
    days = flag.index
    values = flag.fillna(0).to_numpy()
    for day in events.index[events.to_numpy()]:
        lo, hi = days.searchsorted(day), days.searchsorted(day + pd.Timedelta(days=window_days), side="right")
        ahead[day] = bool(np.any(values[lo:hi] > 0))
    return ahead
