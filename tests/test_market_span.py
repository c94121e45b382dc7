"""The simulated span, the content hashes and the benchmark, in process (the CLI tests reach them too, slowly).

Mutation testing (CONTRIBUTING.md) showed these reached only by tests that
run ``rotsim`` end to end, which its fast selection leaves out: a run's
``start``/``end`` ignored or its last day dropped, the span's warnings, the
hashes in the manifest blind to the values, and the untraded benchmark.
Expected days and values come from the hand-made prices here.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from test_market import MemorySource

from simulator.data.market.alignment import MIN_BARS, MarketData, build_market
from simulator.engine.simulate import buy_and_hold
from simulator.errors import DataError

DAYS = pd.bdate_range("2001-01-01", "2001-12-31", name="date")
SPY = pd.Series(100 * np.cumprod(1 + np.sin(np.arange(len(DAYS))) / 100), index=DAYS, name="SPY")
IWM = SPY.loc["2001-03-01":"2001-10-31"].rename("IWM") * 0.5  # starts later, ends earlier


def _market(start: date | None = None, end: date | None = None, prices: dict | None = None) -> MarketData:
    return build_market(MemorySource(prices or {"SPY": SPY, "IWM": IWM}, {}), ["IWM"], "SPY", start=start, end=end)


def test_the_span_is_where_every_ticker_has_a_price() -> None:
    market = _market()
    assert (market.start, market.end) == (pd.Timestamp("2001-03-01"), pd.Timestamp("2001-10-31"))
    assert market.prices.index[-1] == pd.Timestamp("2001-10-31")  # nothing after the end is kept
    assert not market.warnings


def test_start_and_end_inside_the_data_are_kept_to_the_day() -> None:
    market = _market(date(2001, 4, 2), date(2001, 9, 28))
    assert (market.start, market.end) == (pd.Timestamp("2001-04-02"), pd.Timestamp("2001-09-28"))
    assert market.prices.index[-1] == pd.Timestamp("2001-09-28")
    assert not market.warnings


def test_start_and_end_on_weekends_move_inwards_to_trading_days() -> None:
    market = _market(date(2001, 4, 1), date(2001, 9, 30))  # a Sunday each
    assert (market.start, market.end) == (pd.Timestamp("2001-04-02"), pd.Timestamp("2001-09-28"))


def test_a_span_beyond_the_data_is_clipped_with_a_warning_naming_the_ticker() -> None:
    market = _market(date(2001, 1, 15), date(2001, 12, 14))
    assert (market.start, market.end) == (pd.Timestamp("2001-03-01"), pd.Timestamp("2001-10-31"))
    assert "IWM starts on 2001-03-01; the run starts there, not on 2001-01-15" in market.warnings
    assert "IWM ends on 2001-10-31; the run ends there, not on 2001-12-14" in market.warnings


def test_a_span_of_min_bars_runs_and_one_day_less_is_refused() -> None:
    first = pd.Timestamp("2001-03-01")
    last_ok = DAYS[DAYS.get_loc(first) + MIN_BARS - 1]
    market = _market(first.date(), last_ok.date())
    assert len(market.prices.loc[market.start : market.end]) == MIN_BARS
    with pytest.raises(DataError, match=f"only {MIN_BARS - 1} trading days between 2001-03-01 and"):
        _market(first.date(), DAYS[DAYS.get_loc(last_ok) - 1].date())


def test_the_hashes_change_with_the_values_and_only_for_the_changed_ticker() -> None:
    before = _market().hashes
    after = _market(prices={"SPY": SPY, "IWM": IWM.mask(IWM.index == "2001-06-01", IWM * 1.0001)}).hashes
    assert set(before) >= {"SPY", "IWM"}
    assert after["SPY"] == before["SPY"] and after["IWM"] != before["IWM"]


def test_buy_and_hold_is_the_closes_own_return_from_the_first_close() -> None:
    start, end = pd.Timestamp("2001-02-01"), pd.Timestamp("2001-11-30")
    bench = buy_and_hold(SPY, start, end, initial_cash=2_500.0)
    closes = SPY.loc[start:end].to_numpy()
    expected = np.r_[0.0, closes[1:] / closes[:-1] - 1]
    assert bench.returns.index[0] == start and bench.returns.index[-1] == end
    assert np.abs(bench.returns.to_numpy() - expected).max() == 0.0
    np.testing.assert_allclose(bench.value.to_numpy(), 2_500.0 * closes / closes[0], rtol=1e-15)
    assert bench.orders.empty and bench.turnover == 0.0 and bench.exposure == 1.0
    assert (bench.weights["SPY"] == 1.0).all() and (bench.cash == 0.0).all()
    assert bench.first_target == start
