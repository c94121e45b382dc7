"""The NYSE calendar kept on disk: the same sessions as exchange_calendars, rebuilt whenever the copy is stale."""

from __future__ import annotations

import importlib.metadata
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.data import calendar
from simulator.data.calendar_cache import MAX_AGE_DAYS, stored_sessions

START = pd.Timestamp("1970-01-01")
DAY = pd.Timestamp("2026-03-02")


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """``nyse_sessions`` as in a new process, with an empty cache folder of its own."""
    monkeypatch.setenv("ROTSIM_CACHE_DIR", str(tmp_path))
    calendar.nyse_sessions.cache_clear()
    yield tmp_path / "calendars"
    calendar.nyse_sessions.cache_clear()  # later tests build it from their own folder again


def _from_exchange_calendars() -> pd.DatetimeIndex:
    import exchange_calendars

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sessions = exchange_calendars.get_calendar("XNYS", start=START).sessions
    return pd.DatetimeIndex(sessions.tz_localize(None).to_numpy().astype("datetime64[ns]"))


def test_sessions_built_and_read_back_are_exchange_calendars_own(
    fresh_process: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _from_exchange_calendars()
    built = calendar.nyse_sessions()
    assert (fresh_process / "XNYS.npz").is_file()
    calendar.nyse_sessions.cache_clear()  # the next process
    monkeypatch.setattr(calendar, "build_nyse_sessions", _must_not_build)
    read = calendar.nyse_sessions()
    for sessions in (built, read):
        assert sessions.equals(expected) and sessions.dtype == expected.dtype and sessions.freq is None
    # the days everyone knows: 9/11's closure, Hurricane Sandy, Carter's day of mourning; ordinary days stay
    assert not {"2001-09-11", "2001-09-14", "2012-10-29", "2025-01-09"} & set(read.strftime("%Y-%m-%d"))
    assert {"2001-09-10", "2001-09-17", "2025-01-08"} <= set(read.strftime("%Y-%m-%d"))


def _must_not_build() -> pd.DatetimeIndex:
    raise AssertionError("built again although the copy on disk is valid")


class Builds:
    """A stand-in calendar that counts how often it is built; each build returns other days."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> pd.DatetimeIndex:
        self.count += 1
        return pd.DatetimeIndex(pd.bdate_range(START, periods=10 + self.count).as_unit("ns"))


def test_a_valid_copy_is_read_and_not_rebuilt(tmp_path: Path) -> None:
    build = Builds()
    first = stored_sessions("XNYS", START, build, folder=tmp_path, today=DAY)
    again = stored_sessions("XNYS", START, build, folder=tmp_path, today=DAY + pd.Timedelta(days=MAX_AGE_DAYS))
    assert build.count == 1 and again.equals(first) and len(first) == 11


@pytest.mark.parametrize(
    "days_later",
    [MAX_AGE_DAYS + 1, -1],  # too old to reach a year ahead any more; a clock set back before it was built
)
def test_a_copy_from_another_day_out_of_range_is_rebuilt(tmp_path: Path, days_later: int) -> None:
    build = Builds()
    stored_sessions("XNYS", START, build, folder=tmp_path, today=DAY)
    later = DAY + pd.Timedelta(days=days_later)
    rebuilt = stored_sessions("XNYS", START, build, folder=tmp_path, today=later)
    assert build.count == 2 and len(rebuilt) == 12
    # and the new copy counts from the day it was rebuilt
    assert stored_sessions("XNYS", START, build, folder=tmp_path, today=later).equals(rebuilt) and build.count == 2


def test_a_copy_made_with_another_exchange_calendars_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = Builds()
    stored_sessions("XNYS", START, build, folder=tmp_path, today=DAY)
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: "999.0" if name == "exchange_calendars" else real(name)
    )
    assert len(stored_sessions("XNYS", START, build, folder=tmp_path, today=DAY)) == 12 and build.count == 2


def test_a_copy_from_another_first_day_is_rebuilt(tmp_path: Path) -> None:
    build = Builds()
    stored_sessions("XNYS", START, build, folder=tmp_path, today=DAY)
    stored_sessions("XNYS", pd.Timestamp("1980-01-01"), build, folder=tmp_path, today=DAY)
    assert build.count == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[:200]),  # cut short
        lambda p: p.write_text("not an npz"),
        lambda p: _rewrite(p, sessions=np.array([3, 2, 1], dtype=np.int64)),  # out of order
        lambda p: _rewrite(p, sessions=np.array([], dtype=np.int64)),
        lambda p: _rewrite(p, sessions=np.array([-400, -399], dtype=np.int64)),  # before the first day
        lambda p: _rewrite(p, built=None),  # a field missing
    ],
)
def test_a_damaged_copy_is_rebuilt(tmp_path: Path, damage) -> None:  # noqa: ANN001 - a lambda
    build = Builds()
    stored_sessions("XNYS", START, build, folder=tmp_path, today=DAY)
    damage(tmp_path / "XNYS.npz")
    assert len(stored_sessions("XNYS", START, build, folder=tmp_path, today=DAY)) == 12 and build.count == 2


def _rewrite(path: Path, **changes: np.ndarray | None) -> None:
    with np.load(path, allow_pickle=False) as stored:
        fields = {k: stored[k] for k in stored.files}
    fields |= changes
    with path.open("wb") as f:
        np.savez(f, **{k: v for k, v in fields.items() if v is not None})


def test_a_folder_that_cannot_be_written_only_costs_a_build(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    build = Builds()
    assert len(stored_sessions("XNYS", START, build, folder=blocked / "calendars", today=DAY)) == 11
    assert len(stored_sessions("XNYS", START, build, folder=blocked / "calendars", today=DAY)) == 12
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
