"""quantstats tearsheets: a benchmark Series, names with '%', no request on opening."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulator.reports.tearsheet import write_tearsheet


def test_percent_in_names_and_titles(tmp_path: Path) -> None:
    idx = pd.bdate_range("2018-01-01", periods=600)
    rng = np.random.default_rng(4)
    r = pd.Series(rng.normal(0.0004, 0.012, len(idx)), index=idx)
    b = pd.Series(rng.normal(0.0003, 0.011, len(idx)), index=idx)
    path = tmp_path / "t.html"
    # quantstats %-formats plot titles built from the strategy name: "+3.5%" used to crash it
    write_tearsheet(r, b, path, title="Thrust (+3.5%) vs SPY", strategy_title="Thrust (+3.5%)", benchmark_title="SPY")
    html = path.read_text()
    assert "Thrust (+3.5%) vs SPY" in html  # the page title keeps its sign
    assert "Thrust (+3.5 pct)" in html
    assert "qtpylib.io" not in html  # no favicon fetched from the web
    # the benchmark went in as a Series, not as zeros: its own numbers are on the page
    def pct(x: pd.Series) -> str:
        return f"{round(((1 + x).prod() - 1) * 100, 2)}%"

    assert f"Cumulative Return</td><td>{pct(b)}</td><td>{pct(r)}</td>" in html
