"""Many books of one strategy through the engine at once: only their returns, turnover and exposure.

A parameter sweep runs hundreds of variants of one strategy on the same
prices. ``simulate`` builds a pandas frame per book and its weights, cash and
orders tables, which a sweep throws away; here each book's inputs are made
as ``simulate`` makes them (the same columns, lag, rebalance mask and cash
index, in numpy), all the books go through vectorbt's kernels in one call,
and only what the metrics need comes back. Each book is its own column group
with its own cash, so a book's numbers do not depend on the others in the
call: they are those ``simulate`` gives it run alone (the tests check it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast, final

import numpy as np
import pandas as pd

from .kernels import simulate_target_percent
from .metrics import PERIODS
from .schedule import rebalance_mask
from .simulate import EngineParams

__all__ = ["Book", "ManyResult", "simulate_many"]

# A book: its tickers, in its weights' column order, and its target weights (prices' dates x those tickers;
# NaN before its first decision), as ``simulate`` takes one in a frame.
Book = tuple[tuple[str, ...], np.ndarray]


@final
@dataclass(frozen=True)
class ManyResult:
    """What the engine gives for each book, in the order given.

    - ``returns``: daily returns (the span's dates x books), as ``SimResult.returns``.
    - ``turnover``, ``exposure``: one per book, as ``SimResult.turnover`` and ``.exposure``.
    - ``dates``: the span's dates.
    """

    returns: np.ndarray
    turnover: np.ndarray
    exposure: np.ndarray
    dates: pd.DatetimeIndex


def simulate_many(
    books: Sequence[Book],
    prices: pd.DataFrame,
    params: EngineParams,
    start: pd.Timestamp,
    end: pd.Timestamp,
    cash_returns: pd.Series | None = None,
    policy: str | None = None,
) -> ManyResult:
    """Simulate each book (see ``Book``) from ``start`` to ``end`` as ``simulate`` does, returning only figures.

    Requires each book's weights on ``prices``' dates (the full history, as
    ``simulate`` requires) and its tickers among ``prices``' columns.
    ``policy``: the rebalance policy of every book (default: ``params.rebalance``).
    """
    policy = policy or params.rebalance
    # books with the same tickers and targets (neighbouring thresholds that fire on the same days) give the
    # same figures: each is simulated once and its figures copied
    of, unique = _distinct(books)
    if len(unique) < len(books):
        once = simulate_many(unique, prices, params, start, end, cash_returns, policy)
        return ManyResult(once.returns[:, of], once.turnover[of], once.exposure[of], once.dates)
    rows = prices.index.slice_indexer(start, end)
    span_index = cast(pd.DatetimeIndex, prices.index[rows])
    growth = np.zeros(len(span_index))
    if cash_returns is not None:
        growth = cash_returns.reindex(span_index).fillna(0.0).to_numpy(dtype=float).copy()
        growth[0] = 0.0  # cash bought at the first close earns from the next day
    index = np.cumprod(1.0 + growth)
    span = prices.iloc[rows].to_numpy(dtype=float) / index[:, None]
    where = {t: i for i, t in enumerate(prices.columns)}
    closes: list[np.ndarray] = []
    sizes: list[np.ndarray] = []
    lens: list[int] = []
    names: list[str] = []
    for tickers, weights in books:
        keep = [i for i in range(len(tickers)) if (weights[:, i] != 0).any()] or [0]  # NaN counts, as in simulate
        chosen = tuple(tickers[i] for i in keep)
        w = _lagged(weights[:, keep], params.lag)[rows]
        w = np.where(np.isnan(w), 0.0, w)  # before its first decision a book holds cash
        close = span[:, [where[t] for t in chosen]]
        mask = rebalance_mask(
            pd.DataFrame(w, index=span_index),
            pd.DataFrame(close, index=span_index),
            policy,
            params.drift_threshold,
            params.lag,
        )
        closes.append(close)
        sizes.append(np.where(mask[:, None], w, np.nan))
        lens.append(len(chosen))
        names += chosen
    close_all = np.hstack(closes)
    sim = simulate_target_percent(
        pd.DataFrame(close_all),
        np.hstack(sizes),
        np.array(lens),
        params.initial_cash,
        params.fees_bps / 1e4,
        params.slippage_bps / 1e4,
    )
    values = sim.value * index[:, None]
    rets = (1.0 + sim.returns) * (1.0 + growth)[:, None] - 1.0
    bounds = np.concatenate([[0], np.cumsum(lens)])
    # the books' held weights, in cash-index units as simulate divides them
    held = sim.asset_value / np.repeat(values / index[:, None], lens, axis=1)
    invested = np.add.reduceat(held, bounds[:-1], axis=1) if len(books) else held
    exposure = np.ascontiguousarray(invested.T).mean(axis=1)  # each book's mean over its own series, as pandas takes it
    turnover = _turnover(sim.orders, bounds, np.array(names), values, index)
    return ManyResult(rets, turnover, exposure, span_index)


def _distinct(books: Sequence[Book]) -> tuple[np.ndarray, list[Book]]:
    """Each book's position among the distinct books (same tickers, same targets bit for bit), and those books.

    Books are sorted by a sample of their rows first (cheap to hash), then,
    among books with the same sample, compared bit for bit.
    """
    seen: dict[tuple[tuple[str, ...], tuple[int, ...], bytes], list[int]] = {}
    unique: list[Book] = []
    of = np.empty(len(books), dtype=np.int64)
    for k, (tickers, weights) in enumerate(books):
        key = (tickers, weights.shape, weights[::16].tobytes())
        bits = weights.view(np.int64)
        same = next((u for u in seen.get(key, []) if np.array_equal(unique[u][1].view(np.int64), bits)), None)
        if same is None:
            same = len(unique)
            unique.append((tickers, weights))
            seen.setdefault(key, []).append(same)
        of[k] = same
    return of, unique


def _lagged(weights: np.ndarray, lag: int) -> np.ndarray:
    """``lagged_targets`` in numpy: a target decided at the close of t is executable at the close of t+lag."""
    out = np.full_like(weights, np.nan)
    out[lag:] = weights[:-lag]
    return out


def _turnover(
    orders: np.ndarray, bounds: np.ndarray, names: np.ndarray, values: np.ndarray, index: np.ndarray
) -> np.ndarray:
    """``simulate.turnover`` of each book from the kernels' order records (first day's fills left out)."""
    n_books = len(bounds) - 1
    out = np.zeros(n_books)
    if not len(orders):
        return out
    book = np.searchsorted(bounds, orders["col"], side="right") - 1
    day = orders["idx"]
    value = orders["size"] * (orders["price"] * index[day])  # in currency, as simulate's orders table
    # simulate sorts a book's fills by date, side (buy before sell), ticker before summing each day's
    order = np.lexsort((names[orders["col"]], orders["side"], day, book))
    book, day, value = book[order], day[order], value[order]
    later = day != 0
    book, day, value = book[later], day[later], value[later]
    if not len(book):
        return out
    starts = np.flatnonzero(np.r_[True, (book[1:] != book[:-1]) | (day[1:] != day[:-1])])
    traded = np.add.reduceat(value, starts)
    b, d = book[starts], day[starts]
    frac = traded / values[d, b]
    years = values.shape[0] / PERIODS
    np.add.at(out, b, frac)
    return cast(np.ndarray, out / 2.0 / years)
