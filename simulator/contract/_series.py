"""A macro series declared by name: the ids it is spliced from and when its values are known.

rotsim's catalogue of them is ``simulator.data.market.series.SERIES``; a strategy
may declare one of its own in ``@strategy(series=...)``.
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
      ``lag_days`` calendar days after their month ends, ``quarterly`` ones
      (dated the quarter's first day, as FRED does) ``lag_days`` calendar
      days after their quarter ends.
    - ``announced_day_before``: (id, first date) pairs: from that date on, the id
      dates each change on the day it took effect, the calendar day after it was
      announced; such changes are moved back to the announcement.
    - ``hindsight``: values sit on the dates they describe, not on the dates
      they were published (``lag_days`` is ignored). Reading one at t reveals
      what was only learnt later; only for options that reports mark HINDSIGHT.
    - ``optional``: ids used when the source has them (e.g. older history),
      not required to run.
    - ``daily_percent``: ids quoted as a daily return in percent (Ken French's
      RF), converted to percent per year like the other rates.
    - ``yoy``: the series is the percent change over a year (12 monthly or 4
      quarterly observations earlier, matched by date), computed on the
      observation dates before they are dated by publication; an observation
      whose year-earlier value is missing has none.
    """

    name: str
    ids: tuple[str, ...]
    frequency: Literal["daily", "monthly", "quarterly"]
    lag_days: int
    description: str
    announced_day_before: tuple[tuple[str, str], ...] = ()
    hindsight: bool = False
    optional: tuple[str, ...] = ()
    daily_percent: tuple[str, ...] = ()
    yoy: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(i for i in self.ids if i not in self.optional)
