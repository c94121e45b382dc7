"""threshold_cross exactly at its threshold, either side, up and down, alone and as a spread, over N days.

The rule (docstring): x = the signal role's return over ``days`` trading
days (minus the versus role's when ``spread``), at 12 decimals; an event
where x >= threshold ('up') or x <= threshold ('down'), every such day or
(``first_day``) the first of a run; held ``hold`` days. Prices are written
so x is the threshold exactly in decimal (checked with ``Decimal``), or a
cent either side; expectations are written out from the rule.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotsim_strategies import threshold_cross
from simulator.testing import assert_strategy_ok

from rule_inputs import DAYS, column, mix, on_at, signal, weights


def _events(w: pd.DataFrame) -> list[bool]:
    return [bool(x) for x in w.attrs["events"]]


def _path(levels: list[float], index: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """The signal role at these levels; held and neutral flat (traded, not read)."""
    index = DAYS[: len(levels)] if index is None else index
    return pd.DataFrame({"signal": levels, "held": 100.0, "neutral": 100.0}, index=index)


def _fires(levels: list[float], **params: object) -> list[bool]:
    return _events(weights(threshold_cross, _path(levels), hold=1, **params))


@pytest.mark.parametrize(("p1", "threshold", "direction"), [("103.5", 0.035, "up"), ("95", -0.05, "down")])
def test_one_day_return_of_exactly_the_threshold_fires_and_a_cent_short_does_not(
    p1: str, threshold: float, direction: str
) -> None:
    assert Decimal(p1) / 100 - 1 == Decimal(str(threshold))
    assert _fires([100.0, float(p1), float(p1)], threshold=threshold, direction=direction) == [False, True, False]
    short = Decimal(p1) - Decimal("0.01") if direction == "up" else Decimal(p1) + Decimal("0.01")
    assert _fires([100.0, float(short), float(short)], threshold=threshold, direction=direction) == [False] * 3
    beyond = Decimal(p1) + Decimal("0.01") if direction == "up" else Decimal(p1) - Decimal("0.01")
    assert _fires([100.0, float(beyond), float(beyond)], threshold=threshold, direction=direction) == [
        False,
        True,
        False,
    ]


def test_threshold_one_ulp_either_side() -> None:
    assert np.round(103.5 / 100 - 1, 12) == 0.035  # what the rule compares, bit for bit
    assert _fires([100.0, 103.5, 103.5], threshold=float(np.nextafter(0.035, 1.0))) == [False] * 3
    assert _fires([100.0, 103.5, 103.5], threshold=float(np.nextafter(0.035, 0.0))) == [False, True, False]


def test_n_day_return_is_close_over_the_close_n_days_before() -> None:
    # 100 -> 110 over 5 days: +10% on day 5 exactly; day 6 is 110 over day 1's 101: less
    levels = [100.0, 101.0, 102.0, 103.0, 104.0, 110.0, 110.0]
    assert _fires(levels, days=5, threshold=0.10) == on_at(DAYS[:7], [5])
    assert _fires(levels, days=5, threshold=0.1000001) == [False] * 7
    assert _fires(levels[:5] + [109.99, 109.99], days=5, threshold=0.10) == [False] * 7


def test_spread_of_exactly_the_threshold_over_versus() -> None:
    # signal +0.5%, versus -3.5%: a spread of exactly 4 points (0.04000000000000001 in floats, not above in decimal)
    prices = _path([100.0, 100.5, 100.5]).assign(versus=[100.0, 96.5, 96.5])
    assert (100.5 / 100 - 1) - (96.5 / 100 - 1) != 0.04
    assert _events(weights(threshold_cross, prices, hold=1, spread=True, threshold=0.04)) == [False, True, False]
    prices.loc[DAYS[1:3], "versus"] = 96.51  # 3.99 points
    assert _events(weights(threshold_cross, prices, hold=1, spread=True, threshold=0.04)) == [False] * 3


def test_every_day_counts_each_day_beyond_first_day_only_the_first_of_a_run() -> None:
    levels = [100.0, 100.0, 104.0, 108.16, 108.16, 112.49]  # +4% on days 2, 3 and 5
    assert _fires(levels, threshold=0.035) == on_at(DAYS[:6], [2, 3, 5])
    assert _fires(levels, threshold=0.035, count="first_day") == on_at(DAYS[:6], [2, 5])
    # the first known return is not a first crossing: nothing was known the day before
    assert _fires([100.0, 104.0, 104.0], threshold=0.035, count="first_day") == [False] * 3


def test_holds_exactly_hold_days_and_a_new_event_restarts_the_count() -> None:
    r = np.zeros(len(DAYS))
    r[[3, 8]] = 0.05
    prices = _path(list(100 * np.cumprod(1 + r)), DAYS)
    w = weights(threshold_cross, prices, hold=5, on_weight=0.8, off_weight=0.2)
    on = on_at(DAYS, range(3, 13))
    assert signal(w) == on and _events(w) == on_at(DAYS, [3, 8])
    assert column(w, "held") == mix(on, 0.8, 0.2) and np.allclose(w["held"] + w["neutral"], 1.0)


def test_the_signal_role_falls_back_to_held() -> None:
    assert threshold_cross.input_roles(threshold_cross.resolve_params({}), ["held", "neutral"])["signal"] == "held"
    spread = threshold_cross.resolve_params({"spread": True})
    assert threshold_cross.required_roles(spread)[0] == "versus"


@pytest.mark.parametrize(
    "params",
    [{}, {"spread": True, "threshold": 0.02, "hold": 63}, {"days": 21, "threshold": -0.05, "direction": "down"}],
)
def test_passes_rotsims_checks(params: dict[str, object]) -> None:
    from simulator.testing import input_for

    universe = {"held": "IWM", "neutral": "SPY", "signal": "^RUT", "versus": "QQQ"}
    data = input_for(threshold_cross, params, universe=universe)
    assert_strategy_ok(threshold_cross, params, data=data)


def test_trades_in_a_run(tmp_path: Path) -> None:
    """The demo leaves threshold_cross out (test_run_end_to_end.NOT_IN_DEMO): a run shows it trading here."""
    import json

    from simulator.cli import main

    cfg = tmp_path / "tc.yaml"
    cfg.write_text(
        "name: tc\ndata: {source: sample, start: 2001-01-02, end: 2008-12-31}\n"
        "universe: {held: IWM, neutral: SPY, signal: ^RUT}\nbenchmark: SPY\n"
        "strategies:\n  - {name: threshold_cross, label: Thrust, params: {threshold: 0.03, hold: 21}}\n"
        "report: {tearsheets: false, risk_free: zero}\n"
    )
    assert main(["run", str(cfg), "--out", str(tmp_path / "out")]) == 0
    (folder,) = (tmp_path / "out" / "tc").iterdir()
    trades = pd.read_csv(folder / "trades" / "thrust.csv")
    assert len(trades) > 4 and set(trades["ticker"]) == {"IWM", "SPY"}
    held = json.loads((folder / "manifest.json").read_text())["strategies"][0]["holdings"]
    assert held["signal"]["spell_count"] >= 2
