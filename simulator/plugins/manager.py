"""Find and load strategy plugins: entry points, then one-off files and modules.

Built-in strategies come in through the same ``rotsim.strategies`` entry point
group as any third-party package. Order is fixed so that the outcome never
depends on install order: the built-ins first (a package cannot shadow them),
then other entry points by name, then ``$ROTSIM_PLUGINS``, then the plugins
named by the config and the command line. A plugin that fails to import, to
register, or that claims a strategy name another plugin already has, is
recorded with its reason and skipped whole, so one broken package cannot
stop the others (``rotsim plugins`` shows what went wrong).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, final

import pluggy

from ..contract import Strategy, StrategyError, hookspecs

ENTRY_POINT_GROUP = "rotsim.strategies"
BUILTIN = "builtin"  # the entry point of rotsim's own strategies
DISABLE_ENV = "ROTSIM_DISABLE_PLUGINS"  # comma-separated plugin names; "*" for every one but the built-ins
PLUGINS_ENV = "ROTSIM_PLUGINS"  # comma-separated plugin files or module names, loaded as if given by --plugin

PluginKind = Literal["entry point", "file", "module"]

# What went wrong, as `rotsim plugins` and the run warnings word it.
IMPORT_ERROR = "import error"
BAD_REGISTRATION = "bad registration"
DUPLICATE = "duplicate strategy name"


@final
@dataclass(frozen=True)
class PluginInfo:
    """One plugin and what came of loading it.

    - ``name``: the entry point's name, the file path or the module name;
      what ``--disable-plugin`` takes.
    - ``source``: where it comes from, for people (distribution and entry point, or the path).
    - ``location``: the file its module was imported from (empty if it never imported).
    - ``error``: ``"<kind>: <reason>"`` when it is broken, kind one of
      ``import error``, ``bad registration``, ``duplicate strategy name``.
    """

    name: str
    source: str
    version: str = ""
    strategies: tuple[str, ...] = ()
    error: str = ""
    kind: PluginKind = "entry point"
    distribution: str = ""
    location: str = ""
    disabled: bool = False

    @property
    def status(self) -> Literal["ok", "broken", "disabled"]:
        return "disabled" if self.disabled else "broken" if self.error else "ok"


@final
@dataclass
class Registry:
    """Every strategy that loaded, by name, and every plugin with its outcome, in load order."""

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


@final
@dataclass(frozen=True)
class _Candidate:
    """A plugin found but not yet imported."""

    info: PluginInfo
    load: Callable[[], object]


class _Broken(Exception):
    """A plugin failed; ``kind`` says how (one of the constants above)."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")


def load_plugins(plugins: Sequence[str | Path] = (), disabled: Iterable[str] = (), *, use_env: bool = True) -> Registry:
    """Load entry-point plugins and ``plugins`` (files or module names), minus ``disabled``.

    Requires: nothing; every failure is recorded, none raised.
    Sets: with ``use_env``, ``$ROTSIM_PLUGINS`` adds plugins (before
    ``plugins``) and ``$ROTSIM_DISABLE_PLUGINS`` adds names to ``disabled``.
    """
    off = {*disabled, *(env_list(DISABLE_ENV) if use_env else [])}
    refs = [*(env_list(PLUGINS_ENV) if use_env else []), *plugins]
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    registry = Registry()
    for candidate in [*_entry_point_candidates(), *(_ref_candidate(r) for r in refs)]:
        info = candidate.info
        if info.name in off or ("*" in off and info.name != BUILTIN):
            registry.plugins.append(_with(info, disabled=True))
            continue
        registry.plugins.append(_load_one(pm, registry, candidate))
    return registry


def is_file_ref(ref: str | Path) -> bool:
    """Whether a ``--plugin`` value names a file (else it is an importable module name)."""
    text = str(ref)
    return isinstance(ref, Path) or text.endswith(".py") or "/" in text or os.sep in text


def _load_one(pm: pluggy.PluginManager, registry: Registry, candidate: _Candidate) -> PluginInfo:
    info = candidate.info
    try:
        module = _guarded(IMPORT_ERROR, candidate.load)
        info = _with(
            info,
            location=str(getattr(module, "__file__", "") or ""),
            version=info.version or str(getattr(module, "__version__", "") or ""),
        )
        impls = _guarded(BAD_REGISTRATION, lambda: _hook_impls(pm, info.name, module))
        got: list[str] = []
        try:
            for impl in impls:
                args = {"register": _registrar(registry, info.name, got)}
                _guarded(BAD_REGISTRATION, lambda: impl.function(**{a: args[a] for a in impl.argnames}))  # noqa: B023 - called at once
        except _Broken:
            for n in got:  # a half-registered plugin is dropped whole
                registry.strategies.pop(n, None)
            raise
        return _with(info, strategies=tuple(got))
    except _Broken as exc:
        return _with(info, error=str(exc))


def _guarded(kind: str, call: Callable[[], Any]) -> Any:
    """``call()``, with any failure but an interrupt turned into ``_Broken(kind, reason)``."""
    try:
        return call()
    except (_Broken, KeyboardInterrupt):
        raise
    except BaseException as exc:  # noqa: BLE001 - SystemExit, GeneratorExit, a library's own: the plugin's failure
        raise _Broken(kind, f"{type(exc).__name__}: {exc}") from exc


def _hook_impls(pm: pluggy.PluginManager, name: str, module: object) -> list[pluggy.HookImpl]:
    """Register ``module`` with pluggy (which checks argument names) and return its hook implementations."""
    pm.register(module, name=name)
    callers = pm.get_hookcallers(module) or []
    if unknown := sorted(c.name for c in callers if not c.has_spec()):
        pm.unregister(module)
        raise ValueError(f"unknown hook(s) {', '.join(unknown)}; rotsim's hooks are: {', '.join(_hook_names())}")
    impls = [i for i in pm.hook.register_strategies.get_hookimpls() if i.plugin is module]
    if not impls:
        raise ValueError("no register_strategies hook (is the function decorated with @hookimpl?)")
    return impls


def _hook_names() -> list[str]:
    return sorted(n for n in dir(hookspecs) if hasattr(getattr(hookspecs, n), "rotsim_spec"))


def _registrar(registry: Registry, plugin: str, got: list[str]) -> Callable[[Strategy], None]:
    def register(strategy: Strategy) -> None:
        if not isinstance(strategy, Strategy):
            raise TypeError(f"register() takes a Strategy (use @strategy), got {type(strategy).__name__}")
        if (existing := registry.strategies.get(strategy.name)) is not None:
            raise _Broken(DUPLICATE, f"'{strategy.name}' is already registered by plugin {existing.plugin}")
        registry.strategies[strategy.name] = strategy.with_plugin(plugin)
        got.append(strategy.name)

    return register


def _entry_point_candidates() -> list[_Candidate]:
    eps = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name != BUILTIN, e.name))
    return [_Candidate(_entry_point_info(ep), ep.load) for ep in eps]


def _entry_point_info(ep: EntryPoint) -> PluginInfo:
    dist = ep.dist.name if ep.dist else "?"
    return PluginInfo(
        name=ep.name,
        source=f"{dist} (entry point {ep.name} = {ep.value})",
        version=ep.dist.version if ep.dist else "",
        kind="entry point",
        distribution=dist,
    )


def _ref_candidate(ref: str | Path) -> _Candidate:
    if is_file_ref(ref):
        path = Path(ref)
        return _Candidate(PluginInfo(str(path), str(path), kind="file"), lambda: _import_file(path))
    name = str(ref).strip()
    return _Candidate(PluginInfo(name, f"module {name}", kind="module"), lambda: importlib.import_module(name))


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise FileNotFoundError(f"plugin file {path} does not exist")
    module_name = f"rotsim_local_{path.stem}_{abs(hash(str(path.resolve()))):x}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


def env_list(var: str) -> list[str]:
    """The comma-separated names in environment variable ``var``, in order, without repeats."""
    return list(dict.fromkeys(n.strip() for n in os.environ.get(var, "").split(",") if n.strip()))


def _with(info: PluginInfo, **changes: Any) -> PluginInfo:
    return replace(info, **changes)
