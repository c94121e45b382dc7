"""One chunk of variants: each variant's weights from its strategy, then the engine and the metrics for all at once.

A worker (a local process or a Dask worker) holds one ``SweepData``, the
same for every chunk, and is handed chunks: variant ids and their params.
The strategy is called once per variant (its code is the plugin's, and
cannot be vectorised from outside); folding its roles into tickers, the
engine and the metrics are done for the whole chunk together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, final

import numpy as np
import pandas as pd

from ..contract import Strategy, StrategyInput
from ..engine.many import Book, simulate_many
from ..engine.metrics import COLUMNS
from ..engine.metrics_many import performance_many
from ..engine.simulate import EngineParams

__all__ = ["Chunk", "ChunkResult", "SweepData", "run_chunk"]


@final
@dataclass(frozen=True)
class SweepData:
    """What every chunk of a sweep needs, sent to each worker once.

    - ``strategy``, ``inputs``: the strategy and what it reads (``MarketData.input_for``).
    - ``tickers``: role -> ticker of the traded roles (as the run's plan maps them).
    - ``prices``: the closes of those tickers over the whole history the engine sees.
    - ``engine``, ``policy``, ``start``, ``end``, ``cash_returns``: as ``simulate`` takes them.
    - ``benchmark``, ``rf``: daily returns over the span, for the metrics.
    """

    strategy: Strategy
    inputs: StrategyInput
    tickers: Mapping[str, str]
    prices: pd.DataFrame
    engine: EngineParams
    policy: str
    start: pd.Timestamp
    end: pd.Timestamp
    cash_returns: pd.Series | None
    benchmark: pd.Series
    rf: pd.Series | None


@final
@dataclass(frozen=True)
class Chunk:
    """Variants to run together: chunk ``number`` (from 1), their ids and full params."""

    number: int
    ids: tuple[str, ...]
    params: tuple[Mapping[str, Any], ...]


@final
@dataclass(frozen=True)
class ChunkResult:
    """A chunk's daily returns (dates x variant ids) and metrics (variant ids x ``COLUMNS``)."""

    number: int
    returns: pd.DataFrame
    metrics: pd.DataFrame


def run_chunk(data: SweepData, chunk: Chunk) -> ChunkResult:
    """Run each variant of ``chunk``: the strategy's weights, the engine, the metrics of ``metrics.csv``."""
    offset = len(data.prices.index) - len(data.inputs.index)  # the strategy's input starts later or with the prices
    books = [_book(data, params, offset) for params in chunk.params]
    sim = simulate_many(books, data.prices, data.engine, data.start, data.end, data.cash_returns, data.policy)
    figures = performance_many(sim.returns, sim.dates, data.benchmark, data.rf)
    figures |= {"turnover": sim.turnover, "exposure": sim.exposure}
    metrics = pd.DataFrame({c: figures[c] for c in COLUMNS}, index=pd.Index(chunk.ids, name="variant"))
    returns = pd.DataFrame(sim.returns, index=sim.dates, columns=pd.Index(chunk.ids, name="variant"))
    returns.index.name = "date"
    return ChunkResult(chunk.number, returns, metrics)


def _book(data: SweepData, params: Mapping[str, Any], offset: int) -> Book:
    """The variant's target weights by ticker on the prices' dates, as the run's ``by_ticker`` and reindex make them."""
    weights = data.strategy.weights(data.inputs, params)
    tickers: list[str] = []
    columns: dict[str, np.ndarray] = {}
    for role in weights.columns:
        ticker = data.tickers[str(role)]
        values = weights[role].to_numpy(dtype=float)
        if ticker in columns:
            columns[ticker] = columns[ticker] + values  # two roles on one ticker add up, in column order
        else:
            tickers.append(ticker)
            columns[ticker] = values
    full = np.full((len(data.prices.index), len(tickers)), np.nan)
    for j, ticker in enumerate(tickers):
        full[offset:, j] = columns[ticker]
    return tuple(tickers), full


def chunks(ids: Sequence[str], params: Sequence[Mapping[str, Any]], size: int) -> list[Chunk]:
    """``ids`` and their ``params`` cut into chunks of ``size`` variants, numbered from 1."""
    return [
        Chunk(k // size + 1, tuple(ids[k : k + size]), tuple(params[k : k + size])) for k in range(0, len(ids), size)
    ]
