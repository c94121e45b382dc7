"""Which trigger days count: through ``events_until``, and (independent) outside an earlier event's window."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["event_days", "independent"]


def event_days(events: pd.Series, calendar: pd.DatetimeIndex, until: pd.Timestamp | None = None) -> pd.Series:
    """``events`` on ``calendar`` (False where it has no value), cut after ``until``.

    Requires: a boolean Series on trading days. Sets: a boolean Series on
    ``calendar``, True on each event day at or before ``until`` (all of them
    when None). The forward data after ``until`` stay: only the events stop.
    """
    on = events.reindex(calendar, fill_value=False).fillna(False).astype(bool)
    if until is not None:
        on &= calendar <= until
    return on


def independent(positions: np.ndarray, window: int) -> np.ndarray:
    """The events kept when each must fall outside the window of the last one kept: a boolean mask.

    Requires: sorted positions on the trading calendar; ``window`` >= 1 (the
    horizon, in trading days). Sets: True for the first event, then for each
    event at least ``window`` days after the last one kept (so their windows
    do not overlap).
    """
    keep = np.zeros(len(positions), dtype=bool)
    last = None
    for i, pos in enumerate(positions):
        if last is None or pos - last >= window:
            keep[i] = True
            last = pos
    return keep
