"""rate_cut_regime's first cuts from the effective fed funds rate, for the years before a published target.

Hand-built rates with hand-computed month averages: a month whose average is
25 bp or more below the highest average of the 6 months before it eases, and
the ease is acted on at the next month's first trading day; a first cut has
no ease in the 365 days before. The truncation property is checked on the
rule itself: a month's average is only read once the month is over.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.contract import StrategyInput

from property_settings import PROPERTY

DAYS = pd.bdate_range("1960-01-04", "1964-12-31")  # months readable from 1960-08-01 (6 months before)


def _rule():
    return importlib.import_module("rotsim_strategies.rate_cut_regime").funds_first_cuts


def _funds(levels: dict[str, float], start: float = 4.0) -> pd.Series:
    """A rate of ``start`` percent that moves to each level from its day on."""
    rate = pd.Series(start, index=DAYS)
    for day, level in levels.items():
        rate[day:] = level
    return rate


def _fired(events: pd.Series) -> list[str]:
    return [str(d.date()) for d in events.index[events.to_numpy(dtype=bool)]]


def test_a_month_averaging_25bp_below_its_6_month_high_is_acted_on_next_month() -> None:
    # 4.00% to 1962-03-14, then 3.50%: March's 22 trading days average (10 x 4.00 + 12 x 3.50) / 22
    funds = _funds({"1962-03-15": 3.5})
    march = funds["1962-03"]
    assert len(march) == 22 and march.mean() == pytest.approx((10 * 4.0 + 12 * 3.5) / 22)  # 3.727: -27 bp
    assert _fired(_rule()(funds, 25.0, 365)) == ["1962-04-02"]  # April's first trading day
    # the same fall late in the month: March averages (20 x 4.0 + 2 x 3.5) / 22 = 3.955, so April eases
    assert _fired(_rule()(_funds({"1962-03-29": 3.5}), 25.0, 365)) == ["1962-05-01"]


def test_a_smaller_fall_or_one_within_a_year_is_not_a_first_cut() -> None:
    assert _fired(_rule()(_funds({"1962-03-01": 3.8}), 25.0, 365)) == []  # 20 bp
    assert _fired(_rule()(_funds({"1962-03-01": 3.8}), 15.0, 365)) == ["1962-04-02"]
    # March, April and May ease (acted on 04-02, 05-01, 06-01); a hike in June; November eases again,
    # 185 days after the last ease was acted on
    funds = _funds({"1962-03-01": 3.5, "1962-06-01": 4.0, "1962-11-01": 3.5})
    assert _fired(_rule()(funds, 25.0, 365)) == ["1962-04-02"]
    assert _fired(_rule()(funds, 25.0, 150)) == ["1962-04-02", "1962-12-03"]


def test_the_high_is_of_the_months_before() -> None:
    # January 4.5, February 4.4, March 4.2: March is 30 bp below January but only 20 below February
    funds = _funds({"1962-01-02": 4.5, "1962-02-01": 4.4, "1962-03-01": 4.2})
    assert _fired(_rule()(funds, 25.0, 365, months=6)) == ["1962-04-02"]
    assert _fired(_rule()(funds, 25.0, 365, months=1)) == []


def test_nothing_is_first_before_the_span_of_known_months() -> None:
    funds = _funds({"1960-12-01": 3.5})
    funds[:"1960-02-29"] = np.nan  # known from March 1960: the first month judged is September (read 10-03)
    # December eases (read 1961-01-02, 91 days after 1960-10-03), and so does each month to May
    assert _fired(_rule()(funds, 25.0, 60)) == ["1961-01-02"]
    assert _fired(_rule()(funds, 25.0, 365)) == []


def _walk(seed: int, n: int) -> pd.Series:
    rng = np.random.default_rng(seed)
    moves = rng.choice([-0.5, -0.25, 0.0, 0.25], n, p=[0.01, 0.02, 0.95, 0.02])
    rate = pd.Series(np.round(np.maximum(5.0 + np.cumsum(moves) + rng.normal(0, 0.05, n), 0), 2), index=DAYS[:n])
    rate[: rng.integers(0, n // 4)] = np.nan
    return rate


@settings(PROPERTY, max_examples=40)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(200, len(DAYS)),
    cut=st.floats(0.05, 1.0),
    drop=st.sampled_from([10.0, 25.0, 50.0]),
    months=st.integers(1, 12),
)
def test_no_first_cut_reads_the_future(seed: int, n: int, cut: float, drop: float, months: int) -> None:
    funds = _walk(seed, n)
    full = _rule()(funds, drop, 120, months)
    t = funds.index[int(cut * (n - 1))]
    part = _rule()(funds[:t], drop, 120, months)
    pd.testing.assert_series_equal(part, full[:t])


def test_the_strategy_takes_fed_funds_before_the_target_is_known_a_year(registry) -> None:
    # fed funds eases in March 1962 (acted on 04-02); the target is known from 1962-06-01, so from
    # 1963-06-01 its own first cuts count: 1963-08-01, not fed funds' ease of September 1963
    funds = _funds({"1962-03-15": 3.5, "1962-06-01": 4.0, "1963-09-16": 3.0})
    target = pd.Series(np.nan, index=DAYS)
    target["1962-06-01":] = 3.0
    target["1963-08-01":] = 2.75
    zero = pd.Series(0.0, index=DAYS)
    macro = pd.DataFrame({"fed_target": target, "fed_funds": funds, "recession": zero, "recession_hindsight": zero})
    prices = pd.DataFrame({"small_cap": 100.0, "large_cap": 100.0}, index=DAYS)
    s = registry.get("rate_cut_regime")
    data = StrategyInput(prices=prices, macro=macro)
    w = s.weights(data, s.resolve_params({"hold": 5, "before_target": "fed_funds"}))
    assert _fired(w.attrs["events"]) == ["1962-04-02", "1963-08-01"]
    assert w.loc["1962-04-02":"1962-04-06", "small_cap"].tolist() == [1.0] * 5
    assert w.loc["1962-04-09", "small_cap"] == 0.0
    plain = s.weights(data, s.resolve_params({"hold": 5}))
    assert _fired(plain.attrs["events"]) == ["1963-08-01"]
    assert {"fed_target", "fed_funds"} <= set(s.series_used(s.resolve_params({"before_target": "fed_funds"})))
    assert "fed_funds" not in s.series_used(s.resolve_params({}))
