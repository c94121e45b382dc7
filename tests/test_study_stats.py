"""The study engine (simulator.study) against independent computations: pandas, a hand-written sandwich, statsmodels.

Every figure here is computed in the test from the prices with plain pandas
or numpy (shift, groupby, a loop), never read from another path through the
study: forward returns, event and baseline statistics, overlap thinning,
windows past the data, the Newey-West t-statistic (the sandwich written
out), Holm (statsmodels' multipletests), the bootstrap interval (arch's own
``apply``), period returns and groups.
"""

from __future__ import annotations

import math
from unittest import mock

import numpy as np
import pandas as pd
import pytest

from simulator.study import StudySpec, event_study, period_returns, period_study
from simulator.study.periods import cycle_labels, signal_labels
from simulator.study.stats import Bootstrap, bootstrap_interval, hac_dummy_test, holm

TOL = 1e-9


def _market(n: int = 700, seed: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    idx = pd.bdate_range("2001-01-02", periods=n)
    rng = np.random.default_rng(seed)
    r = rng.normal(0.0004, 0.012, (n, 2))
    prices = pd.DataFrame(100 * np.cumprod(1 + r, axis=0), index=idx, columns=["IDX", "BENCH"])
    prices.iloc[:40, 0] = np.nan  # the asset starts later than the calendar
    events = pd.Series(r[:, 0] > 0.02, index=idx)
    events.iloc[:40] = False
    events.iloc[[5, 12]] = True  # before the asset's first price: counted apart (n_before_data)
    return prices, events


def _forward(p: pd.Series, h: int, entry: str) -> pd.Series:
    o = 0 if entry == "close" else 1
    return p.shift(-(h + o)) / p.shift(-o) - 1


def _greedy(dates: list[pd.Timestamp], index: pd.DatetimeIndex, h: int) -> list[pd.Timestamp]:
    kept: list[pd.Timestamp] = []
    for d in dates:
        if not kept or index.get_loc(d) - index.get_loc(kept[-1]) >= h:
            kept.append(d)
    return kept


@pytest.mark.parametrize(("entry", "only_independent"), [("close", False), ("next_close", True)])
def test_summary_matches_pandas(entry: str, only_independent: bool) -> None:
    prices, events = _market()
    until = prices.index[650]
    spec = StudySpec((5, 21, 200), entry=entry, events_until=until, independent=only_independent, boot=None)  # type: ignore[arg-type]
    out = event_study(prices, {"jump": events}, spec, benchmark=prices["BENCH"])
    rows = out.summary.set_index(["asset", "measure", "horizon"])
    event_dates = list(events.index[events & (events.index <= until)])
    assert len(event_dates) > 15
    raw: dict[tuple[str, str], list[float]] = {
        k: [] for k in (("IDX", "return"), ("BENCH", "return"), ("IDX", "excess over BENCH"))
    }
    for h in spec.horizons:
        for asset, measure in (("IDX", "return"), ("BENCH", "return"), ("IDX", "excess over BENCH")):
            fwd = _forward(prices[asset], h, entry)
            if measure != "return":
                fwd = fwd - _forward(prices["BENCH"], h, entry)
            sample = fwd.loc[:until].dropna()
            at_events = fwd.loc[event_dates].dropna()
            kept = _greedy(event_dates, prices.index, h)
            used = fwd.loc[kept].dropna() if only_independent else at_events
            row = rows.loc[(asset, measure, h)]
            assert row["n"] == len(at_events) and row["n_independent"] == len(fwd.loc[kept].dropna())
            assert row["mean"] == pytest.approx(used.mean(), abs=TOL)
            assert row["median"] == pytest.approx(used.median(), abs=TOL)
            assert row["hit_rate"] == pytest.approx((used > 0).mean(), abs=TOL)
            assert row["baseline_n"] == len(sample)
            assert row["baseline_mean"] == pytest.approx(sample.mean(), abs=TOL)
            assert row["baseline_hit_rate"] == pytest.approx((sample > 0).mean(), abs=TOL)
            assert row["excess_vs_baseline"] == pytest.approx(used.mean() - sample.mean(), abs=TOL)
            # the test: events used against the other days (event days not used are set aside), h - 1 lags
            tested = sample.drop([d for d in at_events.index if d not in used.index])
            t = _sandwich_t(tested.to_numpy(), tested.index.isin(used.index), h - 1)
            assert row["t_stat"] == pytest.approx(t, rel=1e-9)
            raw[(asset, measure)].append(math.erfc(abs(t) / math.sqrt(2)))
            # windows past the data: listed, not averaged
            o = 0 if entry == "close" else 1
            past = sum(prices.index.get_loc(d) + o + h >= len(prices) for d in event_dates)
            assert row["n_past_data"] == past
            unpriced = sum(bool(np.isnan(fwd[d])) for d in event_dates) - past
            assert row["n_before_data"] == unpriced and (unpriced == 2) == (asset == "IDX")
    assert (rows.xs(200, level="horizon")["n_past_data"] > 0).all()  # the case is exercised
    for (asset, measure), p in raw.items():  # Holm across the horizons of each asset and measure
        got = [rows.loc[(asset, measure, h), "p_value"] for h in spec.horizons]
        assert got == pytest.approx(list(_statsmodels_holm(p)), rel=1e-9)


def _statsmodels_holm(p: list[float] | np.ndarray) -> np.ndarray:
    """statsmodels' Holm-adjusted p-values (``multipletests(p, method="holm")[1]``).

    Its Holm branch runs a full ``gc.collect()`` each call (no part of the
    numbers), a fifth of a second in a process with pandas, scipy and
    statsmodels loaded; it is a no-op for the call.
    """
    from statsmodels.stats.multitest import multipletests

    with mock.patch("gc.collect", return_value=0):
        return multipletests(p, method="holm")[1]


def test_events_table_lists_every_event_with_its_forward_returns() -> None:
    prices, events = _market()
    out = event_study(prices, {"jump": events}, StudySpec((21, 150), boot=None), benchmark=None)
    dates = list(events.index[events])
    assert [pd.Timestamp(d) for d in out.events["date"]] == dates
    fwd = _forward(prices["IDX"], 150, "close").loc[dates].to_numpy()
    got = out.events["IDX 150d"].to_numpy()
    assert np.array_equal(np.isnan(got), np.isnan(fwd)) and np.allclose(got[~np.isnan(fwd)], fwd[~np.isnan(fwd)])
    assert np.isnan(got).sum() > 0  # the events whose window runs past the data are listed


def test_average_path_matches_pandas() -> None:
    prices, events = _market()
    out = event_study(prices[["IDX"]], {"jump": events}, StudySpec((30,), boot=None))
    path = out.paths.set_index("day")
    dates = events.index[events]
    for k in (0, 1, 17, 30):
        fwd = _forward(prices["IDX"], k, "close")
        assert path.loc[k, "mean"] == pytest.approx(fwd.loc[dates].dropna().mean(), abs=TOL)
        assert path.loc[k, "baseline_mean"] == pytest.approx(fwd.dropna().mean(), abs=TOL)
        assert path.loc[k, "low"] <= path.loc[k, "mean"] <= path.loc[k, "high"]
    assert path.loc[0, "mean"] == 0.0


def _sandwich_t(y: np.ndarray, d: np.ndarray, lags: int) -> float:
    """Newey-West by hand: (X'X)^-1 S (X'X)^-1, S with Bartlett weights 1 - l/(L+1) (statsmodels' HAC: no df correction)."""
    x = np.column_stack([np.ones(len(y)), d.astype(float)])
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    g = x * (y - x @ beta)[:, None]  # score of each day
    s = g.T @ g
    for lag in range(1, lags + 1):
        gamma = g[lag:].T @ g[:-lag]
        s += (1 - lag / (lags + 1)) * (gamma + gamma.T)
    cov = xtx_inv @ s @ xtx_inv
    return float(beta[1] / math.sqrt(cov[1, 1]))


@pytest.mark.parametrize("lags", [0, 1, 4, 20])
def test_hac_t_stat_is_the_sandwich_formula(lags: int) -> None:
    rng = np.random.default_rng(11)
    y = np.convolve(rng.normal(0, 1, 400), np.ones(5), "same")  # autocorrelated, as overlapping windows are
    d = rng.random(400) < 0.1
    y[d] += 0.8
    t, p = hac_dummy_test(y, d, lags)
    assert t == pytest.approx(_sandwich_t(y, d, lags), rel=1e-9)
    assert p == pytest.approx(math.erfc(abs(t) / math.sqrt(2)), rel=1e-9)  # two-sided, normal


def test_hac_of_a_tiny_hand_case() -> None:
    # y = 1, 2, 3, 4 with the dummy on the last two: b = 2 (3.5 - 1.5); with no lags the sandwich is White's
    y, d = np.array([1.0, 2.0, 3.0, 4.0]), np.array([False, False, True, True])
    # residuals -0.5, 0.5, -0.5, 0.5; X'X = [[4, 2], [2, 2]]; S = 0.25 * X'X; cov = 0.25 (X'X)^-1
    # (X'X)^-1 = [[0.5, -0.5], [-0.5, 1]] -> var(b) = 0.25, t = 2 / 0.5
    t, _ = hac_dummy_test(y, d, 0)
    assert t == pytest.approx(4.0, rel=1e-12)
    assert np.isnan(hac_dummy_test(y, np.zeros(4, dtype=bool), 0)[0])  # no events: nothing to test


def test_holm_matches_statsmodels() -> None:
    rng = np.random.default_rng(5)
    for m in (1, 2, 5, 9):
        p = rng.random(m) ** 3
        assert np.allclose(holm(p), _statsmodels_holm(p), atol=1e-15)
    with_nan = np.array([0.01, np.nan, 0.04])
    assert np.allclose(holm(with_nan)[[0, 2]], _statsmodels_holm([0.01, 0.04]))
    assert np.isnan(holm(with_nan)[1])


def test_bootstrap_interval_is_arch_percentiles_and_repeatable() -> None:
    from arch.bootstrap import StationaryBootstrap

    rng = np.random.default_rng(2)
    y = rng.normal(0, 1, 300)
    d = rng.random(300) < 0.2
    boot = Bootstrap(reps=300, seed=9, level=0.9)
    lo, hi = bootstrap_interval(y, d, 10, boot)
    bs = StationaryBootstrap(10, y, d, seed=np.random.default_rng(9))
    means = bs.apply(lambda yy, dd: np.array([yy[dd].mean() if dd.any() else np.nan]), 300)[:, 0]
    assert (lo, hi) == pytest.approx(tuple(np.nanquantile(means, [0.05, 0.95])), abs=TOL)
    assert bootstrap_interval(y, d, 10, boot) == (lo, hi)
    assert lo < y[d].mean() < hi
    constant = np.where(d, 0.03, y)
    assert bootstrap_interval(constant, d, 10, boot) == pytest.approx((0.03, 0.03), abs=1e-15)


def test_period_returns_and_groups_match_pandas() -> None:
    idx = pd.bdate_range("1995-03-01", "2009-06-15")
    rng = np.random.default_rng(4)
    p = pd.Series(100 * np.cumprod(1 + rng.normal(0.0003, 0.01, len(idx))), index=idx)
    years = period_returns(p, "year")
    year_end = p.groupby(p.index.year).last()
    expected = (year_end / year_end.shift(1) - 1).loc[1996:2008]  # 1995 has no close before it; 2009 is partial
    assert [x.year for x in years.index] == list(expected.index)
    assert np.allclose(years.to_numpy(), expected.to_numpy(), atol=TOL)
    labels = cycle_labels(pd.PeriodIndex(years.index))
    assert labels[pd.Period("2000", "Y")] == "4 election year" and labels[pd.Period("2001", "Y")] == "1 first year"
    table = period_study({"X": years}, {"X": labels}).set_index("group")
    by_cycle = expected.groupby([y % 4 for y in expected.index])
    assert table.loc["4 election year", "mean"] == pytest.approx(by_cycle.mean()[0], abs=TOL)
    assert table.loc["1 first year", "n"] == by_cycle.size()[1]
    assert table.loc["2 midterm", "difference"] == pytest.approx(by_cycle.mean()[2] - expected.mean(), abs=TOL)
    months = period_returns(p, "month")
    assert str(months.index[-1]) == "2009-05"  # June 2009 is cut mid-month


def test_signal_labels_use_the_close_before_the_period() -> None:
    idx = pd.bdate_range("2010-12-01", "2012-12-31")
    signal = pd.Series(idx >= pd.Timestamp("2011-12-30"), index=idx)  # on from the last close of 2011
    labels = signal_labels(signal, pd.PeriodIndex([pd.Period("2011", "Y"), pd.Period("2012", "Y")]))
    assert list(labels) == ["off", "on"]


def test_summary_interval_is_arch_over_the_whole_sample() -> None:
    from arch.bootstrap import StationaryBootstrap

    prices, events = _market()
    boot = Bootstrap(reps=200, seed=4, level=0.9)
    out = event_study(prices[["IDX"]], {"jump": events}, StudySpec((21,), boot=boot)).summary.iloc[0]
    y = _forward(prices["IDX"], 21, "close").to_numpy()
    d = events.to_numpy()

    def event_mean(yy: np.ndarray, dd: np.ndarray) -> np.ndarray:
        use = dd & np.isfinite(yy)  # days with no complete window are resampled but never averaged
        return np.array([yy[use].mean() if use.any() else np.nan])

    bs = StationaryBootstrap(21, y, d, seed=np.random.default_rng(4))
    means = bs.apply(event_mean, 200)[:, 0]
    assert (out["ci_low"], out["ci_high"]) == pytest.approx(tuple(np.nanquantile(means, [0.05, 0.95])), abs=TOL)
