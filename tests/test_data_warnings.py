"""The data warnings a user reads: only about the run's span, market closures known, `validate` as `run`.

A hand-made CSV folder holds prices on every weekday (an independent calendar:
pandas' business days), with the 9/11 closure taken out, and then the faults
the tests look for: a week missing before the run's look-back year, a week
missing inside it, one day missing inside the run, a 1,000x price spike and a
bill rate that ends 57 days before the run.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.cli import main

from conftest import SHARED_DATA, only_run
from data_fakes import half_and_half_config

START, END = "2001-01-02", "2002-12-31"
CLOSED_9_11 = pd.bdate_range("2001-09-11", "2001-09-14")  # the NYSE did not open these weekdays

CONFIG = half_and_half_config("hand", START, END)

# What `run` must print for that folder, and nothing else.
EXPECTED = {
    # build_market: IWM's missing day, carried forward
    "IWM: no price on 1 trading day(s) of the benchmark, 2002-06-12; carried forward",
    # DTB3 stops 57 days before the end
    "risk_free: last observed on 2002-11-04, 57 days before the last simulated day (2002-12-31); "
    "its last value is carried forward",
    # the week missing in the year before the start: what strategies look back on
    "SPY: no data on 5 NYSE trading days between 2000-06-02 and 2000-06-12",
    "IWM: no data on 1 NYSE trading day between 2002-06-11 and 2002-06-13",
    "IWM: 2002-03-05: price moved +99900.0% (",  # prefix: the prices' digits follow
    "IWM: 2002-03-06: price moved -99.9% (",
}


def _weekdays(first: str, last: str, without: list[pd.DatetimeIndex]) -> pd.DatetimeIndex:
    days = pd.bdate_range(first, last, name="date")
    for gone in without:
        days = days.difference(gone)
    return days


def _write_prices(path: Path, days: pd.DatetimeIndex, spike: str | None = None) -> None:
    prices = pd.Series(100 * 1.0003 ** np.arange(len(days)), index=days)
    if spike:  # 1,000 times the day before's price, for that one day
        prices[spike] = prices.shift(1)[spike] * 1000
    path.write_text("date,adj_close\n" + "".join(f"{d:%Y-%m-%d},{v:.6f}\n" for d, v in prices.items()))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    spy = _weekdays("1995-01-02", END, [CLOSED_9_11,
                                         pd.bdate_range("1997-03-03", "1997-03-07"),  # before the look-back year
                                         pd.bdate_range("2000-06-05", "2000-06-09")])  # in it  # fmt: skip
    iwm = _weekdays("1995-01-02", END, [CLOSED_9_11, pd.DatetimeIndex(["1997-05-14", "2002-06-12"])])
    _write_prices(data / "etf_SPY.csv", spy)
    _write_prices(data / "etf_IWM.csv", iwm, spike="2002-03-05")
    bills = _weekdays("1995-01-02", "2002-11-04", [CLOSED_9_11])
    rates = np.round(5 + 0.01 * np.sin(np.arange(len(bills))), 2)  # moves daily, as a bill rate does
    (data / "fred_DTB3.csv").write_text(
        "observation_date,DTB3\n" + "".join(f"{d:%Y-%m-%d},{r:.2f}\n" for d, r in zip(bills, rates, strict=True))
    )
    (tmp_path / "hand.yaml").write_text(CONFIG)
    return data


def _cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _warnings(text: str) -> list[str]:
    return [line.removeprefix("warning: ") for line in text.splitlines() if line.startswith("warning: ")]


def _matches(shown: list[str], expected: set[str]) -> bool:
    """Every line shown is one expected (a line ending in '(' is a prefix), and every expected one is shown."""

    def fits(line: str, e: str) -> bool:
        return line.startswith(e) if e.endswith("(") else line == e

    return all(any(fits(s, e) for e in expected) for s in shown) and all(
        any(fits(s, e) for s in shown) for e in expected
    )


@pytest.fixture(autouse=True)
def _only_these_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # one warning, one line
    monkeypatch.setenv("ROTSIM_DISABLE_PLUGINS", "*")  # an installed plugin that fails to load would warn too


def test_run_warns_about_its_span_and_the_year_before_only(folder: Path, capsys, tmp_path: Path) -> None:  # noqa: ANN001
    code, out, err = _cli(capsys, "run", tmp_path / "hand.yaml", "--data-dir", folder, "--out", tmp_path / "out")
    assert code == 0, err
    shown = _warnings(out)
    assert _matches(shown, EXPECTED), shown
    assert len(shown) == len(EXPECTED)
    # not the 9/11 closure, not the gap or the missing day years before the run
    assert not [w for w in shown if "2001-09" in w or "1997" in w], shown
    manifest = json.loads((only_run(tmp_path / "out", "hand") / "manifest.json").read_text())
    assert manifest["data"]["warnings"] == shown  # the manifest keeps what was shown


def test_validate_prints_the_warnings_run_prints(folder: Path, capsys, tmp_path: Path) -> None:  # noqa: ANN001
    config = tmp_path / "hand.yaml"
    code, validated, err = _cli(capsys, "validate", config, "--data-dir", folder)
    assert code == 0, err
    code, ran, err = _cli(capsys, "run", config, "--data-dir", folder, "--out", tmp_path / "out")
    assert code == 0, err
    assert _warnings(validated) == _warnings(ran)
    assert any("+99900.0%" in w for w in _warnings(validated)) and any("57 days" in w for w in _warnings(validated))
    assert f"{config}: ok" in validated


def test_validate_reports_every_config_error_at_once(folder: Path, capsys, tmp_path: Path) -> None:  # noqa: ANN001
    config = tmp_path / "broken.yaml"
    config.write_text(
        CONFIG.replace("benchmark: SPY\n", "benchmark: SPY\nbenchmrk: QQQ\n")  # line 10: an unknown top-level key
        .replace("small_cap: IWM", "small_cap: NOPE")  # line 8: a ticker the folder lacks
        .replace(
            "strategies:\n",
            textwrap.dedent("""\
            strategies:
              - name: small_cap_thrus
              - name: small_cap_thrust
                params: {threshold: -1}
              - name: yield_tilt
                params: {thresold: 1}
            """),
        )  # lines 14-18: an unknown strategy, a bad parameter, an unknown one  # fmt: skip
        .replace("  end: ", "  sources: {DGS10: csv}\n  end: ")  # what yield_tilt reads: used, though not planned
    )
    code, out, err = _cli(capsys, "validate", config, "--data-dir", folder)
    assert code == 2
    err = " ".join(err.split())
    for line, message in (
        (11, "unknown key 'benchmrk' in the top level; did you mean 'benchmark'?"),
        (15, "unknown strategy 'small_cap_thrus'"),
        (17, "strategies[1].params.threshold: Input should be greater than 0 (got -1)"),
        (19, "unknown parameter 'thresold'"),
        (9, f"ticker 'NOPE' is not in the data (csv: folder {folder}"),
    ):
        assert f"{config}:{line}: {message}" in err, err
    assert "ok" not in out and "Traceback" not in err
    assert "does not use" not in err  # DGS10 is yield_tilt's, whose parameter is wrong: not an unused route

    # A bad value where the data is chosen is not replaced by its default: data.source 'auto'
    # would report tickers missing from a source the config never asked for.
    config.write_text(CONFIG.replace("source: csv", "source: sampel").replace("name: static_weights", "name: nope"))
    code, _, err = _cli(capsys, "validate", config, "--data-dir", folder)
    assert code == 2
    assert f"{config}:3: data.source: Input should be" in " ".join(err.split())
    assert "not in the data" not in err and "unknown strategy" not in err


@pytest.mark.real_data
def test_real_run_from_2000_shows_no_1933_or_9_11_warning(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """SPY, IWM and ^RUT with DTB3 and Ken French RF (^GSPC's and RF's files reach back to 1926-1933)."""
    config = tmp_path / "real.yaml"
    config.write_text(
        CONFIG.replace("source: csv", "source: csv")
        .replace(START, "2000-05-26")
        .replace(END, "2025-12-31")
        .replace("  small_cap: IWM\n", "  small_cap: IWM\n  small_cap_index: ^RUT\n  index: ^GSPC\n")
    )
    code, out, err = _cli(capsys, "run", config, "--data-dir", SHARED_DATA, "--out", tmp_path / "out")
    assert code == 0, err
    shown = _warnings(out)
    assert not [w for w in shown if "1933" in w or "2001-09" in w], shown
    assert shown == [], shown  # every file is complete from 1999-05 to 2025-12
