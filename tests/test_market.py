"""Market alignment: splices, unit conversion and the warnings about stale or late series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.data.market import build_market


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
