"""Quality checks for daily prices and macro series, run as data is loaded.

Findings come in two strengths:

- **errors** (``DataError``): data that cannot be right and would silently
  corrupt a backtest: duplicate or unsorted dates, infinite values, and
  non-positive prices. Nothing downstream can repair these, so they stop the run.
- **warnings** (``DataWarning``): things that are often real (halted trading,
  genuine crashes) but are also how bad data shows itself: trading days
  missing, runs of NaN, stale values and split-like jumps. They are returned,
  not printed, so the caller decides how to show them.

Every message names the series and the dates involved, so a user can open the
file and look, and every warning carries the first and last date it concerns:
a run shows only those about its own span and the year before it, which is
what its strategies look back on (``in_span``, ``LOOKBACK_DAYS``). A file's
1933 gaps are not news in a run starting in 2000.

Market holidays and closures come from the NYSE calendar of the maintained
``exchange_calendars`` package (``calendar.nyse_sessions``, 1970 on): a gap in
a price file is a warning only if the NYSE traded on days the file lacks, so
the 2001-09-11 closure or a long weekend is not one. Before 1970 (and after the
calendar's last day) a gap of a week or more is a warning instead. Macro series
follow their own calendars (bond markets close on Columbus Day), so a daily one
warns at a gap of a week or more in which the NYSE traded.

The defaults are tuned on the real files in ``shared/data``: from 1970 on, no
price file there lacks an NYSE trading day; before, ^GSPC warns only for the
1933 bank holiday. No FRED or Ken French series there repeats a value for
longer than the stale limit while otherwise moving daily (the longest: DTB3,
17 days in 2014), and no daily move in any price file is within 3% of a split
ratio (the closest is the 1987 crash, -20.5%, 19% away from a 5-for-4 split,
which is not looked for).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeGuard, cast

import numpy as np
import pandas as pd

from simulator.errors import DataError

from .calendar import NYSE_CALENDAR_FROM, nyse_sessions

__all__ = ["LOOKBACK_DAYS", "DataWarning", "capped", "check_prices", "check_series", "in_span", "missing_days"]

# A run warns about its span and this many calendar days before it: the year of
# history strategies typically look back on before their first decision.
LOOKBACK_DAYS = 365
# One gap, NaN run or jump is worth a line each; hundreds of them are one
# problem (wrong frequency, wrong file), so say so once instead of flooding.
_MAX_WARNINGS_PER_KIND = 10
# How many dates an error message lists before it says "and N more".
_MAX_DATES_IN_ERROR = 5
# Price ratios (new / old) a split or reverse split leaves in unadjusted prices:
# 2-for-1 halves the price, 3-for-2 takes a third off, 1-for-10 multiplies it by 10.
# 5-for-4 (0.8) is left out: a -20% crash day (1987-10-19) looks just like it.
_SPLITS = ((2, 1), (3, 1), (3, 2), (4, 1), (5, 1), (10, 1), (20, 1))  # (new shares, old shares)
# A series "usually moves" when it changes on at least this share of observations
# (yields, bill rates, returns: 0.70-0.99); policy rates and flags (0.00-0.46) sit still for years.
_MOVING_SHARE = 0.6


@dataclass(frozen=True)
class DataWarning:
    """A suspicious but possibly genuine feature of one series.

    ``series`` is the ticker or series id; ``message`` says what was found and
    on which dates. ``first`` and ``last`` are the dates it concerns (None: no
    dates, e.g. a download that failed; such a warning is always shown).
    ``kind`` groups findings of one sort per series (``"gaps"``) so that many
    of them are listed up to a limit (``capped``).
    """

    series: str
    message: str
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.series}: {self.message}"

    def touches(self, lo: pd.Timestamp, hi: pd.Timestamp) -> bool:
        """True if it concerns a date in ``lo..hi`` (or no date at all)."""
        if self.first is None or self.last is None:
            return True
        return self.last >= lo and self.first <= hi


def in_span(
    warnings: Iterable[DataWarning | str], start: pd.Timestamp, end: pd.Timestamp, lookback_days: int = LOOKBACK_DAYS
) -> list[str]:
    """The warnings a run over ``start..end`` shows, as text, in order, each once.

    Kept: those concerning a date from ``lookback_days`` before ``start`` to
    ``end`` (what the run simulates and what its strategies look back on), and
    those without dates (plain strings too). Then ``capped``.
    """
    lo = pd.Timestamp(start) - pd.Timedelta(days=lookback_days)
    hi = pd.Timestamp(end)
    kept = [w for w in warnings if isinstance(w, str) or w.touches(lo, hi)]
    return list(dict.fromkeys(str(w) for w in capped(kept)))


def capped(warnings: Iterable[DataWarning | str]) -> list[DataWarning | str]:
    """At most ten findings of each kind per series, the rest summed up in one line after them."""
    out: list[DataWarning | str] = []
    counts: dict[tuple[str, str], int] = {}
    last_kept: dict[tuple[str, str], DataWarning] = {}
    for w in warnings:
        if isinstance(w, str) or not w.kind:
            out.append(w)
            continue
        key = (w.series, w.kind)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= _MAX_WARNINGS_PER_KIND:
            out.append(w)
            last_kept[key] = w
    for key, n in counts.items():
        if n > _MAX_WARNINGS_PER_KIND:
            at = out.index(last_kept[key]) + 1
            out.insert(at, DataWarning(key[0], f"... and {n - _MAX_WARNINGS_PER_KIND} more {key[1]} not listed"))
    return out


def missing_days(
    name: str, days: pd.DatetimeIndex, calendar: pd.DatetimeIndex, what: str, then: str = ""
) -> list[DataWarning]:
    """One warning per run of consecutive ``calendar`` days among ``days``, of kind ``what``.

    ``days`` are days of ``calendar`` (sorted) that ``name`` has no price on;
    ``what`` names the calendar's days, e.g. "trading day(s) of the benchmark";
    ``then`` says what was done about it ("carried forward").
    """
    at = calendar.get_indexer(days)
    runs = np.split(np.arange(len(at)), np.flatnonzero(np.diff(at) != 1) + 1) if len(at) else []
    found = []
    for run in runs:
        first, last = days[run[0]], days[run[-1]]
        when = _day(first) if len(run) == 1 else f"{_day(first)} to {_day(last)}"
        found.append(
            DataWarning(name, f"no price on {len(run)} {what}, {when}{'; ' + then if then else ''}", first, last, what)
        )
    return found


def check_prices(
    s: pd.Series,
    name: str,
    where: str,
    *,
    max_gap_days: int | None = 7,
    max_nan_run: int | None = 5,
    max_stale_run: int | None = 5,
    max_abs_return: float | None = 0.40,
    adjusted: bool = True,
    split_tolerance: float = 0.03,
    lines: Sequence[int] | np.ndarray | None = None,
) -> list[DataWarning]:
    """Check a daily price series; raise on errors, return warnings (all of them: see ``capped``).

    Raises ``DataError`` (with ``where``) for duplicate or unsorted dates,
    infinite values, prices <= 0 and rows without a single price. Warns for:

    - NYSE trading days missing between two observations (from 1970 to the
      calendar's last day; ``calendar.nyse_sessions``); outside those years,
      consecutive observations ``max_gap_days`` or more calendar days apart
      (Monday to the next Monday is 7: a whole trading week is missing);
    - more than ``max_nan_run`` NaN in a row;
    - the same price on more than ``max_stale_run`` consecutive observations;
    - a move of more than ``max_abs_return`` (0.40 = 40%) between consecutive
      valid prices, which is what an unadjusted split looks like;
    - with ``adjusted=False`` (the prices are plain closes, not adjusted for
      splits), a move whose ratio is within ``split_tolerance`` (3%) of a split
      ratio: 1/2, 1/3, 2/3, 1/4, 1/5, 1/10, 1/20 or, for a reverse split, their
      inverses. This also finds 3-for-2 splits (-33%), which stay under 40%.

    Pass ``None`` for a threshold to skip that check (``max_gap_days=None``:
    no gap checks at all). ``lines``: the file line of each row (1-based),
    so that an error points at the first offending row, ``where:line``.
    """
    _check_index(s, name, where, lines)
    _check_finite(s, name, where, lines)
    _check_positive(s, name, where, lines)
    if len(s) and not s.notna().any():  # rows, but not one price in them
        raise DataError(f"{name}: no prices: the price is empty on all {len(s)} row(s)", where)
    warnings: list[DataWarning] = []
    if max_gap_days is not None:
        warnings += _gap_warnings(cast(pd.DatetimeIndex, s.index), name, max_gap_days, every_session=True)
    if max_nan_run is not None:
        warnings += _nan_run_warnings(s, name, max_nan_run)
    if max_stale_run is not None:
        warnings += _stale_warnings(s, name, max_stale_run)
    splits = {} if adjusted else _split_like(s, name, split_tolerance)
    if max_abs_return is not None:
        warnings += _jump_warnings(s, name, max_abs_return, skip=set(splits))
    warnings += [splits[d] for d in sorted(splits)]
    return warnings


def check_series(
    s: pd.Series,
    name: str,
    where: str,
    *,
    max_gap_days: int | None = 7,
    max_nan_run: int | None = 5,
    max_stale_run: int | None = 20,
    lines: Sequence[int] | np.ndarray | None = None,
) -> list[DataWarning]:
    """Check a macro series (rates, flags, factor returns); raise on errors, return warnings.

    Raises ``DataError`` for duplicate or unsorted dates and infinite values.
    Zero and negative values are fine here (rates, 0/1 flags, returns), and so
    are long flat stretches in a series that rarely changes (a policy rate can
    sit still for years). A series that usually moves (changes on at least 60%
    of its observations, like yields and returns) warns when one value repeats
    on more than ``max_stale_run`` consecutive observations: a feed that
    stopped updating.

    Gaps depend on the series' own frequency: a daily series (typical spacing
    of at most 4 days) warns at ``max_gap_days`` or more calendar days between
    observations, unless the NYSE was closed on all of them (from 1970 on; a
    series need not follow the NYSE day by day: bond markets close on Columbus
    Day); a weekly, monthly or quarterly one warns when two observations are
    more than 1.5 times the typical spacing apart, i.e. at least one period is
    missing. Warns for more than ``max_nan_run`` NaN in a row. ``lines`` as
    for ``check_prices``.
    """
    _check_index(s, name, where, lines)
    _check_finite(s, name, where, lines)
    warnings: list[DataWarning] = []
    if max_gap_days is not None:
        warnings += _series_gap_warnings(cast(pd.DatetimeIndex, s.index), name, max_gap_days)
    if max_nan_run is not None:
        warnings += _nan_run_warnings(s, name, max_nan_run)
    if max_stale_run is not None and _usually_moves(s):
        warnings += _stale_warnings(s, name, max_stale_run, noun="value")
    return warnings


# --- errors ----------------------------------------------------------------


_Lines = Sequence[int] | np.ndarray | None


def _check_index(s: pd.Series, name: str, where: str, lines: _Lines = None) -> None:
    if not isinstance(s.index, pd.DatetimeIndex):
        raise DataError(f"{name}: index is not dates (got {type(s.index).__name__})", where)
    if s.index.hasnans:
        bad = np.flatnonzero(s.index.isna())
        raise DataError(
            f"{name}: {len(bad)} row(s) without a date (positions {bad[:5].tolist()})", _at(where, lines, bad, s)
        )
    repeats = s.index.duplicated()
    if repeats.any():
        first = int(np.flatnonzero(repeats)[0])
        earlier = int(np.flatnonzero(s.index == s.index[first])[0])
        also = f" (this line repeats line {int(lines[earlier])})" if _has_lines(lines, s) else ""
        duplicated = s.index[repeats].unique()
        raise DataError(f"{name}: duplicate dates {_list_dates(duplicated)}{also}", _at(where, lines, [first], s))
    if not s.index.is_monotonic_increasing:
        # Name the first place order breaks: that is where to look in the file.
        i = int(np.flatnonzero(np.diff(s.index.asi8) < 0)[0])
        raise DataError(
            f"{name}: dates not in increasing order: {_day(s.index[i + 1])} comes after {_day(s.index[i])}",
            _at(where, lines, [i + 1], s),
        )


def _check_finite(s: pd.Series, name: str, where: str, lines: _Lines = None) -> None:
    values = s.to_numpy(dtype=float, na_value=np.nan)
    bad = np.isinf(values)
    if bad.any():
        raise DataError(f"{name}: infinite values on {_list_dates(s.index[bad])}", _at(where, lines, bad, s))


def _check_positive(s: pd.Series, name: str, where: str, lines: _Lines = None) -> None:
    values = s.to_numpy(dtype=float, na_value=np.nan)
    bad = values <= 0  # NaN compares False, so missing prices are not flagged here
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"{name}: non-positive prices on {_list_dates(s.index[bad])} "
            f"(first: {values[first]:g} on {_day(s.index[first])})",
            _at(where, lines, bad, s),
        )


def _has_lines(lines: _Lines, s: pd.Series) -> TypeGuard[np.ndarray | Sequence[int]]:
    return lines is not None and len(lines) == len(s)


def _at(where: str, lines: _Lines, rows: np.ndarray | Sequence[int], s: pd.Series) -> str:
    """``where:line`` of the first of ``rows`` (positions, or a boolean mask) when ``s``'s lines are known."""
    rows = np.asarray(rows)
    positions = np.flatnonzero(rows) if rows.dtype == bool else rows
    if not _has_lines(lines, s) or not len(positions):
        return where
    return f"{where}:{int(lines[int(positions[0])])}"


# --- warnings --------------------------------------------------------------


def _gap_warnings(index: pd.DatetimeIndex, name: str, max_gap_days: int, every_session: bool) -> list[DataWarning]:
    """Gaps judged by the NYSE calendar where it is known, else by length.

    ``every_session``: one missing NYSE trading day is a gap (prices); else a
    gap must also be ``max_gap_days`` long (series on other calendars).
    """
    days = _spacing_days(index)
    sessions = _sessions_between(index)
    known = ~np.isnan(sessions)
    by_length = ~known & (days >= max_gap_days)
    by_calendar = known & (sessions > 0) & (every_session | (days >= max_gap_days))
    found = []
    for i in np.flatnonzero(by_length | by_calendar).tolist():
        a, b = index[i], index[i + 1]
        if by_length[i]:
            message = f"no data for {int(days[i])} days, {_day(a)} to {_day(b)}"
        else:
            n = int(sessions[i])
            message = f"no data on {n} NYSE trading day{'s' if n > 1 else ''} between {_day(a)} and {_day(b)}"
        found.append(DataWarning(name, message, a, b, "gaps"))
    return found


def _series_gap_warnings(index: pd.DatetimeIndex, name: str, max_gap_days: int) -> list[DataWarning]:
    days = _spacing_days(index)
    if len(days) == 0:
        return []
    typical = float(np.median(days))
    if typical <= 4:
        return _gap_warnings(index, name, max_gap_days, every_session=False)
    return [
        DataWarning(
            name,
            f"no data for {int(days[i])} days, {_day(index[i])} to {_day(index[i + 1])} (usually {typical:g} days apart)",
            index[i],
            index[i + 1],
            "gaps",
        )
        for i in np.flatnonzero(days > 1.5 * typical).tolist()
    ]


def _nan_run_warnings(s: pd.Series, name: str, max_nan_run: int) -> list[DataWarning]:
    isnan = s.isna().to_numpy()
    return [
        DataWarning(
            name,
            f"{stop - start} missing values in a row, {_day(s.index[start])} to {_day(s.index[stop - 1])}",
            s.index[start],
            s.index[stop - 1],
            "NaN runs",
        )
        for start, stop in _runs(isnan)
        if stop - start > max_nan_run
    ]


def _usually_moves(s: pd.Series) -> bool:
    values = s.dropna().to_numpy(dtype=float)
    return len(values) > 1 and float(np.mean(values[1:] != values[:-1])) >= _MOVING_SHARE


def _stale_warnings(s: pd.Series, name: str, max_stale_run: int, noun: str = "price") -> list[DataWarning]:
    values = s.to_numpy(dtype=float, na_value=np.nan)
    # same[i]: observation i repeats observation i-1; a run of k repeats spans k+1 observations.
    same = np.zeros(len(values), dtype=bool)
    same[1:] = values[1:] == values[:-1]
    found = []
    for start, stop in _runs(same):
        first = start - 1
        count = stop - first
        if count > max_stale_run:
            a, b = s.index[first], s.index[stop - 1]
            found.append(
                DataWarning(
                    name,
                    f"{noun} stuck at {values[first]:g} for {count} observations, {_day(a)} to {_day(b)}",
                    a,
                    b,
                    "stale runs",
                )
            )
    return found


def _jump_warnings(s: pd.Series, name: str, max_abs_return: float, skip: set[pd.Timestamp]) -> list[DataWarning]:
    # Compare valid neighbours so that a jump hidden behind a NaN is still seen.
    valid = s.dropna()
    values = valid.to_numpy(dtype=float)
    if len(values) < 2:
        return []
    returns = values[1:] / values[:-1] - 1
    return [
        DataWarning(
            name,
            f"{_day(valid.index[i + 1])}: price moved {returns[i]:+.1%} "
            f"({values[i]:g} on {_day(valid.index[i])} -> {values[i + 1]:g}); unadjusted split or bad price?",
            valid.index[i],
            valid.index[i + 1],
            "jumps",
        )
        for i in np.flatnonzero(np.abs(returns) > max_abs_return).tolist()
        if valid.index[i + 1] not in skip  # already reported as split-like
    ]


def _split_like(s: pd.Series, name: str, tolerance: float) -> dict[pd.Timestamp, DataWarning]:
    """Days whose move matches a split or reverse split, with a warning each."""
    valid = s.dropna()
    values = valid.to_numpy(dtype=float)
    if len(values) < 2:
        return {}
    log_ratio = np.log(values[1:] / values[:-1])
    found: dict[pd.Timestamp, DataWarning] = {}
    for new, old in _SPLITS:
        for a, b in ((new, old), (old, new)):
            # After an a-for-b split one share is worth b/a of a share before it.
            for i in np.flatnonzero(np.abs(log_ratio - np.log(b / a)) <= tolerance).tolist():
                kind = "split" if a > b else "reverse split"
                before, day = valid.index[i], valid.index[i + 1]
                found[day] = DataWarning(
                    name,
                    f"{_day(day)}: price moved {values[i + 1] / values[i] - 1:+.1%} "
                    f"({values[i]:g} on {_day(before)} -> {values[i + 1]:g}), like a {a}-for-{b} {kind}; "
                    "these are plain closes, not adjusted for splits: use adjusted closes",
                    before,
                    day,
                    "split-like jumps",
                )
    return found


# --- helpers ---------------------------------------------------------------


def _spacing_days(index: pd.DatetimeIndex) -> np.ndarray:
    """Calendar days between consecutive dates (whatever the index's time unit)."""
    if len(index) < 2:
        return np.array([], dtype=float)
    return np.diff(_days(index)).astype(float)


def _sessions_between(index: pd.DatetimeIndex) -> np.ndarray:
    """NYSE trading days strictly between consecutive dates; NaN where the calendar does not cover both."""
    if len(index) < 2:
        return np.array([], dtype=float)
    sessions = nyse_sessions().to_numpy()
    dates = _days(index).astype(sessions.dtype)
    before, after = dates[:-1], dates[1:]
    count = sessions.searchsorted(after, side="left") - sessions.searchsorted(before, side="right")
    covered = (before >= NYSE_CALENDAR_FROM.to_datetime64()) & (after <= sessions[-1])
    return np.where(covered, count, np.nan)


def _days(index: pd.DatetimeIndex) -> np.ndarray:
    """The day of each date (in its own time zone), as numpy days.

    Not ``index.normalize()``: that also infers the index's frequency, which
    took most of the time of checking a long series.
    """
    if index.tz is not None:
        index = index.tz_localize(None)  # the local wall time: its day is the date's own
    return index.to_numpy().astype("datetime64[D]")  # numpy floors to the day, before 1970 too


def _runs(mask: np.ndarray) -> Iterator[tuple[int, int]]:
    """Yield ``(start, stop)`` of each run of True, ``stop`` exclusive."""
    if not mask.any():
        return
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)
    yield from zip(starts.tolist(), stops.tolist())


def _list_dates(dates: pd.Index) -> str:
    shown = ", ".join(_day(d) for d in dates[:_MAX_DATES_IN_ERROR])
    extra = len(dates) - _MAX_DATES_IN_ERROR
    return f"{shown} and {extra} more" if extra > 0 else shown


def _day(ts: pd.Timestamp) -> str:
    # Daily data: the time of day is noise in a message.
    return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else str(ts)
