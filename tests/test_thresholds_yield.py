"""yield_tilt at its step boundaries, its bound, its lookback and its monthly decision day.

The rule (docstring): small_cap = neutral_small - sensitivity * d (d the
10-year yield's change over ``lookback`` trading days, in pp), rounded to the
nearest ``step`` from neutral, a half step away from neutral; within
neutral_small +- max_tilt; with 'monthly' set on each month's first trading
day and held. Changes are written to be exact half steps (and a hair
either side) in decimal at many yield levels, whose float differences land
a few ulps either side of the half; expected weights are written out.
"""

from __future__ import annotations

import pandas as pd
import pytest

from rotsim_strategies import yield_tilt

from rule_inputs import column, flat, weights

# sensitivity 0.5, step 0.1: a 0.1 pp move is exactly half a step
DAILY = {"lookback": 1, "sensitivity": 0.5, "step": 0.1, "max_tilt": 0.5, "decide": "daily"}


def _tilt(y10: list[float], **params: object) -> list[float]:
    index = pd.bdate_range("2019-01-01", periods=len(y10))
    macro = pd.DataFrame({"y10": y10}, index=index)
    return column(weights(yield_tilt, flat(["small_cap", "large_cap"], index), macro, **params), "small_cap")


@pytest.mark.parametrize(
    ("change_bp", "expected"),
    [
        (-10, 0.6), (10, 0.4),  # half a step: away from neutral
        (-30, 0.7), (30, 0.3),  # one and a half
        (-50, 0.8), (50, 0.2),  # two and a half
        (-8, 0.5), (8, 0.5), (-12, 0.6), (12, 0.4),  # 0.4 and 0.6 of a step
    ],
)  # fmt: skip
def test_half_steps_round_away_from_neutral_at_every_yield_level(change_bp: int, expected: float) -> None:
    # pairs (level, level + change) at levels 1.00% to 5.95%: with lookback 1 each pair's second day shows the change
    levels = range(100, 600, 5)
    y10 = [x / 100 for level in levels for x in (level, level + change_bp)]
    if abs(change_bp) == 10:  # why this needs a test: in floats the half step lands on both sides of +-0.5
        half = 0.5 if change_bp < 0 else -0.5
        in_steps = [-0.5 * (b - a) / 0.1 for a, b in zip(y10[::2], y10[1::2], strict=True)]
        assert min(in_steps) < half < max(in_steps)
    small = _tilt(y10, **DAILY)
    assert small[1::2] == pytest.approx([expected] * len(levels), abs=1e-12)


def test_the_tilt_stops_exactly_at_max_tilt() -> None:
    # max_tilt 0.3: a 0.6 pp fall is exactly at the bound, 0.8 and 1.0 pp beyond it, 0.4 pp inside
    y10 = [3.0, 2.4, 3.0, 2.2, 3.0, 2.0, 3.0, 2.6, 3.0, 3.6]
    small = _tilt(y10, **{**DAILY, "max_tilt": 0.3})
    assert small[1::2] == pytest.approx([0.8, 0.8, 0.8, 0.7, 0.2], abs=1e-12)


def test_the_change_spans_exactly_lookback_days() -> None:
    # a 1 pp fall on day 10 shows in the change for lookback days (10-14 with lookback 5), then falls out
    y10 = [None] * 3 + [4.0] * 7 + [3.0] * 10
    small = _tilt(y10, lookback=5, sensitivity=0.3, max_tilt=0.5, step=0.1, decide="daily")
    assert small == pytest.approx([0.5] * 10 + [0.8] * 5 + [0.5] * 5, abs=1e-12)


def test_monthly_decides_on_each_months_first_trading_day() -> None:
    index = pd.bdate_range("2021-01-04", "2021-03-31")  # February: Feb 1 to Feb 26, 20 trading days
    for fall, feb, mar in (("2021-02-01", 0.8, 0.5), ("2021-02-02", 0.5, 0.8)):
        y10 = pd.Series(3.0, index=index)
        y10[fall:] = 2.0
        params = {"lookback": 20, "sensitivity": 0.3, "max_tilt": 0.5, "step": 0.1, "decide": "monthly"}
        w = weights(yield_tilt, flat(["small_cap", "large_cap"], index), pd.DataFrame({"y10": y10}), **params)
        # a fall on Feb 1 is seen that day, and held all February; on Mar 1 it is 20 days old: no change.
        # a fall on Feb 2 waits for Mar 1, whose 20-day change (against Feb 1) still holds it
        months = index.month
        expected = [0.5 if m == 1 else feb if m == 2 else mar for m in months]
        assert column(w, "small_cap") == pytest.approx(expected, abs=1e-12), fall
