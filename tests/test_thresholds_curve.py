"""policy_curve_trigger at its margin and its day counts.

The rule (docstring): the signal turns on at the close of the
``confirm_days``-th day in a row with y2 - fed_funds > ``margin`` and off at
the close of the ``confirm_days``-th day in a row with it at or below; with
``cross_within`` N it is on only for the first N trading days after turning
on. The spread is written to equal the margin exactly in decimal, or one
basis point or one float ulp of the margin either side; day counts are run
N - 1, N and N + 1 days long. Expected days are written out from the rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotsim_strategies import policy_curve_trigger

from rule_inputs import DAYS, column, flat, mix, on_at, signal, weights

LEVELS = [n / 100 for n in range(0, 601, 5)]  # fed funds from 0% to 6% in 5 bp steps, one a day


def _curve(y2: list[float], fed_funds: list[float], **params: object) -> pd.DataFrame:
    index = pd.bdate_range("2001-01-01", periods=len(y2))
    macro = pd.DataFrame({"fed_funds": fed_funds, "y2": y2}, index=index)
    return weights(policy_curve_trigger, flat(["small_cap", "large_cap"], index), macro, **params)


def test_a_spread_of_exactly_the_margin_is_not_above_it() -> None:
    at = [round(ff + 0.10, 2) for ff in LEVELS]  # exactly 10 bp above, in decimal
    # in floats many of these spreads come out just above 0.1 (2.35 - 2.25 is 0.10000000000000009)
    assert sum(y - ff > 0.1 for y, ff in zip(at, LEVELS, strict=True)) > 5 and 2.35 - 2.25 > 0.1
    assert np.round(2.35 - 2.25, 12) == 0.1  # the spread as the rule compares it is the margin, bit for bit
    assert not any(signal(_curve(at, LEVELS, margin=0.1, confirm_days=1)))
    above = [round(ff + 0.11, 2) for ff in LEVELS]
    assert all(signal(_curve(above, LEVELS, margin=0.1, confirm_days=1)))
    # the margin one ulp below a spread of exactly 0.1, then one ulp above it
    assert all(signal(_curve(at, LEVELS, margin=float(np.nextafter(0.1, 0.0)), confirm_days=1)))
    assert not any(signal(_curve(at, LEVELS, margin=float(np.nextafter(0.1, 1.0)), confirm_days=1)))
    # the default margin 0: equal rates are not "above"
    assert not any(signal(_curve(LEVELS, LEVELS, confirm_days=1)))


# y2 against fed funds at 2.25, day by day: "+" above, "=" equal, "-" below
PATTERN = "---++++===++++++++++--==+-=-=-++++++++++"
Y2 = {"+": 2.5, "=": 2.25, "-": 2.0}


def test_confirm_days_counts_exactly_n_days_in_a_row() -> None:
    y2 = [Y2[c] for c in PATTERN]
    assert len(y2) == 40
    w = _curve(y2, [2.25] * 40, on_small=0.8, off_small=0.3)  # confirm_days 5, the default
    # days 3-6: 4 above, not enough; 10-19: on at the 5th (14); 20-23: 4 at or below, still on; 24 above;
    # 25-29: 5 at or below (equal counts as below), off at the 5th (29); 30-39: on at the 5th (34)
    on = on_at(DAYS, [*range(14, 29), *range(34, 40)])
    assert signal(w) == on
    assert column(w, "small_cap") == mix(on, 0.8, 0.3)
    # four days in a row suffice with confirm_days 4 (days 3-6 switch on at 6; 7-9 are only three below)
    four = _curve(y2, [2.25] * 40, confirm_days=4)
    assert signal(four) == on_at(DAYS, [*range(6, 23), *range(33, 40)])


def test_cross_within_holds_exactly_n_days_after_turning_on() -> None:
    y2 = [Y2[c] for c in PATTERN]
    for n in (1, 3):
        w = _curve(y2, [2.25] * 40, cross_within=n)
        assert signal(w) == on_at(DAYS, [*range(14, 14 + n), *range(34, 34 + n)]), n
