"""A run's manifest says where its time went: every step, the results files and the comparison page too.

The tearsheets' own seconds (the pool's total and each report's) are checked in test_tearsheet_pool.py.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import ROOT, run_in_process

STEPS = ("plan", "data", "strategies", "lookahead", "engine", "results files", "comparison page")


def test_the_manifest_times_every_step_of_a_run(tmp_path: Path) -> None:
    t = time.perf_counter()
    proc = run_in_process("run", str(ROOT / "configs" / "demo.yaml"), "--no-tearsheets", "--out", str(tmp_path))
    wall = time.perf_counter() - t
    assert proc.returncode == 0, proc.stderr
    (manifest,) = tmp_path.glob("*/*/manifest.json")
    timings = json.loads(manifest.read_text(encoding="utf-8"))["timings_seconds"]
    assert list(timings) == list(STEPS)  # in the order they ran; no tearsheets, none timed
    assert all(s >= 0 for s in timings.values())
    assert sum(timings.values()) <= wall  # the steps are parts of the run, none counted twice
