"""Performance metrics from daily returns, on quantstats' conventions.

Written out in numpy so each formula can be read in one line and checked
against quantstats in the tests: 252 periods a year, sample standard
deviation, Sortino's downside deviation over all periods. Sharpe and Sortino
are taken over a daily risk-free return when one is given (the run's cash
rate), else over zero; ``DEFINITIONS`` says so in words for the reports.
"""

from __future__ import annotations

from typing import cast, overload

import numpy as np
import pandas as pd

from ..units import TRADING_DAYS

PERIODS = TRADING_DAYS
TE_FLOOR = 1e-12  # daily tracking error below this is floating-point noise, not a difference

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


def performance(
    returns: pd.Series, benchmark: pd.Series | None = None, rf: pd.Series | None = None
) -> dict[str, float]:
    """Return-based metrics; the ``benchmark`` ones (beta, alpha, IR) need both on the same dates.

    ``rf``: the daily risk-free return (a missing day counts as 0); Sharpe and
    Sortino are of the returns in excess of it. None: rf = 0.
    """
    r = returns.to_numpy(dtype=float)
    excess = r - daily_rf(rf, returns.index)
    std = r.std(ddof=1)
    growth = float(cagr(r))
    mdd = max_drawdown(r)
    out = {
        "cagr": growth,
        "volatility": std * np.sqrt(PERIODS),
        "sharpe": float(sharpe(excess)),
        "sortino": float(sortino(excess)),
        "max_drawdown": mdd,
        "calmar": _ratio(growth, abs(mdd)),
        "worst_year": float(yearly(returns).min()),
    }
    if benchmark is not None:
        b = benchmark.reindex(returns.index).to_numpy(dtype=float)
        var_b = b.var(ddof=1)
        beta = _ratio(np.cov(r, b, ddof=1)[0, 1], var_b)
        active = r - b
        tracking = active.std(ddof=1)
        out |= {
            "beta": beta,
            "alpha": (r.mean() - beta * b.mean()) * PERIODS,
            # a book equal to the benchmark differs from it by rounding only: no tracking error, no ratio
            "information_ratio": _ratio(active.mean(), tracking) * np.sqrt(PERIODS) if tracking > TE_FLOOR else np.nan,
        }
    return {k: float(v) for k, v in out.items()}


def cagr(returns: np.ndarray) -> np.ndarray:
    """Compound annual growth rate of each column of daily ``returns`` (axis 0), PERIODS days a year."""
    return np.asarray(np.prod(1.0 + returns, axis=0) ** (PERIODS / returns.shape[0]) - 1.0)


def sharpe(excess: np.ndarray) -> np.ndarray:
    """Sharpe ratio of each column of daily ``excess`` returns (axis 0; a 1-D array is one column).

    Mean / standard deviation (ddof 1), x sqrt(PERIODS); NaN where the deviation is 0.
    ``performance`` and the sweep's overfitting ledger (many variants at once) share it.
    """
    return np.asarray(_ratios(excess.mean(axis=0), excess.std(axis=0, ddof=1)) * np.sqrt(PERIODS))


def sortino(excess: np.ndarray) -> np.ndarray:
    """Sortino ratio of each column of daily ``excess`` returns (axis 0), downside deviation over all days."""
    downside = np.sqrt(np.sum(np.minimum(excess, 0.0) ** 2, axis=0) / excess.shape[0])
    return np.asarray(_ratios(excess.mean(axis=0), downside) * np.sqrt(PERIODS))


def daily_rf(rf: pd.Series | None, index: pd.Index) -> np.ndarray:
    """``rf`` on ``index`` as an array, 0 where it has no value (or everywhere when None)."""
    if rf is None:
        return np.zeros(len(index))
    return rf.reindex(index).fillna(0.0).to_numpy(dtype=float)


def definitions(risk_free: str | None) -> dict[str, str]:
    """Each metric in words, as the reports state it; ``risk_free`` names the rate (None: rf = 0)."""
    over = f"over the daily risk-free return ({risk_free})" if risk_free else "over zero (rf = 0)"
    ann = f"annualised over {PERIODS} trading days"
    return {
        "cagr": f"compound annual growth rate, {PERIODS} trading days a year",
        "volatility": f"standard deviation of daily returns (ddof 1), x sqrt({PERIODS})",
        "sharpe": f"mean daily excess return {over} / its standard deviation, x sqrt({PERIODS})",
        "sortino": f"mean daily excess return {over} / downside deviation (root mean square of the "
        f"negative excess returns over all days), x sqrt({PERIODS})",
        "max_drawdown": "deepest fall of wealth from its running peak (starting at 1)",
        "calmar": "CAGR / |max drawdown|",
        "worst_year": "lowest compounded calendar-year return",
        "turnover": "one-way turnover a year: value traded / book value, summed, halved, per year "
        "(the first day's purchase of the starting position excluded)",
        "exposure": "average fraction of the book invested (not in cash)",
        "beta": "covariance of daily returns with the benchmark's / the benchmark's variance",
        "alpha": f"mean daily return - beta x the benchmark's mean daily return (rf = 0), {ann}",
        "information_ratio": f"mean daily return in excess of the benchmark / its standard deviation (tracking "
        f"error), x sqrt({PERIODS}); undefined when the tracking error is 0 (below {TE_FLOOR:g} a day)",
    }


def drawdowns(returns: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Fall from the running peak of wealth at each close; wealth starts at its peak of 1."""
    wealth = (1.0 + returns).cumprod()
    return wealth / cast(pd.Series | pd.DataFrame, np.maximum(wealth.cummax(), 1.0)) - 1.0  # a ufunc keeps the type


def max_drawdown(r: np.ndarray) -> float:
    """Deepest fall from a running peak of wealth, starting from 1 (a negative number, or 0)."""
    return float(min(0.0, cast(pd.Series, drawdowns(pd.Series(r))).min()))


@overload
def yearly(returns: pd.Series) -> pd.Series: ...
@overload
def yearly(returns: pd.DataFrame) -> pd.DataFrame: ...
def yearly(returns: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Compounded return of each calendar year (of each column, for a frame)."""
    return (1.0 + returns).groupby(cast(pd.DatetimeIndex, returns.index).year).prod() - 1.0


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b > 0 else float("nan")


def _ratios(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a / b`` element by element, NaN where ``b`` is not positive (``_ratio`` of arrays)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.asarray(np.divide(a, b, out=np.full(np.broadcast(a, b).shape, np.nan), where=b > 0))
