"""Strategy plugins: hook specs, the strategy spec and the loader."""

from .hookspecs import hookimpl, hookspec
from .manager import ENTRY_POINT_GROUP, PluginInfo, Registry, is_file_ref, load_plugins
from .strategy import Param, ParamInfo, SeriesSpec, Strategy, StrategyInput, check_weights, strategy

__all__ = [
    "ENTRY_POINT_GROUP",
    "Param",
    "ParamInfo",
    "PluginInfo",
    "Registry",
    "SeriesSpec",
    "Strategy",
    "StrategyInput",
    "check_weights",
    "hookimpl",
    "hookspec",
    "is_file_ref",
    "load_plugins",
    "strategy",
]
