"""A tearsheet's charts as Chromium draws them: every slot has a chart of its full size, none over another."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# quantstats' page: the slots its charts fill, in order
SLOTS = [
    "left", "log_returns", "vol_returns", "eoy_returns", "monthly_dist", "daily_returns", "rolling_beta",
    "rolling_vol", "rolling_sharpe", "rolling_sortino", "dd_periods", "dd_plot", "monthly_heatmap", "returns_dist",
]  # fmt: skip


def test_every_chart_is_drawn_at_its_size(chromium, tmp_path: Path) -> None:  # noqa: ANN001
    from simulator.reports.tearsheet import write_tearsheet

    idx = pd.bdate_range("2015-01-02", periods=1500)
    rng = np.random.default_rng(3)
    b = pd.Series(rng.normal(0.0003, 0.011, len(idx)), index=idx)
    r = b * 1.1 + rng.normal(0.0, 0.005, len(idx))
    page = tmp_path / "t.html"
    write_tearsheet(r, b, page, "Browser check", "Strat", "SPY")
    charts, console = chromium.tearsheet_charts(page)
    assert not [m for m in console if m.get("level") == "SEVERE"], console
    assert [c["slot"] for c in charts] == SLOTS
    for chart in charts:
        # the page's column is 620 px: each chart fills it, at its own shape, and draws inside it
        assert chart["width"] == pytest.approx(620, abs=1) and chart["height"] > 150, chart
        assert chart["marks_width"] > 300 and chart["marks_height"] > 50, chart
    for above, below in zip(charts, charts[1:]):
        assert above["bottom"] <= below["top"] + 0.5, (above, below)  # none drawn over the next
