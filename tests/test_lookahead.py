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
