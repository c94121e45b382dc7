"""quantstats tearsheets as a user reads them: metrics.csv's numbers, readable charts, escaped names.

A few pages are written once per module and every test reads them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from simulator.reports.tearsheet import write_multi_tearsheet, write_tearsheet

DAYS = 252
HOSTILE = "<script>alert(1)</script> <b>x</b>"
TITLE = "HINDSIGHT — Thrust (+3.5%) vs <i>SPY</i> — SYNTHETIC DATA"
SUBTITLE = "holds IWM (31% of days), SPY (69%)"


def _returns() -> tuple[pd.Series, pd.Series, pd.Series]:
    idx = pd.bdate_range("2000-01-03", "2021-12-31")
    rng = np.random.default_rng(4)
    b = pd.Series(rng.normal(0.0003, 0.011, len(idx)), index=idx)
    r = 1.2 * b + pd.Series(rng.normal(0.0002, 0.006, len(idx)), index=idx)
    # a daily rate on calendar days, with a gap: days without a rate count as 0
    cal = pd.date_range("1999-06-01", "2022-06-30")
    rf = pd.Series(np.linspace(0.00002, 0.00015, len(cal)), index=cal).drop(pd.date_range("2013-03-01", "2013-04-30"))
    return r, b, rf


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    r, b, rf = _returns()
    folder = tmp_path_factory.mktemp("tearsheets")
    out = {"one": folder / "one.html", "same": folder / "same.html", "multi": folder / "multi.html"}
    write_tearsheet(r, b, out["one"], TITLE, "Thrust (+3.5%)", "S&P 500 (SPY)", subtitle=SUBTITLE, rf=rf)
    # a book equal to its benchmark: zero tracking error
    write_tearsheet(b.iloc[:300], b.iloc[:300], out["same"], "Same vs SPY", "Same", "SPY")
    multi = pd.DataFrame({HOSTILE: r, "Half": (r + b) / 2})
    write_multi_tearsheet(multi, b, out["multi"], f"all strategies vs {HOSTILE}", "SPY", rf=rf)
    return {name: path.read_text(encoding="utf-8") for name, path in out.items()}


def _metrics_table(html: str) -> dict[str, list[str]]:
    body = html[html.index("Key Performance Metrics") :]
    body = body[: body.index("</table>")]
    rows = re.findall(r"<tr><td>(.*?)</td>((?:<td>.*?</td>)+)</tr>", body)
    return {unescape(name): re.findall(r"<td>(.*?)</td>", cells) for name, cells in rows}


def _number(cell: str) -> float:
    return float("nan") if cell == "-" else float(cell.rstrip("%").replace(",", ""))


def _expected(r: pd.Series, b: pd.Series, rf: pd.Series | None) -> dict[str, float]:
    """metrics.csv's definitions, written out here in numpy: percent ones in percent."""
    x, y = r.to_numpy(), b.to_numpy()
    ex = x - (0.0 if rf is None else rf.reindex(r.index).fillna(0.0).to_numpy())
    n = len(x)
    wealth = np.cumprod(1 + x)
    peak = np.maximum.accumulate(np.concatenate([[1.0], wealth]))[1:]
    mdd = (wealth / peak - 1).min()
    cagr = wealth[-1] ** (DAYS / n) - 1
    years = [np.prod(1 + x[r.index.year == year]) - 1 for year in sorted(set(r.index.year))]
    beta = np.cov(x, y)[0, 1] / np.var(y, ddof=1)
    active = x - y
    te = active.std(ddof=1)
    return {
        "CAGR": 100 * cagr,
        "Volatility (ann.)": 100 * x.std(ddof=1) * np.sqrt(DAYS),
        "Sharpe": ex.mean() / ex.std(ddof=1) * np.sqrt(DAYS),
        "Sortino": ex.mean() / np.sqrt(np.sum(np.minimum(ex, 0) ** 2) / n) * np.sqrt(DAYS),
        "Max Drawdown": 100 * mdd,
        "Calmar": cagr / abs(mdd),
        "Worst Year": 100 * min(years),
        "Beta": beta,
        "Alpha": (x.mean() - beta * y.mean()) * DAYS,
        "Information Ratio": active.mean() / te * np.sqrt(DAYS) if te > 0 else np.nan,
    }


def _assert_shown(table: dict[str, list[str]], column: int, expected: dict[str, float]) -> None:
    for name, value in expected.items():
        shown = _number(table[name][column])
        if np.isnan(value):
            assert np.isnan(shown), (name, table[name])
        else:  # quantstats shows 2 decimals: the value rounded
            assert shown == float(f"{value:.2f}"), (name, shown, value)


def test_shared_metrics_show_metrics_csv_numbers(pages: dict[str, str]) -> None:
    r, b, rf = _returns()
    table = _metrics_table(pages["one"])
    assert "CAGR" in table
    _assert_shown(table, 0, _expected(b, b, rf))  # the benchmark column: beta 1, IR undefined
    _assert_shown(table, 1, _expected(r, b, rf))
    # quantstats' per-day figure would show here (0.0x); metrics.csv's is annualised
    assert abs(_number(table["Information Ratio"][1])) > 0.1


def test_multi_strategy_report_shows_the_same_numbers(pages: dict[str, str]) -> None:
    r, b, rf = _returns()
    table = _metrics_table(pages["multi"])
    _assert_shown(table, 0, _expected(b, b, rf))
    _assert_shown(table, 1, _expected(r, b, rf))
    _assert_shown(table, 2, _expected((r + b) / 2, b, rf))


def test_zero_tracking_error_leaves_the_information_ratio_undefined(pages: dict[str, str]) -> None:
    table = _metrics_table(pages["same"])
    assert table["Information Ratio"] == ["-", "-"]
    assert table["Beta"] == ["1.0", "1.0"]


def test_years_level_with_the_benchmark_are_neither_won_nor_lost(pages: dict[str, str]) -> None:
    def won(html: str) -> list[str]:
        eoy = html[html.index('<div id="eoy">') :]
        eoy = eoy[: eoy.index("</table>")]
        return re.findall(r"<td>([-+=])</td></tr>", eoy)

    assert won(pages["same"]) == ["="] * 2  # 300 days from 2000: two calendar years, each equal
    r, b, _ = _returns()
    ours, theirs = ((1 + x).groupby(x.index.year).prod() - 1 for x in (r, b))
    assert won(pages["one"]) == ["+" if o > t else "-" for o, t in zip(ours, theirs)]


def _svgs(html: str, div: str) -> list[ET.Element]:
    """The charts drawn in a slot of the page (the report of all strategies draws some once per strategy)."""
    start = html.index(f'<div id="{div}">')
    body = html[start : html.index("</div>", start)]
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", body, re.S)]


@pytest.mark.parametrize("page", ["one", "multi"])
def test_eoy_chart_puts_each_year_label_under_its_bars(pages: dict[str, str], page: str) -> None:
    (svg,) = _svgs(pages[page], "eoy_returns")
    ns = {"s": "http://www.w3.org/2000/svg"}
    plot = svg.find("s:g[@class='plot']", ns)
    _, d0, d1, p0, p1 = plot.get("data-x").split()
    to_x = lambda px: float(d0) + (px - float(p0)) * (float(d1) - float(d0)) / (float(p1) - float(p0))  # noqa: E731
    bars = [
        (to_x(float(r.get("x"))), to_x(float(r.get("x")) + float(r.get("width"))), r.get("data-label"))
        for r in plot.findall("s:rect[@class='bar']", ns)
    ]
    ticks = [(to_x(float(t.get("x"))), t.text) for t in svg.findall("s:text[@class='xtick']", ns)]
    years = list(range(2000, 2022))
    series = 2 if page == "one" else 3
    assert len(bars) == series * len(years)
    # bars sorted by x come in groups of one bar per series (benchmark first), one group per year
    bars.sort()
    groups = [bars[i : i + series] for i in range(0, len(bars), series)]
    assert len({g[0][2] for g in groups}) == 1 and len({g[-1][2] for g in groups}) == 1  # in one order
    labelled = dict((label, x) for x, label in ticks)
    assert 5 <= len(labelled) <= 12 and set(labelled) <= {str(y) for y in years}
    for year, group in zip(years, groups, strict=True):
        if str(year) in labelled:
            assert group[0][0] < labelled[str(year)] < group[-1][1], (year, group)


class _Text(HTMLParser):
    """The page's text as drawn: HTML text outside <style> and SVG, and the charts' SVG text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.html: list[str] = []
        self.charts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if "svg" not in self.stack:
            self.tags.add(tag)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "svg" in self.stack:
            self.charts.append(data)
        elif "style" not in self.stack:
            self.html.append(data)


def _parsed(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("page", ["one", "multi"])
def test_every_character_has_a_glyph_in_dejavu_sans(pages: dict[str, str], page: str) -> None:
    from matplotlib import font_manager, ft2font

    charmap = ft2font.FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap()
    text = _parsed(pages[page])
    assert text.charts  # the charts' text was found
    missing = {c for c in "".join(text.html + text.charts) if not c.isspace() and ord(c) not in charmap}
    assert not missing, missing


def test_title_is_one_heading_with_the_details_under_it(pages: dict[str, str]) -> None:
    html = pages["one"]
    assert re.findall(r"<h1>(.*?)</h1>", html, re.S) == [
        "HINDSIGHT — Thrust (+3.5%) vs &lt;i&gt;SPY&lt;/i&gt; — SYNTHETIC DATA"
    ]
    assert f"<h4>{SUBTITLE}</h4>" in html
    assert "(Compounded)" not in html
    header = html[html.index("<h1>") : html.index("<hr>")]
    assert "3 Jan 2000 – 31 Dec 2021" in header and "Sharpe and Sortino over the risk-free rate" in header
    assert "<title>HINDSIGHT — Thrust (+3.5%) vs &lt;i&gt;SPY&lt;/i&gt; — SYNTHETIC DATA</title>" in html
    assert "qtpylib.io" not in html  # no favicon fetched from the web


@pytest.mark.parametrize("page", ["one", "multi"])
def test_user_strings_are_escaped(pages: dict[str, str], page: str) -> None:
    html = pages[page]
    text = _parsed(html)
    # quantstats' own page uses these tags and no others: nothing was injected
    assert text.tags <= {
        "html", "head", "meta", "title", "style", "body", "div", "h1", "h3", "h4", "a", "hr",
        "table", "thead", "tbody", "tr", "th", "td", "br", "svg",
    }, text.tags  # fmt: skip
    shown = "".join(text.html)
    if page == "one":
        assert "vs <i>SPY</i> — SYNTHETIC DATA" in shown
    else:
        assert f"all strategies vs {HOSTILE}" in shown  # the title
        assert shown.count(HOSTILE) >= 4  # title, page title, table heading, drawdown heading


def test_percent_in_names_and_titles(pages: dict[str, str]) -> None:
    # quantstats %-formats plot titles built from the strategy name: "+3.5%" used to crash it
    html = pages["one"]
    assert "Thrust (+3.5%) vs" in html  # the page title keeps its sign
    assert "Thrust (+3.5 pct)" in html
    # the benchmark went in as a Series, not as zeros: its own numbers are on the page
    r, b, _ = _returns()
    shown = [_number(c) for c in _metrics_table(html)["Cumulative Return"]]
    assert shown == pytest.approx([100 * ((1 + x).prod() - 1) for x in (b, r)], abs=0.005)
