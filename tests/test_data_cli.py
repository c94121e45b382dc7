"""`rotsim data fetch|list` and `rotsim run` on the cache, end to end through the CLI.

The same config runs from a CSV folder in the real layouts (made-up numbers:
data_fakes.layout_folder) and from a cache filled through fake downloads
serving those files: the results must be identical.
In-process tests inject the fake transport and yfinance; one subprocess test
downloads from a local HTTP server on 127.0.0.1 (``ROTSIM_FRED_URL``,
``ROTSIM_FRENCH_URL``) with a fake yfinance module on ``PYTHONPATH``.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from simulator.cli import main
from simulator.data.providers import transport
from simulator.data.providers.fred import fred_url

from conftest import ROOT, run_cli, run_in_process
from data_fakes import (
    FF_NEW,
    FakeTransport,
    FakeYfinance,
    LocalServer,
    fred_payload,
    french_payload,
    layout_folder,
    real_transport,
    zip_of,
)

THRUST = ROOT / "configs" / "small_cap_thrust.yaml"


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> tuple[FakeTransport, FakeYfinance]:
    """Downloads on, through the fakes."""
    monkeypatch.delenv("ROTSIM_OFFLINE", raising=False)
    fake = real_transport(("DTB3",))
    monkeypatch.setattr(transport, "http_get", fake)
    yf = FakeYfinance()
    monkeypatch.setitem(sys.modules, "yfinance", yf)
    return fake, yf


def _cli(capsys, *args: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main([str(a) for a in args])
    out = capsys.readouterr()

    def flat(text: str) -> str:  # rich wraps long lines and draws table borders
        return " ".join(text.translate(str.maketrans("", "", "│┃")).split())

    return code, flat(out.out), flat(out.err)


FILES = {"SPY": "etf_SPY.csv", "IWM": "etf_IWM.csv", "^RUT": "index_RUT.csv", "FF:RF": FF_NEW, "DTB3": "fred_DTB3.csv"}


def _span(key: str) -> tuple[str, str, str]:
    """First day, last day and rows (with a thousands comma) of ``key``'s file, read as plain text."""
    lines = (layout_folder() / FILES[key]).read_text().splitlines()
    days = [line.split(",")[0] for line in lines if line[:1].isdigit()]
    return str(pd.Timestamp(days[0]).date()), str(pd.Timestamp(days[-1]).date()), f"{len(days):,}"


def _only_run(out: Path) -> Path:
    (run,) = [p for p in (out / "small_cap_thrust").iterdir() if not p.name.startswith(".")]
    return run


def test_same_config_from_the_folder_and_from_the_fetched_cache(tmp_path: Path, capsys, online) -> None:  # noqa: ANN001
    fake, yf = online
    cache = tmp_path / "cache"
    code, out, err = _cli(capsys, "data", "fetch", THRUST, "--cache-dir", cache)
    assert code == 0, err
    for key in ("SPY", "IWM", "^RUT", "FF:RF", "DTB3"):
        assert f"{key} " in out and _span(key)[2] in out
    # FF:RF: cash's risk-free rate before DTB3 starts (an optional id of 'risk_free')
    assert out.count("fetched") == 5 and fake.calls[-1] == fred_url("DTB3") and "F-F_Research" in fake.calls[0]

    code, out, err = _cli(capsys, "data", "list", "--cache-dir", cache)
    assert code == 0
    assert "^RUT yahoo {} {} {}".format(*_span("^RUT")) in out and "DTB3 fred {} {} {}".format(*_span("DTB3")) in out

    runs = {}
    for name, extra in (("cache", ["--cache-dir", cache, "--offline"]), ("csv", ["--data-dir", layout_folder()])):
        out_dir = tmp_path / name
        code, _, err = _cli(capsys, "run", THRUST, "--out", out_dir, "--no-tearsheets", *extra)
        assert code == 0, err
        runs[name] = _only_run(out_dir)
    for table in ("returns.csv", "metrics.csv", "weights/benchmark.csv", "signals.csv"):
        assert (runs["cache"] / table).read_text() == (runs["csv"] / table).read_text(), table
    manifest = json.loads((runs["cache"] / "manifest.json").read_text())
    assert manifest["data"]["provenance"]["^RUT"]["source"] == "yahoo"
    assert manifest["data"]["provenance"]["DTB3"]["url"] == fred_url("DTB3")
    assert manifest["data"]["source"] == f"auto: cache {cache}, offline"

    # Fetching again finds everything cached; --refresh updates prices incrementally.
    yf.calls.clear()
    code, out, _ = _cli(capsys, "data", "fetch", THRUST, "--cache-dir", cache)
    assert code == 0 and out.count("cached") == 5 and yf.calls == []
    code, out, _ = _cli(capsys, "data", "fetch", THRUST, "--cache-dir", cache, "--refresh")
    assert code == 0 and out.count("updated") == 3 and all(start is not None for _, start in yf.calls)


def test_offline_with_a_cold_cache_names_everything_and_the_command(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out_dir = tmp_path / "out"
    cache = tmp_path / "cold"
    code, out, err = _cli(capsys, "run", THRUST, "--cache-dir", cache, "--offline", "--out", out_dir)
    assert code == 2
    for line, what in (
        (13, "ticker 'SPY'"),
        (14, "ticker 'IWM'"),
        (15, "ticker '^RUT'"),
        (9, "series 'DTB3' (for 'risk_free')"),
    ):
        assert f"{THRUST}:{line}: {what} is not in the data" in err
    assert f"fetch them first with: rotsim data fetch {THRUST} --cache-dir {cache}" in err
    assert "Traceback" not in err and not out_dir.exists()


def test_failed_downloads_are_listed_and_leave_the_cache_as_it_was(tmp_path: Path, capsys, online) -> None:  # noqa: ANN001
    fake, yf = online
    cache = tmp_path / "cache"
    assert _cli(capsys, "data", "fetch", THRUST, "--cache-dir", cache)[0] == 0
    before = {p.name: p.read_bytes() for p in cache.rglob("*.parquet")}
    fake.responses[fred_url("DTB3")] = b"<!DOCTYPE html><html><title>Error - St. Louis Fed</title></html>"
    ff_zip = next(url for url in fake.calls if "F-F_Research" in url)
    fake.responses[ff_zip] = b"PK\x03\x04 cut short"  # a truncated zip
    yf.prices = {}  # Yahoo knows none of the tickers now
    code, out, err = _cli(capsys, "data", "fetch", THRUST, "--cache-dir", cache, "--refresh")
    assert code == 2
    assert "5 of 5 downloads failed; the cache keeps what it had" in err
    assert "DTB3 (fred): " in err and "HTML page titled 'Error - St. Louis Fed'" in err
    assert "^RUT (yahoo): yfinance:^RUT: no prices from Yahoo" in err
    assert {p.name: p.read_bytes() for p in cache.rglob("*.parquet")} == before
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]


CONFIG = """\
name: ff
data:
  source: auto
  start: 2020-01-02
  end: 2020-12-31
  sources: {SOURCES}
universe:
  large_cap: SPY
  small_cap: "FF:Mkt"
benchmark: SPY
engine:
  cash_earns: risk_free
strategies:
  - name: static_weights
    rebalance: monthly
    params:
      weights: {large_cap: 0.5, small_cap: 0.5}
report:
  tearsheets: false
"""


@pytest.mark.parametrize(
    ("sources", "line", "message"),
    [
        ("{SPY: bloomberg}", 6, "data.sources.SPY: Input should be 'auto', 'csv', 'yahoo', 'fred' or 'french'"),
        ("{SPY: french}", 2, "'SPY' cannot come from french: Ken French ids are FF:<column> or FF:<file>:<column>"),
        ('{"FF:Mkt": yahoo}', 2, "'FF:Mkt' is a Ken French id: it comes from french (or csv/auto), not yahoo"),
        (
            "{QQQ: yahoo}",
            6,
            "data.sources names 'QQQ', which this config does not use (tickers: SPY, FF:Mkt; series ids: FF:RF, DTB3)",
        ),
    ],
    ids=["unknown-source", "french-for-ticker", "yahoo-for-french", "unused-key"],
)
def test_bad_data_sources_point_at_the_line(tmp_path: Path, capsys, sources: str, line: int, message: str) -> None:  # noqa: ANN001
    cfg = tmp_path / "ff.yaml"
    cfg.write_text(CONFIG.replace("{SOURCES}", sources))
    code, _, err = _cli(capsys, "validate", cfg)
    assert code == 2 and f"{cfg}:{line}:" in err and message in err, err


def test_subprocess_fetch_from_a_local_server_then_run_offline(tmp_path: Path) -> None:
    """The real HTTP transport, against 127.0.0.1, with FRED and Ken French payloads; yfinance faked."""
    fake_yf = tmp_path / "fake_yf"
    fake_yf.mkdir()
    (fake_yf / "yfinance.py").write_text(
        textwrap.dedent(f"""\
        import sys
        sys.path.insert(0, {str(ROOT / "tests")!r})
        from data_fakes import FakeYfinance
        from simulator.data.formats.parsers import read_price_csv
        download = FakeYfinance({{"SPY": read_price_csv({str(layout_folder() / "etf_SPY.csv")!r})}}).download
    """)
    )
    cfg = tmp_path / "ff.yaml"
    cfg.write_text(CONFIG.replace("{SOURCES}", '{"FF:Mkt": french}'))
    cache = tmp_path / "cache"
    with LocalServer() as server:
        server.routes["/fred?id=DTB3"] = (200, fred_payload("DTB3"))
        server.routes["/ff/F-F_Research_Data_Factors_daily_CSV.zip"] = (200, zip_of(french_payload()))
        env = {
            "ROTSIM_OFFLINE": "",
            "ROTSIM_FRED_URL": f"{server.url}/fred",
            "ROTSIM_FRENCH_URL": f"{server.url}/ff",
            "ROTSIM_CACHE_DIR": str(cache),
            "PYTHONPATH": str(fake_yf),
        }
        fetched = run_cli("data", "fetch", str(cfg), env=env)
    assert fetched.returncode == 0, fetched.stderr
    assert " ".join(fetched.stdout.split()).count("fetched") == 3  # SPY, the Ken French zip, DTB3

    out = tmp_path / "out"
    # in this process: nothing of the fetch is in it, only what the fetch left in the cache folder
    ran = run_in_process("run", str(cfg), "--offline", "--out", str(out), env={"ROTSIM_CACHE_DIR": str(cache)})
    assert ran.returncode == 0, ran.stderr
    (folder,) = list((out / "ff").iterdir())
    weights = pd.read_csv(folder / "weights" / "static-weights.csv", index_col=0, parse_dates=True)
    assert list(weights.columns) == ["SPY", "FF:Mkt", "cash"]
    assert weights.loc["2020-06-01", ["SPY", "FF:Mkt"]].tolist() == pytest.approx([0.5, 0.5], abs=0.02)
    returns = pd.read_csv(folder / "returns.csv", index_col=0, parse_dates=True)
    assert returns.index[0] == pd.Timestamp("2020-01-02") and returns.index[-1] == pd.Timestamp("2020-12-31")


OWN_DATA_PLUGIN = '''
import pandas as pd
from simulator import SeriesSpec, hookimpl, strategy

EFFR = SeriesSpec("effr", ("EFFR",), "daily", 1, "effective fed funds rate, percent")

@strategy(roles=("large_cap",), default_tickers={"energy": "XLE"}, series=(EFFR,))
def own_data(data):
    """Half large caps, half energy while the effective rate is under 3%."""
    on = (data.macro["effr"] < 3).astype(float) * 0.5
    return pd.DataFrame({"large_cap": 1 - on, "energy": on}, index=data.index)

@hookimpl
def register_strategies(register):
    register(own_data)
'''


def test_fetch_gets_a_strategys_own_series_and_default_tickers(tmp_path: Path, capsys, online) -> None:  # noqa: ANN001
    """`data fetch` must load what the run loads: a strategy's own SeriesSpec and its default tickers too."""
    fake, yf = online
    fake.responses[fred_url("EFFR")] = fred_payload("EFFR")
    (tmp_path / "own.py").write_text(OWN_DATA_PLUGIN)
    cfg = tmp_path / "own.yaml"
    cfg.write_text(
        "name: own\ndata: {source: auto, start: 2015-01-02, end: 2016-12-30}\nuniverse: {large_cap: SPY}\n"
        "plugins: [own.py]\nstrategies:\n  - {name: own_data}\nreport: {tearsheets: false}\n"
    )
    cache = tmp_path / "cache"
    code, out, err = _cli(capsys, "data", "fetch", cfg, "--cache-dir", cache)
    assert code == 0, err
    assert fred_url("EFFR") in fake.calls and ("XLE", None) in yf.calls
    code, _, err = _cli(capsys, "run", cfg, "--cache-dir", cache, "--offline", "--out", tmp_path / "out")
    assert code == 0, err
