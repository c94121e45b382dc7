"""`rotsim compare` writes quantstats' report of all strategies (tearsheets/all_strategies.html, linked
from index.html) on the dates the runs share (README, "The comparison page"; the results table).

Two hand-written results folders overlap on part of their spans and share one benchmark. The report's
span, its columns and their cumulative return, volatility and Sharpe (rf = 0: neither run has a rate)
are checked against the same figures computed here with numpy on the returns the test wrote, cut to
the common dates.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from compare_fakes import fake_run
from conftest import run_in_process

DATES = pd.bdate_range("2001-01-01", periods=500)
FIRST, SECOND = DATES[:400], DATES[100:]  # they share DATES[100:400]
Compared = tuple[Path, dict[str, pd.Series]]


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Compared:
    """The comparison's folder, and each column's returns on the common dates as the test wrote them."""
    tmp = tmp_path_factory.mktemp("compare-qs")
    rng = np.random.default_rng(3)
    bench = pd.Series(rng.normal(0.0003, 0.01, len(DATES)), index=DATES)
    mine = {
        "r1": pd.Series(rng.normal(0.0006, 0.011, len(FIRST)), index=FIRST),
        "r2": pd.Series(rng.normal(0.0001, 0.013, len(SECOND)), index=SECOND),
    }
    folders = [
        fake_run(tmp / name, r.index, returns={"A": r.to_numpy(), "Bench": bench[r.index].to_numpy()})
        for name, r in mine.items()
    ]
    out = tmp / "cmp"
    proc = run_in_process("compare", *map(str, folders), "--out", str(out))
    assert proc.returncode == 0, proc.stderr + proc.stdout
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    common = FIRST.intersection(SECOND)
    expected = {"Bench": bench[common], "A [r1]": mine["r1"][common], "A [r2]": mine["r2"][common]}
    return folder, expected


def _metrics(html: str) -> tuple[list[str], dict[str, list[str]]]:
    """The key metrics table: its column names and each row's cells."""
    head = re.search(r"<tr><th>Metric</th>((?:<th>[^<]*</th>)+)</tr>", html)
    columns = re.findall(r"<th>([^<]*)</th>", head.group(1))
    rows = re.findall(r"<tr><td>([^<]*)</td>((?:<td>[^<]*</td>)+)</tr>", html[head.end() :])
    return columns, {name: re.findall(r"<td>([^<]*)</td>", cells) for name, cells in rows}


def test_compare_writes_quantstats_report_linked_from_its_page(compared: Compared) -> None:
    folder, _ = compared
    assert (folder / "tearsheets" / "all_strategies.html").is_file()
    assert 'href="tearsheets/all_strategies.html"' in (folder / "index.html").read_text(encoding="utf-8")


def test_quantstats_report_is_on_the_common_dates_with_each_runs_returns(compared: Compared) -> None:
    folder, expected = compared
    html = (folder / "tearsheets" / "all_strategies.html").read_text(encoding="utf-8")
    common = FIRST.intersection(SECOND)
    assert f"{common[0].day} {common[0]:%b %Y} – {common[-1].day} {common[-1]:%b %Y}" in html
    columns, rows = _metrics(html)
    assert sorted(columns) == sorted(expected)
    for column, r in expected.items():
        i = columns.index(column)
        figures = {
            "Cumulative Return": 100 * (np.prod(1 + r.to_numpy()) - 1),
            "Volatility (ann.)": 100 * r.std(ddof=1) * np.sqrt(252),
            "Sharpe": r.mean() / r.std(ddof=1) * np.sqrt(252),
        }
        for row, value in figures.items():
            shown = float(rows[row][i].rstrip("%"))
            assert shown == pytest.approx(value, abs=0.0051), (column, row)  # quantstats shows 2 decimals
