"""quantstats' charts over time, drawn as SVG: each takes the arguments and the data of quantstats' function of the name.

Each computes its series with the quantstats functions its namesake in
``quantstats.plots`` calls (``stats.compsum``, ``stats.rolling_greeks``,
``stats.to_drawdown_series``, ...), or, for the rolling Sortino ratio, an
equivalent without a Python call per day (:func:`rolling_sortino_values`,
checked equal to quantstats' by the tests); titles, series, reference lines
and legends are quantstats'.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .draw import COLORS, Line, Ref, columns, save, time_chart

__all__ = [
    "cumulative",
    "daily_returns",
    "drawdown",
    "drawdowns_periods",
    "log_returns",
    "returns",
    "rolling_beta",
    "rolling_beta_values",
    "rolling_sharpe",
    "rolling_sortino",
    "rolling_sortino_values",
    "rolling_volatility",
]

_ZERO = Ref(0.0)


def cumulative(
    returns: pd.Series | pd.DataFrame, benchmark: pd.Series | None, match_volatility: bool, compound: bool
) -> tuple[pd.Series | pd.DataFrame, pd.Series | None]:
    """What quantstats' cumulative returns chart plots (``plot_timeseries``): compounded (or summed) returns."""
    from quantstats import stats

    returns = returns.fillna(0)
    if benchmark is not None:
        benchmark = benchmark.fillna(0)
        if match_volatility:
            returns = (returns / returns.std()) * benchmark.std()
    if compound:
        return stats.compsum(returns), None if benchmark is None else pd.Series(stats.compsum(benchmark))
    return returns.cumsum(), None if benchmark is None else benchmark.cumsum()


def _growth(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any,
    figsize: tuple[float, float],
    match_volatility: bool,
    compound: bool,
    log: bool,
) -> str:
    from quantstats import utils

    title = "Cumulative Returns" if compound else "Returns"
    if benchmark is not None:
        benchmark = utils._prepare_benchmark(benchmark, returns.index)
        title += " vs Benchmark"
    extra = [s for s in ("Log Scaled" if log else "", "Volatility Matched" if match_volatility else "") if s]
    if extra:
        title += f" ({', '.join(extra)})"
    ours, theirs = cumulative(returns, benchmark, match_volatility, compound)
    lines = [] if theirs is None else [Line(str(theirs.name), theirs, COLORS[0])]
    lines += [Line(name, s, COLORS[1 + i]) for i, (name, s) in enumerate(columns(ours))]
    return time_chart(title, figsize, lines, [_ZERO], legend=len(lines) > 1, kind="log1p" if log else "linear")


def returns(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any = None,
    figsize: tuple[float, float] = (10, 6),
    match_volatility: bool = False,
    compound: bool = True,
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.returns``: cumulative returns against the benchmark's (volatility matched, if asked)."""
    save(_growth(returns, benchmark, figsize, match_volatility, compound, log=False), savefig)


def log_returns(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any = None,
    figsize: tuple[float, float] = (10, 5),
    match_volatility: bool = False,
    compound: bool = True,
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.log_returns``, on a log scale of growth (1 + cumulative return): readable over a century."""
    save(_growth(returns, benchmark, figsize, match_volatility, compound, log=True), savefig)


def daily_returns(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any = None,
    figsize: tuple[float, float] = (10, 4),
    savefig: Any = None,
    active: bool = False,
    **_: Any,
) -> None:
    """quantstats' ``plots.daily_returns``: the running sum of daily returns, summed by calendar day as quantstats does."""
    from quantstats import _compat

    summed = _compat.safe_resample(returns.fillna(0).cumsum(), "D", "sum")
    title = ("Daily Active Returns" if active else "Daily Returns") + " (Cumulative Sum)"
    lines = [Line(name, s, COLORS[1 + i], width=0.75) for i, (name, s) in enumerate(columns(summed))]
    save(time_chart(title, figsize, lines, [_ZERO], legend=len(lines) > 1), savefig)


def drawdown(
    returns: pd.Series | pd.DataFrame, figsize: tuple[float, float] = (10, 5), savefig: Any = None, **_: Any
) -> None:
    """quantstats' ``plots.drawdown`` (the underwater plot): drawdown series, filled, with its average."""
    from quantstats import stats

    dd = stats.to_drawdown_series(returns)
    lines = [Line(name, s, COLORS[1 + i], width=1.0, fill=True) for i, (name, s) in enumerate(columns(dd))]
    refs = [_ZERO]
    if isinstance(dd, pd.Series):
        refs.append(Ref(float(dd.mean()), "red", "Average", 2.0))
    save(time_chart("Underwater Plot", figsize, lines, refs, legend=len(lines) > 1), savefig)


def drawdowns_periods(
    returns: pd.Series,
    periods: int = 5,
    title: str | None = None,
    figsize: tuple[float, float] = (10, 5),
    compounded: bool = True,
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.drawdowns_periods``: growth, with its ``periods`` longest drawdowns shaded."""
    from quantstats import stats

    details = stats.drawdown_details(stats.to_drawdown_series(returns.fillna(0)))
    longest = details.sort_values(by="days", ascending=False, kind="mergesort")[:periods]
    series = pd.Series(stats.compsum(returns) if compounded else returns.cumsum())
    spans = [(pd.Timestamp(s), pd.Timestamp(e)) for s, e in zip(longest["start"], longest["end"], strict=True)]
    line = Line("Backtest", series, "#348dc1")
    chart = f"{title} - Worst {periods:.0f} Drawdown Periods"
    save(time_chart(chart, figsize, [line], [_ZERO], legend=False, spans=spans), savefig)


def rolling_beta_values(returns: pd.Series, benchmark: pd.Series, window: int) -> pd.Series:
    """quantstats' ``stats.rolling_greeks(returns, benchmark, window)["beta"]``, to the last bit, a fiftieth of its time.

    quantstats takes the correlation from the pairwise rolling correlations of
    a two-column frame, unstacked; the one pair's rolling correlation is the
    same numbers.
    """
    from quantstats import utils

    returns = utils._prepare_returns(returns)
    frame = pd.DataFrame({"returns": returns, "benchmark": utils._prepare_benchmark(benchmark, returns.index)})
    frame = frame.fillna(0)
    rolling = frame.rolling(int(window))
    corr = rolling["returns"].corr(frame["benchmark"])
    std = rolling.std()
    # quantstats divides by the benchmark's deviation with 0 as NaN: where it is 0 the correlation is NaN already
    return pd.Series(corr * std["returns"] / std["benchmark"], index=returns.index, name="beta")


def rolling_beta(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any,
    window1: int = 126,
    window1_label: str = "6-Months",
    window2: int = 252,
    window2_label: str = "12-Months",
    figsize: tuple[float, float] = (10, 3),
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.rolling_beta``: beta over two windows, the first's average, quantstats' ticks."""
    from quantstats import utils

    benchmark = utils._prepare_benchmark(benchmark, returns.index)
    lines: list[Line] = []
    refs = [_ZERO]
    short = {name: rolling_beta_values(s, benchmark, window1).fillna(0) for name, s in columns(returns)}
    single = isinstance(returns, pd.Series)
    for i, (name, beta) in enumerate(short.items()):
        lines.append(Line(window1_label if single else f"{name} ({window1_label})", beta, COLORS[1 + i]))
    if window2:
        for i, (name, s) in enumerate(columns(returns)):
            beta = rolling_beta_values(s, benchmark, window2)
            if single:
                lines.append(Line(window2_label, beta, "gray", width=1.0, opacity=0.8))
            else:
                lines.append(Line(f"{name} ({window2_label})", beta, COLORS[1 + i], 1.0, "4,3", 0.5))
    low = min(float(b.min()) for b in short.values())
    high = max(float(b.max()) for b in short.values())
    mmin, mmax = min(-100, int(low * 100)), max(100, int(high * 100))
    ticks = [x / 100 for x in range(mmin, mmax, 50 if mmax - mmin >= 200 else 100)]
    if single:
        refs.append(Ref(float(next(iter(short.values())).mean()), "red", "average", 1.5))
    chart = time_chart("Rolling Beta to Benchmark", figsize, lines, refs, style="plain", y_ticks=ticks)
    save(chart, savefig)


def _rolling(
    title: str,
    ours: pd.Series | pd.DataFrame,
    theirs: pd.Series | pd.DataFrame | None,
    figsize: tuple[float, float],
    width: float,
) -> str:
    """quantstats' ``plot_rolling_stats``: each series where it and the benchmark's are both defined, their mean."""
    frame = ours.to_frame() if isinstance(ours, pd.Series) else ours
    if theirs is not None:
        frame = frame.assign(**{"\0benchmark": pd.Series(theirs[theirs.index.isin(frame.index)])})
    frame = frame.dropna()
    names = [name for name, _ in columns(ours)]
    lines = [
        Line(name, frame[c], COLORS[1 + i], width)
        for i, (name, c) in enumerate(zip(names, frame.columns, strict=False))
    ]
    if theirs is not None:
        lines.append(Line(str(theirs.name), frame["\0benchmark"], COLORS[0], width, opacity=0.8))
    refs = [_ZERO]
    if isinstance(ours, pd.Series):
        refs.append(Ref(float(ours.mean()), "red", "average", 1.5))
    return time_chart(title, figsize, lines, refs, legend=len(lines) > 1, style="plain")


def rolling_volatility(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any = None,
    period: int = 126,
    period_label: str = "6-Months",
    periods_per_year: int = 252,
    figsize: tuple[float, float] = (10, 3),
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.rolling_volatility``: annualised rolling volatility, the benchmark's, the mean."""
    from quantstats import stats, utils

    ours = stats.rolling_volatility(returns, period, periods_per_year)
    theirs = None
    if benchmark is not None:
        benchmark = utils._prepare_benchmark(benchmark, ours.index)
        theirs = stats.rolling_volatility(benchmark, period, periods_per_year, prepare_returns=False)
    save(_rolling(f"Rolling Volatility ({period_label})", ours, theirs, figsize, 1.5), savefig)


def _named(ratio: pd.Series | pd.DataFrame, returns: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """``ratio`` under the returns' name (taking the risk-free rate off loses it)."""
    if isinstance(ratio, pd.Series) and isinstance(returns, pd.Series):
        return ratio.rename(str(returns.name))
    return ratio


def rolling_sharpe(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any = None,
    rf: Any = 0.0,
    period: int = 126,
    period_label: str = "6-Months",
    periods_per_year: int = 252,
    figsize: tuple[float, float] = (10, 3),
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.rolling_sharpe``: the rolling Sharpe ratio over ``rf`` and its mean."""
    from quantstats import stats, utils

    ours = _named(stats.rolling_sharpe(returns, rf, period, True, periods_per_year), returns)
    theirs = None
    if benchmark is not None:
        benchmark = utils._prepare_benchmark(benchmark, ours.index, rf)
        theirs = stats.rolling_sharpe(benchmark, rf, period, True, periods_per_year, prepare_returns=False)
    save(_rolling(f"Rolling Sharpe ({period_label})", ours, theirs, figsize, 1.25), savefig)


def rolling_sortino_values(
    returns: pd.Series | pd.DataFrame, rf: Any = 0.0, period: int = 126, periods_per_year: int = 252
) -> pd.Series | pd.DataFrame:
    """quantstats' ``stats.rolling_sortino(returns, rf, period, True, periods_per_year)``, by rolling sums.

    quantstats sums each window's squared losses in a Python call per day;
    a rolling sum of squared losses is the same sum. A window without a loss
    sums to exactly 0 there too (pandas sums a run of one value exactly), so
    its ratio is infinite, as quantstats'.
    """
    from quantstats import utils

    excess = utils._prepare_returns(returns, rf, periods_per_year)
    downside = (excess.where(excess < 0, 0.0) ** 2).rolling(period).sum() / period
    ratio: pd.Series | pd.DataFrame = excess.rolling(period).mean() / np.sqrt(downside) * np.sqrt(periods_per_year)
    return ratio


def rolling_sortino(
    returns: pd.Series | pd.DataFrame,
    benchmark: Any = None,
    rf: Any = 0.0,
    period: int = 126,
    period_label: str = "6-Months",
    periods_per_year: int = 252,
    figsize: tuple[float, float] = (10, 3),
    savefig: Any = None,
    **_: Any,
) -> None:
    """quantstats' ``plots.rolling_sortino``: the rolling Sortino ratio over ``rf`` and its mean."""
    from quantstats import utils

    ours = _named(rolling_sortino_values(returns, rf, period, periods_per_year), returns)
    theirs = None
    if benchmark is not None:
        benchmark = utils._prepare_benchmark(benchmark, ours.index, rf)
        theirs = rolling_sortino_values(benchmark, 0.0, period, periods_per_year)
    save(_rolling(f"Rolling Sortino ({period_label})", ours, theirs, figsize, 1.25), savefig)
