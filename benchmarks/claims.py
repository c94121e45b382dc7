"""How long `rotsim study` takes on each claim config (configs/claims/), offline; printed, never asserted.

    python benchmarks/claims.py             # each claim once, on ../shared/data
    python benchmarks/claims.py --repeat 3  # medians of 3 runs

Issue 14's goal: each claim under 30 s offline. The load average is printed
first: figures taken on a busy machine are not comparable.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
GOAL_SECONDS = 30.0


def time_claim(config: Path, out: Path) -> float:
    """Wall seconds of one `rotsim study` in a fresh process (imports included, as a user runs it)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "simulator.cli", "study", str(config), "--data-dir", str(SHARED), "--out", str(out),
         "--offline"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{config.name} failed ({proc.returncode}):\n{proc.stderr}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        for config in sorted((ROOT / "configs" / "claims").glob("*.yaml")):
            runs = [time_claim(config, Path(tmp)) for _ in range(args.repeat)]
            took = statistics.median(runs)
            verdict = "ok" if took < GOAL_SECONDS else "OVER"
            print(f"{config.name:28s} {took:6.1f} s   goal < {GOAL_SECONDS:.0f} s   {verdict}")


if __name__ == "__main__":
    main()
