"""rotsim: test market-rotation claims as strategies on history.

The names a strategy plugin needs are exported here; everything else is
internal (``simulator.testing`` holds the checks for plugin authors' tests). Attributes load on first use (PEP 562) so that ``rotsim --help``
does not pay for pandas, pydantic, vectorbt or quantstats.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import ConfigError, DataError, StrategyError, UserError
    from .plugins import Param, SeriesSpec, Strategy, StrategyInput, hookimpl, strategy

_EXPORTS = {
    "ConfigError": ".errors",
    "DataError": ".errors",
    "StrategyError": ".errors",
    "UserError": ".errors",
    "Param": ".plugins",
    "SeriesSpec": ".plugins",
    "Strategy": ".plugins",
    "StrategyInput": ".plugins",
    "hookimpl": ".plugins",
    "strategy": ".plugins",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
