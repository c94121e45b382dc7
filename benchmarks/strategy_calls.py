"""The per-call overhead of a strategy call, outside the strategy's own code; printed, never asserted.

    python benchmarks/strategy_calls.py

Every strategy call pays ``check_weights``; every look-ahead cut pays ``StrategyInput.truncate``,
``lookahead.head`` and the comparison (``outputs`` + ``first_difference``). Timed here in CPU
microseconds a call (best of 5 rounds) on one typical output: 2,500 days x 3 roles, with a signal
and events, from an input of 13 roles and 9 macro series. Run it with PYTHONPATH set to two
checkouts to compare them. The load average is printed first: a busy machine's figures vary.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: a checkout named there is the one timed

import simulator  # noqa: E402
from simulator.contract import StrategyInput, check_weights  # noqa: E402
from simulator.lookahead import first_difference, head, outputs  # noqa: E402


def per_call(f: Callable[[], object], n: int = 300) -> float:
    """CPU microseconds a call, the best of 5 rounds of ``n``."""
    best = float("inf")
    for _ in range(5):
        t = time.process_time()
        for _ in range(n):
            f()
        best = min(best, (time.process_time() - t) / n)
    return best * 1e6


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f}; simulator from {Path(simulator.__file__).parent}")
    rng = np.random.default_rng(0)
    days = pd.bdate_range("2010-01-04", periods=2500)
    prices = pd.DataFrame(100 + rng.random((2500, 13)), index=days, columns=[f"role{i}" for i in range(13)])
    macro = pd.DataFrame(rng.random((2500, 9)), index=days, columns=[f"series{i}" for i in range(9)])
    observed = pd.DataFrame({c: days - pd.offsets.BDay(1) for c in macro.columns}, index=days)
    data = StrategyInput(prices, macro, observed)
    out = pd.DataFrame(rng.random((2500, 3)) / 3, index=days, columns=["role0", "role1", "role2"])
    out.attrs["signal"] = pd.Series(rng.random(2500) < 0.3, index=days)
    out.attrs["events"] = pd.Series(rng.random(2500) < 0.01, index=days)
    allowed = set(prices.columns.tolist())
    checked = check_weights(out, days, "bench", allowed)
    cut = days[1200]
    part = head(checked, cut)

    def compare() -> object:
        return [first_difference(a, b) for _, a, b in outputs(head(checked, cut), part)]

    rows = {
        "check_weights": per_call(lambda: check_weights(out, days, "bench", allowed)),
        "StrategyInput.truncate": per_call(lambda: data.truncate(cut)),
        "lookahead.head": per_call(lambda: head(checked, cut)),
        "head + outputs + first_difference": per_call(compare),
    }
    for name, us in rows.items():
        print(f"{name:36s} {us:8.1f} us a call")


if __name__ == "__main__":
    main()
