"""No look-ahead: what a strategy decides up to T cannot depend on data after T.

Runs for every registered strategy, so a new built-in is covered the day it
is registered.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import UNIVERSE
from simulator.plugins import load_plugins

STRATEGIES = sorted(load_plugins().strategies)
CUTS = ["2001-09-10", "2008-10-01", "2016-11-09", "2020-03-16", "2024-07-15"]


@pytest.mark.parametrize("name", STRATEGIES)
def test_truncating_after_t_leaves_earlier_weights_unchanged(name: str, registry, sample_market) -> None:
    strategy = registry.get(name)
    params = strategy.resolve_params({})
    roles = strategy.input_roles(params, UNIVERSE)
    missing = [r for r in roles.values() if r not in UNIVERSE]
    assert not missing, f"add a ticker for role(s) {missing} to tests/conftest.py UNIVERSE"
    data = sample_market.strategy_input(roles, UNIVERSE, strategy.series)
    full = strategy.weights(data, params)
    for cut in CUTS:
        t = data.index[data.index.searchsorted(pd.Timestamp(cut))]
        part = strategy.weights(data.truncate(t), params)
        pd.testing.assert_frame_equal(part, full.loc[:t], check_freq=False, obj=f"{name} weights up to {t.date()}")


def test_the_check_catches_a_peeking_strategy(sample_market) -> None:
    """The truncation check is not vacuous: a strategy using tomorrow's return fails it."""
    from simulator.plugins import strategy

    @strategy(roles=("large_cap",))
    def peeker(data):  # noqa: ANN001, ANN202
        tomorrow = data.returns["large_cap"].shift(-1).fillna(0)
        return pd.DataFrame({"large_cap": (tomorrow > 0).astype(float)}, index=data.index)

    data = sample_market.strategy_input({"large_cap": "large_cap"}, UNIVERSE, ())
    full = peeker.weights(data, {})
    r = data.returns["large_cap"]
    t = r.index[[i for i in range(3000, 3100) if r.iloc[i + 1] > 0][0]]  # a day before an up day
    part = peeker.weights(data.truncate(t), {})
    assert not part.equals(full.loc[:t])


def test_macro_values_appear_only_after_publication(sample_market) -> None:
    from simulator.data.market import as_known
    from simulator.data.series import SERIES

    idx = pd.bdate_range("2020-01-01", "2020-06-30")
    monthly = pd.Series([0.0, 1.0, 1.0], index=pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"]))
    known = as_known(monthly, SERIES["recession"], 30, idx)
    # February's flag is published 30 days after February ends (2020-02-29 + 30 = 2020-03-30)
    assert known.loc["2020-03-27"] == 0.0 and known.loc["2020-03-30"] == 1.0
    assert known.loc[:"2020-01-31"].isna().all()  # January's value not known until March 1
    daily = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2020-01-02", "2020-01-03", "2020-01-06"]))
    lagged = as_known(daily, SERIES["fed_funds"], 1, idx)
    assert lagged.loc["2020-01-03"] == 1.0 and lagged.loc["2020-01-06"] == 2.0 and lagged.loc["2020-01-07"] == 3.0
