"""Walk-forward: choose the best variant on a training window, hold it over the next, stitch what it earned.

Each test window is ``test_days`` long (the last may be shorter) and starts
where its training window ends, ``train_days`` after the first day (or from
the first day, ``expanding``); the variant best by the metric over the
training days alone is held over the test days. The stitched out-of-sample
returns are what a user re-choosing every window would have had, and are
compared with the default variant and the benchmark over the same days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, final

import numpy as np
import pandas as pd

from ...units import TRADING_DAYS
from ._measure import measure

__all__ = ["WalkForward", "Window", "train_values", "walk_forward", "walk_forward_chosen", "window_bounds"]


@final
@dataclass(frozen=True)
class Window:
    train_start: pd.Timestamp
    train_end: pd.Timestamp  # last training day
    test_start: pd.Timestamp
    test_end: pd.Timestamp  # last test day
    chosen: str  # the variant best over the training days
    train_value: float  # its metric over the training days
    test_value: float  # and over the test days

    def to_dict(self) -> dict[str, Any]:
        return {
            "train": [f"{self.train_start:%Y-%m-%d}", f"{self.train_end:%Y-%m-%d}"],
            "test": [f"{self.test_start:%Y-%m-%d}", f"{self.test_end:%Y-%m-%d}"],
            "chosen": self.chosen,
            "train_value": self.train_value,
            "test_value": self.test_value,
        }


@final
@dataclass(frozen=True, eq=False)
class WalkForward:
    metric: str
    train_days: int
    test_days: int
    expanding: bool
    default: str
    benchmark: str
    windows: tuple[Window, ...]
    returns: pd.Series = field(repr=False)  # the stitched out-of-sample daily returns
    default_returns: pd.Series = field(repr=False)  # the default variant's, same days
    benchmark_returns: pd.Series = field(repr=False)  # the benchmark's, same days
    value: float  # the metric of the stitched returns
    default_value: float
    benchmark_value: float

    @property
    def switches(self) -> int:
        """How many times the choice changed from one window to the next."""
        return sum(a.chosen != b.chosen for a, b in zip(self.windows, self.windows[1:]))

    def sentence(self) -> str:
        name = {"sharpe": "Sharpe ratio", "sortino": "Sortino ratio", "cagr": "CAGR"}.get(self.metric, self.metric)
        train = f"{'an expanding window of at least' if self.expanding else 'each rolling window of'} {self.train_days:,} days"
        if not self.windows:
            return (
                f"Walk-forward needs more than {self.train_days:,} days (a training window{_years(self.train_days)}) "
                "before its first test day; there are not enough here."
            )

        def fmt(v: float) -> str:
            return f"{v:.1%}" if self.metric == "cagr" else f"{v:.2f}"

        start, end = self.windows[0].test_start, self.windows[-1].test_end
        ahead = self.value > self.default_value
        return (
            f"Choosing the best variant by {name} on {train}{_years(self.train_days)} and holding "
            f"it over the next {self.test_days:,} days, {_times(len(self.windows))} from {start:%Y-%m-%d} to "
            f"{end:%Y-%m-%d}, gave a {name} of {fmt(self.value)} out of sample, against {fmt(self.default_value)} "
            f"for the default variant ({self.default}) and {fmt(self.benchmark_value)} for {self.benchmark} over "
            f"the same days; {'the choice never changed' if not self.switches else 'the choice changed ' + _times(self.switches)}. "
            + (
                "Re-choosing by past results beat keeping the default."
                if ahead
                else "Re-choosing by past results did not beat keeping the default."
            )
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "train_days": self.train_days,
            "test_days": self.test_days,
            "expanding": self.expanding,
            "default": self.default,
            "benchmark": self.benchmark,
            "value": self.value,
            "default_value": self.default_value,
            "benchmark_value": self.benchmark_value,
            "switches": self.switches,
            "windows": [w.to_dict() for w in self.windows],
        }


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n:,} times")


def _years(days: int) -> str:
    return f" ({days / TRADING_DAYS:.1f} years)" if days >= TRADING_DAYS / 2 else ""


def walk_forward(
    returns: pd.DataFrame,
    benchmark: pd.Series,
    rf: np.ndarray,
    *,
    default: str,
    metric: str,
    train_days: int,
    test_days: int,
    expanding: bool,
) -> WalkForward:
    """Walk ``returns`` (dates x variants) forward; ``rf`` the daily risk-free return on the same dates.

    Requires ``train_days`` and ``test_days`` of at least 2. With
    ``train_days`` or fewer days, no window: empty returns and NaN figures.
    """
    r = returns.to_numpy(dtype=float)
    bounds = window_bounds(len(r), train_days, test_days, expanding)
    return walk_forward_chosen(
        train_values(metric, r, rf, bounds),
        [str(c) for c in returns.columns],
        returns,
        benchmark,
        rf,
        default=default,
        metric=metric,
        train_days=train_days,
        test_days=test_days,
        expanding=expanding,
    )


def window_bounds(days: int, train_days: int, test_days: int, expanding: bool) -> list[tuple[int, int, int]]:
    """Each window's first training day, first test day and end (exclusive), as row numbers."""
    if train_days < 2 or test_days < 1:
        raise ValueError(f"walk-forward needs train_days >= 2 and test_days >= 1, got {train_days} and {test_days}")
    return [
        (0 if expanding else start - train_days, start, min(start + test_days, days))
        for start in range(train_days, days, test_days)
    ]


def train_values(metric: str, returns: np.ndarray, rf: np.ndarray, bounds: list[tuple[int, int, int]]) -> np.ndarray:
    """The metric of each column of ``returns`` over each window's training days (windows x columns).

    A column's figures are its own: chunks of variants can be measured apart and put side by side.
    """
    out = np.empty((len(bounds), returns.shape[1]))
    for w, (lo, start, _) in enumerate(bounds):
        out[w] = measure(metric, returns[lo:start], rf[lo:start])
    return out


def walk_forward_chosen(
    trained: np.ndarray,
    ids: list[str],
    held_returns: pd.DataFrame,
    benchmark: pd.Series,
    rf: np.ndarray,
    *,
    default: str,
    metric: str,
    train_days: int,
    test_days: int,
    expanding: bool,
) -> WalkForward:
    """Walk-forward from ``train_values`` of every variant (``ids``, their order) and the returns of a few.

    ``held_returns`` (dates x ids) needs the default's column and those of the
    variants chosen (the best of each row of ``trained``), and may hold more.
    """
    dates = held_returns.index
    days = len(dates)
    column = {str(c): c for c in held_returns.columns}
    bounds = window_bounds(days, train_days, test_days, expanding)
    windows, pieces = [], []
    for w, (lo, start, end) in enumerate(bounds):
        train = trained[w]
        k = int(np.argmax(np.where(np.isnan(train), -np.inf, train)))  # the first of equals
        piece = held_returns[column[ids[k]]].to_numpy(dtype=float)[start:end]
        test = float(measure(metric, piece, rf[start:end])) if end - start > 1 else math.nan
        windows.append(Window(dates[lo], dates[start - 1], dates[start], dates[end - 1], ids[k], float(train[k]), test))
        pieces.append(piece)
    held = dates[train_days:] if windows else dates[:0]
    stitched = pd.Series(np.concatenate(pieces) if pieces else np.empty(0), index=held, name="walk-forward")
    rf_held = rf[train_days:] if windows else rf[:0]
    default_r = held_returns[column[str(default)]].loc[held]
    bench_r = benchmark.loc[held]

    def value(x: pd.Series) -> float:
        return float(measure(metric, x.to_numpy(dtype=float), rf_held)) if len(x) > 1 else math.nan

    return WalkForward(
        metric=metric,
        train_days=train_days,
        test_days=test_days,
        expanding=expanding,
        default=default,
        benchmark=str(benchmark.name),
        windows=tuple(windows),
        returns=stitched,
        default_returns=default_r,
        benchmark_returns=bench_r,
        value=value(stitched),
        default_value=value(default_r),
        benchmark_value=value(bench_r),
    )
