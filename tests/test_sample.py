"""The synthetic sample market: reproducible, complete, and carrying the features strategies look for.

Feature checks compute their numbers from the generated data; the bounds are
the ones the generator is designed for, not values copied from a run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.data.calendar import presidential_window
from simulator.data.sources import sample
from simulator.data.sources.sample import SERIES, TICKERS, SampleSource, generate_market
from simulator.errors import DataError

from source_contract import assert_behaves_as_source

YEAR = 252
FEATURE_SEEDS = (7, 1, 2024)  # the default seed and two others: features must not hinge on one draw


# --------------------------------------------------------------------------- helpers


def policy_rate(series: dict[str, pd.Series]) -> pd.Series:
    """The target, then the range's upper bound, as one daily series."""
    return pd.concat([series["DFEDTAR"], series["DFEDTARU"]]).sort_index()


def first_cuts(series: dict[str, pd.Series]) -> list[pd.Timestamp]:
    """Cuts that come more than a year after the previous cut (or the start of the data)."""
    rate = policy_rate(series)
    firsts, previous = [], rate.index[0]
    for cut in rate.index[rate.diff() < 0]:
        if cut - previous > pd.Timedelta(days=365):
            firsts.append(cut)
        previous = cut
    return firsts


def recession_spans(usrec: pd.Series) -> list[tuple[pd.Timestamp, int]]:
    """(first month, length in months) of each run of USREC == 1."""
    run_id = (usrec != usrec.shift()).cumsum()
    runs = usrec.groupby(run_id).agg(["first", "size"])
    starts = usrec.index.to_series().groupby(run_id).first()
    return [(starts[i], int(runs.loc[i, "size"])) for i in runs.index if runs.loc[i, "first"] == 1.0]


def beta(y: pd.Series, x: pd.Series) -> float:
    return float(np.cov(y, x)[0, 1] / x.var())


@pytest.fixture(scope="module", params=FEATURE_SEEDS, ids=lambda seed: f"seed{seed}")
def market(request: pytest.FixtureRequest) -> tuple[pd.DataFrame, dict[str, pd.Series], pd.DataFrame]:
    prices, series = generate_market(request.param)
    return prices, series, prices.pct_change().iloc[1:]


# --------------------------------------------------------------------------- reproducibility


def test_same_seed_is_bit_identical_even_after_regenerating() -> None:
    prices, series = generate_market(7)
    sample._cached_market.cache_clear()
    again_prices, again_series = generate_market(7)
    pd.testing.assert_frame_equal(prices, again_prices, check_exact=True)
    assert series.keys() == again_series.keys()
    for name in series:
        pd.testing.assert_series_equal(series[name], again_series[name], check_exact=True)


def test_different_seeds_give_different_markets() -> None:
    prices_a, series_a = generate_market(7)
    prices_b, series_b = generate_market(8)
    assert not prices_a.equals(prices_b)
    assert not series_a["DGS10"].equals(series_b["DGS10"])
    assert not policy_rate(series_a).equals(policy_rate(series_b))


def test_callers_cannot_mutate_the_cache() -> None:
    prices, series = generate_market(7)
    prices.iloc[:, :] = -1.0
    series["DFF"].iloc[:] = -1.0
    source = SampleSource()
    loaded = source.load_prices(["SPY"])["SPY"]
    loaded.iloc[:] = -1.0
    fresh_prices, fresh_series = generate_market(7)
    assert (fresh_prices > 0).all().all()
    assert (fresh_series["DFF"] >= 0).all()
    assert (source.load_prices(["SPY"])["SPY"] > 0).all()


# --------------------------------------------------------------------------- shape of the data


def test_every_ticker_has_positive_finite_prices_on_a_clean_index() -> None:
    prices, _ = generate_market(7)
    assert list(prices.columns) == list(TICKERS)
    assert isinstance(prices.index, pd.DatetimeIndex)
    assert prices.index.name == "date"
    assert prices.index.is_monotonic_increasing and prices.index.is_unique
    assert prices.index[0] == pd.Timestamp("1990-01-02")
    assert prices.index[-1] == pd.Timestamp("2025-12-31")
    values = prices.to_numpy()
    assert values.dtype == np.float64
    assert np.isfinite(values).all() and (values > 0).all()
    assert np.allclose(values[0], 100.0)


def test_trading_days_follow_an_nyse_like_calendar() -> None:
    days = generate_market(7)[0].index
    assert (days.day_of_week < 5).all()
    closed = ["2024-01-01", "2024-01-15", "2024-03-29", "2024-05-27", "2024-07-04", "2024-11-28", "2024-12-25"]
    assert not days.isin(pd.DatetimeIndex(closed)).any()  # incl. Good Friday 2024-03-29
    open_ = ["2024-10-14", "2024-11-11", "2024-03-28", "2024-04-01"]  # Columbus and Veterans Day trade
    assert pd.DatetimeIndex(open_).isin(days).all()
    assert 245 <= len(days[days.year == 2024]) <= 254


def test_every_series_is_present_named_and_clean() -> None:
    _, series = generate_market(7)
    assert set(series) == set(SERIES)
    for name, values in series.items():
        assert values.name == name
        assert values.index.name == "date"
        assert values.dtype == np.float64
        assert values.notna().all()
        assert values.index.is_monotonic_increasing and values.index.is_unique
        assert len(values) > 0


def test_series_follow_fred_calendars_and_units() -> None:
    _, s = generate_market(7)
    assert s["DFEDTAR"].index[-1] == pd.Timestamp("2008-12-15")
    assert s["DFEDTARU"].index[0] == pd.Timestamp("2008-12-16")
    assert s["DFEDTARL"].index.equals(s["DFEDTARU"].index)
    assert np.allclose(s["DFEDTARU"] - s["DFEDTARL"], 0.25)
    assert len(s["DFF"]) == len(pd.date_range("1990-01-02", "2025-12-31"))  # every calendar day
    assert s["EFFR"].index[0] == pd.Timestamp("2000-07-03")
    for name in ("EFFR", "DGS2", "DGS10", "DTB3"):
        assert (s[name].index.day_of_week < 5).all(), name
    assert (s["DTB3"] >= 0).all()
    for name in ("USREC", "FEDFUNDS"):
        assert (s[name].index.day == 1).all() and len(s[name]) == 36 * 12, name
    assert set(s["USREC"].unique()) == {0.0, 1.0}
    monthly_mean = s["DFF"].groupby(s["DFF"].index.to_period("M")).mean().to_numpy()
    assert np.allclose(s["FEDFUNDS"].to_numpy(), monthly_mean, atol=0.006)
    # The effective rate stays close to the target (or the middle of the range).
    policy = policy_rate(s)
    middle = policy.where(policy.index < pd.Timestamp("2008-12-16"), policy - 0.125)
    assert (s["DFF"] - middle).abs().median() < 0.1


def test_index_tickers_track_their_etfs_less_a_dividend_yield() -> None:
    prices, _ = generate_market(7)
    returns = prices.pct_change().iloc[1:]
    years = len(returns) / YEAR
    for index, etf in (("^GSPC", "SPY"), ("^RUT", "IWM"), ("^NDX", "QQQ")):
        assert returns[index].corr(returns[etf]) > 0.99
        assert not np.allclose(returns[index], returns[etf])
        lag = (prices[etf].iloc[-1] / prices[index].iloc[-1]) ** (1 / years) - 1
        assert 0.005 < lag < 0.03, index


# --------------------------------------------------------------------------- the Source protocol


def test_sample_source_is_a_source() -> None:
    source = SampleSource(seed=11)
    _, series = assert_behaves_as_source(source, ["SPY", "^RUT"], ["DTB3", "USREC"])
    assert set(series["USREC"]) == {0.0, 1.0}
    assert source.synthetic is True
    assert source.name == "sample (synthetic, seed 11)"
    assert SampleSource().name == "sample (synthetic, seed 7)"


def test_missing_reports_unknown_names_only() -> None:
    source = SampleSource()
    assert source.missing(list(TICKERS), list(SERIES)) == []
    assert source.missing(["SPY", "XYZ", "spy"], ["DGS10", "NOPE"]) == ["XYZ", "spy", "NOPE"]


def test_load_prices_returns_named_series() -> None:
    loaded = SampleSource().load_prices(["QQQ", "^RUT"])
    prices, _ = generate_market(7)
    assert list(loaded) == ["QQQ", "^RUT"]
    for ticker, values in loaded.items():
        assert values.name == ticker and values.index.name == "date"
        pd.testing.assert_series_equal(values, prices[ticker], check_exact=True)


def test_load_prices_names_every_unknown_ticker() -> None:
    with pytest.raises(DataError) as caught:
        SampleSource().load_prices(["SPY", "XYZ"])
    message = str(caught.value)
    assert "ticker 'XYZ' is not in the synthetic sample market" in message
    assert "(it has: SPY, IWM" in message
    with pytest.raises(DataError, match="'AAA', 'BBB'"):
        SampleSource().load_prices(["AAA", "BBB"])


def test_load_series_returns_observations_and_rejects_unknown_ids() -> None:
    loaded = SampleSource().load_series(["DGS2", "USREC"])
    assert list(loaded) == ["DGS2", "USREC"]
    with pytest.raises(DataError, match="'NOPE' is not in the synthetic sample market"):
        SampleSource().load_series(["DGS2", "NOPE"])


def test_bad_arguments_are_user_errors() -> None:
    with pytest.raises(DataError, match="seed"):
        SampleSource(seed=-1)
    with pytest.raises(DataError, match="start"):
        SampleSource(start="not a date")
    with pytest.raises(DataError, match="after end"):
        generate_market(7, "2020-01-01", "2019-01-01")


def test_a_shorter_range_works() -> None:
    prices, series = generate_market(5, "2015-06-01", "2018-06-30")
    assert prices.index[0] >= pd.Timestamp("2015-06-01") and prices.index[-1] <= pd.Timestamp("2018-06-30")
    assert series["DFEDTAR"].empty and not series["DFEDTARU"].empty
    assert (prices > 0).all().all()


# --------------------------------------------------------------------------- market features


def test_market_factor_has_the_intended_drift_and_volatility(market) -> None:
    _, _, returns = market
    assert 0.03 < returns["SPY"].mean() * YEAR < 0.11
    assert 0.13 < returns["SPY"].std() * np.sqrt(YEAR) < 0.19
    assert 1.1 < beta(returns["QQQ"], returns["SPY"]) < 1.3
    assert 1.1 < beta(returns["IWM"], returns["SPY"]) < 1.3


def test_thrust_days_are_occasional(market) -> None:
    _, _, returns = market
    thrusts = int((returns["^RUT"] >= 0.035).sum())
    assert 15 <= thrusts <= 60


def test_rotation_spread_days_are_rare(market) -> None:
    _, _, returns = market
    spread_days = int((returns["IWM"] - returns["QQQ"] >= 0.04).sum())
    assert 1 <= spread_days <= 40


def test_small_caps_do_better_after_thrusts(market) -> None:
    _, _, returns = market
    excess = (returns["IWM"] - 1.2 * returns["SPY"]).to_numpy()
    after = np.zeros(len(excess), dtype=bool)
    for day in np.flatnonzero((returns["^RUT"] >= 0.035).to_numpy()):
        after[day + 1 : day + 85] = True
    assert excess[after].mean() > excess[~after].mean()


def test_easing_cycles_start_after_a_year_without_cuts(market) -> None:
    _, series, _ = market
    assert len(first_cuts(series)) >= 5
    rate = policy_rate(series)
    assert rate.min() >= 0.25 - 1e-9 and (series["DFEDTARL"] >= 0).all()
    moves = rate.diff().iloc[1:]
    moves = moves[moves != 0]
    assert np.allclose(moves * 4, np.round(moves * 4))  # quarter-point steps
    assert (moves.abs() <= 0.5 + 1e-9).all()
    assert (moves > 0).sum() >= 10  # tightening cycles too


def test_recessions_follow_some_easing_cycles_but_not_all(market) -> None:
    _, series, _ = market
    spans = recession_spans(series["USREC"])
    assert 4 <= len(spans) <= 5
    assert all(6 <= length <= 18 for _, length in spans)
    cuts = first_cuts(series)
    preceded = [any(pd.Timedelta(0) <= start - cut < pd.Timedelta(days=190) for cut in cuts) for start, _ in spans]
    assert all(preceded)  # the first cut comes a few months before the recession
    no_recession = [
        cut for cut in cuts if not any(pd.Timedelta(0) <= s - cut < pd.Timedelta(days=400) for s, _ in spans)
    ]
    assert no_recession  # some easing cycles are insurance cuts


def test_stocks_are_worse_around_recessions(market) -> None:
    prices, series, returns = market
    month = returns.index.to_period("M").to_timestamp()
    in_recession = series["USREC"].reindex(month).to_numpy() == 1.0
    spy = returns["SPY"]
    assert spy[in_recession].std() > 1.15 * spy[~in_recession].std()
    months = pd.DateOffset(months=1)
    around = [
        prices["SPY"].asof(start + 6 * months) / prices["SPY"].asof(start - 3 * months) - 1
        for start, _ in recession_spans(series["USREC"])
    ]
    assert np.mean(around) < 0


def test_two_year_yield_anticipates_cuts(market) -> None:
    _, series, _ = market
    both = pd.concat([series["DGS2"], series["DFF"]], axis=1, join="inner")
    gap = both["DGS2"] - both["DFF"]
    assert (gap < 0).any() and (gap > 0).any()
    before = [gap[cut - pd.DateOffset(months=6) : cut].mean() for cut in first_cuts(series)]
    assert np.mean(np.array(before) < 0) > 0.5  # the policy curve inverts ahead of most easing cycles
    assert (series["DGS10"] < series["DGS2"]).any()  # the term spread can invert too


def test_financials_and_tech_drift_up_in_election_windows(market) -> None:
    _, _, returns = market
    # the calendar module's window, which test_calendar checks against the real election dates
    election_window = presidential_window(returns.index, "calendar").to_numpy()
    gaps = []
    for ticker in ("XLF", "XLK"):
        excess = returns[ticker] - beta(returns[ticker], returns["SPY"]) * returns["SPY"]
        gaps.append(excess[election_window].mean() - excess[~election_window].mean())
    assert np.mean(gaps) > 0
