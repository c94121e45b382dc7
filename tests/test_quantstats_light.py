"""The tearsheet workers' quantstats: without matplotlib or yfinance, yet every function rotsim calls works.

The workers are forked from a server that imported :mod:`simulator.reports.quantstats_light`;
a process that had the real modules first (the run itself, a test) keeps them.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from conftest import checkout_env


@pytest.fixture(autouse=True)
def _quantstats() -> None:
    """Skip without quantstats. In a fixture, not at import: importing it costs every xdist worker seconds at
    collection. Before each test, so the test process has the real quantstats first (see the module's docstring)."""
    pytest.importorskip("quantstats")


# in a fresh interpreter: what the forkserver imports, then a tearsheet and a download
IN_A_WORKER = """
import sys
from pathlib import Path
import numpy as np, pandas as pd
import simulator.reports.quantstats_light
from simulator.reports.tearsheet import write_tearsheet
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("matplotlib", "seaborn", "bs4", "curl_cffi", "peewee"))
real = [m for m in sys.modules if m.startswith("yfinance.")]
idx = pd.bdate_range("2018-01-01", periods=300)
rng = np.random.default_rng(3)
bench = pd.Series(rng.normal(0.0003, 0.01, len(idx)), index=idx)
write_tearsheet(bench * 1.2 + 0.0001, bench, Path(sys.argv[1]), "t", "A", "SPY")
import quantstats as qs
try:
    qs.utils.download_returns("SPY")
except RuntimeError as exc:
    print("download:", exc)
print("heavy:", heavy, "real yfinance:", real)
"""


def test_a_worker_writes_a_tearsheet_without_matplotlib_or_yfinance(tmp_path) -> None:  # noqa: ANN001
    from simulator.reports.quantstats_light import NO_DOWNLOADS

    page = tmp_path / "a.html"
    out = subprocess.run(
        [sys.executable, "-c", IN_A_WORKER, str(page)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env=checkout_env(),
    ).stdout
    assert f"download: {NO_DOWNLOADS}" in out
    assert "heavy: [] real yfinance: []" in out
    html = page.read_text(encoding="utf-8")
    assert "Key Performance Metrics" in html and html.count("<svg") >= 14


def test_the_pool_workers_have_the_stand_in_and_the_run_keeps_the_real_yfinance() -> None:
    from simulator.reports import tearsheet_pool

    context = tearsheet_pool._context()
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        in_worker = pool.submit(eval, "__import__('sys').modules['yfinance'].download.__module__").result()
    assert in_worker == "simulator.reports.quantstats_light" or context.get_start_method() != "forkserver"
    import yfinance

    import simulator.reports.quantstats_light  # noqa: F401 - here, after quantstats: changes nothing

    assert yfinance.download.__module__.startswith("yfinance")
    assert hasattr(yfinance, "Ticker")  # the real package, whole
