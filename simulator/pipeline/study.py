"""One study, start to finish: plan -> data -> strategies' events -> study tables -> results folder -> page.

The plan and the data are a run's (``make_plan``, ``load_market``); what is
the study's own is checked here, every error at its config line before a
file is written: assets missing from the data, event sets unknown, a
strategy that declares no events, no event through ``events_until``, a
horizon longer than the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, cast, final

import pandas as pd
from pydantic import ValidationError

from ..config import LoadedConfig
from ..config.study_schema import StudyConfig
from ..contract import StrategyInput
from ..data.market.alignment import MarketData
from ..data.sources import DataAccess
from ..errors import ConfigError
from ..lookahead import even_cuts
from ..plugins import Registry
from ..reports.files import package_versions, write_csv, write_manifest
from ..reports.folder import check_destination, new_run_id, results_folder
from ..study import StudySpec, StudyTables, event_study, period_returns, period_study
from ..study.claims import ClaimFigures, compare_claim
from ..study.events import event_days
from ..study.periods import cycle_labels, signal_labels
from ..study.stats import Bootstrap
from .execute import Step, load_market, rounded, timed
from .lookahead_check import run_check
from .plan import PlannedStrategy, RunPlan, make_plan

__all__ = ["StudyOutput", "check_study", "execute_study", "prepare_study"]

MIN_SAMPLE = 2  # days after the last horizon: a horizon needs at least one complete window and a baseline


@final
@dataclass
class StudyOutput:
    folder: Path
    files: list[Path]
    summary: pd.DataFrame
    claim: pd.DataFrame | None
    warnings: list[str]
    hindsight: dict[str, str]


@final
@dataclass(frozen=True)
class _Prepared:
    """Everything checked: the market, the study's calendar, its assets and each event set's strategy."""

    plan: RunPlan
    market: MarketData
    days: pd.DatetimeIndex
    assets: dict[str, str]  # as named in the config -> ticker
    own: dict[str, pd.Series]  # ticker -> its prices over its own span (each asset's data, not the shortest's)
    events: dict[str, PlannedStrategy]  # event-set label -> its strategy
    strategies: dict[str, PlannedStrategy]  # every strategy the study runs: the event sets', the periods' signal
    inputs: dict[str, StrategyInput]
    weights: dict[str, pd.DataFrame]


def execute_study(
    loaded: LoadedConfig,
    registry: Registry,
    *,
    data_dir: str | Path | None = None,
    out: str | Path | None = None,
    access: DataAccess | None = None,
    step: Step = lambda _: None,
) -> StudyOutput:
    """Measure what the config's ``study:`` asks and write the results folder; returns what was written.

    ``step(description)`` is called as each of ``count_study_steps`` steps starts.
    """
    cfg = loaded.config
    study = cfg.study
    if study is None:
        raise ConfigError(f"{loaded.path}: no `study:` section: say which assets and horizons to measure")
    timings: dict[str, float] = {}
    clock = partial(timed, timings)
    parent = (Path(out) if out else Path(cfg.report.out)) / cfg.name
    check_destination(parent)
    step("checking config, data and events")
    with clock("plan, data and events"):
        prep = _prepare(loaded, study, registry, data_dir, access)
    until = pd.Timestamp(study.events_until) if study.events_until else None
    prices = pd.DataFrame({t: own.reindex(prep.days) for t, own in prep.own.items()})
    bench = prep.market.prices[cfg.benchmark].loc[prep.days].rename(cfg.benchmark) if study.versus_benchmark else None
    boot = (
        Bootstrap(study.bootstrap.reps, study.bootstrap.seed, study.bootstrap.level) if study.bootstrap.reps else None
    )
    spec = StudySpec(tuple(study.horizons), study.entry, until, study.independent, boot)
    marks = {label: _events_of(prep.weights[label]) for label in prep.events}

    tables = periods = sensitivity = None
    if study.horizons:
        step("event study")
        with clock("event study"):
            tables = event_study(prices, marks, spec, bench)
    if study.periods:
        step("period study")
        with clock("period study"):
            periods = _periods(study, prep)
    if study.sensitivity and study.horizons:
        step("sensitivity")
        with clock("sensitivity"):
            sensitivity = _sensitivity(study, prices, prep, spec)
    claim_table, after = None, None
    if study.claim is not None:
        step("claim and out of sample")
        with clock("claim and out of sample"):
            figures = _figures(study, prep.assets)
            published = figures.published
            if study.horizons:
                later = {f"{k} after {published.date()}": v & (v.index > published) for k, v in marks.items()}
                if any(v.any() for v in later.values()):
                    after = event_study(prices, later, replace(spec, events_until=None), bench, paths=False)
            # a claim is about one event set: the first (its rows come first in the summary too)
            first = next(iter(marks.values()), None)
            counted = int(event_days(first, prep.days, until).sum()) if first is not None else None
            claim_table = compare_claim(figures, tables.summary if tables else None, periods, counted)

    hindsight = {p.label: note for p in prep.strategies.values() if (note := p.hindsight_note())}
    run_id = new_run_id()
    step("writing results")
    with results_folder(parent, run_id) as (tmp, final):
        with clock("results files"):
            files = _write_tables(tmp, tables, after, periods, sensitivity, claim_table)
            (tmp / "config.yaml").write_text(loaded.text, encoding="utf-8")
            files.append(tmp / "config.yaml")
        with clock("study page"):
            manifest = _manifest(loaded, prep, run_id, hindsight, spec)
            page = _write_page(tmp, manifest, tables, after, periods, sensitivity, claim_table)
        files += [write_manifest(tmp / "manifest.json", manifest | {"timings_seconds": rounded(timings)}), page]
        rel = [f.relative_to(tmp) for f in files]
    folder = final[0]
    summary = tables.summary if tables else pd.DataFrame()
    return StudyOutput(folder, [folder / r for r in rel], summary, claim_table, list(prep.market.warnings), hindsight)


def count_study_steps(loaded: LoadedConfig) -> int:
    """How many times ``execute_study`` calls ``step`` for this config."""
    study = loaded.config.study
    if study is None:
        return 1
    parts = [True, bool(study.horizons), bool(study.periods), bool(study.sensitivity and study.horizons)]
    return sum(parts) + (study.claim is not None) + 1


def _prepare(
    loaded: LoadedConfig, study: StudyConfig, registry: Registry, data_dir: str | Path | None, access: DataAccess | None
) -> _Prepared:
    """The plan, the data and the events, or ``ConfigError`` naming every line in error."""
    return prepare_study(loaded, study, make_plan(loaded, registry, data_dir, access))


def check_study(loaded: LoadedConfig, plan: RunPlan, market: MarketData | None = None) -> str:
    """What `rotsim validate` says of a config's study, or ``ConfigError`` with every line in error."""
    study = loaded.config.study
    if study is None:
        return ""
    prep = prepare_study(loaded, study, plan, market)
    what = [f"{len(prep.events)} event set(s)"] if study.horizons else []
    what += [f"periods by {study.periods.label}"] if study.periods else []
    return f"study: {', '.join(what)} on {', '.join(prep.assets)}"


def prepare_study(
    loaded: LoadedConfig, study: StudyConfig, plan: RunPlan, market: MarketData | None = None
) -> _Prepared:
    """The study's data and events on a planned config (``market``: the plan's, if loaded already)."""
    cfg = loaded.config
    errors: list[str] = []
    assets = {a: cfg.universe.get(a, a) for a in study.assets}
    extra = [t for t in dict.fromkeys(assets.values()) if t not in plan.tickers]
    missing = set(plan.source.missing(extra, []))
    for i, (name, ticker) in enumerate(assets.items()):
        if ticker in missing:
            errors.append(
                f"{loaded.where('study', 'assets', i)}: asset '{name}' is neither a role of the universe nor a "
                f"ticker in the data ({plan.source.name})"
            )
    by_label = {p.label: p for p in plan.strategies}
    wanted = study.events or ([p.label for p in plan.strategies] if study.horizons else [])
    for i, label in enumerate(study.events):
        if label not in by_label:
            errors.append(
                f"{loaded.where('study', 'events', i)}: no strategy labelled '{label}' in this config "
                f"(labels: {', '.join(by_label)})"
            )
    if study.periods and study.periods.strategy and study.periods.strategy not in by_label:
        errors.append(
            f"{loaded.where('study', 'periods', 'strategy')}: no strategy labelled '{study.periods.strategy}' "
            f"(labels: {', '.join(by_label)})"
        )
    for key in ("mean", "group_mean"):
        for asset in getattr(study.claim, key) if study.claim else {}:
            if asset not in assets and asset not in assets.values():
                errors.append(
                    f"{loaded.where('study', 'claim', key, asset)}: '{asset}' is not among study.assets "
                    f"({', '.join(assets)})"
                )
    if errors:
        raise ConfigError("\n".join(errors))
    market = load_market(plan) if market is None else market
    # the first price of any ticker: before it the warm-up calendar is weekdays for macro history, not sessions
    first_price = cast(pd.Timestamp, market.prices.dropna(how="all").index[0])
    start = pd.Timestamp(cfg.data.start) if cfg.data.start else first_price
    days = cast(pd.DatetimeIndex, market.prices.loc[start : market.end].index)
    own_start = pd.Timestamp(cfg.data.start) if cfg.data.start else None  # else each from its first price
    own = {t: _own_prices(plan, t, own_start) for t in dict.fromkeys(assets.values())}
    inputs, weights = {}, {}
    needed = {*wanted, *([study.periods.strategy] if study.periods and study.periods.strategy else [])}
    for p in plan.strategies:
        if p.label in needed:
            inputs[p.label] = data = market.input_for(p.tickers, p.strategy.series)
            weights[p.label] = p.strategy.weights(data, p.params)
    span = cast(pd.DatetimeIndex, market.prices.loc[market.start : market.end].index)
    if cuts := even_cuts(span, cfg.engine.lookahead_checks):
        run_check(loaded, [by_label[label] for label in needed], inputs, weights, cuts)
    errors += _event_errors(loaded, study, wanted, weights, days)
    if study.periods and study.periods.label == "signal" and study.periods.strategy in weights:
        if weights[study.periods.strategy].attrs.get("signal") is None:
            errors.append(
                f"{loaded.where('study', 'periods', 'strategy')}: strategy '{study.periods.strategy}' sets no "
                "signal (weights.attrs['signal']) to group periods by"
            )
    errors += [
        f"{loaded.where('study', 'horizons', i)}: horizon {h} trading days is longer than the data "
        f"({len(days)} trading days from {days[0].date()} to {days[-1].date()})"
        for i, h in enumerate(study.horizons)
        if h > len(days) - MIN_SAMPLE
    ]
    if errors:
        raise ConfigError("\n".join(errors))
    events = {w: by_label[w] for w in wanted}
    return _Prepared(plan, market, days, assets, own, events, {n: by_label[n] for n in needed}, inputs, weights)


def _own_prices(plan: RunPlan, ticker: str, start: pd.Timestamp | None) -> pd.Series:
    """An asset's prices over its own span, from ``start``: a run's market ends with its shortest ticker.

    Loaded as a run loads its tickers (the same source, checks and warnings),
    one asset with the benchmark's calendar at a time.
    """
    alone = load_market(replace(plan, tickers=(ticker,), series=(), custom_series=()))
    return alone.prices[ticker].loc[start : alone.end].dropna()


def _event_errors(
    loaded: LoadedConfig,
    study: StudyConfig,
    wanted: list[str],
    weights: Mapping[str, pd.DataFrame],
    days: pd.DatetimeIndex,
) -> list[str]:
    titles = [s.title for s in loaded.config.strategies]
    errors = []
    until = pd.Timestamp(study.events_until) if study.events_until else None
    for label in wanted:
        where = loaded.where("strategies", titles.index(label), "name")
        marks = weights[label].attrs.get("events")
        if marks is None:
            errors.append(
                f"{where}: strategy '{label}' declares no events (weights.attrs['events']): it has no trigger days "
                "to study; see docs/writing-strategies.md, Declaring events"
            )
        elif not event_days(marks, days, until).any():
            span = f"from {days[0].date()} through {(until or days[-1]).date()}"
            key = ("study", "events_until") if until is not None else ("strategies", titles.index(label), "name")
            errors.append(f"{loaded.where(*key)}: strategy '{label}' has no event {span}: nothing to study")
    return errors


def _events_of(weights: pd.DataFrame) -> pd.Series:
    return cast(pd.Series, weights.attrs["events"])


def _periods(study: StudyConfig, prep: _Prepared) -> pd.DataFrame:
    """Each asset's calendar periods over its own span, grouped by the config's label."""
    periods = study.periods
    assert periods is not None
    returns = {t: period_returns(own, periods.by) for t, own in prep.own.items()}
    labels = {}
    for t, r in returns.items():
        index = pd.PeriodIndex(r.index)
        if periods.label == "election_cycle":
            labels[t] = cycle_labels(index)
        else:
            signal = prep.weights[cast(str, periods.strategy)].attrs.get("signal")
            labels[t] = signal_labels(signal if signal is not None else pd.Series(dtype=bool), index)
    return period_study(returns, labels)


def _sensitivity(study: StudyConfig, prices: pd.DataFrame, prep: _Prepared, spec: StudySpec) -> pd.DataFrame:
    """Event count and mean forward return at each value of one parameter of the first event strategy."""
    sens = study.sensitivity
    assert sens is not None
    label, p = next(iter(prep.events.items()))
    rows = []
    for value in sens.values:
        try:
            params = p.strategy.resolve_params({**p.params, sens.param: value})
        except ValidationError as exc:
            raise ConfigError(f"study.sensitivity: {sens.param} = {value} is not valid for '{label}': {exc}") from None
        marks = _events_of(p.strategy.weights(prep.inputs[label], params))
        table = event_study(prices, {label: marks}, replace(spec, boot=None), None, paths=False).summary
        counted = int(event_days(marks, prep.days, spec.events_until).sum())
        for _, r in table.iterrows():
            rows.append({sens.param: value, "events": counted, "asset": r["asset"], "horizon": r["horizon"],
                         "n": r["n"], "mean": r["mean"], "hit_rate": r["hit_rate"],
                         "excess_vs_baseline": r["excess_vs_baseline"]})  # fmt: skip
    return pd.DataFrame(rows)


def _figures(study: StudyConfig, assets: Mapping[str, str]) -> ClaimFigures:
    claim = study.claim
    assert claim is not None
    return ClaimFigures(
        source=claim.source,
        published=pd.Timestamp(claim.published),
        events=claim.events,
        mean={assets.get(a, a): dict(by_h) for a, by_h in claim.mean.items()},
        group_mean={assets.get(a, a): dict(g) for a, g in claim.group_mean.items()},
        tolerance=claim.tolerance,
        count_tolerance=claim.count_tolerance,
        note=claim.note,
    )


def _write_tables(
    tmp: Path,
    tables: StudyTables | None,
    after: StudyTables | None,
    periods: pd.DataFrame | None,
    sensitivity: pd.DataFrame | None,
    claim: pd.DataFrame | None,
) -> list[Path]:
    files = []
    named: dict[str, pd.DataFrame | None] = {
        "study_summary.csv": tables.summary if tables else None,
        "events.csv": tables.events if tables else None,
        "paths.csv": tables.paths if tables else None,
        "out_of_sample.csv": after.summary if after else None,
        "periods.csv": periods,
        "sensitivity.csv": sensitivity,
        "claim.csv": claim,
    }
    for name, frame in named.items():
        if frame is not None and not frame.empty:
            files.append(write_csv(frame.set_index(frame.columns[0]), tmp / name))
    return files


def _write_page(
    tmp: Path,
    manifest: Mapping[str, Any],
    tables: StudyTables | None,
    after: StudyTables | None,
    periods: pd.DataFrame | None,
    sensitivity: pd.DataFrame | None,
    claim: pd.DataFrame | None,
) -> Path:
    from ..pages.study import StudyPage, write_study_page

    page = StudyPage(
        manifest,
        tables.summary if tables else None,
        tables.events if tables else None,
        tables.paths if tables else None,
        after.summary if after else None,
        periods,
        sensitivity,
        claim,
    )
    return write_study_page(page, tmp / "study.html")


def _manifest(
    loaded: LoadedConfig, prep: _Prepared, run_id: str, hindsight: Mapping[str, str], spec: StudySpec
) -> dict[str, Any]:
    cfg = loaded.config
    market = prep.market
    return {
        "rotsim_study": cfg.name,
        "run_id": run_id,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "config_file": str(loaded.path),
        "config": cfg.model_dump(mode="json"),
        "description": cfg.description,
        "data": {
            "source": market.source,
            "synthetic": market.synthetic,
            "sample": [str(prep.days[0].date()), str(prep.days[-1].date())],
            "events_until": str(spec.events_until.date()) if spec.events_until is not None else None,
            "tickers": dict(market.hashes),
            "warnings": list(market.warnings),
        },
        "assets": dict(prep.assets),
        "benchmark": cfg.benchmark,
        "events": {
            label: {
                "strategy": p.strategy.name,
                "params": p.params,
                "hindsight": hindsight.get(label),
                "vintage": None if market.synthetic else p.vintage_note(),  # revised figures as if known then
            }
            for label, p in prep.events.items()
        },
        "hindsight": dict(hindsight),  # every strategy the study ran that reads the future on purpose
        "method": {
            "forward_return": f"from the {'event day' if spec.entry == 'close' else 'next trading day'}'s close "
            "to h trading days later, as a fraction",
            "baseline": "the same forward return averaged over every day of the sample (through events_until) "
            "with a complete window",
            "t_stat": "OLS of the forward return on an event dummy, Newey-West (HAC) errors with h - 1 lags "
            "(statsmodels; no small-sample correction); p_value Holm-adjusted across horizons",
            "ci": "stationary block bootstrap (arch) of the events' mean, mean block length h, "
            f"{spec.boot.reps if spec.boot else 0} resamples, seed {spec.boot.seed if spec.boot else '-'}",
            "independent": "events outside an earlier kept event's window of h days"
            + (" (the statistics use these only)" if spec.independent else " (counted; the statistics use all)"),
            "past_data": "events whose window runs past the data are listed in events.csv, not averaged (n_past_data)",
        },
        "packages": package_versions(),
    }
