"""A sweep's grid: ranges in exact decimal steps, and the product of the swept values.

``0.030`` to ``0.040`` step ``0.001`` is eleven values, each the float nearest
its decimal (0.031 is ``float("0.031")``), not ``0.030 + k * 0.001`` with its
drift: each bound and step is read as the decimal its shortest repr spells,
the values are made in decimals and turned into floats one by one.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["product_count", "range_count", "range_values", "variants"]


def _dec(x: int | float) -> Decimal:
    return Decimal(x) if isinstance(x, int) else Decimal(repr(float(x)))


def range_count(start: int | float, stop: int | float, step: int | float) -> int:
    """How many values ``range_values`` gives: 0 when the range is empty (``stop < start`` or ``step <= 0``)."""
    lo, hi, by = _dec(start), _dec(stop), _dec(step)
    if by <= 0 or hi < lo:
        return 0
    return int((hi - lo) // by) + 1


def range_values(start: int | float, stop: int | float, step: int | float) -> list[int | float]:
    """``start``, ``start + step``, ... up to ``stop`` included: ints when all three are ints, else floats."""
    lo, by = _dec(start), _dec(step)
    n = range_count(start, stop, step)
    whole = all(isinstance(x, int) for x in (start, stop, step))
    return [int(lo + k * by) if whole else float(lo + k * by) for k in range(n)]


def product_count(counts: Sequence[int]) -> int:
    """The number of variants of a grid with ``counts`` values per parameter."""
    return math.prod(counts)


def variants(base: Mapping[str, Any], swept: Mapping[str, Sequence[Any]]) -> Iterator[dict[str, Any]]:
    """Every combination of ``swept``'s values over ``base`` (the first parameter varies slowest)."""
    names = list(swept)
    for values in itertools.product(*(swept[n] for n in names)):
        yield {**base, **dict(zip(names, values))}
