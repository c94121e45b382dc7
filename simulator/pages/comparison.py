"""Read finished results folders back and line them up for one comparison page.

A run's page and ``rotsim compare`` share this path: both start from the files
a run wrote (manifest.json, returns.csv, weights/, trades/, signals.csv), so
what the page shows is exactly what is on disk. Metrics are recomputed on the
dates every run shares with :func:`simulator.engine.metrics.performance`, the
function the run itself used; for a single run that span is the whole run and
the numbers equal its metrics.csv.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast, final

import numpy as np
import pandas as pd

from ..engine.metrics import COLUMNS, performance
from ..engine.simulate import turnover
from ..errors import UserError
from ..reports.files import DATE_FORMAT, file_stem

REQUIRED = ("manifest.json", "returns.csv")
RF_ZERO = "none (rf = 0)"


@final
@dataclass(frozen=True)
class Run:
    """One results folder as read back from disk."""

    folder: Path
    manifest: dict[str, Any]
    name: str
    run_id: str
    benchmark: str  # the benchmark's label (a column of ``returns``)
    labels: list[str]  # strategies, in config order
    returns: pd.DataFrame  # daily returns, strategies and benchmark
    weights: dict[str, pd.DataFrame]  # label -> held weights by ticker (+ cash)
    trades: dict[str, pd.DataFrame]  # label -> fills
    signals: pd.DataFrame  # label -> 1 while the strategy's signal is on (may have no columns)
    initial_cash: float
    synthetic: bool
    hindsight: dict[str, str] = field(default_factory=dict)  # label -> why its params use the future
    risk_free: pd.Series | None = None  # the daily risk-free return of Sharpe and Sortino (risk_free.csv); None: 0
    vintage: dict[str, str] = field(default_factory=dict)  # label -> which revised figures it read as if known then

    @property
    def definitions(self) -> dict[str, str]:
        """Metric key -> how the run computed it, in words (manifest ``metrics.definitions``; empty for older runs)."""
        return {str(k): str(v) for k, v in ((self.manifest.get("metrics") or {}).get("definitions") or {}).items()}

    @property
    def risk_free_note(self) -> str:
        """The rate Sharpe and Sortino are taken over, in words; runs from before it was stated used 0."""
        return str((self.manifest.get("metrics") or {}).get("risk_free") or RF_ZERO)


@final
@dataclass(frozen=True)
class RowOrigin:
    """Where a row of the comparison came from, for links and the runs table."""

    run: Run
    label: str  # the label inside its run


@final
@dataclass(frozen=True)
class Comparison:
    """Runs aligned on their common dates, ready to draw.

    ``returns`` has one column per row of ``metrics``: the strategies
    (``labels``) then the benchmark, all on the same dates.
    """

    runs: list[Run]
    tags: list[str]  # one short name per run, used in row labels when there are several runs
    benchmark: str
    labels: list[str]
    returns: pd.DataFrame
    metrics: pd.DataFrame
    weights: dict[str, pd.DataFrame]
    signals: dict[str, pd.Series]
    origins: dict[str, RowOrigin]
    span_note: str  # which dates are compared and why
    synthetic: bool

    @property
    def families(self) -> dict[str, str]:
        """Row label -> the label it had in its run: rows sharing one are the same strategy."""
        return {label: src.label for label, src in self.origins.items()}

    @property
    def hindsight(self) -> dict[str, str]:
        """Row label -> its run's note, for rows of strategies whose params use the future."""
        return {
            label: src.run.hindsight[src.label] for label, src in self.origins.items() if src.label in src.run.hindsight
        }

    @property
    def vintage(self) -> dict[str, str]:
        """Row label -> its run's data-vintage note, for rows of strategies that read today's revised figures."""
        return {
            label: src.run.vintage[src.label] for label, src in self.origins.items() if src.label in src.run.vintage
        }

    @property
    def risk_free(self) -> pd.Series | None:
        """The daily risk-free return all runs' ratios are over, on the compared dates (a missing day: 0).

        None when the runs take none, or differ (then each row's own run's rate is in :attr:`metrics`).
        """
        rates = [
            None if r.risk_free is None else r.risk_free.reindex(self.returns.index).fillna(0.0) for r in self.runs
        ]
        first = rates[0]
        if first is None or any(rate is None or not rate.equals(first) for rate in rates[1:]):
            return None
        return first

    @property
    def ratio_note(self) -> str:
        """Which risk-free rate Sharpe and Sortino are over, for each run when they differ."""
        notes = [r.risk_free_note for r in self.runs]
        if len(set(notes)) == 1:
            return f"Sharpe and Sortino are over the risk-free rate: {notes[0]}."
        each = "; ".join(f"{tag}: {note}" for tag, note in zip(self.tags, notes))
        return f"Sharpe and Sortino are over each row's own run's risk-free rate ({each})."

    @property
    def start(self) -> pd.Timestamp:
        return cast(pd.Timestamp, self.returns.index[0])

    @property
    def end(self) -> pd.Timestamp:
        return cast(pd.Timestamp, self.returns.index[-1])


def load_run(folder: str | Path) -> Run:
    """Read a results folder written by ``rotsim run``.

    Requires manifest.json and returns.csv (weights/, trades/ and signals.csv
    are used when present). Raises :class:`UserError` naming the folder when it
    is not a results folder, and suggesting run folders found inside it.
    """
    folder = Path(folder)
    missing = [f for f in REQUIRED if not (folder / f).is_file()]
    if missing:
        raise UserError(_not_a_run(folder, missing), where=str(folder))
    manifest = _read_json(folder / "manifest.json")
    returns = _read_csv(folder / "returns.csv")
    bench = (manifest.get("benchmark") or {}).get("label") or returns.columns[-1]
    if bench not in returns.columns:
        raise UserError(f"benchmark '{bench}' named in manifest.json is not a column of returns.csv", str(folder))
    labels = [s["label"] for s in manifest.get("strategies", []) if s.get("label") in returns.columns]
    labels = labels or [c for c in returns.columns if c != bench]
    stem = {label: file_stem(label, bench) for label in [*labels, bench]}
    weights = _per_label(folder / "weights", stem, index_col=0)
    trades = _per_label(folder / "trades", stem, index_col=None)
    signals = pd.DataFrame(index=returns.index)
    if (folder / "signals.csv").is_file():
        found = _read_csv(folder / "signals.csv")
        signals = found[[c for c in found.columns if c in labels]].reindex(returns.index).fillna(0).astype(bool)
    engine = (manifest.get("config") or {}).get("engine") or {}
    risk_free = None
    if (rf_file := folder / "risk_free.csv").is_file():
        found = _read_csv(rf_file)
        if "risk_free" not in found.columns:
            raise UserError("expected a 'risk_free' column (the daily risk-free return)", where=str(rf_file))
        risk_free = found["risk_free"].astype(float)
    if engine.get("cash_earns") == "risk_free" and "CASH" not in ((manifest.get("data") or {}).get("tickers") or {}):
        # folders written before the engine's cash asset left the tickers list its interest fills as
        # ticker CASH: bookkeeping, not trades (no real ticker CASH was in such a run)
        trades = {label: t[t["ticker"] != "CASH"] for label, t in trades.items()}
    return Run(
        folder=folder,
        manifest=manifest,
        name=str(manifest.get("rotsim_run") or folder.parent.name),
        run_id=str(manifest.get("run_id") or folder.name),
        benchmark=bench,
        labels=labels,
        returns=returns,
        weights=weights,
        trades=trades,
        signals=signals,
        initial_cash=float(engine.get("initial_cash", np.nan)),
        synthetic=bool((manifest.get("data") or {}).get("synthetic", False)),
        hindsight=_strategy_notes(manifest, labels, "hindsight"),
        risk_free=risk_free,
        vintage=_strategy_notes(manifest, labels, "vintage"),
    )


def _strategy_notes(manifest: Mapping[str, Any], labels: Sequence[str], key: str) -> dict[str, str]:
    """The manifest's note under ``key`` for each strategy that has one (null or absent: none)."""
    out = {}
    for s in manifest.get("strategies", []):
        if s.get("label") in labels and s.get(key):
            out[s["label"]] = str(s[key])
    return out


def _per_label(folder: Path, stem: Mapping[str, str], index_col: int | None) -> dict[str, pd.DataFrame]:
    paths = {label: folder / f"{name}.csv" for label, name in stem.items()}
    return {label: _read_csv(p, index_col=index_col) for label, p in paths.items() if p.is_file()}


def compare(runs: Sequence[Run], tags: Sequence[str] | None = None) -> Comparison:
    """Align ``runs`` on the dates they all have and recompute every metric there.

    Requires at least one run. With one run its labels are kept; with several
    each strategy is labelled ``"<label> [<tag>]"`` (tags default to run names,
    made distinct by first date or run id when names repeat). The benchmark is the first run's;
    another run's benchmark on a different ticker is kept as a row of its own.
    Raises :class:`UserError` when the runs share no dates.
    """
    runs = list(runs)
    if not runs:
        raise UserError("nothing to compare: give at least one results folder")
    tags = list(tags) if tags else _default_tags(runs)
    if len(tags) != len(runs):
        raise UserError(f"{len(tags)} labels for {len(runs)} results folders; give one --label per folder")
    dates = _common_dates(runs)
    several = len(runs) > 1
    bench = runs[0].benchmark
    columns: dict[str, pd.Series] = {}
    origins: dict[str, RowOrigin] = {}
    for run, tag in zip(runs, tags):
        rows = list(run.labels)
        other_bench = several and run is not runs[0] and _bench_ticker(run) != _bench_ticker(runs[0])
        if other_bench:
            rows.append(run.benchmark)
        for label in rows:
            shown = f"{label} [{tag}]" if several else label
            if shown in columns or shown == bench:
                raise UserError(f"two rows would both be called '{shown}'; give each folder a distinct --label")
            columns[shown] = run.returns[label].loc[dates]
            origins[shown] = RowOrigin(run, label)
    # the same strategy from different runs side by side, in order of first appearance
    first: dict[str, int] = {}
    for label in columns:
        first.setdefault(origins[label].label, len(first))
    labels = sorted(columns, key=lambda k: first[origins[k].label])  # stable: runs keep their order
    columns[bench] = runs[0].returns[bench].loc[dates]
    origins[bench] = RowOrigin(runs[0], bench)
    returns = pd.DataFrame(columns)[[*labels, bench]]
    returns.index.name = "date"
    weights = {k: s.run.weights[s.label].reindex(dates) for k, s in origins.items() if s.label in s.run.weights}
    signals = {k: s.run.signals[s.label].loc[dates] for k, s in origins.items() if s.label in s.run.signals.columns}
    return Comparison(
        runs=runs,
        tags=tags,
        benchmark=bench,
        labels=labels,
        returns=returns,
        metrics=span_metrics(returns, bench, origins),
        weights=weights,
        signals=signals,
        origins=origins,
        span_note=_span_note(runs, tags, dates),
        synthetic=any(r.synthetic for r in runs),
    )


def span_metrics(returns: pd.DataFrame, bench: str, origins: Mapping[str, RowOrigin]) -> pd.DataFrame:
    """The metrics table (rows: columns of ``returns``) over exactly the dates of ``returns``.

    Return metrics come from :func:`performance` against ``returns[bench]``,
    Sharpe and Sortino over the row's own run's daily risk-free return (its
    risk_free.csv; none: 0), as that run computed them; turnover from each run's fills over those dates and its value, rebuilt as
    initial cash compounded by its returns; exposure is the mean invested
    weight (1 - cash). Columns follow :data:`simulator.engine.metrics.COLUMNS`.
    """
    rows = {}
    for label in returns.columns:
        src = origins[label]
        m = performance(returns[label], returns[bench], rf=src.run.risk_free)
        m["turnover"] = _span_turnover(src, cast(pd.DatetimeIndex, returns.index))
        held = src.run.weights.get(src.label)
        m["exposure"] = float((1.0 - held["cash"].loc[returns.index]).mean()) if held is not None else np.nan
        rows[label] = m
    frame = pd.DataFrame.from_dict(rows, orient="index")[list(COLUMNS)]
    frame.index.name = "strategy"
    return frame


def relative_link(target: Path, page_folder: Path) -> str:
    """A link from a page in ``page_folder`` to ``target``, as a URL path (works over file://)."""
    rel = os.path.relpath(Path(target).resolve(), Path(page_folder).resolve())
    return Path(rel).as_posix()


def _span_turnover(src: RowOrigin, dates: pd.DatetimeIndex) -> float:
    orders = src.run.trades.get(src.label)
    if orders is None or not np.isfinite(src.run.initial_cash):
        return np.nan
    value = src.run.initial_cash * (1.0 + src.run.returns[src.label]).cumprod()
    fills = orders.assign(date=pd.to_datetime(orders["date"]))
    fills = fills[fills["date"].isin(dates)]
    # only the run's own first day puts starting cash to work; on a span starting mid-run its fills are trades
    return turnover(fills, value.loc[dates], skip_first_day=dates[0] == value.index[0])


def _common_dates(runs: Sequence[Run]) -> pd.DatetimeIndex:
    dates = cast(pd.DatetimeIndex, runs[0].returns.index)
    for run in runs[1:]:
        dates = dates.intersection(cast(pd.DatetimeIndex, run.returns.index))
    if len(dates) < 2:
        spans = "; ".join(f"{r.folder}: {_span(cast(pd.DatetimeIndex, r.returns.index))}" for r in runs)
        raise UserError(f"the runs share {len(dates)} dates, nothing to compare ({spans})")
    return dates


def _span_note(runs: Sequence[Run], tags: Sequence[str], dates: pd.DatetimeIndex) -> str:
    span = f"{_span(dates)} ({len(dates):,} trading days)"
    if len(runs) == 1:
        return f"The whole run: {span}."
    each = "; ".join(f"{tag}: {_span(cast(pd.DatetimeIndex, r.returns.index))}" for tag, r in zip(tags, runs))
    if all(r.returns.index.equals(dates) for r in runs):
        return f"All runs cover the same dates, {span}. Runs: {each}."
    return (
        f"Compared on the dates all runs share, {span}, so that every number and chart covers the same "
        f"market; metrics are recomputed on that span and can differ from each run's own metrics.csv. "
        f"Runs: {each}."
    )


def _span(index: pd.DatetimeIndex) -> str:
    return f"{index[0]:%Y-%m-%d} to {index[-1]:%Y-%m-%d}"


def _default_tags(runs: Sequence[Run]) -> list[str]:
    """Run names; when they repeat, what tells the runs apart: first date, else run id."""
    options = (
        [r.name for r in runs],
        [f"{r.name} from {r.returns.index[0]:%Y-%m-%d}" for r in runs],
        [f"{r.name} {r.run_id}" for r in runs],
    )
    for tags in options:
        if len(set(tags)) == len(tags):
            return tags
    return [f"{t} #{i + 1}" for i, t in enumerate(options[-1])]


def _bench_ticker(run: Run) -> str:
    return str((run.manifest.get("benchmark") or {}).get("ticker") or run.benchmark)


def _not_a_run(folder: Path, missing: list[str]) -> str:
    if not folder.is_dir():
        return "no such folder; expected a results folder written by `rotsim run`"
    inside = sorted(p for p in folder.iterdir() if p.is_dir() and (p / "manifest.json").is_file())
    hint = f"; it holds runs, e.g. {inside[-1]}" if inside else ""
    return f"not a results folder of `rotsim run` (no {' or '.join(missing)}){hint}"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read: {exc}", where=str(path)) from None
    if not isinstance(data, dict):
        raise UserError("expected a JSON object", where=str(path))
    return data


def _read_csv(path: Path, index_col: int | None = 0) -> pd.DataFrame:
    try:
        # rotsim writes ISO dates (reports/files.py): said up front, pandas parses them without guessing
        frame = pd.read_csv(path, index_col=index_col, parse_dates=index_col is not None, date_format=DATE_FORMAT)
        if index_col is not None and not isinstance(frame.index, pd.DatetimeIndex):
            frame = pd.read_csv(path, index_col=index_col, parse_dates=True)  # a folder edited by hand
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read: {exc}", where=str(path)) from None
    if index_col is not None and not isinstance(frame.index, pd.DatetimeIndex):
        raise UserError("expected dates in the first column", where=str(path))
    return frame
