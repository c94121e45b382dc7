"""The overfitting ledger, each statistic against a published example, a hand-built case or arch itself.

Every expected figure is computed here: scipy's normal distribution and
moments for the deflated Sharpe ratio, a loop over the combinations with
the Sharpe ratio written out for PBO, arch's own SPA class, and plain
numpy for walk-forward.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest

from simulator.sweep.ledger import (
    expected_max_sharpe,
    overfitting_ledger,
    pbo,
    probabilistic_sharpe,
    spa,
    walk_forward,
)

YEAR = 252  # the trading year the ledger annualises with (simulator.units), written out


def frame(values: np.ndarray, start: str = "2001-01-02") -> pd.DataFrame:
    values = np.asarray(values, dtype=float)
    return pd.DataFrame(
        values,
        index=pd.bdate_range(start, periods=len(values)),
        columns=[f"v{i}" for i in range(values.shape[1])],
    )


def sharpe_by_hand(x: np.ndarray) -> float:
    """Mean / sample standard deviation x sqrt(252), as the README defines Sharpe."""
    return float(np.mean(x) / np.std(x, ddof=1) * np.sqrt(YEAR))


# ----------------------------------------------------------------------------- deflated Sharpe ratio


def test_deflated_sharpe_reproduces_the_papers_numerical_example() -> None:
    """Bailey & Lopez de Prado (2014), "The Deflated Sharpe Ratio", the numerical example of section 5:
    N = 100 trials whose annualised Sharpe ratios have variance 1/2, the best annualised SR 2.5 over
    T = 1,250 daily observations (5 years of 250 days, the paper's year), skewness -3, kurtosis 10.
    The paper gives SR* = 0.1132 (daily) and DSR = 0.9004. The steps by hand, with scipy:"""
    from scipy import stats  # here, not at collection: importing scipy takes most of a second

    days_a_year = 250  # the paper's
    gamma = 0.5772156649015329  # Euler-Mascheroni
    variance = 0.5 / days_a_year  # of the daily ratios
    sr = 2.5 / math.sqrt(days_a_year)
    expected = math.sqrt(variance) * (
        (1 - gamma) * stats.norm.ppf(1 - 1 / 100) + gamma * stats.norm.ppf(1 - 1 / (100 * math.e))
    )
    z = (sr - expected) * math.sqrt(1250 - 1) / math.sqrt(1 - (-3) * sr + (10 - 1) / 4 * sr**2)
    assert expected == pytest.approx(0.1132, abs=5e-5)  # the paper's figures, to the digits it prints
    assert stats.norm.cdf(z) == pytest.approx(0.9004, abs=5e-5)

    assert expected_max_sharpe(100, variance) == pytest.approx(expected, rel=1e-12)
    assert probabilistic_sharpe(sr, expected, 1250, -3.0, 10.0) == pytest.approx(stats.norm.cdf(z), rel=1e-12)


def test_deflated_sharpe_of_a_returns_matrix_by_hand() -> None:
    """The ledger's DSR from the matrix: the best by Sharpe over rf, the trials' variance of daily Sharpe
    ratios, the best's population skewness and kurtosis (scipy), T days."""
    from scipy import stats  # here, not at collection: importing scipy takes most of a second

    rng = np.random.default_rng(3)
    days, n = 900, 40
    # skewed returns (a gamma draw) so the moments matter, each variant with its own drift
    r = rng.gamma(2.0, 0.004, (days, n)) - 0.008 + np.linspace(-0.0004, 0.0006, n)
    rf = pd.Series(0.0001, index=frame(r).index)
    excess = r - 0.0001
    daily = np.array([np.mean(excess[:, i]) / np.std(excess[:, i], ddof=1) for i in range(n)])
    best = int(np.argmax(daily))
    var = np.var(daily, ddof=1)
    gamma = np.euler_gamma
    sr0 = math.sqrt(var) * ((1 - gamma) * stats.norm.ppf(1 - 1 / n) + gamma * stats.norm.ppf(1 - 1 / (n * math.e)))
    g3 = stats.skew(excess[:, best], bias=True)
    g4 = stats.kurtosis(excess[:, best], fisher=False, bias=True)
    sr = daily[best]
    dsr = stats.norm.cdf((sr - sr0) * math.sqrt(days - 1) / math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr**2))

    ledger = overfitting_ledger(frame(r), frame(r)["v0"].rename("B"), rf, default="v0", bootstrap_reps=0)
    d = ledger.deflated
    assert d.best == f"v{best}" and d.trials == n and d.days == days
    assert d.sharpe == pytest.approx(sr * math.sqrt(YEAR), rel=1e-10)
    assert d.expected_max == pytest.approx(sr0 * math.sqrt(YEAR), rel=1e-10)
    assert d.skew == pytest.approx(g3, rel=1e-10) and d.kurtosis == pytest.approx(g4, rel=1e-10)
    assert d.probability == pytest.approx(dsr, rel=1e-10)
    assert 0.0 < d.probability < 1.0  # a case that tells the terms apart, not a 0 or 1 of any formula


def test_one_trial_is_no_selection() -> None:
    assert expected_max_sharpe(1, 0.3) == 0.0


# ----------------------------------------------------------------------------- PBO


def two_variants(sign: float) -> np.ndarray:
    """Variant 0 = x, variant 1 = sign * x with x summing to 0 over all days (a shift of 1e-3 for +1).

    sign -1: whichever is ahead in sample is behind out of sample (the halves' means are opposite), so
    the in-sample best is always the out-of-sample worst. sign +1 with a shift: variant 1 always ahead.
    """
    x = np.random.default_rng(11).normal(0.0, 0.01, 320)
    x -= x.mean()
    other = -x if sign < 0 else x + 1e-3
    return np.column_stack([x, other])


def test_pbo_is_one_when_the_in_sample_best_is_always_worst_out_of_sample() -> None:
    r = two_variants(-1.0)
    got = pbo(r, np.zeros(len(r)), "sharpe", 8)
    assert got.combinations == math.comb(8, 4)
    assert got.probability == 1.0
    np.testing.assert_allclose(got.logits, math.log((1 / 3) / (2 / 3)))  # rank 1 of 2: w = 1/3


def test_pbo_is_zero_when_the_in_sample_best_is_always_best_out_of_sample() -> None:
    r = two_variants(+1.0)
    got = pbo(r, np.zeros(len(r)), "sharpe", 8)
    assert got.probability == 0.0
    assert (got.picks == 1).all()
    np.testing.assert_allclose(got.logits, math.log((2 / 3) / (1 / 3)))


def test_pbo_four_blocks_enumerated_by_hand() -> None:
    """S = 4 blocks of 2 days, 3 variants ranked by CAGR, whose order is that of the sum of log(1 + r).
    Each block's log-return sums, in hundredths:

        block:   0  1  2  3
        A:       4  4  4  3
        B:       1  1  4  1
        C:       0  1  4  4

    in sample   sums A, B, C   pick   out of sample   sums A, B, C   pick's rank (1 = worst)   logit
    {0, 1}      8, 2, 1        A      {2, 3}          7, 5, 8        2                         ln(1) = 0
    {0, 2}      8, 5, 4        A      {1, 3}          7, 2, 5        3                         ln(3)
    {0, 3}      7, 2, 4        A      {1, 2}          8, 5, 5        3                         ln(3)
    {1, 2}      8, 5, 5        A      {0, 3}          7, 2, 4        3                         ln(3)
    {1, 3}      7, 2, 5        A      {0, 2}          8, 5, 4        3                         ln(3)
    {2, 3}      7, 5, 8        C      {0, 1}          8, 2, 1        1                         ln(1/3)

    (w = rank / 4, logit = ln(w / (1 - w))). Two of six logits are <= 0 (the median rank counts as
    overfit): PBO = 1/3.
    """
    sums = np.array([[4, 4, 4, 3], [1, 1, 4, 1], [0, 1, 4, 4]], dtype=float).T * 0.01  # block x variant
    daily = np.repeat(sums / 2.0, 2, axis=0)  # two days a block, half the block's log return each
    r = np.expm1(daily)
    got = pbo(r, np.zeros(8), "cagr", 4)
    # the order of itertools.combinations, as listed above
    np.testing.assert_allclose(got.logits, [0.0] + [math.log(3)] * 4 + [math.log(1 / 3)], atol=1e-12)
    assert got.picks.tolist() == [0, 0, 0, 0, 0, 2]
    assert got.probability == pytest.approx(1 / 3)
    # the pick's CAGR in and out of sample: exp(mean log return x 252) - 1 over its four days
    assert got.in_sample[0] == pytest.approx(math.expm1(0.08 / 4 * YEAR), rel=1e-9)
    assert got.out_of_sample[0] == pytest.approx(math.expm1(0.07 / 4 * YEAR), rel=1e-9)


def test_pbo_equals_a_loop_over_every_combination() -> None:
    """Random returns, 6 blocks, Sharpe over rf: the vectorised sums against the Sharpe ratio of the joined
    rows of each half, computed one combination at a time."""
    from scipy import stats  # here, not at collection: importing scipy takes most of a second

    rng = np.random.default_rng(5)
    days, n, splits = 61, 7, 6  # 61 days: blocks of 11 and 10 days
    r = rng.normal(0.0004, 0.01, (days, n))
    r[:, 3] = 0.0002  # a variant that never varies has no Sharpe ratio: it ranks below every other
    r[:, 6] = r[:, 1]  # twins tie everywhere: the first is picked, and out of sample they share rank (average)
    rf = np.full(days, 0.0001)
    blocks = np.array_split(np.arange(days), splits)
    logits, ins, outs = [], [], []
    for combo in itertools.combinations(range(splits), splits // 2):
        inside = np.concatenate([blocks[i] for i in combo])
        outside = np.concatenate([blocks[i] for i in range(splits) if i not in combo])

        def sharpes(rows: np.ndarray) -> np.ndarray:
            e = r[rows] - rf[rows, None]
            sd = e.std(axis=0, ddof=1)
            return np.where(sd > 1e-12, e.mean(axis=0) / np.where(sd > 1e-12, sd, 1.0), -np.inf) * np.sqrt(YEAR)

        s_in, s_out = sharpes(inside), sharpes(outside)
        k = int(np.argmax(s_in))
        rank = stats.rankdata(s_out)[k]  # average ranks, 1 the worst
        w = rank / (n + 1)
        logits.append(math.log(w / (1 - w)))
        ins.append(s_in[k])
        outs.append(s_out[k])
    got = pbo(r, rf, "sharpe", splits)
    assert 1 in got.picks  # a twin is picked somewhere, so its tie matters
    np.testing.assert_allclose(got.logits, logits, rtol=1e-10)
    np.testing.assert_allclose(got.in_sample, ins, rtol=1e-9)
    np.testing.assert_allclose(got.out_of_sample, outs, rtol=1e-9)
    assert got.probability == pytest.approx(np.mean(np.array(logits) <= 0))


@pytest.mark.parametrize("metric", ["sharpe", "sortino", "cagr"])
def test_each_metric_of_joined_blocks_equals_its_definition_on_the_joined_days(metric: str) -> None:
    """PBO ranks by sums per block; the metric of blocks 0, 2 and 3 of 5 must be the README's on those days:
    Sharpe mean / sd (ddof 1), Sortino mean / root mean square of the negative excess over all days, CAGR
    prod(1 + r) ** (252 / n) - 1; Sharpe and Sortino over rf."""
    from simulator.sweep.ledger._measure import block_moments, from_moments

    rng = np.random.default_rng(9)
    r = rng.normal(0.0005, 0.01, (53, 4))
    rf = rng.uniform(0.0, 0.0002, 53)
    counts, moments = block_moments(metric, r, rf, 5)
    pick = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    got = from_moments(metric, np.array([[pick @ counts]]), (pick @ moments[:, 0])[None], (pick @ moments[:, 1])[None])
    rows = np.concatenate([b for b, keep in zip(np.array_split(np.arange(53), 5), pick) if keep])
    e = r[rows] - rf[rows, None]
    want = {
        "sharpe": e.mean(axis=0) / e.std(axis=0, ddof=1) * np.sqrt(YEAR),
        "sortino": e.mean(axis=0) / np.sqrt((np.minimum(e, 0.0) ** 2).mean(axis=0)) * np.sqrt(YEAR),
        "cagr": np.prod(1.0 + r[rows], axis=0) ** (YEAR / len(rows)) - 1.0,
    }[metric]
    np.testing.assert_allclose(got[0], want, rtol=1e-9)


def test_pbo_needs_an_even_number_of_blocks() -> None:
    with pytest.raises(ValueError, match="even"):
        pbo(np.zeros((40, 3)), np.zeros(40), "sharpe", 5)


# ----------------------------------------------------------------------------- SPA


def spa_case(edge: float) -> tuple[np.ndarray, np.ndarray]:
    """A benchmark and 20 variants: its returns plus noise, one of them ahead by ``edge`` a day."""
    rng = np.random.default_rng(8)
    b = rng.normal(0.0003, 0.01, 1500)
    r = b[:, None] + rng.normal(0.0, 0.004, (1500, 20)) - 0.0002
    r[:, 7] += edge
    return r, b


def test_spa_small_p_value_when_a_variant_clearly_beats_the_benchmark() -> None:
    r, b = spa_case(edge=0.0015)  # 38% a year ahead with 6% tracking error: t of about 14
    got = spa(r, b, "B", block_size=10, reps=500, seed=1)
    assert got.consistent < 0.01 and got.lower < 0.01


def test_spa_large_p_value_when_no_variant_beats_the_benchmark() -> None:
    r, b = spa_case(edge=0.0)  # every variant 0.02% a day behind
    got = spa(r, b, "B", block_size=10, reps=500, seed=1)
    assert got.consistent > 0.5 and got.upper > 0.5


def test_spa_p_values_equal_archs_own_spa() -> None:
    """The ledger passes losses = -returns and replaces two of arch's steps with faster sums (_spa.py):
    the p-values must be those of arch's SPA class called directly, with the same block, reps and seed."""
    from arch.bootstrap import SPA

    r, b = spa_case(edge=0.0004)  # a p-value between 0 and 1, where a different sum would show
    for block, seed in ((5, 0), (20, 3)):
        arch_spa = SPA(-b, -r, block_size=block, reps=400, bootstrap="stationary", seed=seed)
        arch_spa.compute()
        want = arch_spa.pvalues
        got = spa(r, b, "B", block_size=block, reps=400, seed=seed)
        assert 0.0 < want["consistent"] < 1.0
        assert (got.lower, got.consistent, got.upper) == (want["lower"], want["consistent"], want["upper"])


def test_spa_long_run_variances_equal_archs_loop() -> None:
    """The consistent p-value leaves out variants far behind the benchmark by their long-run variance;
    the FFT sums that replace arch's loop over lags must give arch's variances (its private attribute,
    the one thing the replaced step sets)."""
    from arch.bootstrap import SPA

    from simulator.sweep.ledger._spa import _fast_spa

    r, b = spa_case(edge=0.0004)
    r = r[:300] + np.cumsum(np.random.default_rng(2).normal(0, 0.001, (300, 20)), axis=0) * 0.01  # autocorrelated
    for block in (1, 3, 12.5):
        want, got = SPA(-b[:300], -r, block_size=block), _fast_spa()(-b[:300], -r, block_size=block)
        want._compute_variance()
        got._compute_variance()
        np.testing.assert_allclose(got._loss_diff_var, want._loss_diff_var, rtol=1e-10)


def test_spa_in_the_ledger_is_of_the_variants_against_the_benchmark() -> None:
    r, b = spa_case(edge=0.0015)
    returns = frame(r)
    bench = pd.Series(b, index=returns.index, name="SPY")
    ledger = overfitting_ledger(returns, bench, None, default="v0", bootstrap_reps=300, block_size=10, seed=2)
    assert ledger.spa is not None and ledger.spa.consistent < 0.01
    assert (ledger.spa.block_size, ledger.spa.reps, ledger.spa.seed, ledger.spa.benchmark) == (10, 300, 2, "SPY")


# ----------------------------------------------------------------------------- walk-forward

# ten days, three variants: A leads days 0-3, B days 2-5, C days 4-7 (see each window below)
HAND = np.array(
    [
        # A      B      C
        [0.02, 0.00, 0.00],
        [0.02, 0.00, 0.00],
        [0.01, 0.02, 0.00],
        [0.01, 0.02, 0.00],
        [-0.01, 0.01, 0.02],
        [0.00, 0.01, 0.02],
        [0.00, -0.01, 0.01],
        [0.00, 0.00, 0.01],
        [0.03, 0.00, -0.01],
        [0.03, 0.00, 0.005],
    ]
)


def cagr_by_hand(x: np.ndarray) -> float:
    return float(np.prod(1.0 + x) ** (YEAR / len(x)) - 1.0)


@pytest.mark.parametrize(
    ("expanding", "picks"),
    [
        # rolling 4 days: [0, 4) A +6% vs B +4%; [2, 6) B +6% vs C +4%; [4, 8) C +6% vs B +1%
        (False, ["v0", "v1", "v2"]),
        # expanding: [0, 4) A; [0, 6) B +6% vs A +5%; [0, 8) C +10% vs A, B +5%
        (True, ["v0", "v1", "v2"]),
    ],
)
def test_walk_forward_holds_each_windows_best_and_stitches_them(expanding: bool, picks: list[str]) -> None:
    returns = frame(HAND)
    bench = pd.Series(np.linspace(-0.01, 0.01, 10), index=returns.index, name="B")
    got = walk_forward(
        returns, bench, np.zeros(10), default="v2", metric="cagr", train_days=4, test_days=2, expanding=expanding
    )
    assert [w.chosen for w in got.windows] == picks
    assert [w.test_start for w in got.windows] == list(returns.index[[4, 6, 8]])
    assert [w.train_start for w in got.windows] == list(returns.index[[0, 0, 0] if expanding else [0, 2, 4]])
    # the stitched curve, piece by piece: A over days 4-5, B over 6-7, C over 8-9
    expected = np.concatenate([HAND[4:6, 0], HAND[6:8, 1], HAND[8:10, 2]])
    assert got.returns.index.equals(returns.index[4:])
    np.testing.assert_array_equal(got.returns.to_numpy(), expected)
    assert got.value == pytest.approx(cagr_by_hand(expected), rel=1e-12)
    assert got.default_value == pytest.approx(cagr_by_hand(HAND[4:, 2]), rel=1e-12)
    assert got.benchmark_value == pytest.approx(cagr_by_hand(bench.to_numpy()[4:]), rel=1e-12)
    assert got.windows[0].train_value == pytest.approx(cagr_by_hand(HAND[0:4, 0]), rel=1e-12)
    assert got.switches == 2


def test_walk_forward_by_sharpe_on_random_returns_equals_a_loop() -> None:
    """A rolling choice by Sharpe over rf, checked against a loop written here; the last window is short."""
    rng = np.random.default_rng(21)
    r = rng.normal(0.0003, 0.01, (230, 6)) + np.sin(np.arange(230) / 30.0)[:, None] * np.linspace(-1, 1, 6) * 0.002
    rf = np.full(230, 0.0001)
    returns = frame(r)
    bench = pd.Series(rng.normal(0.0003, 0.01, 230), index=returns.index, name="B")
    got = walk_forward(returns, bench, rf, default="v0", metric="sharpe", train_days=60, test_days=50, expanding=False)
    pieces, chosen = [], []
    for start in (60, 110, 160, 210):
        s = [sharpe_by_hand(r[start - 60 : start, i] - 0.0001) for i in range(6)]
        k = int(np.argmax(s))
        chosen.append(f"v{k}")
        pieces.append(r[start : min(start + 50, 230), k])
    assert [w.chosen for w in got.windows] == chosen
    assert len(set(chosen)) > 1  # the choice moves: a test of re-choosing, not of one column
    np.testing.assert_array_equal(got.returns.to_numpy(), np.concatenate(pieces))
    assert got.value == pytest.approx(sharpe_by_hand(np.concatenate(pieces) - 0.0001), rel=1e-10)
    assert got.windows[-1].test_end == returns.index[-1]


def test_walk_forward_with_too_few_days_has_no_window() -> None:
    returns = frame(HAND)
    bench = pd.Series(0.0, index=returns.index, name="B")
    got = walk_forward(
        returns, bench, np.zeros(10), default="v0", metric="sharpe", train_days=10, test_days=2, expanding=False
    )
    assert got.windows == () and got.returns.empty and math.isnan(got.value)
    assert "not enough" in got.sentence()


# ----------------------------------------------------------------------------- the ledger


@pytest.fixture(scope="module")
def ledger_case() -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    rng = np.random.default_rng(4)
    days, n = 1400, 60
    r = rng.normal(0.0003, 0.01, (days, n)) + np.linspace(0.0, 0.0004, n)
    returns = frame(r)
    bench = pd.Series(rng.normal(0.0003, 0.011, days), index=returns.index, name="SPY")
    rf = pd.Series(0.00008, index=returns.index)
    return returns, bench, rf


def test_ledger_to_dict_is_json_and_says_each_figure_in_a_sentence(ledger_case) -> None:
    returns, bench, rf = ledger_case
    ledger = overfitting_ledger(returns, bench, rf, default="v3", pbo_splits=8, bootstrap_reps=200, block_size=5)
    d = json.loads(json.dumps(ledger.to_dict(), allow_nan=False))
    assert d["variants"] == 60 and d["days"] == 1400 and d["default"] == "v3"
    assert d["pbo"]["combinations"] == math.comb(8, 4)
    assert d["spa"]["block_size"] == 5 and d["spa"]["reps"] == 200
    assert len(d["walk_forward"]["windows"]) == math.ceil((1400 - 756) / 252)
    sentences = ledger.sentences()
    assert len(sentences) == 4 and d["sentences"] == sentences
    assert sentences[0].startswith("Of 60 variants tried, the best")
    assert f"{ledger.deflated.probability:.0%}" in sentences[0]
    assert f"{ledger.pbo.probability:.0%}" in sentences[1]
    assert f"p = {ledger.spa.consistent:.3f}" in sentences[2]  # type: ignore[union-attr]
    assert "v3" in sentences[3]
    # the benchmark's metrics over the same days and rf, for the page's marks
    e = bench.to_numpy() - 0.00008
    assert ledger.benchmark_metrics["sharpe"] == pytest.approx(sharpe_by_hand(e), rel=1e-10)


def test_ledger_without_bootstrap_has_no_spa(ledger_case) -> None:
    returns, bench, rf = ledger_case
    ledger = overfitting_ledger(returns, bench, rf, default="v0", pbo_splits=4, bootstrap_reps=0)
    assert ledger.spa is None and len(ledger.sentences()) == 3
    assert ledger.to_dict()["spa"] is None


def test_ledger_ranks_by_the_metric_asked(ledger_case) -> None:
    returns, bench, rf = ledger_case
    by_cagr = overfitting_ledger(returns, bench, rf, default="v0", metric="cagr", pbo_splits=4, bootstrap_reps=0)
    want = (1.0 + returns).prod().idxmax()
    assert by_cagr.best == want and by_cagr.walk_forward.metric == "cagr" and by_cagr.pbo.metric == "cagr"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r, b: (r, b, {"default": "nope"}), "default variant 'nope'"),
        (lambda r, b: (r, b.iloc[1:], {}), "benchmark's dates"),
        (lambda r, b: (r.where(r.index.to_series().ne(r.index[5]), axis=0), b, {}), "missing returns"),
        (lambda r, b: (r, b, {"metric": "max_drawdown"}), "sharpe, sortino, cagr"),
        (lambda r, b: (r, b, {"pbo_splits": 3}), "even"),
        (lambda r, b: (r.iloc[:2], b.iloc[:2], {}), "at least 3 days and 1 variant, got 2 x 60"),
        (lambda r, b: (r.iloc[:, :0], b, {}), "at least 3 days and 1 variant, got 1400 x 0"),
        (lambda r, b: (pd.concat([r, r[["v7", "v3"]]], axis=1), b, {}), r"variant ids repeat: \['v3', 'v7'\]"),
        (lambda r, b: (r, b.where(b.index != b.index[9]), {}), "missing benchmark returns"),
    ],
)
def test_ledger_bad_input_names_what_is_wrong(ledger_case, change, message) -> None:
    returns, bench, rf = ledger_case
    r, b, kw = change(returns, bench)
    args = {"default": "v0", "bootstrap_reps": 0} | kw
    with pytest.raises(ValueError, match=message):
        overfitting_ledger(r, b, rf, **args)


def test_the_ledger_in_small_pieces_equals_it_at_once(ledger_case, monkeypatch) -> None:
    """Large sweeps are worked on a piece of the columns (and of PBO's combinations) at a time; pieces
    of a few columns and combinations must give the same figures as one piece."""
    from simulator.sweep.ledger import _measure, _pbo

    returns, bench, rf = ledger_case
    kw = {"default": "v0", "pbo_splits": 6, "bootstrap_reps": 0}
    for metric in ("sharpe", "sortino", "cagr"):
        at_once = overfitting_ledger(returns, bench, rf, metric=metric, **kw)
        with monkeypatch.context() as m:
            m.setattr(_measure, "COLUMN_CELLS", 7 * len(returns))  # 7 of the 60 variants a piece
            m.setattr(_pbo, "CELLS", 3 * 60)  # 3 of the 20 combinations a piece
            in_pieces = overfitting_ledger(returns, bench, rf, metric=metric, **kw)
        # which variant each split picked, and its figures (ranks alone would not see columns mixed up)
        np.testing.assert_array_equal(in_pieces.pbo.picks, at_once.pbo.picks)
        np.testing.assert_allclose(in_pieces.pbo.in_sample, at_once.pbo.in_sample, rtol=1e-12)
        np.testing.assert_allclose(in_pieces.pbo.out_of_sample, at_once.pbo.out_of_sample, rtol=1e-12)
        pieces, whole = in_pieces.to_dict(), at_once.to_dict()
        a, b = leaves(pieces), leaves(whole)
        numbers = [i for i, v in enumerate(b) if isinstance(v, float)]
        assert [a[i] for i in numbers] == pytest.approx([b[i] for i in numbers], rel=1e-12), metric
        assert [v for i, v in enumerate(a) if i not in numbers] == [v for i, v in enumerate(b) if i not in numbers]


def leaves(value) -> list:
    """Every number and string of a nested dict or list, in order (for pytest.approx)."""
    if isinstance(value, dict):
        return [x for k in sorted(value) for x in [k, *leaves(value[k])]]
    if isinstance(value, list):
        return [x for v in value for x in leaves(v)]
    return [value]


def test_the_ledger_of_uneven_chunks_equals_the_ledger_of_the_whole_matrix(ledger_case) -> None:
    """A sweep's ledger reads its returns a chunk of variants at a time (bounded memory) and asks for a
    few columns after: it must give the ledger of the whole matrix, and ask for no more than those few."""
    from simulator.sweep.ledger import streamed_ledger

    returns, bench, rf = ledger_case
    cuts = [0, 1, 8, 9, 30, 47, 60]  # chunks of 1, 7, 1, 21, 17 and 13 variants
    # the best variants scattered over the chunks, so a chunk's columns put in the wrong place would show
    returns = returns.iloc[:, np.random.default_rng(9).permutation(returns.shape[1])]
    for metric, reps in (("sharpe", 0), ("sortino", 0), ("cagr", 0), ("sharpe", 60)):
        kw = {"default": "v5", "metric": metric, "pbo_splits": 6, "bootstrap_reps": reps, "block_size": 5}
        whole = overfitting_ledger(returns, bench, rf, **kw)
        asked: list[list[str]] = []

        def columns(ids, asked=asked):
            asked.append(list(ids))
            return returns[list(ids)]

        parts = (returns.iloc[:, lo:hi] for lo, hi in zip(cuts, cuts[1:]))
        streamed = streamed_ledger(parts, columns, bench, rf, **kw)
        np.testing.assert_array_equal(streamed.pbo.picks, whole.pbo.picks)
        np.testing.assert_allclose(streamed.pbo.logits, whole.pbo.logits, rtol=1e-12)
        np.testing.assert_allclose(streamed.pbo.out_of_sample, whole.pbo.out_of_sample, rtol=1e-12)
        pd.testing.assert_series_equal(streamed.walk_forward.returns, whole.walk_forward.returns, rtol=1e-12)
        a, b = leaves(streamed.to_dict()), leaves(whole.to_dict())
        numbers = [i for i, v in enumerate(b) if isinstance(v, float)]
        assert [a[i] for i in numbers] == pytest.approx([b[i] for i in numbers], rel=1e-12), metric
        assert [v for i, v in enumerate(a) if i not in numbers] == [v for i, v in enumerate(b) if i not in numbers]
        # the returns asked for: the default, the deflated Sharpe's best and the 3 windows' choices; all of them
        # only for the SPA bootstrap
        few = {"v5", whole.deflated.best, *(w.chosen for w in whole.walk_forward.windows)}
        assert set(asked[0]) == few and len(asked[0]) == len(few), metric
        assert [sorted(x) for x in asked[1:]] == ([sorted(returns.columns)] if reps else []), metric


def test_the_streamed_ledger_finds_a_repeated_id_and_a_missing_default_across_chunks(ledger_case) -> None:
    from simulator.sweep.ledger import streamed_ledger

    returns, bench, rf = ledger_case
    twice = [returns.iloc[:, :5], returns.iloc[:, 4:9]]
    with pytest.raises(ValueError, match=r"variant ids repeat: \['v4'\]"):
        streamed_ledger(twice, lambda ids: returns[list(ids)], bench, rf, default="v0", bootstrap_reps=0)
    with pytest.raises(ValueError, match="default variant 'v30' is not"):
        streamed_ledger(twice[:1], lambda ids: returns[list(ids)], bench, rf, default="v30", bootstrap_reps=0)
