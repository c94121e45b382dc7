"""small_cap_thrust and rotation_spread exactly at their thresholds, and their hold lengths.

The rule (docstrings, README): the thrust fires on a one-day gain >= 3.5%,
the spread on small caps beating growth by >= 4 pp in a day; either holds
for ``hold`` trading days, the trigger day included. Prices are written so
the gain or spread is the threshold exactly in decimal (checked with
``Decimal``), or a hair either side; the expected signal and weights are
written out from the rule.

Floating point puts a decimal 3.5% gain a few ulps below 0.035 (103.5 / 100 - 1
is 0.03499999999999992), so the strategies compare at 12 decimals: that is
the resolution tested here, and one float ulp of the threshold either side.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from rotsim_strategies import rotation_spread, small_cap_thrust

from rule_inputs import DAYS, column, flat, mix, on_at, signal, weights

THREE = DAYS[:3]


def _thrust_signal(p0: float, p1: float, **params: float) -> list[bool]:
    """The thrust's signal on three days: p0, then p1 twice (the gain is on day 1 only), hold 1."""
    prices = flat(["small_cap", "large_cap"], THREE).assign(small_cap_index=[p0, p1, p1])
    return signal(weights(small_cap_thrust, prices, hold=1, **params))


def _cent_pairs(ratio: str) -> list[tuple[Decimal, Decimal]]:
    """Prices in cents from $2 to $400 whose day-over-day ratio is exactly ``ratio`` in decimal."""
    pairs = []
    for cents in range(200, 40_001, 200):
        p0 = Decimal(cents) / 100
        p1 = p0 * Decimal(ratio)
        if p1 == p1.quantize(Decimal("0.01")):
            pairs.append((p0, p1))
    return pairs


def test_thrust_fires_on_a_gain_of_exactly_the_threshold_at_any_price() -> None:
    pairs = _cent_pairs("1.035")
    assert len(pairs) == 200 and all(p1 / p0 - 1 == Decimal("0.035") for p0, p1 in pairs)
    # why this needs a test: in floats most of these gains come out just below 0.035 (100 -> 103.5 among them)
    below = [(p0, p1) for p0, p1 in pairs if float(p1) / float(p0) - 1 < 0.035]
    assert len(below) > len(pairs) / 2 and (Decimal(100), Decimal("103.5")) in below
    for p0, p1 in pairs:
        assert _thrust_signal(float(p0), float(p1)) == [False, True, False], (p0, p1)
        assert _thrust_signal(float(p0), float(p1 - Decimal("0.01"))) == [False, False, False], (p0, p1)


def test_thrust_threshold_to_12_decimals_and_one_ulp() -> None:
    # the quantity the rule compares, the gain at 12 decimals, is the threshold bit for bit
    assert np.round(103.5 / 100 - 1, 12) == 0.035
    assert _thrust_signal(100.0, 103.5) == [False, True, False]
    # a gain 1e-11 below the threshold does not fire, 1e-11 above does
    assert _thrust_signal(100.0, 103.499999999) == [False, False, False]
    assert _thrust_signal(100.0, 103.500000001) == [False, True, False]
    # the same exact 3.5% against a threshold one ulp above it, and one ulp below
    assert _thrust_signal(100.0, 103.5, threshold=float(np.nextafter(0.035, 1.0))) == [False, False, False]
    assert _thrust_signal(100.0, 103.5, threshold=float(np.nextafter(0.035, 0.0))) == [False, True, False]


def _thrust_days(moves: dict[int, float], hold: int) -> pd.DataFrame:
    gains = np.zeros(len(DAYS))
    for day, gain in moves.items():
        gains[day] = gain
    prices = flat(["small_cap", "large_cap"], DAYS).assign(small_cap_index=100.0 * np.cumprod(1.0 + gains))
    return weights(small_cap_thrust, prices, hold=hold, on_small=0.9, off_small=0.1)


def test_thrust_holds_exactly_hold_days() -> None:
    for hold in (1, 2, 5):
        w = _thrust_days({3: 0.05}, hold)
        on = on_at(DAYS, range(3, 3 + hold))  # the thrust day and hold - 1 after it; off on day 3 + hold
        assert signal(w) == on, hold
        assert column(w, "small_cap") == mix(on, 0.9, 0.1)
        assert np.allclose(w["small_cap"] + w["large_cap"], 1.0)


def test_a_new_thrust_restarts_the_count() -> None:
    # a second thrust on the first day after the hold (day 8 with hold 5) leaves no gap; one day later, one day off
    assert signal(_thrust_days({3: 0.05, 8: 0.05}, 5)) == on_at(DAYS, range(3, 13))
    assert signal(_thrust_days({3: 0.05, 9: 0.05}, 5)) == on_at(DAYS, [*range(3, 8), *range(9, 14)])


# --------------------------------------------------------------------------- rotation_spread


def _spread_signal(small: Decimal, growth: Decimal, **params: float) -> list[bool]:
    """The spread's signal on three days: both at 100, then at ``small`` and ``growth`` twice, hold 1."""
    prices = pd.DataFrame({"small_cap": [100.0, float(small), float(small)],
                           "growth": [100.0, float(growth), float(growth)]}, index=THREE)  # fmt: skip
    return signal(weights(rotation_spread, prices, hold=1, **params))


def test_spread_of_exactly_four_points_fires_whatever_the_returns() -> None:
    # small caps from -3% to +7% in 0.25% steps, growth exactly 4 points lower
    pairs = [(Decimal(100) + Decimal(bp) / 100, Decimal(100) + Decimal(bp - 400) / 100) for bp in range(-300, 701, 25)]
    assert all((s / 100 - 1) - (g / 100 - 1) == Decimal("0.04") for s, g in pairs)
    # in floats some of these spreads come out just below 0.04 (+0.5% against -3.5% among them)
    below = [(s, g) for s, g in pairs if (float(s) / 100 - 1) - (float(g) / 100 - 1) < 0.04]
    assert len(below) > 5 and (Decimal("100.5"), Decimal("96.5")) in below
    for s, g in pairs:
        assert _spread_signal(s, g) == [False, True, False], (s, g)
        assert _spread_signal(s - Decimal("0.01"), g) == [False, False, False], (s, g)  # 3.99 pp


def test_spread_threshold_to_12_decimals_and_one_ulp() -> None:
    s, g = Decimal("100.5"), Decimal("96.5")
    assert np.round((100.5 / 100 - 1) - (96.5 / 100 - 1), 12) == 0.04  # what the rule compares, bit for bit
    assert _spread_signal(s, g) == [False, True, False]
    assert _spread_signal(s - Decimal("0.000000001"), g) == [False, False, False]  # 4 pp - 1e-11
    assert _spread_signal(s + Decimal("0.000000001"), g) == [False, True, False]
    assert _spread_signal(s, g, threshold=float(np.nextafter(0.04, 1.0))) == [False, False, False]
    assert _spread_signal(s, g, threshold=float(np.nextafter(0.04, 0.0))) == [False, True, False]


def test_spread_holds_exactly_hold_days() -> None:
    r = np.zeros(len(DAYS))
    r[6] = 0.05  # small caps +5%, growth flat: a 5 pp spread day
    prices = pd.DataFrame({"small_cap": 100.0 * np.cumprod(1.0 + r), "growth": 100.0}, index=DAYS)
    for hold in (1, 4, 63):
        w = weights(rotation_spread, prices, hold=hold, on_small=0.75, off_small=0.5)
        on = on_at(DAYS, range(6, 6 + hold))
        assert signal(w) == on, hold
        assert column(w, "small_cap") == mix(on, 0.75, 0.5) and column(w, "growth") == mix(on, 0.25, 0.5)
