"""The download sources (FRED, Ken French, Yahoo) on real-format payloads, through fakes: no network.

FRED and Ken French payloads are files in the real layouts with made-up
numbers (data_fakes.layout_folder; zipped in memory for Ken French); Yahoo's
come from a fake ``yfinance.download`` that serves that folder's ETF and index
files. Expected values are read from the files with plain pandas or plain
text, independently of rotsim's parsers.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from simulator.data.providers.fred import FredRemote, fred_url
from simulator.data.providers.french import FACTORS, FrenchRemote, french_url, parse_id, to_index
from simulator.data.providers.transport import FetchError
from simulator.data.providers.yahoo import INSTALL_HINT, YahooRemote
from simulator.errors import DataError

from data_fakes import (
    FF_CLASSIC,
    FF_NEW,
    FakeTransport,
    FakeYfinance,
    fred_payload,
    french_payload,
    layout_folder,
    zip_of,
)

# The daily 10-industry file's layout (as the library's zip holds it: CRLF, Latin-1,
# a padded "Hlth " column, two tables), with made-up numbers.
INDUSTRIES = (
    "This file was created by CMPT_IND_RETS_DAILY using the 202604 CRSP database.\r\n"
    "It contains value- and equal-weighted returns for 10 industry portfolios.\r\n"
    "Missing data are indicated by -99.99 or -999. Caf\xe9 owners are in Shops.\r\n"
    "\r\n"
    "\r\n"
    "  Average Value Weighted Returns -- Daily\r\n"
    ",NoDur,Durbl,Manuf,Enrgy,HiTec,Telcm,Shops,Hlth ,Utils,Other\r\n"
    "19260701,    0.06,   -0.91,    0.44,    0.02,    0.64,    0.35,    0.23,    0.31,   -0.18,    0.26\r\n"
    "19260702,    0.20,    0.98,    0.54,   -0.99,    0.25,    0.70,   -0.21,  -99.99,    0.52,    0.31\r\n"
    "19260706,    0.13,    0.80,    0.01,    0.57,    0.16,   -0.09,    0.37,    0.04,    0.13,    0.05\r\n"
    "\r\n"
    "  Average Equal Weighted Returns -- Daily\r\n"
    ",NoDur,Durbl,Manuf,Enrgy,HiTec,Telcm,Shops,Hlth ,Utils,Other\r\n"
    "19260701,    9.99,    9.99,    9.99,    9.99,    9.99,    9.99,    9.99,    9.99,    9.99,    9.99\r\n"
    "\r\n"
).encode("latin-1")


def _pandas_fred(series_id: str) -> pd.Series:
    frame = pd.read_csv(layout_folder() / f"fred_{series_id}.csv", index_col=0, parse_dates=True)
    return frame[series_id]


# --- FRED ---------------------------------------------------------------------


def test_fred_download_is_the_saved_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROTSIM_FRED_URL", raising=False)
    url = "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS2"
    fake = FakeTransport({url: fred_payload("DGS2")})
    got = FredRemote(fake).download("DGS2")
    assert fake.calls == [url] and got.url == url
    expected = _pandas_fred("DGS2")
    values = got.frame["value"]
    assert values.index.equals(pd.DatetimeIndex(expected.index, name="date"))
    np.testing.assert_array_equal(values.to_numpy(), expected.to_numpy())  # NaN where FRED has none
    assert values.isna().sum() == expected.isna().sum() > 0  # FRED's empty values on holidays


def test_fred_mirror_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROTSIM_FRED_URL", "http://127.0.0.1:8000/fred")
    assert fred_url("DGS10") == "http://127.0.0.1:8000/fred?id=DGS10"


@pytest.mark.parametrize(
    ("payload", "message", "line"),
    [
        (b"", "the server sent an empty response", None),
        (b"<!DOCTYPE html><html><head><title>FRED Error</title></head>", "HTML page titled 'FRED Error'", None),
        # cut inside the date of the 1001st row: the file's line 1002
        ("truncated", "row '2003-12-1' has 1 field", 1002),
        ("bad-number", "bad number '5.2x' in column 'DTB3'", 4),
    ],
    ids=["empty", "html", "truncated", "bad-number"],
)
def test_fred_bad_payloads_say_what_and_where(payload: bytes | str, message: str, line: int | None) -> None:
    lines = fred_payload("DTB3").split(b"\n")
    if payload == "truncated":
        payload = b"\n".join(lines[:1001]) + b"\n2003-12-1"
    elif payload == "bad-number":
        lines[3] = lines[3].split(b",")[0] + b",5.2x"  # the third observation, on the file's line 4
        payload = b"\n".join(lines)
    url = fred_url("DTB3", "https://fred.test/csv")
    with pytest.raises(DataError, match=message) as info:
        FredRemote(FakeTransport({url: payload}), "https://fred.test/csv").download("DTB3")
    assert info.value.where == (f"{url}:{line}" if line else url)


def test_fred_http_failure_passes_through() -> None:
    url = fred_url("NOPE", "https://fred.test/csv")
    with pytest.raises(FetchError, match="HTTP 404 Not Found") as info:
        FredRemote(FakeTransport(), "https://fred.test/csv").download("NOPE")
    assert info.value.where == url


# --- Ken French -----------------------------------------------------------------


def _french_rows(name: str) -> list[list[str]]:
    """Independently of rotsim's parser: the data rows are the lines that start with a digit."""
    return [line.split(",") for line in french_payload(name).decode().splitlines() if line[:1].isdigit()]


@pytest.mark.parametrize("name", [FF_NEW, FF_CLASSIC], ids=["current", "classic"])
def test_french_zip_in_both_layouts(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROTSIM_FRENCH_URL", raising=False)
    url = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/F-F_Research_Data_Factors_daily_CSV.zip"
    got = FrenchRemote(FakeTransport({url: zip_of(french_payload(name))})).download(FACTORS)
    frame = got.frame
    rows = _french_rows(name)
    assert len(frame) == len(rows) and list(frame.columns) == ["Mkt-RF", "SMB", "HML", "RF", "Mkt"]
    for i in (0, len(rows) // 2, -1):
        assert frame.index[i] == pd.Timestamp(rows[i][0])
        assert frame["SMB"].iloc[i] == float(rows[i][2]) and frame["RF"].iloc[i] == float(rows[i][4])
        assert frame["Mkt"].iloc[i] == pytest.approx(float(rows[i][1]) + float(rows[i][4]))


def test_french_factors_become_a_total_return_index_from_percent() -> None:
    url = french_url(FACTORS, "https://ff.test")
    frame = (
        FrenchRemote(FakeTransport({url: zip_of(french_payload(FF_NEW))}), "https://ff.test").download(FACTORS).frame
    )
    index = to_index(frame["Mkt"].loc["2024-07-01":"2024-07-31"])
    raw = frame["Mkt"].loc["2024-07-01":"2024-07-31"].to_numpy()
    np.testing.assert_allclose(index.to_numpy(), 100 * np.cumprod(1 + raw / 100), rtol=1e-12)
    # and from the file's text: the market is Mkt-RF + RF, in percent, compounded over July 2024
    july = [float(r[1]) + float(r[4]) for r in _french_rows(FF_NEW) if r[0].startswith("2024-07")]
    assert len(index) == len(july) > 20
    assert index.iloc[-1] == pytest.approx(100 * np.prod([1 + m / 100 for m in july]), rel=1e-12)


def test_french_portfolio_file_reads_the_first_table() -> None:
    url = french_url("10_Industry_Portfolios_daily", "https://ff.test")
    remote = FrenchRemote(
        FakeTransport({url: zip_of(INDUSTRIES, "10_Industry_Portfolios_Daily.CSV")}), "https://ff.test"
    )
    assert remote.dataset("FF:10_Industry_Portfolios_daily:HiTec") == "10_Industry_Portfolios_daily"
    assert remote.column("FF:10_Industry_Portfolios_daily:HiTec") == "HiTec"
    frame = remote.download("10_Industry_Portfolios_daily").frame
    assert list(frame.columns)[7] == "Hlth" and len(frame.columns) == 10
    assert frame["HiTec"].tolist() == [0.64, 0.25, 0.16]  # value-weighted, not the 9.99s below
    assert np.isnan(frame.loc["1926-07-02", "Hlth"])  # -99.99 means missing
    assert "Mkt" not in frame


@pytest.mark.parametrize(
    ("key", "file", "column"),
    [
        ("FF:SMB", FACTORS, "SMB"),
        ("FF:Portfolios_Formed_on_ME_daily:Lo 10", "Portfolios_Formed_on_ME_daily", "Lo 10"),
        ("FF:../etc:x", None, None),
        ("FF:", None, None),
        ("SPY", None, None),
    ],
)
def test_french_ids(key: str, file: str | None, column: str | None) -> None:
    parsed = parse_id(key)
    assert (parsed.file, parsed.column) == (file, column) if file else parsed is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty response"),
        (b"<html><head><title>404 Not Found</title></head></html>", "HTML page titled '404 Not Found'"),
        (b"PK\x03\x04 not really a zip", "not a valid zip archive"),
        ("truncated", "truncated or corrupt download"),
        ("two", "expected one CSV file in the zip, found: a.csv, b.csv"),
        ("bad-row", r"bad number 'x-?\d+\.\d\d' in column 'Mkt-RF'"),
    ],
)
def test_french_bad_payloads(payload, message: str) -> None:
    url = french_url(FACTORS, "https://ff.test")
    classic = french_payload(FF_CLASSIC)
    good = zip_of(classic)
    if payload == "truncated":
        payload = good[: len(good) * 2 // 3]
    elif payload == "two":
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("a.csv", "x")
            archive.writestr("b.csv", "y")
        payload = buffer.getvalue()
    elif payload == "bad-row":
        second = _french_rows(FF_CLASSIC)[1]  # on the file's line 7
        row = ",".join(second)
        bad = ",".join([second[0], f"{'x' + second[1].strip():>8}", *second[2:]])
        payload = zip_of(classic.replace(row.encode(), bad.encode(), 1))
    with pytest.raises(DataError, match=message) as info:
        FrenchRemote(FakeTransport({url: payload}), "https://ff.test").download(FACTORS)
    if message.startswith("bad number"):
        assert info.value.where == f"{url}!F-F_Research_Data_Factors_daily.CSV:7"
    else:
        assert info.value.where == url


# --- Yahoo ------------------------------------------------------------------------


@pytest.fixture
def fake_yf(monkeypatch: pytest.MonkeyPatch) -> FakeYfinance:
    fake = FakeYfinance()
    monkeypatch.setitem(sys.modules, "yfinance", fake)
    return fake


@pytest.mark.parametrize("ticker", ["SPY", "^RUT"])
def test_yahoo_adjusted_closes_from_yfinance(fake_yf: FakeYfinance, ticker: str) -> None:
    got = YahooRemote().download(ticker)
    name = f"index_{ticker[1:]}.csv" if ticker.startswith("^") else f"etf_{ticker}.csv"
    expected = pd.read_csv(layout_folder() / name, index_col=0, parse_dates=True).iloc[:, -1 if ticker == "SPY" else 3]
    assert got.url == f"yfinance:{ticker}" and got.adjusted
    assert got.frame["adj_close"].index.equals(pd.DatetimeIndex(expected.index, name="date"))
    np.testing.assert_allclose(got.frame["adj_close"].to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert fake_yf.calls == [(ticker, None)]


def test_yahoo_from_a_start_date(fake_yf: FakeYfinance) -> None:
    got = YahooRemote().download("IWM", pd.Timestamp("2026-07-20"))
    assert fake_yf.calls == [("IWM", "2026-07-20")]
    assert got.frame.index[0] == pd.Timestamp("2026-07-20") and got.frame.index[-1] == pd.Timestamp("2026-07-31")


def test_yahoo_unknown_ticker_reports_yfinance_log_quietly(fake_yf: FakeYfinance, capsys) -> None:
    fake_yf.prices = {}
    with pytest.raises(FetchError) as info:
        YahooRemote().download("SPYY")
    message = str(info.value)
    assert message.startswith("yfinance:SPYY: no prices from Yahoo: YFTzMissingError('possibly delisted")
    assert "is the ticker right?" in message and not info.value.unreachable
    out = capsys.readouterr()
    assert "YFTzMissingError" not in out.out + out.err  # the log was captured, not printed


def test_yahoo_network_failure_is_flagged_unreachable(fake_yf: FakeYfinance) -> None:
    import logging

    def offline(*args: object, **kwargs: object) -> pd.DataFrame:
        logging.getLogger("yfinance").error("['SPY']: Failed to perform, curl: (6) Could not resolve host: query2")
        return pd.DataFrame()

    fake_yf.download = offline
    with pytest.raises(FetchError, match="Could not resolve host") as info:
        YahooRemote().download("SPY")
    assert info.value.unreachable


def test_yahoo_exceptions_become_fetch_errors(fake_yf: FakeYfinance) -> None:
    def broken(*args: object, **kwargs: object) -> pd.DataFrame:
        raise RuntimeError("rate limited")

    fake_yf.download = broken
    with pytest.raises(FetchError, match="Yahoo download failed: RuntimeError: rate limited"):
        YahooRemote().download("SPY")


def test_yahoo_multilevel_columns_and_plain_closes(fake_yf: FakeYfinance) -> None:
    days = pd.bdate_range("2020-01-02", periods=3, name="Date")

    def multi(*args: object, **kwargs: object) -> pd.DataFrame:
        columns = pd.MultiIndex.from_tuples([("Close", "AAA"), ("Volume", "AAA")], names=["Price", "Ticker"])
        return pd.DataFrame([[10.0, 1], [20.0, 1], [21.0, 1]], index=days, columns=columns)

    fake_yf.download = multi
    got = YahooRemote().download("AAA")
    assert got.frame["adj_close"].tolist() == [10.0, 20.0, 21.0]
    assert not got.adjusted  # only a plain Close: the split checks will look at it


def test_yahoo_without_yfinance_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yfinance", None)  # makes `import yfinance` fail
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    assert YahooRemote().unavailable() == INSTALL_HINT
    with pytest.raises(FetchError, match=r"pip install 'rotsim\[yahoo\]'"):
        YahooRemote().download("SPY")
