"""Independent numpy references the tests compare rotsim's engine and run against.

Written out in plain numpy/pandas from the definitions in the README, not
through rotsim's code: a book's bookkeeping trade by trade, and the cash rate
as a daily return from a series quoted in percent a year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

YEAR = 252  # trading days a year (the README's convention)


def reference_returns(
    prices: pd.DataFrame,
    weights: pd.DataFrame,
    lag: int,
    trade_days: np.ndarray,
    fees: float = 0.0,
    slippage: float = 0.0,
    cash_rate: pd.Series | None = None,
) -> pd.Series:
    """Daily returns of ``reference_book`` (the first day 0)."""
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

    Returns the value (starting from cash 1 before the first close) and the
    held weights (days x tickers) at each close. A trade of n shares at close
    p costs n p (1 + slippage) (1 + fees) (a buy) or brings n p (1 - slippage)
    (1 - fees) (a sell); cash earns ``cash_rate`` (daily) from the second day.
    Requires weights leaving enough cash for the costs.
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


def known_rate(rate: pd.Series, calendar: pd.DatetimeIndex) -> pd.Series:
    """A daily rate series (posted the next business day) as known at each close of ``calendar``.

    The latest value observed on or before the business day before each close; NaN before any.
    """
    obs = rate.dropna()
    known_on = obs.index + pd.offsets.BDay(1)
    at = np.searchsorted(known_on.to_numpy(), calendar.to_numpy(), side="right") - 1  # latest known by each close
    return pd.Series(np.where(at >= 0, obs.to_numpy()[at.clip(0)], np.nan), index=calendar)


def daily_rf(rate: pd.Series, calendar: pd.DatetimeIndex, days: pd.DatetimeIndex) -> pd.Series:
    """A daily rate series in percent a year as cash's daily return over each of ``days``.

    The value known at a close of ``calendar`` (``known_rate``), turned into
    the daily return that compounds to it over a year, is earned over the
    next trading day of ``calendar``.
    """
    daily = (1 + known_rate(rate, calendar) / 100) ** (1 / YEAR) - 1
    return daily.shift(1).reindex(days)
