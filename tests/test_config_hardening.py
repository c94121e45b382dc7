"""Hostile and sloppy configs: alias bombs, oversized files and text, loose types, numbers out of range.

Each is refused by ``validate`` and ``run`` alike: exit 2, ``file:line`` and
what was expected, no traceback, nothing written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import ValidationError
from test_config_errors import GOOD, assert_refused

from simulator import Param, StrategyInput, strategy

from conftest import run_in_process

# GOOD, line by line: 1 name, 3 source, 4 start, 5 end, 7 large_cap, 8 small_cap,
# 9 benchmark, 11 fees_bps, 13 strategy name, 14 params, 15 threshold, 17 tearsheets

# each level repeats the one before 9 times: 9**9 strings once expanded
LAUGHS = "plugins:\n" + "".join(
    f"  - &{c} [{', '.join([f'*{p}' if p else 'lol'] * 9)}]\n" for p, c in zip(["", *"abcdefgh"], "abcdefghi")
)
WIDE = "plugins:\n  - &w [" + ", ".join(["x"] * 200) + "]\n  - [" + ", ".join(["*w"] * 60) + "]\n"

ALIASES = {
    # a=10 values, b=91, c=820, d=7381, e=66430: refused where e is composed, line 16 + 5
    "billion_laughs": (
        GOOD.replace("report:\n", LAUGHS + "report:\n"),
        ":21:",
        "more than 10,000 values, counting each alias as the value it names",
    ),
    "wide_alias": (GOOD.replace("report:\n", WIDE + "report:\n"), ":18:", "more than 10,000 values"),
    "list_in_itself": (
        GOOD.replace("benchmark: SPY\n", "benchmark: SPY\nplugins: &a [*a]\n"),
        ":10:",
        "alias *a is used inside the value &a",
    ),
    "params_in_themselves": (
        GOOD.replace("      threshold: 0.03\n", "      threshold: 0.03\n      again: *p\n").replace(
            "params:\n", "params: &p\n"
        ),
        ":16:",
        "alias *p is used inside the value &p",
    ),
    "map_in_itself_deeper": (
        GOOD.replace("engine:\n", "engine: &e\n  more: {deeper: [*e]}\n"),
        ":11:",
        "alias *e is used inside the value &e",
    ),
    "nested_too_deep": (
        GOOD.replace("benchmark: SPY\n", "benchmark: SPY\nplugins: " + "[" * 40 + "]" * 40 + "\n"),
        ":10:",
        "nest more than 32 deep",
    ),
}

SIZES = {
    "over_1_mb": (GOOD + "# " + "x" * 1_100_000 + "\n", ": ", "config is larger than 1 MB"),
    "long_description": (
        GOOD.replace("name: t\n", "name: t\ndescription: " + "d" * 2_500 + "\n"),
        ":2:",
        "description",
        "at most 2,000 characters",
    ),
    "long_label": (
        GOOD.replace("    params:\n", "    label: " + "L" * 200 + "\n    params:\n"),
        ":14:",
        "strategies[0].label",
        "at most 100 characters",
    ),
    "long_ticker": (
        GOOD.replace("small_cap: IWM", "small_cap: " + "I" * 200),
        ":8:",
        "universe.small_cap",
        "at most 100 characters",
    ),
    "long_run_name": (GOOD.replace("name: t\n", "name: " + "n" * 200 + "\n"), ":1:", "name", "at most 100 characters"),
    "ten_thousand_roles": (
        GOOD.replace("  small_cap: IWM\n", "  small_cap: IWM\n" + "".join(f"  r{i}: SPY\n" for i in range(10_000))),
        ":7:",
        "more than 10,000 values",
    ),
}

TYPES = {
    "lag_yes": (
        GOOD.replace("fees_bps: 5", "lag: yes"),
        ":11:",
        "engine.lag",
        "valid integer",
        "a whole number from 1 to 63",
    ),
    "lag_float": (GOOD.replace("fees_bps: 5", "lag: 1.0"), ":11:", "engine.lag", "valid integer"),
    "fees_quoted": (
        GOOD.replace("fees_bps: 5", 'fees_bps: "5"'),
        ":11:",
        "engine.fees_bps",
        "valid number",
        "from 0 to 1000",
    ),
    "fees_bool": (GOOD.replace("fees_bps: 5", "fees_bps: true"), ":11:", "engine.fees_bps", "valid number"),
    "tearsheets_1": (
        GOOD.replace("tearsheets: false", "tearsheets: 1"),
        ":17:",
        "report.tearsheets",
        "valid boolean",
        "true or false",
    ),
    "tearsheets_quoted": (
        GOOD.replace("tearsheets: false", 'tearsheets: "false"'),
        ":17:",
        "report.tearsheets",
        "valid boolean",
    ),
    "seed_yes": (
        GOOD.replace("  source: sample\n", "  source: sample\n  seed: yes\n"),
        ":4:",
        "data.seed",
        "valid integer",
    ),
    "date_as_number": (
        GOOD.replace("start: 2001-01-02", "start: 20010102"),
        ":4:",
        "data.start",
        "date written YYYY-MM-DD",
    ),
    "ticker_on": (
        GOOD.replace("benchmark: SPY", "benchmark: ON"),
        ":9:",
        "benchmark",
        "valid string",
        "put it in quotes",
    ),
    "ticker_number": (
        GOOD.replace("small_cap: IWM", "small_cap: 2800"),
        ":8:",
        "universe.small_cap",
        "put it in quotes",
    ),
    "role_key_number": (
        GOOD.replace("  large_cap: SPY\n", "  large_cap: SPY\n  2024: QQQ\n"),
        ":8:",
        "universe: key 2024",
        "put it in quotes",
    ),
    "param_bool_for_int": (
        GOOD.replace("threshold: 0.03", "hold: true"),
        ":15:",
        "strategies[0].params.hold",
        "valid integer",
    ),
    "param_quoted_number": (
        GOOD.replace("threshold: 0.03", 'threshold: "0.03"'),
        ":15:",
        "params.threshold",
        "valid number",
        "> 0 and < 1",
    ),
    "param_float_for_int": (GOOD.replace("threshold: 0.03", "hold: 252.0"), ":15:", "params.hold", "valid integer"),
    "param_bool_for_bool_only": (
        GOOD.replace("name: small_cap_thrust", "name: election_barbell").replace(
            "threshold: 0.03", "first_term_year: 1"
        ),
        ":15:",
        "params.first_term_year",
        "valid boolean",
        "true or false",
    ),
    "weight_yes": (
        GOOD.replace("name: small_cap_thrust", "name: static_weights").replace(
            "threshold: 0.03", "weights: {large_cap: yes}"
        ),
        ":15:",
        "params.weights.large_cap",
        "valid number",
    ),
}

RANGES = {
    "hold_1e20": (
        GOOD.replace("threshold: 0.03", "hold: 1e20"),
        ":15:",
        "strategies[0].params.hold",
        "a whole number from 1 to 1000000",
    ),
    "hold_written_as_power": (
        GOOD.replace("threshold: 0.03", "hold: 10**20"),
        ":15:",
        "params.hold",
        "from 1 to 1000000",
    ),
    "hold_20_digits": (
        GOOD.replace("threshold: 0.03", "hold: 100000000000000000000"),
        ":15:",
        "params.hold",
        "less than or equal to 1000000",
    ),
    "hold_5000_digits": (GOOD.replace("threshold: 0.03", "hold: " + "9" * 5_000), ":15:", "cannot read this value"),
    "lookback_past_the_limit": (
        GOOD.replace("name: small_cap_thrust", "name: yield_tilt").replace("threshold: 0.03", "lookback: 1000001"),
        ":15:",
        "params.lookback",
        "from 1 to 1000000",
    ),
    "sensitivity_1e300": (
        GOOD.replace("name: small_cap_thrust", "name: yield_tilt").replace("threshold: 0.03", "sensitivity: 1.0e+300"),
        ":15:",
        "params.sensitivity",
        "from 0 to 1000000",
    ),
    "initial_cash_1e20": (GOOD.replace("fees_bps: 5", "initial_cash: 1e20"), ":11:", "engine.initial_cash", "<= 1e+12"),
    "initial_cash_inf": (
        GOOD.replace("fees_bps: 5", "initial_cash: .inf"),
        ":11:",
        "engine.initial_cash",
        "finite number",
    ),
    "publication_lag_huge": (
        GOOD.replace(
            "  source: sample\n", "  source: sample\n  publication_lag_days: {DGS10: 100000000000000000000}\n"
        ),
        ":4:",
        "data.publication_lag_days.DGS10",
        "from 0 to 3650",
    ),
    "seed_negative": (
        GOOD.replace("  source: sample\n", "  source: sample\n  seed: -1\n"),
        ":4:",
        "data.seed",
        "from 0 to",
    ),
    "end_in_3000": (
        GOOD.replace("end: 2003-12-31", "end: 3000-12-31"),
        ":5:",
        "data.end",
        "between 1800-01-01 and 2199-12-31",
    ),
    "start_in_1066": (
        GOOD.replace("start: 2001-01-02", "start: 1066-10-14"),
        ":4:",
        "data.start",
        "between 1800-01-01 and 2199-12-31",
    ),
}


@pytest.mark.parametrize("case", sorted(ALIASES))
def test_alias_bombs_are_refused(case: str, tmp_path: Path) -> None:
    text, line, *expected = ALIASES[case]
    assert_refused(text, line, expected, tmp_path)


@pytest.mark.parametrize("case", sorted(SIZES))
def test_oversized_configs_are_refused(case: str, tmp_path: Path) -> None:
    text, line, *expected = SIZES[case]
    assert_refused(text, line, expected, tmp_path)


@pytest.mark.parametrize("case", sorted(TYPES))
def test_loose_types_are_refused(case: str, tmp_path: Path) -> None:
    text, line, *expected = TYPES[case]
    assert_refused(text, line, expected, tmp_path)


@pytest.mark.parametrize("case", sorted(RANGES))
def test_numbers_out_of_range_are_refused(case: str, tmp_path: Path) -> None:
    text, line, *expected = RANGES[case]
    assert_refused(text, line, expected, tmp_path)


def test_aliases_are_limited_not_banned(tmp_path: Path) -> None:
    """An anchor two strategies share is fine (so is 1.5e5); the same anchor used inside itself is not."""
    shared = GOOD.replace("fees_bps: 5", "fees_bps: 5\n  initial_cash: 1.5e5").replace(
        "    params:\n      threshold: 0.03\n",
        "    params: &p\n      threshold: 0.03\n      hold: 200\n  - {name: small_cap_thrust, label: again, params: *p}\n",
    )
    cfg = tmp_path / "shared.yaml"
    cfg.write_text(shared)
    proc = run_in_process("validate", str(cfg))
    assert proc.returncode == 0, proc.stderr
    from simulator.config import load_config

    loaded = load_config(cfg)
    assert loaded.config.engine.initial_cash == 150_000.0
    assert [s.params for s in loaded.config.strategies] == [{"threshold": 0.03, "hold": 200}] * 2
    looped = shared.replace("      hold: 200\n", "      hold: 200\n      again: *p\n")
    assert_refused(looped, ":18:", ["alias *p is used inside the value &p"], tmp_path)


def test_strategies_lists_the_default_range() -> None:
    """`rotsim strategies` shows the bound a parameter gets from its type, not only the declared one."""
    proc = run_in_process("strategies", "small_cap_thrust")
    assert proc.returncode == 0, proc.stderr
    hold = next(line for line in proc.stdout.splitlines() if line.startswith("hold "))
    assert ">= 1, <= 1000000" in hold


# The parameter model, held to the same rules for types a built-in strategy does not use.


@strategy(roles=("large_cap",))
def many_types(
    data: StrategyInput,
    window: Annotated[int | None, Param("optional days", ge=2)] = None,
    days: Annotated[list[int], Param("some days")] = [5],  # noqa: B006 - pydantic copies defaults
    shares: Annotated[tuple[float, ...], Param("some shares")] = (0.5,),
    mode: Annotated[Literal[1, 2], Param("a numbered mode")] = 1,
    note: Annotated[str, Param("free text")] = "",
    big: Annotated[int, Param("declares its own range", le=10**12)] = 0,
):  # noqa: ANN201
    """Test-only strategy with one parameter of each shape."""
    raise AssertionError("never run")


@pytest.mark.parametrize(
    ("given", "field", "fragment"),
    [
        ({"window": True}, "window", "integer"),
        ({"window": 10**20}, "window", "less than or equal to 1000000"),
        ({"days": [5, True]}, "days", "integer"),
        ({"days": [5, 10**7]}, "days", "less than or equal to 1000000"),
        ({"shares": ["0.5"]}, "shares", "valid number"),
        ({"mode": True}, "mode", "not the bool True"),
        ({"mode": 1.0}, "mode", "not the float 1.0"),
        ({"note": "x" * 1_001}, "note", "at most 1000 characters"),
    ],
)
def test_parameter_types_are_strict_and_bounded(given: dict, field: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        many_types.resolve_params(given)
    errors = caught.value.errors()
    assert errors[0]["loc"][0] == field
    assert fragment in str(caught.value)


def test_declared_bounds_replace_the_default_on_their_side_only() -> None:
    right = {"window": None, "days": [1, 2], "shares": [1, 0.25], "mode": 2, "note": "n", "big": 10**11}
    assert many_types.resolve_params(right) == {**right, "shares": (1.0, 0.25)}  # a YAML list fills a tuple
    for big, fragment in (
        (10**13, "less than or equal to 1000000000000"),
        (-(10**7), "greater than or equal to -1000000"),
    ):
        with pytest.raises(ValidationError, match=fragment):
            many_types.resolve_params({"big": big})


def test_the_readme_states_the_limits_the_code_has() -> None:
    from simulator.config import schema, yaml_lines
    from simulator.contract._params import PARAM_LIMIT, PARAM_TEXT

    from conftest import ROOT

    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"at most {yaml_lines.MAX_BYTES // 1_000_000} MB" in text
    assert f"nest at most {yaml_lines.MAX_DEPTH} levels" in text
    assert f"at most {yaml_lines.MAX_VALUES:,} values" in text
    assert f"`description` is at most {schema.MAX_TEXT:,} characters" in text
    assert f"ticker at most {schema.MAX_NAME}" in text
    assert f"within ±{PARAM_LIMIT:,}" in text and f"at most {PARAM_TEXT:,} characters" in text
    assert f"between {schema.EARLIEST} and {schema.LATEST}" in text
