"""A sweep's grid: exact decimal ranges, and bad sweeps refused at their line (exit 2) before any computing."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.sweep.grid import range_count, range_values

from conftest import run_in_process

GOOD = """\
name: t
data:
  source: sample
  start: 2001-01-02
  end: 2003-12-31
universe:
  large_cap: SPY
  small_cap: IWM
benchmark: SPY
strategies:
  - name: small_cap_thrust
    params: {threshold: 0.03}
    sweep:
      threshold: [0.02, 0.03, 0.04]
      hold: {from: 21, to: 63, step: 21}
report:
  tearsheets: false
"""


def test_a_decimal_range_has_each_value_as_written_without_drift():
    # written out by hand: what a user means by 0.030 to 0.040 step 0.001
    want = [0.03, 0.031, 0.032, 0.033, 0.034, 0.035, 0.036, 0.037, 0.038, 0.039, 0.04]
    got = range_values(0.030, 0.040, 0.001)
    assert got == want  # float equality: 0.031 is float("0.031"), not 0.030 + 0.001
    assert 0.030 + 5 * 0.001 != 0.035  # the drift of start + k * step in floats
    assert list(__import__("numpy").arange(0.030, 0.0405, 0.001))[-1] != 0.04  # and of numpy's arange
    assert range_values(0.1, 0.3, 0.1) == [0.1, 0.2, 0.3]  # 0.1 + 0.1 + 0.1 > 0.3 in floats: the end kept
    assert range_values(21, 63, 21) == [21, 42, 63] and all(type(v) is int for v in range_values(21, 63, 21))
    assert range_values(1, 2, 0.25) == [1.0, 1.25, 1.5, 1.75, 2.0]
    assert range_values(0, 10, 3) == [0, 3, 6, 9]  # the end is not on a step: the values stop before it
    assert range_count(1, 0, 1) == 0 and range_count(0, 1, 0) == 0 and range_count(0, 1, -1) == 0
    assert range_count(0, 1e9, 1) == 1_000_000_001  # counted, not made


def _bad(tmp_path: Path, text: str):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    r = run_in_process("sweep", str(cfg), "--out", str(out))
    assert r.returncode == 2, r.stdout + r.stderr
    assert not out.exists()  # nothing written, nothing computed
    assert "Traceback" not in r.stderr
    return r.stderr.replace("\n", " ")


CASES = {
    "unknown_param": (GOOD.replace("hold: {", "hld: {"), ":15:", "has no parameter 'hld'", "did you mean 'hold'"),
    "list_value_out_of_range": (
        GOOD.replace("[0.02, 0.03, 0.04]", "[0.02,\n        1.5]"),
        ":15:",  # the item's own line, under the key's
        "value 1.5 is not valid",
        "less than 1",
    ),
    "range_end_out_of_range": (
        GOOD.replace("to: 63, step: 21", "to: 2000000, step: 1000000"),
        ":15:",
        "the range's value 1000021",
        "less than or equal to 1000000",
    ),
    "range_start_out_of_range": (GOOD.replace("from: 21", "from: 0"), ":15:", "the range's value 0", "greater than"),
    "empty_range": (GOOD.replace("from: 21, to: 63", "from: 63, to: 21"), ":15:", "is empty", "'to' is below 'from'"),
    "zero_step": (GOOD.replace("step: 21", "step: 0"), ":15:", "is empty", "step must be above 0"),
    "empty_list": (GOOD.replace("[0.02, 0.03, 0.04]", "[]"), ":14:", "lists no values", "threshold"),
    "range_of_a_non_number": (
        GOOD.replace("name: small_cap_thrust", "name: threshold_cross").replace(
            "hold: {from: 21, to: 63, step: 21}", "direction: {from: 0, to: 1, step: 1}"
        ),
        ":15:",
        "'direction' is not a number parameter",
        "list its values instead",
    ),
    "range_missing_a_key": (GOOD.replace(", step: 21", ""), ":15:", "{from, to, step}", "missing step"),
    "scalar": (GOOD.replace("[0.02, 0.03, 0.04]", "0.02"), ":14:", "must be a list of values or a range", "0.02"),
    "whole_number_param_given_a_fraction": (
        GOOD.replace("step: 21", "step: 10.5"),
        ":15:",
        "'hold' takes whole numbers",
        "10.5",
    ),
    "past_the_limit": (
        GOOD.replace("step: 21}", "step: 1}\n      off_small: {from: 0, to: 1, step: 0.001}").replace(
            "[0.02, 0.03, 0.04]", "{from: 0.001, to: 0.5, step: 0.0001}"
        ),
        ":13:",
        "the sweep makes 214,827,613 variants (4,991 threshold x 43 hold x 1,001 off_small)",
        "more than sweep.max_variants (10,000)",
        "sweep: {max_variants: 214827613}",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_sweeps_exit_2_at_their_line_before_any_computing(tmp_path, case):
    text, line, *words = CASES[case]
    err = _bad(tmp_path, text)
    assert f"c.yaml{line}" in err, err
    for w in words:
        assert w in err, (w, err)


def test_the_limit_is_a_config_key(tmp_path):
    text = GOOD.replace("report:", "sweep: {max_variants: 8}\nreport:")
    err = _bad(tmp_path, text)  # 3 x 3 = 9 variants
    assert "the sweep makes 9 variants (3 threshold x 3 hold), more than sweep.max_variants (8)" in err
    assert "c.yaml:13:" in err


def test_every_error_at_once(tmp_path):
    text = (
        GOOD.replace("hold: {", "hld: {").replace("[0.02, 0.03, 0.04]", "[]").replace("threshold: 0.03}", "thresh: 1}")
    )
    err = _bad(tmp_path, text)
    assert "has no parameter 'hld'" in err and "lists no values" in err and "thresh" in err


def test_a_second_sweeping_strategy_is_refused(tmp_path):
    second = "  - name: small_cap_thrust\n    label: two\n    sweep: {hold: [5, 10]}\nreport:"
    err = _bad(tmp_path, GOOD.replace("report:", second))
    assert "c.yaml:18:" in err and "only one strategy may sweep" in err


def test_validate_checks_a_sweep_too(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(GOOD, encoding="utf-8")
    r = run_in_process("validate", str(cfg))
    assert r.returncode == 0 and "sweep: 10 variants of small_cap_thrust (threshold, hold); default v0010" in r.stdout
    cfg.write_text(GOOD.replace("hold: {", "hld: {"), encoding="utf-8")
    r = run_in_process("validate", str(cfg))
    assert r.returncode == 2 and "c.yaml:15:" in r.stderr and "has no parameter 'hld'" in r.stderr


def test_sweep_options_on_a_config_without_a_sweep_are_refused(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        GOOD.replace("    sweep:\n      threshold: [0.02, 0.03, 0.04]\n      hold: {from: 21, to: 63, step: 21}\n", "")
    )
    r = run_in_process("run", str(cfg), "--out", str(tmp_path / "out"), "--workers", "2")
    assert r.returncode == 2 and "--workers: for a sweep" in r.stderr, r.stderr
    r = run_in_process("sweep", str(cfg), "--out", str(tmp_path / "out"))
    assert r.returncode == 2 and "has a `sweep:`" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_sweep_settings_are_checked_at_their_line(tmp_path):
    err = _bad(tmp_path, GOOD.replace("report:", "sweep: {metric: max_drawdown, pbo_splits: 15}\nreport:"))
    assert "c.yaml:16:" in err and "sweep.metric" in err and "sweep.pbo_splits" in err and "must be even" in err
