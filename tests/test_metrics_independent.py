"""Every column of metrics.csv, for every book and the benchmark, recomputed outside rotsim.

One real `rotsim run` on the synthetic market (a static book with 20% cash
rebalanced monthly, a rotating book, a monthly tilt; fees, slippage, cash
earning the rate), once with Sharpe/Sortino over the cash rate and once over
zero. Each metric is recomputed here in plain numpy/pandas from the files a
user has (returns.csv, weights/*.csv), the benchmark's raw prices and the raw
DTB3 series, with the formulas the README and the manifest's definitions
state, and compared to 1e-10 relative. The ones quantstats has are checked
against quantstats too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import only_run, run_in_process
from reference import YEAR, daily_rf, known_rate

CONFIG = """\
name: metrics_check
data: {{source: sample, start: 2004-01-02, end: 2011-12-30}}
universe: {{large_cap: SPY, small_cap: IWM, small_cap_index: ^RUT}}
benchmark: SPY
engine: {{fees_bps: 5, slippage_bps: 2, cash_earns: risk_free}}
strategies:
  - {{name: static_weights, label: Mix with cash, rebalance: monthly, params: {{weights: {{large_cap: 0.5, small_cap: 0.3}}}}}}
  - {{name: small_cap_thrust, label: Thrust, params: {{threshold: 0.03, hold: 126}}}}
  - {{name: yield_tilt, label: Tilt}}
report: {{tearsheets: false, risk_free: {risk_free}}}
"""
SLIPPAGE = 2e-4
BENCH = "S&P 500 (SPY)"
BOOKS = {"Mix with cash": "mix-with-cash", "Thrust": "thrust", "Tilt": "tilt", BENCH: "benchmark"}
COLUMNS = [
    "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar", "worst_year",
    "turnover", "exposure", "beta", "alpha", "information_ratio",
]  # fmt: skip


@dataclass(frozen=True)
class Run:
    folder: Path
    metrics: pd.DataFrame
    returns: pd.DataFrame
    bench: pd.Series  # the benchmark's return from its raw closes
    rf: pd.Series  # the daily rate Sharpe and Sortino are over (0 with risk_free: zero)
    rf_annual: pd.Series  # the same as a rate a year, for quantstats to de-annualise itself
    prices: pd.DataFrame  # raw closes on the run's days
    weights: dict[str, pd.DataFrame]


@pytest.fixture(scope="module", params=["cash", "zero"])
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    from simulator.data.sources.sample import SampleSource

    tmp = tmp_path_factory.mktemp(f"metrics-{request.param}")
    (tmp / "run.yaml").write_text(CONFIG.format(risk_free=request.param))
    proc = run_in_process("run", str(tmp / "run.yaml"), "--out", str(tmp / "out"), "--no-tearsheets")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    folder = only_run(tmp / "out", "metrics_check")
    returns = pd.read_csv(folder / "returns.csv", index_col=0, parse_dates=True)
    days = returns.index
    src = SampleSource(seed=7)
    raw = pd.DataFrame(src.load_prices(["SPY", "IWM"]))
    calendar = raw["SPY"].dropna().index  # the benchmark's trading days: the previous close of the first day too
    dtb3 = src.load_series(["DTB3"])["DTB3"]
    if request.param == "cash":
        rf = daily_rf(dtb3, calendar, days)
        rf_annual = known_rate(dtb3, calendar).shift(1).reindex(days) / 100
    else:
        rf = rf_annual = pd.Series(0.0, index=days)
    spy = raw["SPY"].reindex(days)
    weights = {
        label: pd.read_csv(folder / "weights" / f"{stem}.csv", index_col=0, parse_dates=True)
        for label, stem in BOOKS.items()
    }
    return Run(
        folder=folder,
        metrics=pd.read_csv(folder / "metrics.csv", index_col=0),
        returns=returns,
        bench=(spy / spy.shift(1) - 1).fillna(0.0),  # every book, the benchmark too, starts at the first close
        rf=rf,
        rf_annual=rf_annual,
        prices=raw.reindex(days),
        weights=weights,
    )


def _returns(run: Run, label: str) -> pd.Series:
    """A book's daily returns: returns.csv, except the benchmark's, which come from its raw closes."""
    return run.bench if label == BENCH else run.returns[label]


def _turnover(r: pd.Series, w: pd.DataFrame, prices: pd.DataFrame) -> float:
    """One-way turnover a year from the held weights at each close and the raw closes.

    Before a close's trade each ticker holds w(t-1) V(t-1) p(t)/p(t-1); after it
    w(t) V(t). The difference, filled at the close 2 bps worse (slippage: up for
    a buy, down for a sell), over V(t) = V(t-1)(1 + r(t)), is the value traded a
    day as a share of the book. Summed over the days after the first (whose
    purchase of the starting position is not turnover), halved, per 252 days.
    """
    tickers = [c for c in w.columns if c != "cash"]
    held = w[tickers].to_numpy()
    p = prices[tickers].to_numpy()
    before = held[:-1] * (p[1:] / p[:-1]) / (1 + r.to_numpy()[1:, None])
    change = held[1:] - before
    traded = np.abs(change) * (1 + SLIPPAGE * np.sign(change))
    return float(traded.sum() / 2 / (len(r) / YEAR))


def _expected(run: Run, label: str) -> dict[str, float]:
    """Every metrics.csv column of ``label``, from the definitions in words."""
    r = _returns(run, label).to_numpy()
    b = run.bench.to_numpy()
    n = len(r)
    x = r - run.rf.to_numpy()
    wealth = np.cumprod(1 + r)
    peak = np.maximum.accumulate(np.r_[1.0, wealth])[1:]  # wealth starts at its peak of 1
    max_dd = min(0.0, float((wealth / peak - 1).min()))
    cagr = wealth[-1] ** (YEAR / n) - 1
    series = pd.Series(r, index=run.returns.index)
    by_year = [np.prod(1 + series[series.index.year == y]) - 1 for y in sorted(set(series.index.year))]
    beta = np.cov(r, b, ddof=1)[0, 1] / np.var(b, ddof=1)
    active = r - b
    tracking = np.std(active, ddof=1)
    w = run.weights[label]
    return {
        "cagr": cagr,
        "volatility": np.std(r, ddof=1) * np.sqrt(YEAR),
        "sharpe": x.mean() / np.std(x, ddof=1) * np.sqrt(YEAR),
        "sortino": x.mean() / np.sqrt(np.mean(np.minimum(x, 0) ** 2)) * np.sqrt(YEAR),
        "max_drawdown": max_dd,
        "calmar": cagr / abs(max_dd),
        "worst_year": min(by_year),
        "turnover": _turnover(_returns(run, label), w, run.prices),
        "exposure": float(w.drop(columns="cash").sum(axis=1).mean()),
        "beta": beta,
        "alpha": (r.mean() - beta * b.mean()) * YEAR,
        # the benchmark against itself has no tracking error: the ratio is undefined
        "information_ratio": active.mean() / tracking * np.sqrt(YEAR) if tracking > 0 else np.nan,
    }


def test_metrics_csv_has_every_book_and_column(run: Run) -> None:
    assert list(run.metrics.columns) == COLUMNS
    assert list(run.metrics.index) == list(BOOKS)
    np.testing.assert_allclose(run.returns[BENCH], run.bench, rtol=0, atol=1e-15)


@pytest.mark.parametrize("column", COLUMNS)
def test_every_column_recomputed_for_every_book(run: Run, column: str) -> None:
    got = run.metrics[column].to_numpy(dtype=float)
    want = np.array([_expected(run, label)[column] for label in BOOKS])
    # atol: the benchmark's alpha (0) and turnover (0) come out as rounding noise
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-14, equal_nan=True, err_msg=f"{column}: {list(BOOKS)}")


def test_the_books_differ_where_the_checks_need_them_to(run: Run) -> None:
    """A check is only as good as its data: cash varies, trades happen, years lose, the rate is not 0."""
    m = run.metrics
    mix = run.weights["Mix with cash"]["cash"]
    assert 0.15 < mix.min() < mix.max() < 0.25  # exposure is not a count of invested days
    assert (m["turnover"].drop(BENCH) > 0.04).all()
    assert (m["worst_year"] < 0).all() and (m["max_drawdown"] < -0.1).all()
    assert m.loc["Mix with cash", "beta"] < 0.9  # alpha without beta would differ by a lot
    if (run.folder / "risk_free.csv").exists():
        assert run.rf.min() >= 0 and run.rf.nunique() > 100  # the synthetic bill rate has a floor of 0
        written = pd.read_csv(run.folder / "risk_free.csv", index_col=0, parse_dates=True)["risk_free"]
        np.testing.assert_allclose(written, run.rf, rtol=0, atol=1e-15)
    else:
        assert (run.rf == 0).all()


@pytest.mark.parametrize("label", list(BOOKS))
def test_metrics_agree_with_quantstats(run: Run, label: str) -> None:
    """quantstats, given the rate a year, de-annualises it itself: (1 + rate) ** (1/252) - 1, as rotsim does."""
    qs = pytest.importorskip("quantstats")
    r = _returns(run, label)
    m = run.metrics.loc[label]
    rf = run.rf_annual
    assert m["cagr"] == pytest.approx(qs.stats.cagr(r, periods=YEAR), rel=1e-9)
    assert m["volatility"] == pytest.approx(qs.stats.volatility(r, periods=YEAR), rel=1e-9)
    assert m["sharpe"] == pytest.approx(qs.stats.sharpe(r, rf=rf, periods=YEAR), rel=1e-9)
    assert m["sortino"] == pytest.approx(qs.stats.sortino(r, rf=rf, periods=YEAR), rel=1e-9)
    # quantstats puts a phantom starting value of 1 before the first close, as rotsim starts wealth at 1
    assert m["max_drawdown"] == pytest.approx(qs.stats.max_drawdown(r), rel=1e-9)
    assert m["calmar"] == pytest.approx(qs.stats.calmar(r, periods=YEAR), rel=1e-9)
    assert m["worst_year"] == pytest.approx(qs.stats.worst(r, aggregate="year"), rel=1e-9)
    greeks = qs.stats.greeks(r, run.bench, periods=YEAR)
    assert m["beta"] == pytest.approx(greeks["beta"], rel=1e-9)
    assert m["alpha"] == pytest.approx(greeks["alpha"], rel=1e-9, abs=1e-14)
    if label != BENCH:  # quantstats calls a ratio without tracking error 0; rotsim leaves it undefined
        ir = qs.stats.information_ratio(r, run.bench) * np.sqrt(YEAR)  # quantstats' is per day
        assert m["information_ratio"] == pytest.approx(ir, rel=1e-9)
