"""Pixel coordinates as SVG ``points`` text, written by numpy a character at a time instead of a string per number.

A tearsheet draws some fifty thousand points; formatting each with Python's
``f"{v:g}"`` was a tenth of its time. For a pixel rounded to a hundredth
and under 10,000 in size, ``:g`` (six significant digits) writes exactly its
sign, its whole pixels without leading zeros and its hundredths without
trailing zeros ("-0" for a negative zero): those characters are put in place
for all points at once. Anything else (NaN, infinities, 10,000 px and more,
where ``:g`` drops digits or turns to exponents) is written by ``:g`` itself.
"""

from __future__ import annotations

import numpy as np

__all__ = ["points_text"]

_PLACES = np.array([1000, 100, 10, 1])  # the whole pixels' digits (under 10,000)
_WIDTH = 8  # a number's characters: sign, four digits, point, two decimals
_FEW = 64  # fewer points than this: numpy's fixed cost exceeds Python's formatting


def points_text(x: np.ndarray, y: np.ndarray) -> str:
    """``" ".join(f"{a:g},{b:g}")`` of ``x`` and ``y`` rounded to 2 decimals (``np.round``), pair by pair."""
    rx, ry = np.round(np.asarray(x, dtype=float), 2), np.round(np.asarray(y, dtype=float), 2)
    if rx.shape != ry.shape or rx.ndim != 1:
        raise ValueError("points_text: x and y must be 1-d arrays of one length")
    if len(rx) < _FEW or not (np.abs(rx) < 10_000).all() or not (np.abs(ry) < 10_000).all():
        return " ".join(f"{a:g},{b:g}" for a, b in zip(rx.tolist(), ry.tolist(), strict=True))
    n = len(rx)
    chars = np.empty((n, 2 * _WIDTH + 2), dtype=np.uint8)
    keep = np.empty(chars.shape, dtype=bool)
    _put(rx, chars[:, :_WIDTH], keep[:, :_WIDTH])
    chars[:, _WIDTH], keep[:, _WIDTH] = ord(","), True
    _put(ry, chars[:, _WIDTH + 1 : -1], keep[:, _WIDTH + 1 : -1])
    chars[:, -1], keep[:, -1] = ord(" "), True
    keep[-1, -1] = False  # no space after the last pair
    return chars[keep].tobytes().decode("ascii")


def _put(rounded: np.ndarray, chars: np.ndarray, keep: np.ndarray) -> None:
    """Each number's characters into its row of ``chars``, ``keep`` marking those ``:g`` writes."""
    # hundredths as an integer: exact, the rounded value being within a rounding error of one
    hundredths = np.abs(np.rint(rounded * 100).astype(np.int64))
    whole, frac = hundredths // 100, hundredths % 100
    chars[:, 0], keep[:, 0] = ord("-"), np.signbit(rounded)  # -0.0 too: ":g" writes "-0"
    chars[:, 1:5] = whole[:, None] // _PLACES % 10 + ord("0")
    keep[:, 1:5] = whole[:, None] >= _PLACES
    keep[:, 4] = True  # the units, 0 included
    chars[:, 5], keep[:, 5] = ord("."), frac != 0
    chars[:, 6], keep[:, 6] = frac // 10 + ord("0"), frac != 0
    chars[:, 7], keep[:, 7] = frac % 10 + ord("0"), frac % 10 != 0
