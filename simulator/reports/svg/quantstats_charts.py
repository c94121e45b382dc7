"""quantstats' report drawn by rotsim: its plotting functions swapped for :mod:`.time_charts`' and
:mod:`.period_charts`' while a report is written, so its page, tables and metrics stay quantstats' own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .._swap import swapped
from . import period_charts, time_charts

__all__ = ["CHARTS", "drawn_by_rotsim"]

# quantstats.plots' function -> rotsim's, for every chart quantstats' html report draws
CHARTS: dict[str, Callable[..., Any]] = {
    "returns": time_charts.returns,
    "log_returns": time_charts.log_returns,
    "daily_returns": time_charts.daily_returns,
    "drawdown": time_charts.drawdown,
    "drawdowns_periods": time_charts.drawdowns_periods,
    "rolling_beta": time_charts.rolling_beta,
    "rolling_volatility": time_charts.rolling_volatility,
    "rolling_sharpe": time_charts.rolling_sharpe,
    "rolling_sortino": time_charts.rolling_sortino,
    "yearly_returns": period_charts.yearly_returns,
    "histogram": period_charts.histogram,
    "monthly_heatmap": period_charts.monthly_heatmap,
    "distribution": period_charts.distribution,
}


@contextmanager
def drawn_by_rotsim() -> Iterator[None]:
    """Within: each chart quantstats' report draws is drawn by rotsim (SVG text, no matplotlib)."""
    from quantstats import plots

    with swapped({(plots, name): chart for name, chart in CHARTS.items()}):
        yield
