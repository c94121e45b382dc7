"""Market alignment: splices, unit conversion and the warnings about stale or late series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.data.market.alignment import build_market


class MemorySource:
    """A Source over Series held in memory."""

    name = "memory"
    synthetic = True

    def __init__(self, prices: dict[str, pd.Series], series: dict[str, pd.Series]) -> None:
        self.prices, self.series = prices, series

    def missing(self, tickers, series):  # noqa: ANN001, ANN201
        return [t for t in tickers if t not in self.prices] + [i for i in series if i not in self.series]

    def load_prices(self, tickers):  # noqa: ANN001, ANN201
        return {t: self.prices[t] for t in tickers}

    def load_series(self, ids):  # noqa: ANN001, ANN201
        return {i: self.series[i] for i in ids}


DAYS = pd.bdate_range("2000-01-03", "2000-12-29", name="date")
SPY = pd.Series(np.linspace(100, 120, len(DAYS)), index=DAYS)


def test_risk_free_splices_ken_french_before_the_bill_rate() -> None:
    ff = pd.Series(0.02, index=pd.bdate_range("1999-12-01", "2000-06-30"))  # percent per day
    dtb3 = pd.Series(6.0, index=DAYS[DAYS >= "2000-07-03"])  # percent per year
    market = build_market(MemorySource({"SPY": SPY}, {"FF:RF": ff, "DTB3": dtb3}), [], "SPY", ["risk_free"])
    rf = market.macro["risk_free"]
    assert rf.loc["2000-03-01"] == pytest.approx(((1.0002) ** 252 - 1) * 100)
    assert rf.loc["2000-07-05"] == 6.0  # DTB3 wins from its first date (known a business day later)
    assert not market.warnings


def test_without_the_optional_id_the_bill_rate_alone_serves() -> None:
    dtb3 = pd.Series(6.0, index=DAYS[DAYS >= "2000-07-03"])
    market = build_market(MemorySource({"SPY": SPY}, {"DTB3": dtb3}), [], "SPY", ["risk_free"])
    assert market.macro["risk_free"].loc[:"2000-06-30"].isna().all()
    assert any("risk_free: first known on 2000-07-04" in w for w in market.warnings)


def test_a_series_that_stops_early_is_named_in_a_warning() -> None:
    dgs2 = pd.Series(5.0, index=DAYS[DAYS < "2000-11-01"])
    market = build_market(MemorySource({"SPY": SPY}, {"DGS2": dgs2}), [], "SPY", ["y2"])
    assert market.macro["y2"].iloc[-1] == 5.0
    assert any(w.startswith("y2: last observed on 2000-10-31") for w in market.warnings)


def test_strategies_see_each_inputs_history_before_the_run() -> None:
    """The run starts where every ticker has a price; a strategy's input reaches back to its inputs' own starts."""
    iwm = SPY[SPY.index >= "2000-06-01"] / 2  # starts five months after SPY
    rut = pd.Series(np.linspace(50, 60, 400), index=pd.bdate_range("1999-01-04", periods=400))  # before SPY
    dgs2 = pd.Series(5.0, index=pd.bdate_range("1998-01-02", "2000-12-29"))  # a daily rate from 1998
    source = MemorySource({"SPY": SPY, "IWM": iwm, "^RUT": rut}, {"DGS2": dgs2})
    market = build_market(source, ["IWM", "^RUT"], "SPY", ["y2"])
    assert market.start == pd.Timestamp("2000-06-01")  # the run: every ticker priced
    data = market.input_for({"small_cap": "IWM", "large_cap": "SPY", "index": "^RUT"}, ["y2"])
    # weekdays before any price, from the day the rate was first known (posted the next business day)
    assert data.index[0] == pd.Timestamp("1998-01-05") and data.macro["y2"].iloc[0] == 5.0
    assert len(data.index[data.index < rut.index[0]]) == len(pd.bdate_range("1998-01-05", "1999-01-01"))
    # each role from its own first price: ^RUT on its own days before SPY's, SPY from its first, IWM from June
    assert data.prices["index"].first_valid_index() == rut.index[0]
    assert data.prices["large_cap"].first_valid_index() == SPY.index[0]
    assert data.prices["small_cap"].first_valid_index() == iwm.index[0]
    np.testing.assert_array_equal(data.prices["index"].loc[:"1999-12-31"].dropna(), rut.loc[:"1999-12-31"])
    # a strategy reading only SPY starts on SPY's first day: none of the days before its inputs begin
    assert market.input_for({"large_cap": "SPY"}, []).index[0] == SPY.index[0]
    # the simulated days are the benchmark's: every ticker priced there, no warning about the warm-up
    assert not market.prices.loc[market.start :].isna().any().any()
    assert not market.warnings


def test_a_book_in_cash_before_its_first_decision_earns_the_cash_rate() -> None:
    from simulator.engine.simulate import EngineParams, simulate

    prices = pd.DataFrame({"SPY": SPY})
    weights = pd.DataFrame({"SPY": 1.0}, index=DAYS)
    weights.iloc[:10] = np.nan  # no decision on the first ten closes (a strategy still warming up)
    rate = pd.Series(0.0002, index=DAYS)  # daily
    sim = simulate({"b": weights}, prices, EngineParams(lag=1), DAYS[0], DAYS[-1], rate)["b"]
    # the decision of close 10 trades at close 11: until then all cash, earning the rate
    np.testing.assert_allclose(sim.returns.iloc[1:12], 0.0002, rtol=0, atol=1e-15)
    assert sim.first_target == DAYS[11]
    np.testing.assert_allclose(sim.returns.iloc[12:], SPY.pct_change().iloc[12:], rtol=0, atol=1e-12)
