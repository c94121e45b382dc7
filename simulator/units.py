"""Units every room shares, defined once: the ground floor, it imports nothing.

``TRADING_DAYS``: trading days in a year, how every rate and ratio is
annualised and every annual figure made daily (quantstats' convention). The
data (the sample market, annual rates), the engine's metrics and the pages
all take it from here.
"""

from __future__ import annotations

__all__ = ["TRADING_DAYS"]

TRADING_DAYS = 252
