"""The results' CSV writer writes exactly the bytes of pandas' ``to_csv(date_format="%Y-%m-%d")``, faster.

pandas is the reference: the results files must stay byte-identical to what
earlier versions (which called pandas) wrote, so a run's files can be compared
and read back bit for bit.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.reports.files import DATE_FORMAT, write_csv

from property_settings import PROPERTY

# floats whose text is easy to get wrong: exponents at the switch to scientific notation, subnormals,
# the largest float, negative zero, and the ones that print with 17 digits
EDGE_FLOATS = [
    0.0,
    -0.0,
    1e16,
    9999999999999998.0,
    1e-4,
    9.999999999999999e-05,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    0.1 + 0.2,
    -1.0 / 3.0,
    123456789.12345679,
    math.inf,
    -math.inf,
    math.nan,
]


def _reference(frame: pd.DataFrame | pd.Series, path: Path) -> bytes:
    frame.to_csv(path, date_format=DATE_FORMAT)
    return path.read_bytes()


def _written(frame: pd.DataFrame | pd.Series, path: Path) -> bytes:
    write_csv(frame, path)
    return path.read_bytes()


def _dates(n: int, seed: int) -> pd.DatetimeIndex:
    days = np.sort(np.random.default_rng(seed).choice(20_000, size=n, replace=False))
    return pd.DatetimeIndex(pd.Timestamp("1990-01-01") + pd.to_timedelta(days, unit="D"))


floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(EDGE_FLOATS))
labels = st.text(alphabet=st.sampled_from(list('ab ,"\n%&é')), min_size=0, max_size=6)


@PROPERTY
@given(
    data=st.data(),
    rows=st.integers(0, 12),
    names=st.lists(labels, min_size=0, max_size=4),
    index_name=st.one_of(st.none(), labels),
    int_column=st.booleans(),
)
def test_dates_and_numbers_as_pandas_writes_them(
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
    rows: int,
    names: list[str],
    index_name: str | None,
    int_column: bool,
) -> None:
    """Any floats (NaN, inf, -0.0, subnormal), ints, labels that need quoting, no rows or no columns."""
    tmp = tmp_path_factory.mktemp("csv")
    index = _dates(rows, seed=rows).rename(index_name)
    frame = pd.DataFrame(
        {n: data.draw(st.lists(floats, min_size=rows, max_size=rows)) for n in names}, index=index, dtype="float64"
    )
    if int_column:
        frame["n"] = np.arange(rows, dtype=np.int64) * -7_000_000_000
    assert _written(frame, tmp / "a.csv") == _reference(frame, tmp / "b.csv")


@pytest.mark.parametrize(
    "make",
    [
        # the tables a run writes, as the run makes them
        lambda: pd.DataFrame({"SPY": [0.5, 0.25], "cash": [0.5, 0.75]}, index=_dates(2, 1).rename("date")),
        lambda: pd.DataFrame({"A, B": [1, 0]}, index=_dates(2, 2).rename("date")).astype(int),
        lambda: pd.Series([0.1, np.nan], index=_dates(2, 3).rename("date"), name="risk_free").to_frame(),
        # what goes to pandas: text columns, a date index with a gap, a label index, a Series, timestamps with times
        lambda: pd.DataFrame({"ticker": ["SPY", "a,b"], "size": [1.5, 2.0]}, index=_dates(2, 4).rename("date")),
        lambda: pd.DataFrame({"x": [1.0, 2.0]}, index=pd.DatetimeIndex(["2020-01-02", None], name="date")),
        lambda: pd.DataFrame({"x": [np.nan]}, index=pd.DatetimeIndex([None])),  # a row of empty cells
        lambda: pd.DataFrame(index=pd.DatetimeIndex([None, "2020-01-02"])),  # dates only, one missing: quoted
        lambda: pd.DataFrame({"cagr": [0.1, np.nan]}, index=pd.Index(["S, 1", 'q"'], name="strategy")),
        lambda: pd.Series([1.0, 2.0], index=_dates(2, 5)),
        lambda: pd.DataFrame({"x": [1.0, 2.0]}, index=pd.DatetimeIndex(["2020-01-02 10:30", "2020-01-03 16:00"])),
        lambda: pd.DataFrame({0: [1.0], 1.5: [2.0]}, index=_dates(1, 6)),
        lambda: pd.DataFrame({"f32": np.array([0.1, 1 / 3], dtype=np.float32)}, index=_dates(2, 7)),
        lambda: pd.DataFrame({"on": [True, False]}, index=_dates(2, 8)),
        lambda: pd.DataFrame({"x": [1.0, 2.0]}, index=_dates(2, 9).tz_localize("America/New_York")),
    ],
)
def test_every_other_table_as_pandas_writes_it(tmp_path: Path, make) -> None:  # noqa: ANN001 - a lambda
    frame = make()
    assert _written(frame, tmp_path / "a.csv") == _reference(frame, tmp_path / "b.csv")


def test_writes_into_a_new_folder(tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": [1.0]}, index=_dates(1, 1).rename("date"))
    path = write_csv(frame, tmp_path / "weights" / "a.csv")
    assert path.read_text(encoding="utf-8").splitlines() == ["date,x", f"{frame.index[0]:%Y-%m-%d},1.0"]
