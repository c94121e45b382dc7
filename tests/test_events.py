"""Trigger days (``weights.attrs["events"]``): declared by the built-ins, apart from the holding spells.

The rule of each (docstrings): the thrust and the spread day are every day
the rule fires, a re-trigger while holding included; the first cut is each
cut that passes the filters; the election barbell's, the policy curve's and
the yield tilt's are the days their signal turns on. The expected days are
written out from prices made for the purpose, or derived from the
strategy's signal with plain pandas; ``static_weights`` has no trigger and
declares none. That events never look ahead is ``tests/test_lookahead.py``
(every installed strategy) and ``test_testing_helpers.py`` (a peeking one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.contract import StrategyError, StrategyInput, strategy
from simulator.contract.signals import with_events
from simulator.testing import input_for

from rule_inputs import DAYS, flat, on_at, weights


def _events(w: pd.DataFrame) -> list[bool]:
    return [bool(x) for x in w.attrs["events"]]


def test_thrust_events_are_every_thrust_day_not_the_holding_spell(registry) -> None:
    gains = {3: 0.035, 5: 0.04, 20: 0.0349}  # day 5 re-triggers inside the hold; day 20 falls short
    index = DAYS[:30]
    r = pd.Series(0.0, index=index)
    for day, g in gains.items():
        r.iloc[day] = g
    prices = flat(["small_cap", "large_cap"], index).assign(small_cap_index=100 * (1 + r).cumprod())
    w = weights(registry.get("small_cap_thrust"), prices, hold=10)
    assert _events(w) == on_at(index, [3, 5])
    assert [bool(x) for x in w.attrs["signal"]] == on_at(index, range(3, 15))


def test_spread_events_are_the_spread_days(registry) -> None:
    index = DAYS[:20]
    small = pd.Series(0.0, index=index)
    small.iloc[[4, 9]] = [0.045, 0.039]  # 4.5 pp: a spread day; 3.9 pp: not
    prices = pd.DataFrame({"small_cap": 100 * (1 + small).cumprod(), "growth": 100.0}, index=index)
    w = weights(registry.get("rotation_spread"), prices, hold=3)
    assert _events(w) == on_at(index, [4])


@pytest.mark.parametrize("name", ["election_barbell", "policy_curve_trigger", "yield_tilt"])
def test_events_are_the_days_the_signal_turns_on(registry, name: str) -> None:
    s = registry.get(name)
    data = input_for(s)
    w = s.weights(data, s.resolve_params({}))
    signal = w.attrs["signal"].to_numpy(dtype=bool)
    expected = np.r_[False, signal[1:] & ~signal[:-1]]
    assert _events(w) == expected.tolist() and expected.sum() >= 3


def test_barbell_events_are_each_election_years_first_trading_day(registry) -> None:
    s = registry.get("election_barbell")
    w = s.weights(input_for(s), s.resolve_params({}))
    days = w.index[w.attrs["events"].to_numpy()]
    first_days = pd.Series(w.index, index=w.index).groupby(w.index.year).min()
    assert list(days) == [first_days[y] for y in first_days.index if y % 4 == 0 and y != w.index[0].year]


def test_first_cut_events_start_each_holding_spell(registry) -> None:
    s = registry.get("rate_cut_regime")
    data = input_for(s)
    w = s.weights(data, s.resolve_params({"hold": 5}))
    events = w.attrs["events"]
    assert events.sum() >= 2
    # each event opens a five-day spell; the signal is exactly those spells
    held = pd.Series(False, index=w.index)
    for at in np.flatnonzero(events.to_numpy()):
        held.iloc[at : at + 5] = True
    assert w.attrs["signal"].equals(held)


def test_static_weights_declare_no_events(registry) -> None:
    s = registry.get("static_weights")
    assert "events" not in s.weights(input_for(s), s.resolve_params({})).attrs


def test_events_do_not_change_the_weights(registry) -> None:
    s = registry.get("small_cap_thrust")
    data = input_for(s)
    w = s.weights(data, s.resolve_params({}))
    assert w.attrs["events"].any()
    gain = data.prices["small_cap_index"].pct_change(fill_method=None).round(12)
    on = (gain >= 0.035).astype(float).rolling(252, min_periods=1).max().gt(0)
    assert w["small_cap"].equals(on.astype(float).rename("small_cap"))


@strategy(roles=("large_cap",))
def _marks_a_list(data: StrategyInput) -> pd.DataFrame:
    w = pd.DataFrame({"large_cap": 1.0}, index=data.index)
    w.attrs["events"] = [False] * len(data.index)
    return w


def test_a_malformed_events_mark_is_the_strategys_failure() -> None:
    data = StrategyInput(flat(["large_cap"], DAYS[:5]), pd.DataFrame(index=DAYS[:5]))
    with pytest.raises(StrategyError, match=r"attrs\['events'\]"):
        _marks_a_list.weights(data, {})


def test_with_events_sets_booleans_and_keeps_the_weights() -> None:
    w = pd.DataFrame({"x": [0.5, 0.5, 0.5]}, index=DAYS[:3])
    out = with_events(w, pd.Series([None, True, False], index=DAYS[:3], dtype=object))
    assert out is w and out.attrs["events"].tolist() == [False, True, False] and out["x"].tolist() == [0.5] * 3
