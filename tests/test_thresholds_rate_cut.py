"""rate_cut_regime at its spans: a first cut exactly ``span_days`` after the previous one, and after the data begin.

The rule (docstring): a cut is the first of a cycle when it comes at least
``span_days`` calendar days after the previous cut, and at least that long
after the target's first known value; the tilt then lasts ``hold`` trading
days, that day included; the hindsight filter skips a cut followed by a
recession within ``recession_window_days``. Each case places the cut one day
before, on and one day after the span (all weekdays), and the expected
days are written out from the rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotsim_strategies import rate_cut_regime

from rule_inputs import column, flat, mix, signal, weights

INDEX = pd.bdate_range("2010-06-01", "2014-12-31")
KNOWN = pd.Timestamp("2011-01-03")  # a Monday: the target is NaN before it
PREVIOUS = pd.Timestamp("2012-03-05")  # a Monday, 427 days after KNOWN: a first cut with any span tested


def _target(cuts: list[pd.Timestamp]) -> pd.Series:
    target = pd.Series(np.nan, index=INDEX)
    target[KNOWN:] = 5.0
    for k, day in enumerate(cuts, start=1):
        target[day:] = 5.0 - 0.25 * k
    return target


def _run(cuts: list[pd.Timestamp], hindsight: pd.Series | None = None, **params: object) -> pd.DataFrame:
    zero = pd.Series(0.0, index=INDEX)
    macro = pd.DataFrame({"fed_target": _target(cuts), "recession": zero,
                          "recession_hindsight": zero if hindsight is None else hindsight})  # fmt: skip
    return weights(rate_cut_regime, flat(["small_cap", "large_cap"], INDEX), macro, **params)


def _first_days(w: pd.DataFrame) -> list[pd.Timestamp]:
    """With hold 1 the signal is on exactly on the first cuts."""
    return list(INDEX[w.attrs["signal"].to_numpy()])


def _after(day: pd.Timestamp, days: int) -> pd.Timestamp:
    return day + pd.Timedelta(days=days)


@pytest.mark.parametrize("span", [365, 120])
def test_a_cut_exactly_span_days_after_the_previous_one_is_first(span: int) -> None:
    for offset, first in ((span - 1, False), (span, True), (span + 1, True)):
        cut = _after(PREVIOUS, offset)
        assert cut in INDEX  # a weekday: the day a cut is announced
        w = _run([PREVIOUS, cut], span_days=span, hold=1)
        assert _first_days(w) == ([PREVIOUS, cut] if first else [PREVIOUS]), offset


@pytest.mark.parametrize("span", [365, 120])
def test_a_cut_exactly_span_days_after_the_target_is_known_is_first(span: int) -> None:
    # the span counts from the first known value (KNOWN), not from the input's first day, five months earlier
    for offset, first in ((span - 1, False), (span, True), (span + 1, True)):
        cut = _after(KNOWN, offset)
        assert cut in INDEX
        assert _first_days(_run([cut], span_days=span, hold=1)) == ([cut] if first else []), offset


def test_the_tilt_lasts_exactly_hold_trading_days() -> None:
    at = INDEX.get_loc(PREVIOUS)
    for hold in (1, 3, 252):
        w = _run([PREVIOUS], hold=hold, on_small=0.7, off_small=0.2)
        on = [at <= i < at + hold for i in range(len(INDEX))]  # the cut day and hold - 1 trading days after
        assert signal(w) == on, hold
        assert column(w, "small_cap") == mix(on, 0.7, 0.2)
        assert column(w, "large_cap") == pytest.approx(mix(on, 0.3, 0.8), abs=1e-15)


def test_hindsight_window_includes_its_last_day() -> None:
    # a recession starting exactly recession_window_days after the cut is "within" the window; a day later is not
    for offset, skipped in ((364, True), (365, True), (366, False)):
        start = _after(PREVIOUS, offset)
        assert start in INDEX
        flag = pd.Series(0.0, index=INDEX)
        flag[start : _after(start, 60)] = 1.0
        w = _run([PREVIOUS], hindsight=flag, hold=1, hindsight_recession_filter=True, recession_window_days=365)
        assert _first_days(w) == ([] if skipped else [PREVIOUS]), offset
