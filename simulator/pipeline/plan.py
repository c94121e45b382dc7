"""Check a config against the installed strategies and the data, before anything runs.

Everything a run could trip over that is the user's to fix (an unknown
strategy or parameter, a role missing from the universe, a ticker missing
from the data) is found here, all at once, before a file is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, final

from pydantic import ValidationError

from ..config import EngineConfig, LoadedConfig, format_errors
from ..contract import SeriesSpec, Strategy
from ..data.market.series import SERIES
from ..data.sources import DataAccess, Source
from ..engine.simulate import EngineParams
from ..errors import ConfigError, UserError
from ..plugins import Registry
from ..plugins.manager import is_file_ref
from ..reports.files import RESERVED_TICKERS, slug
from .config_source import open_config_source, unused_routes

if TYPE_CHECKING:
    from ..config.schema import RunConfig


@final
@dataclass(frozen=True)
class PlannedStrategy:
    label: str
    strategy: Strategy
    params: dict[str, Any]
    roles: dict[str, str]  # role the strategy reads -> role serving it
    tickers: dict[str, str]  # role the strategy reads -> ticker (the universe's, else the strategy's default)
    early_series: str | None = None  # why a series it reads is made known before it was published

    def hindsight_note(self) -> str | None:
        """Why this run of the strategy uses what was only known later, or None (reports mark it HINDSIGHT)."""
        return self.strategy.hindsight_note(self.params) or self.early_series

    def vintage_note(self) -> str | None:
        """Which revised figures this run of the strategy reads as if known then, or None (a milder caveat)."""
        return self.strategy.vintage_note(self.params)


@final
@dataclass(frozen=True)
class RunPlan:
    loaded: LoadedConfig
    strategies: tuple[PlannedStrategy, ...]
    series: tuple[str, ...]  # macro series names the run loads
    source: Source
    tickers: tuple[str, ...]  # the universe's and benchmark's tickers, then strategies' default tickers
    custom_series: tuple[SeriesSpec, ...]  # series the strategies define themselves
    ratios_over_risk_free: bool = False  # Sharpe and Sortino over the series risk_free (else rf = 0)

    @property
    def series_specs(self) -> tuple[SeriesSpec, ...]:
        """How to load each of ``series``: the strategy's own definition, else the catalogue's."""
        custom = {s.name: s for s in self.custom_series}
        return tuple(custom.get(name) or SERIES[name] for name in self.series)

    @property
    def engine(self) -> EngineParams:
        """How the engine trades: the config's ``engine`` section as plain values."""
        return engine_params(self.loaded.config.engine)


def engine_params(engine: EngineConfig) -> EngineParams:
    """The config's ``engine`` section as the engine's own parameters (what the engine sees of the config)."""
    return EngineParams(
        initial_cash=engine.initial_cash,
        fees_bps=engine.fees_bps,
        slippage_bps=engine.slippage_bps,
        lag=engine.lag,
        rebalance=engine.rebalance,
        drift_threshold=engine.drift_threshold,
    )


def make_plan(
    loaded: LoadedConfig, registry: Registry, data_dir: str | Path | None = None, access: DataAccess | None = None
) -> RunPlan:
    cfg = loaded.config
    errors: list[str] = _label_errors(loaded)
    planned: dict[int, PlannedStrategy] = {}  # by position in the config
    series: list[str] = []
    custom: dict[str, tuple[SeriesSpec, str, str]] = {}  # name -> (definition, who defines it, config line)
    for i in range(len(cfg.strategies)):
        got = _plan_one(loaded, registry, i, errors, custom)
        if got is not None:
            planned[i] = got
            series += got.strategy.series
    if cfg.engine.cash_earns == "risk_free":
        series.append("risk_free")
    series = list(dict.fromkeys(series))
    for name in cfg.data.publication_lag_days:
        if name not in SERIES and name not in custom:
            errors.append(
                f"{loaded.where('data', 'publication_lag_days', name)}: unknown macro series '{name}' "
                f"(known: {', '.join(sorted({*SERIES, *custom}))})"
            )
    errors += _reserved_ticker_errors(loaded, _default_tickers(loaded, planned))
    # Go on to the data with what could be planned: every error is reported at once.
    try:
        source = open_config_source(loaded, data_dir, access)
    except UserError as exc:
        errors.append(f"{loaded.where('data', 'source')}: {exc.message}")
        raise ConfigError("\n".join(errors)) from None
    ratios_rf = _ratios_over_risk_free(cfg, source, series)
    if ratios_rf and "risk_free" not in series:
        series.append("risk_free")
    defaults = _default_tickers(loaded, planned)
    tickers = list(dict.fromkeys([*cfg.tickers, *defaults]))
    specs = {name: custom[name][0] if name in custom else SERIES[name] for name in series}
    if len(planned) == len(cfg.strategies):  # else what an unplanned strategy reads would look unused
        errors += unused_routes(loaded, tickers, list(dict.fromkeys(i for s in specs.values() for i in s.ids)))
    errors += _missing_data(loaded, source, tickers, defaults, specs, custom)
    if errors:
        if hint := getattr(source, "missing_hint", lambda: None)():
            errors.append(hint)
        raise ConfigError("\n".join(errors))
    own_series = tuple(spec for spec, _, _ in custom.values())
    return RunPlan(loaded, tuple(planned.values()), tuple(series), source, tuple(tickers), own_series, ratios_rf)


def _ratios_over_risk_free(cfg: RunConfig, source: Source, series: list[str]) -> bool:
    """Whether Sharpe and Sortino are taken over the cash rate: asked for, and the data has it.

    A run whose cash earns the rate has it already; any other run loads it
    only for the ratios, so data without it means rf = 0 (reports say which),
    not an error.
    """
    if cfg.report.risk_free != "cash":
        return False
    return "risk_free" in series or not source.missing([], list(SERIES["risk_free"].required))


def _missing_data(
    loaded: LoadedConfig,
    source: Source,
    tickers: list[str],
    defaults: dict[str, tuple[str, str, str]],
    specs: dict[str, SeriesSpec],
    custom: dict[str, tuple[SeriesSpec, str, str]],
) -> list[str]:
    """One message per ticker or series id the source lacks, at the config line that asked for it."""
    cfg, errors = loaded.config, []
    missing = set(source.missing(tickers, [i for s in specs.values() for i in s.required]))
    for ticker in cfg.tickers:
        if ticker in missing:
            roles = [r for r, t in cfg.universe.items() if t == ticker]
            key = ("universe", roles[0]) if roles else ("benchmark",)
            errors.append(f"{loaded.where(*key)}: ticker '{ticker}' is not in the data ({source.name})")
    for ticker, (where, strategy_name, role) in defaults.items():
        if ticker in missing and ticker not in cfg.tickers:
            errors.append(
                f"{where}: strategy '{strategy_name}' reads role '{role}' from its default ticker '{ticker}', "
                f"which is not in the data ({source.name}); name another ticker for '{role}' in the universe"
            )
    for name, s in specs.items():
        for i in (i for i in s.required if i in missing):
            if name in custom:
                _, owner, where = custom[name]
                errors.append(
                    f"{where}: {owner} defines macro series '{name}' from '{i}', which is not in the data ({source.name})"
                )
            else:
                errors.append(
                    f"{loaded.where('data', 'source')}: series '{i}' (for '{name}') is not in the data ({source.name})"
                )
    return errors


def _label_errors(loaded: LoadedConfig) -> list[str]:
    """Labels name a strategy's row and files: each must be unique, and so must its file name."""
    cfg, errors = loaded.config, []
    # the benchmark's files are named 'benchmark'; 'date' heads the date column of returns.csv
    taken = {"benchmark": f"the benchmark ({cfg.benchmark_title})", "date": "the date column"}
    labels = {cfg.benchmark_title: "the benchmark"}
    for i, sc in enumerate(cfg.strategies):
        where = loaded.where("strategies", i, "label") if sc.label else loaded.where("strategies", i)
        stem = slug(sc.title)
        if sc.title in labels:
            errors.append(f"{where}: label '{sc.title}' is already {labels[sc.title]}'s; give each strategy its own")
        elif stem in taken:
            errors.append(
                f"{where}: label '{sc.title}' makes the file name '{stem}', which {taken[stem]} already has; "
                "choose a label that differs in letters or digits"
            )
        labels.setdefault(sc.title, f"strategy {i + 1}")
        taken.setdefault(stem, f"'{sc.title}'")
    return errors


def _reserved_ticker_errors(loaded: LoadedConfig, defaults: dict[str, tuple[str, str, str]]) -> list[str]:
    """A ticker named like a column the results files write for themselves ('date', 'cash') is refused.

    The engine keeps its own names apart from tickers; a results table cannot,
    since a CSV header is all strings: a second 'cash' column would be read as
    the first.
    """
    cfg, errors = loaded.config, []
    named = [(("universe", role), t) for role, t in cfg.universe.items()] + [(("benchmark",), cfg.benchmark)]
    for key, ticker in named:
        if ticker in RESERVED_TICKERS:
            errors.append(
                f"{loaded.where(*key)}: ticker '{ticker}' is a reserved name ({RESERVED_TICKERS[ticker]}); "
                "load the series under another name (e.g. rename its CSV file)"
            )
    for ticker, (where, strategy_name, role) in defaults.items():
        if ticker in RESERVED_TICKERS and ticker not in cfg.tickers:
            errors.append(
                f"{where}: strategy '{strategy_name}' reads role '{role}' from its default ticker '{ticker}', "
                f"a reserved name ({RESERVED_TICKERS[ticker]}); name another ticker for '{role}' in the universe"
            )
    return errors


def _default_tickers(loaded: LoadedConfig, planned: dict[int, PlannedStrategy]) -> dict[str, tuple[str, str, str]]:
    """Tickers the run loads only because a strategy defaults to them -> (config line, strategy, role)."""
    out: dict[str, tuple[str, str, str]] = {}
    for i, p in planned.items():
        where = loaded.where("strategies", i, "name")
        for role, served_by in p.roles.items():
            if served_by not in loaded.config.universe:
                out.setdefault(p.tickers[role], (where, p.strategy.name, served_by))
    return out


def _plan_one(
    loaded: LoadedConfig,
    registry: Registry,
    i: int,
    errors: list[str],
    custom: dict[str, tuple[SeriesSpec, str, str]],
) -> PlannedStrategy | None:
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
    where = loaded.where("strategies", i, "name")
    roles = strat.input_roles(params, cfg.universe)
    tickers = strat.role_tickers(params, cfg.universe)
    if absent := sorted({roles[role] for role, ticker in tickers.items() if ticker is None}):
        errors.append(
            f"{where}: strategy '{sc.name}' needs role(s) "
            f"{', '.join(absent)} in the universe (it has: {', '.join(cfg.universe)})"
        )
        return None
    clashes = _define_series(strat, custom, where)
    errors += [f"{where}: {c}" for c in clashes]
    if unknown := [s for s in strat.series if s not in SERIES and s not in custom]:
        errors.append(
            f"{where}: strategy '{sc.name}' asks for unknown macro "
            f"series {', '.join(unknown)} (known: {', '.join(sorted({*SERIES, *custom}))})"
        )
        return None
    if clashes:
        return None
    early = [
        f"data.publication_lag_days makes '{name}' known {cfg.data.publication_lag_days[name]} days after its date, "
        f"before it was published ({SERIES[name].lag_days})"
        for name in strat.required_series(params)
        if name in SERIES and cfg.data.publication_lag_days.get(name, SERIES[name].lag_days) < SERIES[name].lag_days
    ]
    strat.hindsight_note(params)  # plugin code the reports call: a failure in it shows now, before anything runs
    strat.vintage_note(params)
    return PlannedStrategy(
        sc.title, strat, params, roles, {r: t for r, t in tickers.items() if t is not None}, "; ".join(early) or None
    )


def _define_series(strat: Strategy, custom: dict[str, tuple[SeriesSpec, str, str]], where: str) -> list[str]:
    """Add the strategy's own macro series to ``custom``; return the clashes with other definitions."""
    clashes = []
    for s in strat.custom_series:
        other, owner, _ = custom.get(s.name, (SERIES.get(s.name), "rotsim's catalogue", ""))
        if other is None:
            custom[s.name] = (s, f"strategy '{strat.name}'", where)
        elif other != s:
            clashes.append(
                f"strategy '{strat.name}' defines macro series '{s.name}' differently from {owner} "
                f"({'+'.join(s.ids)} vs {'+'.join(other.ids)}); give its series another name"
            )
    return clashes


def plugin_files(loaded: LoadedConfig, extra: Sequence[str | Path] = ()) -> list[str | Path]:
    """Plugins named in the config (files relative to it, or module names), then those in ``extra``."""
    return [loaded.relative(p) if is_file_ref(p) else p for p in loaded.config.plugins] + list(extra)
