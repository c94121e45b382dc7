"""The engine against an independent computation, and the benchmark identity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.engine.metrics import performance
from simulator.engine.schedule import rebalance_mask
from simulator.engine.simulate import EngineParams, simulate

from reference import reference_book, reference_returns


def _prices(n: int = 400, k: int = 3, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2020-01-01", periods=n, name="date")
    rets = rng.normal(0.0003, 0.015, (n, k))
    return pd.DataFrame(50 * np.cumprod(1 + rets, axis=0), index=idx, columns=[f"T{i}" for i in range(k)])


def test_rebalanced_portfolio_matches_numpy_to_1e10() -> None:
    prices = _prices()
    rng = np.random.default_rng(3)
    # targets that change every ~20 days, with some cash left over
    raw = rng.uniform(0, 1, (len(prices), 3))
    raw = raw / raw.sum(axis=1, keepdims=True) * 0.9
    block = np.arange(len(prices)) // 20
    weights = pd.DataFrame(raw[block * 20], index=prices.index, columns=prices.columns)
    engine = EngineParams(lag=1, rebalance="on_change")
    sim = simulate({"s": weights}, prices, engine, prices.index[0], prices.index[-1])["s"]
    change = np.r_[False, (np.diff(block) != 0)]
    trade_days = np.zeros(len(prices), bool)
    trade_days[1] = True  # first executable bar with lag 1
    trade_days |= np.r_[False, change[:-1]]  # a change decided at t trades at t+1
    ref = reference_returns(prices, weights, 1, trade_days)
    assert np.abs(sim.returns.to_numpy() - ref.to_numpy()).max() < 1e-10
    assert (sim.targets.iloc[0] == 0).all()  # nothing is executable before the lag: all cash
    assert sim.first_target == prices.index[1]


@pytest.mark.parametrize("policy", ["monthly", "quarterly"])
def test_calendar_rebalance_matches_numpy(policy: str) -> None:
    prices = _prices(seed=5)
    weights = pd.DataFrame({"T0": 0.5, "T1": 0.3, "T2": 0.2}, index=prices.index)
    engine = EngineParams(lag=2, rebalance=policy)
    sim = simulate({"s": weights}, prices, engine, prices.index[0], prices.index[-1])["s"]
    period = prices.index.to_period("M" if policy == "monthly" else "Q")
    starts = np.r_[True, period[1:] != period[:-1]]
    trade_days = starts.copy()
    trade_days[:2] = False
    trade_days[2] = True  # first executable bar with lag 2
    ref = reference_returns(prices, weights, 2, trade_days)
    assert np.abs(sim.returns.to_numpy() - ref.to_numpy()).max() < 1e-10


def test_on_change_does_not_churn() -> None:
    prices = _prices()
    weights = pd.DataFrame({"T0": 0.5, "T1": 0.5, "T2": 0.0}, index=prices.index)
    sim = simulate({"s": weights}, prices, EngineParams(), prices.index[0], prices.index[-1])["s"]
    assert sim.orders["date"].nunique() == 1


def test_drift_rebalances_lag_bars_after_the_drift_is_seen() -> None:
    prices = _prices(seed=9)
    weights = pd.DataFrame({"T0": 0.5, "T1": 0.3, "T2": 0.0}, index=prices.index)  # 20% cash
    engine = EngineParams(rebalance="drift", drift_threshold=0.03, lag=1)
    sim = simulate({"s": weights}, prices, engine, prices.index[0], prices.index[-1])["s"]
    # bar by bar: after a trade at i, the first close j where a held weight (cash too)
    # is off by more than the threshold; the trade follows at j + lag
    p, w = prices.to_numpy(), np.array([0.5, 0.3, 0.0])
    expected, i = [1], 1  # the first executable bar
    for j in range(2, len(p)):
        if j < i:
            continue
        values = w * p[j] / p[i]
        total = values.sum() + 0.2
        off = max(np.abs(values / total - w).max(), abs(0.2 / total - 0.2))
        if off > 0.03 and j + 1 < len(p):
            expected.append(j + 1)
            i = j + 1
    trades = sorted(prices.index.get_indexer(sim.orders["date"].unique()))
    assert trades == expected and len(expected) > 3
    flags = np.zeros(len(p), bool)
    flags[expected] = True
    ref = reference_returns(prices, weights, 1, flags)
    assert np.abs(sim.returns.to_numpy() - ref.to_numpy()).max() < 1e-10
    assert rebalance_mask(weights.shift(1), prices, "drift", 0.03, lag=1).sum() == len(expected)


def test_costs_reduce_returns_by_the_fees_paid() -> None:
    prices = _prices()
    weights = pd.DataFrame({"T0": 1.0, "T1": 0.0, "T2": 0.0}, index=prices.index)
    free = simulate({"s": weights}, prices, EngineParams(), prices.index[0], prices.index[-1])["s"]
    costly = simulate({"s": weights}, prices, EngineParams(fees_bps=10), prices.index[0], prices.index[-1])["s"]
    # all the cash buys T0 once, at the first executable close: 10 bps of it go to fees, the rest grows as T0
    assert costly.value.iloc[-1] == pytest.approx(free.value.iloc[-1] / 1.001, rel=1e-12)
    assert costly.orders["fees"].sum() == pytest.approx(0.001 * costly.orders["value"].sum(), rel=1e-9)


def test_cash_earns_the_risk_free_rate() -> None:
    prices = _prices()
    weights = pd.DataFrame({"T0": 0.0, "T1": 0.0, "T2": 0.0}, index=prices.index)
    rf = pd.Series(0.0001, index=prices.index)
    sim = simulate({"s": weights}, prices, EngineParams(), prices.index[0], prices.index[-1], cash_returns=rf)["s"]
    # all in cash from the first executable bar: grows at exactly the rate
    assert np.allclose(sim.returns.iloc[2:], 0.0001, atol=1e-12)
    assert sim.exposure == 0.0


def test_engine_params_are_the_configs_engine_section() -> None:
    """The engine takes plain values; the pipeline makes them from the config, defaults included."""
    from dataclasses import fields

    from simulator.config import EngineConfig
    from simulator.pipeline.plan import engine_params

    assert {f.name for f in fields(EngineParams)} <= set(EngineConfig.model_fields)
    assert engine_params(EngineConfig()) == EngineParams()
    values = {"initial_cash": 5e4, "fees_bps": 3.0, "slippage_bps": 2.0, "lag": 2, "rebalance": "drift"}
    assert engine_params(EngineConfig(**values, drift_threshold=0.1)) == EngineParams(**values, drift_threshold=0.1)


@pytest.mark.parametrize(
    ("ticker", "label", "fees_bps", "slippage_bps", "rate"),
    [
        ("CASH", "cash", 10, 5, None),
        ("cash", "CASH", 10, 0, None),
        ("CASH", "CASH", 0, 0, 0.0002),
        ("cash", "cash", 0, 0, 0.0002),
    ],
)
def test_a_ticker_or_label_named_like_cash_is_an_ordinary_one(
    ticker: str, label: str, fees_bps: float, slippage_bps: float, rate: float | None
) -> None:
    """No ticker or label can take the place of the engine's cash: its weights, fees and returns are its own."""
    prices = _prices(seed=13).set_axis([ticker, "T1", "T2"], axis=1)
    rng = np.random.default_rng(4)
    block = np.arange(len(prices)) // 30
    raw = rng.uniform(0.2, 1.0, (block[-1] + 1, 3))
    raw = raw / raw.sum(axis=1, keepdims=True) * 0.9  # 10% cash pays the costs
    weights = pd.DataFrame(raw[block], index=prices.index, columns=prices.columns)
    cash = None if rate is None else pd.Series(rate, index=prices.index)
    engine = EngineParams(fees_bps=fees_bps, slippage_bps=slippage_bps)
    sim = simulate({label: weights}, prices, engine, prices.index[0], prices.index[-1], cash_returns=cash)[label]

    trade_days = np.r_[False, True, np.diff(block)[:-1] != 0]  # the first executable bar, then each change
    costs = (fees_bps / 1e4, slippage_bps / 1e4)
    ref = reference_returns(prices, weights, 1, trade_days, *costs, cash)
    assert np.abs(sim.returns.to_numpy() - ref.to_numpy()).max() < 1e-10
    assert list(sim.weights.columns) == [ticker, "T1", "T2"]
    held = reference_book(prices, weights, 1, trade_days, *costs, cash)[1]
    assert np.abs(sim.weights.to_numpy() - held).max() < 1e-10
    assert np.abs(sim.cash.to_numpy() - (1 - held.sum(axis=1))).max() < 1e-10
    fills = sim.orders[sim.orders["ticker"] == ticker]
    assert len(fills) == len(np.unique(block))  # the first buy and a trade at every change; no interest fills
    assert set(sim.orders["ticker"]) == {ticker, "T1", "T2"}
    slipped = np.where(fills["side"] == "buy", 1 + slippage_bps / 1e4, 1 - slippage_bps / 1e4)
    expected_fees = fees_bps / 1e4 * fills["size"].abs() * prices[ticker].loc[fills["date"]].to_numpy() * slipped
    assert fills["fees"].to_numpy() == pytest.approx(expected_fees, rel=1e-9)


def test_strategy_equal_to_benchmark_reports_identical_metrics(sample_market) -> None:
    from simulator.pipeline.execute import metrics_frame

    prices = sample_market.prices
    spy = pd.DataFrame({"SPY": 1.0}, index=prices.index)
    engine = EngineParams(fees_bps=5, slippage_bps=2)
    sims = simulate({"100% SPY": spy, "bench": spy.copy()}, prices, engine, sample_market.start, sample_market.end)
    m = metrics_frame(sims, "bench")
    pd.testing.assert_series_equal(m.loc["100% SPY"], m.loc["bench"], check_names=False)
    assert m.loc["bench", "beta"] == pytest.approx(1.0)


def test_metrics_agree_with_quantstats() -> None:
    qs = pytest.importorskip("quantstats")
    rng = np.random.default_rng(11)
    idx = pd.bdate_range("2010-01-01", periods=1500)
    r = pd.Series(rng.normal(0.0004, 0.012, len(idx)), index=idx)
    b = pd.Series(rng.normal(0.0003, 0.011, len(idx)), index=idx)
    m = performance(r, b)
    assert m["cagr"] == pytest.approx(qs.stats.cagr(r), rel=1e-9)
    assert m["sharpe"] == pytest.approx(qs.stats.sharpe(r), rel=1e-9)
    assert m["sortino"] == pytest.approx(qs.stats.sortino(r), rel=1e-9)
    assert m["volatility"] == pytest.approx(qs.stats.volatility(r), rel=1e-9)
    # quantstats puts a phantom starting value of 1 before the first close, as rotsim starts wealth at 1
    assert m["max_drawdown"] == pytest.approx(qs.stats.max_drawdown(r), rel=1e-12)
    first_loss = pd.Series([-0.1, 0.02, 0.03], index=idx[:3])  # a book paying its costs at the first close
    assert performance(first_loss)["max_drawdown"] == pytest.approx(-0.1, rel=1e-12)
    assert qs.stats.max_drawdown(first_loss) == pytest.approx(-0.1, rel=1e-12)
    assert m["calmar"] == pytest.approx(qs.stats.calmar(r), rel=1e-9)
    assert m["worst_year"] == pytest.approx(qs.stats.worst(r, aggregate="year"), rel=1e-12)
    greeks = qs.stats.greeks(r, b)
    assert m["beta"] == pytest.approx(greeks["beta"], rel=1e-9)
    assert m["alpha"] == pytest.approx(greeks["alpha"], rel=1e-9)
    # quantstats' information ratio is per day; rotsim's is annualised
    assert m["information_ratio"] == pytest.approx(qs.stats.information_ratio(r, b) * np.sqrt(252), rel=1e-9)
    # vectorbt, annualising over 252 days, agrees too
    import vectorbt as vbt  # noqa: F401 - registers the .vbt accessor

    assert m["sharpe"] == pytest.approx(r.vbt.returns(freq="1D", year_freq="252 days").sharpe_ratio(), rel=1e-9)
