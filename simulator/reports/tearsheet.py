"""quantstats HTML tearsheets, imported lazily (quantstats costs seconds to import)."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pandas as pd


def write_tearsheet(
    returns: pd.Series,
    benchmark: pd.Series,
    path: Path,
    title: str,
    strategy_title: str,
    benchmark_title: str,
) -> None:
    """Write one tearsheet of ``returns`` against ``benchmark`` (both daily returns, same dates).

    The benchmark is always a Series: given a ticker string, quantstats tries
    to download it and offline silently compares against zeros.
    """
    # quantstats' matplotlib floods stderr with font warnings
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    import matplotlib

    matplotlib.use("Agg")
    import quantstats as qs

    # quantstats %-formats plot titles that contain the strategy name, so a
    # literal "%" (as in "+3.5%") crashes it; the full-width sign reads the same
    title, strategy_title, benchmark_title = (t.replace("%", "\uff05") for t in (title, strategy_title, benchmark_title))
    if not returns.index.equals(benchmark.index):
        raise ValueError("tearsheet: returns and benchmark must share dates")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qs.reports.html(
            returns.rename(title),
            benchmark=benchmark.rename(benchmark_title),
            output=str(path),
            title=title,
            strategy_title=strategy_title,
            benchmark_title=benchmark_title,
            periods_per_year=252,
            match_dates=False,  # already aligned; quantstats' own trimming would shift the start
        )
