"""The comparison page in a real browser: headless Chromium renders every chart and the table,
logs no error and requests nothing but the file itself.

Needs Debian's ``chromium`` and ``chromium-driver`` (.ci/run installs them).
Without them the tests skip locally, but fail in CI (``CI=true``): there a
skipped browser test would hide a broken page. Each test saves a screenshot
under its temporary folder (``page.png``): the window's view, the whole page
with ``ROTSIM_TESTS_FULL_SCREENSHOTS=1`` (tests/browser.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from browser import WIDTH, Browser, PageVisit
from compare_fakes import MARKUP_LABELS, fake_run, markup_page
from conftest import ROOT, only_run, run_in_process

PHONE = 390  # a phone's width in CSS pixels


def check_page(browser: Browser, page: Path, tmp_path: Path, synthetic: bool, width: int = WIDTH) -> PageVisit:
    """Open ``page`` in Chromium, ``width`` pixels wide, and check what a reader would see."""
    folder = page.parent
    metrics_rows = len((folder / "metrics.csv").read_text().strip().splitlines()) - 1  # strategies + benchmark
    seen = browser.visit(page, tmp_path / "page.png", width=width)

    assert seen.severe == [], seen.severe
    assert page.resolve().as_uri() in seen.requests  # the network log works...
    assert seen.foreign_requests == []  # ...and nothing else was asked for
    assert seen.screenshot and seen.screenshot.stat().st_size > 50_000

    names = [c["name"] for c in seen.charts]
    assert names[:3] == ["growth", "drawdowns", "rolling"]
    assert len(names) == 3 + metrics_rows - 1  # one weights chart per strategy
    for chart in seen.charts:
        assert chart["svg"] >= 1 and chart["drawn_paths"] >= 1 and chart["height"] > 150, chart
    by_name = {c["name"]: c for c in seen.charts}
    assert by_name["growth"]["traces"] == metrics_rows  # every strategy and the benchmark
    assert by_name["rolling"]["traces"] == metrics_rows - 1  # the benchmark's excess over itself is not drawn

    checks = seen.checks
    assert checks["table_rows"] == metrics_rows
    assert checks["sorted_cagr"] == sorted(checks["sorted_cagr"], reverse=True)  # one click: best first
    assert checks["best_cells"] >= 10  # at least one per ranked column
    assert (checks["growth_scale_before"], checks["growth_scale_after"]) == ("log", "linear")
    assert bool(checks["synthetic_banner"]) is synthetic
    # the page fits the window: nothing to scroll sideways (tables scroll inside their own box)
    assert checks["inner_width"] == width
    assert checks["scroll_width"] <= checks["inner_width"], checks
    for chart in seen.charts:
        assert chart["tick_overlaps"] == [], (chart["name"], chart["yticks"], chart["xticks"])
    return seen


def test_demo_run_page(chromium, demo_results: Path, tmp_path: Path) -> None:
    check_page(chromium, demo_results / "index.html", tmp_path, synthetic=True)


def test_demo_run_page_on_a_phone(chromium, demo_results: Path, tmp_path: Path) -> None:
    check_page(chromium, demo_results / "index.html", tmp_path, synthetic=True, width=PHONE)


@pytest.mark.parametrize("width", [PHONE, WIDTH])
def test_growth_chart_log_labels_do_not_overlap(chromium, tmp_path: Path, width: int) -> None:
    """Wealth from $1 down to $0.55 and up to $9, as in the real rate-cut run: plotly labelled
    every digit there ($0.6, $0.7, $0.8, $0.9 and $7, $8, $9), drawn over each other."""
    from simulator.pages.comparison import compare, load_run
    from simulator.pages.html_page import PageInfo, render

    dates = pd.bdate_range("2000-01-03", periods=2000)
    path = np.concatenate([np.linspace(0.0, np.log(0.55), 500), np.linspace(np.log(0.55), np.log(9.0), 1500)])
    wealth = np.exp(path)
    returns = {
        "Strategy with a long name, recession filter": np.r_[0.0, wealth[1:] / wealth[:-1] - 1.0],
        "Another strategy": np.full(len(dates), 0.0003),
        "Bench": np.full(len(dates), 0.0002),
    }
    folder = fake_run(tmp_path / "run", dates, returns=returns)
    page = tmp_path / "index.html"
    page.write_text(render(compare([load_run(folder)]), tmp_path, PageInfo("t", [])), encoding="utf-8")
    seen = chromium.visit(page, tmp_path / "page.png", width=width)
    growth = next(c for c in seen.charts if c["name"] == "growth")
    assert len(growth["yticks"]) >= 3, growth["yticks"]
    assert growth["tick_overlaps"] == [], growth["yticks"]
    assert seen.checks["scroll_width"] <= seen.checks["inner_width"] == width


def test_labels_with_markup_show_as_written(chromium, tmp_path: Path) -> None:
    """In the legends and the title a label reads as typed; no label's markup runs or styles anything."""
    page = markup_page(tmp_path)
    seen = chromium.visit(page, tmp_path / "page.png")
    assert seen.severe == [], seen.severe
    assert seen.checks["injected"] is None  # neither label's <script> ran
    assert seen.checks["title"] == "2 runs compared: <em>one</em>, two"
    rows = [f"{label} [{tag}]" for label in MARKUP_LABELS for tag in ("<em>one</em>", "two")]
    growth = next(c for c in seen.charts if c["name"] == "growth")
    # plotly draws each line of a name on its own, without the space the line break replaced
    legend = [re.sub(r"\s+", "", t) for t in growth["legend"]]
    expected = [re.sub(r"\s+", "", r) + ("HINDSIGHT" if r.startswith("<b>x</b>") else "") for r in rows]
    assert legend == [*expected, "<u>Bench</u>"]


def test_compare_page_across_two_runs(chromium, demo_results: Path, demo_results_2010: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    proc = run_in_process("compare", str(demo_results), str(demo_results_2010), "--out", str(out), "--no-tearsheets")
    assert proc.returncode == 0, proc.stderr
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    check_page(chromium, folder / "index.html", tmp_path, synthetic=True)


@pytest.mark.real_data
def test_real_data_run_page_small_cap_thrust_plus(chromium, shared_data: Path, tmp_path: Path) -> None:
    # the shipped config has one strategy; a page needs two
    text = (ROOT / "configs" / "small_cap_thrust.yaml").read_text()
    extra = "  - name: static_weights\n    label: 50/50 SPY/IWM, quarterly\n    rebalance: quarterly\n"
    extra += "    params:\n      weights: {large_cap: 0.5, small_cap: 0.5}\n\nreport:"
    path = tmp_path / "config.yaml"
    path.write_text(text.replace("\nreport:", extra, 1))
    out = tmp_path / "out"
    proc = run_in_process("run", str(path), "--data-dir", str(shared_data), "--out", str(out), "--no-tearsheets")
    assert proc.returncode == 0, proc.stderr
    (name,) = [p.name for p in out.iterdir()]
    check_page(chromium, only_run(out, name) / "index.html", tmp_path, synthetic=False)


@pytest.mark.real_data
def test_real_data_run_page_seed_rotations(chromium, seed_rotations_real: Path, tmp_path: Path) -> None:
    check_page(
        chromium, seed_rotations_real / "index.html", tmp_path, synthetic=False
    )  # the session's seed run (conftest)
