"""Broken configs: each gives its message, names its line, exits 2, writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli, run_in_process
from data_fakes import layout_folder

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
engine:
  fees_bps: 5
strategies:
  - name: small_cap_thrust
    params:
      threshold: 0.03
report:
  tearsheets: false
"""

CASES = {
    "unknown_top_key": (
        GOOD.replace("benchmark: SPY", "benchmrk: SPY"),
        ":9:",
        "unknown key 'benchmrk'",
        "did you mean 'benchmark'",
    ),
    "unknown_engine_key": (
        GOOD.replace("fees_bps: 5", "fess_bps: 5"),
        ":11:",
        "unknown key 'fess_bps' in engine",
        "did you mean 'fees_bps'",
    ),
    "negative_fees": (
        GOOD.replace("fees_bps: 5", "fees_bps: -5"),
        ":11:",
        "engine.fees_bps",
        "greater than or equal to 0",
    ),
    "wrong_type": (GOOD.replace("fees_bps: 5", "fees_bps: lots"), ":11:", "engine.fees_bps", "valid number"),
    "bad_date": (GOOD.replace("start: 2001-01-02", "start: 2001-13-02"), ":4:", "data.start", "date"),
    "unknown_strategy": (
        GOOD.replace("name: small_cap_thrust", "name: small_cap_thrus"),
        ":13:",
        "unknown strategy 'small_cap_thrus'",
        "installed: ",
    ),
    "unknown_param": (
        GOOD.replace("threshold: 0.03", "thresold: 0.03"),
        ":15:",
        "unknown parameter 'thresold'",
        "did you mean 'threshold'",
    ),
    "param_range": (
        GOOD.replace("threshold: 0.03", "threshold: -1"),
        ":15:",
        "strategies[0].params.threshold",
        "greater than 0",
    ),
    "missing_role": (GOOD.replace("  small_cap: IWM\n", ""), ":12:", "needs role(s) small_cap", "it has: large_cap"),
    "missing_ticker": (GOOD.replace("small_cap: IWM", "small_cap: NOPE"), ":8:", "ticker 'NOPE'", "sample (synthetic"),
    "yaml_syntax": (GOOD.replace("  fees_bps: 5", "  fees_bps: [5"), ":", "invalid YAML", ""),
    "duplicate_key": (
        GOOD.replace("benchmark: SPY", "benchmark: SPY\nbenchmark: QQQ"),
        ":10:",
        "duplicate key 'benchmark'",
        "",
    ),
    "missing_universe": (
        GOOD.replace("universe:\n  large_cap: SPY\n  small_cap: IWM\n", ""),
        "",
        "missing required key 'universe'",
        "",
    ),
    "start_after_end": (GOOD.replace("end: 2003-12-31", "end: 2000-12-31"), ":2:", "must be before end", ""),
    "not_a_mapping": ("- just\n- a list\n", "", "expected a mapping", ""),
    # labels name files: two that make the same file name would overwrite each other's
    "label_file_clash": (
        GOOD.replace(
            "      threshold: 0.03\n",
            "      threshold: 0.03\n    label: Small caps\n  - {name: static_weights, label: small-caps}\n",
        ),
        ":17:",
        "label 'small-caps' makes the file name 'small-caps', which 'Small caps' already has",
        "",
    ),
    "label_like_benchmark": (
        GOOD.replace("      threshold: 0.03\n", "      threshold: 0.03\n    label: Benchmark\n"),
        ":16:",
        "label 'Benchmark' makes the file name 'benchmark', which the benchmark (S&P 500 (SPY))",
        "",
    ),
    "label_is_the_benchmark": (
        GOOD.replace("      threshold: 0.03\n", "      threshold: 0.03\n    label: S&P 500 (SPY)\n"),
        ":16:",
        "label 'S&P 500 (SPY)' is already the benchmark's",
        "",
    ),
    "duplicate_label": (
        GOOD.replace(
            "      threshold: 0.03\n", "      threshold: 0.03\n    label: x\n  - {name: static_weights, label: x}\n"
        ),
        ":17:",
        "label 'x' is already strategy 1's",
        "",
    ),
    "nan_param": (
        GOOD.replace("threshold: 0.03", "threshold: .nan"),
        ":15:",
        "strategies[0].params.threshold",
        "finite number",
    ),
    "start_after_the_data": (
        GOOD.replace("start: 2001-01-02", "start: 2030-01-02").replace("end: 2003-12-31", "end: 2031-12-31"),
        ":4:",
        "only 0 trading days between 2030-01-02",
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_config(case: str, tmp_path: Path) -> None:
    text, line, *expected = CASES[case]
    assert_refused(text, line, expected, tmp_path)


def assert_refused(text: str, line: str, expected: list[str], tmp_path: Path) -> None:
    """``validate`` and ``run`` both exit 2 with ``file<line>`` and each of ``expected``, no traceback, nothing written.

    In this process (``main``'s return value is rotsim's exit status; an exception it let out would fail the
    test): test_missing_file_and_csv_without_folder checks a missing config's exit status and stderr in a real
    process.
    """
    cfg = tmp_path / "broken.yaml"
    cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    for command in (["validate", str(cfg)], ["run", str(cfg), "--out", str(out)]):
        proc = run_in_process(*command)
        assert proc.returncode == 2, proc.stderr
        err = " ".join(proc.stderr.split())  # rich may wrap long lines
        assert f"{cfg}{line}" in err
        for fragment in expected:
            assert fragment in err
        assert "Traceback" not in proc.stderr
    assert not out.exists()  # nothing written


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    cfg = tmp_path / "utf16.yaml"
    cfg.write_bytes(GOOD.encode("utf-16"))  # as Windows Notepad may save it
    proc = run_in_process("validate", str(cfg))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{cfg}: not UTF-8 text" in " ".join(proc.stderr.split())


def test_good_config_validates(tmp_path: Path) -> None:
    cfg = tmp_path / "good.yaml"
    cfg.write_text(GOOD)
    proc = run_in_process("validate", str(cfg))
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stdout


def test_missing_file_and_csv_without_folder(tmp_path: Path) -> None:
    # a real process: the exit status a shell sees for a config that is not there
    proc = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2 and "config file not found" in proc.stderr and "Traceback" not in proc.stderr
    cfg = tmp_path / "csv.yaml"
    cfg.write_text(GOOD.replace("source: sample", "source: csv"))
    proc = run_in_process("validate", str(cfg), env={"ROTSIM_DATA_DIR": ""})
    assert proc.returncode == 2
    assert "--data-dir" in proc.stderr and f"{cfg}:3" in " ".join(proc.stderr.split())


def test_csv_missing_ticker_names_the_source(tmp_path: Path) -> None:
    folder = layout_folder()  # files in the real layouts
    cfg = tmp_path / "csv.yaml"
    cfg.write_text(GOOD.replace("source: sample", "source: csv").replace("small_cap: IWM", "small_cap: ZZZZ"))
    proc = run_in_process("validate", str(cfg), "--data-dir", str(folder))
    assert proc.returncode == 2
    err = " ".join(proc.stderr.split())
    assert f"{cfg}:8: ticker 'ZZZZ' is not in the data (csv:{folder})" in err


def test_failed_run_keeps_earlier_results(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    out = tmp_path / "out"
    assert run_in_process("run", str(good), "--out", str(out)).returncode == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("threshold: 0.03", "threshold: 2"))
    assert run_in_process("run", str(bad), "--out", str(out)).returncode == 2
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
