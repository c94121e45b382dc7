"""The Parquet download cache: round trips, provenance, atomic replacement, unreadable files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.data.providers.cache import Cache
from simulator.errors import DataError


def _frame(values: list[float], start: str = "2020-01-02", column: str = "adj_close") -> pd.DataFrame:
    index = pd.bdate_range(start, periods=len(values), name="date")
    return pd.DataFrame({column: values}, index=index)


def test_round_trip_keeps_values_dates_and_provenance(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    frame = _frame([1.5, np.nan, 2.25])
    before = datetime.now(UTC)
    cache.write("yahoo", "^RUT", frame, url="yfinance:^RUT", adjusted=False)
    entry = cache.read("yahoo", "^RUT")
    assert entry is not None
    pd.testing.assert_frame_equal(entry.frame, frame, check_freq=False)
    m = entry.meta
    assert (m.source, m.dataset, m.url, m.rows, m.adjusted) == ("yahoo", "^RUT", "yfinance:^RUT", 3, False)
    assert (m.first, m.last) == (pd.Timestamp("2020-01-02"), pd.Timestamp("2020-01-06"))
    assert before - timedelta(seconds=1) <= m.fetched_at <= datetime.now(UTC)
    # one file per dataset, named so that ^ / : never reach the file system
    assert m.path == tmp_path / "yahoo" / "%5ERUT.parquet"
    assert cache.meta("yahoo", "^RUT") == m


def test_absent_dataset_is_none(tmp_path: Path) -> None:
    assert Cache(tmp_path).read("fred", "DGS2") is None
    assert Cache(tmp_path / "not-yet").meta("fred", "DGS2") is None


def test_entries_are_listed_sorted_with_unreadable_files_reported(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.write("yahoo", "SPY", _frame([1.0, 2.0]), url="yfinance:SPY")
    cache.write("fred", "DGS2", _frame([4.0], column="value"), url="https://fred/x?id=DGS2")
    cache.write("french", "F-F_Research_Data_Factors_daily", _frame([0.1, 0.2], column="SMB"), url="https://ff/x.zip")
    (tmp_path / "yahoo" / "IWM.parquet").write_bytes(b"not parquet")
    metas, problems = cache.entries()
    assert [(m.source, m.dataset) for m in metas] == [
        ("fred", "DGS2"), ("french", "F-F_Research_Data_Factors_daily"), ("yahoo", "SPY"),
    ]  # fmt: skip
    assert len(problems) == 1 and "IWM.parquet: unreadable cache file" in problems[0]


def test_unreadable_file_names_itself_and_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "fred" / "DGS2.parquet"
    path.parent.mkdir()
    path.write_bytes(b"PAR1 garbage")
    with pytest.raises(DataError, match="unreadable cache file .*delete it, or fetch again with --refresh") as info:
        Cache(tmp_path).read("fred", "DGS2")
    assert info.value.where == str(path)


def test_a_failed_write_leaves_the_old_copy_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    import pyarrow.parquet as pq

    cache = Cache(tmp_path)
    cache.write("yahoo", "SPY", _frame([1.0, 2.0]), url="yfinance:SPY")
    path = cache.path("yahoo", "SPY")
    before = path.read_bytes()

    def dies_half_way(table, where) -> None:  # noqa: ANN001
        Path(where).write_bytes(b"PAR1 half a file")
        raise KeyboardInterrupt  # the user pressed Ctrl-C mid-write

    monkeypatch.setattr(pq, "write_table", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        cache.write("yahoo", "SPY", _frame([9.0, 9.0, 9.0]), url="yfinance:SPY")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["SPY.parquet"]
    assert cache.read("yahoo", "SPY").frame["adj_close"].tolist() == [1.0, 2.0]


def test_unwritable_cache_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(DataError, match="cannot write to the cache"):
        Cache(blocker).write("fred", "DGS2", _frame([1.0], column="value"), url="u")
