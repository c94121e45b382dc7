"""Macro series by name: which ids serve them and when each value became known.

Strategies ask for ``fed_target`` or ``recession``, not for FRED ids, so the
knowledge of splices (DFEDTAR ended in 2008; DFEDTARU took over) and of
publication lags lives here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, final


@final
@dataclass(frozen=True)
class SeriesSpec:
    """How a macro series is built and when its values are known.

    - ``ids``: source ids spliced in order; a later id wins from its first date.
    - ``frequency``: ``daily`` values are known ``lag_days`` business days after
      their observation date; ``monthly`` values (dated the 1st) only
      ``lag_days`` calendar days after their month ends.
    """

    name: str
    ids: tuple[str, ...]
    frequency: Literal["daily", "monthly"]
    lag_days: int
    description: str


SERIES: dict[str, SeriesSpec] = {
    s.name: s
    for s in (
        SeriesSpec(
            "fed_target",
            ("DFEDTAR", "DFEDTARU"),
            "daily",
            0,
            "Fed funds target (upper bound from 2008-12-16), percent; FRED dates a change on its "
            "effective day, which is never before the FOMC statement, so it is known that day",
        ),
        SeriesSpec(
            "fed_funds", ("DFF",), "daily", 1, "effective fed funds rate, percent; published the next business day"
        ),
        SeriesSpec("y2", ("DGS2",), "daily", 1, "2-year Treasury yield, percent; FRED posts it the next business day"),
        SeriesSpec("y10", ("DGS10",), "daily", 1, "10-year Treasury yield, percent; FRED posts it the next business day"),
        SeriesSpec("tbill3m", ("DTB3",), "daily", 1, "3-month Treasury bill rate, percent"),
        SeriesSpec(
            "risk_free",
            ("DTB3",),
            "daily",
            1,
            "risk-free rate for cash (3-month bill), percent per year",
        ),
        SeriesSpec(
            "recession",
            ("USREC",),
            "monthly",
            365,
            "NBER recession flag (1 in recession); the NBER dates turning points 4-12 months "
            "after the fact, so a month's flag counts as known a year after the month ends",
        ),
        SeriesSpec(
            "fed_funds_monthly", ("FEDFUNDS",), "monthly", 1, "monthly average fed funds rate, percent"
        ),
    )
}


def spec(name: str) -> SeriesSpec:
    try:
        return SERIES[name]
    except KeyError:
        raise KeyError(f"unknown macro series '{name}'; known: {', '.join(sorted(SERIES))}") from None
