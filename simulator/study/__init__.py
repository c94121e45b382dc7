"""Event and period studies: what followed a strategy's trigger days (or calendar groups), against every day.

Plain values in, plain tables out (nothing here reads a config): prices by
asset on one calendar, event days as boolean Series, a ``StudySpec``.

- ``forward``: forward returns from each day's (or the next day's) close.
- ``events``: events through a date, and overlap thinning (independent events).
- ``stats``: mean, median, hit rate, baseline, HAC t-statistic, block-bootstrap
  interval, Holm adjustment.
- ``event_study``: the summary, the events table and the average paths.
- ``periods``: calendar years or months grouped by a label, per asset.
- ``claims``: published figures against measured ones, with a verdict.

statsmodels and arch are imported inside the functions that use them:
``rotsim --help`` does not pay for them.
"""

from __future__ import annotations

from .event_study import StudySpec, StudyTables, event_study
from .periods import period_returns, period_study

__all__ = ["StudySpec", "StudyTables", "event_study", "period_returns", "period_study"]
