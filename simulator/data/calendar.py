"""Calendar facts: the NYSE's trading days and the US presidential election calendar.

Presidential elections fall every four years, in years divisible by four,
on the Tuesday after the first Monday of November (3 U.S.C. 1, since 1845).
The dates are fixed in advance, so using them is never look-ahead.
"""

from __future__ import annotations

import functools
import warnings
from datetime import date, timedelta

import pandas as pd

MONDAY, TUESDAY = 0, 1


def election_day(year: int) -> date:
    """US general election day of ``year``: the Tuesday after the first Monday of November.

    Requires: any year (midterm years have one too). Sets: nothing.
    """
    nov1 = date(year, 11, 1)
    first_monday = nov1 + timedelta(days=(MONDAY - nov1.weekday()) % 7)
    return first_monday + timedelta(days=TUESDAY - MONDAY)


def is_presidential_year(year: int) -> bool:
    """True in years with a presidential election (every fourth year: 2000, 2004, ...)."""
    return year % 4 == 0


def presidential_election_days(first_year: int, last_year: int) -> list[date]:
    """Presidential election days in ``first_year..last_year`` inclusive, in order."""
    return [election_day(y) for y in range(first_year, last_year + 1) if is_presidential_year(y)]


def presidential_window(
    index: pd.DatetimeIndex, switch: str = "calendar", first_term_year: bool = True, days: int = 365
) -> pd.Series:
    """True on the days of ``index`` in a presidential election year (and the new term's first year).

    Requires: ``switch`` 'calendar' or 'election_day'. Sets:
    - 'calendar': every day of each election year, and with ``first_term_year``
      every day of the year after it;
    - 'election_day': the ``days`` calendar days up to and including each
      election day (E - days < t <= E), and with ``first_term_year`` the
      ``days`` days after it (E < t <= E + days).
    """
    index = pd.DatetimeIndex(index)
    if switch == "calendar":
        years = index.year
        return pd.Series((years % 4 == 0) | ((years % 4 == 1) & first_term_year), index=index)
    if switch != "election_day":
        raise ValueError(f"switch must be 'calendar' or 'election_day', got {switch!r}")
    on = pd.Series(False, index=index)
    if len(index) == 0:
        return on
    span = pd.Timedelta(days=days)
    for e in presidential_election_days(index[0].year - 1, index[-1].year + 2):
        e = pd.Timestamp(e)
        after = e + span if first_term_year else e
        on |= (index > e - span) & (index <= after)
    return on


# --- the New York Stock Exchange's trading days ------------------------------

# exchange_calendars builds XNYS from any start date, but it evaluates the regular
# holiday rules only from 1970-01-01 on (pandas' default holiday-calendar start):
# before that, 4 July and Christmas come out as sessions. From 1970 on its sessions
# match ^GSPC's trading days exactly; before, data checks fall back to gap lengths.
NYSE_CALENDAR_FROM = pd.Timestamp("1970-01-01")


@functools.cache
def nyse_sessions() -> pd.DatetimeIndex:
    """The NYSE's trading days from 1970 to the end of exchange_calendars' XNYS (about a year ahead).

    Requires: the ``exchange_calendars`` package. Sets: a copy on disk, read by
    later processes while it is what a new build would give (``calendar_cache``);
    built at most once per process.
    """
    from .calendar_cache import stored_sessions

    return stored_sessions("XNYS", NYSE_CALENDAR_FROM, build_nyse_sessions)


def build_nyse_sessions() -> pd.DatetimeIndex:
    """``nyse_sessions`` from exchange_calendars itself, without the copy on disk."""
    import exchange_calendars  # imported here: importing it and building XNYS takes about a second

    with warnings.catch_warnings():  # its use of pandas APIs that newer pandas deprecates is not ours to report
        warnings.simplefilter("ignore", DeprecationWarning)
        sessions = exchange_calendars.get_calendar("XNYS", start=NYSE_CALENDAR_FROM).sessions
    # freq=None (drop the calendar's own frequency) is valid; pandas-stubs allows only a str or offset
    return pd.DatetimeIndex(sessions.tz_localize(None), freq=None).as_unit("ns")  # type: ignore[arg-type]
