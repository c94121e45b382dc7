"""The plugin loader: finds strategy plugins, loads them, keeps what registered.

The contract the plugins implement (hook specs, the strategy spec) is
``simulator.contract``.
"""

from .manager import ENTRY_POINT_GROUP, PluginInfo, Registry, is_file_ref, load_plugins

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "Registry",
    "is_file_ref",
    "load_plugins",
]
