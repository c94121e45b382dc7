"""Property test (hypothesis): no built-in strategy looks ahead, on random markets and random valid params.

For each built-in, on random prices for every role and random macro series
(published late: NaN before a random first day), the test itself cuts the
input (prices, macro values and their observation dates) after random
days T, and after each day its output changes, and re-runs the strategy:
every weight, signal and event at or before T must equal the one from the
whole input, exactly. The data layer's observation dates are held to the
same rule: a date cut from the calendar after T changes none of them up to
T, and each is published by the day it is known. rate_cut_regime's
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


def _releases(rng: np.random.Generator, n: int, every: int, months: int) -> tuple[np.ndarray, np.ndarray]:
    """A year-on-year rate released about every ``every`` trading days, as known, and the observation each describes.

    One release in four repeats the value before it; the observation moves ``months`` months at each release.
    """
    released = rng.random(n) < 1.0 / every
    moves = np.where(rng.random(n) < 0.25, 0.0, rng.normal(0.0, 0.4, n))
    values = np.round(2.0 + np.cumsum(np.where(released, moves, 0.0)), 6)
    count = np.cumsum(released)
    # each release's observation: the first of the month ``months`` months on at each release (1990-01-01 first),
    # by numpy's month arithmetic, not a DateOffset per release (slow, and this runs for every example)
    months_on = (np.datetime64("1990-01", "M") + months * np.arange(count[-1] + 1)).astype("datetime64[us]")
    return values, months_on[count]


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
    indpro, indpro_month = _releases(rng, n, 21, 1)
    gdp, gdp_quarter = _releases(rng, n, 63, 3)
    cpi, cpi_month = _releases(rng, n, 21, 1)
    macro = pd.DataFrame({
        "fed_target": _published(rng, np.maximum(4.0 + np.cumsum(moves), 0.0)),
        "recession": _published(rng, recession),
        "recession_hindsight": recession,
        "fed_funds": _published(rng, fed_funds),
        "y2": _published(rng, fed_funds + _walk(rng, n, 0.0, 0.05)),
        "y10": _published(rng, _walk(rng, n, 4.0, 0.06)),
        "indpro_yoy": _published(rng, indpro),
        "real_gdp_yoy": _published(rng, gdp),
        "cpi_yoy": _published(rng, cpi),
    }, index=index)  # fmt: skip
    # each value's observation: the release's month or quarter; daily series, the business day before
    before = index - pd.offsets.BDay(1)  # once: the offset is slow
    observed = pd.DataFrame({name: before for name in macro.columns}, index=index)
    for name, dates in (("indpro_yoy", indpro_month), ("real_gdp_yoy", gdp_quarter), ("cpi_yoy", cpi_month)):
        observed[name] = dates
    return StrategyInput(prices, macro, observed.where(macro.notna()))


def _outputs(w: pd.DataFrame) -> pd.DataFrame:
    """The weights and, if set, the signal and the events, as one frame to compare.

    Built from arrays, not by ``w.assign``: that would deep-copy the marks in ``w.attrs`` into the result,
    a third of the cost of a strategy's run. The marks are on ``w``'s dates (``check_weights`` holds them to it).
    """
    marks = {f"_{key}": w.attrs[key].to_numpy(float) for key in ("signal", "events") if key in w.attrs}
    values = np.column_stack([w.to_numpy(float), *marks.values()])
    return pd.DataFrame(values, index=w.index, columns=[*w.columns, *marks])


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
        assert market.observed is not None
        cut = StrategyInput(market.prices.iloc[: t + 1], market.macro.iloc[: t + 1], market.observed.iloc[: t + 1])
        part = _outputs(strategy.weights(cut, params))
        head = full.iloc[: t + 1]
        assert list(part.columns) == list(head.columns) and part.index.equals(head.index)
        same = part.to_numpy(float) == head.to_numpy(float)
        assert same.all(), (
            f"cut after {market.index[t].date()}: first change on {head.index[np.argwhere(~same)[0][0]].date()}"
        )


def test_every_built_in_has_params_drawn() -> None:
    assert {s.name for s in BUILT_INS} == set(PARAMS)


@LOOKAHEAD
@given(data=st.data())
def test_observation_dates_up_to_t_are_those_published_by_t(data: st.DataObject) -> None:
    """The data layer's ``observed``: cutting the calendar after T changes none up to T; each is out by its day."""
    from simulator.data.market.alignment import as_known, observed_as_known
    from simulator.data.market.series import SERIES

    name = data.draw(st.sampled_from(["cpi_yoy", "indpro_yoy", "real_gdp_yoy"]))
    spec = SERIES[name]
    quarterly = spec.frequency == "quarterly"
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    periods = pd.date_range("2000-01-01", periods=40, freq="QS" if quarterly else "MS")
    values = pd.Series(np.round(rng.normal(2.0, 0.5, len(periods)), 1), index=periods)  # one decimal: repeats
    values = values.drop(values.index[rng.random(len(values)) < 0.1])  # missing months
    lag = data.draw(st.integers(0, 40))
    days = pd.bdate_range("2000-01-03", "2011-06-30")
    full = observed_as_known(values, spec, lag, days)
    t = data.draw(st.integers(0, len(days) - 1))
    cut = observed_as_known(values, spec, lag, days[: t + 1])
    assert cut.equals(full.iloc[: t + 1])
    # each known observation is published by that day (period end + lag), and is the latest that is
    ends = pd.DatetimeIndex(values.index) + (pd.offsets.QuarterEnd(0) if quarterly else pd.offsets.MonthEnd(0))
    out = (ends + pd.Timedelta(days=lag)).to_numpy()
    # every day against every publication at once (3,000 days by 40 periods), not a Series filter per day
    known = out[None, :] <= days.to_numpy()[:, None]
    periods = values.index.to_numpy()
    # the latest period known each day, by its integer (NaT is the smallest integer: none known is NaT)
    latest = np.where(known, periods.view(np.int64), np.iinfo(np.int64).min).max(axis=1).view(periods.dtype)
    assert full.tolist() == pd.DatetimeIndex(latest).tolist()
    # the value known is the one of that observation
    known = as_known(values, spec, lag, days)
    expected = values.reindex(pd.DatetimeIndex(full)).to_numpy()
    assert np.array_equal(known.to_numpy(), expected, equal_nan=True)
