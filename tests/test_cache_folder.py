"""Which download cache a command uses: ``--cache-dir``, else ``$ROTSIM_CACHE_DIR``, else the config's
``data.cache_dir`` (relative to the config file), else the user cache directory (README, "Real data").

Four cache folders, one per level, each hold SPY (fetched through a fake yfinance, no network) cut at
a different day. A command given a level and every level below it must read the highest one's SPY:
``rotsim validate --offline`` prints the span it would run, ending on that folder's last day (taken
from the prices the test cut, not from rotsim), and ``rotsim data list`` shows that folder's last day.
``--offline`` itself must keep ``validate`` from downloading what the cache lacks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from simulator.cli import main

from data_fakes import FakeYfinance, all_in_spy_config, layout_prices

LEVELS = ("cli", "env", "config", "user")  # highest first
CUT = {"cli": "2021-03-31", "env": "2021-06-30", "config": "2021-09-30", "user": "2021-12-31"}
# ~ as the README names it, per platform; the test's HOME stands in for the user's
USER_CACHE = {"linux": Path(".cache") / "rotsim", "darwin": Path("Library") / "Caches" / "rotsim"}


def _flat(text: str) -> str:
    """rich's tables and wrapped lines as one line of words."""
    return " ".join(text.translate(str.maketrans("", "", "│┃")).split())


def _last_day(level: str) -> str:
    return str(layout_prices("SPY")[: CUT[level]].index[-1].date())


class Setup:
    """The four cache folders (filled), the configs with and without ``data.cache_dir``, the stand-in HOME."""

    def __init__(self, root: Path) -> None:
        self.home = root / "home"
        self.configs = root / "configs"
        self.configs.mkdir()
        self.with_cache = self.configs / "with_cache.yaml"
        # data.cache_dir is relative to the config file
        self.with_cache.write_text(all_in_spy_config("cache_levels", "source: auto, cache_dir: ../config-cache"))
        self.plain = self.configs / "plain.yaml"
        self.plain.write_text(all_in_spy_config("cache_levels", "source: auto"))
        user = USER_CACHE.get(sys.platform)
        self.folders = {"cli": root / "cli-cache", "env": root / "env-cache", "config": root / "config-cache"}
        if user is not None:
            self.folders["user"] = self.home / user


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    s = Setup(tmp_path_factory.mktemp("cache-levels"))
    spy = layout_prices("SPY")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("ROTSIM_OFFLINE", raising=False)
        for level, folder in s.folders.items():
            mp.setitem(sys.modules, "yfinance", FakeYfinance({"SPY": spy[: CUT[level]]}))
            assert main(["data", "fetch", str(s.plain), "--cache-dir", str(folder)]) == 0
    assert len({_last_day(level) for level in LEVELS}) == len(LEVELS)  # the levels are told apart by these days
    for level, folder in s.folders.items():  # each folder holds its own cut, nothing else
        assert [p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet")] == ["yahoo/SPY.parquet"], level
    return s


def _given(setup: Setup, level: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Set up ``level`` and every level below it (the environment, HOME); return the command-line options."""
    if level == "user" and "user" not in setup.folders:
        pytest.skip(f"the README names no user cache directory for {sys.platform}")
    below = LEVELS[LEVELS.index(level) :]
    monkeypatch.setenv("HOME", str(setup.home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # else it, not ~/.cache, is the user cache on Linux
    monkeypatch.delenv("ROTSIM_OFFLINE", raising=False)  # only --offline keeps these commands off the network
    if "env" in below:
        monkeypatch.setenv("ROTSIM_CACHE_DIR", str(setup.folders["env"]))
    else:
        monkeypatch.delenv("ROTSIM_CACHE_DIR", raising=False)
    monkeypatch.chdir(setup.home.parent)  # data.cache_dir is relative to the config file, not to here
    return ["--cache-dir", str(setup.folders["cli"])] if "cli" in below else []


@pytest.mark.parametrize("level", LEVELS)
def test_validate_reads_the_highest_cache_given(
    setup: Setup, level: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    options = _given(setup, level, monkeypatch)
    config = setup.with_cache if level != "user" else setup.plain
    code = main(["validate", str(config), "--offline", *options])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"2020-01-02 to {_last_day(level)})" in _flat(out), (level, out)


@pytest.mark.parametrize("level", ["cli", "env", "user"])  # `data list` reads no config
def test_data_list_shows_the_highest_cache_given(
    setup: Setup, level: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    options = _given(setup, level, monkeypatch)
    code = main(["data", "list", *options])
    out = _flat(capsys.readouterr().out)
    assert code == 0
    first = str(layout_prices("SPY").index[0].date())
    assert f"SPY yahoo {first} {_last_day(level)}" in out, (level, out)


def test_validate_offline_downloads_nothing_and_names_what_to_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cold cache with downloads possible (a fake yfinance that would serve SPY): --offline alone refuses."""
    monkeypatch.delenv("ROTSIM_OFFLINE", raising=False)
    yf = FakeYfinance({"SPY": layout_prices("SPY")})
    monkeypatch.setitem(sys.modules, "yfinance", yf)
    config = tmp_path / "c.yaml"
    config.write_text(all_in_spy_config("cache_levels", "source: auto"))
    cold = tmp_path / "cold"
    code = main(["validate", str(config), "--offline", "--cache-dir", str(cold)])
    err = _flat(capsys.readouterr().err)
    assert code == 2
    assert f"{config}:3: ticker 'SPY' is not in the data" in err
    assert f"fetch them first with: rotsim data fetch {config} --cache-dir {cold}" in err
    assert yf.calls == [] and not list(cold.rglob("*.parquet"))
    # the same command without --offline downloads it: the refusal above was the option's doing
    assert main(["validate", str(config), "--cache-dir", str(cold)]) == 0
    assert [t for t, _ in yf.calls] == ["SPY"]
