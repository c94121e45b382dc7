"""A local strategy plugin file (named in a config's ``plugins:``) whose weights a test decides in full.

- ``windowed``: ``small_on`` in small caps (the rest large caps) on the days inside
  its ``windows`` (``[first, last]`` ISO dates, both included), ``small_off`` on the
  others; its signal is on inside them. The test that picks the windows knows
  every target and every signal day without asking rotsim.
- ``late_fault``: 100% large caps up to the day before ``from_day``, then the
  weights fault named by ``fault`` (one of ``FAULTS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

FILE = "fakes_plugin.py"
FAULTS = ("negative", "nan", "inf", "over_one", "text", "extra_column", "dates", "signal_dates")

PLUGIN = '''
import numpy as np
import pandas as pd
from simulator import hookimpl, strategy


def _inside(index, windows):
    on = np.zeros(len(index), dtype=bool)
    for first, last in windows:
        on |= (index >= pd.Timestamp(first)) & (index <= pd.Timestamp(last))
    return pd.Series(on, index=index)


@strategy(roles=("large_cap", "small_cap"))
def windowed(data, windows: list[list[str]] = [], small_on: float = 1.0, small_off: float = 0.0):
    """Small caps inside the windows, large caps outside; the signal is on inside."""
    on = _inside(data.index, windows)
    small = np.where(on, small_on, small_off)
    out = pd.DataFrame({"large_cap": 1.0 - small, "small_cap": small}, index=data.index)
    out.attrs["signal"] = on
    return out


@strategy(roles=("large_cap",))
def late_fault(data, fault: str = "negative", from_day: str = "2100-01-01"):
    """All large caps; from ``from_day`` on, weights with the fault ``fault``."""
    w = pd.DataFrame({"large_cap": 1.0}, index=data.index)
    late = data.index >= pd.Timestamp(from_day)
    if fault == "negative":
        w.loc[late, "large_cap"] = -0.5
    elif fault == "nan":
        w.loc[late, "large_cap"] = np.nan
    elif fault == "inf":
        w.loc[late, "large_cap"] = np.inf
    elif fault == "over_one":
        w.loc[late, "large_cap"] = 1.5
    elif fault == "text":
        w = w.astype(object)
        w.loc[late, "large_cap"] = "1.0"
    elif fault == "extra_column":
        w["gold"] = np.where(late, 0.2, 0.0)
    elif fault == "dates":  # the later rows numbered instead of dated
        w.index = pd.Index([*data.index[~late], *range(int(late.sum()))])
    elif fault == "signal_dates":  # a signal that stops where the fault starts
        w.attrs["signal"] = pd.Series(True, index=data.index[~late])
    else:
        raise ValueError(fault)
    return w


@hookimpl
def register_strategies(register):
    register(windowed)
    register(late_fault)
'''


def inside(days: pd.DatetimeIndex, windows: Sequence[tuple[str, str]]) -> pd.Series:
    """True on the days within any of ``windows`` (first and last day included): ``windowed``'s signal, by the test's rule."""
    on = np.zeros(len(days), dtype=bool)
    for first, last in windows:
        on |= (days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))
    return pd.Series(on, index=days)


def write_plugin(folder: Path) -> str:
    """Write the plugin file into ``folder`` (beside the config); the name to put under ``plugins:``."""
    (folder / FILE).write_text(PLUGIN)
    return FILE
