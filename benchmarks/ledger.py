"""Speed of the overfitting ledger and the sweep page on a synthetic sweep; printed, never asserted.

    python benchmarks/ledger.py                     # 1,000 variants x 6,500 days, SPA at 1,000 resamples
    python benchmarks/ledger.py --variants 10000    # a larger sweep
    python benchmarks/ledger.py --reps 0            # the ledger without the bootstrap

Issue 15's goals: the ledger without the bootstrap well under 2 s for 1,000 variants x 6,500
days (26 years of trading days); the SPA test's time grows with resamples x days x variants
and is printed apart. The load average is printed first: figures taken on a busy machine are
not comparable. Peak memory is the process's (ru_maxrss), the returns matrix included.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.pages.sweep import write_sweep_page  # noqa: E402
from simulator.sweep.ledger import overfitting_ledger  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--days", type=int, default=6500)
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    rng = np.random.default_rng(0)
    dates = pd.bdate_range("2000-01-03", periods=args.days)
    ids = [f"v{i}" for i in range(args.variants)]
    market = rng.normal(0.0003, 0.011, args.days)
    edge = rng.normal(0.0, 0.0002, args.variants)
    returns = pd.DataFrame(
        market[:, None] * 0.8 + rng.normal(0.0, 0.006, (args.days, args.variants)) + edge,
        index=dates,
        columns=ids,
    )
    bench = pd.Series(market, index=dates, name="SPY")
    rf = pd.Series(0.00008, index=dates)

    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        ledger = overfitting_ledger(returns, bench, rf, default="v0", bootstrap_reps=0)
        times.append(time.perf_counter() - t)
    print(f"ledger without the bootstrap: {sorted(times)[len(times) // 2]:.2f} s (median of {args.repeat}; goal < 2 s)")
    if args.reps:
        t = time.perf_counter()
        ledger = overfitting_ledger(returns, bench, rf, default="v0", bootstrap_reps=args.reps, block_size=10)
        print(f"ledger with SPA at {args.reps:,} resamples: {time.perf_counter() - t:.2f} s")

    levels = max(1, int(round(args.variants ** (1 / 2))))
    grid = list(itertools.islice(itertools.product(range(levels), range(levels * 2)), args.variants))
    table = pd.DataFrame(
        {"a": [g[0] for g in grid], "b": [g[1] for g in grid], "sharpe": rng.normal(0.5, 0.2, args.variants)},
        index=ids,
    )
    table["rank"] = table["sharpe"].rank(ascending=False, method="first").astype(int)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "sweep.html"
        t = time.perf_counter()
        write_sweep_page(
            page, table, returns, bench, ledger, default="v0", metric="sharpe", params=["a", "b"], title="bench"
        )
        print(f"sweep.html: {time.perf_counter() - t:.2f} s, {page.stat().st_size / 1e6:.1f} MB (plotly.js included)")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
