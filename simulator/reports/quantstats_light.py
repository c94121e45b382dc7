"""quantstats for the tearsheet workers, without its matplotlib charts or yfinance: what their forkserver preloads.

quantstats' package imports its plotting module, and with it matplotlib's
pyplot and seaborn (a quarter of its import time, 30 MB). rotsim draws the charts
itself (:mod:`.svg.quantstats_charts`), so a worker process takes rotsim's
charts as ``quantstats.plots`` before quantstats is first imported there, and
matplotlib and seaborn are never imported. quantstats also imports yfinance
(a tenth of its import time, with bs4, curl_cffi and peewee) only to download a
benchmark given as a ticker; rotsim always gives it the benchmark's returns, so
the workers take a stand-in whose download raises (:data:`NO_DOWNLOADS`). Only
where nothing has imported quantstats (or yfinance) yet: a process that has the
real modules keeps them (rotsim swaps its charts in while it writes a page, the
same functions).
"""

from __future__ import annotations

import sys
import types
from typing import Any, NoReturn

from .svg.quantstats_charts import CHARTS

__all__ = ["NO_DOWNLOADS", "PLOTS", "YFINANCE"]

PLOTS = "quantstats.plots"
YFINANCE = "yfinance"
NO_DOWNLOADS = "rotsim's tearsheet workers download nothing: quantstats was asked to download with yfinance"


def _download(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError(NO_DOWNLOADS)


if "quantstats" not in sys.modules:
    if PLOTS not in sys.modules:
        charts = types.ModuleType(PLOTS, "rotsim's charts in place of quantstats' (simulator.reports.quantstats_light)")
        charts.__dict__.update(CHARTS)
        sys.modules[PLOTS] = charts
    if YFINANCE not in sys.modules:
        # quantstats calls yfinance.download only (and looks for set_config before it): nothing else to stand in for
        stand_in = types.ModuleType(YFINANCE, "a stand-in without downloads (simulator.reports.quantstats_light)")
        stand_in.__dict__["download"] = _download
        sys.modules[YFINANCE] = stand_in

import quantstats  # noqa: E402, F401 - the import the workers are forked after
