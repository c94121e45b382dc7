"""Run target-weight books through vectorbt's simulation, all in one vectorised call.

Each book is one column group with its own cash. Every book starts at the
close of the run's first day with its initial cash: a target decided on an
earlier close (the warm-up) is bought at that first close, and from then on
targets trade ``lag`` bars after the close that decided them.

The benchmark is not traded: ``buy_and_hold`` gives it exactly its ticker's
total return, no lag and no costs, which is what a user compares against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast, final

import numpy as np
import pandas as pd

from .kernels import simulate_target_percent
from .metrics import PERIODS
from .schedule import lagged_targets, rebalance_mask

# Cash earns interest by a change of numeraire, not by an asset: every price is
# divided by the cash index (1 + daily rate, compounded from the first close), so
# uninvested cash, which earns nothing in vectorbt, earns the rate once values are
# multiplied back. Fees and slippage are proportional, so they are the same in
# either unit, and a trade's costs come out of cash as they do without interest.
# (A cash asset ordered to its target weight left no cash for the costs: the
# last buy of a day fell short instead.)


@final
@dataclass(frozen=True)
class EngineParams:
    """How the engine trades, as plain values (the pipeline makes them from the config's ``engine``).

    - ``initial_cash``: each book's starting cash.
    - ``fees_bps``: fees per trade, basis points of value traded.
    - ``slippage_bps``: slippage per trade, basis points of price.
    - ``lag``: bars between a decision at a close and its trade (1: the next close).
    - ``rebalance``: when to trade (``on_change``, ``monthly``, ``quarterly``,
      ``drift``; see ``schedule.rebalance_mask``), for books without a policy of their own.
    - ``drift_threshold``: the drift that triggers a trade under ``drift``.

    The defaults are the config's.
    """

    initial_cash: float = 100_000.0
    fees_bps: float = 0.0
    slippage_bps: float = 0.0
    lag: int = 1
    rebalance: str = "on_change"
    drift_threshold: float = 0.05


@final
@dataclass(frozen=True)
class SimResult:
    """What the engine produced for one book.

    - ``returns``: daily returns of the book's value (first bar 0).
    - ``value``: the book's value in currency.
    - ``weights``: held weights by ticker at each close (the book's tickers only).
    - ``cash``: the share of value held in cash at each close (1 - sum of ``weights``).
    - ``targets``: the executable targets after the lag (0, all cash, before the first).
    - ``orders``: one row per fill of a ticker (date, ticker, side, size, price, value, fees).
    - ``turnover``: one-way turnover per year (sum of |traded| / value, halved, per year).
    - ``exposure``: average fraction of value invested (not in cash).
    - ``first_target``: the first day a decided target could trade (the
      run's first day unless the book had no decision ``lag`` bars before
      it; in cash, earning the cash rate if any, until then), or None.
    """

    returns: pd.Series
    value: pd.Series
    weights: pd.DataFrame
    cash: pd.Series
    targets: pd.DataFrame
    orders: pd.DataFrame
    turnover: float
    exposure: float
    first_target: pd.Timestamp | None = None


ORDER_COLUMNS = ("date", "ticker", "side", "size", "price", "value", "fees")


def buy_and_hold(close: pd.Series, start: pd.Timestamp, end: pd.Timestamp, initial_cash: float) -> SimResult:
    """A book that is 100% ``close``'s ticker from the first close: its total return, no lag, no costs.

    Requires: adjusted closes with a price on every day from ``start`` to
    ``end``. Sets: returns equal to the closes' day-on-day change (0 on the
    first day, when every book starts), no trades.
    """
    span = close.loc[start:end].astype(float)
    ticker = str(close.name)
    returns = span.pct_change(fill_method=None).fillna(0.0)
    weights = pd.DataFrame({ticker: 1.0}, index=span.index)
    return SimResult(
        returns=returns,
        value=initial_cash * span / span.iloc[0],
        weights=weights,
        cash=pd.Series(0.0, index=span.index),
        targets=weights,
        orders=pd.DataFrame({c: pd.Series(dtype=float) for c in ORDER_COLUMNS}),
        turnover=0.0,
        exposure=1.0,
        first_target=span.index[0],
    )


def simulate(
    books: Mapping[str, pd.DataFrame],
    prices: pd.DataFrame,
    params: EngineParams,
    start: pd.Timestamp,
    end: pd.Timestamp,
    cash_returns: pd.Series | None = None,
    rebalance: Mapping[str, str] | None = None,
) -> dict[str, SimResult]:
    """Simulate each book of target weights (dates x tickers) from ``start`` to ``end``.

    Requires weights on the same dates as ``prices`` (the full history, so the
    lag can reach back before ``start``; NaN before a book's first decision).
    ``cash_returns`` (daily, aligned to ``prices``) makes uninvested cash earn
    that rate from the first close on (cash held at the close of t earns
    ``cash_returns`` at t+1); trades' costs are paid from cash either way.
    ``rebalance`` overrides ``params.rebalance`` by book.
    """
    span = prices.loc[start:end]
    # the cash index, 1 at the first close: prices in its units make idle cash earn the rate
    growth = pd.Series(0.0, index=span.index)
    if cash_returns is not None:
        growth = cash_returns.reindex(span.index).fillna(0.0)
        growth.iloc[0] = 0.0  # cash bought at the first close earns from the next day
    index = (1.0 + growth).cumprod()
    span = span.div(index, axis=0)
    closes, sizes, lens, targets, firsts = [], [], [], {}, {}
    for label, weights in books.items():
        tickers = [c for c in weights.columns if (weights[c] != 0).any()] or list(weights.columns[:1])
        w = lagged_targets(weights[tickers], params.lag).loc[start:end]
        ready = w.notna().all(axis=1).to_numpy()
        firsts[label] = w.index[int(ready.argmax())] if ready.any() else None
        w = w.fillna(0.0)  # before its first decision a book holds cash
        w.attrs = {}  # a strategy's signal rides in attrs; pandas would compare them across books
        targets[label] = w
        close = span[tickers]
        policy = (rebalance or {}).get(label, params.rebalance)
        mask = rebalance_mask(w, close, policy, params.drift_threshold, params.lag)
        size = w.where(pd.Series(mask, index=w.index), np.nan, axis=0)
        columns = pd.MultiIndex.from_tuples([(label, t) for t in tickers])  # book first: tickers may repeat
        closes.append(close.set_axis(columns, axis=1))
        sizes.append(size.set_axis(columns, axis=1))
        lens.append(len(tickers))  # each book's columns, consecutive

    close_all = pd.concat(closes, axis=1)
    labels = list(books)
    sim = simulate_target_percent(
        close_all,
        pd.concat(sizes, axis=1).to_numpy(dtype=float),
        np.array(lens),
        params.initial_cash,
        params.fees_bps / 1e4,
        params.slippage_bps / 1e4,
    )
    values = pd.DataFrame(sim.value, index=span.index, columns=labels).mul(index, axis=0)
    rets = (1.0 + pd.DataFrame(sim.returns, index=span.index, columns=labels)).mul(1.0 + growth, axis=0) - 1.0
    asset_values = pd.DataFrame(sim.asset_value, index=span.index, columns=close_all.columns)
    orders = _orders(sim.orders, close_all.columns, span.index, index)
    out = {}
    for label in books:
        value = values[label]
        # the book's columns under its label (a frame; pandas-stubs says Series); both in cash-index units
        weights = cast(pd.DataFrame, asset_values[label]).div(value / index, axis=0)
        invested = weights.sum(axis=1)
        book_orders = orders[orders["book"] == label].drop(columns="book").reset_index(drop=True)
        out[label] = SimResult(
            returns=rets[label].rename(label),
            value=value.rename(label),
            weights=weights,
            cash=(1.0 - invested).rename("cash"),
            targets=targets[label],
            orders=book_orders,
            turnover=turnover(book_orders, value),
            exposure=float(invested.mean()),
            first_target=firsts[label],
        )
    return out


def _orders(rec: np.ndarray, cols: pd.Index, dates: pd.Index, index: pd.Series) -> pd.DataFrame:
    # vectorbt's prices and fees are in cash-index units; back to currency at each fill's date
    scale = index.to_numpy()[rec["idx"]]
    size = rec["size"]
    price = rec["price"] * scale
    frame = pd.DataFrame(
        {
            "book": cols.get_level_values(0)[rec["col"]],
            "date": dates[rec["idx"]],
            "ticker": cols.get_level_values(1)[rec["col"]],
            "side": np.where(rec["side"] == 0, "buy", "sell"),
            "size": size,
            "price": price,
            "value": size * price,
            "fees": rec["fees"] * scale,
        }
    )
    return frame.sort_values(["book", "date", "side", "ticker"], kind="stable").reset_index(drop=True)


def turnover(orders: pd.DataFrame, value: pd.Series, skip_first_day: bool = True) -> float:
    """One-way turnover per year of a book over the dates of ``value``.

    Requires ``orders`` with columns date, ticker, value (one row per fill,
    dates within ``value``'s; tickers only, no cash-asset fills) and ``value``,
    the book's value at each close. Fills of the first day put the starting
    cash to work, as the benchmark does without trading: they are not turnover
    (``skip_first_day``; a span that starts mid-run counts them).
    """
    traded = orders.groupby("date")["value"].sum()
    if skip_first_day:
        traded = traded[traded.index != value.index[0]]
    if traded.empty:
        return 0.0
    frac = traded / value.reindex(traded.index)
    years = len(value) / PERIODS
    return float(frac.sum() / 2.0 / years)
