"""Property tests of the engine on random markets (hypothesis).

- Any book of target weights (non-negative, each day summing to at most 1)
  on any positive price path: the engine's daily returns equal the plain
  numpy bookkeeping of tests/reference.py to 1e-10, whatever the
  lag, fees, slippage, cash rate and rebalance policy. The trade days the
  reference is given are written out here from the policy's definition.
- A book holding 100% of the benchmark from before the first day, traded
  without costs, reports the benchmark's metrics (the run's benchmark is
  ``buy_and_hold``, another path through the engine).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.simulate import EngineParams, buy_and_hold, simulate

from property_settings import PROPERTY
from reference import reference_returns


@st.composite
def markets(draw: st.DrawFn, min_days: int = 30, max_days: int = 300) -> pd.DataFrame:
    """Positive closes of 1-4 tickers on 30-300 trading days: random walks, with flat days and jumps."""
    n = draw(st.integers(min_days, max_days))
    k = draw(st.integers(1, 4))
    vol = draw(st.floats(0.001, 0.06))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    r = rng.normal(0.0, vol, (n, k))
    r[rng.random((n, k)) < 0.05] = 0.0  # flat days (holidays of one market, a halted ticker)
    r[rng.random((n, k)) < 0.01] *= 8  # jumps
    start = pd.Timestamp("1995-01-02") + pd.offsets.BDay(draw(st.integers(0, 6000)))
    index = pd.bdate_range(start, periods=n, name="date")
    closes = draw(st.floats(0.5, 2000.0)) * np.cumprod(1.0 + np.clip(r, -0.9, 3.0), axis=0)
    return pd.DataFrame(closes, index=index, columns=[f"T{i}" for i in range(k)])


@st.composite
def books(draw: st.DrawFn, prices: pd.DataFrame, most: float) -> pd.DataFrame:
    """Target weights that change every few days (or daily), each row >= 0 and summing to at most ``most``."""
    n, k = prices.shape
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    every = draw(st.sampled_from([1, 3, 10, 40]))
    blocks = np.arange(n) // every
    raw = rng.random((blocks[-1] + 1, k)) * (rng.random((blocks[-1] + 1, k)) > 0.3)  # some tickers at 0
    totals = rng.uniform(0.0, most, blocks[-1] + 1)
    sums = raw.sum(axis=1, keepdims=True)
    rows = np.divide(raw, sums, out=np.zeros_like(raw), where=sums > 0) * totals[:, None]
    return pd.DataFrame(rows[blocks], index=prices.index, columns=prices.columns)


def _trade_days(weights: pd.DataFrame, lag: int, policy: str) -> np.ndarray:
    """The rebalance rule as documented: from the first executable bar, every bar whose lagged targets changed
    (and with 'monthly' each month's first bar); before the lag the book is all cash, so trading then is moot."""
    w = weights.to_numpy()
    n = len(w)
    days = np.zeros(n, dtype=bool)
    days[lag] = True
    for t in range(lag + 1, n):
        days[t] = not np.array_equal(w[t - lag], w[t - lag - 1])
    if policy == "monthly":
        month = weights.index.to_period("M")
        days[lag:] |= np.r_[True, month[1:] != month[:-1]][lag:]
    return days


# 25 examples: each runs vectorbt, a quarter second on a loaded 2-core machine after its first compile
@PROPERTY
@given(data=st.data())
def test_engine_matches_the_numpy_reference(data: st.DataObject) -> None:
    prices = data.draw(markets())
    lag = data.draw(st.integers(1, 3))
    rate = data.draw(st.sampled_from([None, 0.0001, 0.0004]))
    costs = [(0.0, 0.0), (1.0, 0.0), (0.0, 2.0), (10.0, 2.0), (50.0, 20.0)]
    fees_bps, slippage_bps = data.draw(st.sampled_from(costs))
    # a buy's costs come out of cash: with costs, leave 3% in cash (the reference requires it; so does a real book)
    weights = data.draw(books(prices, 1.0 if fees_bps == slippage_bps == 0 else 0.97))
    policy = data.draw(st.sampled_from(["on_change", "monthly"]))
    cash = None if rate is None else pd.Series(rate, index=prices.index)
    engine = EngineParams(lag=lag, fees_bps=fees_bps, slippage_bps=slippage_bps, rebalance=policy)

    sim = simulate({"s": weights}, prices, engine, prices.index[0], prices.index[-1], cash_returns=cash)["s"]
    days = _trade_days(weights, lag, policy)
    ref = reference_returns(prices, weights, lag, days, fees_bps / 1e4, slippage_bps / 1e4, cash)
    assert np.abs(sim.returns.to_numpy() - ref.to_numpy()).max() < 1e-10


@settings(PROPERTY, max_examples=15)
@given(data=st.data())
def test_a_book_equal_to_the_benchmark_has_its_metrics(data: st.DataObject) -> None:
    from simulator.pipeline.execute import metrics_frame

    prices = data.draw(markets(min_days=40))
    lag = data.draw(st.integers(1, 3))
    warm = data.draw(st.integers(lag, lag + 3))  # history before the first day: the lag's decisions are made there
    start, end = prices.index[warm], prices.index[-1]
    bench = str(data.draw(st.sampled_from(list(prices.columns))))
    book = pd.DataFrame(0.0, index=prices.index, columns=prices.columns).assign(**{bench: 1.0})
    engine = EngineParams(lag=lag, initial_cash=data.draw(st.floats(1.0, 1e9)))

    sims = simulate({"book": book}, prices, engine, start, end)
    sims["bench"] = buy_and_hold(prices[bench], start, end, engine.initial_cash)
    m = metrics_frame(sims, "bench")
    # the engine's value accounting and buy_and_hold's pct_change round differently in the last bits
    assert np.allclose(
        m.loc["book"].to_numpy(float), m.loc["bench"].to_numpy(float), rtol=1e-9, atol=1e-12, equal_nan=True
    )
    assert np.abs(sims["book"].returns.to_numpy() - sims["bench"].returns.to_numpy()).max() < 1e-12


def test_costs_with_a_cash_rate_come_out_of_cash() -> None:
    """Found by the property above: a cash asset ordered to all of 1 - sum(targets) paid the costs by cutting
    the last buy, often a ticker's, instead of out of cash."""
    rng = np.random.default_rng(1)
    index = pd.bdate_range("2000-01-03", periods=60, name="date")
    prices = pd.DataFrame(
        50 * np.cumprod(1 + rng.normal(0, 0.02, (60, 3)), axis=0), index=index, columns=["T0", "T1", "T2"]
    )
    weights = pd.DataFrame(rng.dirichlet(np.ones(3), 60) * 0.9, index=index, columns=prices.columns)
    cash = pd.Series(0.0001, index=index)
    engine = EngineParams(fees_bps=10, slippage_bps=5)
    sim = simulate({"s": weights}, prices, engine, index[0], index[-1], cash_returns=cash)["s"]
    ref = reference_returns(prices, weights, 1, _trade_days(weights, 1, "on_change"), 0.001, 0.0005, cash)
    assert np.abs(sim.returns.to_numpy() - ref.to_numpy()).max() < 1e-10
