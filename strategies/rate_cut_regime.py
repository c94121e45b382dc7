"""Rate-cut regime: the first cut of a Fed easing cycle starts a run of small-cap leadership."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, cast

import numpy as np
import pandas as pd

from simulator.contract import Param, StrategyInput, strategy
from simulator.contract.signals import first_after_quiet, hold_after, period_starts, tilt, with_events

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


def funds_first_cuts(funds: pd.Series, drop_bp: float, span_days: int, months: int = 6) -> pd.Series:
    """First cuts dated from the effective fed funds rate, for the years before a target was published.

    Requires: the effective rate (DFF, percent) as known at each close, on
    trading days (NaN before it is known). Rule: a month "eases" when its
    average, over the rates known at its trading days' closes, is at least
    ``drop_bp`` basis points below the highest such average of the
    ``months`` months before it; the month is complete, and so known, at its
    last close, and the ease is dated on the first trading day of the next
    month. A first cut is an easing month with none in the ``span_days``
    calendar days before it (``first_after_quiet``, as for the target).
    Day-to-day DFF moves with settlement dates and month ends (tens of basis
    points before 2008), so single days cannot date a cut; a month's
    average can. With 25 bp and 6 months this dates each of the eight first
    cuts of the target (DFEDTAR, then DFEDTARU) from 1984 to 2024 11-57 days
    after the FOMC's, and finds none the target lacks. It is narrow: 1995's
    first cut was 25 bp, so 30 bp dates it in 1996; 20 bp dates 2007's
    first cut in August, before the FOMC cut (the August 2007 funding
    stress); a 12-month high still holds 1982's rates in late 1983 and
    hides the 1984 cycle.
    Sets: a boolean Series on ``funds``'s days.
    """
    days = pd.DatetimeIndex(funds.index)
    month = days.to_period("M")
    averages = funds.groupby(month).mean()  # one row per month of the data: consecutive months
    high = averages.rolling(months, min_periods=months).max().shift(1)
    eases = (averages <= high - drop_bp / 100.0).astype(float).where(high.notna() & averages.notna())
    starts = period_starts(days, "M").to_numpy()
    # each day reads its previous month, which only the first trading day of a month may act on
    previous = eases.reindex(month - 1).to_numpy()
    flags = np.where(starts, previous, 0.0)
    readable = np.flatnonzero(starts & ~np.isnan(previous))
    flags[: readable[0] if len(readable) else len(flags)] = np.nan  # not known yet: no month to judge
    return first_after_quiet(pd.Series(flags, index=days), span_days)


def _hindsight(params: Mapping[str, Any]) -> str | None:
    if params.get("hindsight_recession_filter"):
        return (
            f"hindsight_recession_filter skips first cuts followed by a recession within "
            f"{params.get('recession_window_days')} days, using the NBER dates as known today"
        )
    return None


@strategy(
    roles=("small_cap", "large_cap"),
    series=("fed_target", "fed_funds", "recession", "recession_hindsight"),
    series_used=lambda p: (
        "fed_target",
        *(("fed_funds",) if p["before_target"] == "fed_funds" else ()),
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
    before_target: Annotated[
        Literal["nothing", "fed_funds"],
        Param(
            "'fed_funds': before the target is known for span_days (DFEDTAR starts 1982-09-27), date first "
            "cuts from the effective rate (DFF, from 1954): a month whose average is funds_drop_bp or more "
            "below the highest of the funds_months months before it eases, dated on the next month's first "
            "trading day"
        ),
    ] = "nothing",
    funds_drop_bp: Annotated[
        float,
        Param(
            "basis points a month's average effective rate must fall below its funds_months-month high", gt=0, le=500
        ),
    ] = 25.0,
    funds_months: Annotated[
        int,
        Param("months before a month whose highest average the effective rate's fall is measured from", ge=1, le=24),
    ] = 6,
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

    Before 1982 there is no published target. With ``before_target:
    fed_funds`` first cuts before the target has been known for
    ``span_days`` come from the effective rate instead (``funds_first_cuts``:
    a month whose average fed funds rate is ``funds_drop_bp`` or more below
    its high of the ``funds_months`` months before, dated on the next month's first
    trading day, the first such month after ``span_days`` without one). On
    1984-2024, where both exist, that rule finds the same eight cycles as
    the target, 11-57 days later; before, it acts on 1958-01-02,
    1960-07-01, 1966-10-03, 1968-10-01, 1973-11-01 and 1979-12-03.

    Requires: roles ``small_cap`` and ``large_cap``; series ``fed_target``,
    ``recession`` and ``recession_hindsight`` (and ``fed_funds`` with
    ``before_target: fed_funds``). The target must be known for
    ``span_days`` before a cut can count as first, so a run starting less
    than a year before a first cut (e.g. 2001-01-03 for IWM, which starts
    2000-05-26) does not see it.
    Sets: from each first cut that passes the filters, for ``hold`` trading
    days, ``on_small`` in small_cap and the rest in large_cap; ``off_small`` /
    rest otherwise. Signal: the tilt. Events: the first cuts that pass the filters.
    """
    macro = data.macro
    events = first_cuts(macro["fed_target"], span_days)
    if before_target == "fed_funds":
        # the target's own first cuts from the day it has been known for span_days; the effective rate's before
        target_from = cast(pd.Timestamp | None, macro["fed_target"].first_valid_index())  # a DatetimeIndex
        funds = funds_first_cuts(macro["fed_funds"], funds_drop_bp, span_days, funds_months)
        switch = pd.Timestamp.max if target_from is None else target_from + pd.Timedelta(days=span_days)
        events = events.where(macro.index >= switch, funds)
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
