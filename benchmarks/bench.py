"""Speed and memory figures for rotsim, each printed next to its goal; printed, never asserted.

    python benchmarks/bench.py              # every figure, the test suite's run included (a few minutes)
    python benchmarks/bench.py --no-suite   # all but the test suite
    python benchmarks/bench.py --repeat 5   # medians of 5 runs (default 3)

The goals are issue 13's, on a 2-core machine: the seed run (configs/seed_rotations.yaml on
../shared/data) under 12 s with tearsheets and under 2 s without, tearsheets within 2.5x;
the engine's imports under 1 s and 200 MB; the test suite under 90 s. The load average is
printed first: figures taken on a busy machine are not comparable.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SEED = "configs/seed_rotations.yaml"
RESULTS = ("metrics.csv", "returns.csv", "signals.csv", "risk_free.csv", "weights", "trades")

ENGINE_IMPORT = """
import resource, sys, time
import numpy as np, pandas as pd
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
from simulator.engine.simulate import EngineParams, simulate
idx = pd.bdate_range("2020-01-01", periods=50)
prices = pd.DataFrame({"A": np.linspace(10, 12, 50), "B": np.linspace(20, 19, 50)}, index=idx)
simulate({"x": pd.DataFrame({"A": 0.5, "B": 0.5}, index=idx)}, prices, EngineParams(), idx[0], idx[-1])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(time.perf_counter() - t, (after - before) / 1024, after / 1024)
"""


class Figures:
    """Rows of (what, value, unit, goal), printed as one table."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, what: str, value: float | str, unit: str = "", goal: str = "") -> None:
        shown = f"{value:8.2f} {unit}" if isinstance(value, float) else f"{value:>8} {unit}"
        self.rows.append((what, shown, goal))
        print(f"  {what}: {shown.strip()}" + (f"   (goal {goal})" if goal else ""), flush=True)

    def print(self) -> None:
        w0 = max(len(r[0]) for r in self.rows)
        w1 = max(len(r[1]) for r in self.rows)
        print()
        print(f"{'figure':<{w0}}  {'measured':>{w1}}  goal")
        for what, shown, goal in self.rows:
            print(f"{what:<{w0}}  {shown:>{w1}}  {goal}")


def median_time(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


# Python keeps each module's compiled bytecode (__pycache__/, git-ignored) unless PYTHONDONTWRITEBYTECODE is
# set, as it is on some CI and sandbox machines; there every process compiles rotsim's ~150 modules again
# (~0.2-0.3 s). The figures are taken as Python runs by default, and one run without the cache is shown.
NO_BYTECODE = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))


def bench_env(bytecode: bool = True) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def python(
    *args: str, timeout: float = 1800, bytecode: bool = True, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = bench_env(bytecode)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, check=check, timeout=timeout
    )


def forget_bytecode() -> None:
    """Delete the checkout's own compiled modules (a cache: Python writes them again on the next run)."""
    for folder in ("simulator", "strategies"):
        for cache in (ROOT / folder).rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def rotsim(*args: str, bytecode: bool = True) -> None:
    python("-m", "simulator.cli", *args, bytecode=bytecode)


def run_folder(out: Path) -> Path:
    return next(p for p in out.glob("*/*") if (p / "manifest.json").is_file())


def data_seconds(run: Path) -> float:
    """The data stage of a run, as its manifest times it."""
    return float(json.loads((run / "manifest.json").read_text())["timings_seconds"]["data"])


def same_results(a: Path, b: Path) -> bool:
    for name in RESULTS:
        x, y = a / name, b / name
        if x.is_dir():
            cmp = filecmp.dircmp(x, y)
            if (
                cmp.left_only
                or cmp.right_only
                or filecmp.cmpfiles(x, y, cmp.common_files, shallow=False)[1:] != ([], [])
            ):
                return False
        elif x.exists() and not filecmp.cmp(x, y, shallow=False):
            return False
    return True


def seed_runs(fig: Figures, repeat: int) -> None:
    if not (SHARED / "etf_SPY.csv").is_file():
        fig.add("seed run (real data)", "skipped", "", "needs ../shared/data")
        return
    with tempfile.TemporaryDirectory() as tmp:
        # A cache folder of its own, so that whether parsed files are kept (parse_cache) is known.
        cache = Path(tmp, "cache")
        base = ["run", SEED, "--data-dir", str(SHARED), "--cache-dir", str(cache)]
        rotsim(*base, "--no-tearsheets", "--out", f"{tmp}/warmup")  # fills the calendar and the parse cache
        shutil.rmtree(cache / "parsed")
        cold = median_time(lambda: rotsim(*base, "--no-tearsheets", "--out", f"{tmp}/cold"), 1)
        cold_data = data_seconds(run_folder(Path(tmp, "cold")))
        without = median_time(lambda: rotsim(*base, "--no-tearsheets", "--out", f"{tmp}/without"), repeat)
        fig.add("seed run without tearsheets (parse cache warm)", without, "s", "< 2 s")
        fig.add("  the same, parse cache emptied (one run)", cold, "s")
        forget_bytecode()
        uncompiled = median_time(
            lambda: rotsim(*base, "--no-tearsheets", "--out", f"{tmp}/uncompiled", bytecode=False), 1
        )
        fig.add("  the same, every module compiled again (PYTHONDONTWRITEBYTECODE=1, one run)", uncompiled, "s")
        fig.add(
            "  data stage, parse cache cold / warm",
            f"{cold_data:.2f} / {data_seconds(run_folder(Path(tmp, 'without'))):.2f}",
            "s",
        )
        with_ = median_time(lambda: rotsim(*base, "--out", f"{tmp}/with"), repeat)
        fig.add("seed run with tearsheets", with_, "s", "< 12 s")
        fig.add("  with / without tearsheets", with_ / without, "x", "<= 2.5x")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        fig.add("  peak memory of a run (largest child)", peak, "MB")
        same = same_results(run_folder(Path(tmp, "without")), run_folder(Path(tmp, "with")))
        fig.add("  results files of both runs identical", "yes" if same else "NO", "", "yes")


def engine_import(fig: Figures, repeat: int) -> None:
    runs = [python("-c", ENGINE_IMPORT).stdout.split() for _ in range(repeat)]
    secs = statistics.median(float(r[0]) for r in runs)
    grew = statistics.median(float(r[1]) for r in runs)
    total = statistics.median(float(r[2]) for r in runs)
    fig.add("engine imports + first simulation (after pandas)", secs, "s", "< 1 s")
    fig.add("  memory they add (peak RSS)", grew, "MB", "< 200 MB")
    fig.add("  the whole process (python, pandas, engine)", total, "MB")
    full = median_time(lambda: python("-c", "import vectorbt"), 1)
    fig.add("  for comparison: import vectorbt (not used by a run)", full, "s")


def other_figures(fig: Figures, repeat: int) -> None:
    fig.add("rotsim --help", median_time(lambda: rotsim("--help"), max(repeat, 5)), "s", "< 0.2 s + python start")
    with tempfile.TemporaryDirectory() as tmp:
        unusable = Path(tmp) / "unusable.yaml"  # a data section in error: told before pandas is imported
        unusable.write_text((ROOT / "configs" / "demo.yaml").read_text().replace("source: sample", "source: nope", 1))
        secs = median_time(lambda: python("-m", "simulator.cli", "validate", str(unusable), check=False), repeat)
        fig.add("rotsim validate, a config in error", secs, "s", "no pandas")
    fig.add(
        "rotsim validate configs/demo.yaml", median_time(lambda: rotsim("validate", "configs/demo.yaml"), repeat), "s"
    )
    fig.add("rotsim plugins (imports the built-ins: pandas)", median_time(lambda: rotsim("plugins"), repeat), "s")
    import numpy as np
    import pandas as pd

    from simulator.data.market.alignment import build_market
    from simulator.data.sources.sample import SampleSource, _cached_market
    from simulator.engine.simulate import EngineParams, simulate

    span = (pd.Timestamp("1990-01-02"), pd.Timestamp("2025-12-31"))
    fig.add("synthetic market 1990-2025", median_time(lambda: _cached_market.__wrapped__(7, *span), repeat), "s")
    if (SHARED / "etf_SPY.csv").is_file():
        from simulator.data.market.series import SERIES
        from simulator.data.sources.csv_folder import CsvSource

        tickers = ["SPY", "IWM", "QQQ", "XLF", "XLK", "XLE", "XLV", "^RUT", "^NDX", "^GSPC"]
        from simulator.data.sources.parse_cache import clear_memo

        def load() -> None:
            clear_memo()  # every repeat parses: the figure is parsing, checking and aligning
            build_market(CsvSource(SHARED), tickers, "SPY", list(SERIES))

        secs = median_time(load, repeat)
        fig.add("load + align real data (10 tickers, all macro, parsed)", secs, "s", "< 1 s")
    market = build_market(SampleSource(7), ["SPY", "IWM", "QQQ", "XLF", "XLK"], "SPY", [])
    idx = market.prices.index
    rng = np.random.default_rng(0)
    for n in (1, 10, 50):
        block = np.arange(len(idx)) // 21
        books = {}
        for i in range(n):
            raw = rng.uniform(0, 1, (block.max() + 1, 5))
            books[f"s{i}"] = pd.DataFrame(
                (raw / raw.sum(axis=1, keepdims=True))[block], index=idx, columns=market.prices.columns
            )
        secs = median_time(
            lambda books=books: simulate(books, market.prices, EngineParams(fees_bps=5), market.start, market.end),
            repeat,
        )
        fig.add(f"engine: {n} monthly books x {len(idx)} days", secs, "s", "< 5 s for 50" if n == 50 else "")
    with tempfile.TemporaryDirectory() as out:
        secs = median_time(lambda: rotsim("run", "configs/demo.yaml", "--out", out, "--no-tearsheets"), repeat)
        fig.add("demo run without tearsheets (synthetic)", secs, "s")


def test_suite(fig: Figures) -> None:
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env=bench_env(),
    )
    last = (proc.stdout.strip().splitlines() or ["?"])[-1]
    fig.add("test suite (python -m pytest)", time.perf_counter() - t, "s", "< 90 s")
    fig.add("  its result", last.strip("= ")[:60])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-suite", action="store_true", help="skip running the test suite")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is printed")
    args = ap.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load} (busy machines give slower figures)", flush=True)
    if NO_BYTECODE:
        print("PYTHONDONTWRITEBYTECODE is set here; the figures are taken without it, as Python runs by default")
    fig = Figures()
    seed_runs(fig, args.repeat)
    engine_import(fig, args.repeat)
    other_figures(fig, args.repeat)
    if not args.no_suite:
        test_suite(fig)
    fig.print()


if __name__ == "__main__":
    main()
