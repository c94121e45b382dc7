"""Macro series by name: which ids serve them and when each value became known.

Strategies ask for ``fed_target`` or ``recession``, not for FRED ids, so the
knowledge of splices (DFEDTAR ended in 2008; DFEDTARU took over) and of
publication lags lives here once. ``SeriesSpec``, the declaration itself, is
part of the plugin contract (``simulator.contract``): a strategy may define its own.
"""

from __future__ import annotations

from ...contract import SeriesSpec

__all__ = ["SERIES", "spec"]


SERIES: dict[str, SeriesSpec] = {
    s.name: s
    for s in (
        SeriesSpec(
            "fed_target",
            ("DFEDTAR", "DFEDTARU"),
            "daily",
            0,
            "Fed funds target (upper bound from 2008-12-16), percent, dated on the day the FOMC "
            "announced each change. FRED dates a change on the day it took effect: the "
            "announcement day up to 2016-12-14, the calendar day after it from 2017-03-16 on "
            "(each one the day after its FOMC statement), so those are moved back a day. "
            "Statements come out before the 4 pm close (or on a weekend), so a change is known "
            "at that day's close",
            announced_day_before=(("DFEDTARU", "2017-03-16"),),
        ),
        SeriesSpec(
            "fed_funds", ("DFF",), "daily", 1, "effective fed funds rate, percent; published the next business day"
        ),
        SeriesSpec("y2", ("DGS2",), "daily", 1, "2-year Treasury yield, percent; FRED posts it the next business day"),
        SeriesSpec(
            "y10", ("DGS10",), "daily", 1, "10-year Treasury yield, percent; FRED posts it the next business day"
        ),
        SeriesSpec("tbill3m", ("DTB3",), "daily", 1, "3-month Treasury bill rate, percent"),
        SeriesSpec(
            "risk_free",
            ("FF:RF", "DTB3"),
            "daily",
            1,
            "risk-free rate for cash, percent per year: the 3-month bill (DTB3), and before it "
            "starts Ken French's daily RF (1-month bill) where the data has it",
            optional=("FF:RF",),
            daily_percent=("FF:RF",),
        ),
        SeriesSpec(
            "recession",
            ("USREC",),
            "monthly",
            640,
            "NBER recession flag (1 in recession), as published. Since 1980 the NBER announced "
            "each recession 69-305 days after its first month ended and each recovery 189-602 "
            "days after its first month ended (the March 1991 trough on 1992-12-22); a month's "
            "flag counts as known 640 days after the month ends, since a lag of a year would "
            "reveal the end of the 1991, 2001, 2009 and 2020 recessions months early",
        ),
        SeriesSpec(
            "recession_hindsight",
            ("USREC",),
            "monthly",
            0,
            "HINDSIGHT: the NBER recession flag on the days of the month it describes, as dated "
            "today; nobody knew it then (see 'recession' for the flag as published)",
            hindsight=True,
        ),
        SeriesSpec("fed_funds_monthly", ("FEDFUNDS",), "monthly", 1, "monthly average fed funds rate, percent"),
    )
}


def spec(name: str) -> SeriesSpec:
    try:
        return SERIES[name]
    except KeyError:
        raise KeyError(f"unknown macro series '{name}'; known: {', '.join(sorted(SERIES))}") from None
