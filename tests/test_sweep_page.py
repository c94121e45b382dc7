"""sweep.html: the sweep's page with its ledger, from a synthetic sweep built here.

The browser test opens it in headless Chromium (Debian's ``chromium`` and
``chromium-driver``; skips without them locally, fails in CI): no console
error, nothing requested but the file, the heatmap drawn, and switching its
parameters, the mode and the metric redraws it with the values a pandas
pivot of the table gives. The others read the page's HTML and JSON.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.engine.metrics import performance
from simulator.pages.sweep import render_sweep, write_sweep_page
from simulator.sweep.ledger import overfitting_ledger

PARAMS = ["threshold", "hold", "asset"]
DEFAULT = "t0.035_h252_SPY"


def sweep(grid: list[tuple], days: int = 1600, seed: int = 0, ids: list[str] | None = None):
    """Returns of variants with a bump of skill around threshold 0.03, their metrics table, the benchmark."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2010-01-04", periods=days)
    market = rng.normal(0.0003, 0.011, days)
    ids = ids or [f"t{a}_h{b}_{c}" for a, b, c in grid]
    cols = {}
    for (a, b, _), vid in zip(grid, ids):
        edge = 0.0003 * np.exp(-(((a - 0.03) / 0.01) ** 2)) * (b / 252) ** 0.3
        cols[vid] = market * 0.8 + rng.normal(edge, 0.005, days)
    returns = pd.DataFrame(cols, index=dates)
    bench = pd.Series(market, index=dates, name="SPY")
    table = pd.DataFrame.from_dict({v: performance(returns[v], bench) for v in ids}, orient="index")
    for i, p in enumerate(PARAMS):
        table.insert(i, p, [g[i] for g in grid])
    table["rank"] = table["sharpe"].rank(ascending=False, method="first").astype(int)
    return table, returns, bench


GRID = list(itertools.product([0.02, 0.025, 0.03, 0.035, 0.04], [63, 126, 252, 504], ["SPY", "IWM"]))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame, pd.DataFrame, pd.Series]:
    table, returns, bench = sweep(GRID)
    ledger = overfitting_ledger(returns, bench, None, default=DEFAULT, bootstrap_reps=100, block_size=10)
    path = tmp_path_factory.mktemp("sweep") / "sweep.html"
    write_sweep_page(
        path, table, returns, bench, ledger, default=DEFAULT, metric="sharpe", params=PARAMS, title="thrust sweep"
    )
    return path, table, returns, bench


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="rotsim-data">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


# Read the heatmap, then switch its rows to another parameter, its mode to averaged, and the metric to CAGR,
# reading it again after each redraw
INTERACT = """
var done = arguments[arguments.length - 1];
var heat = document.querySelector('[data-chart=heatmap]');
var dist = document.querySelector('[data-chart=distribution]');
function read() {
  var t = heat.data[0], img = heat.querySelector('g.hm image');
  return {x: heat.getAttribute('data-x'), y: heat.getAttribute('data-y'), mode: heat.getAttribute('data-mode'),
          metric: heat.getAttribute('data-metric'), type: t.type, xs: t.x, ys: t.y, z: t.z, count: t.customdata,
          image: img ? img.getBoundingClientRect().width : 0, default_mark: heat.data.length > 1 ? heat.data[1].x : null,
          hist_n: dist.data[0].x.length, marks: (dist.layout.shapes || []).map(function (s) { return s.x0; })};
}
function change(el, value) {
  if (value !== undefined) el.value = value;
  el.dispatchEvent(new Event('change'));
}
var out = {first: read()};
change(document.getElementById('heat-y'), 'asset');
setTimeout(function () {
  out.rows = read();
  var mean = document.querySelector('input[name=heat-mode][value=mean]');
  mean.checked = true; change(mean);
  setTimeout(function () {
    out.averaged = read();
    change(document.getElementById('sweep-metric'), 'cagr');
    setTimeout(function () { out.cagr = read(); done(out); }, 400);
  }, 400);
}, 400);
"""


def pivot(table: pd.DataFrame, x: str, y: str, metric: str, fixed: bool) -> list[list[float]]:
    """The heatmap's cells by pandas: the others at the default's values, or averaged."""
    rows = table
    if fixed:
        for p in PARAMS:
            if p not in (x, y):
                rows = rows[rows[p] == table.loc[DEFAULT, p]]
    grid = rows.pivot_table(index=y, columns=x, values=metric, aggfunc="mean")
    grid = grid.reindex(index=sorted(grid.index), columns=sorted(grid.columns))
    return grid.to_numpy().tolist()


def test_sweep_page_in_a_browser(chromium, page, tmp_path: Path) -> None:  # noqa: ANN001
    path, table, _, bench = page
    seen = chromium.visit(path, tmp_path / "page.png", interact=INTERACT)

    assert seen.severe == [], seen.severe
    assert path.resolve().as_uri() in seen.requests and seen.foreign_requests == []
    names = [c["name"] for c in seen.charts]
    assert names == ["heatmap", "distribution", "growth", "pbo-logits", "pbo-scatter", "walk-forward"]
    for chart in seen.charts:
        assert chart["svg"] >= 1 and chart["height"] > 150, chart
        if chart["name"] != "heatmap":  # a heatmap is an image, not paths (checked below)
            assert chart["drawn_paths"] >= 1, chart
    growth = next(c for c in seen.charts if c["name"] == "growth")
    assert growth["traces"] == 4 and growth["yaxis_type"] == "log"

    first, rows, averaged, cagr = (seen.checks[k] for k in ("first", "rows", "averaged", "cagr"))
    # the heatmap renders: threshold across, hold up, asset fixed at the default's (SPY)
    assert (first["type"], first["x"], first["y"], first["mode"], first["metric"]) == (
        "heatmap", "threshold", "hold", "fixed", "sharpe",
    )  # fmt: skip
    assert first["image"] > 100
    assert first["xs"] == ["0.02", "0.025", "0.03", "0.035", "0.04"] and first["ys"] == ["63", "126", "252", "504"]
    np.testing.assert_allclose(first["z"], pivot(table, "threshold", "hold", "sharpe", fixed=True), atol=2e-6)
    assert first["default_mark"] == ["0.035"]
    # switching the rows to asset: now hold is the one fixed (at 252)
    assert (rows["x"], rows["y"]) == ("threshold", "asset") and rows["ys"] == ["IWM", "SPY"]
    np.testing.assert_allclose(rows["z"], pivot(table, "threshold", "asset", "sharpe", fixed=True), atol=2e-6)
    # averaged over hold: four variants a cell
    assert averaged["mode"] == "mean" and np.array(averaged["count"]).tolist() == [[4] * 5] * 2
    np.testing.assert_allclose(averaged["z"], pivot(table, "threshold", "asset", "sharpe", fixed=False), atol=2e-6)
    # another metric redraws the heatmap and the distribution, the default and the benchmark marked
    assert cagr["metric"] == "cagr"
    np.testing.assert_allclose(cagr["z"], pivot(table, "threshold", "asset", "cagr", fixed=False), atol=2e-6)
    assert cagr["hist_n"] == len(table)
    bench_cagr = float(np.prod(1.0 + bench.to_numpy()) ** (252 / len(bench)) - 1.0)
    np.testing.assert_allclose(cagr["marks"], [table.loc[DEFAULT, "cagr"], bench_cagr], atol=2e-6)
    assert seen.screenshot and seen.screenshot.stat().st_size > 50_000


def test_the_growth_chart_has_the_default_best_and_median_variants(page) -> None:
    path, table, returns, _ = page
    fig = page_data(path.read_text())["figures"]["growth"]
    by_rank = table.sort_values("rank").index
    best, median = by_rank[0], by_rank[(len(by_rank) - 1) // 2]
    assert [t["name"] for t in fig["data"]] == [f"default ({DEFAULT})", f"best ({best})", f"median ({median})", "SPY"]
    for trace, vid in zip(fig["data"], [DEFAULT, best, median]):
        np.testing.assert_allclose(trace["y"], np.cumprod(1.0 + returns[vid].to_numpy()), atol=1e-4)


def test_the_ledger_sentences_are_on_the_page(page) -> None:
    path, table, returns, bench = page
    html = path.read_text()
    ledger = overfitting_ledger(returns, bench, None, default=DEFAULT, bootstrap_reps=100, block_size=10)
    for sentence in ledger.sentences():
        assert sentence.replace("'", "&#x27;") in html
    assert html.count('class="figure"') == 5


def test_markup_in_ids_and_title_is_text() -> None:
    grid = GRID[:8]
    ids = [f"<b>v{i}</b>" for i in range(7)] + ['<script>window.injected=1</script>"']
    table, returns, bench = sweep(grid, days=900, ids=ids)
    ledger = overfitting_ledger(returns, bench, None, default=ids[-1], pbo_splits=4, bootstrap_reps=0)
    html = render_sweep(
        table, returns, bench, ledger, default=ids[-1], metric="sharpe", params=PARAMS, title="<i>t</i>"
    )
    assert "<script>window" not in html and "<b>v" not in html and "<i>t</i>" not in html
    assert "&lt;i&gt;t&lt;/i&gt;" in html
    # the variant ids are in the data, where the page's script hands them to plotly as text
    assert page_data(html)["sweep"]["ids"] == ids


def test_a_large_sweep_keeps_the_page_small() -> None:
    """2,000 variants: one row each and four curves, never every variant's curve."""
    from plotly.offline import get_plotlyjs

    rng = np.random.default_rng(1)
    grid = list(itertools.product(np.round(np.linspace(0.01, 0.05, 40), 4).tolist(), range(25), ["SPY", "IWM"]))
    days = 2000
    dates = pd.bdate_range("2005-01-03", periods=days)
    ids = [f"v{i}" for i in range(len(grid))]
    returns = pd.DataFrame(rng.normal(0.0003, 0.01, (days, len(grid))), index=dates, columns=ids)
    bench = pd.Series(rng.normal(0.0003, 0.01, days), index=dates, name="SPY")
    table = pd.DataFrame(
        {p: [g[i] for g in grid] for i, p in enumerate(PARAMS)}
        | {"sharpe": rng.normal(0.5, 0.2, len(grid)), "cagr": rng.normal(0.05, 0.02, len(grid))},
        index=ids,
    )
    table["rank"] = table["sharpe"].rank(ascending=False, method="first").astype(int)
    ledger = overfitting_ledger(returns, bench, None, default="v0", pbo_splits=8, bootstrap_reps=0)
    html = render_sweep(table, returns, bench, ledger, default="v0", metric="sharpe", params=PARAMS, title="big")
    data = page_data(html)
    assert len(data["figures"]["growth"]["data"]) == 4
    assert len(data["sweep"]["ids"]) == len(grid)
    own = len(html.encode()) - len(get_plotlyjs().encode())
    assert own < 1_500_000, own  # the page without plotly.js: rows, four curves, the PBO picture


def test_sweep_page_on_a_phone(chromium, page, tmp_path: Path) -> None:  # noqa: ANN001
    """390 pixels wide: nothing to scroll sideways, and no tick labels drawn over each other (the heatmap's
    five thresholds did, level, before they were turned)."""
    path = page[0]
    seen = chromium.visit(path, tmp_path / "page.png", width=390)
    assert seen.severe == [], seen.severe
    assert seen.checks["inner_width"] == 390 and seen.checks["scroll_width"] <= 390, seen.checks
    for chart in seen.charts:
        assert chart["tick_overlaps"] == [], (chart["name"], chart["xticks"], chart["yticks"])
