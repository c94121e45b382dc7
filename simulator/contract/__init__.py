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
"""

from __future__ import annotations

from . import hookspecs, signals
from ._errors import StrategyError, UserError
from ._params import Param, ParamInfo
from ._series import SeriesSpec
from ._strategy import Strategy, StrategyInput, strategy
from .checks import check_weights
from .hookspecs import hookimpl

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
