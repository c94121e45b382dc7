"""The comparison page's numbers and files: a run's index.html and `rotsim compare` across runs.

Numbers are checked against metrics.csv written by the run itself and against
formulas written out here from returns.csv; the page's HTML is checked for
self-containment and working links. The browser test is test_compare_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pytest

from simulator.errors import UserError
from simulator.pages.charts import rolling_excess_chart, weekly
from simulator.pages.comparison import Run, compare, load_run
from simulator.pages.tables import best_rows
from simulator.reports.holdings import signal_spans

from compare_fakes import fake_run
from conftest import ROOT, run_in_process

RETURN_METRICS = ["cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar", "worst_year"]


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, index_col=0, parse_dates=path.name != "metrics.csv")


@pytest.fixture(scope="module")
def demo_run(demo_results: Path) -> Run:
    """The demo's results folder read once for the module: ``compare`` reads a run and changes none of it."""
    return load_run(demo_results)


def test_one_run_reproduces_its_own_metrics(demo_results: Path, demo_run: Run) -> None:
    """Read back from its files, a run's metrics (turnover and exposure too) equal what the run wrote."""
    c = compare([demo_run])
    written = _csv(demo_results / "metrics.csv")
    assert list(c.metrics.index) == list(written.index)
    pd.testing.assert_frame_equal(c.metrics, written, check_names=False, check_dtype=False, rtol=1e-8, atol=1e-10)
    assert c.span_note.startswith("The whole run: 2000-01-03 to 2025-12-31")


def test_runs_are_compared_on_their_common_dates(demo_results: Path, demo_run: Run, demo_results_2010: Path) -> None:
    a, b = demo_run, load_run(demo_results_2010)
    c = compare([a, b], ["from 2000", "from 2010"])
    dates = b.returns.index  # the later run's dates are all in the earlier run's
    assert c.returns.index.equals(dates) and c.start == pd.Timestamp("2010-01-04")
    assert "2010-01-04 to 2025-12-31" in c.span_note and "share" in c.span_note
    # the same strategy from both runs side by side, the benchmark (the first run's) last
    assert c.labels == [f"{label} [from {year}]" for label in a.labels for year in (2000, 2010)]
    assert "Small-cap thrust [from 2010]" in c.labels
    assert list(c.metrics.index) == [*c.labels, "S&P 500 (SPY)"]
    assert compare([a, b]).tags == ["demo from 2000-01-03", "demo from 2010-01-04"]  # same name: told apart by date
    # the later run covers exactly the common dates: its return metrics, turnover and exposure are its own
    own = _csv(demo_results_2010 / "metrics.csv")
    for label in b.labels:
        row = c.metrics.loc[f"{label} [from 2010]"]
        for col in [*RETURN_METRICS, "turnover", "exposure"]:
            assert row[col] == pytest.approx(own.loc[label, col], rel=1e-9, abs=1e-12), (label, col)
    # the earlier run, cut to 2010 on: written out here from returns.csv
    r = _csv(demo_results / "returns.csv").loc[dates, "Small-cap thrust"]
    wealth = (1 + r).cumprod()
    row = c.metrics.loc["Small-cap thrust [from 2000]"]
    assert row["cagr"] == pytest.approx(wealth.iloc[-1] ** (252 / len(r)) - 1, rel=1e-10)
    assert row["max_drawdown"] == pytest.approx(min((wealth / wealth.cummax()).min() - 1, wealth.min() - 1), rel=1e-10)
    assert row["worst_year"] == pytest.approx(((1 + r).groupby(r.index.year).prod() - 1).min(), rel=1e-10)
    # its own metrics.csv covers 2000 on, so the cut must differ from it
    assert row["cagr"] != pytest.approx(_csv(demo_results / "metrics.csv").loc["Small-cap thrust", "cagr"], rel=1e-3)


def test_turnover_on_a_span_starting_mid_run_counts_the_trades_of_its_first_day(
    tmp_path: Path, demo_results: Path, demo_run: Run
) -> None:
    """Only a run's own first day puts starting cash to work; compared from a later day on, that day's fills
    are trades. Written out here from trades/ and returns.csv."""
    returns = _csv(demo_results / "returns.csv")
    fills = pd.read_csv(demo_results / "trades" / "small-cap-thrust.csv", parse_dates=["date"])
    first = fills["date"][fills["date"] > pd.Timestamp("2005-01-01")].iloc[0]  # a day it traded, mid-run
    dates = returns.index[returns.index >= first]
    later = fake_run(tmp_path / "later", dates, bench=("S&P 500 (SPY)", "SPY"))
    c = compare([demo_run, load_run(later)], ["demo", "later"])
    assert c.start == first
    value = 100_000 * (1 + returns["Small-cap thrust"]).cumprod()  # the demo's initial cash
    fills = fills[fills["date"].isin(dates) & (fills["ticker"] != "CASH")]
    traded = fills.groupby("date")["value"].sum()
    expected = (traded / value[traded.index]).sum() / 2 / (len(dates) / 252)
    assert c.metrics.loc["Small-cap thrust [demo]", "turnover"] == pytest.approx(expected, rel=1e-9)


def test_best_value_marks_respect_direction() -> None:
    m = pd.DataFrame(
        {
            "cagr": [0.08, 0.05, np.nan],
            "volatility": [0.20, 0.15, 0.18],
            "max_drawdown": [-0.30, -0.50, -0.40],
            "turnover": [0.5, 0.5, 2.0],
            "beta": [0.8, 1.0, 1.2],
            "exposure": [1.0, 0.5, 0.7],
        },
        index=["a", "b", "bench"],
    )
    best = best_rows(m)
    assert best["cagr"] == {"a"}  # higher; a missing value never wins
    assert best["volatility"] == {"b"}  # lower
    assert best["max_drawdown"] == {"a"}  # the shallowest
    assert best["turnover"] == {"a", "b"}  # ties share it
    assert "beta" not in best and "exposure" not in best  # choices, not scores


def test_signal_spans_cover_each_run_of_days() -> None:
    idx = pd.bdate_range("2024-01-01", periods=8)
    signal = pd.Series([True, True, False, False, True, False, True, True], index=idx)
    assert signal_spans(signal) == [
        ("2024-01-01", "2024-01-02"),
        ("2024-01-05", "2024-01-05"),
        ("2024-01-09", "2024-01-10"),
    ]
    assert signal_spans(signal & False) == []


def test_rolling_excess_is_the_trailing_year_return_gap(demo_results: Path) -> None:
    returns = _csv(demo_results / "returns.csv")
    fig = rolling_excess_chart(returns, "S&P 500 (SPY)", _styles(returns))
    trace = next(t for t in fig["data"] if t["name"] == "Small-cap thrust")
    for i in (251, 3000, len(returns) - 1):
        window = returns.iloc[i - 251 : i + 1]
        gap = (1 + window["Small-cap thrust"]).prod() - (1 + window["S&P 500 (SPY)"]).prod()
        assert trace["y"][i] == pytest.approx(gap, abs=1e-5)
    assert trace["y"][250] is None  # not a full year yet


def test_weekly_keeps_each_weeks_last_day_on_its_date() -> None:
    idx = pd.bdate_range("2024-01-01", "2024-01-19")
    frame = pd.DataFrame({"x": range(len(idx))}, index=idx)
    out = weekly(frame)
    assert [d.strftime("%Y-%m-%d") for d in out.index] == ["2024-01-05", "2024-01-12", "2024-01-19"]
    assert out["x"].tolist() == [4, 9, 14]


def test_run_page_is_self_contained_and_its_links_work(demo_results: Path) -> None:
    html = (demo_results / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<title>SYNTHETIC DATA — demo", html) and 'class="synthetic"' in html
    # nothing to fetch: no external scripts, stylesheets, images or fonts
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=", html)
    assert "<link" not in html and "@import" not in html and "url(http" not in html
    assert len(re.findall(r"<script>", html)) == 2  # plotly.js inlined, then the page's own script
    manifest = json.loads((demo_results / "manifest.json").read_text())
    charts = re.findall(r'data-chart="([^"]+)"', html)
    assert charts == ["growth", "drawdowns", "rolling"] + [f"weights-{i}" for i in range(len(manifest["strategies"]))]
    text = html[: html.index('<script type="application/json"')]  # the page, not plotly.js' source
    links = re.findall(r'href="([^"#][^"]*)"', text)
    assert {"config.yaml", "manifest.json", "tearsheets/all_strategies.html"} <= set(links)
    assert {f"tearsheets/{p.name}" for p in (demo_results / "tearsheets").glob("*.html")} <= set(links)
    for link in links:
        assert (demo_results / unquote(link)).is_file(), link
    # quantstats' multi-strategy report: every strategy, and no web favicon
    qs_html = (demo_results / "tearsheets" / "all_strategies.html").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in qs_html and "Small-cap thrust" in qs_html and "60/40" in qs_html
    assert "qtpylib.io/favicon" not in qs_html


def test_compare_command_writes_the_page_across_runs(
    tmp_path: Path, demo_results: Path, demo_results_2010: Path
) -> None:
    out = tmp_path / "cmp"
    proc = run_in_process(
        "compare", str(demo_results), str(demo_results_2010), "--out", str(out),
        "--label", "from 2000", "--label", "from 2010", "--no-tearsheets",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "2010-01-04 to 2025-12-31" in proc.stdout and "[from 2010]" in proc.stdout
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "Small-cap thrust [from 2000]" in html and "dates all runs share" in html
    for link in re.findall(r'href="([^"#][^"]*)"', html[: html.index('<script type="application/json"')]):
        assert (folder / unquote(link)).resolve().is_file(), link
    metrics = _csv(folder / "metrics.csv")
    assert "Small-cap thrust [from 2010]" in metrics.index
    assert _csv(folder / "returns.csv").index[0] == pd.Timestamp("2010-01-04")
    assert json.loads((folder / "manifest.json").read_text())["span"]["start"] == "2010-01-04"


def test_compare_command_marks_hindsight_strategies(tmp_path: Path) -> None:
    """`rotsim compare` reads each run's manifest: a hindsight strategy is marked in the terminal and the page."""
    note = "skips cuts followed by a recession, by today's NBER dates"
    dates = pd.bdate_range("2001-01-01", periods=300)
    plain = fake_run(tmp_path / "plain", dates)
    peeks = fake_run(tmp_path / "peeks", dates, hindsight={"A": note})
    out = tmp_path / "cmp"
    proc = run_in_process("compare", str(plain), str(peeks), "--out", str(out), "--no-tearsheets")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    table = [line for line in proc.stdout.splitlines() if line.startswith("│")]
    assert [line.split("│")[1].strip() for line in table] == ["A [plain]", "A [peeks] HINDSIGHT", "Bench"]
    assert f"HINDSIGHT A [peeks]: {note}" in " ".join(proc.stdout.split())
    (folder,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    rows = json.loads((folder / "manifest.json").read_text())["rows"]
    assert rows["A [peeks]"]["hindsight"] == note and rows["A [plain]"]["hindsight"] is None
    assert "HINDSIGHT" in (folder / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (["{missing}"], "no such folder"),
        (["{parent}"], "not a results folder of `rotsim run` (no manifest.json or returns.csv); it holds runs"),
        (["{run}", "--label", "a", "--label", "b"], "2 --label for 1 results folders"),
    ],
)
def test_compare_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, demo_results: Path, args: list[str], message: str
) -> None:
    where = {"missing": str(tmp_path / "nope"), "parent": str(demo_results.parent), "run": str(demo_results)}
    out = tmp_path / "cmp"
    proc = run_in_process("compare", *[a.format(**where) for a in args], "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr.replace("\n", "") and "Traceback" not in proc.stderr
    assert not out.exists() or not any(out.iterdir())


def test_runs_that_share_no_dates_are_refused(tmp_path: Path) -> None:
    early = fake_run(tmp_path / "early", pd.bdate_range("2001-01-01", periods=30))
    late = fake_run(tmp_path / "late", pd.bdate_range("2003-01-01", periods=30))
    with pytest.raises(UserError, match="share 0 dates"):
        compare([load_run(early), load_run(late)])


def test_a_run_with_one_strategy_writes_no_page(tmp_path: Path, registry) -> None:  # noqa: ANN001
    from simulator.config import load_config
    from simulator.pipeline.execute import execute

    text = (ROOT / "configs" / "demo.yaml").read_text()
    one = text[: text.index("  - name: small_cap_thrust")] + "report: {out: results, tearsheets: false}\n"
    (tmp_path / "one.yaml").write_text(one.replace("start: 2000-01-03", "start: 2023-01-02"))
    result = execute(load_config(tmp_path / "one.yaml"), registry, out=tmp_path / "out")
    assert (result.folder / "returns.csv").is_file() and not (result.folder / "index.html").exists()


def test_another_benchmark_is_kept_as_a_row_and_missing_files_show_as_dashes(tmp_path: Path) -> None:
    from simulator.pages.html_page import PageInfo, render

    dates = pd.bdate_range("2001-01-01", periods=300)
    spy = fake_run(tmp_path / "spy", dates, bench=("S&P 500 (SPY)", "SPY"))
    qqq = fake_run(tmp_path / "qqq", dates[100:], bench=("Nasdaq 100 (QQQ)", "QQQ"))
    c = compare([load_run(spy), load_run(qqq)])
    assert c.benchmark == "S&P 500 (SPY)" and c.returns.index.equals(dates[100:])
    assert c.labels == ["A [spy]", "A [qqq]", "Nasdaq 100 (QQQ) [qqq]"]
    assert c.metrics.loc["A [spy]", ["turnover", "exposure"]].isna().all()  # no trades or weights files
    html = render(c, tmp_path, PageInfo("t", ["line"]))
    assert "No weights files found." in html and "SYNTHETIC" not in html


def _styles(returns: pd.DataFrame):  # noqa: ANN202
    from simulator.pages.charts import line_styles

    return line_styles([c for c in returns.columns if c != "S&P 500 (SPY)"], "S&P 500 (SPY)")


def _sharpe(r: pd.Series, rf: pd.Series | None) -> float:
    excess = r - (rf.reindex(r.index).fillna(0.0) if rf is not None else 0.0)
    return excess.mean() / excess.std(ddof=1) * np.sqrt(252)


def _sortino(r: pd.Series, rf: pd.Series | None) -> float:
    excess = r - (rf.reindex(r.index).fillna(0.0) if rf is not None else 0.0)
    return excess.mean() / np.sqrt((np.minimum(excess, 0.0) ** 2).sum() / len(excess)) * np.sqrt(252)


def test_compare_takes_sharpe_and_sortino_over_each_runs_own_risk_free_rate(tmp_path: Path) -> None:
    """Two runs with the same returns: one wrote risk_free.csv (a day without a rate counts as 0),
    the other is from before rf (none: rf = 0)."""
    dates = pd.bdate_range("2001-01-01", periods=400)
    rf = pd.Series(0.00016, index=dates).drop(dates[10:20])
    stated = {"risk_free": "3-month T-bill (FRED DTB3)", "definitions": {"sharpe": "mean excess return over DTB3"}}
    cash = fake_run(tmp_path / "cash", dates, risk_free=rf, manifest={"metrics": stated})
    zero = fake_run(tmp_path / "zero", dates)
    c = compare([load_run(cash), load_run(zero)], ["cash", "zero"])
    r = _csv(cash / "returns.csv")
    assert r.equals(_csv(zero / "returns.csv"))
    for row, label, rate in (("A [cash]", "A", rf), ("Bench", "Bench", rf), ("A [zero]", "A", None)):
        assert c.metrics.loc[row, "sharpe"] == pytest.approx(_sharpe(r[label], rate), rel=1e-10), row
        assert c.metrics.loc[row, "sortino"] == pytest.approx(_sortino(r[label], rate), rel=1e-10), row
    assert abs(c.metrics.loc["A [cash]", "sharpe"] - c.metrics.loc["A [zero]", "sharpe"]) > 0.1  # the rate matters
    assert c.ratio_note == (
        "Sharpe and Sortino are over each row's own run's risk-free rate "
        "(cash: 3-month T-bill (FRED DTB3); zero: none (rf = 0))."
    )


def test_quantstats_report_of_all_strategies_takes_the_runs_risk_free_rate(tmp_path: Path) -> None:
    """all_strategies.html beside the page shows the page's Sharpe and Sortino: over the run's rate, not 0."""
    from simulator.pages.write import write_comparison

    dates = pd.bdate_range("2001-01-01", periods=400)
    rng = np.random.default_rng(2)
    returns = {"A": rng.normal(0.0005, 0.01, len(dates)), "B": rng.normal(0.0003, 0.01, len(dates))}
    rf = pd.Series(0.00016, index=dates)
    folder = fake_run(tmp_path / "run", dates, returns=returns, risk_free=rf)
    out = tmp_path / "out"
    out.mkdir()
    write_comparison(out, [folder], quantstats=True)
    html = (out / "tearsheets" / "all_strategies.html").read_text(encoding="utf-8")
    r = _csv(folder / "returns.csv")
    for name, ratio in (("Sharpe", _sharpe), ("Sortino", _sortino)):
        shown = re.search(rf"<tr><td>{name}</td>((?:<td>[^<]*</td>)+)</tr>", html).group(1)
        expected = [f"{ratio(r[c], rf):.2f}" for c in ("Bench", "A", "B")]  # quantstats puts the benchmark first
        assert re.findall(r"<td>([^<]*)</td>", shown) == expected, name
