"""Look-ahead: does removing the data after day t change what a strategy decided up to t?

A decision on day t may use data up to t only. Strategies are vectorised, so
re-running one on its data cut after a few days is cheap, and any weight (or
signal) up to a cut that changes shows the strategy read what came after.
One check, two users: ``simulator.testing.check_no_lookahead`` (authors'
tests) and every run (``simulator.pipeline.lookahead_check.run_check``:
refuses a strategy that looks ahead unless its params declare the hindsight).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import final

import numpy as np
import pandas as pd

from .contract import StrategyInput
from .contract.checks import MARKS

__all__ = [
    "Difference",
    "Lookahead",
    "even_cuts",
    "find_lookahead",
    "first_difference",
    "head",
    "outputs",
]

WeightsOf = Callable[[StrategyInput], pd.DataFrame]


@final
@dataclass(frozen=True)
class Difference:
    """Where two outputs first differ: the day, the column and both values (or how their shapes differ)."""

    day: pd.Timestamp | None = None
    column: str = ""
    left: float = np.nan
    right: float = np.nan
    shape: str = ""  # set when the columns or dates differ; the rest is then unset

    def __str__(self) -> str:
        if self.shape or self.day is None:
            return self.shape
        return f"{self.day.date()} ({self.column}: {self.left:g} vs {self.right:g})"


@final
@dataclass(frozen=True)
class Lookahead:
    """A strategy's ``what`` ("weights", "signal" or "events") changed when its data was cut after ``cut``."""

    cut: pd.Timestamp
    what: str
    difference: Difference


def head(weights: pd.DataFrame, t: pd.Timestamp) -> pd.DataFrame:
    """Weights (and signal) up to and including ``t``."""
    # from a frame without the attrs: a slice of ``weights`` would deep-copy its marks, only to be replaced;
    # no .copy(): pandas copies a slice on write, so the caller's changes reach neither frame
    out = pd.DataFrame(weights).loc[:t]
    out.attrs = {k: v.loc[:t] if k in MARKS and isinstance(v, pd.Series) else v for k, v in weights.attrs.items()}
    return out


def outputs(a: pd.DataFrame, b: pd.DataFrame) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """The weights, then the signals and the events if either sets them, as pairs to compare."""
    pairs = [("weights", a, b)]
    for key in MARKS:
        ma, mb = a.attrs.get(key), b.attrs.get(key)
        if ma is not None or mb is not None:
            pairs.append((key, _marks_frame(key, ma), _marks_frame(key, mb)))
    return pairs


def _marks_frame(key: str, marks: pd.Series | None) -> pd.DataFrame:
    if marks is None:
        return pd.DataFrame()
    if isinstance(marks.dtype, np.dtype) and marks.dtype.kind in "biuf":
        # from the array, on a column label built once: a frame from {key: marks} costs four times as
        # much, most of it making the label's string Index (each look-ahead cut compares the marks)
        return pd.DataFrame(marks.to_numpy()[:, None], index=marks.index, columns=_MARK_COLUMNS[key])
    return pd.DataFrame({key: marks})


_MARK_COLUMNS = {key: pd.Index([key]) for key in MARKS}


def first_difference(a: pd.DataFrame, b: pd.DataFrame, exact: bool = False) -> Difference | None:
    """Where ``a`` and ``b`` first differ (to 1e-9 relative unless ``exact``), or None if they agree."""
    if list(a.columns) != list(b.columns) or not a.index.equals(b.index):
        return Difference(
            shape=f"the columns or dates ({list(a.columns)} on {len(a)} days vs {list(b.columns)} on {len(b)} days)"
        )
    x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
    both_nan = np.isnan(x) & np.isnan(y)
    same = (x == y) | both_nan
    if same.all():  # the usual case, and equal values are close: isclose, the costly part, only when not
        return None
    if not exact:
        same = np.isclose(x, y, rtol=1e-9, atol=1e-12) | both_nan
        if same.all():
            return None
    row, col = np.argwhere(~same)[0]
    return Difference(a.index[row], str(a.columns[col]), float(x[row, col]), float(y[row, col]))


def find_lookahead(
    weights_of: WeightsOf, data: StrategyInput, full: pd.DataFrame, cuts: Iterable[pd.Timestamp]
) -> Lookahead | None:
    """The first cut at which ``weights_of(data cut after it)`` differs from ``full`` up to it, or None.

    ``full``: ``weights_of(data)``. ``weights_of`` raises what it likes on a
    bad output; the caller decides how a failure on cut data is reported.
    """
    for t in cuts:
        part = weights_of(data.truncate(t))
        for what, a, b in outputs(head(full, t), part):
            if diff := first_difference(a, b):
                return Lookahead(t, what, diff)
    return None


def even_cuts(days: pd.DatetimeIndex, n: int) -> list[pd.Timestamp]:
    """``n`` days spread evenly inside ``days`` (at 1/(n+1), 2/(n+1), ... of the way), none the last."""
    if n <= 0 or len(days) < 2:
        return []
    positions = sorted({min(len(days) - 2, (k * len(days)) // (n + 1)) for k in range(1, n + 1)})
    return [days[p] for p in positions]
