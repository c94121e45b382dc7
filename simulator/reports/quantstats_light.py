"""quantstats for the tearsheet workers, without its matplotlib charts: what their forkserver preloads.

quantstats' package imports its plotting module, and with it matplotlib's
pyplot and seaborn (a quarter of its import time, 30 MB). rotsim draws the charts
itself (:mod:`.svg.quantstats_charts`), so a worker process takes rotsim's
charts as ``quantstats.plots`` before quantstats is first imported there, and
matplotlib and seaborn are never imported. Only where nothing has imported
quantstats yet: a process that has its real plotting module keeps it (rotsim
swaps its charts in while it writes a page, the same functions).
"""

from __future__ import annotations

import sys
import types

from .svg.quantstats_charts import CHARTS

__all__ = ["PLOTS"]

PLOTS = "quantstats.plots"

if "quantstats" not in sys.modules and PLOTS not in sys.modules:
    charts = types.ModuleType(PLOTS, "rotsim's charts in place of quantstats' (simulator.reports.quantstats_light)")
    charts.__dict__.update(CHARTS)
    sys.modules[PLOTS] = charts

import quantstats  # noqa: E402, F401 - the import the workers are forked after
