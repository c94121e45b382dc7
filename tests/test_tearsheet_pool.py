"""A run's tearsheets from its worker pool: every figure and row a tearsheet shows, the report of all
strategies as quantstats draws it from scratch, progress per report, and each report's seconds.

One run with tearsheets (two strategies on the sample market, three years) is written once per module;
the tests read it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

NS = {"s": "http://www.w3.org/2000/svg"}
NAME = "pool"
STRATEGIES = ("Large", "Half small")
BENCH = "S&P 500 (SPY)"
# quantstats' page: each figure's slot, and the title of the figure drawn there (strategy "Large")
FIGURES = {
    "returns": "Cumulative Returns vs Benchmark",
    "log_returns": "Cumulative Returns vs Benchmark (Log Scaled)",
    "vol_returns": "Cumulative Returns vs Benchmark (Volatility Matched)",
    "eoy_returns": "EOY Returns vs Benchmark",
    "monthly_dist": "Distribution of Monthly Returns",
    "daily_returns": "Daily Returns (Cumulative Sum)",
    "rolling_beta": "Rolling Beta to Benchmark",
    "rolling_vol": "Rolling Volatility (6-Months)",
    "rolling_sharpe": "Rolling Sharpe (6-Months)",
    "rolling_sortino": "Rolling Sortino (6-Months)",
    "dd_periods": "Large - Worst 5 Drawdown Periods",
    "dd_plot": "Underwater Plot",
    "monthly_heatmap": "Large - Monthly Returns (%)",
    "returns_dist": "Large - Return Quantiles",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, registry) -> tuple[Path, list[str], dict]:  # noqa: ANN001
    """The run folder, the progress steps it reported, its manifest."""
    from simulator.config import load_config
    from simulator.pipeline.execute import execute

    tmp = tmp_path_factory.mktemp("pool")
    cfg = tmp / "c.yaml"
    cfg.write_text(
        f"name: {NAME}\n"
        "data: {source: sample, start: 2010-01-04, end: 2012-12-31}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\n"
        "benchmark: SPY\n"
        "strategies:\n"
        f"  - {{name: static_weights, label: {STRATEGIES[0]}, params: {{weights: {{large_cap: 1.0}}}}}}\n"
        f"  - {{name: static_weights, label: {STRATEGIES[1]}, params: {{weights: {{large_cap: 0.5, small_cap: 0.5}}}}}}\n"
        "report: {tearsheets: true}\n"
    )
    steps: list[str] = []
    result = execute(load_config(cfg), registry, out=tmp / "out", step=steps.append)
    assert not result.failed
    return result.folder, steps, json.loads((result.folder / "manifest.json").read_text())


def _slot(html: str, slot: str) -> str:
    """What the page shows in a figure's place (the first, "returns", has a <div> without an id)."""
    start = html.index('<div id="left">') if slot == "returns" else html.index(f'<div id="{slot}">')
    start = html.index("<div", start + 1) if slot == "returns" else start
    return html[start : html.index("</div>", start)]


def _rows(html: str) -> dict[str, list[str]]:
    body = html[html.index("Key Performance Metrics") :]
    body = body[: body.index("</table>")]
    return dict(re.findall(r"<tr><td>(.*?)</td>((?:<td>.*?</td>)+)</tr>", body))


def _cells(row: str) -> list[float]:
    return [float(c.rstrip("%").replace(",", "")) for c in re.findall(r"<td>(.*?)</td>", row)]


def test_each_tearsheet_shows_every_figure(run) -> None:  # noqa: ANN001
    folder, _, _ = run
    html = (folder / "tearsheets" / "large.html").read_text(encoding="utf-8")
    assert html.count("<svg") == len(FIGURES)
    for slot, title in FIGURES.items():
        drawn = _slot(html, slot)
        assert drawn.count("<svg") == 1, slot
        svg = ET.fromstring(drawn[drawn.index("<svg") : drawn.index("</svg>") + len("</svg>")])
        assert svg.find("s:text[@class='title']", NS).text == title, slot
        marks = [
            m for m in (svg.find("s:g[@class='plot']", NS), svg.find("s:g[@class='heatmap']", NS)) if m is not None
        ]
        assert marks and len(marks[0]) > 0, slot  # something drawn


def test_monthly_and_drawdown_rows_equal_a_numpy_computation(run) -> None:  # noqa: ANN001
    folder, _, _ = run
    returns = pd.read_csv(folder / "returns.csv", index_col=0, parse_dates=True)
    rows = _rows((folder / "tearsheets" / "large.html").read_text(encoding="utf-8"))
    for column, label in enumerate((BENCH, "Large")):
        r = returns[label]
        months = (1 + r).groupby([r.index.year, r.index.month]).prod() - 1
        assert _cells(rows["Best Month"])[column] == round(100 * months.max(), 2)
        assert _cells(rows["Worst Month"])[column] == round(100 * months.min(), 2)
        wealth = np.cumprod(1 + r.to_numpy())
        under = wealth / np.maximum.accumulate(wealth) - 1 < 0
        # each drawdown: a run of days under water, its length in calendar days to its last such day
        edges = np.flatnonzero(np.diff(np.concatenate([[0], under.astype(int), [0]])))
        days = [(r.index[e - 1] - r.index[s]).days + 1 for s, e in zip(edges[::2], edges[1::2])]
        assert _cells(rows["Longest DD Days"])[column] == max(days)
        assert _cells(rows["Avg. Drawdown Days"])[column] == round(np.mean(days))


def test_the_report_of_all_strategies_is_the_one_drawn_from_scratch(run) -> None:  # noqa: ANN001
    """Put together from the tearsheets' figures and the pool's page, it equals quantstats' own drawing."""
    from simulator.pages.write import run_report_title
    from simulator.reports.tearsheet import write_multi_tearsheet

    folder, _, _ = run
    returns = pd.read_csv(folder / "returns.csv", index_col=0, parse_dates=True)
    rf = pd.read_csv(folder / "risk_free.csv", index_col=0, parse_dates=True)["risk_free"]
    fresh = folder.parent / "fresh.html"
    title = run_report_title(NAME, BENCH, synthetic=True)
    write_multi_tearsheet(returns[list(STRATEGIES)], returns[BENCH], fresh, title, BENCH, rf=rf)
    written = (folder / "tearsheets" / "all_strategies.html").read_text(encoding="utf-8")
    assert written.count("<svg") == 11 + 3 * len(STRATEGIES)
    assert "rotsim:figure" not in written  # no marker left
    assert written == fresh.read_text(encoding="utf-8")


def test_figures_drawn_from_other_numbers_are_not_taken(run, tmp_path: Path) -> None:  # noqa: ANN001
    """What the tearsheets drew is used only for the same data: other returns get their own figures."""
    from simulator.reports.tearsheet import Drawn, write_multi_tearsheet

    folder, _, _ = run
    returns = pd.read_csv(folder / "returns.csv", index_col=0, parse_dates=True).iloc[:300]  # a short page
    bench = returns[BENCH]
    other = returns[list(STRATEGIES)] * 1.5
    svg = {slot: "<svg>not this one</svg>" for slot in ("dd_periods", "monthly_heatmap", "returns_dist")}
    drawn = Drawn(figures={name: (returns[name], bench, dict(svg)) for name in STRATEGIES})
    page = write_multi_tearsheet(other, bench, tmp_path / "all.html", "t", BENCH, drawn=drawn)
    assert page is not None and "not this one" not in page.read_text(encoding="utf-8")


def test_progress_ticks_for_each_report_and_the_manifest_times_them(run) -> None:  # noqa: ANN001
    from simulator.config import load_config
    from simulator.pipeline.execute import count_steps

    folder, steps, manifest = run
    done = [s for s in steps if s.startswith(("tearsheet ", "all-strategies"))]
    assert sorted(done) == sorted(
        [f"tearsheet {label} written" for label in STRATEGIES] + ["all-strategies report drawn"]
    )
    assert len(steps) <= count_steps(load_config(folder / "config.yaml"))
    timings = manifest["timings_seconds"]
    for name in [*STRATEGIES, "all strategies"]:
        assert 0 < timings[f"tearsheet {name}"] <= timings["tearsheets"], name


def test_the_report_of_all_strategies_takes_the_figures_the_tearsheets_drew(tmp_path: Path) -> None:
    """A tearsheet keeps its three figures that report shows too; the report marks their places instead of drawing."""
    from simulator.reports.tearsheet import keeping_figures, multi_tearsheet_page, write_tearsheet
    from simulator.reports.tearsheet_figures import SLOTS

    idx = pd.bdate_range("2016-01-04", periods=400)
    rng = np.random.default_rng(5)
    bench = pd.Series(rng.normal(0.0003, 0.01, len(idx)), index=idx)
    frame = pd.DataFrame({"A": bench + rng.normal(0, 0.004, len(idx)), "B": bench * 0.5})
    kept: dict[str, str] = {}
    with keeping_figures(kept):
        write_tearsheet(frame["A"], bench, tmp_path / "a.html", "t", "A", "SPY")
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert set(kept) == set(SLOTS.values())
    for slot, svg in kept.items():
        assert svg.startswith("<svg") and svg in page, slot  # what the page shows in that slot
    marked = multi_tearsheet_page(frame, bench, "all", "SPY")
    assert marked is not None
    assert sorted(re.findall(r"<!--rotsim:figure:(\w+):(\d)-->", marked)) == sorted(
        (slot, str(i)) for slot in SLOTS.values() for i in range(2)
    )
