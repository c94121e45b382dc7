"""The comparison page's tables as a reader takes them: best marks, calendar-year counts.

Expected figures are built into the data (a year made identical, ahead, behind)
and checked with pandas here, not with the page's own helpers.
"""

from __future__ import annotations

import json
import re
from html import escape, unescape
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from simulator.pages.tables import best_rows, calendar_table, glance, metrics_table

BENCH = "Bench"
NOTE = "reads today's NBER recession dates"


def _year_returns() -> pd.DataFrame:
    """Daily returns 2001-2005 where "S" is level with the benchmark in 2001, 2004 (by 0.02 points) and
    2005, ahead in 2002 and behind in 2003."""
    dates = pd.bdate_range("2001-01-01", "2005-12-30")
    bench = pd.Series(0.0004, index=dates)
    s = bench.copy()
    days = {y: dates.year == y for y in range(2001, 2006)}
    s[days[2002]] += 0.0001
    s[days[2003]] -= 0.0001
    s[days[2004]] += 0.0002 / days[2004].sum()  # 0.02 points over the year: reads 0.0
    return pd.DataFrame({"S": s, BENCH: bench})


def test_calendar_years_identical_to_the_benchmark_are_level_not_behind() -> None:
    returns = _year_returns()
    years = (1 + returns).groupby(returns.index.year).prod() - 1
    gap = (years["S"] - years[BENCH]) * 100  # points
    assert gap[2001] == 0 and gap[2005] == 0 and 0 < gap[2004] < 0.05
    assert gap[2002] > 1 and gap[2003] < -1
    colours = {"S": "#000000", BENCH: "#111111"}

    html = calendar_table(returns, BENCH, colours)
    assert "<b>1</b> ahead · 1 behind · 3 level" in html
    assert "of 5" not in html
    row_2004 = re.search(r"<tr><th scope=\"row\">2004</th>.*?</tr>", html).group(0)
    assert "background:transparent" in row_2004 and "<small>0.0</small>" in row_2004

    metrics = pd.DataFrame(
        {"cagr": [0.05, 0.05], "max_drawdown": [-0.1, -0.1], "sharpe": [1.0, 1.0]}, index=["S", BENCH]
    )
    card = glance(metrics, returns, BENCH, colours)
    assert "<b>1</b> ahead · 1 behind · 3 level" in card


def test_best_marks_treat_values_equal_as_shown_as_ties() -> None:
    m = pd.DataFrame(
        {
            "cagr": [0.0841, 0.0844, 0.05],  # both read 8.4%
            "sharpe": [0.514, 0.5149, 0.30],  # both read 0.51
            "sortino": [0.70, 0.716, 0.50],  # 0.70 vs 0.72: b alone
            "volatility": [0.1500, 0.1504, 0.1496],  # all read 15.0%: nothing to tell apart
        },
        index=["a", "b", BENCH],
    )
    best = best_rows(m)
    assert best["cagr"] == {"a", "b"}
    assert best["sharpe"] == {"a", "b"}
    assert best["sortino"] == {"b"}
    assert "volatility" not in best

    html = metrics_table(m, BENCH, {"a": "#000", "b": "#111", BENCH: "#222"})
    marked = re.findall(r'<td data-v="[^"]*" class="best"[^>]*>([^<]*)</td>', html)
    assert sorted(marked) == sorted(["8.4%", "8.4%", "0.51", "0.51", "0.72"])


def test_a_hindsight_strategy_is_marked_on_the_page_and_never_best(tmp_path) -> None:  # noqa: ANN001
    """The hindsight strategy has the best CAGR and Sharpe; the honest one must get the marks."""
    from simulator.pages.comparison import compare, load_run
    from simulator.pages.html_page import PageInfo, render

    from compare_fakes import fake_run

    dates = pd.bdate_range("2001-01-01", periods=600)
    rng = np.random.default_rng(3)
    returns = {
        "Honest": rng.normal(0.0004, 0.01, len(dates)),
        "Peeks": rng.normal(0.0012, 0.01, len(dates)),
        BENCH: rng.normal(0.0002, 0.01, len(dates)),
    }
    folder = fake_run(tmp_path / "run", dates, returns=returns, hindsight={"Peeks": NOTE})
    c = compare([load_run(folder)])
    assert c.metrics.loc["Peeks", "cagr"] > c.metrics.loc["Honest", "cagr"] > c.metrics.loc[BENCH, "cagr"]
    assert c.hindsight == {"Peeks": NOTE}
    html = render(c, tmp_path, PageInfo("t", []))
    page = html[: html.index('<script type="application/json"')]
    badge = f'<span class="hindsight-mark" title="{escape(NOTE)}">HINDSIGHT</span>'

    rows = dict(re.findall(r'<tr[^>]*><th scope="row" data-v="([^"]+)">(.*?)</tr>', page))
    assert badge in rows["Peeks"] and 'class="best"' not in rows["Peeks"]
    assert "HINDSIGHT" not in rows["Honest"]
    best_cagr = re.search(r'<td data-v="([^"]+)" class="best"', rows["Honest"]).group(1)
    assert float(best_cagr) == pytest.approx(c.metrics.loc["Honest", "cagr"])  # CAGR is the first column

    cards = re.findall(r'<div class="card[^"]*" style=[^>]*>(.*?)</dl></div>', page)
    peeks = next(card for card in cards if "Peeks" in card)
    assert badge in peeks and "with hindsight, beat" in peeks and escape(NOTE) in peeks
    assert "HINDSIGHT" not in next(card for card in cards if "Honest" in card)

    calendar = page[page.index('<table class="calendar">') :]
    assert f"Peeks {badge}" in calendar[: calendar.index("</thead>")]

    data = json.loads(html[html.index('id="rotsim-data">') + 17 : html.index("</script>")])
    for name in ("growth", "drawdowns", "rolling"):
        legend = [t["name"] for t in data["figures"][name]["data"]]
        assert "Peeks <b>HINDSIGHT</b>" in legend and "Honest" in legend, legend


class _Elements(HTMLParser):
    """Every element of a page with the text directly inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[list[str]] = []  # [tag, text]
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
        self.elements.append([tag, ""])

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.elements:
            self.elements[-1][1] += data


def test_every_user_string_is_escaped_on_the_page(tmp_path) -> None:  # noqa: ANN001
    from compare_fakes import MARKUP_LABELS, markup_page

    html = markup_page(tmp_path).read_text(encoding="utf-8")
    # the page's own three script elements (data, plotly.js, its script) and no other
    assert html.count("<script") == 3 and html.count("</script>") == 3
    page = html[: html.index('<script type="application/json"')]
    parsed = _Elements()
    parsed.feed(page)
    tags = {tag for tag, _ in parsed.elements}
    assert not tags & {"i", "u", "em", "script"}  # from descriptions, the benchmark, tags, labels
    assert ["b", "x"] not in parsed.elements
    text = "".join(parsed.text)
    rows = [f"{label} [{tag}]" for label in MARKUP_LABELS for tag in ("<em>one</em>", "two")]
    for row in rows:
        assert text.count(row) >= 4, row  # cards, metrics table, calendar, weights or files
    for shown in ("<i>desc</i> & more", "<u>Bench</u>", "<script>window.injected = 2</script>"):
        assert shown in text, shown
    assert "<title>2 runs compared: &lt;em&gt;one&lt;/em&gt;, two</title>" in html

    # plotly reads markup in trace names: every name, our <br> and <b>HINDSIGHT</b> aside, is escaped text
    data = json.loads(html[html.index('id="rotsim-data">') + 17 : html.index("</script>")])
    for figure in ("growth", "drawdowns", "rolling"):
        for trace in data["figures"][figure]["data"]:
            ours = re.sub(r" ?<b>HINDSIGHT</b>", "", trace["name"]).replace("<br>", " ")
            assert "<" not in ours and unescape(ours) in [*rows, "<u>Bench</u>"], trace["name"]


def test_the_page_states_the_ratios_definitions_and_rate(tmp_path) -> None:  # noqa: ANN001
    """A run that states its risk-free rate and definitions: the page says them, not 'risk-free rate 0'."""
    from simulator.engine.metrics import COLUMNS
    from simulator.pages.comparison import compare, load_run
    from simulator.pages.html_page import PageInfo, render

    from compare_fakes import fake_run

    dates = pd.bdate_range("2001-01-01", periods=300)
    definitions = {k: f"definition of {k}, over the T-bill" for k in COLUMNS}
    stated = {"risk_free": "3-month T-bill (FRED DTB3), daily", "definitions": definitions}
    folder = fake_run(tmp_path / "run", dates, risk_free=pd.Series(0.0001, index=dates), manifest={"metrics": stated})
    html = render(compare([load_run(folder)]), tmp_path, PageInfo("t", []))
    page = html[: html.index('<script type="application/json"')]
    assert "Sharpe and Sortino are over the risk-free rate: 3-month T-bill (FRED DTB3), daily." in page
    assert "risk-free rate 0" not in page
    for key, name in COLUMNS.items():
        assert f"<dt>{escape(name)}</dt><dd>definition of {key}, over the T-bill</dd>" in page  # under the table
        assert re.search(rf'<th scope="col"[^>]*title="definition of {key}, over the T-bill">', page)  # on hover
