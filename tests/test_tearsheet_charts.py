"""The tearsheet's charts, drawn by rotsim, show quantstats' own numbers.

Each chart is read back from its SVG: a drawn point through the inverse of
the plot area's scales (which the chart writes out, ``data-x``/``data-y``),
a bar from its rectangle, a heatmap cell from its value. Each is compared
with what quantstats' own functions give on a random series (unpatched
quantstats, here), or with numpy, scipy and matplotlib for the histogram,
density curve and box plot figures seaborn would draw.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simulator.reports.svg import period_charts, time_charts

NS = {"s": "http://www.w3.org/2000/svg"}
EPOCH = pd.Timestamp("1970-01-01")


@pytest.fixture(scope="module", autouse=True)
def qs() -> Any:
    """quantstats, for every test here; skips without it. Imported here, not at collection: importing it costs
    every xdist worker seconds, whether or not it runs these tests."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pytest.importorskip("quantstats")


def _series(seed: int = 7, start: str = "2009-01-02", days: int = 4000) -> tuple[pd.Series, pd.Series, pd.Series]:
    idx = pd.bdate_range(start, periods=days)
    rng = np.random.default_rng(seed)
    b = pd.Series(rng.normal(0.0003, 0.011, days), index=idx, name="SPY")
    r = (1.1 * b + rng.normal(0.0002, 0.007, days)).rename("Strat")
    r.iloc[1700] = -0.09  # one spike: the decimated line must still reach it
    rf_annual = pd.Series(np.linspace(0.01, 0.04, days), index=idx)
    return r, b, rf_annual


def _draw(chart: Callable[..., None], *args: Any, **kwargs: Any) -> ET.Element:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        chart(*args, savefig={"fname": out, "format": "svg"}, **kwargs)
    return ET.fromstring(out.getvalue().decode())


class _Axis:
    """A plot area's scale, as its ``data-x`` / ``data-y`` says, both ways."""

    def __init__(self, attribute: str) -> None:
        kind, *numbers = attribute.split()
        self.kind = kind
        self.d0, self.d1, self.p0, self.p1 = (float(v) for v in numbers)

    def _t(self, v: np.ndarray) -> np.ndarray:
        return np.log10(1 + v) if self.kind == "log1p" else v

    def value(self, px: np.ndarray) -> np.ndarray:
        t0, t1 = self._t(np.array([self.d0, self.d1]))
        t = t0 + (np.asarray(px, dtype=float) - self.p0) * (t1 - t0) / (self.p1 - self.p0)
        return 10**t - 1 if self.kind == "log1p" else t

    def pixel(self, v: np.ndarray) -> np.ndarray:
        t0, t1 = self._t(np.array([self.d0, self.d1]))
        return self.p0 + (self._t(np.asarray(v, dtype=float)) - t0) * (self.p1 - self.p0) / (t1 - t0)


def _plot(svg: ET.Element) -> tuple[ET.Element, _Axis, _Axis]:
    plot = svg.find("s:g[@class='plot']", NS)
    assert plot is not None
    return plot, _Axis(plot.get("data-x", "")), _Axis(plot.get("data-y", ""))


def _days(index: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray((index - EPOCH) / pd.Timedelta(days=1), dtype=float)


def _points(element: ET.Element) -> np.ndarray:
    return np.array([[float(v) for v in p.split(",")] for p in element.get("points", "").split()])


def _labels(svg: ET.Element, tag: str = "polyline") -> list[str]:
    plot, _, _ = _plot(svg)
    return list(dict.fromkeys(e.get("data-label", "") for e in plot.findall(f"s:{tag}", NS)))


def _assert_line(svg: ET.Element, label: str, expected: pd.Series, tag: str = "polyline") -> None:
    """The line ``label`` is ``expected`` (its finite values), thinned honestly to the pixels.

    Every drawn point is a point of ``expected`` (its date and value), and
    in every pixel column the lowest and highest values of ``expected`` are drawn.
    """
    plot, x, y = _plot(svg)
    drawn = [_points(e) for e in plot.findall(f"s:{tag}", NS) if e.get("data-label") == label]
    assert drawn, f"no {label!r} line"
    pts = np.concatenate(drawn)
    if tag == "polygon":  # an area: its outline, less the two corners down at 0
        pts = np.concatenate([p[1:-1] for p in drawn])
    exp = expected[np.isfinite(expected.to_numpy(dtype=float))]
    days, values = _days(exp.index), exp.to_numpy(dtype=float)
    # each drawn x is a date of the series: the nearest, well within the rounding of a hundredth of a pixel
    at = _nearest(days, x.value(pts[:, 0]))
    assert np.abs(x.pixel(days[at]) - pts[:, 0]).max() < 0.006
    # and its value, to the rounding: compared where it is drawn (a log scale's pixel is no fixed amount)
    off = np.abs(y.pixel(values[at]) - pts[:, 1])
    assert off.max() < 0.006, (label, off.max(), y.value(pts[off.argmax(), 1:2]), values[at][off.argmax()])
    # every pixel column's extremes are there
    column = np.floor(x.pixel(days)).astype(int)
    frame = pd.DataFrame({"column": column, "value": values})
    extremes = frame.groupby("column")["value"].agg(["min", "max"])
    drawn_by_column = pd.DataFrame({"column": column[at], "value": values[at]}).groupby("column")["value"]
    got = drawn_by_column.agg(["min", "max"]).reindex(extremes.index)
    assert np.array_equal(got.to_numpy(), extremes.to_numpy()), label


def _nearest(days: np.ndarray, at: np.ndarray) -> np.ndarray:
    """For each of ``at``, the position of the nearest of ``days`` (increasing), the earlier one on a tie.

    What ``np.abs(at[:, None] - days[None, :]).argmin(axis=1)`` gives, without its points x days
    matrix (a century of days drawn: hundreds of megabytes).
    """
    assert len(days) and (np.diff(days) > 0).all()
    if len(days) == 1:
        return np.zeros(len(at), dtype=int)
    right = np.searchsorted(days, at).clip(1, len(days) - 1)
    left = right - 1
    return np.where(np.abs(at - days[left]) <= np.abs(at - days[right]), left, right)


def _hline(svg: ET.Element, label: str) -> float:
    plot, _, y = _plot(svg)
    line = plot.find(f"s:line[@data-label='{label}']", NS)
    assert line is not None, label
    return float(y.value(np.array([float(line.get("y1", "nan"))]))[0])


def _pixel_of(svg: ET.Element) -> float:
    """One pixel up the plot area, in value: the tolerance of a value read back from a coordinate."""
    _, _, y = _plot(svg)
    return float(abs(y.value(np.array([y.p0]))[0] - y.value(np.array([y.p0 + 1]))[0]))


# ----------------------------------------------------------------------------- lines over time


@pytest.mark.parametrize("log", [False, True])
def test_cumulative_returns_are_quantstats_compsum(qs: Any, log: bool) -> None:
    r, b, _ = _series()
    svg = _draw(time_charts.log_returns if log else time_charts.returns, r, b, figsize=(8, 5))
    assert svg.find("s:text[@class='title']", NS).text == (
        "Cumulative Returns vs Benchmark (Log Scaled)" if log else "Cumulative Returns vs Benchmark"
    )
    assert _labels(svg) == ["SPY", "Strat"]
    _assert_line(svg, "Strat", qs.stats.compsum(r))
    _assert_line(svg, "SPY", qs.stats.compsum(b))
    assert abs(_hline(svg, "zero")) < _pixel_of(svg)


def test_volatility_matched_returns(qs: Any) -> None:
    r, b, _ = _series()
    svg = _draw(time_charts.returns, r, b, figsize=(8, 4), match_volatility=True)
    assert svg.find("s:text[@class='title']", NS).text.endswith("(Volatility Matched)")
    _assert_line(svg, "Strat", qs.stats.compsum(r / r.std() * b.std()))
    _assert_line(svg, "SPY", qs.stats.compsum(b))


def test_daily_returns_are_the_running_sum_by_calendar_day(qs: Any) -> None:
    r, b, _ = _series()
    svg = _draw(time_charts.daily_returns, r, b, figsize=(8, 3))
    assert svg.find("s:text[@class='title']", NS).text == "Daily Returns (Cumulative Sum)"
    # what quantstats' plot_timeseries plots: the cumulative sum, summed again by calendar day
    _assert_line(svg, "Strat", r.cumsum().resample("D").sum())


def test_underwater_plot_is_the_drawdown_series_and_its_mean(qs: Any) -> None:
    r, _, _ = _series()
    svg = _draw(time_charts.drawdown, r, figsize=(8, 3))
    dd = qs.stats.to_drawdown_series(r)
    _assert_line(svg, "Strat", dd)
    _assert_line(svg, "Strat", dd, tag="polygon")  # the filled area follows it too
    assert _hline(svg, "Average") == pytest.approx(dd.mean(), abs=_pixel_of(svg))
    assert dd.min() < -0.2  # a real trough to keep


def test_drawdown_periods_shade_quantstats_longest_drawdowns(qs: Any) -> None:
    r, _, _ = _series()
    svg = _draw(time_charts.drawdowns_periods, r, figsize=(8, 4), title="Strat")
    assert svg.find("s:text[@class='title']", NS).text == "Strat - Worst 5 Drawdown Periods"
    _assert_line(svg, "Backtest", qs.stats.compsum(r))
    details = qs.stats.drawdown_details(qs.stats.to_drawdown_series(r))
    longest = details.sort_values(by="days", ascending=False, kind="mergesort")[:5]
    plot, x, _ = _plot(svg)
    spans = sorted(
        (float(x.value(np.array([float(s.get("x"))]))[0]), float(x.value(np.array([float(s.get("x")) + float(s.get("width"))]))[0]))
        for s in plot.findall("s:rect[@class='span']", NS)
    )  # fmt: skip
    expected = sorted(
        (_days(pd.DatetimeIndex([s]))[0], _days(pd.DatetimeIndex([e]))[0])
        for s, e in zip(longest["start"], longest["end"])
    )
    assert np.allclose(spans, expected, atol=0.1)  # within a tenth of a day


def test_rolling_beta_is_quantstats_rolling_greeks(qs: Any) -> None:
    r, b, _ = _series()
    svg = _draw(time_charts.rolling_beta, r, b, figsize=(8, 3), window1=126, window2=252)
    assert _labels(svg) == ["6-Months", "12-Months"]
    short = qs.stats.rolling_greeks(r, b, 126)["beta"].fillna(0)
    _assert_line(svg, "6-Months", short)
    _assert_line(svg, "12-Months", qs.stats.rolling_greeks(r, b, 252)["beta"])
    assert _hline(svg, "average") == pytest.approx(short.mean(), abs=_pixel_of(svg))


def test_rolling_beta_by_one_pair_is_quantstats_own(qs: Any) -> None:
    r, b, _ = _series()
    flat = b.copy()
    flat.iloc[300:700] = 0.0  # a benchmark without movement: beta undefined there
    gappy = r.copy()
    gappy.iloc[[5, 900, 901]] = np.nan
    for series, bench in ((r, b), (r, flat), (gappy, b)):
        for window in (126, 252):
            own = qs.stats.rolling_greeks(series, bench, window)["beta"]
            pd.testing.assert_series_equal(
                time_charts.rolling_beta_values(series, bench, window), own, check_exact=True
            )


def test_rolling_volatility_where_both_are_defined(qs: Any) -> None:
    r, b, _ = _series()
    svg = _draw(time_charts.rolling_volatility, r, b, figsize=(8, 3), period=126, periods_per_year=252)
    ours = qs.stats.rolling_volatility(r, 126, 252)
    theirs = qs.stats.rolling_volatility(b, 126, 252)
    assert _labels(svg) == ["Strat", "SPY"]
    _assert_line(svg, "Strat", ours)
    _assert_line(svg, "SPY", theirs)
    assert _hline(svg, "average") == pytest.approx(ours.mean(), abs=_pixel_of(svg))


@pytest.mark.parametrize("ratio", ["sharpe", "sortino"])
def test_rolling_ratios_over_the_risk_free_rate(qs: Any, ratio: str) -> None:
    r, _, rf_annual = _series()
    chart = time_charts.rolling_sharpe if ratio == "sharpe" else time_charts.rolling_sortino
    svg = _draw(chart, r, rf=rf_annual, figsize=(8, 3), period=126, periods_per_year=252)
    assert svg.find("s:text[@class='title']", NS).text == f"Rolling {ratio.title()} (6-Months)"
    own = getattr(qs.stats, f"rolling_{ratio}")(r, rf_annual, 126, True, 252)
    _assert_line(svg, "Strat", own)
    assert _hline(svg, "average") == pytest.approx(own.mean(), abs=_pixel_of(svg))


def test_rolling_sortino_by_sums_is_quantstats_own(qs: Any) -> None:
    r, _, rf_annual = _series()
    flat = r.copy()
    flat.iloc[200:400] = 0.001
    assert np.isinf(
        qs.stats.rolling_sortino(flat, 0.0, 126, True, 252)
    ).any()  # windows without a loss: quantstats' downside is exactly 0 there
    for series, rf in ((r, 0.0), (r, rf_annual), (flat, 0.0)):
        own = qs.stats.rolling_sortino(series, rf, 126, True, 252)
        ours = time_charts.rolling_sortino_values(series, rf, 126, 252)
        pd.testing.assert_series_equal(ours, own, rtol=1e-9, check_names=False)
    both = time_charts.rolling_sortino_values(pd.DataFrame({"a": r, "b": flat}), 0.0, 126, 252)
    pd.testing.assert_series_equal(
        both["b"], qs.stats.rolling_sortino(flat, 0.0, 126, True, 252), rtol=1e-9, check_names=False
    )


# ----------------------------------------------------------------------------- by period


def _bars(svg: ET.Element) -> dict[str, list[tuple[float, float]]]:
    """Each series' bars: (x centre in data units, value)."""
    plot, x, y = _plot(svg)
    out: dict[str, list[tuple[float, float]]] = {}
    zero = float(y.pixel(np.array([0.0]))[0])
    for rect in plot.findall("s:rect[@class='bar']", NS):
        x0, w = float(rect.get("x")), float(rect.get("width"))
        top, h = float(rect.get("y")), float(rect.get("height"))
        end = top if abs(top + h - zero) < abs(top - zero) else top + h  # the end away from 0
        out.setdefault(rect.get("data-label", ""), []).append(
            (float(x.value(np.array([x0 + w / 2]))[0]), float(y.value(np.array([end]))[0]))
        )
    return out


def test_eoy_bars_are_each_years_return_over_its_label(qs: Any) -> None:
    r, b, _ = _series()
    svg = _draw(period_charts.yearly_returns, r, b, figsize=(8, 4))
    assert svg.find("s:text[@class='title']", NS).text == "EOY Returns vs Benchmark"
    bars = _bars(svg)
    ticks = {
        t.text: float(_plot(svg)[1].value(np.array([float(t.get("x"))]))[0])
        for t in svg.findall("s:text[@class='xtick']", NS)
    }
    for name, series in (("Strat", r), ("SPY", b)):
        own = qs._compat.safe_resample(series, "YE", qs.stats.comp)
        assert len(bars[name]) == len(own)
        for (centre, value), (date, expected) in zip(sorted(bars[name]), own.items(), strict=True):
            assert value == pytest.approx(expected, abs=_pixel_of(svg))
            if str(date.year) in ticks:  # the bar stands over its year's label
                assert abs(centre - ticks[str(date.year)]) < 0.5
    assert len(ticks) == len(own) // 2  # sixteen years: every other one labelled
    own = qs._compat.safe_resample(r, "YE", qs.stats.comp)
    assert _hline(svg, "average") == pytest.approx(own.mean(), abs=_pixel_of(svg))


def test_monthly_histogram_is_seaborns_density_on_common_bins(qs: Any) -> None:
    from scipy.stats import gaussian_kde

    r, b, _ = _series()
    svg = _draw(period_charts.histogram, r, b, figsize=(7, 4))
    assert svg.find("s:text[@class='title']", NS).text == "Distribution of Monthly Returns"
    months = {
        name: qs._compat.safe_resample(qs._compat.safe_resample(s, "ME", qs.stats.comp), "ME", "last").to_numpy()
        for name, s in (("SPY", b), ("Strat", r))
    }
    every = np.concatenate(list(months.values()))
    edges = np.histogram_bin_edges(every, bins=20)
    plot, x, _ = _plot(svg)
    for name, values in months.items():
        counts, _ = np.histogram(values, bins=edges)
        expected = counts / (len(every) * np.diff(edges))  # density over both, as seaborn's common_norm
        drawn = dict(_bars(svg)[name])
        centres = (edges[:-1] + edges[1:]) / 2
        for centre, height in zip(centres, expected, strict=True):
            got = next((v for c, v in drawn.items() if abs(c - centre) < (edges[1] - edges[0]) / 4), 0.0)
            assert got == pytest.approx(height, abs=_pixel_of(svg))
        curve = [_points(e) for e in plot.findall("s:polyline", NS) if e.get("data-label") == name][0]
        grid = x.value(curve[:, 0])
        kde = gaussian_kde(values)(grid) * len(values) / len(every)
        assert np.allclose(_plot(svg)[2].value(curve[:, 1]), kde, atol=_pixel_of(svg))


def test_monthly_heatmap_is_quantstats_monthly_returns(qs: Any) -> None:
    r, b, _ = _series()
    svg = _draw(period_charts.monthly_heatmap, r, b, returns_label="Strat")
    assert svg.find("s:text[@class='title']", NS).text == "Strat - Monthly Returns (%)"
    own = qs.stats.monthly_returns(r, eoy=False) * 100
    cells = svg.findall(".//s:g[@class='heatmap']/s:rect", NS)
    assert len(cells) == own.size
    for cell in cells:
        expected = own.loc[cell.get("data-year"), cell.get("data-month")]
        assert float(cell.get("data-value")) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    shown = [t.text for t in svg.findall(".//s:g[@class='heatmap']/s:text", NS)]
    assert shown[:12] == [f"{v:.2f}" for v in own.iloc[0]]


def test_return_quantiles_are_matplotlib_box_stats(qs: Any) -> None:
    from matplotlib.cbook import boxplot_stats

    r, _, _ = _series()
    svg = _draw(period_charts.distribution, r, figsize=(8, 4), title="Strat")
    assert svg.find("s:text[@class='title']", NS).text == "Strat - Return Quantiles"
    # quantstats' plot_distribution's frame: each period's compounded return, carried forward over its days
    port = pd.DataFrame({"Daily": r})
    for column, freq in (("Weekly", "W-MON"), ("Monthly", "ME"), ("Quarterly", "QE"), ("Yearly", "YE")):
        port[column] = qs._compat.safe_resample(port["Daily"], freq, qs.stats.comp)
        port[column] = port[column].ffill()
    plot, _, y = _plot(svg)
    tol = _pixel_of(svg)
    boxes = plot.findall("s:g[@class='box']", NS)
    assert [g.get("data-label") for g in boxes] == list(port.columns)
    for g, column in zip(boxes, port.columns, strict=True):
        stats = boxplot_stats(port[column].dropna().to_numpy(), whis=1.5)[0]
        rect = g.find("s:rect", NS)
        top, bottom = float(rect.get("y")), float(rect.get("y")) + float(rect.get("height"))
        assert y.value(np.array([bottom]))[0] == pytest.approx(stats["q1"], abs=tol)
        assert y.value(np.array([top]))[0] == pytest.approx(stats["q3"], abs=tol)
        median = float(g.find("s:line[@class='median']", NS).get("y1"))
        assert y.value(np.array([median]))[0] == pytest.approx(stats["med"], abs=tol)
        caps = sorted(float(c.get("y1")) for c in g.findall("s:line[@class='cap']", NS))
        assert y.value(np.array(caps)) == pytest.approx([stats["whishi"], stats["whislo"]], abs=tol)
        drawn = {round(float(c.get("cy")) * 2) / 2 for c in g.findall("s:circle", NS)}
        assert drawn == {round(float(v) * 2) / 2 for v in y.pixel(stats["fliers"])}


# ----------------------------------------------------------------------------- a century


def test_a_century_stays_readable(qs: Any) -> None:
    idx = pd.bdate_range("1926-01-04", "2025-12-31")
    rng = np.random.default_rng(11)
    b = pd.Series(rng.normal(0.0004, 0.011, len(idx)), index=idx, name="Market")
    r = (b + rng.normal(0.0001, 0.005, len(idx))).rename("Strat")
    growth = _draw(time_charts.log_returns, r, b, figsize=(8, 4))
    _assert_line(growth, "Strat", qs.stats.compsum(r))
    years = [int(t.text) for t in growth.findall("s:text[@class='xtick']", NS)]
    assert years == list(range(1930, 2030, 10))  # decades
    ylabels = [t.text for t in growth.findall("s:text[@class='ytick']", NS)]
    assert 2 <= len(ylabels) <= 9 and "0%" in ylabels  # powers of ten of growth, not a hundred lines
    heat = _draw(period_charts.monthly_heatmap, r, b, returns_label="Strat")
    cells = heat.findall(".//s:g[@class='heatmap']/s:rect", NS)
    assert len(cells) == 100 * 12  # every month
    assert heat.findall(".//s:g[@class='heatmap']/s:text", NS) == []  # no 1,200 numbers: a value per cell on hover
    assert all(c.find("s:title", NS) is not None for c in cells)
    labels = [int(t.text) for t in heat.findall(".//s:text[@class='ytick']", NS)]
    assert labels and all(y % 5 == 0 for y in labels) and len(labels) <= 25
    assert float(heat.get("height")) < 800  # not quantstats' 40 inches
    bars = _draw(period_charts.yearly_returns, r, b, figsize=(8, 4))
    assert [int(t.text) for t in bars.findall("s:text[@class='xtick']", NS)] == list(range(1930, 2030, 10))


def test_charts_are_self_contained_svg() -> None:
    r, b, rf_annual = _series()
    for chart, args, kwargs in (
        (time_charts.returns, (r, b), {}),
        (period_charts.monthly_heatmap, (r, b), {}),
        (period_charts.distribution, (r,), {"title": "x"}),
    ):
        out = io.BytesIO()
        chart(*args, savefig={"fname": out}, **kwargs)
        text = out.getvalue().decode()
        ET.fromstring(text)  # well-formed
        assert not re.search(r"(href|src)=|<script|@import|url\(", text)
        assert math.isfinite(float(ET.fromstring(text).get("height")))


def test_a_long_legend_wraps_inside_the_chart_above_the_plot() -> None:
    r, b, _ = _series()
    frame = pd.DataFrame({f"Strategy number {i}": r * (1 + i / 10) for i in range(7)})
    svg = _draw(time_charts.rolling_beta, frame, b, figsize=(8, 3))
    width = float(svg.get("width"))
    keys = svg.findall("s:g[@class='legend']/s:text", NS)
    assert len(keys) == 14  # each strategy over both windows
    rows = sorted({float(t.get("y")) for t in keys})
    assert len(rows) > 1
    for t in keys:  # each label starts and, at about 6.2 px a character, ends inside the chart
        assert 0 <= float(t.get("x")) and float(t.get("x")) + 6.2 * len(t.text) <= width, t.text
    _, _, y = _plot(svg)
    assert max(rows) < y.p1 - 5  # the plot area starts under the legend
    assert float(svg.get("height")) > 232  # the chart grew for the rows


def test_a_century_tearsheet_has_every_chart(tmp_path: Any) -> None:
    from simulator.reports.tearsheet import write_tearsheet

    idx = pd.bdate_range("1926-01-04", "2025-12-31")
    rng = np.random.default_rng(12)
    b = pd.Series(rng.normal(0.0004, 0.011, len(idx)), index=idx)
    r = b + rng.normal(0.0001, 0.005, len(idx))
    page = tmp_path / "century.html"
    write_tearsheet(r, b, page, "A century", "Strat", "Market")
    html = page.read_text(encoding="utf-8")
    charts = [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, re.S)]
    assert len(charts) == 14
    heat = next(c for c in charts if c.find("s:text[@class='title']", NS).text.endswith("Monthly Returns (%)"))
    assert len(heat.findall(".//s:g[@class='heatmap']/s:rect", NS)) == 1200
    assert len(html) < 3_000_000  # thinned to the pixels: not a point per day per chart
