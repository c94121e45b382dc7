"""The terminal summary: fits the terminal's width without cutting a number, and marks hindsight.

Numbers are written out here from the frame (``.1%`` or ``.2f``), not with the
code under test's formatter; values are chosen away from rounding halves.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from rich.console import Console

from simulator.engine.metrics import COLUMNS
from simulator.reports.console import metrics_table

PERCENT = {"cagr", "volatility", "max_drawdown", "worst_year", "exposure", "alpha", "turnover"}
NUMBER = re.compile(r"(?<![\w.])-?\d+\.\d+%?(?![\w.])")
NOTE = "hindsight_recession_filter skips first cuts followed by a recession, using today's NBER dates"


def _metrics() -> pd.DataFrame:
    """Seven strategies with long names and wide numbers (turnover of 1,234%, drawdowns of -42%)."""
    labels = [
        "60/40 large/small, monthly rebalanced",
        "Small-cap thrust [run 2]",
        "IWM-QQQ spread with a very long descriptive label",
        "Election barbell",
        "First rate cut, recession filter",
        "Fed funds below 2y",
        "Yield tilt",
        "S&P 500 (SPY)",
    ]
    rows = []
    for i in range(len(labels)):
        rows.append(
            {
                "cagr": 0.0512 + 0.0101 * i,
                "volatility": 0.1742 + 0.0031 * i,
                "sharpe": 0.413 + 0.021 * i,
                "sortino": -0.523 + 0.031 * i,
                "max_drawdown": -0.4213 - 0.0112 * i,
                "calmar": 0.112 + 0.011 * i,
                "worst_year": -0.3312 - 0.0121 * i,
                "turnover": 12.3412 - 1.5012 * i,
                "exposure": 0.9712 - 0.0101 * i,
                "beta": 1.082 + 0.011 * i,
                "alpha": -0.0212 + 0.0041 * i,
                "information_ratio": 0.312 - 0.101 * i,
            }
        )
    frame = pd.DataFrame(rows, index=labels)[list(COLUMNS)]
    # a fifth of a step off the shown precision, so no value sits on a rounding half
    for k in frame.columns:
        frame[k] = frame[k].round(3) + 0.0002 if k in PERCENT else frame[k].round(2) + 0.002
    return frame


def _text(metrics: pd.DataFrame, width: int, hindsight: dict[str, str] | None = None) -> str:
    term = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115 - closed with the console
    term.print(metrics_table(metrics, "demo", hindsight or {}))
    return term.export_text()


def _written(key: str, value: float) -> str:
    return f"{value:.1%}" if key in PERCENT else f"{value:.2f}"


@pytest.mark.parametrize("width", [100, 160])
def test_the_table_fits_the_width_and_every_number_shown_is_whole(width: int) -> None:
    metrics = _metrics()
    text = _text(metrics, width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in text

    note = next((line for line in lines if line.startswith("Not shown")), "")
    dropped = [k for k, name in COLUMNS.items() if name in note]
    shown = [k for k in COLUMNS if k not in dropped]
    assert {"cagr", "max_drawdown", "sharpe"} <= set(shown)
    if dropped:
        assert f"Not shown at {width} columns" in note and "metrics.csv" in text
    # the numbers, in reading order, are exactly those of the shown columns, row by row
    table = text[: text.index("Not shown")] if dropped else text
    expected = [_written(k, metrics.at[label, k]) for label in metrics.index for k in shown]
    assert NUMBER.findall(table) == expected
    # every word of every name is there (names wrap, they are not cut)
    for label in metrics.index:
        for word in label.split():
            assert word in table, word


def test_a_narrow_terminal_drops_columns_and_a_wide_one_shows_all() -> None:
    metrics = _metrics()
    assert "Not shown" in _text(metrics, 100)
    assert "Not shown" not in _text(metrics, 200)
    narrow = _text(metrics, 40)  # not even three columns fit: one line per number
    assert NUMBER.findall(narrow) == [_written(k, v) for _, row in metrics.iterrows() for k, v in row.items()]


def test_hindsight_strategies_are_marked_with_their_note() -> None:
    metrics = _metrics()
    label = "First rate cut, recession filter"
    text = _text(metrics, 160, {label: NOTE})
    # the name column, its wrapped lines read in order
    names = " ".join(line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│"))
    assert f"{label} HINDSIGHT" in names
    assert names.count("HINDSIGHT") == 1  # that row only
    assert f"HINDSIGHT {label}: {NOTE}" in " ".join(text.split())


def test_rotsim_run_marks_a_hindsight_strategy_in_its_summary(tmp_path) -> None:  # noqa: ANN001
    from conftest import ROOT, run_in_process

    text = (ROOT / "configs" / "demo.yaml").read_text()
    head, strategies = text.split("strategies:\n")
    kept = strategies[strategies.index("  - name: rate_cut_regime") : strategies.index("  - name: policy_curve")]
    kept = kept.replace("hold: 252}", "hold: 252, hindsight_recession_filter: true}")
    assert "hindsight_recession_filter: true" in kept
    config = tmp_path / "hindsight.yaml"
    config.write_text(head + "strategies:\n" + kept + "report: {out: results, tearsheets: false}\n")
    proc = run_in_process("run", str(config), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr + proc.stdout
    names = [line.split("│")[1].strip() for line in proc.stdout.splitlines() if line.startswith("│")]
    assert names == ["First rate cut HINDSIGHT", "S&P 500 (SPY)"]
    assert "HINDSIGHT First rate cut: hindsight_recession_filter" in proc.stdout
