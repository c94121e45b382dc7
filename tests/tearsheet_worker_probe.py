"""What a tearsheet worker process has imported, and a tearsheet and a download there (test_quantstats_light).

Sent to a worker of rotsim's own tearsheet pool, so it imports nothing at the
top: unpickling it there imports this module first, and a module that
imported pandas or quantstats would change what the worker is found to hold.
"""

from __future__ import annotations

__all__ = ["HEAVY", "in_a_worker"]

# quantstats' charts and yfinance's downloads pull these in; a worker needs neither
HEAVY = ("matplotlib", "seaborn", "bs4", "curl_cffi", "peewee")


def in_a_worker(page: str) -> tuple[list[str], list[str], str]:
    """In the process it runs in: the ``HEAVY`` modules and yfinance's own submodules imported, then what a download raised.

    Requires: nothing else run in the process before it but what the pool's
    worker starts with. Imports what the workers' forkserver preloads
    (already there where there is one), then writes a tearsheet of random
    returns to ``page`` and asks quantstats for a download.
    """
    import sys
    from pathlib import Path

    import numpy as np
    import pandas as pd

    import simulator.reports.quantstats_light  # noqa: F401 - the forkserver's preload (spawned workers import it here)
    from simulator.reports.tearsheet import write_tearsheet

    heavy = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
    real = [m for m in sys.modules if m.startswith("yfinance.")]
    idx = pd.bdate_range("2018-01-01", periods=300)
    rng = np.random.default_rng(3)
    bench = pd.Series(rng.normal(0.0003, 0.01, len(idx)), index=idx)
    write_tearsheet(bench * 1.2 + 0.0001, bench, Path(page), "t", "A", "SPY")
    import quantstats as qs

    try:
        qs.utils.download_returns("SPY")
    except RuntimeError as exc:
        return heavy, real, str(exc)
    return heavy, real, "no error"
