"""Speed and memory of a parameter sweep, printed next to issue 15's goals; printed, never asserted.

    python benchmarks/sweep.py                  # 1,000 variants end to end, then 2,500, 5,000 and 10,000
    python benchmarks/sweep.py --no-10k         # the 1,000 only
    python benchmarks/sweep.py --no-tearsheets  # without the default variant's tearsheet

small_cap_thrust on ../shared/data (^RUT signal, IWM / SPY, 2000-05-26 to the data's end), swept
over threshold x hold. Goals, on 2 cores: 1,000 variants in under 10 s wall and 1.5 GB peak,
end to end (data, every variant, the default's full run with its tearsheet, sweep.parquet/csv,
the ledger and page; the ledger's SPA bootstrap is left out, --reps sets its resamples); 10,000 variants in bounded memory at a steady cost a
variant; within 5x of a plain numpy computation of the same variants' returns, timed in this
process (the reference below: thrust signal, hold, lag, weights x asset returns minus the
engine's costs on the weight traded). Memory is the peak of this process and its workers' proportional
set size (PSS: pages they share, as forked workers do, counted once), summed, sampled every 0.1 s. The load average is printed first: a busy machine's figures are
not comparable.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

CONFIG = """\
name: sweep_bench
data: {{source: csv, start: 2000-05-26}}
universe: {{large_cap: SPY, small_cap: IWM, small_cap_index: ^RUT}}
benchmark: SPY
engine: {{fees_bps: 5, slippage_bps: 2, lag: 1, rebalance: on_change, cash_earns: risk_free}}
strategies:
  - name: small_cap_thrust
    label: Small-cap thrust
    params: {{threshold: 0.035, hold: 252}}
    sweep:
      threshold: {{from: 0.0200, to: {t_to}, step: {t_step}}}
      hold: {{from: 21, to: {h_to}, step: {h_step}}}
sweep: {{max_variants: 20000, bootstrap_reps: {reps}}}
report: {{tearsheets: {tearsheets}}}
"""
GRIDS = {  # variants -> (threshold to, step, hold to, step): 40 x 25, 50 x 50, 100 x 50 and 100 x 100
    1_000: ("0.0590", "0.001", "525", "21"),
    2_500: ("0.0592", "0.0008", "511", "10"),  # hold 21, 31, ..., 511
    5_000: ("0.0596", "0.0004", "511", "10"),
    10_000: ("0.0596", "0.0004", "1014", "10"),  # hold 21, 31, ..., 1011
}
LARGE = (2_500, 5_000, 10_000)  # bounded memory: the peak should not grow with the variants


class PeakRss:
    """The peak of this process's and its children's memory (PSS), summed, sampled in a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self.cpu: dict[int, float] = {}  # pid -> its CPU seconds (user + system) when last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, _tree_rss(os.getpid(), self.cpu))

    @property
    def cpu_seconds(self) -> float:
        """CPU time the process tree used while watched (a process's last 0.1 s may be missed)."""
        return sum(self.cpu.values()) - self._cpu0

    def __enter__(self) -> PeakRss:
        self._cpu0 = _tree_cpu(os.getpid())
        self._thread.start()
        return self


def _tree_cpu(root: int) -> float:
    seen: dict[int, float] = {}
    _tree_rss(root, seen)
    return sum(seen.values())


def _tree_rss(root: int, cpu: dict[int, float]) -> int:
    children: dict[int, list[int]] = {}
    ticks: dict[int, float] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                ppid = int(fields[1])
                ticks[int(d)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(d))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        cpu[pid] = ticks.get(pid, cpu.get(pid, 0.0))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:  # proportional: a forked worker's shared pages once
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:")) * 1024
        except (OSError, StopIteration):
            pass
    return total


def run_sweep(n: int, tearsheets: bool, out: Path, reps: int = 0) -> tuple[float, float, dict]:
    """Wall seconds, peak GB and the manifest of `rotsim sweep` on the grid of ``n`` variants, in this process."""
    from simulator.cli import main

    t_to, t_step, h_to, h_step = GRIDS[n]
    cfg = out / f"sweep_{n}.yaml"
    text = CONFIG.format(
        t_to=t_to, t_step=t_step, h_to=h_to, h_step=h_step, tearsheets="true" if tearsheets else "false", reps=reps
    )
    cfg.write_text(text, encoding="utf-8")
    args = ["sweep", str(cfg), "--data-dir", str(SHARED), "--out", str(out / str(n))]
    with PeakRss() as mem, contextlib.redirect_stdout(io.StringIO()):
        t = time.perf_counter()
        code = main(args)
        wall = time.perf_counter() - t
    if code:
        raise SystemExit(f"rotsim sweep exited {code}")
    run = next(p for p in (out / str(n) / "sweep_bench").iterdir() if not p.name.startswith("."))
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["cpu_seconds"] = mem.cpu_seconds
    return wall, mem.peak / 1e9, manifest


def numpy_reference(thresholds: np.ndarray, holds: np.ndarray) -> tuple[float, np.ndarray]:
    """Seconds for the same variants' daily returns in plain numpy, and the returns (dates x variants).

    small_cap_thrust by hand: ^RUT's daily gain >= threshold fires; small caps are held that day and the
    hold - 1 days after, large caps otherwise; the weight trades lag 1 bar later; returns are the held
    asset's, less (fees + slippage) on the weight traded, both legs of a switch (the engine's costs).
    """

    def closes(name: str) -> pd.Series:
        frame = pd.read_csv(SHARED / name, index_col=0, parse_dates=True)
        return frame["Adj Close"] if "Adj Close" in frame else frame.iloc[:, -1]

    rut, iwm, spy = closes("index_RUT.csv"), closes("etf_IWM.csv"), closes("etf_SPY.csv")
    days = spy.index[spy.index >= "2000-05-26"]
    r = rut.reindex(spy.index).ffill()
    gain = np.round(r.pct_change().to_numpy(), 12)
    first = spy.index.get_loc(days[0])
    small = iwm.reindex(days).pct_change().fillna(0.0).to_numpy()
    large = spy.reindex(days).pct_change().fillna(0.0).to_numpy()
    cost = (5 + 2) / 1e4
    t = time.perf_counter()
    out = np.empty((len(days), len(thresholds) * len(holds)))
    k = 0
    for th in thresholds:
        fired = np.nan_to_num(gain >= th).astype(np.int64)
        csum = np.concatenate([[0], np.cumsum(fired)])
        for h in holds:
            on = (csum[h:] - csum[:-h]) > 0 if h < len(csum) else np.zeros(0, bool)
            on = np.concatenate([csum[1:h] > 0, on])[: len(fired)]
            w = np.empty(len(fired))
            w[1:] = on[:-1]  # lag 1
            w[0] = 0.0
            w = w[first:]
            traded = np.abs(np.diff(w, prepend=w[0]))
            out[:, k] = w * small + (1 - w) * large - 2 * traded * cost
            k += 1
    return time.perf_counter() - t, out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--no-10k", action="store_true", help="skip the 2,500 to 10,000-variant runs")
    p.add_argument("--no-tearsheets", action="store_true", help="the default variant without its tearsheet")
    p.add_argument(
        "--reps", type=int, default=0, help="the ledger's SPA bootstrap resamples (default 0: the goal leaves them out)"
    )
    args = p.parse_args()
    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED} not found: the benchmark reads the real data (see shared/data/PROVENANCE.md)")
    from checkout_builtins import use_checkout_builtins

    use_checkout_builtins()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}, {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        wall, peak, manifest = run_sweep(1_000, not args.no_tearsheets, out, args.reps)
        t = manifest["timings_seconds"]
        print(
            f"1,000 variants end to end: {wall:.2f} s wall (goal < 10 s), peak {peak:.2f} GB (goal < 1.5 GB); "
            f"SPA bootstrap resamples: {args.reps}"
        )
        cpu = manifest["cpu_seconds"]
        print(f"  CPU {cpu:.1f} s over the process tree: at least {cpu / 2:.1f} s wall on 2 idle cores")
        print("  steps (s): " + ", ".join(f"{k} {v:.2f}" for k, v in t.items() if not k.startswith("tearsheet ")))
        thresholds = np.array([0.02 + 0.001 * i for i in range(40)])
        holds = np.arange(21, 526, 21)
        ref, _ = numpy_reference(thresholds, holds)
        print(f"numpy reference, the same 1,000 variants' returns: {ref:.3f} s")
        print(
            f"  ratio: end to end {wall / ref:.1f}x, the variants step alone {t['variants'] / ref:.1f}x (aim 5x or less)"
        )
        if not args.no_10k:
            v1 = t["variants"] / 1_000
            print(f"larger sweeps (no tearsheet; 1,000: {v1 * 1e3:.2f} ms a variant in the variants step):")
            for n in LARGE:
                wall_n, peak_n, m = run_sweep(n, False, out)
                tn = m["timings_seconds"]
                count = m["sweep"]["variants"]
                print(
                    f"  {count:>6,} variants: {wall_n:6.2f} s wall, peak {peak_n:.2f} GB; "
                    f"{tn['variants'] / count * 1e3:.2f} ms a variant in the variants step, "
                    f"ledger and page {tn['ledger and page']:.2f} s",
                    flush=True,
                )


if __name__ == "__main__":
    main()
