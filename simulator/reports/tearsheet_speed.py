"""Faster equivalents of quantstats' (0.0.86) slowest steps, applied while :mod:`.tearsheet` writes one.

Each replacement computes what quantstats computes, to the last bit (the
tests compare them with quantstats' own on many series), without its
per-date or per-period Python work; anything outside the case a replacement
is written for goes to quantstats' own function.

- ``_prepare_benchmark`` tests "same dates?" by building a Python set of
  every date, a dozen times a page: an index comparison answers the same.
- ``group_returns`` and ``safe_resample`` compound each month or year by a
  Python call per group: a grouped product is the same product. Every
  resample of the same dates by the same period finds those periods once
  (:mod:`.resample_bins`).
- ``drawdown_details`` slices, copies and takes a quantile of every drawdown
  as a pandas Series (hundreds a page): numpy does the same for all at once.
- ``_prepare_returns`` looks its result up in a cache keyed by a hash of its
  whole input (and of the risk-free series), some forty times a metrics
  table: hashing costs more than computing it again, the same result.
- ``metrics`` prepares the returns again for each of some sixty rows:
  :mod:`.tearsheet_metrics` computes the table once from shared
  intermediates, with Python strings (``future.infer_string`` off while it
  runs) as quantstats' own under that option, the same table to the byte once
  written as HTML.

:func:`faster_quantstats` goes in before rotsim's own changes
(:func:`.tearsheet_fixes.patched_quantstats`): they wrap what it puts in.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from . import resample_bins as periods
from ._swap import swapped

__all__ = [
    "drawdown_details",
    "faster_quantstats",
    "group_returns",
    "no_cache_key",
    "prepare_benchmark",
    "python_strings",
    "resample",
]

_STRINGS = "future.infer_string"  # pandas' option: string data as its Arrow-backed str dtype
_DD_COLUMNS = ("start", "valley", "end", "days", "max drawdown", "99% max drawdown")


@contextmanager
def faster_quantstats() -> Iterator[None]:
    """Within: quantstats' slow steps replaced by :mod:`.tearsheet_speed`'s equivalents, in this process."""
    from quantstats import _compat, reports, stats, utils

    from .tearsheet_metrics import metrics_table  # it computes drawdown details with this module's

    fast_resample = resample(_compat.safe_resample, stats.comp)
    patches: dict[tuple[Any, str], Any] = {
        (utils, "_prepare_benchmark"): prepare_benchmark(utils._prepare_benchmark),
        (utils, "group_returns"): group_returns(utils.group_returns),
        (stats, "drawdown_details"): drawdown_details(stats.drawdown_details),
        (_compat, "safe_resample"): fast_resample,  # rotsim's charts call it there
        (stats, "safe_resample"): fast_resample,
        (utils, "_generate_cache_key"): no_cache_key,
        (reports, "metrics"): python_strings(metrics_table(reports.metrics)),
    }
    with swapped(patches):
        yield


def prepare_benchmark(original: Callable[..., Any]) -> Callable[..., Any]:
    """quantstats' ``_prepare_benchmark``, without its set of every date when the benchmark is on ``period``."""

    def prepare(benchmark: Any = None, period: Any = "max", rf: Any = 0.0, prepare_returns: bool = True) -> Any:
        if isinstance(benchmark, pd.Series) and isinstance(period, pd.DatetimeIndex) and benchmark.index.equals(period):
            period = "max"  # equal indexes have equal sets of dates: quantstats would not realign either
        return original(benchmark, period, rf, prepare_returns)

    return prepare


def group_returns(original: Callable[..., Any]) -> Callable[..., Any]:
    """quantstats' ``group_returns``: compounded, ``groupby().prod()`` instead of one Python call per group."""

    def grouped(returns: Any, groupby: Any, compounded: bool = False) -> Any:
        if compounded and isinstance(returns, pd.Series | pd.DataFrame):
            # quantstats' comp: (1 + r).prod() - 1, NaN skipped; a grouped product multiplies in the same order
            return returns.add(1).groupby(groupby).prod() - 1
        return original(returns, groupby, compounded)

    return grouped


def resample(original: Callable[..., Any], comp: Callable[..., Any]) -> Callable[..., Any]:
    """quantstats' ``safe_resample``: compounding (``comp``) by a resampled product, not a call per period.

    It, "sum" and "last" group by periods found once per dates (:mod:`.resample_bins`).
    """

    def resampled(data: Any, freq: str, func_name: Any = None, **kwargs: Any) -> Any:
        if not kwargs and isinstance(data, pd.Series | pd.DataFrame):
            from quantstats._compat import get_frequency_alias, normalize_timezone

            if func_name is comp:
                return normalize_timezone(periods.resampled(data.add(1), get_frequency_alias(freq), "prod") - 1)
            if isinstance(func_name, str) and func_name in ("sum", "last"):
                return normalize_timezone(periods.resampled(data, get_frequency_alias(freq), func_name))
        return original(data, freq, func_name, **kwargs)

    return resampled


def no_cache_key(*args: Any, **kwargs: Any) -> None:
    """quantstats' ``_generate_cache_key`` for "do not cache": ``_prepare_returns`` computes its result again."""
    return None


def python_strings(original: Callable[..., Any]) -> Callable[..., Any]:
    """``original`` (quantstats' ``metrics``) run with pandas' string inference off: Python strings, not Arrow's.

    ``original`` itself where pandas has no such option (pandas 4 drops it).
    """
    with _quiet_option():
        try:
            pd.get_option(_STRINGS)
        except (KeyError, AttributeError):  # pandas' OptionError is both
            return original

    def run(*args: Any, **kwargs: Any) -> Any:
        with _quiet_option(), pd.option_context(_STRINGS, False):
            return original(*args, **kwargs)

    return run


@contextmanager
def _quiet_option() -> Iterator[None]:
    """Within: no warning that the option is deprecated (it is: pandas 4 drops it)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=f".*{_STRINGS}")
        yield


def drawdown_details(original: Callable[..., Any]) -> Callable[..., Any]:
    """quantstats' ``drawdown_details``, each drawdown's figures from numpy slices.

    Only for a drawdown series (or frame of them) on unique, increasing dates
    without NaN: there, quantstats' slices by date are slices by position.
    """

    def details(drawdown: Any) -> Any:
        frame = drawdown.to_frame() if isinstance(drawdown, pd.Series) else drawdown
        if not (
            isinstance(frame, pd.DataFrame)
            and isinstance(frame.index, pd.DatetimeIndex)
            and frame.index.is_monotonic_increasing
            and frame.index.is_unique
            and len(frame) > 0
            and all(pd.api.types.is_float_dtype(t) for t in frame.dtypes)
            and not frame.isna().to_numpy().any()
        ):
            return original(drawdown)
        if isinstance(drawdown, pd.Series):
            return _details(drawdown)
        from quantstats._compat import safe_concat

        by_column = {col: _details(drawdown[col]) for col in drawdown.columns}
        return safe_concat(by_column, axis=1)  # type: ignore[arg-type]  # a dict, as quantstats passes it

    return details


def _details(drawdown: pd.Series) -> pd.DataFrame:
    """One drawdown series' table, as quantstats' inner ``_drawdown_details`` builds it, every drawdown at once."""
    dd = drawdown.to_numpy(dtype=float)
    dates = pd.DatetimeIndex(drawdown.index)
    no_dd = dd == 0
    # a drawdown starts where the day before had none (not on the first day), ends the day before one without
    starts = np.flatnonzero(~no_dd[1:] & no_dd[:-1]) + 1
    ends = np.flatnonzero(no_dd[1:] & ~no_dd[:-1])
    if not len(starts):
        return pd.DataFrame(index=[], columns=_DD_COLUMNS)
    if len(ends) and starts[0] > ends[0]:
        starts = np.r_[0, starts]
    if not len(ends) or starts[-1] > ends[-1]:
        ends = np.r_[ends, len(dd) - 1]
    ends = ends[: len(starts)]  # as quantstats pairs them (an IndexError if fewer ends)
    if len(ends) < len(starts):
        raise IndexError("a drawdown without an end")
    lengths = ends - starts + 1
    first = np.r_[0, np.cumsum(lengths)[:-1]]  # where each drawdown begins in the days of all of them
    which = np.repeat(np.arange(len(starts)), lengths)
    days = np.arange(lengths.sum()) - np.repeat(first, lengths) + np.repeat(starts, lengths)
    period = dd[days]
    lowest = np.minimum.reduceat(period, first)
    # the valley: the first day at the lowest
    at_low = np.flatnonzero(period == np.repeat(lowest, lengths))
    _, first_low = np.unique(which[at_low], return_index=True)
    valleys = days[at_low[first_low]]
    # each drawdown's 99th percentile of -drawdown, as np.percentile(..., 99) (linear) takes it from its sorted days
    flipped = -period
    ranked = flipped[np.lexsort((flipped, which))]
    virtual = (lengths - 1) * 0.99
    below = np.floor(virtual).astype(np.intp)
    above = below + 1
    top = virtual >= lengths - 1
    below[top] = above[top] = lengths[top] - 1
    gamma = virtual - np.where(top, -1, below)
    a, b = ranked[first + below], ranked[first + above]
    q = np.where(gamma >= 0.5, b - (b - a) * (1 - gamma), a + (b - a) * gamma)
    kept = np.add.reduceat((ranked < np.repeat(q, lengths)).astype(np.intp), first)
    clean_min = np.where(kept > 0, -ranked[first + np.maximum(kept, 1) - 1], np.nan)
    df = pd.DataFrame(
        {
            "start": dates[starts].strftime("%Y-%m-%d"),
            "valley": dates[valleys].strftime("%Y-%m-%d"),
            "end": dates[ends].strftime("%Y-%m-%d"),
            "days": np.asarray((dates[ends] - dates[starts]).days, dtype=np.int64) + 1,
            "max drawdown": lowest * 100,
            "99% max drawdown": clean_min * 100,
        }
    )
    return df[list(_DD_COLUMNS)]
