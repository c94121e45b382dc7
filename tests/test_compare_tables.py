"""The comparison page's tables as a reader takes them: best marks, calendar-year counts.

Expected figures are built into the data (a year made identical, ahead, behind)
and checked with pandas here, not with the page's own helpers.
"""

from __future__ import annotations

import re

import pandas as pd

from simulator.reports.compare_tables import best_rows, calendar_table, glance, metrics_table

BENCH = "Bench"


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
    assert "<b>1</b> ahead · 1 behind · 3 level" in card and "of 5" in card


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
