"""The faster steps of a tearsheet compute what quantstats' own compute, to the last bit.

quantstats (a maintained library) is the independent computation here: each
replacement is run beside the function it replaces on the same random series.
"""

from __future__ import annotations

import warnings
from importlib.util import find_spec

import numpy as np
import pandas as pd
import pytest

# looked up, not imported: a pytest that only collects the suite (test_suite_independence) need not import
# quantstats, matplotlib and seaborn; the tests import it (the fixture qs)
pytestmark = pytest.mark.skipif(find_spec("quantstats") is None, reason="quantstats is not installed")


@pytest.fixture(scope="module")
def qs():  # noqa: ANN201 - the quantstats package
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import quantstats

    return quantstats


def _series(seed: int) -> pd.Series:
    """Daily returns of varied shapes: long flat stretches, runs of zeros, gaps in the dates, a first-day loss."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 900))
    idx = pd.bdate_range("2001-01-01", periods=n)
    if seed % 3 == 0:  # holes in the calendar
        idx = idx[np.sort(rng.choice(n, size=max(2, n // 2), replace=False))]
    r = pd.Series(rng.normal(0.0003, 0.01 * (seed % 4 + 0.1), len(idx)), index=idx)
    if seed % 5 == 0:
        r[rng.random(len(r)) < 0.3] = 0.0
    if seed % 7 == 0:
        r.iloc[: len(r) // 3] = 0.0  # in cash at first: no drawdown until later
    if seed % 11 == 0:
        r.iloc[0] = -0.05
    return r


def _same(a: pd.Series | pd.DataFrame, b: pd.Series | pd.DataFrame) -> None:
    if isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True)
    else:
        pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.parametrize("seed", range(30))
def test_drawdown_details_equal_quantstats(qs, seed: int) -> None:  # noqa: ANN001
    from simulator.reports.tearsheet_speed import drawdown_details

    r = _series(seed)
    fast = drawdown_details(qs.stats.drawdown_details)
    for x in (r, pd.DataFrame({"a": r, "b": r * 0.5 + 0.001})):
        dd = qs.stats.to_drawdown_series(x)
        _same(qs.stats.drawdown_details(dd), fast(dd))


def test_drawdown_details_of_a_book_never_under_water(qs) -> None:  # noqa: ANN001
    from simulator.reports.tearsheet_speed import drawdown_details

    dd = qs.stats.to_drawdown_series(pd.Series(0.001, index=pd.bdate_range("2020-01-01", periods=50)))
    expected = qs.stats.drawdown_details(dd)
    got = drawdown_details(qs.stats.drawdown_details)(dd)
    assert got.empty and list(got.columns) == list(expected.columns)


@pytest.mark.parametrize("seed", range(0, 30, 3))
def test_grouped_and_resampled_compounding_equal_quantstats(qs, seed: int) -> None:  # noqa: ANN001
    from simulator.reports.tearsheet_speed import group_returns, resample

    r = _series(seed)
    r.iloc[len(r) // 2] = np.nan  # a missing day is skipped, as quantstats' comp skips it
    grouped = group_returns(qs.utils.group_returns)
    resampled = resample(qs._compat.safe_resample, qs.stats.comp)
    for x in (r, pd.DataFrame({"a": r, "b": -r / 2})):
        idx = x.index
        for by in (idx.year, idx.month, [idx.year, idx.month], idx.strftime("%Y-%m-01")):
            _same(qs.utils.group_returns(x, by, True), grouped(x, by, True))
            _same(qs.utils.group_returns(x, by, False), grouped(x, by, False))
        for freq in ("W-MON", "ME", "QE", "YE"):
            _same(qs._compat.safe_resample(x, freq, qs.stats.comp), resampled(x, freq, qs.stats.comp))


@pytest.mark.parametrize("seed", range(0, 30, 2))
def test_resampled_sums_and_last_values_equal_quantstats(qs, seed: int) -> None:  # noqa: ANN001
    """safe_resample by "sum" and "last" (rotsim's charts and the metrics table), twice on the same dates."""
    from simulator.reports.tearsheet_speed import resample

    r = _series(seed)
    r.iloc[len(r) // 2] = np.nan
    resampled = resample(qs._compat.safe_resample, qs.stats.comp)
    for x in (r, pd.DataFrame({"a": r, "b": -r / 2}), r.fillna(0).cumsum()):
        for freq in ("D", "W-MON", "ME", "QE", "YE", "M", "A"):  # the last two: quantstats' old aliases
            for how in ("sum", "last", "sum"):
                _same(qs._compat.safe_resample(x, freq, how), resampled(x, freq, how))
        monthly = resampled(x, "ME", qs.stats.comp)  # as the charts take each month: compounded, then its last
        _same(qs._compat.safe_resample(monthly, "ME", "last"), resampled(monthly, "ME", "last"))


def test_prepare_benchmark_equals_quantstats_on_same_and_other_dates(qs) -> None:  # noqa: ANN001
    from simulator.reports.tearsheet_speed import prepare_benchmark

    r = _series(4)
    fast = prepare_benchmark(qs.utils._prepare_benchmark)
    _same(qs.utils._prepare_benchmark(r, r.index), fast(r, r.index))
    other = r.index[::2]  # other dates: quantstats realigns, and so must this
    _same(qs.utils._prepare_benchmark(r, other), fast(r, other))


def _outcome(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - what fn returns, or the error it raises
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - compared, not hidden
        return type(exc)


def _table(qs, metrics, returns, benchmark, rf):  # noqa: ANN001, ANN202
    """The metrics table quantstats' html report asks for (a fresh _prepare_returns cache), or the error raised.

    Under the warning filter rotsim writes a tearsheet with (tearsheet._quantstats_html): quantstats warns
    of every book with no non-zero return, scipy of every flat one.
    """
    qs.utils._PREPARE_RETURNS_CACHE.clear()
    names = list(returns.columns) if isinstance(returns, pd.DataFrame) else "S"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _outcome(
            metrics,
            returns.copy(),
            benchmark=benchmark,
            rf=rf,
            display=False,
            mode="full",
            sep=True,
            internal="True",
            compounded=True,
            periods_per_year=252,
            prepare_returns=False,
            benchmark_title="B",
            strategy_title=names,
            match_dates=False,
        )


def _edge_cases(seed: int) -> list[tuple[pd.Series | pd.DataFrame, pd.Series]]:
    """Returns (a series, then frames of several books) and a benchmark, of varied shapes, for one seed."""
    r = _series(seed)
    if seed % 2 == 0 and len(r) > 10:
        r.iloc[3:6] = np.nan  # missing days
    rng = np.random.default_rng(seed + 100)
    bench = pd.Series(rng.normal(0.0002, 0.012, len(r)), index=r.index).rename("B")
    up = r.abs().where(rng.random(len(r)) < 0.6, 0.0)  # a book never under water
    edges = r.copy()
    edges.iloc[[0, -1]] = np.nan  # no return on the first and last days
    frame = pd.DataFrame({"S": r, "T": r * 0.5 + bench / 2, "up": up, "cash": 0.0 * r.fillna(0), "edges": edges})
    short = (r.iloc[:15].rename("S"), bench.iloc[:15])  # under a month
    # quantstats' own error for a book equal to the benchmark in a frame (rotsim leaves such books out)
    same = (pd.DataFrame({"S": r.iloc[:15], "same": bench.iloc[:15]}), bench.iloc[:15])
    return [(r.rename("S"), bench), (frame, bench), (bench.rename("S"), bench), short, same]  # 3rd: the benchmark


# holes, zeros, missing days, cash at first, a first-day loss, two days, a single year
@pytest.mark.parametrize("seed", [0, 4, 5, 7, 11, 21, 27, 38])
def test_metrics_table_equals_quantstats(qs, seed: int) -> None:  # noqa: ANN001
    """rotsim's metrics table is quantstats' own: the same frame, cell for cell, and the same HTML table."""
    from quantstats import stats

    from simulator.reports._swap import swapped
    from simulator.reports.tearsheet_fixes import _undefined_when_flat
    from simulator.reports.tearsheet_metrics import metrics_table
    from simulator.reports.tearsheet_speed import python_strings

    fast = python_strings(metrics_table(qs.reports.metrics))
    # rotsim's one change to a stat the table shows: R² of a book that never moves is "-", not a crash
    with swapped({(stats, "r_squared"): _undefined_when_flat(stats.r_squared)}):
        for case, (returns, bench) in enumerate(_edge_cases(seed)):
            rates = pd.Series(np.random.default_rng(seed).uniform(0.0, 0.06, len(bench)), index=bench.index)
            for rf in (0.0, rates) if case < 2 else (0.0,):  # a rate series: for the series and the frame
                _assert_same_table(qs, fast, returns, bench, rf)


def test_metrics_table_equals_quantstats_on_other_float_dtypes(qs) -> None:  # noqa: ANN001
    """Returns of float32 or pandas' nullable Float64 (quantstats computes in them, or raises): its own table."""
    from simulator.reports.tearsheet_metrics import metrics_table
    from simulator.reports.tearsheet_speed import python_strings

    fast = python_strings(metrics_table(qs.reports.metrics))
    r = _series(4).iloc[:40].rename("S")
    bench = pd.Series(np.random.default_rng(4).normal(0.0002, 0.012, len(r)), index=r.index)
    _assert_same_table(qs, fast, r.astype("float32"), bench, 0.0)  # float32 sums round otherwise
    _assert_same_table(qs, fast, pd.DataFrame({"S": r, "T": r.astype("Float64")}), bench, 0.0)  # a TypeError


def _assert_same_table(qs, fast, returns, bench, rf) -> None:  # noqa: ANN001
    """``fast`` gives quantstats' table (the frame cell for cell, and its HTML), or raises its error."""
    expected = _table(qs, qs.reports.metrics, returns, bench, rf)
    got = _table(qs, fast, returns, bench, rf)
    if isinstance(expected, type):
        assert got is expected
        return
    assert qs.reports._html_table(got[2:]) == qs.reports._html_table(expected[2:])
    pd.testing.assert_frame_equal(got, _python_strings(expected), check_exact=True)


def _python_strings(table: pd.DataFrame) -> pd.DataFrame:
    """quantstats' table with its text as Python strings (as rotsim computes it), cells untouched."""
    out = table.astype(object)
    out.index = pd.Index(list(out.index), dtype=object)
    out.columns = pd.Index(list(out.columns), dtype=object)
    return out
