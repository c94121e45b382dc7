"""What each browser test module costs: its wall seconds and Chromium's CPU seconds, on one process (``-n 0``).

    python benchmarks/browser_tests.py [repeats] [module ...]   # default 3 repeats, every browser module

Each module runs ``repeats`` times in a pytest subprocess; the figures are
the medians. Chromium's CPU seconds are summed over the subprocess's
descendants named chrom* (chromedriver, Chromium and its renderers, read
every 0.1 s, so a process that ends between two reads loses at most 0.1 s
of its time); pytest's CPU seconds are its own process's (not the rotsim
subprocesses a fixture may start). Needs chromium,
chromium-driver and psutil.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
MODULES = (
    "tests/test_compare_browser.py",
    "tests/test_century_page.py",
    "tests/test_study_browser.py",
    "tests/test_sweep_page.py",
    "tests/test_tearsheet_browser.py",
)


def run_module(module: str) -> tuple[float, float, float, str]:
    """One ``pytest -n 0 module``: wall seconds, Chromium's CPU seconds, pytest's own CPU seconds, its last line."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", module],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    parent = psutil.Process(proc.pid)
    seen: dict[tuple[int, float], float] = {}  # (pid, start time) -> CPU seconds last read
    own = 0.0  # pytest's own CPU seconds, last read
    while proc.poll() is None:
        try:
            children = parent.children(recursive=True)
        except psutil.NoSuchProcess:
            break
        for child in children:
            try:
                with child.oneshot():
                    times, key, name = child.cpu_times(), (child.pid, child.create_time()), child.name()
            except psutil.NoSuchProcess:
                continue
            if "chrom" in name:  # not the rotsim runs a fixture starts
                seen[key] = times.user + times.system
        try:
            times = parent.cpu_times()
            own = times.user + times.system
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.1)
    out = proc.communicate()[0]
    wall = time.perf_counter() - start
    lines = out.strip().splitlines()
    return wall, sum(seen.values()), own, lines[-1] if lines else ""


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    modules = sys.argv[2:] or list(MODULES)
    print(f"load average {' '.join(f'{x:.2f}' for x in psutil.getloadavg())} (figures on a busy machine vary)")
    for module in modules:
        walls, chromium, pytest_cpu = [], [], []
        for _ in range(repeats):
            wall, cpu, own, last = run_module(module)
            walls.append(wall)
            chromium.append(cpu)
            pytest_cpu.append(own)
        print(
            f"{module}: median {statistics.median(walls):.1f} s wall, Chromium CPU {statistics.median(chromium):.1f} s,"
            f" pytest CPU {statistics.median(pytest_cpu):.1f} s"
            f"  (walls {' '.join(f'{w:.1f}' for w in walls)}; Chromium {' '.join(f'{c:.1f}' for c in chromium)})"
            f"  {last}"
        )


if __name__ == "__main__":
    main()
