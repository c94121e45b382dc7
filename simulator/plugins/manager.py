"""Find and load strategy plugins: entry points, then local files.

Built-in strategies come in through the same ``rotsim.strategies`` entry point
group as any third-party package. A plugin that fails to import or to
register is recorded with its reason and skipped, so one broken package
cannot stop the others (``rotsim plugins`` shows what went wrong).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import final

import pluggy

from ..errors import StrategyError
from . import hookspecs
from .strategy import Strategy

ENTRY_POINT_GROUP = "rotsim.strategies"
DISABLE_ENV = "ROTSIM_DISABLE_PLUGINS"  # comma-separated plugin names, or "*" for all third-party


@final
@dataclass(frozen=True)
class PluginInfo:
    name: str
    source: str  # "entry point <dist>" or the file path
    version: str = ""
    strategies: tuple[str, ...] = ()
    error: str = ""


@final
@dataclass
class Registry:
    """Every strategy that loaded, by name, and every plugin with its outcome."""

    strategies: dict[str, Strategy] = field(default_factory=dict)
    plugins: list[PluginInfo] = field(default_factory=list)

    def get(self, name: str) -> Strategy:
        try:
            return self.strategies[name]
        except KeyError:
            raise StrategyError(
                f"unknown strategy '{name}'; installed: {', '.join(sorted(self.strategies)) or 'none'}"
            ) from None

    @property
    def broken(self) -> list[PluginInfo]:
        return [p for p in self.plugins if p.error]


def load_plugins(files: list[str | Path] = (), disabled: set[str] | None = None) -> Registry:  # type: ignore[assignment]
    """Load entry-point plugins (minus ``disabled``) and the given plugin files."""
    disabled = _disabled_from_env() if disabled is None else disabled
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    sources: dict[str, tuple[str, str]] = {}
    registry = Registry()

    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name in disabled or ("*" in disabled and ep.name != "builtin"):
            continue
        dist = ep.dist.name if ep.dist else "?"
        version = ep.dist.version if ep.dist else ""
        try:
            pm.register(ep.load(), name=ep.name)
            sources[ep.name] = (f"entry point of {dist}", version)
        except Exception as exc:
            registry.plugins.append(PluginInfo(ep.name, f"entry point of {dist}", version, error=_why(exc)))

    for path in files:
        path = Path(path)
        try:
            name = str(path)
            pm.register(_import_file(path), name=name)
            sources[name] = (name, "")
        except Exception as exc:
            registry.plugins.append(PluginInfo(str(path), str(path), error=_why(exc)))

    # Call each plugin's hook on its own so a failure is attributed to it.
    for impl in reversed(pm.hook.register_strategies.get_hookimpls()):
        plugin_name = impl.plugin_name
        got: list[str] = []
        source, version = sources.get(plugin_name, (plugin_name, ""))
        try:
            impl.function(register=_registrar(registry, plugin_name, got))
            registry.plugins.append(PluginInfo(plugin_name, source, version, tuple(got)))
        except Exception as exc:
            for n in got:  # half-registered plugins are dropped whole
                registry.strategies.pop(n, None)
            registry.plugins.append(PluginInfo(plugin_name, source, version, error=_why(exc)))
    return registry


def _registrar(registry: Registry, plugin: str, got: list[str]):  # noqa: ANN202
    def register(strategy: Strategy) -> None:
        if not isinstance(strategy, Strategy):
            raise TypeError(f"register() takes a Strategy (use @strategy), got {type(strategy).__name__}")
        if (existing := registry.strategies.get(strategy.name)) is not None:
            raise ValueError(
                f"strategy name '{strategy.name}' is already registered by plugin {existing.plugin}"
            )
        registry.strategies[strategy.name] = strategy.with_plugin(plugin)
        got.append(strategy.name)

    return register


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise FileNotFoundError(f"plugin file {path} does not exist")
    module_name = f"rotsim_local_{path.stem}_{abs(hash(str(path.resolve()))):x}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def _disabled_from_env() -> set[str]:
    return {n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip()}


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
