"""Faster equivalents of quantstats' (0.0.86) slowest steps, applied while :mod:`.tearsheet` writes one.

Each replacement computes what quantstats computes, to the last bit (the
tests compare them with quantstats' own on many series), without its
per-date or per-period Python work; anything outside the case a replacement
is written for goes to quantstats' own function.

- ``_prepare_benchmark`` tests "same dates?" by building a Python set of
  every date, a dozen times a page: an index comparison answers the same.
- ``group_returns`` and ``safe_resample`` compound each month or year by a
  Python call per group: a grouped product is the same product.
- ``drawdown_details`` slices, copies and takes a quantile of every drawdown
  as a pandas Series (hundreds a page): numpy on positions does the same.
- pyplot's ``savefig`` draws each figure three times: a dry run for the
  layout engine (which ``tight_layout`` leaves as a placeholder that does
  nothing), the SVG, then the Agg canvas again (for a GUI window; none here).
  Once is the SVG.
- matplotlib measures each text once per renderer, and each figure has its
  own: the sizes are kept for the process instead (they depend on the kind
  of renderer, its resolution, the text and its font).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from ._swap import swapped

__all__ = ["drawdown_details", "faster_quantstats", "group_returns", "prepare_benchmark", "resample", "text_metrics"]

_TEXT_SIZES: dict[tuple[Any, ...], Any] = {}  # text_metrics' cache
_DD_COLUMNS = ("start", "valley", "end", "days", "max drawdown", "99% max drawdown")


@contextmanager
def faster_quantstats() -> Iterator[None]:
    """Within: quantstats' slow steps replaced by :mod:`.tearsheet_speed`'s equivalents, in this process."""
    import matplotlib.pyplot as plt
    import matplotlib.text as mtext
    from quantstats import _compat, stats, utils
    from quantstats._plotting import core, wrappers

    fast_resample = resample(_compat.safe_resample, stats.comp)
    patches: dict[tuple[Any, str], Any] = {
        (utils, "_prepare_benchmark"): prepare_benchmark(utils._prepare_benchmark),
        (utils, "group_returns"): group_returns(utils.group_returns),
        (stats, "drawdown_details"): drawdown_details(stats.drawdown_details),
        (_compat, "safe_resample"): fast_resample,
        (stats, "safe_resample"): fast_resample,
        (core, "safe_resample"): fast_resample,
        (wrappers, "safe_resample"): fast_resample,
        (plt, "savefig"): _savefig,
        (mtext, "_get_text_metrics_with_cache"): text_metrics(mtext._get_text_metrics_with_cache),  # type: ignore[attr-defined]  # private, in 3.11
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
    """quantstats' ``safe_resample``: compounding (``comp``) by a resampled product, not a call per period."""

    def resampled(data: Any, freq: str, func_name: Any = None, **kwargs: Any) -> Any:
        if func_name is comp and not kwargs and isinstance(data, pd.Series | pd.DataFrame):
            from quantstats._compat import get_frequency_alias, normalize_timezone

            return normalize_timezone(data.add(1).resample(get_frequency_alias(freq)).prod() - 1)
        return original(data, freq, func_name, **kwargs)

    return resampled


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
    """One drawdown series' table, as quantstats' inner ``_drawdown_details`` builds it."""
    dd = drawdown.to_numpy(dtype=float)
    dates = drawdown.index
    no_dd = dd == 0
    # a drawdown starts where the day before had none (not on the first day), ends the day before one without
    starts = [int(i) + 1 for i in np.flatnonzero(~no_dd[1:] & no_dd[:-1])]
    ends = [int(i) for i in np.flatnonzero(no_dd[1:] & ~no_dd[:-1])]
    if not starts:
        return pd.DataFrame(index=[], columns=_DD_COLUMNS)
    if ends and starts[0] > ends[0]:
        starts.insert(0, 0)
    if not ends or starts[-1] > ends[-1]:
        ends.append(len(dd) - 1)
    rows = []
    for i, s in enumerate(starts):
        e = ends[i]  # as quantstats pairs them (an IndexError if fewer ends)
        period = dd[s : e + 1]
        flipped = -period
        q = np.percentile(flipped, 0.99 * 100.0)  # as pandas' Series.quantile(0.99)
        kept = flipped[flipped < q]
        clean_min = (-kept).min() if len(kept) else np.nan
        rows.append(
            (
                dates[s],
                dates[s + int(np.argmin(period))],
                dates[e],
                (dates[e] - dates[s]).days + 1,
                period.min() * 100,
                clean_min * 100,
            )
        )
    df = pd.DataFrame(data=rows, columns=_DD_COLUMNS)
    df["days"] = df["days"].astype(int)
    df["max drawdown"] = df["max drawdown"].astype(float)
    df["99% max drawdown"] = df["99% max drawdown"].astype(float)
    for col in ("start", "end", "valley"):
        df[col] = df[col].dt.strftime("%Y-%m-%d")
    return df[list(_DD_COLUMNS)]


def text_metrics(original: Callable[..., Any]) -> Callable[..., Any]:
    """matplotlib's text size cache, kept across figures: it keeps one per renderer, and each figure has its own.

    The size of a text depends on the kind of renderer, its resolution, the
    text and its font, none of which is the renderer itself. Kept for the
    process (a worker writes several pages with the same labels).
    """
    cache = _TEXT_SIZES

    def metrics(renderer: Any, text: str, fontprop: Any, ismath: Any, dpi: float) -> Any:
        key = (type(renderer), getattr(renderer, "dpi", None), text, hash(fontprop), ismath, dpi)
        if (found := cache.get(key)) is None or found[0] != fontprop:
            found = cache[key] = (fontprop.copy(), original(renderer, text, fontprop, ismath, dpi))
        return found[1]

    return metrics


def _savefig(*args: Any, **kwargs: Any) -> Any:
    """pyplot's ``savefig``, drawing the figure once: into the file."""
    import matplotlib.pyplot as plt
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    fig = plt.gcf()
    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        # what tight_layout leaves behind: it lays nothing out, but makes savefig draw the figure once more first
        fig.set_layout_engine(None)
    return fig.savefig(*args, **kwargs)
