"""The comparison page in a real browser: headless Chromium renders every chart and the table,
logs no error and requests nothing but the file itself.

Needs Debian's ``chromium`` and ``chromium-driver`` (.ci/run installs them).
Without them the tests skip locally, but fail in CI (``CI=true``): there a
skipped browser test would hide a broken page. Each test saves a full-page
screenshot under its temporary folder (``page.png``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import browser_paths, visit
from conftest import IN_CI, ROOT, only_run, run_cli


@pytest.fixture(scope="session")
def chromium() -> None:
    found = browser_paths()
    if isinstance(found, str):
        if IN_CI:
            pytest.fail(f"browser test cannot run in CI: {found}")
        pytest.skip(found)


def check_page(page: Path, tmp_path: Path, synthetic: bool) -> None:
    """Open ``page`` in Chromium and check what a reader would see."""
    folder = page.parent
    metrics_rows = len((folder / "metrics.csv").read_text().strip().splitlines()) - 1  # strategies + benchmark
    seen = visit(page, tmp_path / "page.png", tmp_path / "profile")

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


def test_demo_run_page(chromium, demo_results: Path, tmp_path: Path) -> None:
    check_page(demo_results / "index.html", tmp_path, synthetic=True)


def test_compare_page_across_two_runs(chromium, demo_results: Path, demo_results_2010: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    proc = run_cli("compare", str(demo_results), str(demo_results_2010), "--out", str(out), "--no-tearsheets")
    assert proc.returncode == 0, proc.stderr
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    check_page(folder / "index.html", tmp_path, synthetic=True)


@pytest.mark.real_data
@pytest.mark.parametrize("config", ["small_cap_thrust_plus", "seed_rotations"])
def test_real_data_run_page(chromium, shared_data: Path, tmp_path: Path, config: str) -> None:
    if config == "small_cap_thrust_plus":
        # the shipped config has one strategy; a page needs two
        text = (ROOT / "configs" / "small_cap_thrust.yaml").read_text()
        extra = "  - name: static_weights\n    label: 50/50 SPY/IWM, quarterly\n    rebalance: quarterly\n"
        extra += "    params:\n      weights: {large_cap: 0.5, small_cap: 0.5}\n\nreport:"
        path = tmp_path / "config.yaml"
        path.write_text(text.replace("\nreport:", extra, 1))
    else:
        path = ROOT / "configs" / f"{config}.yaml"
        if not path.is_file():
            pytest.skip(f"{path.name} is not in this checkout")
    out = tmp_path / "out"
    proc = run_cli("run", str(path), "--data-dir", str(shared_data), "--out", str(out), "--no-tearsheets")
    assert proc.returncode == 0, proc.stderr
    (name,) = [p.name for p in out.iterdir()]
    check_page(only_run(out, name) / "index.html", tmp_path, synthetic=False)
