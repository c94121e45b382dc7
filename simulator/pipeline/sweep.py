"""A parameter sweep, start to finish: plan -> data -> every variant in chunks -> the default's full run -> results.

The sweep's variants run in chunks, on local processes or a Dask cluster;
each chunk's returns and metrics are written as it ends into a working
folder beside the results (``<out>/<name>/.sweep-<run-id>``), which an
interrupted sweep keeps, so that ``--resume`` computes only the chunks that
are missing. Meanwhile the default variant (the entry's own ``params``) is
run as a plain run (tearsheet, weights, trades, the other strategies of the
config); once every chunk is in, the sweep's files go into its results
folder under ``sweep/``, with ``sweep.parquet`` and ``sweep.csv`` beside
``metrics.csv``, before the folder is moved into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, final

import pandas as pd

from ..config import LoadedConfig
from ..config.sweep_schema import SweepConfig
from ..data.market.alignment import MarketData
from ..data.sources import DataAccess
from ..engine.simulate import buy_and_hold
from ..errors import ConfigError, UserError
from ..plugins import Registry
from ..reports.files import write_csv
from ..reports.folder import check_destination, new_run_id
from ..sweep.backend import Chunks, OnResult
from ..sweep.chunks import chunk_files, done_chunks, each_returns, read_metrics, read_returns, write_chunk
from ..sweep.run import ChunkResult, SweepData, chunks
from .execute import RunOutput, Step, cash_rate, count_steps, execute, load_market, timed
from .plan import RunPlan, make_plan
from .sweep_files import VARIANTS, Selector, check_files, chosen_ids, write_variant_files
from .sweep_plan import SweepPlan, plan_sweep

__all__ = [
    "LOWER_IS_BETTER",
    "SweepOutput",
    "count_sweep_steps",
    "execute_sweep",
    "finish_sweep",
    "sweep_table",
]

SCHEDULER_ENV = "ROTSIM_DASK_SCHEDULER"
STATE = "sweep-state.json"  # in the working folder: what the sweep is, so that --resume continues only the same one
LOWER_IS_BETTER = frozenset({"volatility", "turnover"})  # every other metric ranks the higher value first


@final
@dataclass
class SweepOutput:
    """What a sweep wrote: the default's run, the sweep's table, and how its chunks were computed."""

    run: RunOutput
    table: pd.DataFrame
    default: str
    computed: list[int] = field(default_factory=list)  # chunks computed by this call
    resumed: list[int] = field(default_factory=list)  # chunks found done in the working folder


def count_sweep_steps(loaded: LoadedConfig, n_chunks: int) -> int:
    return count_steps(loaded) + n_chunks + 2


def execute_sweep(
    loaded: LoadedConfig,
    registry: Registry,
    *,
    data_dir: str | Path | None = None,
    out: str | Path | None = None,
    step: Step = lambda _: None,
    access: DataAccess | None = None,
    scheduler: str | None = None,
    resume: Path | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    on_chunk: Callable[[ChunkResult], None] | None = None,
    on_client: Callable[[Any], None] | None = None,
    said: Callable[[str], None] = lambda _: None,
    files: Sequence[str] | None = None,
) -> SweepOutput:
    """Run every variant of ``loaded``'s sweep, then its default variant in full, and write the results folder.

    ``scheduler``: a Dask scheduler's address (default: ``$ROTSIM_DASK_SCHEDULER``,
    else local processes); ``resume``: the working folder of an interrupted
    sweep of the same config and data; ``on_chunk``: called as each chunk is
    written (tests); ``said``: told where an interrupted sweep's chunks are kept;
    ``files``: ``--files`` values, the variants given their own results files
    under ``variants/`` (default: the config's ``sweep.files``; see ``sweep_files``).
    """
    cfg = loaded.config
    timings: dict[str, float] = {}
    clock = partial(timed, timings)
    parent = (Path(out) if out else Path(cfg.report.out)) / cfg.name
    check_destination(parent)  # before the computing, not after it
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler:
        from ..sweep.dask_backend import check_dask

        check_dask()
    step("checking config and sweep")
    with clock("plan"):
        sweep, plan, selectors = _plans(loaded, registry, data_dir, access, files)
    size = chunk_size or cfg.sweep.chunk_size
    todo_all = chunks(sweep.ids, sweep.params, size)
    step("loading data")
    with clock("data"):
        market = load_market(plan)
    data = sweep_data(plan, market, sweep)
    made = [f for f in reversed([parent, *parent.parents]) if not os.path.lexists(f)]  # outermost first
    folder = _working_folder(parent, resume, _fingerprint(loaded, market, sweep, size))
    resumed = sorted(done_chunks(folder))
    todo = [c for c in todo_all if c.number not in resumed]
    computed: list[int] = []

    lock = threading.Lock()

    def arrived(result: ChunkResult) -> None:
        write_chunk(folder, result)
        with lock:
            computed.append(result.number)
            done = len(resumed) + len(computed)
        step(f"chunk {done}/{len(todo_all)} written")
        if on_chunk is not None:
            on_chunk(result)

    runner: Chunks
    if scheduler:
        from ..sweep.dask_backend import DaskChunks

        runner = DaskChunks(scheduler, data, todo, on_client)
    else:
        from ..sweep.local import LocalChunks

        runner = LocalChunks(data, todo, workers or cfg.sweep.workers)
    drain = _Drain(runner, arrived, timings)

    def write_sweep(tmp: Path) -> tuple[list[Path], dict[str, Any]]:
        drain.wait()  # every chunk written (a variant's failure is raised here)
        step("sweep table")
        with clock("sweep table"):
            table = sweep_table(sweep, read_metrics(folder))
        tables.append(table)
        with clock("sweep files"):
            paths = _link_chunks(folder, tmp / "sweep", sorted(set(resumed) | set(computed)))
            paths.append(write_csv(table, tmp / "sweep.csv"))
            table.to_parquet(tmp / "sweep.parquet", engine="pyarrow")
            paths.append(tmp / "sweep.parquet")
        with clock("ledger and page"):
            written, ledger = finish_sweep(
                tmp,
                table,
                folder,
                data.benchmark,
                data.rf,
                sweep.default,
                cfg.sweep.metric,
                sweep.names,
                settings=cfg.sweep,
                title=f"{sweep.label}: {len(sweep.ids):,} variants vs {cfg.benchmark_title}",
            )
            paths += written
        ids = chosen_ids(selectors, sweep, table)
        if ids:
            with clock("variant files"):
                paths += write_variant_files(
                    tmp,
                    loaded,
                    registry,
                    sweep,
                    ids,
                    data_dir=data_dir,
                    access=access,
                    step=step,
                    loaded_data=(plan, market),
                )
        entry = _manifest_entry(sweep, table, scheduler, size, resumed, computed) | ledger
        return paths, {"sweep": entry | {"variant_files": {vid: f"{VARIANTS}/{vid}" for vid in ids}}}

    tables: list[pd.DataFrame] = []
    try:
        # the chunks compute while the default variant runs in full (its tearsheet keeps a core busy alone)
        drain.start()
        result = execute(
            loaded,
            registry,
            data_dir=data_dir,
            out=out,
            step=step,
            access=access,
            planned=(plan, market),
            extra=write_sweep,
            timings=timings,
        )
    except BaseException as exc:
        drain.cancel()
        kept = len(resumed) + len(computed)
        if kept and not isinstance(exc, UserError):  # Ctrl-C or a crash: what was computed is kept
            note = f"{kept} of {len(todo_all)} chunks kept in {folder}; continue with --resume {folder}"
            exc.add_note(note)  # what the command line says instead of "nothing was written"
            said(note)
        elif resume is None:  # bad input (a variant's strategy fails) fails again: nothing is kept
            shutil.rmtree(folder, ignore_errors=True)
            _remove_empty(made)
        raise
    table = tables[0]
    shutil.rmtree(folder, ignore_errors=True)  # the results hold every chunk now
    return SweepOutput(result, table, sweep.default, sorted(computed), resumed)


def finish_sweep(
    folder: Path,
    table: pd.DataFrame,
    returns: pd.DataFrame | Path,
    benchmark: pd.Series,
    rf: pd.Series | None,
    default_id: str,
    metric: str,
    params: Sequence[str],
    *,
    settings: SweepConfig | None = None,
    title: str = "",
) -> tuple[list[Path], dict[str, Any]]:
    """The sweep's overfitting ledger and page (``sweep.html``) in ``folder``: the files written, manifest entries.

    ``table``: a row per variant, indexed by variant id (the swept ``params``,
    the metrics, ``rank`` by ``metric``, ``default``, ``hindsight``);
    ``returns``: daily returns, dates x variant ids, or a sweep folder whose
    chunks hold them (read a chunk at a time: memory does not grow with the
    variants, except for the SPA bootstrap's matrix when ``bootstrap_reps`` > 0);
    ``benchmark``, ``rf``: daily, on the same dates; ``default_id``: the
    default variant's id; ``settings``: the config's ``sweep:`` (the ledger's
    bootstrap, PBO and walk-forward settings). The manifest entries go under
    the manifest's ``sweep``: the ledger's figures and its sentences.
    """
    from ..pages.sweep import curve_ids, write_sweep_page
    from ..sweep.ledger import streamed_ledger

    s = settings or SweepConfig()
    if isinstance(returns, pd.DataFrame):
        frame = returns
        parts: Iterable[pd.DataFrame] = [frame]

        def columns(ids: Sequence[str]) -> pd.DataFrame:
            return frame[list(ids)]
    else:
        on_disk = returns
        parts = each_returns(on_disk)

        def columns(ids: Sequence[str]) -> pd.DataFrame:
            return read_returns(on_disk, ids)[list(ids)]

    ledger = streamed_ledger(
        parts,
        columns,
        benchmark,
        rf,
        default=default_id,
        metric=metric,
        pbo_splits=s.pbo_splits,
        bootstrap_reps=s.bootstrap_reps,
        block_size=s.block_size,
        seed=s.seed,
        train_days=s.train_days,
        test_days=s.test_days,
        expanding=s.expanding,
    )
    path = folder / "sweep.html"
    curves = columns(list(dict.fromkeys(curve_ids(table, default_id))))  # the page draws three variants only
    write_sweep_page(
        path, table, curves, benchmark, ledger, default=default_id, metric=metric, params=params, title=title
    )
    return [path], {"ledger": ledger.to_dict(), "ledger_in_words": ledger.sentences()}


def sweep_data(plan: RunPlan, market: MarketData, sweep: SweepPlan) -> SweepData:
    """What every chunk needs, from the run's plan and data, as a single run of the strategy would see it."""
    cfg = plan.loaded.config
    p = next(s for s in plan.strategies if s.label == sweep.label)
    inputs = market.input_for(p.tickers, p.strategy.series)
    tickers = list(dict.fromkeys(p.tickers.values()))
    rate = cash_rate(market)
    rf = rate.loc[market.start : market.end].fillna(0.0) if plan.ratios_over_risk_free and rate is not None else None
    bench = buy_and_hold(market.prices[cfg.benchmark], market.start, market.end, plan.engine.initial_cash)
    return SweepData(
        strategy=p.strategy,
        inputs=inputs,
        tickers=dict(p.tickers),
        prices=market.prices[tickers],
        engine=plan.engine,
        policy=cfg.strategies[sweep.entry].rebalance or cfg.engine.rebalance,
        start=market.start,
        end=market.end,
        cash_returns=rate if cfg.engine.cash_earns == "risk_free" else None,
        benchmark=bench.returns,
        rf=rf,
    )


def sweep_table(sweep: SweepPlan, metrics: pd.DataFrame) -> pd.DataFrame:
    """A row per variant: its swept params, every metric, ``rank`` by the sweep's metric, ``default``, ``hindsight``."""
    params = pd.DataFrame(
        [{n: p[n] for n in sweep.names} for p in sweep.params], index=pd.Index(sweep.ids, name="variant")
    )
    table = params.join(metrics.reindex(params.index))
    metric = sweep.settings.metric
    table["rank"] = (
        table[metric].rank(ascending=metric in LOWER_IS_BETTER, method="min", na_option="bottom").astype(int)
    )
    table["default"] = table.index == sweep.default
    table["hindsight"] = table.index.isin(sorted(sweep.hindsight))
    return table


def _plans(
    loaded: LoadedConfig,
    registry: Registry,
    data_dir: str | Path | None,
    access: DataAccess | None,
    files: Sequence[str] | None,
) -> tuple[SweepPlan, RunPlan, list[Selector]]:
    """The sweep's variants, the run's plan and the files asked for; every error of all at once, before any data."""
    errors: list[str] = []
    sweep: SweepPlan | None = None
    selectors: list[Selector] = []
    try:
        sweep = plan_sweep(loaded, registry)
    except ConfigError as exc:
        errors.append(str(exc))
    if sweep is not None:
        selectors, bad = check_files(loaded, sweep, files)
        if bad and files is not None:  # the command line's mistake, not the config's
            raise UserError("\n".join(bad))
        errors += bad
    try:
        plan = make_plan(loaded, registry, data_dir, access)
    except ConfigError as exc:
        raise ConfigError("\n".join([*errors, str(exc)])) from None
    if errors:
        raise ConfigError("\n".join(errors))
    if sweep is None:
        raise ConfigError("no strategy of this config has a sweep: (strategies[i].sweep)", where=str(loaded.path))
    return sweep, plan, selectors


def _fingerprint(loaded: LoadedConfig, market: MarketData, sweep: SweepPlan, size: int) -> str:
    """What makes a sweep's chunks the same: the config's text, the data's hashes, the variants and the chunk size."""
    h = hashlib.sha256()
    for part in (loaded.text, json.dumps(market.hashes, sort_keys=True), repr(sweep.params), str(size)):
        h.update(part.encode())
    return h.hexdigest()


def _working_folder(parent: Path, resume: Path | None, fingerprint: str) -> Path:
    """The folder chunks are written into: a new one, or ``resume`` when it holds this same sweep."""
    if resume is not None:
        state = resume / STATE
        try:
            saved = json.loads(state.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise UserError(
                f"not the working folder of an interrupted sweep (no readable {STATE})", where=str(resume)
            ) from None
        if saved.get("fingerprint") != fingerprint:
            raise UserError(
                "this folder holds a sweep of another config, data or chunk size: start afresh without --resume",
                where=str(resume),
            )
        return resume
    parent.mkdir(parents=True, exist_ok=True)
    folder = parent / f".sweep-{new_run_id()}-{os.getpid()}"
    folder.mkdir()
    (folder / STATE).write_text(json.dumps({"fingerprint": fingerprint}), encoding="utf-8")
    return folder


def _remove_empty(made: Sequence[Path]) -> None:
    """Remove the folders a failed sweep made (innermost first), each only if empty: another run may write there."""
    for f in reversed(made):
        try:
            f.rmdir()
        except OSError:
            break


def _link_chunks(src: Path, dest: Path, numbers: Sequence[int]) -> list[Path]:
    """The chunks' files in ``dest``: hard links where the disk allows (instant), else copies."""
    out = []
    for path in chunk_files(src, numbers):
        target = dest / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        out.append(target)
    return out


def _manifest_entry(
    sweep: SweepPlan, table: pd.DataFrame, scheduler: str | None, size: int, resumed: list[int], computed: list[int]
) -> dict[str, Any]:
    best = table["rank"].idxmin()
    return {
        "strategy": sweep.label,
        "params": list(sweep.names),
        "variants": len(sweep.ids),
        "default": sweep.default,
        "best": str(best),
        "metric": sweep.settings.metric,
        "chunk_size": size,
        "chunks": {"total": -(-len(sweep.ids) // size), "computed": len(computed), "resumed": len(resumed)},
        "ran_on": f"dask scheduler {scheduler}" if scheduler else "local processes",
        "hindsight_variants": sorted(sweep.hindsight),
        "files": {
            "sweep.parquet": "a row per variant: its params, the metrics of metrics.csv, rank by the metric, default",
            "sweep/returns/chunk-NNNNN.parquet": "daily returns, dates x variant ids, a file per chunk",
            "sweep/metrics/chunk-NNNNN.parquet": "the chunk's rows of sweep.parquet's metrics",
        },
        "lookahead_check": "the default variant's (the run's look-ahead check), not each variant's",
    }


class _Drain:
    """A sweep's chunks drained in a thread of their own, so that the sweep can run its default variant meanwhile.

    ``start`` sends the chunks out (here: the workers fork from the main
    thread) and starts draining; ``wait`` returns when every chunk is
    written, raising what stopped the drain (a variant's failure); ``cancel``
    stops it and ends the computing. The drain's seconds are ``timings['variants']``.
    """

    def __init__(self, runner: Chunks, on_result: OnResult, timings: dict[str, float]) -> None:
        self.runner, self.on_result, self.timings = runner, on_result, timings
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="rotsim-sweep-chunks", daemon=True)

    def start(self) -> None:
        self.t0 = time.perf_counter()
        self.runner.start()
        self.thread.start()

    def _run(self) -> None:
        try:
            self.runner.drain(self.on_result, self.stop)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread by wait()
            self.error = exc
        finally:
            self.timings["variants"] = time.perf_counter() - self.t0

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error

    def cancel(self) -> None:
        self.stop.set()
        self.runner.cancel()
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join()
