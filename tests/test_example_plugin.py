"""The guide's worked example, examples/rotsim-sector-momentum, as a user gets it: installed with pip.

Installed into a temporary folder (not this environment), found through its
entry point by a ``rotsim`` process with that folder on PYTHONPATH, run in a
config through the CLI (in this process, the folder on ``sys.path``), and
checked by its own tests, which use simulator.testing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, on_sys_path, pip_install, run_cli, run_in_process, run_pytest

EXAMPLE = ROOT / "examples" / "rotsim-sector-momentum"
SECTORS = {"tech": "XLK", "financials": "XLF", "energy": "XLE", "health": "XLV", "staples": "XLP",
           "utilities": "XLU", "discretionary": "XLY", "industrials": "XLI", "materials": "XLB"}  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict]:
    copy, site = pip_install(EXAMPLE, tmp_path_factory.mktemp("example"))
    return copy, {"PYTHONPATH": str(site)}


def test_it_is_found_through_its_entry_point(installed) -> None:
    _, env = installed
    proc = run_cli("plugins", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    row = rows["sector_momentum"]
    site = env["PYTHONPATH"]
    assert row["status"] == "ok" and row["strategies"] == ["sector_momentum"]
    assert row["distribution"] == "rotsim-sector-momentum" and row["version"] == "0.1.0"
    assert row["source"] == "rotsim-sector-momentum (entry point sector_momentum = rotsim_sector_momentum)"
    assert row["location"].startswith(site)  # the installed copy, not the sources in examples/
    with on_sys_path(Path(site)):
        listing = " ".join(run_in_process("strategies", "sector_momentum").stdout.split())
    assert "sector_momentum plugin: sector_momentum" in listing
    assert "roles: tech (default XLK), financials (default XLF)" in listing and "lookback int 126 >= 21" in listing
    # without the install there is no such plugin
    assert "sector_momentum" not in {r["name"] for r in json.loads(run_in_process("plugins", "--json").stdout)}


def test_a_config_using_it_runs_through_the_cli(installed, tmp_path: Path) -> None:
    from simulator.data.sources.sample import SampleSource

    _, env = installed
    out = tmp_path / "out"
    with on_sys_path(Path(env["PYTHONPATH"])):
        proc = run_in_process("run", str(EXAMPLE / "sector_momentum.yaml"), "--out", str(out), "--no-tearsheets")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    (folder,) = [p for p in (out / "sector_momentum").iterdir() if not p.name.startswith(".")]
    manifest = json.loads((folder / "manifest.json").read_text())
    first = manifest["strategies"][0]
    assert first["plugin"] == "sector_momentum" and first["params"] == {"lookback": 126, "top": 3}
    assert first["roles"] == SECTORS  # default tickers: the config names none of these roles
    metrics = pd.read_csv(folder / "metrics.csv", index_col=0)
    assert list(metrics.index) == ["Sector momentum (6m, top 3)", "Sector momentum (3m, top 1)", "S&P 500 (SPY)"]

    # Independently: after each month's first close (plus the one-bar lag), the book holds
    # exactly the three sectors with the best 126-day return to that close.
    held = pd.read_csv(folder / "weights" / "sector-momentum-6m-top-3.csv", index_col=0, parse_dates=True)
    raw = SampleSource(seed=7).load_prices(list(SECTORS.values()) + ["SPY"])
    prices = pd.DataFrame(raw).reindex(raw["SPY"].index).dropna()
    days = prices.index
    firsts = [i for i in range(1, len(days)) if days[i].month != days[i - 1].month and days[i] >= held.index[0]]
    checked = 0
    for i in firsts[3:-1:11]:
        ret = {t: prices[t].iloc[i] / prices[t].iloc[i - 126] - 1 for t in SECTORS.values()}
        best = set(sorted(ret, key=lambda t: -ret[t])[:3])
        row = held.loc[days[i + 1]]
        assert {t for t in SECTORS.values() if row.get(t, 0) > 0.05} == best, days[i]
        checked += 1
    assert checked >= 15


def test_it_passes_its_own_tests_which_use_simulator_testing(installed) -> None:
    copy, env = installed
    proc = run_pytest(copy / "tests", env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 passed" in proc.stdout
