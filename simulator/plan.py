"""Check a config against the installed strategies and the data, before anything runs.

Everything a run could trip over that is the user's to fix (an unknown
strategy or parameter, a role missing from the universe, a ticker missing
from the data) is found here, all at once, before a file is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, final

from pydantic import ValidationError

from .config import LoadedConfig, format_errors
from .data.series import SERIES
from .data.source import Source
from .data.sources import DataAccess, open_config_source, unused_routes
from .errors import ConfigError, UserError
from .plugins import Registry, Strategy


@final
@dataclass(frozen=True)
class PlannedStrategy:
    label: str
    strategy: Strategy
    params: dict[str, Any]
    roles: dict[str, str]  # role the strategy reads -> universe role serving it


@final
@dataclass(frozen=True)
class RunPlan:
    loaded: LoadedConfig
    strategies: tuple[PlannedStrategy, ...]
    series: tuple[str, ...]
    source: Source


def make_plan(
    loaded: LoadedConfig, registry: Registry, data_dir: str | Path | None = None, access: DataAccess | None = None
) -> RunPlan:
    cfg = loaded.config
    errors: list[str] = []
    planned = []
    series: list[str] = []
    for i, sc in enumerate(cfg.strategies):
        got = _plan_one(loaded, registry, i, errors)
        if got is not None:
            planned.append(got)
            series += got.strategy.series
    if cfg.engine.cash_earns == "risk_free":
        series.append("risk_free")
    series = list(dict.fromkeys(series))
    for name in cfg.data.publication_lag_days:
        if name not in SERIES:
            errors.append(
                f"{loaded.where('data', 'publication_lag_days', name)}: unknown macro series '{name}' "
                f"(known: {', '.join(sorted(SERIES))})"
            )
    if errors:
        raise ConfigError("\n".join(errors))

    data_where = loaded.where("data", "source")
    try:
        source = open_config_source(loaded, data_dir, access)
    except UserError as exc:
        raise ConfigError(exc.message, where=data_where) from None
    ids = list(dict.fromkeys(i for name in series for i in SERIES[name].ids))
    errors += unused_routes(loaded, cfg.tickers, ids)
    missing = set(source.missing(cfg.tickers, ids))
    for ticker in cfg.tickers:
        if ticker in missing:
            roles = [r for r, t in cfg.universe.items() if t == ticker]
            key = ("universe", roles[0]) if roles else ("benchmark",)
            errors.append(f"{loaded.where(*key)}: ticker '{ticker}' is not in the data ({source.name})")
    for name in series:
        for i in SERIES[name].ids:
            if i in missing:
                errors.append(f"{data_where}: series '{i}' (for '{name}') is not in the data ({source.name})")
    if errors:
        if missing and (hint := getattr(source, "missing_hint", lambda: None)()):
            errors.append(hint)
        raise ConfigError("\n".join(errors))
    return RunPlan(loaded, tuple(planned), tuple(series), source)


def _plan_one(loaded: LoadedConfig, registry: Registry, i: int, errors: list[str]) -> PlannedStrategy | None:
    cfg = loaded.config
    sc = cfg.strategies[i]
    strat = registry.strategies.get(sc.name)
    if strat is None:
        installed = ", ".join(sorted(registry.strategies)) or "none"
        errors.append(f"{loaded.where('strategies', i, 'name')}: unknown strategy '{sc.name}' (installed: {installed})")
        return None
    try:
        params = strat.resolve_params(sc.params)
    except ValidationError as exc:
        errors.append(
            format_errors(exc, strat.params_model, loaded.lines, loaded.path, ("strategies", i, "params"), "parameter")
        )
        return None
    roles = strat.input_roles(params, cfg.universe)
    if absent := sorted({served for served in roles.values() if served not in cfg.universe}):
        errors.append(
            f"{loaded.where('strategies', i, 'name')}: strategy '{sc.name}' needs role(s) "
            f"{', '.join(absent)} in the universe (it has: {', '.join(cfg.universe)})"
        )
        return None
    if unknown := [s for s in strat.series if s not in SERIES]:
        errors.append(
            f"{loaded.where('strategies', i, 'name')}: strategy '{sc.name}' asks for unknown macro "
            f"series {', '.join(unknown)} (known: {', '.join(sorted(SERIES))})"
        )
        return None
    return PlannedStrategy(sc.title, strat, params, roles)


def plugin_files(loaded: LoadedConfig, extra: Sequence[str | Path] = ()) -> list[Path]:
    """Plugin files named in the config (relative to it) and on the command line."""
    return [loaded.relative(p) for p in loaded.config.plugins] + [Path(p) for p in extra]
