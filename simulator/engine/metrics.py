"""Performance metrics from daily returns, on quantstats' conventions.

Written out in numpy so each formula can be read in one line and checked
against quantstats in the tests: 252 periods a year, sample standard
deviation, Sortino's downside deviation over all periods, risk-free 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.calendar import TRADING_DAYS

PERIODS = TRADING_DAYS

COLUMNS = {
    "cagr": "CAGR",
    "volatility": "Volatility",
    "sharpe": "Sharpe",
    "sortino": "Sortino",
    "max_drawdown": "Max drawdown",
    "calmar": "Calmar",
    "worst_year": "Worst year",
    "turnover": "Turnover/yr",
    "exposure": "Exposure",
    "beta": "Beta",
    "alpha": "Alpha",
    "information_ratio": "Info ratio",
}


def performance(returns: pd.Series, benchmark: pd.Series | None = None) -> dict[str, float]:
    """Return-based metrics; the ``benchmark`` ones (beta, alpha, IR) need both on the same dates."""
    r = returns.to_numpy(dtype=float)
    n = len(r)
    wealth = np.cumprod(1.0 + r)
    std = r.std(ddof=1)
    downside = np.sqrt(np.sum(np.minimum(r, 0.0) ** 2) / n)
    cagr = wealth[-1] ** (PERIODS / n) - 1.0
    mdd = max_drawdown(r)
    out = {
        "cagr": cagr,
        "volatility": std * np.sqrt(PERIODS),
        "sharpe": _ratio(r.mean(), std) * np.sqrt(PERIODS),
        "sortino": _ratio(r.mean(), downside) * np.sqrt(PERIODS),
        "max_drawdown": mdd,
        "calmar": _ratio(cagr, abs(mdd)),
        "worst_year": float(yearly(returns).min()),
    }
    if benchmark is not None:
        b = benchmark.reindex(returns.index).to_numpy(dtype=float)
        var_b = b.var(ddof=1)
        beta = _ratio(np.cov(r, b, ddof=1)[0, 1], var_b)
        active = r - b
        out |= {
            "beta": beta,
            "alpha": (r.mean() - beta * b.mean()) * PERIODS,
            "information_ratio": _ratio(active.mean(), active.std(ddof=1)) * np.sqrt(PERIODS),
        }
    return {k: float(v) for k, v in out.items()}


def drawdowns(returns: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Fall from the running peak of wealth at each close; wealth starts at its peak of 1."""
    wealth = (1.0 + returns).cumprod()
    return wealth / np.maximum(wealth.cummax(), 1.0) - 1.0


def max_drawdown(r: np.ndarray) -> float:
    """Deepest fall from a running peak of wealth, starting from 1 (a negative number, or 0)."""
    return float(min(0.0, drawdowns(pd.Series(r)).min()))


def yearly(returns: pd.Series) -> pd.Series:
    """Compounded return of each calendar year."""
    return (1.0 + returns).groupby(returns.index.year).prod() - 1.0


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b > 0 else float("nan")
