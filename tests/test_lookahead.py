"""No look-ahead: what a strategy decides up to T cannot depend on data after T.

Runs for every registered strategy, so a new built-in is covered the day it
is registered.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.plugins import load_plugins
from simulator.testing import check_no_lookahead, input_for

STRATEGIES = sorted(load_plugins().strategies)
CUTS = ["2001-09-10", "2008-10-01", "2016-11-09", "2020-03-16", "2024-07-15"]


@pytest.mark.parametrize("name", STRATEGIES)
def test_truncating_after_t_leaves_earlier_weights_unchanged(name: str, registry) -> None:
    """The same check plugin authors run (simulator.testing), at market turning points and spread evenly.

    That the check catches peeking strategies is shown in test_testing_helpers.py.
    """
    strategy = registry.get(name)
    data = input_for(strategy)  # every role the synthetic market has, else the strategy's default tickers
    check_no_lookahead(strategy, data, cuts=CUTS)
    check_no_lookahead(strategy, data)


def test_macro_values_appear_only_after_publication() -> None:
    from simulator.data.market.alignment import as_known
    from simulator.data.market.series import SERIES

    idx = pd.bdate_range("2020-01-01", "2020-06-30")
    monthly = pd.Series([0.0, 1.0, 1.0], index=pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"]))
    known = as_known(monthly, SERIES["recession"], 30, idx)
    # February's flag is published 30 days after February ends (2020-02-29 + 30 = 2020-03-30)
    assert known.loc["2020-03-27"] == 0.0 and known.loc["2020-03-30"] == 1.0
    assert known.loc[:"2020-01-31"].isna().all()  # January's value not known until March 1
    daily = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2020-01-02", "2020-01-03", "2020-01-06"]))
    lagged = as_known(daily, SERIES["fed_funds"], 1, idx)
    assert lagged.loc["2020-01-03"] == 1.0 and lagged.loc["2020-01-06"] == 2.0 and lagged.loc["2020-01-07"] == 3.0


def test_observation_dates_come_with_the_input_tell_repeats_apart_and_are_cut_with_it(registry) -> None:
    from simulator.data.market.alignment import observed_as_known
    from simulator.data.market.series import SERIES

    idx = pd.bdate_range("2020-01-01", "2020-06-30")
    monthly = pd.Series([2.0, 2.0, 2.5], index=pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"]))
    observed = observed_as_known(monthly, SERIES["cpi_yoy"], 15, idx)
    # January's rate is out on 01-31 + 15 = 02-15, a Saturday; February's equals it, and its observation date
    # still moves on its day (02-29 + 15 = 03-15, a Sunday)
    assert observed.loc[:"2020-02-14"].isna().all() and observed.loc["2020-02-17":"2020-03-13"].eq("2020-01-01").all()
    assert observed.loc["2020-03-16"] == pd.Timestamp("2020-02-01")
    assert observed.loc["2020-04-15"] == pd.Timestamp("2020-03-01")
    data = input_for(registry.get("growth_inflation_quads"))
    assert data.observed is not None and list(data.observed.columns) == list(data.macro.columns)
    assert data.observed.isna().equals(data.macro.isna())
    cut = data.truncate(data.index[len(data.index) // 2])
    assert cut.observed is not None and cut.observed.equals(data.observed.loc[: cut.index[-1]])
