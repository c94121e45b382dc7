"""The plugin contract: everything a strategy plugin touches, and the one place it imports from.

    from simulator.contract import Param, StrategyInput, hookimpl, signals, strategy

- ``strategy``, ``Strategy``, ``StrategyInput``: a weights function and the
  data it sees; ``Strategy``'s docstring is the weights contract.
- ``Param``, ``ParamInfo``: a parameter's help and bounds, and how
  ``rotsim strategies`` shows it.
- ``SeriesSpec``: a macro series a strategy defines itself.
- ``check_weights`` (and its clauses in ``simulator.contract.checks``): the
  check every run applies to a strategy's output.
- ``hookimpl`` and ``hookspecs``: the extension points, one stub each.
- ``signals``: helpers the built-in strategies are made of.
- ``StrategyError`` (a ``UserError``): what a strategy that fails raises.

This folder imports nothing else of rotsim: the rest of rotsim imports it.
The modules with a leading underscore are private; ``checks``, ``hookspecs``,
``signals`` and ``type_words`` are public.

The errors load with the package, every other name on first use (PEP 562):
``simulator.errors`` imports the errors from here, and a command that stops
on a bad argument or config (``rotsim validate`` on a config with a typo)
need not import pandas, which ``signals`` and the strategy classes need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._errors import StrategyError, UserError

if TYPE_CHECKING:
    # "X as X": an explicit re-export (PEP 484), one a line, for type checkers
    from . import hookspecs as hookspecs
    from . import signals as signals
    from ._params import Param as Param
    from ._params import ParamInfo as ParamInfo
    from ._series import SeriesSpec as SeriesSpec
    from ._strategy import Strategy as Strategy
    from ._strategy import StrategyInput as StrategyInput
    from ._strategy import strategy as strategy
    from .checks import check_weights as check_weights
    from .hookspecs import hookimpl as hookimpl

# name -> the module that defines it (a module of this folder is its own entry)
_LAZY = {
    "Param": "._params",
    "ParamInfo": "._params",
    "SeriesSpec": "._series",
    "Strategy": "._strategy",
    "StrategyInput": "._strategy",
    "check_weights": ".checks",
    "hookimpl": ".hookspecs",
    "hookspecs": ".hookspecs",
    "signals": ".signals",
    "strategy": "._strategy",
}

__all__ = [
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
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(_LAZY[name], __name__)
    value = module if module.__name__ == f"{__name__}.{name}" else getattr(module, name)
    globals()[name] = value  # found once: the next lookup does not come here
    return value
