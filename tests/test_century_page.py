"""The comparison page over a century (1926 on): decade ticks, a point a week, calendar years by decade.

Made from a results folder written by hand (compare_fakes.fake_run) with
random daily returns on 1926-07-01 .. 2025-05-30 weekdays; the figures the
page shows are recomputed here with plain pandas. A page of 26 years keeps a
point a day and its year-per-row table. The browser test opens the long page
in headless Chromium (skips without it, fails in CI).
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_compare_browser import PHONE

from browser import WIDTH
from compare_fakes import fake_run

DAYS = pd.bdate_range("1926-07-01", "2025-05-30")


def _returns(days: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    return {
        "Small-cap thrust": rng.normal(0.0004, 0.012, len(days)),
        "First cuts": rng.normal(0.0003, 0.010, len(days)),
        "Market": rng.normal(0.0003, 0.011, len(days)),
    }


def _page(tmp_path: Path, days: pd.DatetimeIndex = DAYS) -> tuple[str, dict, pd.DataFrame]:
    from simulator.pages.comparison import compare, load_run
    from simulator.pages.html_page import PageInfo, render

    returns = _returns(days)
    folder = fake_run(tmp_path / "run", days, bench=("Market", "FF:Mkt"), returns=returns)
    html = render(compare([load_run(folder)]), tmp_path, PageInfo("century", []))
    (tmp_path / "index.html").write_text(html, encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="rotsim-data">(.*?)</script>', html, re.S)[1])
    return html, data, pd.DataFrame(returns, index=days)


def test_time_charts_have_a_point_a_week_with_each_weeks_close_and_trough(century) -> None:  # noqa: ANN001
    _, _, data, returns = century
    assert "daily" not in data["axes"]  # 25,800 dates the charts no longer read
    week_ends = pd.DatetimeIndex(returns.index.to_series().resample("W-FRI").last().dropna())
    assert data["axes"]["weekly"] == list(week_ends.strftime("%Y-%m-%d"))
    growth = {t["name"]: t for t in data["figures"]["growth"]["data"]}
    wealth = (1 + returns).cumprod().resample("W-FRI").last().dropna()
    for label in returns.columns:
        assert growth[label]["x"] == "@weekly"
        np.testing.assert_allclose(growth[label]["y"], wealth[label].round(4).to_numpy(), rtol=0, atol=1e-9)
    # drawdowns: the deepest close of each week, so the chart reaches the daily maximum drawdown
    wealth_daily = (1 + returns).cumprod()
    drawdown = wealth_daily / np.maximum(wealth_daily.cummax(), 1.0) - 1  # the running peak starts at $1
    lows = drawdown.resample("W-FRI").min().dropna()
    dd = {t["name"]: t for t in data["figures"]["drawdowns"]["data"]}
    for label in returns.columns:
        np.testing.assert_allclose(dd[label]["y"], lows[label].round(5).to_numpy(), rtol=0, atol=1e-9)
        assert min(dd[label]["y"]) == pytest.approx(drawdown[label].min(), abs=1e-5)
        assert dd[label]["x"] == "@weekly"  # the lows are plotted on the page's weekly dates


def test_time_charts_ask_for_a_tick_a_decade_on_a_log_growth_axis(century) -> None:  # noqa: ANN001
    _, _, data, _ = century
    for key, figure in data["figures"].items():
        assert figure["layout"]["xaxis"]["nticks"] == 11, key  # 98.9 years: 10 decades and one more
    assert data["figures"]["growth"]["layout"]["yaxis"]["type"] == "log"


def test_calendar_years_by_decade_match_the_yearly_returns(century) -> None:  # noqa: ANN001
    _, html, _, returns = century
    yearly = (1 + returns).groupby(returns.index.year).prod() - 1
    grids = re.findall(r'<div class="decades">(.*?)</table></div></div>', html, re.S)
    assert len(grids) == 3  # the benchmark's, then each strategy's
    assert "Market" in grids[0] and "Small-cap thrust" in grids[1]
    rows = re.findall(r"<tr><th scope=\"row\">(\d{4})s</th>(.*?)</tr>", grids[1], re.S)
    assert [int(d) for d, _ in rows] == list(range(1920, 2030, 10))  # 11 rows for 100 years
    cells = {
        int(decade) + k: cell
        for decade, body in rows
        for k, cell in enumerate(re.findall(r"<td[^>]*>(.*?)</td>", body, re.S))
    }
    for year in (1926, 1929, 1987, 2025):
        r = yearly.loc[year, "Small-cap thrust"]
        gap = (r - yearly.loc[year, "Market"]) * 100
        shown = unescape(cells[year])
        assert shown.startswith(f"{r:.1%}"), (year, shown)
        assert f"<small>{gap:+.1f}</small>" in shown, (year, shown)
    assert cells[1920] == "" and cells[2029] == ""  # before and after the data
    assert '<span class="partial">*</span>' in cells[1926] and '<span class="partial">*</span>' in cells[2025]
    # every year is still in one table, folded away
    assert "<summary>Every year as one table</summary>" in html
    assert html.count('<th scope="row">19') >= 74


@pytest.fixture(scope="module")
def century(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict, pd.DataFrame]:
    """The century's page (made once: every test of it only reads it), its html, data and returns."""
    folder = tmp_path_factory.mktemp("century")
    return (folder / "index.html", *_page(folder))


def test_a_26_year_page_keeps_a_point_a_day_and_a_row_a_year(tmp_path: Path) -> None:
    html, data, returns = _page(tmp_path, pd.bdate_range("2000-01-03", "2025-12-31"))
    assert len(data["axes"]["daily"]) == len(returns)
    assert all(t["x"] == "@daily" for t in data["figures"]["growth"]["data"])
    assert "nticks" not in data["figures"]["growth"]["layout"]["xaxis"]
    assert 'class="decade-grid"' not in html and "Every year as one table" not in html


@pytest.mark.parametrize(("width", "step"), [(WIDTH, 10), (PHONE, 20)])
def test_century_page_in_a_browser(chromium, century, tmp_path: Path, width: int, step: int) -> None:  # noqa: ANN001
    """A tick a decade on a desktop; on a phone, where ten labels do not fit, one every 20 years."""
    page = century[0]
    assert page.stat().st_size < 6_000_000  # plotly.js is 4.6 MB of it
    seen = chromium.visit(page, tmp_path / "page.png", width=width)
    assert seen.severe == [] and seen.foreign_requests == []
    first = 1930 if step == 10 else 1940
    for chart in seen.charts:
        assert chart["drawn_paths"] >= 1 and chart["tick_overlaps"] == [], chart
        assert chart["xticks"] == [str(y) for y in range(first, 2030, step)], chart["xticks"]
    assert seen.checks["growth_scale_before"] == "log"
    assert seen.checks["scroll_width"] <= seen.checks["inner_width"]
