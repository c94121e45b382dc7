"""Downloading a dataset again: only what is new when the source allows it, else all of it.

For a source that downloads from a date on (Yahoo), a cached dataset is
updated from its last cached day on, with an overlap of ``OVERLAP_DAYS`` that
must match what is cached: a dividend or split rescales all earlier adjusted
prices, and if the overlap moved, the whole history is fetched again.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ..providers.cache import Entry
from ..providers.remote import Download, Remote

# How a dataset was downloaded: first time, new rows only, or all again after history changed.
How = Literal["fetched", "updated", "refetched"]

# Calendar days re-fetched before the last cached day: at least a week of trading
# days to compare, so a rescaled adjusted history cannot slip through.
OVERLAP_DAYS = 10
# Adjusted prices that agree to this relative tolerance are unchanged; a dividend
# rescales them by its yield (typically 0.1% or more).
_SAME_PRICE_RTOL = 1e-6


def download(remote: Remote, dataset: str, entry: Entry | None) -> tuple[Download, How, str]:
    """Download ``dataset`` whole, or only its new rows merged onto the cached ``entry``; says how, in words too."""
    if entry is not None and remote.incremental and entry.meta.last is not None:
        last = entry.meta.last
        recent = remote.download(dataset, last - pd.Timedelta(days=OVERLAP_DAYS))
        merged = extend(entry.frame, recent.frame, last)
        if merged is not None:
            added = int((merged.index > last).sum())
            return Download(merged, recent.url, recent.adjusted), "updated", f"+{added} rows after {last:%Y-%m-%d}"
        whole = remote.download(dataset)
        return whole, "refetched", "adjusted history changed (dividend or split): fetched it all again"
    whole = remote.download(dataset)
    return whole, "fetched", f"from {whole.url}"


def extend(cached: pd.DataFrame, recent: pd.DataFrame, last: pd.Timestamp) -> pd.DataFrame | None:
    """``cached`` with the rows of ``recent`` from ``last`` on, or None if history changed.

    ``recent`` must overlap ``cached`` on at least one day before ``last``
    and agree with it there; the cached ``last`` row itself may be replaced
    (it may have been an intraday price). None when there is no overlap, the
    columns differ, or any overlapping value moved.
    """
    if list(cached.columns) != list(recent.columns):
        return None
    overlap = cached.index.intersection(recent.index[recent.index < last])
    if len(overlap) == 0:
        return None
    old = cached.loc[overlap].to_numpy(dtype=float)
    new = recent.loc[overlap].to_numpy(dtype=float)
    if not np.allclose(old, new, rtol=_SAME_PRICE_RTOL, atol=0.0, equal_nan=True):
        return None
    tail = recent[recent.index >= last]
    if tail.empty:
        return cached
    return pd.concat([cached[cached.index < last], tail])
