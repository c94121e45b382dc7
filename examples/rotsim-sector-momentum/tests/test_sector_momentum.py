"""Tests for sector_momentum: rotsim's checks, then the rule checked by hand."""

from __future__ import annotations

import pytest
from rotsim_sector_momentum import SECTORS, sector_momentum

from simulator.testing import assert_strategy_ok, input_for


@pytest.mark.parametrize("params", [{}, {"lookback": 63, "top": 1}, {"lookback": 252, "top": 9}])
def test_passes_rotsim_checks(params: dict) -> None:
    assert_strategy_ok(sector_momentum, params)


def test_holds_the_best_sectors_from_each_month_start_to_the_next() -> None:
    data = input_for(sector_momentum)  # rotsim's synthetic market
    weights = sector_momentum.weights(data, {"lookback": 126, "top": 3})
    prices, days = data.prices, data.index
    starts = [i for i in range(1, len(days)) if days[i].month != days[i - 1].month and i >= 126]
    for k in range(0, len(starts) - 1, 7):  # every 7th month, computed from the definition
        i, j = starts[k], starts[k + 1]
        past = {role: prices[role].iloc[i] / prices[role].iloc[i - 126] - 1 for role in SECTORS}
        best = sorted(past, key=lambda r: -past[r])[:3]
        expected = [1 / 3 if role in best else 0.0 for role in SECTORS]
        for day in (i, j - 1):  # chosen at the month's first close, held to the month's last
            assert list(weights[list(SECTORS)].iloc[day]) == pytest.approx(expected), days[day]
    assert (weights.iloc[: starts[0]].sum(axis=1) == 0).all()  # cash before six months of history


def test_a_universe_role_overrides_the_default_ticker() -> None:
    data = input_for(sector_momentum, universe={"tech": "QQQ"})
    default = input_for(sector_momentum)
    assert not data.prices["tech"].equals(default.prices["tech"])  # QQQ, not XLK
    assert data.prices["energy"].equals(default.prices["energy"])  # still XLE
