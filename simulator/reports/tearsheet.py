"""quantstats HTML tearsheets, imported lazily (quantstats costs seconds to import)."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from ..engine.metrics import PERIODS
from ..interrupt import deferred, leave_interrupts_to_parent, spawning
from .tearsheet_fixes import annual_rf, fill_header, page_template, patched_quantstats, shared_rows
from .tearsheet_speed import faster_quantstats

__all__ = ["TearsheetJob", "write_multi_tearsheet", "write_tearsheet", "write_tearsheets"]


def write_tearsheet(
    returns: pd.Series,
    benchmark: pd.Series,
    path: Path,
    title: str,
    strategy_title: str,
    benchmark_title: str,
    subtitle: str = "",
    rf: pd.Series | None = None,
) -> None:
    """Write one tearsheet of ``returns`` against ``benchmark`` (both daily returns, same dates).

    ``title`` heads the page on one line, ``subtitle`` (if any) goes under it.
    ``rf``: the daily risk-free return Sharpe and Sortino are taken over, as
    in metrics.csv (a missing day counts as 0); None: rf = 0.
    The benchmark is always a Series: given a ticker string, quantstats tries
    to download it and offline silently compares against zeros.
    """
    strategy_title = _no_percent(strategy_title)
    _quantstats_html(
        returns.rename(strategy_title), benchmark, path, title, strategy_title, benchmark_title, subtitle, rf
    )


@dataclass(frozen=True)
class TearsheetJob:
    """One ``write_tearsheet`` call, as data a worker process can take."""

    returns: pd.Series
    benchmark: pd.Series
    path: Path
    title: str
    strategy_title: str
    benchmark_title: str
    subtitle: str = ""
    rf: pd.Series | None = None

    def __call__(self) -> Path:
        write_tearsheet(
            self.returns,
            self.benchmark,
            self.path,
            self.title,
            self.strategy_title,
            self.benchmark_title,
            self.subtitle,
            self.rf,
        )
        return self.path


def write_tearsheets(
    jobs: Sequence[TearsheetJob],
    on_done: Callable[[str], None] = lambda _: None,
    on_failed: Callable[[TearsheetJob, Exception], None] | None = None,
) -> list[Path]:
    """Write several tearsheets, on every core: each takes seconds of single-threaded matplotlib.

    Returns the paths written, in the order of ``jobs``. A job that fails is
    passed to ``on_failed`` and the others are still written; without
    ``on_failed`` its error is raised. An interrupt (Ctrl-C; SIGTERM under
    ``simulator.interrupt``) stops every worker before it goes on, so none
    writes into a folder the caller is removing.

    Workers are spawned, not forked: the parent holds numba and vectorbt
    state that a fork would copy half-initialised.
    """
    written: set[Path] = set()

    def failed(job: TearsheetJob, exc: Exception) -> None:
        if on_failed is None:
            raise exc
        on_failed(job, exc)

    workers = min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        for job in jobs:
            try:
                written.add(job())
            except Exception as exc:  # noqa: BLE001 - the caller decides (on_failed)
                failed(job, exc)
            else:
                on_done(job.strategy_title)
    else:
        pool: ProcessPoolExecutor | None = None
        try:
            with spawning():  # the workers start here, all of them, before a signal is acted on
                pool = ProcessPoolExecutor(
                    workers, mp_context=get_context("spawn"), initializer=leave_interrupts_to_parent
                )
                futures = {pool.submit(job): job for job in jobs}
            for future in as_completed(futures):
                try:
                    written.add(future.result())  # a worker's error is raised here
                except Exception as exc:  # noqa: BLE001 - the caller decides (on_failed)
                    failed(futures[future], exc)
                else:
                    on_done(futures[future].strategy_title)
        except BaseException:
            if pool is not None:
                _stop_workers(pool)
            raise
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    return [job.path for job in jobs if job.path in written]


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now; ``shutdown`` alone lets each finish (and write) its tearsheet."""
    with deferred():
        if hasattr(pool, "kill_workers"):  # Python 3.14
            pool.kill_workers()
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way before 3.14
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            p.kill()  # not terminate(): a worker still starting up holds SIGTERM blocked (``spawning``)
        for p in processes:
            p.join()


def write_multi_tearsheet(
    returns: pd.DataFrame,
    benchmark: pd.Series,
    path: Path,
    title: str,
    benchmark_title: str,
    rf: pd.Series | None = None,
) -> Path | None:
    """Write quantstats' report of several strategies (the columns of ``returns``) against ``benchmark``.

    Requires every column and the benchmark on the same dates. It adds what
    rotsim's own page leaves out: some fifty more metrics side by side (VaR,
    skew, win rates, ...) on quantstats' conventions. Columns identical to the
    benchmark are left out: with zero tracking error quantstats' information
    ratio comes back as a bare int and the report crashes. Returns ``path``,
    or None (nothing written) when no column differs from the benchmark.
    """
    differ = [c for c in returns.columns if (returns[c] - benchmark).abs().max() > 0]
    if not differ:
        return None
    frame = returns[differ].rename(columns=_no_percent)
    path.parent.mkdir(parents=True, exist_ok=True)
    _quantstats_html(frame, benchmark, path, title, list(frame.columns), benchmark_title, rf=rf)
    return path


def _quantstats_html(
    returns: pd.Series | pd.DataFrame,
    benchmark: pd.Series,
    path: Path,
    title: str,
    strategy_title: str | list[str],
    benchmark_title: str,
    subtitle: str = "",
    rf: pd.Series | None = None,
) -> None:
    # quantstats' matplotlib floods stderr with font warnings
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    import matplotlib

    matplotlib.use("Agg")
    import quantstats as qs

    if not returns.index.equals(benchmark.index):
        raise ValueError("tearsheet: returns and benchmark must share dates")
    benchmark_title = _no_percent(benchmark_title)
    frame = returns.to_frame() if isinstance(returns, pd.Series) else returns
    daily_rf = None if rf is None else rf.reindex(returns.index).fillna(0.0)
    rf_annual = None if daily_rf is None else annual_rf(daily_rf)
    rows = shared_rows(frame, benchmark, daily_rf)
    with (
        tempfile.TemporaryDirectory() as tmp,
        patched_quantstats(rows, rf_annual),
        faster_quantstats(),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        qs.reports.html(
            returns,
            benchmark=benchmark.rename(benchmark_title),
            output=str(path),
            template_path=str(page_template(Path(tmp))),
            strategy_title=strategy_title,
            benchmark_title=benchmark_title,
            periods_per_year=PERIODS,
            match_dates=False,  # already aligned; quantstats' own trimming would shift the start
        )
    first, last = returns.index[0], returns.index[-1]
    over = "rf = 0" if rf_annual is None else f"the risk-free rate ({rf_annual.mean():.1%} a year on average)"
    about = (
        f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y} · benchmark {benchmark_title} · "
        f"Sharpe and Sortino over {over}; information ratio annualised · QuantStats {qs.__version__}"
    )
    headings = list(frame.columns) if isinstance(returns, pd.DataFrame) else []
    html = fill_header(path.read_text(encoding="utf-8"), title, [subtitle, about], headings)
    path.write_text(html, encoding="utf-8")


def _no_percent(text: str) -> str:
    """A strategy or benchmark name quantstats can use in plot titles.

    It %-formats those titles, so a literal "%" (as in "+3.5%") crashes it.
    A look-alike sign is no answer: its plots are drawn with DejaVu Sans,
    which lacks one. The page title is not formatted and keeps its "%".
    """
    return re.sub(r"\s*%", " pct", text)
