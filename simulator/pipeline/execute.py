"""One run, start to finish: plan -> data -> strategies -> engine -> results folder -> pages.

The config is read here and in ``plan``; what goes down to the data, the
strategies, the engine and the reports are plain values.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, cast, final

import pandas as pd

from ..config import LoadedConfig
from ..data.market.alignment import MarketData, build_market
from ..data.sources import DataAccess
from ..engine.metrics import COLUMNS, PERIODS, definitions, performance
from ..engine.simulate import SimResult, buy_and_hold, simulate
from ..errors import DataError
from ..lookahead import even_cuts
from ..plugins import Registry
from ..reports.files import file_stem, package_versions, slug, weights_table, write_csv, write_manifest
from ..reports.folder import check_destination, new_run_id, results_folder
from ..reports.holdings import holdings_brief, holdings_summary
from .lookahead_check import run_check
from .plan import PlannedStrategy, RunPlan, make_plan

Step = Callable[[str], None]
Extra = Callable[[Path], tuple[list[Path], dict[str, Any]]]  # results folder -> (files written, manifest entries)

LOOKAHEAD_METHOD = (
    "each strategy is re-run on its data cut after each day listed: a weight or signal up to that day that "
    "changes is look-ahead, and the run is refused unless the strategy's params declare hindsight"
)


@final
@dataclass
class RunOutput:
    folder: Path
    metrics: pd.DataFrame
    files: list[Path]
    warnings: list[str]
    synthetic: bool
    timings: dict[str, float] = field(default_factory=dict)
    hindsight: dict[str, str] = field(default_factory=dict)  # label -> why it uses what was only known later
    lookahead: dict[str, str] = field(default_factory=dict)  # label -> what the look-ahead check found
    failed: dict[str, str] = field(default_factory=dict)  # report file (relative) -> why it was not written
    vintage: dict[str, str] = field(default_factory=dict)  # label -> which revised figures it reads as if known then


def count_steps(loaded: LoadedConfig) -> int:
    n = len(loaded.config.strategies)
    checked = 1 if loaded.config.engine.lookahead_checks else 0
    reports = n + (1 if n >= 2 else 0) if loaded.config.report.tearsheets else 0  # each tearsheet, the one of all
    return 4 + n + checked + reports + (1 if n >= 2 else 0)


def execute(
    loaded: LoadedConfig,
    registry: Registry,
    *,
    data_dir: str | Path | None = None,
    out: str | Path | None = None,
    step: Step = lambda _: None,
    access: DataAccess | None = None,
    planned: tuple[RunPlan, MarketData] | None = None,
    extra: Extra | None = None,
    timings: dict[str, float] | None = None,
    into: Path | None = None,
) -> RunOutput:
    """Run every strategy of ``loaded`` and write the results folder; returns what was written.

    ``planned``: the plan and its data, when the caller made them (a sweep);
    ``extra(folder)``: writes more files into the results folder before it is
    moved into place and returns them with entries for the manifest;
    ``timings``: seconds already spent, which the manifest's timings start from;
    ``into``: the results folder itself, instead of a new one named by run id
    under ``out``/<name> (a sweep's variant runs, each in its own folder).
    """
    cfg = loaded.config
    timings = {} if timings is None else timings
    clock = partial(timed, timings)
    parent = into.parent if into else (Path(out) if out else Path(cfg.report.out)) / cfg.name
    check_destination(parent)  # before the computing, not after it

    step("checking config and data")
    if planned is None:
        with clock("plan"):
            plan = make_plan(loaded, registry, data_dir, access)
    else:
        plan, market = planned
    if cfg.report.tearsheets:
        from ..reports.tearsheet_server import start_workers

        start_workers(len(plan.strategies))  # their quantstats imports while the run computes (if not yet started)
    step("loading data")
    if planned is None:
        with clock("data"):
            market = load_market(plan)
    bench = cfg.benchmark_title
    books: dict[str, pd.DataFrame] = {}
    signals: dict[str, pd.Series] = {}
    inputs, outputs = {}, {}
    with clock("strategies"):
        for p in plan.strategies:
            step(f"strategy {p.label}")
            inputs[p.label] = data = market.input_for(p.tickers, p.strategy.series)
            outputs[p.label] = weights = p.strategy.weights(data, p.params)
            books[p.label] = by_ticker(weights, p.tickers).reindex(market.prices.index)
            if (signal := weights.attrs.get("signal")) is not None:
                signals[p.label] = signal.loc[market.start : market.end]
    cuts = even_cuts(
        cast(pd.DatetimeIndex, market.prices.loc[market.start : market.end].index), cfg.engine.lookahead_checks
    )
    off = cfg.engine.lookahead_checks == 0
    lookahead = dict.fromkeys(inputs, f"not checked ({'engine.lookahead_checks: 0' if off else 'too few days to cut'})")
    if cuts:
        step("checking for look-ahead")
        with clock("lookahead"):
            lookahead = run_check(loaded, plan.strategies, inputs, outputs, cuts)

    step("simulating")
    with clock("engine"):
        policies = {s.title: s.rebalance for s in cfg.strategies if s.rebalance}
        rate = cash_rate(market)
        cash = rate if cfg.engine.cash_earns == "risk_free" else None
        sims = simulate(books, market.prices, plan.engine, market.start, market.end, cash, policies)
        sims[bench] = buy_and_hold(market.prices[cfg.benchmark], market.start, market.end, plan.engine.initial_cash)
    rf = rate.loc[market.start : market.end].fillna(0.0) if plan.ratios_over_risk_free and rate is not None else None
    metrics = metrics_frame(sims, bench, rf)
    held = {
        p.label: holdings_summary(books[p.label].loc[market.start : market.end], signals.get(p.label))
        for p in plan.strategies
    }
    titles = {p.label: tearsheet_title(p, held[p.label], bench, market.synthetic) for p in plan.strategies}

    step("writing results")
    run_id = new_run_id()
    failed: dict[str, str] = {}  # report file -> why it is not there
    with results_folder(parent, into.name if into else run_id) as (tmp, final):
        with clock("results files"):
            files = _write_tables(tmp, sims, bench, metrics)
            if rf is not None:
                files.append(write_csv(rf.rename("risk_free").rename_axis("date").to_frame(), tmp / "risk_free.csv"))
            if signals:
                files.append(write_csv(pd.DataFrame(signals).astype(int).rename_axis("date"), tmp / "signals.csv"))
        drawn: Any = None  # what the tearsheets drew of quantstats' report of all strategies
        if cfg.report.tearsheets:
            with clock("tearsheets"):
                report = _report_title(cfg.name, bench, market.synthetic) if len(plan.strategies) >= 2 else None
                written, drawn, seconds = _write_tearsheets(tmp, sims, bench, step, titles, rf, failed, report)
                files += written
            timings.update({f"tearsheet {name}": s for name, s in seconds.items()})
        (tmp / "config.yaml").write_text(loaded.text, encoding="utf-8")
        files.append(tmp / "config.yaml")
        more: dict[str, Any] = {}
        if extra is not None:
            written_extra, more = extra(tmp)
            files += written_extra
        history_from = {label: data.index[0] for label, data in inputs.items()}  # each strategy's warm-up
        manifest = _manifest(plan, market, run_id, timings, held, sims, cuts, lookahead, history_from) | more
        files.append(write_manifest(tmp / "manifest.json", manifest | {"failed_reports": failed}))
        if len(plan.strategies) >= 2:
            step("comparison page")  # built from the files just written, as `rotsim compare` builds it
            with clock("comparison page"):
                files += _write_run_page(tmp, drawn or cfg.report.tearsheets, failed)
            # again: the page's time, and any report it could not write
            manifest["timings_seconds"] = rounded(timings)
            write_manifest(tmp / "manifest.json", manifest | {"failed_reports": failed})
        rel = [f.relative_to(tmp) for f in files]
    folder = final[0]
    hindsight = {p.label: note for p in plan.strategies if (note := p.hindsight_note())}
    # declared look-ahead is allowed, and said out loud with the data's warnings
    peeks = [f"strategy '{label}' {found}" for label, found in lookahead.items() if found.startswith("looks ahead")]
    return RunOutput(
        folder,
        metrics,
        [folder / r for r in rel],
        [*market.warnings, *peeks],
        market.synthetic,
        timings,
        hindsight,
        lookahead,
        failed,
        vintage={} if market.synthetic else {p.label: note for p in plan.strategies if (note := p.vintage_note())},
    )


def load_market(plan: RunPlan) -> MarketData:
    """The plan's data on one calendar; a data error without a file of its own points at the config's data."""
    cfg = plan.loaded.config
    try:
        return build_market(
            plan.source,
            plan.tickers,
            cfg.benchmark,
            plan.series_specs,
            cfg.data.start,
            cfg.data.end,
            cfg.data.publication_lag_days,
        )
    except DataError as exc:
        if exc.where:
            asked = _column_asked(plan, exc.message)
            if asked is None:
                raise
            # A Ken French file without the column the config named: the fix is in the config.
            raise DataError(f"{exc.message} (in {exc.where})", where=asked) from None
        key = ("data", "start") if cfg.data.start else ("data",)
        raise DataError(exc.message, where=plan.loaded.where(*key)) from None


def _column_asked(plan: RunPlan, message: str) -> str | None:
    """The config line of the Ken French ticker a 'no column' error is about, if the config names it there."""
    cfg = plan.loaded.config
    if "no column" not in message:
        return None
    for role, ticker in cfg.universe.items():
        if ticker.startswith("FF:") and ticker in message:
            return plan.loaded.where("universe", role)
    if cfg.benchmark.startswith("FF:") and cfg.benchmark in message:
        return plan.loaded.where("benchmark")
    return None


def by_ticker(weights: pd.DataFrame, tickers_by_role: Mapping[str, str]) -> pd.DataFrame:
    """Role weights to ticker weights (two roles on one ticker add up)."""
    tickers = [tickers_by_role[c] for c in weights.columns]
    return weights.T.groupby(tickers, sort=False).sum().T


def tearsheet_title(p: PlannedStrategy, held: Mapping[str, Any], bench: str, synthetic: bool) -> tuple[str, str]:
    """A tearsheet's heading and the line under it.

    ('Label vs S&P 500 (SPY)', 'holds IWM (31% of days), SPY (69%); signal on 31% of days').

    HINDSIGHT leads when the strategy's params use the future (unless the label says it already);
    SYNTHETIC DATA ends the heading on the sample market; on real data a data-vintage note ends the line under it.
    """
    mark = "HINDSIGHT — " if p.hindsight_note() and "HINDSIGHT" not in p.label else ""
    note = " — SYNTHETIC DATA" if synthetic else ""
    # a caveat under the title, not a mark; generated numbers have no vintage
    vintage = f" — data vintage: {v}" if not synthetic and (v := p.vintage_note()) else ""
    return f"{mark}{p.label} vs {bench}{note}", holdings_brief(held) + vintage


def metrics_frame(sims: Mapping[str, SimResult], bench: str, rf: pd.Series | None = None) -> pd.DataFrame:
    """One row of ``COLUMNS`` per book; Sharpe and Sortino over ``rf`` (daily; None: 0)."""
    b = sims[bench].returns
    rows = {}
    for label, sim in sims.items():
        m = performance(sim.returns, b, rf)
        rows[label] = m | {"turnover": sim.turnover, "exposure": sim.exposure}
    frame = pd.DataFrame.from_dict(rows, orient="index")[list(COLUMNS)]
    frame.index.name = "strategy"
    return frame


def cash_rate(market: MarketData) -> pd.Series | None:
    """What cash earns each day (the series risk_free, percent a year, as a daily return), or None.

    The rate known at yesterday's close is what cash earns today; on the
    warm-up calendar, so the run's first day has yesterday's rate too.
    """
    if "risk_free" not in market.macro:
        return None
    annual = market.macro["risk_free"] / 100.0
    return ((1.0 + annual) ** (1.0 / PERIODS) - 1.0).shift(1)


def _write_tables(tmp: Path, sims: Mapping[str, SimResult], bench: str, metrics: pd.DataFrame) -> list[Path]:
    files = [write_csv(metrics, tmp / "metrics.csv")]
    returns = pd.DataFrame({label: s.returns for label, s in sims.items()})
    returns.index.name = "date"
    files.append(write_csv(returns, tmp / "returns.csv"))
    for label, sim in sims.items():
        name = file_stem(label, bench)
        files.append(write_csv(weights_table(sim.weights, sim.cash), tmp / "weights" / f"{name}.csv"))
        files.append(write_csv(sim.orders.set_index("date"), tmp / "trades" / f"{name}.csv"))
    return files


def _write_tearsheets(
    tmp: Path,
    sims: Mapping[str, SimResult],
    bench: str,
    step: Step,
    titles: Mapping[str, tuple[str, str]],
    rf: pd.Series | None = None,
    failed: dict[str, str] | None = None,
    report: str | None = None,
) -> tuple[list[Path], Any, dict[str, float]]:
    """The tearsheets written, what they drew of quantstats' report of all strategies, each report's seconds.

    Each one that fails is named in ``failed`` (the rest are written).
    ``report``: that report's title, to compute it beside them; None: none.
    """
    from ..reports.tearsheet_pool import AllStrategiesJob, TearsheetJob, write_tearsheets

    (tmp / "tearsheets").mkdir()
    b = sims[bench].returns
    jobs = [
        TearsheetJob(
            sim.returns,
            b,
            tmp / "tearsheets" / f"{slug(label)}.html",
            titles[label][0],
            label,
            bench,
            titles[label][1],
            rf,
        )
        for label, sim in sims.items()
        if label != bench
    ]
    # as the run's page computes it from returns.csv and risk_free.csv (write_run_page): the same numbers
    returns = pd.DataFrame({label: sim.returns for label, sim in sims.items() if label != bench})
    all_job = None if report is None else AllStrategiesJob(returns, b, report, bench, rf)

    into: dict[str, str] = {} if failed is None else failed  # on_failed is passed only when failed is

    def on_failed(job: TearsheetJob, exc: Exception) -> None:
        _discard([job.path], exc)
        into[job.path.relative_to(tmp).as_posix()] = _not_written(f"tearsheet of '{job.strategy_title}'", exc)

    def on_done(job: TearsheetJob | AllStrategiesJob) -> None:
        step("all-strategies report drawn" if job is all_job else f"tearsheet {job.name} written")  # within 40 columns

    done = write_tearsheets(jobs, on_done, None if failed is None else on_failed, all_job)
    if not any((tmp / "tearsheets").iterdir()):  # every one failed: no empty folder either
        (tmp / "tearsheets").rmdir()
    return done.written, done.drawn, done.seconds


def _report_title(name: str, bench: str, synthetic: bool) -> str:
    from ..pages.write import run_report_title

    return run_report_title(name, bench, synthetic)


def _write_run_page(tmp: Path, quantstats: Any, failed: dict[str, str]) -> list[Path]:
    """index.html (and quantstats' report of all strategies); what fails is named in ``failed``.

    ``quantstats``: False, True, or what the tearsheets drew of that report
    (``write_run_page``'s argument). When the page with quantstats' report
    fails and without it does not, quantstats' report is what failed: the
    page is written without it.
    """
    from ..pages.write import QUANTSTATS_ALL, write_run_page

    errors: list[Exception] = []
    for with_quantstats in [quantstats, False] if quantstats else [False]:
        before = _files_in(tmp)
        try:
            files = write_run_page(tmp, quantstats=with_quantstats)
        except Exception as exc:  # noqa: BLE001 - a report's failure must not lose the results
            _discard(_files_in(tmp) - before, exc)
            errors.append(exc)
            continue
        if errors:
            failed[QUANTSTATS_ALL.as_posix()] = _not_written("quantstats' report of all strategies", errors[0])
        return files
    what = "comparison page" + (" and quantstats' report of all strategies" if quantstats else "")
    failed["index.html"] = _not_written(what, errors[-1])
    return []


# a destination that fails these ways fails every write: the run stops, nothing is kept
_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO}


def _discard(partial: Iterable[Path], exc: Exception) -> None:
    """Remove what a failed report left; a full or read-only disk is no report's failure: raise it."""
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRORS:
        raise exc
    for path in partial:
        path.unlink(missing_ok=True)


def _not_written(what: str, exc: Exception) -> str:
    return f"{what} not written: {type(exc).__name__}: {_first_line(exc)}"


def _files_in(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0]


def _manifest(
    plan: RunPlan,
    market: MarketData,
    run_id: str,
    timings: dict[str, float],
    held: Mapping[str, dict[str, Any]],
    sims: Mapping[str, SimResult],
    cuts: list[pd.Timestamp],
    lookahead: Mapping[str, str],
    history_from: Mapping[str, pd.Timestamp],
) -> dict[str, Any]:
    cfg = plan.loaded.config
    rate = risk_free_note(plan)
    return {
        "rotsim_run": cfg.name,
        "run_id": run_id,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "config_file": str(plan.loaded.path),
        "config": cfg.model_dump(mode="json"),
        "data": {
            "source": market.source,
            "synthetic": market.synthetic,
            "label": "SYNTHETIC market generated by rotsim, not history" if market.synthetic else "historical data",
            "start": str(market.start.date()),
            "end": str(market.end.date()),
            "history_from": str(market.history_from.date()),
            "tickers": {t: h for t, h in market.hashes.items()},
            "macro_series": list(plan.series),
            "warnings": list(market.warnings),
            "provenance": getattr(plan.source, "provenance", {}),
        },
        "benchmark": {
            "ticker": cfg.benchmark,
            "label": cfg.benchmark_title,
            "returns": "the ticker's total return (adjusted closes' daily change), held from the first close; "
            "not traded, no costs",
        },
        "metrics": {"risk_free": rate or "none (rf = 0)", "definitions": definitions(rate)},
        "lookahead_check": {
            "cuts": cfg.engine.lookahead_checks,
            "off": cfg.engine.lookahead_checks == 0,
            "after": [str(t.date()) for t in cuts],
            "method": LOOKAHEAD_METHOD,
        },
        "strategies": [
            {
                "label": p.label,
                "strategy": p.strategy.name,
                "plugin": p.strategy.plugin,
                "description": p.strategy.description,
                "params": p.params,
                "roles": dict(p.tickers),
                "series": list(p.strategy.series),
                "hindsight": p.hindsight_note(),
                "vintage": None if market.synthetic else p.vintage_note(),
                "lookahead": lookahead[p.label],
                "holdings": held[p.label],
                "history_from": str(history_from[p.label].date()),
                **first_day_note(sims[p.label], market, cfg.engine.lag),
            }
            for p in plan.strategies
        ],
        "packages": package_versions(),
        "timings_seconds": rounded(timings),
    }


def risk_free_note(plan: RunPlan) -> str | None:
    """The rate Sharpe and Sortino are over, in words, or None (rf = 0)."""
    if not plan.ratios_over_risk_free:
        return None
    spec = next(s for s in plan.series_specs if s.name == "risk_free")
    return f"series risk_free ({'+'.join(spec.ids)}), the rate cash earns, known at the previous close"


def first_day_note(sim: SimResult, market: MarketData, lag: int) -> dict[str, str | None]:
    """When the book first held a decided target, and why not from the first day when it did not."""
    first = sim.first_target
    out: dict[str, str | None] = {"first_target": str(first.date()) if first is not None else None}
    if first != market.start:
        before = int((market.prices.index < market.start).sum())
        out["first_day_note"] = (
            f"no decision {lag} bar(s) before the first day ({before} bar(s) of history before it): "
            f"in cash until {first.date() if first is not None else 'the end'}"
        )
    return out


def rounded(timings: Mapping[str, float]) -> dict[str, float]:
    """Seconds to the millisecond, as the manifest shows them."""
    return {k: round(v, 3) for k, v in timings.items()}


@contextmanager
def timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Add the seconds the block takes to ``timings[name]``."""
    t = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - t
