"""A plugin whose weights go bad part-way through the run stops `rotsim run` as bad input.

The plugin (tests/plugin_fakes.py, a local .py file named in the config)
returns valid weights for the first half of the run and a fault from a day the
test picks: the run must exit 2, name the strategy, the fault and (where the
fault has one) that day, print no traceback and leave no results folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from plugin_fakes import FAULTS, write_plugin

FROM_DAY = "2011-06-01"  # mid-run: the run is 2010-01-04 to 2011-12-30

# what each fault must be called; the date is the test's own FROM_DAY
SAID = {
    "negative": f"returned a negative weight on {FROM_DAY} (large_cap: -0.5)",
    "nan": f"returned NaN weights (first on {FROM_DAY}, large_cap: nan)",
    "inf": f"returned infinite weights (first on {FROM_DAY}, large_cap: inf)",
    "over_one": f"weights sum to 1.500000 > 1 on {FROM_DAY}",
    "text": "returned non-numeric weights for ['large_cap']",
    "extra_column": "returned weights for ['gold'], which are not among its roles ['large_cap']",
    # <N> counts the warm-up before the run too: any number, the same twice; then the row where the fault starts
    "dates": (
        "returned weights on <N> dates; expected the <N> dates of its input, in order "
        f"(row <R> is 0 where the input has {FROM_DAY})"
    ),
    "signal_dates": "set weights.attrs['signal'] to something other than a Series on the weights' dates",
}


def _said(fault: str) -> str:
    """The pattern of the whole message: the strategy's name, then what is wrong."""
    text = re.escape(f"strategy 'late_fault' {SAID[fault]}")
    return text.replace("<N>", r"(?P<n>\d+)", 1).replace("<N>", "(?P=n)", 1).replace("<R>", r"\d+")


def _config(tmp_path: Path, fault: str, engine: str) -> Path:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "name: bad\n"
        "data: {source: sample, start: 2010-01-04, end: 2011-12-30}\n"
        "universe: {large_cap: SPY}\n"
        f"plugins: [{write_plugin(tmp_path)}]\n"
        f"engine: {engine}\n"
        "strategies:\n"
        "  - {name: static_weights, label: Fine}\n"
        f"  - {{name: late_fault, label: Goes bad, params: {{fault: {fault}, from_day: '{FROM_DAY}'}}}}\n"
        "report: {tearsheets: false}\n"
    )
    return cfg


def _run(capsys, cfg: Path, out: Path) -> tuple[int, str]:
    from simulator.cli import main

    code = main(["run", str(cfg), "--out", str(out)])
    return code, " ".join(capsys.readouterr().err.split())


def test_the_fault_day_is_a_trading_day_inside_the_run(sample_market) -> None:
    """The messages below name FROM_DAY as the first bad day: it must be one the strategy sees."""
    assert pd.Timestamp(FROM_DAY) in sample_market.prices.index


@pytest.mark.parametrize("fault", FAULTS)
def test_weights_that_go_bad_mid_run_stop_it_as_bad_input(tmp_path: Path, capsys, fault: str) -> None:
    # look-ahead checks off: the run's own check of the weights must catch it, not a re-run on cut data
    out = tmp_path / "out"
    code, err = _run(capsys, _config(tmp_path, fault, "{lookahead_checks: 0}"), out)
    assert code == 2, err
    assert re.search(_said(fault), err), err
    assert "Traceback" not in err
    assert not out.exists()


def test_with_look_ahead_checks_on_the_whole_runs_weights_are_what_is_refused(tmp_path: Path, capsys) -> None:
    """Checked on the whole data first, so the message names the fault, not a cut made for the look-ahead check."""
    out = tmp_path / "out"
    code, err = _run(capsys, _config(tmp_path, "negative", "{lookahead_checks: 5}"), out)
    assert code == 2, err
    assert re.search(_said("negative"), err) and "data cut" not in err, err
    assert not out.exists()


@pytest.mark.parametrize(
    "dates, said",
    [
        (lambda d: d[:-2], "(they stop at 2024-01-10; the input goes on to 2024-01-12)"),
        (
            lambda d: d.append(pd.DatetimeIndex(["2024-02-01"])),
            "(they go on after the input's last date, 2024-01-12, with 2024-02-01)",
        ),
        (lambda d: d[::-1], "(row 1 is 2024-01-12 where the input has 2024-01-01)"),
        (
            lambda d: d + pd.Timedelta(hours=16),
            "(row 1 is Timestamp('2024-01-01 16:00:00') where the input has 2024-01-01)",
        ),
        (lambda d: pd.Index(d.strftime("%Y-%m-%d")), "(row 1 is '2024-01-01' where the input has 2024-01-01)"),
    ],
    ids=["shorter", "longer", "reversed", "time_of_day", "text"],
)
def test_weights_on_other_dates_say_where_they_part_from_the_input(dates, said: str) -> None:
    """The same count of dates, or dates that look alike, is no explanation: the first difference is named."""
    from simulator.contract.checks import shape_problem

    days = pd.bdate_range("2024-01-01", "2024-01-12")  # ten weekdays
    problem = shape_problem(pd.DataFrame({"large_cap": 1.0}, index=dates(days)), days)
    assert problem.endswith(f"dates of its input, in order {said}"), problem
