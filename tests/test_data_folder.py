"""Which CSV folder a command reads: ``--data-dir``, else ``$ROTSIM_DATA_DIR``, else the config's
``data.dir`` (relative to the config file) (README, "Your own CSV files"); and `rotsim data fetch
--data-dir` fetches only what that folder lacks.

Three hand-made folders, one per level, each hold SPY in the Yahoo layout cut at a different day. A
command given a level and every level below it must read the highest one: ``validate`` prints the
span ending on that folder's last day and ``run`` writes returns up to it (days taken from the
prices the test wrote, not from rotsim). No network: downloads go to a fake yfinance.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from simulator.cli import main

from data_fakes import FakeYfinance, all_in_spy_config, layout_prices

LEVELS = ("cli", "env", "config")  # highest first
CUT = {"cli": "2021-03-31", "env": "2021-06-30", "config": "2021-09-30"}


def _write_spy(folder: Path, prices: pd.Series) -> None:
    folder.mkdir(parents=True)
    body = "".join(f"{day:%Y-%m-%d},{price:.6f}\n" for day, price in prices.items())
    (folder / "etf_SPY.csv").write_text("date,adj_close\n" + body)


def _last_day(level: str) -> str:
    return str(layout_prices("SPY")[: CUT[level]].index[-1].date())


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("folder-levels")
    found = {"cli": root / "cli-data", "env": root / "env-data", "config": root / "config-data"}
    for level, folder in found.items():
        _write_spy(folder, layout_prices("SPY")[: CUT[level]])
    assert len({_last_day(level) for level in LEVELS}) == len(LEVELS)  # the levels are told apart by these days
    (root / "configs").mkdir()
    found["config_file"] = root / "configs" / "c.yaml"
    found["config_file"].write_text(all_in_spy_config("folder_levels", "source: csv, dir: ../config-data"))
    return found


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("command", ["validate", "run"])
def test_the_highest_folder_given_is_read(
    folders: dict[str, Path],
    level: str,
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    below = LEVELS[LEVELS.index(level) :]
    if "env" in below:
        monkeypatch.setenv("ROTSIM_DATA_DIR", str(folders["env"]))
    else:
        monkeypatch.delenv("ROTSIM_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # data.dir is relative to the config file, not to here
    options = ["--data-dir", str(folders["cli"])] if "cli" in below else []
    extra = ["--out", str(tmp_path / "out"), "--no-tearsheets"] if command == "run" else []
    code = main([command, str(folders["config_file"]), *options, *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    if command == "validate":
        assert f"2020-01-02 to {_last_day(level)})" in " ".join(out.split()), (level, out)
    else:
        (run,) = [p for p in (tmp_path / "out" / "folder_levels").iterdir() if not p.name.startswith(".")]
        returns = pd.read_csv(run / "returns.csv", index_col=0, parse_dates=True)
        assert str(returns.index[-1].date()) == _last_day(level), level


def test_data_fetch_fetches_only_what_the_data_dir_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The folder holds SPY; the config also needs IWM. Yahoo (faked) would serve both."""
    monkeypatch.delenv("ROTSIM_OFFLINE", raising=False)
    monkeypatch.delenv("ROTSIM_DATA_DIR", raising=False)
    yf = FakeYfinance({t: layout_prices(t) for t in ("SPY", "IWM")})
    monkeypatch.setitem(sys.modules, "yfinance", yf)
    folder, cache = tmp_path / "data", tmp_path / "cache"
    _write_spy(folder, layout_prices("SPY"))
    config = tmp_path / "auto.yaml"
    config.write_text(all_in_spy_config("folder_levels", "source: auto", "large_cap: SPY, small_cap: IWM"))
    code = main(["data", "fetch", str(config), "--data-dir", str(folder), "--cache-dir", str(cache)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert [ticker for ticker, _ in yf.calls] == ["IWM"]
    assert sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*.parquet")) == ["yahoo/IWM.parquet"]
    # without the folder, both are fetched: the line above was --data-dir's doing
    yf.calls.clear()
    assert main(["data", "fetch", str(config), "--cache-dir", str(tmp_path / "other")]) == 0
    assert sorted(ticker for ticker, _ in yf.calls) == ["IWM", "SPY"]
