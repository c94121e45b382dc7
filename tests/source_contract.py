"""What a data Source must do, checked by calling it (``isinstance`` with the Protocol checks method names only)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from simulator.data.sources import Source

UNKNOWN_TICKER, UNKNOWN_SERIES = "NOPE_TICKER", "NOPE_SERIES"


def assert_behaves_as_source(
    source: Source, tickers: Sequence[str], series: Sequence[str], names_unknowns: bool = True
) -> tuple[dict[str, pd.Series], dict[str, pd.Series]]:
    """Call every part of the ``Source`` contract and check what comes back; returns (prices, series).

    ``tickers`` and ``series`` are names the source has; the first ticker serves as a benchmark.
    ``names_unknowns``: ``missing`` names what the source lacks (False: a source that downloads
    cannot know without trying, and names nothing).
    """
    from simulator.data.market.alignment import build_market

    assert isinstance(source.name, str) and source.name
    assert isinstance(source.synthetic, bool)
    asked = ([*tickers, UNKNOWN_TICKER], [*series, UNKNOWN_SERIES])
    assert source.missing(*asked) == ([UNKNOWN_TICKER, UNKNOWN_SERIES] if names_unknowns else [])
    prices = source.load_prices(list(tickers))
    observations = source.load_series(list(series))
    for wanted, got in ((tickers, prices), (series, observations)):
        assert list(got) == list(wanted)
        for key, s in got.items():
            assert s.name == key and s.index.name == "date", key
            assert isinstance(s.index, pd.DatetimeIndex) and s.index.is_monotonic_increasing and s.index.is_unique, key
            assert s.dtype == np.float64 and len(s) > 20 and s.notna().all(), key  # missing observations dropped
    assert all((p > 0).all() for p in prices.values())
    market = build_market(source, list(tickers[1:]), tickers[0])  # the consumer of every source
    bench = prices[tickers[0]]
    on_market = market.prices[tickers[0]].loc[bench.index[0] :]  # the benchmark's days from its first
    assert (on_market.index == bench.index).all() and (on_market.to_numpy() == bench.to_numpy()).all()
    return prices, observations
