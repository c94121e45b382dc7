"""The rotation strategies on hand-built inputs: exact trigger days and weights.

Each input is made so the answer is known by construction (a return placed on
a given day, a rate cut on a given date), and the expected weights are
written down from that construction, not taken from a run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.contract import StrategyInput

DAYS = pd.bdate_range("2020-01-01", periods=60)


def prices_from(returns: dict[str, dict[int, float]], index: pd.DatetimeIndex = DAYS) -> pd.DataFrame:
    """Prices by role that move only on the given days: {role: {day position: return}}."""
    cols = {}
    for role, moves in returns.items():
        r = np.zeros(len(index))
        for i, x in moves.items():
            r[i] = x
        cols[role] = 100.0 * np.cumprod(1.0 + r)
    return pd.DataFrame(cols, index=index)


def run(registry, name: str, prices: pd.DataFrame, macro: pd.DataFrame | None = None, **params) -> pd.DataFrame:
    s = registry.get(name)
    macro = pd.DataFrame(index=prices.index) if macro is None else macro
    return s.weights(StrategyInput(prices, macro), s.resolve_params(params))


def on_days(positions: set[int], index: pd.DatetimeIndex = DAYS) -> pd.Series:
    return pd.Series([i in positions for i in range(len(index))], index=index)


def span(first: int, n: int) -> set[int]:
    return set(range(first, first + n))


# --------------------------------------------------------------------------- small_cap_thrust


def test_thrust_fires_on_the_day_and_holds(registry) -> None:
    prices = prices_from({"small_cap": {}, "large_cap": {}, "small_cap_index": {10: 0.036, 25: 0.0349, 40: 0.05}})
    w = run(registry, "small_cap_thrust", prices, threshold=0.035, hold=5)
    expected = on_days(span(10, 5) | span(40, 5))  # day 25's +3.49% is below the threshold
    pd.testing.assert_series_equal(w.attrs["signal"], expected, check_names=False)
    assert (w["small_cap"] == expected.astype(float)).all() and (w["large_cap"] == 1 - expected.astype(float)).all()


def test_thrust_retrigger_extends_and_partial_weights(registry) -> None:
    prices = prices_from({"small_cap": {}, "large_cap": {}, "small_cap_index": {10: 0.04, 13: 0.04}})
    w = run(registry, "small_cap_thrust", prices, hold=5, on_small=0.8, off_small=0.2)
    on = on_days(span(10, 8))  # 10..14 from the first, 13..17 from the second
    assert w["small_cap"].tolist() == [0.8 if x else 0.2 for x in on]
    assert np.allclose(w.sum(axis=1), 1.0)


def test_thrust_reads_the_index_not_the_etf(registry) -> None:
    prices = prices_from({"small_cap": {5: 0.10}, "large_cap": {}, "small_cap_index": {20: 0.04}})
    w = run(registry, "small_cap_thrust", prices, hold=3)
    assert list(np.flatnonzero(w["small_cap"].to_numpy())) == [20, 21, 22]


# --------------------------------------------------------------------------- rotation_spread


def test_spread_day_fires_and_smaller_spread_does_not(registry) -> None:
    prices = prices_from({"small_cap": {8: 0.03, 20: 0.02, 45: 0.01}, "growth": {8: -0.015, 20: -0.019, 45: -0.031}})
    w = run(registry, "rotation_spread", prices, threshold=0.04, hold=4)
    on = on_days(span(8, 4) | span(45, 4))  # 4.5 pp and 4.1 pp fire; 3.9 pp on day 20 does not
    pd.testing.assert_series_equal(w.attrs["signal"], on, check_names=False)
    assert w["small_cap"].tolist() == [1.0 if x else 0.5 for x in on]
    assert w["growth"].tolist() == [0.0 if x else 0.5 for x in on]


def test_spread_needs_small_caps_ahead_not_behind(registry) -> None:
    prices = prices_from({"small_cap": {8: -0.03}, "growth": {8: 0.03}})
    w = run(registry, "rotation_spread", prices)
    assert not w.attrs["signal"].any() and (w["small_cap"] == 0.5).all()


# --------------------------------------------------------------------------- election_barbell

ELECTIONS = [pd.Timestamp("2016-11-08"), pd.Timestamp("2020-11-03")]
YEARS = pd.bdate_range("2015-06-01", "2022-03-01")


def _barbell_input(index: pd.DatetimeIndex) -> pd.DataFrame:
    return prices_from({"financials": {}, "tech": {}, "large_cap": {}}, index)


def test_barbell_in_election_years_and_the_next(registry) -> None:
    w = run(registry, "election_barbell", _barbell_input(YEARS), barbell=0.8, tech_share=0.25)
    on = pd.Series(YEARS.year.isin([2016, 2017, 2020, 2021]), index=YEARS)
    pd.testing.assert_series_equal(w.attrs["signal"], on, check_names=False)
    assert np.allclose(w["tech"], 0.2 * on) and np.allclose(w["financials"], 0.6 * on)
    assert np.allclose(w["large_cap"], np.where(on, 0.2, 1.0))
    assert w.loc["2015-12-31", "large_cap"] == 1.0 and w.loc["2016-01-04", "tech"] == pytest.approx(0.2)


def test_barbell_following_election_day(registry) -> None:
    w = run(registry, "election_barbell", _barbell_input(YEARS), switch="election_day")
    on = pd.Series([any(e - pd.Timedelta(days=365) < t <= e + pd.Timedelta(days=365) for e in ELECTIONS) for t in YEARS],
                   index=YEARS)  # fmt: skip
    pd.testing.assert_series_equal(w.attrs["signal"], on, check_names=False)
    assert (
        w.loc["2015-11-09", "large_cap"] == 1.0 and w.loc["2015-11-10", "tech"] == 0.5
    )  # 2016-11-08 - 365 days = 2015-11-09
    assert w.loc["2017-11-08", "tech"] == 0.5 and w.loc["2017-11-09", "large_cap"] == 1.0
    first_only = run(registry, "election_barbell", _barbell_input(YEARS), switch="election_day", first_term_year=False)
    assert first_only.loc["2016-11-08", "tech"] == 0.5 and first_only.loc["2016-11-09", "large_cap"] == 1.0


# --------------------------------------------------------------------------- rate_cut_regime

CUT_DAYS = pd.bdate_range("2010-01-04", "2016-12-30")
# (announcement day, level after it, whether it opens an easing cycle with a one-year span)
CUTS = [
    ("2010-06-01", 4.75, False),  # less than a year after the data begin: cannot be shown to be first
    ("2012-03-01", 4.50, True),
    ("2012-06-01", 4.25, False),  # three months after the last cut
    ("2013-09-03", 4.00, True),   # 15 months after the last cut
    ("2014-03-03", 4.25, False),  # a hike
    ("2015-01-05", 4.00, True),
]  # fmt: skip


def _rate_input(recession: pd.Series | None = None, hindsight: pd.Series | None = None) -> StrategyInput:
    target = pd.Series(5.0, index=CUT_DAYS)
    for day, level, _ in CUTS:
        target[day:] = level
    zero = pd.Series(0.0, index=CUT_DAYS)
    macro = pd.DataFrame({
        "fed_target": target,
        "recession": zero if recession is None else recession,
        "recession_hindsight": zero if hindsight is None else hindsight,
    })  # fmt: skip
    return StrategyInput(prices_from({"small_cap": {}, "large_cap": {}}, CUT_DAYS), macro)


def _tilt_from(days: list[str], hold: int) -> pd.Series:
    on = pd.Series(False, index=CUT_DAYS)
    for d in days:
        at = CUT_DAYS.get_loc(pd.Timestamp(d))
        on.iloc[at : at + hold] = True
    return on


def _rate_cut(registry, data: StrategyInput, **params) -> pd.DataFrame:
    s = registry.get("rate_cut_regime")
    return s.weights(data, s.resolve_params(params))


def test_first_cuts_after_a_year_without_one(registry) -> None:
    from rotsim_strategies.rate_cut_regime import first_cuts

    data = _rate_input()
    found = first_cuts(data.macro["fed_target"], 365)
    assert [str(d.date()) for d in found.index[found]] == [d for d, _, first in CUTS if first]
    w = _rate_cut(registry, data, hold=10)
    expected = _tilt_from([d for d, _, first in CUTS if first], 10)
    pd.testing.assert_series_equal(w.attrs["signal"], expected, check_names=False)
    assert (w["small_cap"] == expected.astype(float)).all() and (w["large_cap"] == 1 - expected.astype(float)).all()


def test_a_shorter_span_finds_more_first_cuts(registry) -> None:
    from rotsim_strategies.rate_cut_regime import first_cuts

    found = first_cuts(_rate_input().macro["fed_target"], 60)
    # 2012-06-01 is 92 days after 2012-03-01; 2010-06-01 is 148 days into the data
    assert [str(d.date()) for d in found.index[found]] == [
        "2010-06-01",
        "2012-03-01",
        "2012-06-01",
        "2013-09-03",
        "2015-01-05",
    ]


def test_known_recession_flag_skips_a_first_cut(registry) -> None:
    recession = pd.Series(0.0, index=CUT_DAYS)
    recession["2013-08-01":"2013-10-31"] = 1.0  # known to be a recession on 2013-09-03
    data = _rate_input(recession=recession)
    w = _rate_cut(registry, data, hold=10)
    assert w.attrs["signal"].equals(_tilt_from(["2012-03-01", "2015-01-05"], 10))
    off = _rate_cut(registry, data, hold=10, known_recession_filter=False)
    assert off.attrs["signal"].equals(_tilt_from(["2012-03-01", "2013-09-03", "2015-01-05"], 10))


def test_hindsight_filter_skips_cuts_followed_by_a_recession(registry) -> None:
    later = pd.Series(0.0, index=CUT_DAYS)
    later["2015-11-02":"2016-03-31"] = 1.0  # begins ten months after the 2015-01-05 cut
    data = _rate_input(hindsight=later)
    default = _rate_cut(registry, data, hold=10)
    assert default.attrs["signal"].equals(_tilt_from(["2012-03-01", "2013-09-03", "2015-01-05"], 10))
    w = _rate_cut(registry, data, hold=10, hindsight_recession_filter=True)
    assert w.attrs["signal"].equals(_tilt_from(["2012-03-01", "2013-09-03"], 10))
    short = _rate_cut(registry, data, hold=10, hindsight_recession_filter=True, recession_window_days=200)
    assert short.attrs["signal"].equals(default.attrs["signal"])  # ten months is beyond a 200-day window


def test_hindsight_filter_skips_a_cut_made_in_a_recession(registry) -> None:
    ending = pd.Series(0.0, index=CUT_DAYS)
    ending["2013-06-03":"2013-09-03"] = 1.0  # its last day is the 2013-09-03 cut
    w = _rate_cut(registry, _rate_input(hindsight=ending), hold=10, hindsight_recession_filter=True)
    assert w.attrs["signal"].equals(_tilt_from(["2012-03-01", "2015-01-05"], 10))


def test_hindsight_filter_looks_ahead_and_is_marked(registry) -> None:
    """The truncation check fails for the hindsight option: it reads the future, so HINDSIGHT is deserved."""
    later = pd.Series(0.0, index=CUT_DAYS)
    later["2015-11-02":"2016-03-31"] = 1.0
    data = _rate_input(hindsight=later)
    t = pd.Timestamp("2015-01-06")
    full = _rate_cut(registry, data, hindsight_recession_filter=True)
    part = _rate_cut(registry, data.truncate(t), hindsight_recession_filter=True)
    assert part.loc[t, "small_cap"] == 1.0 and full.loc[t, "small_cap"] == 0.0
    s = registry.get("rate_cut_regime")
    assert s.hindsight_note(s.resolve_params({})) is None
    assert "hindsight_recession_filter" in s.hindsight_note(s.resolve_params({"hindsight_recession_filter": True}))
    # the default, known-only version passes the same check
    default_full, default_part = _rate_cut(registry, data), _rate_cut(registry, data.truncate(t))
    pd.testing.assert_frame_equal(default_part, default_full.loc[:t])


# --------------------------------------------------------------------------- policy_curve_trigger


def _curve_input(y2: list[float | None], fed_funds: float = 2.0) -> StrategyInput:
    index = DAYS[: len(y2)]
    macro = pd.DataFrame({"fed_funds": fed_funds, "y2": pd.Series(y2, index=index, dtype=float)}, index=index)
    return StrategyInput(prices_from({"small_cap": {}, "large_cap": {}}, index), macro)


# 2-year yield vs fed funds at 2.0: unknown, below, above for 2 days, below, above for 20 days, below
Y2 = [None] * 5 + [1.9] * 5 + [2.1] * 2 + [1.9] * 8 + [2.1] * 20 + [1.9] * 10


def _curve(registry, data: StrategyInput, **params) -> pd.DataFrame:
    s = registry.get("policy_curve_trigger")
    return s.weights(data, s.resolve_params(params))


def test_curve_on_while_two_year_above_fed_funds(registry) -> None:
    data = _curve_input(Y2)
    idx = data.index
    daily = _curve(registry, data, confirm_days=1)
    assert daily.attrs["signal"].equals(on_days({10, 11} | span(20, 20), idx))
    confirmed = _curve(registry, data, confirm_days=3)  # on at the 3rd day above, off at the 3rd day below
    assert confirmed.attrs["signal"].equals(on_days(span(22, 20), idx))
    assert (confirmed["small_cap"] == confirmed.attrs["signal"].astype(float)).all()


def test_curve_margin_and_recent_cross(registry) -> None:
    data = _curve_input(Y2)
    assert not _curve(registry, data, margin=0.15, confirm_days=1).attrs["signal"].any()  # 0.1 pp is not enough
    recent = _curve(registry, data, confirm_days=1, cross_within=5)
    assert recent.attrs["signal"].equals(on_days({10, 11} | span(20, 5), data.index))


# --------------------------------------------------------------------------- yield_tilt


def _y10_input(y10: list[float], index: pd.DatetimeIndex = DAYS) -> StrategyInput:
    index = index[: len(y10)]
    macro = pd.DataFrame({"y10": pd.Series(y10, index=index, dtype=float)})
    return StrategyInput(prices_from({"small_cap": {}, "large_cap": {}}, index), macro)


def _yield(registry, data: StrategyInput, **params) -> pd.DataFrame:
    s = registry.get("yield_tilt")
    return s.weights(data, s.resolve_params(params))


def test_small_cap_weight_rises_as_the_yield_falls(registry) -> None:
    # 4% for 10 days, 3% for 10 (a 1 pp fall), 3.36% for 10 (a 0.36 pp rise), then flat
    y10 = [4.0] * 10 + [3.0] * 10 + [3.36] * 20
    w = _yield(registry, _y10_input(y10), lookback=5, sensitivity=0.5, max_tilt=0.3, step=0.1, decide="daily")
    # days 10-14: -1 pp over 5 days -> +0.5, capped at +0.3; days 20-24: +0.36 pp -> -0.18 -> -0.2 in 0.1 steps
    expected = [0.5] * 10 + [0.8] * 5 + [0.5] * 5 + [0.3] * 5 + [0.5] * 15
    assert w["small_cap"].tolist() == pytest.approx(expected, abs=1e-12)
    assert np.allclose(w.sum(axis=1), 1.0)
    assert w.attrs["signal"].tolist() == [x > 0.5 for x in expected]


def test_yield_tilt_bounds_and_monthly_decisions(registry) -> None:
    index = pd.bdate_range("2021-01-01", "2021-06-30")
    y10 = list(np.linspace(2.0, 0.5, len(index)))  # falling all half-year
    daily = _yield(registry, _y10_input(y10, index), lookback=20, sensitivity=2.0, max_tilt=0.4, decide="daily")
    assert daily["small_cap"].max() == pytest.approx(0.9) and daily["small_cap"].min() == 0.5
    monthly = _yield(registry, _y10_input(y10, index), lookback=20, sensitivity=2.0, max_tilt=0.4, decide="monthly")
    firsts = index.to_series().groupby(index.to_period("M")).first()
    for day in firsts:
        month = monthly["small_cap"][day.strftime("%Y-%m")]
        assert (month == daily.loc[day, "small_cap"]).all()  # set on the month's first day, held all month
