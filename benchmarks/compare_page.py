"""How long the comparison page takes: 7 strategies x 26 years on the synthetic market.

    python benchmarks/compare_page.py

Prints the seconds to read the results folder, recompute the metrics and
render index.html (quantstats' report is not included), and the page's size.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import yaml

STRATEGIES = [
    {"name": "static_weights", "label": "60/40 large/small", "rebalance": "monthly",
     "params": {"weights": {"large_cap": 0.6, "small_cap": 0.4}}},
    {"name": "static_weights", "label": "Equal thirds", "rebalance": "quarterly",
     "params": {"weights": {"large_cap": 1 / 3, "small_cap": 1 / 3, "tech": 1 / 3}}},
    {"name": "static_weights", "label": "80% stocks, 20% cash", "params": {"weights": {"large_cap": 0.8}}},
    {"name": "small_cap_thrust", "label": "Thrust 3.5%, 1 year", "params": {"threshold": 0.035, "hold": 252}},
    {"name": "small_cap_thrust", "label": "Thrust 2.5%, 6 months", "params": {"threshold": 0.025, "hold": 126}},
    {"name": "small_cap_thrust", "label": "Thrust 2%, 3 months", "params": {"threshold": 0.02, "hold": 63}},
    {"name": "small_cap_thrust", "label": "Thrust 3%, half", "params": {"threshold": 0.03, "hold": 252, "on_small": 0.5}},
]  # fmt: skip


def main() -> None:
    from simulator.config import load_config
    from simulator.pages.write import write_run_page
    from simulator.pipeline.execute import execute
    from simulator.plugins import load_plugins

    with tempfile.TemporaryDirectory() as tmp:
        config = {
            "name": "bench7",
            "data": {"source": "sample", "seed": 7, "start": "2000-01-03"},
            "universe": {"large_cap": "SPY", "small_cap": "IWM", "small_cap_index": "^RUT", "tech": "XLK"},
            "benchmark": "SPY",
            "engine": {"fees_bps": 5, "slippage_bps": 2, "cash_earns": "risk_free"},
            "strategies": STRATEGIES,
            "report": {"tearsheets": False},
        }
        path = Path(tmp) / "bench7.yaml"
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        t = time.perf_counter()
        result = execute(load_config(path), load_plugins(), out=Path(tmp) / "results")
        print(f"run (7 strategies, no tearsheets): {time.perf_counter() - t:.2f} s")
        times = []
        for _ in range(3):
            t = time.perf_counter()
            write_run_page(result.folder, quantstats=False)
            times.append(time.perf_counter() - t)
        page = result.folder / "index.html"
        print(f"comparison page: best {min(times):.2f} s of 3, {page.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
