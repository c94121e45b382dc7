"""The axes' scales (value -> pixel), their ticks, and how tick values are written."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "Scale",
    "date_ticks",
    "day_number",
    "decimals_label",
    "growth_ticks",
    "nice_ticks",
    "padded",
    "pct_label",
]

_EPOCH = np.datetime64("1970-01-01", "ns")
_DAY_NS = 86_400e9


@dataclass(frozen=True)
class Scale:
    """``kind`` ("linear", "time": days since 1970, "log1p": log10(1 + v)) from ``domain`` onto pixels ``pixels``.

    The plot area writes it out (:meth:`attribute`), so a drawn point can be read back.
    """

    kind: str
    domain: tuple[float, float]
    pixels: tuple[float, float]

    def _t(self, values: np.ndarray) -> np.ndarray:
        return np.log10(1.0 + values) if self.kind == "log1p" else values

    def __call__(self, values: np.ndarray | float) -> np.ndarray:
        v = self._t(np.asarray(values, dtype=float))
        d0, d1 = (float(x) for x in self._t(np.asarray(self.domain, dtype=float)))
        p0, p1 = self.pixels
        span = d1 - d0 if d1 != d0 else 1.0
        return np.asarray(p0 + (v - d0) * (p1 - p0) / span, dtype=float)

    def attribute(self) -> str:
        """``kind d0 d1 p0 p1``: what ``data-x`` / ``data-y`` of a plot area hold."""
        return f"{self.kind} {self.domain[0]!r} {self.domain[1]!r} {self.pixels[0]!r} {self.pixels[1]!r}"


def day_number(dates: pd.Index | pd.Series) -> np.ndarray:
    """Dates as days since 1970-01-01 (fractional), a time scale's values."""
    ns = pd.DatetimeIndex(dates).as_unit("ns").to_numpy()
    return np.asarray((ns - _EPOCH).astype("int64") / _DAY_NS, dtype=float)


def padded(low: float, high: float, share: float = 0.05) -> tuple[float, float]:
    """``low``-``high`` widened by ``share`` of its span each way (a flat span by one unit), as matplotlib's margins."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return (0.0, 1.0)
    if high == low:
        return (low - 1.0, high + 1.0) if low == 0 else (low - abs(low) * 0.1, high + abs(high) * 0.1)
    pad = (high - low) * share
    return (low - pad, high + pad)


def nice_ticks(low: float, high: float, target: int = 6) -> np.ndarray:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten apart) inside ``low``-``high``, about ``target`` of them."""
    if not high > low:
        return np.array([low])
    raw = (high - low) / max(target - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    ticks = np.arange(first, last + 1) * step
    return np.where(np.abs(ticks) < step * 1e-9, 0.0, ticks)


def growth_ticks(low: float, high: float) -> np.ndarray:
    """Ticks for a log-growth axis of cumulative returns ``low``-``high``: 0%, +100%, +1K%, ... and -50%, -90%, ...

    Outward from 0%, a tick closer than a ninth of the axis to the last one
    kept is left out: on a century of growth, every other power of ten or fewer.
    """
    candidates = [0.0, -0.5, -0.9, -0.99, -0.999] + [10.0**k for k in range(0, 19)]
    ticks = np.array(sorted(t for t in candidates if low <= t <= high))
    if len(ticks) < 2 or not (ticks == 0).any():  # a span inside one decade: plain round ticks on it
        return nice_ticks(low, high)
    at = np.log10(1.0 + ticks)
    gap = (np.log10(1.0 + high) - np.log10(1.0 + low)) / 9
    zero = int(np.flatnonzero(ticks == 0)[0])
    kept = [zero]
    for side in (range(zero + 1, len(ticks)), range(zero - 1, -1, -1)):
        last = at[zero]
        for i in side:
            if abs(at[i] - last) >= gap:
                kept.append(i)
                last = at[i]
    return ticks[sorted(kept)]


def date_ticks(first: pd.Timestamp, last: pd.Timestamp, most: int = 11) -> tuple[list[pd.Timestamp], list[str]]:
    """Tick dates and labels over ``first``-``last``: years (1, 2, 5, 10, 20 or 50 apart: decades on a
    century), or months on a span under three years; no more than ``most``."""
    years = (last - first).days / 365.25
    if years >= 3:
        for step in (1, 2, 5, 10, 20, 25, 50, 100):
            start = math.ceil(first.year / step) * step
            ticks = [pd.Timestamp(year=y, month=1, day=1) for y in range(start, last.year + 1, step)]
            ticks = [t for t in ticks if first <= t <= last]
            if len(ticks) <= most:
                return ticks, [str(t.year) for t in ticks]
    for months in (1, 2, 3, 6, 12):
        starts = pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS")
        ticks = [t for t in starts if (t.month - 1) % months == 0 and first <= t <= last]
        if len(ticks) <= min(most, 8):
            return ticks, [f"{t:%b %Y}" for t in ticks]
    return [first, last], [f"{first:%b %Y}", f"{last:%b %Y}"]


def pct_label(value: float) -> str:
    """A return as quantstats' axes write it: 0%, 25%, 1.5K%, 2M% (percent, thousands as K, millions as M)."""
    x = value * 100.0
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(x) >= size:
            shown = f"{x / size:.1f}"
            return (shown[:-2] if shown.endswith(".0") else shown) + f"{suffix}%"
    return f"{x:.0f}%" if abs(x - round(x)) < 1e-6 else f"{x:.1f}%"


def decimals_label(step: float, percent: bool = False) -> str:
    """A format for ticks ``step`` apart: as few decimals as tell them apart (``percent``: of value x 100)."""
    shown = abs(step) * (100.0 if percent else 1.0)
    places = 0 if shown >= 1 or shown == 0 else min(6, math.ceil(-math.log10(shown) - 1e-9))
    if shown and abs(round(shown, places) - shown) > 1e-9 * shown:
        places += 1
    return f"{{:.{places}f}}" + ("%" if percent else "")
