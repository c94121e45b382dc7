"""Checks that the first mutation run (scripts/mutation.py) showed missing, each against a hand computation.

- metrics: the information ratio and Sharpe/Sortino over a daily rf against numpy
  formulas; max drawdown, worst year and a zero-denominator ratio on returns whose
  answers are known by construction;
- engine: the book's value in currency from ``initial_cash``; fills' side and price
  (close x (1 +- slippage)); no first target for a book that never decides; a drift
  rebalance set off by the cash weight alone, on the close worked out by hand;
- strategies: a thrust early in the data is held for ``hold`` days; a spread exactly at
  the threshold fires; a curve spread exactly at the margin is not above it, and the
  first day is not a cross; a first cut exactly ``span_days`` after the previous cut, or
  after the first known target, counts; static weights of 0 are allowed, negative ones
  and a sum over 1 are refused.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from rotsim_strategies.rate_cut_regime import first_cuts
from simulator.contract import StrategyInput
from simulator.engine.metrics import performance
from simulator.engine.simulate import EngineParams, simulate

from reference import YEAR

PERIODS = YEAR  # the tests' own trading year (tests/reference.py), not rotsim's


def _returns(seed: int, n: int = 600) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(rng.normal(0.0004, 0.012, n), index=pd.bdate_range("2015-01-01", periods=n))


# --------------------------------------------------------------------------- metrics


def test_information_ratio_is_mean_active_return_over_tracking_error() -> None:
    r, b = _returns(1), _returns(2)
    active = r.to_numpy() - b.to_numpy()
    expected = active.mean() / active.std(ddof=1) * np.sqrt(PERIODS)
    assert performance(r, b)["information_ratio"] == pytest.approx(expected, rel=1e-12)


def test_sharpe_and_sortino_are_of_the_returns_in_excess_of_rf_a_missing_day_counting_zero() -> None:
    r = _returns(3)
    rf = pd.Series(0.0001, index=r.index).drop(r.index[10])  # one day without a rate: 0 that day
    excess = r.to_numpy() - np.where(r.index == r.index[10], 0.0, 0.0001)
    downside = np.sqrt(np.mean(np.minimum(excess, 0.0) ** 2))
    m = performance(r, rf=rf)
    assert m["sharpe"] == pytest.approx(excess.mean() / excess.std(ddof=1) * np.sqrt(PERIODS), rel=1e-12)
    assert m["sortino"] == pytest.approx(excess.mean() / downside * np.sqrt(PERIODS), rel=1e-12)


def test_drawdown_and_worst_year_on_returns_built_to_give_them() -> None:
    days = pd.to_datetime(["2020-06-01", "2020-06-02", "2020-06-03", "2021-06-01", "2021-06-02"])
    r = pd.Series([0.10, -0.50, 0.20, 0.05, -0.10], index=days)
    m = performance(r)
    assert m["max_drawdown"] == pytest.approx(0.55 / 1.10 - 1.0)  # wealth 1.10 falls to 0.55
    assert m["worst_year"] == pytest.approx(1.10 * 0.50 * 1.20 - 1.0)  # 2020: -34%; 2021: -5.5%


def test_a_fall_from_the_starting_value_is_a_drawdown() -> None:
    r = pd.Series([-0.20, 0.10], index=pd.bdate_range("2020-01-01", periods=2))
    assert performance(r)["max_drawdown"] == pytest.approx(-0.20)  # wealth starts at its peak of 1


def test_a_book_that_never_falls_has_no_calmar_ratio() -> None:
    r = pd.Series(0.001, index=pd.bdate_range("2020-01-01", periods=300))
    m = performance(r)
    assert m["max_drawdown"] == 0.0 and np.isnan(m["calmar"])  # CAGR / 0 is undefined, not infinite


# --------------------------------------------------------------------------- engine


def _two_tickers(n: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    idx = pd.bdate_range("2021-01-04", periods=n)
    return pd.DataFrame(40 * np.cumprod(1 + rng.normal(0, 0.01, (n, 2)), axis=0), index=idx, columns=["A", "B"])


def test_value_is_in_currency_from_the_initial_cash() -> None:
    prices = _two_tickers()
    weights = pd.DataFrame({"A": 0.5, "B": 0.5}, index=prices.index)
    sim = simulate({"s": weights}, prices, EngineParams(initial_cash=12_345.0), prices.index[0], prices.index[-1])["s"]
    assert sim.value.iloc[0] == pytest.approx(12_345.0)
    growth = np.prod(1.0 + sim.returns.to_numpy())
    assert sim.value.iloc[-1] == pytest.approx(12_345.0 * growth, rel=1e-12)


def test_fills_name_their_side_and_price_with_slippage() -> None:
    prices = _two_tickers()
    switch = prices.index[10]
    weights = pd.DataFrame({"A": 0.6, "B": 0.4}, index=prices.index)
    weights.loc[switch:] = [0.4, 0.6]  # decided at the close of day 10, traded at day 11's
    engine = EngineParams(slippage_bps=10)
    orders = simulate({"s": weights}, prices, engine, prices.index[0], prices.index[-1])["s"].orders
    day = orders[orders["date"] == prices.index[11]].set_index("ticker")
    assert day.loc["A", "side"] == "sell" and day.loc["B", "side"] == "buy"
    assert day.loc["A", "price"] == pytest.approx(prices.loc[prices.index[11], "A"] * (1 - 0.001))
    assert day.loc["B", "price"] == pytest.approx(prices.loc[prices.index[11], "B"] * (1 + 0.001))


def test_a_book_that_never_decides_has_no_first_target() -> None:
    prices = _two_tickers()
    never = pd.DataFrame({"A": np.nan, "B": np.nan}, index=prices.index)
    sim = simulate({"s": never}, prices, EngineParams(), prices.index[0], prices.index[-1])["s"]
    assert sim.first_target is None and (sim.cash == 1.0).all()


def test_drift_of_the_cash_weight_alone_sets_off_a_rebalance() -> None:
    # Two tickers of 25% rising 1% a day together, 50% cash: after k days each ticker is
    # off by 0.5 g/(g + 1) - 0.25 and cash by 0.5 - 1/(g + 1) (g = 1.01^k), twice as much;
    # cash passes 0.05 at g > 1/0.45 - 1 while the tickers would need g > 1.5.
    n = 60
    idx = pd.bdate_range("2021-01-04", periods=n)
    g = 1.01 ** np.arange(n)
    prices = pd.DataFrame({"A": 20 * g, "B": 30 * g}, index=idx)
    weights = pd.DataFrame({"A": 0.25, "B": 0.25}, index=idx)
    engine = EngineParams(rebalance="drift", drift_threshold=0.05, lag=1)
    orders = simulate({"s": weights}, prices, engine, idx[0], idx[-1])["s"].orders
    first_trade = 1  # the first close the lagged target can trade
    seen = next(k for k in range(1, n) if 0.5 - 1 / (1.01**k + 1) > 0.05)  # closes after the first trade
    assert sorted(idx.get_indexer(orders["date"].unique()))[:2] == [first_trade, first_trade + seen + 1]


# --------------------------------------------------------------------------- strategies


def test_a_thrust_in_the_first_days_of_data_is_held_for_hold_days(registry) -> None:
    idx = pd.bdate_range("2020-01-01", periods=40)
    index_px = np.full(len(idx), 100.0)
    index_px[3:] = 104.0  # +4% on day 3
    prices = pd.DataFrame({"small_cap": 100.0, "large_cap": 100.0, "small_cap_index": index_px}, index=idx)
    s = registry.get("small_cap_thrust")
    w = s.weights(StrategyInput(prices, pd.DataFrame(index=idx)), s.resolve_params({"hold": 20}))
    expected = [3 <= i < 23 for i in range(len(idx))]  # the thrust day and the 19 after it
    assert w.attrs["signal"].tolist() == expected


def test_a_cut_exactly_span_days_after_the_last_one_or_the_first_value_is_a_first_cut() -> None:
    days = pd.date_range("2019-01-01", "2021-06-30", freq="D")
    target = pd.Series(3.0, index=days)
    target["2020-01-01":] = 2.75  # 365 days after the first known value (2019-01-01)
    target["2020-12-31":] = 2.50  # 365 days after that cut (2020 is a leap year)
    target["2021-03-01":] = 2.25  # 60 days after: part of the same cycle
    got = first_cuts(target, 365)
    assert list(got[got].index) == [pd.Timestamp("2020-01-01"), pd.Timestamp("2020-12-31")]


def _weights(registry, name: str, prices: pd.DataFrame, macro: pd.DataFrame | None = None, **params) -> pd.DataFrame:
    s = registry.get(name)
    macro = pd.DataFrame(index=prices.index) if macro is None else macro
    return s.weights(StrategyInput(prices, macro), s.resolve_params(params))


def test_a_spread_exactly_at_the_threshold_fires(registry) -> None:
    idx = pd.bdate_range("2020-01-01", periods=20)
    small = np.full(len(idx), 100.0)
    small[5:] = 125.0  # +25% on day 5, exactly: 125 / 100 - 1 is 0.25 in binary floating point
    prices = pd.DataFrame({"small_cap": small, "growth": 100.0}, index=idx)
    w = _weights(registry, "rotation_spread", prices, threshold=0.25, hold=3)
    assert w.attrs["signal"].tolist() == [5 <= i < 8 for i in range(len(idx))]


def _curve(registry, spread: list[float], **params) -> pd.Series:
    idx = pd.bdate_range("2020-01-01", periods=len(spread))
    macro = pd.DataFrame({"fed_funds": 2.0, "y2": 2.0 + np.array(spread)}, index=idx)
    prices = pd.DataFrame({"small_cap": 100.0, "large_cap": 100.0}, index=idx)
    return _weights(registry, "policy_curve_trigger", prices, macro, **params).attrs["signal"]


def test_a_two_year_yield_equal_to_fed_funds_is_not_above_it(registry) -> None:
    # level for 4 days, above for 4, level for 4: on from the 2nd day above, off from the 2nd level day
    signal = _curve(registry, [0.0] * 4 + [0.5] * 4 + [0.0] * 4, margin=0.0, confirm_days=2)
    assert signal.tolist() == [False] * 5 + [True] * 4 + [False] * 3


def test_a_curve_above_from_the_first_day_never_crosses(registry) -> None:
    signal = _curve(registry, [0.5] * 10, confirm_days=1, cross_within=5)
    assert not signal.any()  # there is no day before the first on which it was below


def test_static_weights_allow_zero_and_refuse_negative_weights_and_sums_over_one(registry) -> None:
    s = registry.get("static_weights")
    assert s.resolve_params({"weights": {"large_cap": 0.6, "small_cap": 0.0}})["weights"]["small_cap"] == 0.0
    with pytest.raises(ValidationError, match="long only"):
        s.resolve_params({"weights": {"large_cap": -0.1}})
    with pytest.raises(ValidationError, match="weights sum to 1.2000; at most 1"):
        s.resolve_params({"weights": {"large_cap": 0.7, "small_cap": 0.5}})
    with pytest.raises(ValidationError, match="at least one role"):
        s.resolve_params({"weights": {}})


def test_turnover_is_one_way_per_year_and_leaves_out_the_first_buy() -> None:
    """Switching all of the book from one ticker to the other trades twice its value: one-way, once a switch."""
    n = 126
    days = pd.bdate_range("2003-01-01", periods=n, name="date")
    rng = np.random.default_rng(5)
    prices = pd.DataFrame(50 * np.cumprod(1 + rng.normal(0, 0.01, (n, 2)), axis=0), index=days, columns=["A", "B"])
    in_a = (np.arange(n) // 21) % 2 == 0  # six spells of 21 days: five switches after the first buy
    book = pd.DataFrame({"A": in_a.astype(float), "B": (~in_a).astype(float)}, index=days)
    # the run starts on the second day: the first day's decision is bought at its first close
    sim = simulate({"s": book}, prices, EngineParams(lag=1), days[1], days[-1])["s"]
    assert sim.orders["date"].iloc[0] == days[1]
    switches, run_days = 5, n - 1
    assert sim.turnover == pytest.approx(switches / (run_days / PERIODS), rel=1e-12)
    held = simulate({"s": book.assign(A=1.0, B=0.0)}, prices, EngineParams(lag=1), days[1], days[-1])["s"]
    assert held.turnover == 0.0  # only the first buy, which is not turnover
    late = simulate({"s": book}, prices, EngineParams(lag=1), days[0], days[-1])["s"]
    # started on the decision's own day, the book is in cash a day and buys on the second: that buy counts,
    # one-way, as half a switch (cash into A, nothing sold)
    assert late.turnover == pytest.approx((switches + 0.5) / (n / PERIODS), rel=1e-12)
