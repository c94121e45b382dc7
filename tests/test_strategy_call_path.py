"""What a strategy call's own machinery must keep: check_weights' output, truncate's rows, head and the comparison.

Each expectation is built here by the plain pandas route (``.loc`` slices, ``astype``, ``fillna``), so a
faster implementation must agree with it; the output must never share mutable state with the plugin's frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.contract import StrategyInput, check_weights
from simulator.lookahead import first_difference, head, outputs

DAYS = pd.bdate_range("2020-01-01", periods=40)


def _frame(values: dict[str, object], index: pd.Index = DAYS) -> pd.DataFrame:
    return pd.DataFrame(values, index=index)


def test_weights_of_any_numeric_dtype_come_back_as_float64_with_the_same_values() -> None:
    out = _frame({
        "a": np.zeros(40, dtype=np.int64),
        "b": np.full(40, 0.25, dtype=np.float32),
        "c": np.ones(40, dtype=bool) * False,
    })  # fmt: skip
    got = check_weights(out, DAYS, "x")
    assert got.dtypes.tolist() == [np.dtype(np.float64)] * 3
    assert np.array_equal(got.to_numpy(), np.column_stack([np.zeros(40), np.full(40, 0.25), np.zeros(40)]))


def test_checked_weights_share_no_mutable_state_with_the_plugins_frame() -> None:
    out = _frame({"a": np.full(40, 0.5), "b": np.full(40, 0.25)})
    out.attrs = {"signal": pd.Series(np.arange(40) % 3 == 0, index=DAYS), "note": {"k": [1]}}
    got = check_weights(out, DAYS, "x")
    assert got is not out and got.attrs["signal"] is not out.attrs["signal"]
    got.iloc[0, 0] = 0.9
    got.attrs["signal"].iloc[0] = False
    got.attrs["note"]["k"].append(2)
    assert out.iloc[0, 0] == 0.5 and bool(out.attrs["signal"].iloc[0]) and out.attrs["note"] == {"k": [1]}
    out.iloc[1, 1] = 0.1
    assert got.iloc[1, 1] == 0.25


@pytest.mark.parametrize(
    "marks",
    [
        pd.Series(np.arange(40) % 4 == 0, index=DAYS),
        pd.Series(np.where(np.arange(40) % 4 == 0, 1.0, np.nan), index=DAYS),
        pd.Series(np.where(np.arange(40) % 4 == 0, 1.0, 0.0), index=DAYS),
        pd.Series([True if i % 4 == 0 else None for i in range(40)], index=DAYS, dtype=object),
        pd.Series([True if i % 4 == 0 else None for i in range(40)], index=DAYS, dtype="boolean"),
    ],
    ids=["bool", "float-nan", "float", "object-none", "nullable-boolean"],
)
def test_marks_come_back_boolean_with_nan_false(marks: pd.Series) -> None:
    out = _frame({"a": np.full(40, 0.5)})
    out.attrs["events"] = marks
    got = check_weights(out, DAYS, "x").attrs["events"]
    assert got.dtype == np.dtype(bool)
    assert got.tolist() == [i % 4 == 0 for i in range(40)] and got.index.equals(DAYS)


def _input(index: pd.Index) -> StrategyInput:
    n = len(index)
    prices = pd.DataFrame({"r": np.arange(n, dtype=float)}, index=index)
    macro = pd.DataFrame({"m": np.arange(n, dtype=float) * 2}, index=index)
    return StrategyInput(prices, macro, pd.DataFrame({"m": index}, index=index))


INDEXES = {
    "sorted": DAYS,
    "repeated-day": pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-02", "2020-01-03", "2020-02-03"]),
    "tz-aware": pd.bdate_range("2020-01-01", periods=40, tz="UTC"),
}
ENDS = {
    "sorted": [DAYS[0], DAYS[17], DAYS[-1], pd.Timestamp("2019-06-01"), pd.Timestamp("2020-01-04 15:00"), "2020-01"],
    "repeated-day": [pd.Timestamp("2020-01-02"), pd.Timestamp("2020-01-20"), "2020-01"],
    "tz-aware": [pd.Timestamp("2020-01-10", tz="UTC"), "2020-01"],
}


@pytest.mark.parametrize(("which", "end"), [(k, e) for k, ends in ENDS.items() for e in ends])
def test_truncate_keeps_the_rows_a_label_slice_keeps(which: str, end: pd.Timestamp | str) -> None:
    data = _input(INDEXES[which])
    cut = data.truncate(end)
    assert data.observed is not None and cut.observed is not None
    for got, whole in ((cut.prices, data.prices), (cut.macro, data.macro), (cut.observed, data.observed)):
        want = whole.loc[:end]
        assert got.equals(want) and got.index.equals(want.index) and got.index.freq == want.index.freq


def test_head_is_the_label_slice_with_the_marks_sliced_too() -> None:
    w = _frame({"a": np.linspace(0, 1, 40)})
    w.attrs = {"signal": pd.Series(np.arange(40) % 2 == 0, index=DAYS), "other": "kept"}
    got = head(w, DAYS[9])
    assert got.equals(w.loc[: DAYS[9]]) and got.attrs["other"] == "kept"
    assert got.attrs["signal"].equals(w.attrs["signal"].iloc[:10])
    got.iloc[0, 0] = 5.0
    assert w.iloc[0, 0] == 0.0


def test_first_difference_tolerates_1e_9_relative_unless_exact_and_matches_nan_with_nan() -> None:
    a = _frame({"a": [1.0, np.nan, 3.0] + [0.0] * 37})
    close = _frame({"a": [1.0 + 1e-12, np.nan, 3.0] + [0.0] * 37})
    assert first_difference(a, a) is None and first_difference(a, close) is None
    exact = first_difference(a, close, exact=True)
    assert exact is not None and exact.day == DAYS[0] and exact.left == 1.0 and exact.right == 1.0 + 1e-12
    far = first_difference(a, _frame({"a": [1.0, 2.0, 3.0] + [0.0] * 37}))
    assert far is not None and far.day == DAYS[1] and np.isnan(far.left) and far.right == 2.0


def test_outputs_pair_the_marks_as_one_column_frames_named_by_the_mark() -> None:
    a = _frame({"a": np.zeros(40)})
    b = a.copy()
    a.attrs["signal"] = pd.Series(np.arange(40) % 5 == 0, index=DAYS)
    b.attrs["events"] = pd.Series(np.arange(40) % 7 == 0, index=DAYS)
    pairs = {what: (x, y) for what, x, y in outputs(a, b)}
    assert list(pairs) == ["weights", "signal", "events"]
    signal_a, signal_b = pairs["signal"]
    assert list(signal_a.columns) == ["signal"] and signal_a["signal"].tolist() == a.attrs["signal"].tolist()
    assert signal_a.index.equals(DAYS) and signal_b.empty
    diff = first_difference(*pairs["signal"])
    assert diff is not None and diff.shape  # a mark set on one side only differs in shape


def test_float_marks_with_nan_need_no_fill_pandas_will_refuse() -> None:
    # NaN is False, any other number its truth (-1.0 and 2.5 True, 0.0 False), without pandas' warning
    # that filling floats with a bool will raise in pandas 4
    import warnings

    values = np.tile([2.5, np.nan, 0.0, -1.0], 10)
    out = _frame({"a": np.full(40, 0.5)})
    out.attrs["signal"] = pd.Series(values, index=DAYS, name="s")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = check_weights(out, DAYS, "x").attrs["signal"]
    assert got.dtype == np.dtype(bool) and got.name == "s" and got.index.equals(DAYS)
    assert got.tolist() == [bool(v) and not np.isnan(v) for v in values]
