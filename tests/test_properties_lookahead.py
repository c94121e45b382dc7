"""Property test (hypothesis): no built-in strategy looks ahead, on random markets and random valid params.

For each built-in, on random prices for every role and random macro series
(published late: NaN before a random first day), the test itself cuts the
input after random days T, and after each day its output changes, and
re-runs the strategy: every weight, signal and event at or before T must
equal the one from the whole input, exactly. rate_cut_regime's
hindsight_recession_filter is left out: it reads the future by design, and
reports say so (test_rotation_strategies.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rotsim_strategies import BUILT_INS
from simulator.contract import StrategyInput

from property_settings import PROPERTY

ROLES = [
    "small_cap",
    "large_cap",
    "small_cap_index",
    "growth",
    "financials",
    "tech",
    "held",
    "neutral",
    "signal",
    "versus",
    "staples",
    "utilities",
    "health",
]

# Valid params that make each rule fire on a few hundred random days (small holds and spans, low thresholds).
PARAMS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "static_weights": st.just({}),
    "small_cap_thrust": st.fixed_dictionaries(
        {"threshold": st.sampled_from([0.01, 0.02, 0.035]), "hold": st.integers(1, 30)}
    ),
    "rotation_spread": st.fixed_dictionaries(
        {"threshold": st.sampled_from([0.01, 0.02, 0.04]), "hold": st.integers(1, 30)}
    ),
    "election_barbell": st.fixed_dictionaries(
        {"switch": st.sampled_from(["calendar", "election_day"]), "first_term_year": st.booleans()}
    ),
    "rate_cut_regime": st.fixed_dictionaries(
        {
            "span_days": st.integers(10, 120),
            "hold": st.integers(1, 60),
            "known_recession_filter": st.booleans(),
            "before_target": st.sampled_from(["nothing", "fed_funds"]),
            "funds_drop_bp": st.sampled_from([5.0, 10.0, 25.0]),
            "funds_months": st.integers(1, 6),
        }
    ),
    "policy_curve_trigger": st.fixed_dictionaries(
        {
            "margin": st.sampled_from([0.0, 0.1, 0.25]),
            "confirm_days": st.integers(1, 7),
            "cross_within": st.integers(0, 10),
        }
    ),
    "threshold_cross": st.fixed_dictionaries(
        {
            "days": st.integers(1, 10),
            "threshold": st.sampled_from([0.01, 0.03, -0.01, -0.03]),
            "direction": st.sampled_from(["up", "down"]),
            "spread": st.booleans(),
            "count": st.sampled_from(["every_day", "first_day"]),
            "hold": st.integers(1, 30),
        }
    ),
    "yield_tilt": st.fixed_dictionaries(
        {
            "lookback": st.integers(1, 40),
            "step": st.sampled_from([0.05, 0.1, 0.25]),
            "sensitivity": st.sampled_from([0.5, 2.0]),
            "max_tilt": st.sampled_from([0.2, 0.5]),
            "decide": st.sampled_from(["daily", "monthly"]),
        }
    ),
}

PARAMS |= {
    "growth_inflation_quads": st.fixed_dictionaries(
        {
            "growth": st.sampled_from(["indpro", "gdp"]),
            "change_over_months": st.integers(1, 6),
            "entry": st.sampled_from(["quad", "sequence"]),
            "quad3_small": st.sampled_from([0.0, 0.5]),
            "quad4_defensive": st.sampled_from([0.0, 1.0]),
        }
    ),
    # 30-300 random days reach an election day about a third of the time; low thresholds make it fire
    "post_election_cooloff": st.fixed_dictionaries(
        {
            "runup": st.sampled_from([0.005, 0.01, 0.05]),
            "runup_days": st.integers(1, 20),
            "cooloff": st.sampled_from(["pullback", "days"]),
            "pullback": st.sampled_from([0.005, 0.01, 0.03]),
            "cool_days": st.integers(1, 10),
            "wait_days": st.integers(5, 126),
            "hold": st.integers(1, 30),
        }
    ),
}

LOOKAHEAD = settings(PROPERTY, max_examples=30)  # a strategy runs in milliseconds


def _published(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """``values`` with NaN before a random first day (a series that starts later than the prices)."""
    out = values.astype(float)
    out[: rng.integers(0, len(out) // 2 + 1)] = np.nan
    return out


def _releases(rng: np.random.Generator, n: int, every: int) -> np.ndarray:
    """A year-on-year rate that moves only on release days (about every ``every`` trading days), as known."""
    released = rng.random(n) < 1.0 / every
    return np.round(2.0 + np.cumsum(np.where(released, rng.normal(0.0, 0.4, n), 0.0)), 6)


def _walk(rng: np.random.Generator, n: int, start: float, step: float) -> np.ndarray:
    """A rate in percent, quoted to two decimals like FRED's, kept at or above 0."""
    return np.round(np.maximum(start + np.cumsum(rng.normal(0.0, step, n)), 0.0), 2)


@st.composite
def inputs(draw: st.DrawFn) -> StrategyInput:
    """Every role and series the built-ins read, on 30-300 trading days from somewhere in 1995-2023."""
    n = draw(st.integers(30, 300))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    index = pd.bdate_range(pd.Timestamp("1995-01-02") + pd.offsets.BDay(draw(st.integers(0, 7000))), periods=n)
    r = rng.normal(0.0, 0.02, (n, len(ROLES)))
    r[rng.random(r.shape) < 0.03] *= 3  # big days: thrusts and spread days
    prices = pd.DataFrame(100 * np.cumprod(1 + np.clip(r, -0.5, 0.5), axis=0), index=index, columns=ROLES)
    moves = rng.choice([-0.5, -0.25, 0.0, 0.25], n, p=[0.005, 0.01, 0.975, 0.01])  # FOMC cuts and hikes
    recession = pd.Series(rng.random(n) < 0.005).rolling(40, min_periods=1).max().to_numpy()  # 40-day spells
    fed_funds = _walk(rng, n, 3.0, 0.05)
    macro = pd.DataFrame({
        "fed_target": _published(rng, np.maximum(4.0 + np.cumsum(moves), 0.0)),
        "recession": _published(rng, recession),
        "recession_hindsight": recession,
        "fed_funds": _published(rng, fed_funds),
        "y2": _published(rng, fed_funds + _walk(rng, n, 0.0, 0.05)),
        "y10": _published(rng, _walk(rng, n, 4.0, 0.06)),
        "indpro_yoy": _published(rng, _releases(rng, n, 21)),
        "real_gdp_yoy": _published(rng, _releases(rng, n, 63)),
        "cpi_yoy": _published(rng, _releases(rng, n, 21)),
    }, index=index)  # fmt: skip
    return StrategyInput(prices, macro)


def _outputs(w: pd.DataFrame) -> pd.DataFrame:
    """The weights and, if set, the signal and the events, as one frame to compare."""
    marks = {f"_{key}": w.attrs[key].astype(float) for key in ("signal", "events") if key in w.attrs}
    return w.assign(**marks)


@pytest.mark.parametrize("strategy", BUILT_INS, ids=lambda s: s.name)
@LOOKAHEAD
@given(data=st.data())
def test_cutting_the_input_after_t_leaves_every_decision_up_to_t(strategy: Any, data: st.DataObject) -> None:
    market = data.draw(inputs())
    params = strategy.resolve_params(data.draw(PARAMS[strategy.name]))
    full = _outputs(strategy.weights(market, params))
    n = len(market.index)
    # random days, and the first days on which the output changes: a decision that reads tomorrow's data
    # changes a day early, so cutting right after that day is where it shows
    changes = np.flatnonzero((full.diff().abs().to_numpy()[1 : n - 1] > 0).any(axis=1)) + 1
    cuts = data.draw(st.lists(st.integers(0, n - 2), min_size=1, max_size=4, unique=True))
    for t in sorted({*cuts, *changes[:12].tolist()}):
        cut = StrategyInput(market.prices.iloc[: t + 1], market.macro.iloc[: t + 1])
        part = _outputs(strategy.weights(cut, params))
        head = full.iloc[: t + 1]
        assert list(part.columns) == list(head.columns) and part.index.equals(head.index)
        same = part.to_numpy(float) == head.to_numpy(float)
        assert same.all(), (
            f"cut after {market.index[t].date()}: first change on {head.index[np.argwhere(~same)[0][0]].date()}"
        )


def test_every_built_in_has_params_drawn() -> None:
    assert {s.name for s in BUILT_INS} == set(PARAMS)
