"""Macro series by name: which ids serve them and when each value became known.

Strategies ask for ``fed_target`` or ``recession``, not for FRED ids, so the
knowledge of splices (DFEDTAR ended in 2008; DFEDTARU took over) and of
publication lags lives here once. ``SeriesSpec``, the declaration itself, is
part of the plugin contract (``simulator.contract``): a strategy may define its own.
"""

from __future__ import annotations

from ...contract import SeriesSpec

__all__ = ["SERIES", "spec"]


# Calendar days after the period ends before a value counts as known: the latest a release
# usually comes out (BLS CPI by the 15th, the Fed's G.17 by the 17th, the jobs report by the
# 10th, BEA's advance GDP estimate by the 30th). Releases delayed by a shutdown (CPI for
# 2025-09 came out on 10-24) are later still: data.publication_lag_days overrides a lag.
CPI_LAG, INDPRO_LAG, UNRATE_LAG, GDP_LAG = 15, 17, 10, 30

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
        SeriesSpec(
            "curve_10y2y",
            ("T10Y2Y",),
            "daily",
            1,
            "10-year minus 2-year Treasury yield, percentage points; FRED posts it the next business day",
        ),
        SeriesSpec(
            "cpi",
            ("CPIAUCSL",),
            "monthly",
            CPI_LAG,
            "consumer price index for all urban consumers, seasonally adjusted, index 1982-84 = 100. "
            "BLS publishes a month's CPI 10-15 days after the month ends (the 2025 shutdown: later); "
            "the values at hand are today's revised ones (seasonal factors are revised for five years)",
        ),
        SeriesSpec(
            "cpi_yoy",
            ("CPIAUCSL",),
            "monthly",
            CPI_LAG,
            "CPI (CPIAUCSL) over the same month a year earlier, percent: inflation; known when the month's CPI is",
            yoy=True,
        ),
        SeriesSpec(
            "indpro",
            ("INDPRO",),
            "monthly",
            INDPRO_LAG,
            "industrial production index, 2017 = 100. The Fed's G.17 release comes out about the 15th-17th "
            "of the next month; the values at hand are today's, revised for years after first publication",
        ),
        SeriesSpec(
            "indpro_yoy",
            ("INDPRO",),
            "monthly",
            INDPRO_LAG,
            "industrial production over the same month a year earlier, percent: monthly growth",
            yoy=True,
        ),
        SeriesSpec(
            "real_gdp",
            ("GDPC1",),
            "quarterly",
            GDP_LAG,
            "real GDP, billions of chained 2017 dollars, annual rate, dated on the quarter's first day. "
            "The advance estimate comes out 25-30 days after the quarter ends (later after shutdowns); "
            "the values at hand are today's, after every annual and benchmark revision",
        ),
        SeriesSpec(
            "real_gdp_yoy",
            ("GDPC1",),
            "quarterly",
            GDP_LAG,
            "real GDP over the same quarter a year earlier, percent: quarterly growth",
            yoy=True,
        ),
        SeriesSpec(
            "unemployment",
            ("UNRATE",),
            "monthly",
            UNRATE_LAG,
            "civilian unemployment rate, percent. The jobs report comes out on the first or second "
            "Friday after the month ends",
        ),
    )
}


def spec(name: str) -> SeriesSpec:
    try:
        return SERIES[name]
    except KeyError:
        raise KeyError(f"unknown macro series '{name}'; known: {', '.join(sorted(SERIES))}") from None
