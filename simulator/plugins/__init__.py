"""Strategy plugins: hook specs, the strategy spec and the loader."""

from .hookspecs import hookimpl, hookspec
from .manager import ENTRY_POINT_GROUP, PluginInfo, Registry, load_plugins
from .strategy import Param, ParamInfo, Strategy, StrategyInput, check_weights, strategy

__all__ = [
    "ENTRY_POINT_GROUP",
    "Param",
    "ParamInfo",
    "PluginInfo",
    "Registry",
    "Strategy",
    "StrategyInput",
    "check_weights",
    "hookimpl",
    "hookspec",
    "load_plugins",
    "strategy",
]
