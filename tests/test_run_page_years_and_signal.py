"""A run's index.html: calendar years coloured by the excess over the benchmark, and signal-on periods shaded.

One run on the synthetic market: "Signal" (tests/plugin_fakes.py ``windowed``:
small caps inside windows the test picks, large caps outside, its signal on
inside them) and "Half" (half large caps, half cash), 2007 to 2012, years up
and down. The page is read as written; every expected figure comes from the
run's returns.csv with plain pandas (compounded calendar-year returns, points
over the benchmark's same year) and, for the shading, from the test's own
windows on the run's dates; the colours follow what the page says of them:
green ahead, red behind, stronger for a bigger gap, none when level.
"""

from __future__ import annotations

import json
import re
from html import unescape
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from conftest import only_run
from plugin_fakes import inside, write_plugin

START, END = "2007-01-03", "2012-12-31"
# one from before the run into it, a single day, two a day apart, one past the run's end
WINDOWS = [
    ("2006-11-01", "2007-02-15"),
    ("2008-03-10", "2008-09-30"),
    ("2009-06-10", "2009-06-10"),
    ("2011-02-01", "2011-02-14"),
    ("2011-02-16", "2011-03-31"),
    ("2012-10-01", "2013-06-28"),
]
HALF = 0.05 + 1e-9  # a figure shown to 0.1 is within half of that of the exact one


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from simulator.cli import main

    tmp = tmp_path_factory.mktemp("page")
    windows = ", ".join(f"['{a}', '{b}']" for a, b in WINDOWS)
    cfg = tmp / "page.yaml"
    cfg.write_text(
        "name: page\n"
        f"data: {{source: sample, start: {START}, end: {END}}}\n"
        "universe: {large_cap: SPY, small_cap: IWM}\n"
        f"plugins: [{write_plugin(tmp)}]\n"
        "strategies:\n"
        f"  - {{name: windowed, label: Signal, params: {{windows: [{windows}]}}}}\n"
        "  - {name: static_weights, label: Half, params: {weights: {large_cap: 0.5}}}\n"
        "report: {tearsheets: false}\n"
    )
    assert main(["run", str(cfg), "--out", str(tmp / "out")]) == 0
    return only_run(tmp / "out", "page")


@pytest.fixture(scope="module")
def returns(run: Path) -> pd.DataFrame:
    return pd.read_csv(run / "returns.csv", index_col=0, parse_dates=True)


@pytest.fixture(scope="module")
def bench(run: Path) -> str:
    return json.loads((run / "manifest.json").read_text())["benchmark"]["label"]


def _html(run: Path) -> str:
    return (run / "index.html").read_text(encoding="utf-8")


def _figures(run: Path) -> dict:
    html = _html(run)
    start = html.index('id="rotsim-data">') + len('id="rotsim-data">')
    return json.loads(html[start : html.index("</script>", start)])["figures"]


def _text(cell: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def _calendar(run: Path) -> tuple[list[str], dict[int, list[tuple[str, str]]]]:
    """The calendar table's column names and, by year, each cell's (attributes, inner HTML)."""
    html = _html(run)
    table = html[
        html.index('<table class="calendar">') : html.index("</table>", html.index('<table class="calendar">'))
    ]
    head = table[: table.index("</thead>")]
    names = [_text(c) for c in re.findall(r'<th scope="col">(.*?)</th>', head)]
    rows = {}
    for year, cells in re.findall(r'<tr><th scope="row">(\d{4}).*?</th>(.*?)</tr>', table):
        rows[int(year)] = re.findall(r"<td([^>]*)>(.*?)</td>", cells)
    return names, rows


def _percent(text: str) -> float:
    return float(text.rstrip("%").replace("−", "-"))


def _colour(attrs: str) -> tuple[str, float]:
    """('green' | 'red' | 'none', strength) from a cell's background."""
    background = re.search(r"background:([^;\"]+)", attrs).group(1).strip()
    if background == "transparent":
        return "none", 0.0
    r, g, _, a = (
        float(x) for x in re.fullmatch(r"rgba\(([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+)\)", background).groups()
    )
    return ("green" if g > r else "red"), a


def _years(returns: pd.DataFrame) -> pd.DataFrame:
    return (1 + returns).groupby(returns.index.year).prod() - 1


def test_calendar_years_show_each_years_return_and_points_over_the_benchmark(run: Path, returns, bench) -> None:  # noqa: ANN001
    years = _years(returns)
    names, rows = _calendar(run)
    assert names == ["Year", bench, "Signal", "Half"]
    assert sorted(rows) == list(range(2007, 2013))
    for year, cells in rows.items():
        assert _percent(_text(cells[0][1])) == pytest.approx(years.at[year, bench] * 100, abs=HALF)
        for (_, inner), label in zip(cells[1:], names[2:]):
            shown, points = re.fullmatch(r"(.*?)<small>(.*?)</small>", inner).groups()
            assert _percent(shown) == pytest.approx(years.at[year, label] * 100, abs=HALF), (year, label)
            excess = (years.at[year, label] - years.at[year, bench]) * 100  # points, against the benchmark
            assert float(points.replace("−", "-")) == pytest.approx(excess, abs=HALF), (year, label)


def test_calendar_colours_follow_the_excess_not_the_return(run: Path, returns, bench) -> None:  # noqa: ANN001
    """Green ahead of the benchmark, red behind, whatever the year's own sign; stronger for a bigger gap."""
    years = _years(returns)
    names, rows = _calendar(run)
    seen = []  # (|points|, strength)
    cases = set()
    for year, cells in rows.items():
        for (attrs, _), label in zip(cells[1:], names[2:]):
            excess = (years.at[year, label] - years.at[year, bench]) * 100
            hue, strength = _colour(attrs)
            if abs(excess) >= HALF:  # reads 0.1 or more either way
                assert hue == ("green" if excess > 0 else "red"), (year, label, excess)
            elif abs(excess) < 0.05 - 1e-9:  # reads 0.0: level
                assert hue == "none", (year, label, excess)
            seen.append((abs(excess), strength))
            cases.add((years.at[year, label] < 0, excess > 0))
    # the data has years down but ahead and up but behind, so a colour taken from the return's own sign shows,
    # and a level year (Signal held the benchmark's ticker all 2010)
    assert {(True, True), (False, False)} <= cases, cases
    assert any(gap < 0.05 for gap, _ in seen)
    seen.sort()
    for (gap_a, a), (gap_b, b) in pairwise(seen):
        if gap_b - gap_a > 0.1:  # clearly bigger, beyond the figures' rounding
            assert b >= a, (gap_a, a, gap_b, b)
    coloured = [strength for gap, strength in seen if gap >= HALF]
    assert min(coloured) < max(coloured)  # the strength is a scale, not one shade


def _spans(on: pd.Series) -> list[tuple[str, str]]:
    """(first, last) day of each run of consecutive days on."""
    runs = (on != on.shift()).cumsum()[on]
    return [(f"{g.index[0]:%Y-%m-%d}", f"{g.index[-1]:%Y-%m-%d}") for _, g in runs.groupby(runs)]


def test_signal_on_periods_are_shaded_day_for_day(run: Path, returns) -> None:  # noqa: ANN001
    on = inside(returns.index, WINDOWS)
    expected = _spans(on)
    assert expected[0][0] == f"{returns.index[0]:%Y-%m-%d}" and expected[-1][1] == f"{returns.index[-1]:%Y-%m-%d}"
    assert len(expected) == len(WINDOWS)  # 2011-02-15, a trading day, parts the two February windows
    figures = _figures(run)
    shapes = figures["weights-0"]["layout"]["shapes"]  # Signal, the first strategy
    pairs = [(s["x0"], s["x1"]) for s in shapes]
    assert list(dict.fromkeys(pairs)) == expected
    assert len(pairs) == 2 * len(expected)  # a ribbon and a veil for each
    assert not figures["weights-1"]["layout"].get("shapes")  # Half has no signal
    assert f"shaded: its signal was on ({on.mean():.0%} of days)" in _html(run)


def test_the_shaded_signal_is_what_the_book_then_held(run: Path, returns) -> None:  # noqa: ANN001
    """Shading marks the days the signal was on; the book holds small caps from the next close (lag 1)."""
    held = pd.read_csv(run / "weights" / "signal.csv", index_col=0, parse_dates=True)
    on = inside(returns.index, WINDOWS)
    decided_on = on.shift(1, fill_value=True)  # the day before the run was inside the first window
    assert ((held["IWM"] > 0.5) == decided_on).all()
