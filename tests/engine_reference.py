"""The engine's bookkeeping written out in plain numpy: what the engine's books are checked against."""

from __future__ import annotations

import numpy as np
import pandas as pd


def reference_returns(
    prices: pd.DataFrame,
    weights: pd.DataFrame,
    lag: int,
    trade_days: np.ndarray,
    fees: float = 0.0,
    slippage: float = 0.0,
    cash_rate: pd.Series | None = None,
) -> pd.Series:
    """Daily returns of ``reference_book`` (0 on the first day)."""
    v = reference_book(prices, weights, lag, trade_days, fees, slippage, cash_rate)[0]
    return pd.Series(np.r_[0.0, v[1:] / v[:-1] - 1], index=prices.index)


def reference_book(
    prices: pd.DataFrame,
    weights: pd.DataFrame,
    lag: int,
    trade_days: np.ndarray,
    fees: float = 0.0,
    slippage: float = 0.0,
    cash_rate: pd.Series | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Plain numpy bookkeeping: trade to the lagged targets at the close of each trade day.

    Returns the value and the held weights (days x tickers) at each close.
    A trade of n shares at close p costs n p (1 + slippage) (1 + fees) (a buy) or
    brings n p (1 - slippage) (1 - fees) (a sell); cash earns ``cash_rate`` (daily)
    from the second day. Requires weights leaving enough cash for the costs.
    """
    p = prices.to_numpy()
    w = weights.shift(lag).to_numpy()
    rate = np.zeros(len(p)) if cash_rate is None else cash_rate.to_numpy()
    cash, shares = 1.0, np.zeros(p.shape[1])
    values, held = [], []
    for t in range(len(p)):
        if t > 0:
            cash *= 1.0 + rate[t]
        value = cash + shares @ p[t]
        if trade_days[t]:
            delta = w[t] * value / p[t] - shares
            buy, sell = np.clip(delta, 0, None) @ p[t], np.clip(-delta, 0, None) @ p[t]
            cash += sell * (1 - slippage) * (1 - fees) - buy * (1 + slippage) * (1 + fees)
            shares = shares + delta
        values.append(cash + shares @ p[t])
        held.append(shares * p[t] / values[-1])
    return np.array(values), np.array(held)
