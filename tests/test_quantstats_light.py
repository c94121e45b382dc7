"""The tearsheet workers' quantstats: without matplotlib or yfinance, yet every function rotsim calls works.

The workers are forked from a server that imported :mod:`simulator.reports.quantstats_light`;
a process that had the real modules first (the run itself, a test) keeps them.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

from tearsheet_worker_probe import in_a_worker


@pytest.fixture(autouse=True)
def real_quantstats():  # noqa: ANN201 - the quantstats package
    """The real quantstats, imported in this process before any test imports the light one: it keeps the real modules.

    Here, not when the module is collected: a pytest that only collects the
    suite (test_suite_independence) need not import quantstats, matplotlib and seaborn.
    """
    return pytest.importorskip("quantstats")


def test_a_worker_writes_a_tearsheet_without_matplotlib_or_yfinance(tmp_path) -> None:  # noqa: ANN001
    """In a worker of the tearsheets' own pool: forked from the server that preloaded the light quantstats, else spawned."""
    from simulator.reports import tearsheet_server
    from simulator.reports.quantstats_light import NO_DOWNLOADS

    page = tmp_path / "a.html"
    with ProcessPoolExecutor(1, mp_context=tearsheet_server.context()) as pool:
        heavy, real, said = pool.submit(in_a_worker, str(page)).result()
    assert said == NO_DOWNLOADS
    assert heavy == [] and real == []
    html = page.read_text(encoding="utf-8")
    assert "Key Performance Metrics" in html and html.count("<svg") >= 14


def test_the_pool_workers_have_the_stand_in_and_the_run_keeps_the_real_yfinance() -> None:
    from simulator.reports import tearsheet_server

    context = tearsheet_server.context()
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        in_worker = pool.submit(eval, "__import__('sys').modules['yfinance'].download.__module__").result()
    assert in_worker == "simulator.reports.quantstats_light" or context.get_start_method() != "forkserver"
    import yfinance

    import simulator.reports.quantstats_light  # noqa: F401 - here, after quantstats: changes nothing

    assert yfinance.download.__module__.startswith("yfinance")
    assert hasattr(yfinance, "Ticker")  # the real package, whole
