"""rotsim: test market-rotation claims as strategies on history.

The plugin contract (``simulator.contract``) is re-exported here, so
``from simulator import Param, StrategyInput, strategy`` keeps working; new
code imports from ``simulator.contract`` (``simulator.testing`` holds the
checks for plugin authors' tests). Attributes load on first use (PEP 562):
importing ``simulator`` imports nothing, so ``rotsim --help`` does not pay
for pandas, pydantic, vectorbt or quantstats, and ``simulator.contract``
loads no other part of rotsim.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # "X as X": an explicit re-export (PEP 484), one a line, for type checkers
    from .contract import Param as Param
    from .contract import ParamInfo as ParamInfo
    from .contract import SeriesSpec as SeriesSpec
    from .contract import Strategy as Strategy
    from .contract import StrategyError as StrategyError
    from .contract import StrategyInput as StrategyInput
    from .contract import UserError as UserError
    from .contract import check_weights as check_weights
    from .contract import hookimpl as hookimpl
    from .contract import hookspecs as hookspecs
    from .contract import signals as signals
    from .contract import strategy as strategy
    from .errors import ConfigError as ConfigError
    from .errors import DataError as DataError

_CONTRACT = (
    "Param",
    "ParamInfo",
    "SeriesSpec",
    "Strategy",
    "StrategyError",
    "StrategyInput",
    "UserError",
    "check_weights",
    "hookimpl",
    "hookspecs",
    "signals",
    "strategy",
)
# simulator.errors' own errors, kept here for code that imported them from simulator
_EXPORTS = {**dict.fromkeys(_CONTRACT, ".contract"), "ConfigError": ".errors", "DataError": ".errors"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
