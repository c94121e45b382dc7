"""resample_bins.resampled is pandas' own resample, to the bit, however often the same dates come back.

pandas (a maintained library) is the independent computation: every result is
compared with ``getattr(x.resample(freq), how)()`` on the same data, bit for
bit (NaN, -0.0, labels, their frequency, names and dtypes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.reports.resample_bins import resampled

_FREQS = ("D", "W-MON", "W", "ME", "QE", "YE")
_HOWS = ("prod", "sum", "last")


def _series(seed: int) -> pd.Series:
    """Daily returns of varied shapes: holes in the calendar, zeros, NaN, a NaN first half, one day."""
    rng = np.random.default_rng(seed)
    n = 1 if seed % 13 == 0 else int(rng.integers(2, 900))
    idx = pd.bdate_range("2001-01-01", periods=n)
    if seed % 3 == 0 and n > 1:  # holes in the calendar: whole weeks and months without a row
        idx = idx[np.sort(rng.choice(n, size=max(1, n // 4), replace=False))]
    r = pd.Series(rng.normal(0.0003, 0.01, len(idx)), index=idx)
    if seed % 5 == 0:
        r[rng.random(len(r)) < 0.3] = 0.0
    if seed % 4 == 0:
        r[rng.random(len(r)) < 0.3] = np.nan
    if seed % 7 == 0:
        r.iloc[: len(r) // 2] = np.nan  # periods with rows but no value
    if seed % 6 == 0:
        r[r.abs() < 0.004] = -0.0
    return r


def _assert_bitwise(got: pd.Series | pd.DataFrame, expected: pd.Series | pd.DataFrame) -> None:
    """The same object to the bit: values (NaN and -0.0 too), labels with their frequency, names, dtypes."""
    if isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(got, expected, check_exact=True, check_freq=True)
    else:
        pd.testing.assert_frame_equal(got, expected, check_exact=True, check_freq=True)
    assert got.index.freq == expected.index.freq
    assert got.index.name == expected.index.name
    assert np.array_equal(got.to_numpy().view(np.int64), expected.to_numpy().view(np.int64))


def _check(x: pd.Series | pd.DataFrame) -> None:
    for freq in _FREQS:
        for how in _HOWS:
            expected = getattr(x.resample(freq), how)()
            _assert_bitwise(resampled(x, freq, how), expected)
            _assert_bitwise(resampled(x, freq, how), expected)  # again: from the periods found the first time


@pytest.mark.parametrize("seed", range(40))
def test_resampled_equals_pandas_on_series_and_frames(seed: int) -> None:
    r = _series(seed)
    _check(r)
    _check(r.add(1).rename("growth"))
    _check(pd.DataFrame({"a": r, "b": -r / 2}))


def test_resampled_equals_pandas_on_named_zoned_and_repeated_dates() -> None:
    r = _series(2)
    named = r.copy()
    named.index = named.index.rename("day")
    _check(named)
    zoned = r.copy()
    zoned.index = zoned.index.tz_localize("America/New_York")
    _check(zoned)
    repeated = pd.concat([r.iloc[:50], r.iloc[40:60]]).sort_index(kind="stable")  # the same date twice
    _check(repeated)
    timed = r.copy()
    timed.index = timed.index + pd.Timedelta(hours=16)  # closes, not midnights: pandas shifts its bin edges
    _check(timed)


def test_resampled_tells_apart_dates_of_the_same_length() -> None:
    """Periods found for some dates are not used for others of the same number (a cache keyed by length would)."""
    r = _series(1)
    later = pd.Series(r.to_numpy(), index=r.index + pd.Timedelta(days=17))
    _check(r)
    _check(later)
    with_freq = pd.Series(r.to_numpy(), index=pd.DatetimeIndex(r.index, freq="B"))
    _check(with_freq)


def test_resampled_of_data_it_does_not_group_is_pandas_own() -> None:
    """Integer data, unsorted dates, NaT and no rows go to pandas' resample: its result, or its error."""
    r = _series(1)
    _check(pd.Series(np.arange(len(r)), index=r.index))  # an empty period would be 1.0 / NaN in another dtype
    _check(pd.DataFrame({"a": r, "n": np.arange(len(r))}))
    _check(r.iloc[::-1])
    _check(r.iloc[:0])
    with_nat = pd.Series([0.1, 0.2, 0.3], index=pd.DatetimeIndex(["2020-01-02", None, "2020-03-04"]))
    _check(with_nat)
    with pytest.raises(TypeError):
        resampled(pd.Series([0.1, 0.2]), "ME", "sum")  # not dates: pandas' own error


def test_resampled_takes_only_what_it_mirrors() -> None:
    with pytest.raises(ValueError, match="mean"):
        resampled(_series(1), "ME", "mean")
