"""The weights contract, one clause each, and ``check_weights``, which holds a strategy's output to all of them.

Each clause returns what is wrong, phrased to follow "strategy 'x' ", or ""
when it holds; ``check_weights`` (every run) and ``simulator.testing``
(authors' tests) share them.
"""

from __future__ import annotations

import copy
from typing import cast

import numpy as np
import pandas as pd

from ._errors import StrategyError


def check_weights(out: object, index: pd.Index, name: str, allowed: set[str] | None = None) -> pd.DataFrame:
    """Return ``out`` as float weights or raise ``StrategyError`` saying what is wrong."""
    if problem := shape_problem(out, index, allowed):
        raise StrategyError(f"strategy '{name}' {problem}")
    frame = cast(pd.DataFrame, out)  # shape_problem passed: a frame
    # the values once for both value clauses: every strategy call (each look-ahead cut, each sweep variant)
    # pays this check, and each pandas pass over the frame costs more than the numpy work on its values
    values = frame.to_numpy(dtype=float)
    if problem := _nan_in(frame, values) or _out_of_bounds(frame, values) or signal_problem(frame, index):
        raise StrategyError(f"strategy '{name}' {problem}")
    # from the float values already read (the constructor copies an array): a frame that owns its data, for
    # less than a pandas astype costs, and without the attrs, which astype would deep-copy (pandas copies
    # attrs into each result), the marks among them only to be replaced: they are copied once here
    weights = pd.DataFrame(values, index=frame.index, columns=frame.columns)
    for key, value in frame.attrs.items():
        if key in MARKS and value is not None:
            weights.attrs[key] = _marks(value)
        else:
            weights.attrs[key] = copy.deepcopy(value)
    return weights


def _marks(value: pd.Series) -> pd.Series:
    """A mark as a new boolean Series: NaN is False."""
    if isinstance(value.dtype, np.dtype) and value.dtype.kind == "b":
        # a numpy bool Series has no NaN to fill: a new Series on the same data (copied on write) is the
        # cheapest (the fill alone costs a sweep a tenth of a millisecond a variant, astype half that)
        return value.copy(deep=False)
    if isinstance(value.dtype, np.dtype) and value.dtype.kind == "f":
        # NaN is False, any other number is its truth (pandas 4 will refuse a bool fill on floats)
        arr = value.to_numpy()
        return pd.Series((arr != 0) & ~np.isnan(arr), index=value.index, name=value.name)
    return value.fillna(False).astype(bool)  # object or nullable marks (a numpy bool dtype returned above)


def shape_problem(out: object, index: pd.Index, allowed: set[str] | None = None) -> str:
    """A DataFrame on ``index`` (same dates, same order), numeric columns among ``allowed``."""
    if not isinstance(out, pd.DataFrame):
        return f"returned {type(out).__name__}, expected a DataFrame"
    if not out.index.equals(index):
        return (
            f"returned weights on {len(out.index)} dates; "
            f"expected the {len(index)} dates of its input, in order{_index_difference(out.index, index)}"
        )
    if out.columns.has_duplicates:
        return f"returned two columns for {sorted(set(out.columns[out.columns.duplicated()]))}"
    if allowed is not None and (extra := set(map(str, out.columns)) - allowed):
        return f"returned weights for {sorted(extra)}, which are not among its roles {sorted(allowed)}"
    # by dtype, not column by column: a sweep checks every variant's weights, and out[c] costs a Series each;
    # float64, the usual dtype, before the slower general test
    kinds = out.dtypes
    if all(kind == np.float64 or pd.api.types.is_numeric_dtype(kind) for kind in kinds.tolist()):
        return ""
    text = [str(c) for c, kind in kinds.items() if not pd.api.types.is_numeric_dtype(kind)]
    return f"returned non-numeric weights for {text}"


def _index_difference(got: pd.Index, want: pd.Index) -> str:
    """Where ``got`` first parts from ``want``, in words: equal counts alone do not say what is wrong."""
    n = min(len(got), len(want))
    # element by element: a number or a string among dates compares unequal rather than raising
    differ = next((i for i, (a, b) in enumerate(zip(got[:n], want[:n])) if not _same(a, b)), None)
    if differ is not None:
        return f" (row {differ + 1} is {_day(got[differ])} where the input has {_day(want[differ])})"
    if len(got) < len(want):
        return f" (they stop at {_day(want[n - 1])}; the input goes on to {_day(want[-1])})" if n else " (none)"
    return f" (they go on after the input's last date, {_day(want[-1])}, with {_day(got[n])})" if n else ""


def _same(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _day(value: object) -> str:
    if isinstance(value, pd.Timestamp) and value.tz is None and value == value.normalize():
        return str(value.date())
    return repr(value)  # a time of day or a time zone shown, being the difference


def nan_problem(out: pd.DataFrame) -> str:
    """No NaN and no infinity. Requires: ``shape_problem(out)`` is empty."""
    return _nan_in(out, out.to_numpy(dtype=float))


def _nan_in(out: pd.DataFrame, values: np.ndarray) -> str:
    if (bad := ~np.isfinite(values)).any():
        row, col = np.argwhere(bad)[0]
        what = "NaN" if np.isnan(values[row, col]) else "infinite"
        return f"returned {what} weights (first on {out.index[row].date()}, {out.columns[col]}: {values[row, col]})"
    return ""


def bounds_problem(out: pd.DataFrame) -> str:
    """Every weight >= 0; every row sums to at most 1. Requires: ``shape_problem(out)`` is empty."""
    return _out_of_bounds(out, out.to_numpy(dtype=float))


def _out_of_bounds(out: pd.DataFrame, values: np.ndarray) -> str:
    if (values < -1e-12).any():
        row, col = np.argwhere(values < -1e-12)[0]
        return f"returned a negative weight on {out.index[row].date()} ({out.columns[col]}: {values[row, col]})"
    sums = values.sum(axis=1)
    if (sums > 1 + 1e-9).any():
        at = int(np.argmax(sums > 1 + 1e-9))
        return f"weights sum to {sums[at]:.6f} > 1 on {out.index[at].date()}"
    return ""


# The boolean day marks a strategy may attach to its weights: ``signal`` (the days its signal is on:
# reports shade them) and ``events`` (its trigger days: the thrust, the spread day, the first cut;
# ``rotsim study`` measures what followed them). Both are outputs like the weights: checked the
# same way, and held to the same no-look-ahead rule.
MARKS = ("signal", "events")


def signal_problem(out: pd.DataFrame, index: pd.Index) -> str:
    """``attrs['signal']`` and ``attrs['events']``, each if set, are Series on ``index``."""
    for key in MARKS:
        marks = out.attrs.get(key)
        if marks is not None and (not isinstance(marks, pd.Series) or not marks.index.equals(index)):
            return f"set weights.attrs['{key}'] to something other than a Series on the weights' dates"
    return ""


__all__ = ["MARKS", "bounds_problem", "check_weights", "nan_problem", "shape_problem", "signal_problem"]
