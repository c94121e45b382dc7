"""simulator.testing: every check passes a sound strategy and fails a strategy built to break it."""

from __future__ import annotations

from typing import Annotated

import numpy as np
import pandas as pd
import pytest

from simulator import Param, SeriesSpec, StrategyInput, strategy
from simulator.testing import (
    CHECKS,
    SAMPLE_UNIVERSE,
    assert_strategy_ok,
    check_bounds,
    check_declared_data,
    check_deterministic,
    check_input_untouched,
    check_no_lookahead,
    check_no_nan,
    check_shape,
    input_for,
    sample_input,
)


@strategy(roles=("large_cap", "small_cap"), series=("y10",))
def sound(
    data: StrategyInput,
    lookback: Annotated[int, Param("days the 10y yield change is measured over", ge=1)] = 63,
) -> pd.DataFrame:
    """Small caps while the 10-year yield falls, large caps otherwise."""
    falling = (data.macro["y10"].diff(lookback) < 0).to_numpy()
    small = falling.astype(float)
    weights = pd.DataFrame({"small_cap": small, "large_cap": 1 - small}, index=data.index)
    weights.attrs["signal"] = pd.Series(falling, index=data.index)
    return weights


def _hold(data: StrategyInput, values: object, role: str = "large_cap") -> pd.DataFrame:
    return pd.DataFrame({role: values}, index=data.index)


# ---------------------------------------------------------------- one bad strategy per way to fail


@strategy(roles=("large_cap",))
def returns_a_series(data: StrategyInput) -> pd.DataFrame:
    """Returns a Series."""
    return pd.Series(1.0, index=data.index)  # type: ignore[return-value]


@strategy(roles=("large_cap",))
def drops_the_first_day(data: StrategyInput) -> pd.DataFrame:
    """Returns weights from the second day on only."""
    return _hold(data, 1.0).iloc[1:]


@strategy(roles=("large_cap",))
def trades_an_undeclared_role(data: StrategyInput) -> pd.DataFrame:
    """Returns a column for a role it never declared."""
    return _hold(data, 0.5).assign(gold=0.5)


@strategy(roles=("large_cap",))
def returns_text(data: StrategyInput) -> pd.DataFrame:
    """Returns strings."""
    return _hold(data, "all in")


@strategy(roles=("large_cap",))
def bad_signal(data: StrategyInput) -> pd.DataFrame:
    """Sets a signal that is not a Series on the weights' days."""
    weights = _hold(data, 1.0)
    weights.attrs["signal"] = [True] * len(data.index)
    return weights


@strategy(roles=("large_cap",))
def nan_warmup(data: StrategyInput) -> pd.DataFrame:
    """Trend filter that forgets its warm-up: NaN until the average exists."""
    p = data.prices["large_cap"]
    return _hold(data, (p > p.rolling(200).mean()).astype(float).where(p.rolling(200).mean().notna()))


@strategy(roles=("large_cap",))
def shorts(data: StrategyInput) -> pd.DataFrame:
    """Goes short when the price falls."""
    return _hold(data, np.sign(data.returns["large_cap"].fillna(0)))


@strategy(roles=("large_cap", "small_cap"))
def leveraged(data: StrategyInput) -> pd.DataFrame:
    """Holds 150%."""
    return pd.DataFrame({"large_cap": 1.0, "small_cap": 0.5}, index=data.index)


@strategy(roles=("large_cap",))
def peeks_tomorrow(data: StrategyInput) -> pd.DataFrame:
    """Holds on the days before up days: uses tomorrow's return."""
    return _hold(data, (data.returns["large_cap"].shift(-1) > 0).astype(float))


@strategy(roles=("large_cap",))
def whole_sample_ranks(data: StrategyInput) -> pd.DataFrame:
    """Holds when the price is above its full-history median: a statistic of the future."""
    p = data.prices["large_cap"]
    return _hold(data, (p > p.median()).astype(float))


@strategy(roles=("large_cap",))
def peeks_in_its_signal(data: StrategyInput) -> pd.DataFrame:
    """Sound weights, but a signal that uses tomorrow's return."""
    weights = _hold(data, 1.0)
    weights.attrs["signal"] = data.returns["large_cap"].shift(-1) > 0
    return weights


@strategy(roles=("large_cap",))
def peeks_in_its_events(data: StrategyInput) -> pd.DataFrame:
    """Sound weights, but trigger days that use tomorrow's return."""
    weights = _hold(data, 1.0)
    weights.attrs["events"] = data.returns["large_cap"].shift(-1) > 0.01
    return weights


@strategy(roles=("large_cap",))
def bad_events(data: StrategyInput) -> pd.DataFrame:
    """Sets events that are not a Series on the weights' days."""
    weights = _hold(data, 1.0)
    weights.attrs["events"] = pd.Series(True, index=data.index[1:])
    return weights


@strategy(roles=("large_cap",))
def coin_flip(data: StrategyInput) -> pd.DataFrame:
    """Unseeded randomness."""
    return _hold(data, np.random.default_rng().random(len(data.index)))


_calls = {"n": 0}


@strategy(roles=("large_cap",))
def remembers(data: StrategyInput) -> pd.DataFrame:
    """Keeps state between calls: its weight shrinks each time it runs."""
    _calls["n"] += 1
    return _hold(data, 1.0 / (1 + _calls["n"]))


@strategy(roles=("large_cap",))
def edits_its_input(data: StrategyInput) -> pd.DataFrame:
    """Fills its own input in place."""
    data.prices["large_cap"] = data.prices["large_cap"].ffill() * 1.0001
    return _hold(data, 1.0)


@strategy(roles=("large_cap",))
def reads_undeclared_role(data: StrategyInput) -> pd.DataFrame:
    """Reads small caps without declaring them."""
    return _hold(data, (data.returns["small_cap"].fillna(0) > 0).astype(float))


@strategy(roles=("large_cap",))
def reads_undeclared_series(data: StrategyInput) -> pd.DataFrame:
    """Reads the 2-year yield without declaring it."""
    return _hold(data, (data.macro["y2"].diff() < 0).astype(float))


@strategy(roles=("large_cap", "small_cap"), series=("y10",))
def declares_unused_series(data: StrategyInput) -> pd.DataFrame:
    """Declares y10 but never reads it."""
    return pd.DataFrame({"large_cap": 0.5, "small_cap": 0.5}, index=data.index)


@strategy(roles=("large_cap", "small_cap_index"))
def declares_unused_role(data: StrategyInput) -> pd.DataFrame:
    """Declares small_cap_index but neither trades nor reads it."""
    p = data.prices["large_cap"]
    return _hold(data, (p > p.rolling(50, min_periods=1).mean()).astype(float))


@strategy(roles=("large_cap",))
def uses_every_column(data: StrategyInput) -> pd.DataFrame:
    """Holds large caps when the average of all columns rose: more columns, other weights."""
    return _hold(data, (data.returns.mean(axis=1).fillna(0) > 0).astype(float))


# check -> (bad strategy, words the failure must contain)
BROKEN = {
    "shape: not a DataFrame": (check_shape, returns_a_series, "returned Series, expected a DataFrame"),
    "shape: wrong days": (check_shape, drops_the_first_day, "expected the"),
    "shape: undeclared column": (check_shape, trades_an_undeclared_role, "['gold'], which are not among its roles"),
    "shape: text": (check_shape, returns_text, "non-numeric weights for ['large_cap']"),
    "shape: signal": (check_shape, bad_signal, "attrs['signal']"),
    "shape: events": (check_shape, bad_events, "attrs['events']"),
    "no_nan": (check_no_nan, nan_warmup, "NaN weights (first on"),
    "bounds: negative": (check_bounds, shorts, "negative weight on"),
    "bounds: leverage": (check_bounds, leveraged, "weights sum to 1.500000 > 1"),
    "no_lookahead: shift(-1)": (check_no_lookahead, peeks_tomorrow, "changes its weights on"),
    "no_lookahead: whole-sample median": (check_no_lookahead, whole_sample_ranks, "looks ahead"),
    "no_lookahead: signal": (check_no_lookahead, peeks_in_its_signal, "changes its signal on"),
    "no_lookahead: events": (check_no_lookahead, peeks_in_its_events, "changes its events on"),
    "deterministic: randomness": (check_deterministic, coin_flip, "is not deterministic"),
    "deterministic: state": (check_deterministic, remembers, "is not deterministic"),
    "input_untouched": (check_input_untouched, edits_its_input, "modified its input's prices"),
    "declared_data: role": (check_declared_data, reads_undeclared_role, "reads 'small_cap', which it does not declare"),
    "declared_data: series": (check_declared_data, reads_undeclared_series, "reads 'y2', which it does not declare"),
    "declared_data: unused series": (
        check_declared_data,
        declares_unused_series,
        "declares series 'y10' but does not use it",
    ),
    "declared_data: unused role": (check_declared_data, declares_unused_role, "declares role 'small_cap_index'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_check_fails_the_strategy_built_to_break_it(case: str) -> None:
    check, bad, expected = BROKEN[case]
    data = input_for(bad)
    with pytest.raises(AssertionError) as caught:
        check(bad, data)
    message = str(caught.value)
    assert f"strategy '{bad.name}'" in message and expected in message, message
    # the umbrella reports the same failure under the check's name
    name = next(n for n, c in CHECKS.items() if c is check)
    with pytest.raises(AssertionError, match=rf"\[{name}\]"):
        assert_strategy_ok(bad)


@pytest.mark.parametrize("check", list(CHECKS.values()), ids=list(CHECKS))
def test_each_check_passes_a_sound_strategy(check) -> None:  # noqa: ANN001
    check(sound, input_for(sound), {"lookback": 21})


def test_undeclared_data_is_caught_even_when_the_test_input_has_it() -> None:
    """An author's hand-made input with extra columns must not hide an undeclared read."""
    wide = sample_input(["large_cap", "small_cap"], ["y2", "y10"])
    check_shape(reads_undeclared_role, wide)  # runs fine on the wide input...
    with pytest.raises(AssertionError, match="reads 'small_cap', which it does not declare"):
        check_declared_data(reads_undeclared_role, wide)  # ...but not on what a run gives it
    with pytest.raises(AssertionError, match="depends on undeclared data"):
        check_declared_data(uses_every_column, wide)


def test_the_lookahead_check_uses_the_cuts_given() -> None:
    data = input_for(peeks_tomorrow)
    r = data.returns["large_cap"]
    down_next = [d for d, nxt in zip(r.index[1000:1100], r.iloc[1001:1101]) if nxt < 0]
    check_no_lookahead(peeks_tomorrow, data, cuts=down_next[:3])  # before a down day, the peek shows nothing
    up_next = next(d for d, nxt in zip(r.index[1000:1100], r.iloc[1001:1101]) if nxt > 0)
    with pytest.raises(AssertionError, match=f"on {up_next.date()}"):
        check_no_lookahead(peeks_tomorrow, data, cuts=[up_next])


def test_assert_strategy_ok_lists_every_failure_and_honours_skip() -> None:
    @strategy(roles=("large_cap",), series=("y10",))
    def twice_wrong(data: StrategyInput) -> pd.DataFrame:
        """Leveraged and peeking; declares y10 without reading it."""
        return _hold(data, 1.0 + (data.returns["large_cap"].shift(-1) > 0))

    with pytest.raises(AssertionError) as caught:
        assert_strategy_ok(twice_wrong)
    message = str(caught.value)
    assert "failed 3 check(s)" in message
    assert "[bounds]" in message and "[no_lookahead]" in message and "[declared_data]" in message
    with pytest.raises(AssertionError, match="failed 2 check"):
        assert_strategy_ok(twice_wrong, skip=["declared_data"])
    with pytest.raises(ValueError, match="unknown check"):
        assert_strategy_ok(sound, skip=["nope"])


def test_assert_strategy_ok_returns_the_weights_and_validates_params() -> None:
    weights = assert_strategy_ok(sound, {"lookback": 10})
    data = input_for(sound)
    expected = (data.macro["y10"].diff(10) < 0).astype(float)
    assert (weights["small_cap"].to_numpy() == expected.to_numpy()).all()
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="lookback"):
        assert_strategy_ok(sound, {"lookback": 0})


def test_every_installed_strategy_passes_every_check(registry) -> None:
    for s in registry.strategies.values():
        assert_strategy_ok(s)


# ---------------------------------------------------------------- building inputs


def test_sample_input_serves_roles_and_series_from_the_synthetic_market() -> None:
    from simulator.data.market.alignment import as_known
    from simulator.data.market.series import SERIES
    from simulator.data.sources.sample import SampleSource

    data = sample_input({"a": "XLK", "b": "^RUT"}, ["y10"], start="2005-01-03", end="2006-12-29")
    source = SampleSource(seed=7)
    raw = source.load_prices(["XLK", "^RUT"])
    assert list(data.prices.columns) == ["a", "b"]
    assert data.index[0] == pd.Timestamp("2005-01-03") and data.index[-1] == pd.Timestamp("2006-12-29")
    assert data.prices["a"].equals(raw["XLK"].loc["2005-01-03":"2006-12-29"].rename("a"))
    # macro values as known: DGS10 published one business day after its date
    y10 = source.load_series(["DGS10"])["DGS10"]
    day = pd.Timestamp("2006-03-15")
    published = y10.index + pd.offsets.BDay(1)
    assert data.macro.loc[day, "y10"] == y10[published <= day].iloc[-1]
    assert data.macro["y10"].equals(as_known(y10, SERIES["y10"], 1, data.index).rename("y10"))
    with pytest.raises(ValueError, match="no sample ticker for role 'gold'"):
        sample_input(["gold"])


def test_input_for_follows_universe_then_default_tickers_then_fallbacks() -> None:
    effr = SeriesSpec("effr", ("EFFR",), "daily", 1, "effective fed funds rate")

    @strategy(roles=("large_cap",), default_tickers={"gold": "XLB"}, optional_roles={"signal": "gold"}, series=(effr,))
    def needs_data(data: StrategyInput) -> pd.DataFrame:
        """Reads every kind of declared data."""
        return _hold(data, 1.0)

    data = input_for(needs_data)
    raw = sample_input({"x": "XLB", "y": "SPY"}).prices
    assert list(data.prices.columns) == ["large_cap", "gold", "signal"]
    assert data.prices["gold"].equals(raw["x"].rename("gold"))  # the default ticker
    assert data.prices["signal"].equals(data.prices["gold"].rename("signal"))  # falls back to gold
    assert list(data.macro.columns) == ["effr"] and data.macro["effr"].notna().any()
    other = input_for(needs_data, universe={"large_cap": "SPY", "gold": "XLU"})
    assert other.prices["gold"].equals(sample_input({"gold": "XLU"}).prices["gold"])  # the universe wins
    with pytest.raises(ValueError, match="reads role\\(s\\) large_cap"):
        input_for(needs_data, universe={"tech": "XLK"})
    assert set(SAMPLE_UNIVERSE.values()) <= set(__import__("simulator.data.sources.sample").data.sources.sample.TICKERS)


def test_the_longest_modules_named_for_the_suite_order_exist() -> None:
    # conftest.LONGEST sends these modules out first; a renamed module would silently lose its place
    from conftest import LONGEST, ROOT

    assert LONGEST and all((ROOT / name).is_file() for name in LONGEST), [
        n for n in LONGEST if not (ROOT / n).is_file()
    ]
