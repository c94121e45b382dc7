"""Speed and memory figures for rotsim, printed, not asserted.

    python benchmarks/bench.py            # everything (about a minute)
    python benchmarks/bench.py --quick    # skip the full runs with tearsheets

Targets (what we watch for, on a 2-core machine): `rotsim --help` well under
0.2 s; loading the real data < 1 s; the engine < 5 s for 50 strategies over
26 years; a demo run without tearsheets < 10 s (numba compiles once per
fresh install; vectorbt[rust] keeps that short).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def timed(fn, repeat: int = 1) -> float:  # noqa: ANN001
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "simulator.cli", *args], check=True, capture_output=True, cwd=ROOT)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    quick = ap.parse_args().quick
    rows: list[tuple[str, float, str]] = []

    rows.append(("rotsim --help (subprocess, median of 5)", timed(lambda: cli("--help"), 5), "s"))
    t = time.perf_counter()
    import vectorbt  # noqa: F401

    rows.append(("import vectorbt (first, in-process)", time.perf_counter() - t, "s"))

    import numpy as np
    import pandas as pd

    from simulator.data.market.alignment import build_market
    from simulator.data.market.series import SERIES
    from simulator.data.sources.sample import SampleSource, _cached_market

    uncached = _cached_market.__wrapped__
    span = (pd.Timestamp("1990-01-02"), pd.Timestamp("2025-12-31"))
    rows.append(("generate synthetic market 1990-2025", timed(lambda: uncached(7, *span), 3), "s"))
    if (SHARED / "etf_SPY.csv").is_file():
        from simulator.data.sources.csv_folder import CsvSource

        tickers = ["SPY", "IWM", "QQQ", "XLF", "XLK", "XLE", "XLV", "^RUT", "^NDX", "^GSPC"]
        rows.append(
            (
                "load + align real data (10 tickers, all macro)",
                timed(lambda: build_market(CsvSource(SHARED), tickers, "SPY", list(SERIES)), 3),
                "s",
            )
        )

    from simulator.engine.simulate import EngineParams, simulate

    market = build_market(SampleSource(7), ["SPY", "IWM", "QQQ", "XLF", "XLK"], "SPY", [])
    idx = market.prices.index
    rng = np.random.default_rng(0)
    for n in (1, 10, 50):
        books = {}
        for i in range(n):
            block = np.arange(len(idx)) // 21
            raw = rng.uniform(0, 1, (block.max() + 1, 5))
            w = raw / raw.sum(axis=1, keepdims=True)
            books[f"s{i}"] = pd.DataFrame(w[block], index=idx, columns=market.prices.columns)
        secs = timed(lambda: simulate(books, market.prices, EngineParams(fees_bps=5), market.start, market.end), 2)  # noqa: B023 - called here
        rows.append((f"engine: {n} monthly-rebalanced books x {len(idx)} days", secs, "s"))

    if not quick:
        with tempfile.TemporaryDirectory() as out:
            rows.append(
                (
                    "rotsim run demo --no-tearsheets",
                    timed(lambda: cli("run", "configs/demo.yaml", "--out", out, "--no-tearsheets")),
                    "s",
                )
            )
            rows.append(
                ("rotsim run demo (with tearsheets)", timed(lambda: cli("run", "configs/demo.yaml", "--out", out)), "s")
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak memory of this process", peak, "MiB"))
    width = max(len(r[0]) for r in rows)
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:8.3f} {unit}")


if __name__ == "__main__":
    main()
