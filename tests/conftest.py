"""Shared fixtures: the synthetic market, the real data folder, a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

# Roles used by the built-in configs, mapped to tickers both the synthetic
# market and ../shared/data have, so a strategy can be fed from either.
UNIVERSE = {
    "large_cap": "SPY",
    "small_cap": "IWM",
    "small_cap_index": "^RUT",
    "growth": "QQQ",
    "tech": "XLK",
    "financials": "XLF",
    "energy": "XLE",
    "health": "XLV",
    "staples": "XLP",
    "utilities": "XLU",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_data: reads ../shared/data in place")
    config.addinivalue_line("markers", "slow: runs the CLI end to end")


@pytest.fixture(scope="session", autouse=True)
def no_network(tmp_path_factory):  # noqa: ANN201
    """No test downloads by accident, or writes to the user's cache.

    Downloads are off (``ROTSIM_OFFLINE=1``, inherited by CLI subprocesses)
    and the cache is a temporary folder; tests of downloads turn them back
    on explicitly, with a fake transport or a local server.
    """
    from simulator.data import transport

    saved_env = {k: os.environ.get(k) for k in ("ROTSIM_OFFLINE", "ROTSIM_CACHE_DIR")}
    saved_get = transport.http_get

    def refuse(url: str, timeout: float = 0) -> bytes:
        raise AssertionError(f"a test tried to download {url}")

    os.environ["ROTSIM_OFFLINE"] = "1"
    os.environ["ROTSIM_CACHE_DIR"] = str(tmp_path_factory.mktemp("rotsim-cache"))
    transport.http_get = refuse
    yield
    transport.http_get = saved_get
    for k, v in saved_env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "etf_SPY.csv").is_file():
        pytest.skip(f"real data folder {SHARED_DATA} is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def sample_market():
    """The synthetic market with every macro series, 1995 on."""
    from simulator.data.market import build_market
    from simulator.data.sample import SampleSource
    from simulator.data.series import SERIES

    return build_market(SampleSource(seed=7), UNIVERSE.values(), "SPY", list(SERIES), None, None)


@pytest.fixture(scope="session")
def registry():
    from simulator.plugins import load_plugins

    return load_plugins()


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``rotsim`` as a user would, in a subprocess."""
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    full_env.pop("ROTSIM_DATA_DIR", None) if env is None or "ROTSIM_DATA_DIR" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "simulator.cli", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
