"""CsvSource: real files from ../shared/data read in place, plus small files written per test.

The real data is never copied into the repository; tests that need it are
marked ``real_data`` and skip when the shared folder is not next to the repo
(conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.data.formats.parsers import read_french_csv
from simulator.data.sources import csv_folder as csv_source
from simulator.data.sources.csv_folder import CsvSource
from simulator.errors import DataError

from conftest import SHARED_DATA as SHARED
from data_fakes import layout_folder
from source_contract import assert_behaves_as_source

ETFS = "SPY QQQ IWM IJR XLF XLK XLE XLV XLY XLP XLI XLU XLB XLRE XLC".split()
INDICES = ["^GSPC", "^RUT", "^NDX"]
FRED = "DGS10 DGS2 FEDFUNDS DFF EFFR DFEDTAR DFEDTARU DFEDTARL USREC DTB3".split()
FF_NEW = "ff_F-F_Research_Data_Factors_daily.csv"
FF_CLASSIC = "ff_F-F_Research_Data_Factors_daily_classic_202503.csv"


@pytest.fixture(scope="module")
def real(shared_data: Path) -> CsvSource:
    # One instance for the module: its cache keeps the real-data tests fast.
    return CsvSource(shared_data)


def _span(data: pd.Series | pd.DataFrame) -> tuple[str, str, int]:
    return str(data.index[0].date()), str(data.index[-1].date()), len(data)


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text.lstrip("\n"))
    return path


# --- real data ----------------------------------------------------------------


@pytest.mark.real_data
@pytest.mark.parametrize(
    ("ticker", "first", "last", "rows"),
    [
        ("SPY", "1993-01-29", "2026-07-31", 8433),
        ("QQQ", "1999-03-10", "2026-07-31", 6891),
        ("IWM", "2000-05-26", "2026-07-31", 6583),
        ("XLRE", "2015-10-08", "2026-07-31", 2718),
        ("XLC", "2018-06-19", "2026-07-31", 2040),
        ("^GSPC", "1927-12-30", "2026-08-21", 24777),
        ("^RUT", "1987-09-10", "2026-02-20", 9685),
        ("^NDX", "1985-10-01", "2026-07-10", 10272),
    ],
)
def test_real_prices_match_provenance(real: CsvSource, ticker: str, first: str, last: str, rows: int) -> None:
    s = real.load_prices([ticker])[ticker]
    assert s.name == ticker
    assert s.index.name == "date"
    assert isinstance(s.index, pd.DatetimeIndex)
    assert s.dtype == np.float64
    assert _span(s) == (first, last, rows)
    assert s.index.is_monotonic_increasing and s.index.is_unique
    assert s.notna().all()


@pytest.mark.real_data
def test_real_spot_checks_from_provenance(real: CsvSource) -> None:
    p = real.load_prices(["^RUT", "IWM", "QQQ"])
    rut = p["^RUT"].pct_change()
    assert rut.loc["2024-07-16"] == pytest.approx(0.03505, abs=5e-5)
    spread = p["IWM"].pct_change() - p["QQQ"].pct_change()
    assert spread.loc["2020-11-09"] == pytest.approx(0.0567, abs=5e-4)
    smb = real.load_series(["FF:SMB"])["FF:SMB"]
    assert smb.loc["2024-07-11"] == pytest.approx(3.60)


@pytest.mark.real_data
def test_real_everything_loads_with_few_warnings() -> None:
    # how fast: benchmarks/bench.py prints it; a timed assertion would flake on a busy CI
    src = CsvSource(SHARED)  # fresh: nothing cached
    prices = src.load_prices(ETFS + INDICES)
    series = src.load_series(FRED)
    assert len(prices) == 18 and len(series) == 10
    # Market closures are known from the NYSE calendar (2001-09-11 is not a gap, nor is any
    # holiday since 1970); the one finding is the 1933 bank holiday, before the calendar starts.
    assert [str(w) for w in src.warnings] == ["^GSPC: no data for 12 days, 1933-03-03 to 1933-03-15"]


@pytest.mark.real_data
def test_real_fred_missing_values_are_dropped(real: CsvSource) -> None:
    s = real.load_series(["DGS2"])["DGS2"]
    assert s.notna().all()
    assert len(s) == 12936 - 545
    assert (str(s.index[0].date()), str(s.index[-1].date())) == ("1976-06-01", "2025-12-30")
    assert s.name == "DGS2" and s.index.name == "date"


@pytest.mark.real_data
def test_real_fed_target_series_join_up(real: CsvSource) -> None:
    got = real.load_series(["DFEDTAR", "DFEDTARU", "DFEDTARL"])
    old, upper, lower = got["DFEDTAR"], got["DFEDTARU"], got["DFEDTARL"]
    assert (len(old), len(upper), len(lower)) == (9577, 6381, 6381)
    assert str(old.index[-1].date()) == "2008-12-15"
    assert str(upper.index[0].date()) == "2008-12-16"
    assert (upper - lower).min() >= 0


@pytest.mark.real_data
def test_real_usrec_is_monthly_flags(real: CsvSource) -> None:
    s = real.load_series(["USREC"])["USREC"]
    assert len(s) == 2053
    assert str(s.index[0].date()) == "1854-12-01" and str(s.index[-1].date()) == "2025-12-01"
    assert (s.index.day == 1).all()
    assert set(s.unique()) == {0.0, 1.0}


@pytest.mark.real_data
def test_real_french_layouts_agree_within_crsp_revisions() -> None:
    new = read_french_csv(SHARED / FF_NEW)
    classic = read_french_csv(SHARED / FF_CLASSIC)
    assert _span(new) == ("1926-07-01", "2026-04-30", 26233)
    assert _span(classic) == ("1926-07-01", "2025-03-31", 25961)
    common = new.index.intersection(classic.index)
    assert len(common) == 25961
    diff = (new.loc[common] - classic.loc[common]).abs()
    # PROVENANCE.md: max differences 0.06 / 0.15 / 0.23 pp, mean about 0.0005 pp.
    for column, limit in {"Mkt-RF": 0.06, "SMB": 0.15, "HML": 0.23}.items():
        assert diff[column].max() <= limit + 1e-9, column
        assert diff[column].mean() < 0.001, column
    # RF: 2 decimals in the new file, 3 in the classic one, so only rounding differs.
    assert diff["RF"].max() <= 0.005 + 1e-9


@pytest.mark.real_data
def test_real_french_through_the_source(real: CsvSource) -> None:
    got = real.load_series(["FF:RF", "FF:Mkt-RF", "FF:Mkt"])
    rf = got["FF:RF"]
    # The non-classic file wins, and values stay in percent as published.
    assert str(rf.index[-1].date()) == "2026-04-30"
    assert rf.loc["2026-04-30"] == pytest.approx(0.01)
    assert (got["FF:Mkt"] - got["FF:Mkt-RF"] - rf).abs().max() < 1e-9
    market = real.load_prices(["FF:Mkt"])["FF:Mkt"]
    assert market.name == "FF:Mkt" and (market > 0).all()
    total = got["FF:Mkt"] / 100
    assert market.iloc[0] == pytest.approx(100 * (1 + total.iloc[0]))
    np.testing.assert_allclose(market.pct_change().iloc[1:], total.iloc[1:], atol=1e-12)


@pytest.mark.real_data
def test_real_missing_reports_without_parsing(real: CsvSource) -> None:
    assert real.missing(ETFS + INDICES + ["FF:Mkt"], FRED + ["FF:RF"]) == []
    # names no provider publishes: the folder may gain files (index_SP600.csv arrived; USRECD is a real
    # FRED series that could be next), never these
    tickers, series = ["^ROTSIM_TEST_NO_INDEX", "FF:Rotsim_test_no_column"], ["ROTSIM_TEST_NO_SERIES"]
    assert real.missing(["SPY", *tickers], ["DGS2", *series]) == [*tickers, *series]


# --- layouts (files written by the tests) ----------------------------------------


def test_is_a_source() -> None:
    src = CsvSource(layout_folder())
    prices, _ = assert_behaves_as_source(src, ["SPY", "^RUT"], ["DTB3", "DGS2"])
    assert src.name == f"csv:{layout_folder()}" and src.synthetic is False
    written = pd.read_csv(layout_folder() / "etf_SPY.csv", index_col=0, parse_dates=True)["adj_close"]
    np.testing.assert_array_equal(prices["SPY"].to_numpy(), written.to_numpy())


def test_yahoo_ohlcv_prefers_adj_close(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "SPY.csv",
        """
Date,Open,High,Low,Close,Adj Close,Volume
2020-01-02,10,11,9,10.5,10.1,100
2020-01-03,10,11,9,10.7,10.3,100
""",
    )
    s = CsvSource(tmp_path).load_prices(["SPY"])["SPY"]
    assert s.tolist() == [10.1, 10.3]
    assert list(s.index) == [pd.Timestamp("2020-01-02"), pd.Timestamp("2020-01-03")]


def test_close_used_when_no_adjusted_column_and_names_match_any_case(tmp_path: Path) -> None:
    _write(tmp_path, "etf_AAA.csv", "DATE,OPEN,CLOSE,VOLUME\n2020-01-02,1,2.5,0\n2020-01-03,1,2.6,0\n")
    assert CsvSource(tmp_path).load_prices(["AAA"])["AAA"].tolist() == [2.5, 2.6]


def test_yfinance_multirow_header(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "QQQ.csv",
        """
Price,Adj Close,Close,High,Low,Open,Volume
Ticker,QQQ,QQQ,QQQ,QQQ,QQQ,QQQ
Date,,,,,,
2020-01-02 00:00:00+00:00,210.5,216.2,216.2,213.9,214.4,30969400
2020-01-03 00:00:00+00:00,208.6,214.2,215.5,213.3,213.3,27518900
""",
    )
    s = CsvSource(tmp_path).load_prices(["QQQ"])["QQQ"]
    assert s.tolist() == [210.5, 208.6]
    assert s.index[0] == pd.Timestamp("2020-01-02")


@pytest.mark.parametrize("name", ["index_RUT.csv", "^RUT.csv", "RUT.csv"])
def test_index_file_names_and_close_column(tmp_path: Path, name: str) -> None:
    _write(tmp_path, name, "date,open,high,low,close\n2024-07-15,1,1,1,2100.5\n2024-07-16,1,1,1,2174.1\n")
    assert CsvSource(tmp_path).load_prices(["^RUT"])["^RUT"].tolist() == [2100.5, 2174.1]


def test_etf_prefix_wins_over_bare_name(tmp_path: Path) -> None:
    _write(tmp_path, "etf_IWM.csv", "date,adj_close\n2020-01-02,1.0\n")
    _write(tmp_path, "IWM.csv", "date,adj_close\n2020-01-02,2.0\n")
    assert CsvSource(tmp_path).load_prices(["IWM"])["IWM"].tolist() == [1.0]


def test_old_fred_layout_with_dots_and_us_dates(tmp_path: Path) -> None:
    _write(tmp_path, "DGS2.csv", "DATE,DGS2\n1/2/1990,7.87\n1/3/1990,.\n1/4/1990,7.84\n\n")
    s = CsvSource(tmp_path).load_series(["DGS2"])["DGS2"]
    assert s.tolist() == [7.87, 7.84]
    assert list(s.index) == [pd.Timestamp("1990-01-02"), pd.Timestamp("1990-01-04")]
    assert s.name == "DGS2" and s.index.name == "date"


def test_fred_current_layout_and_date_value_layout(tmp_path: Path) -> None:
    _write(tmp_path, "fred_DFF.csv", "observation_date,DFF\n2020-01-01,1.55\n2020-01-02,\n2020-01-03,1.54\n")
    _write(tmp_path, "fred_USREC.csv", "Date,Value\n2020-01-01,0\n2020-02-01,0\n2020-03-01,1\n")
    got = CsvSource(tmp_path).load_series(["DFF", "USREC"])
    assert got["DFF"].tolist() == [1.55, 1.54]
    assert got["USREC"].tolist() == [0.0, 0.0, 1.0]


CLASSIC_FF = """
This file was created by using the 202503 CRSP database.
The Tbill return is the simple daily rate ...

,Mkt-RF,SMB,HML,RF
19260701,    0.10,   -0.25,   -0.27,   0.009
19260702,    0.45,   -0.33,   -0.06,   0.009

Copyright 2025 Eugene F. Fama and Kenneth R. French
"""

NEW_FF = """
This file was created by using the 202604 CRSP database.
The Tbill return is the simple daily rate ...

Date,Mkt-RF,SMB,HML,RF
1926-07-01,    0.09,   -0.25,   -0.27,    0.01
1926-07-02,    0.45,   -0.33,   -0.06,    0.01
1926-07-06,    0.17,    0.30,   -0.39,    0.01

Copyright 2026 Eugene F. Fama and Kenneth R. French
"""


def test_french_classic_and_new_layouts(tmp_path: Path) -> None:
    classic = read_french_csv(_write(tmp_path, "a.csv", CLASSIC_FF))
    new = read_french_csv(_write(tmp_path, "b.csv", NEW_FF))
    assert list(classic.columns) == ["Mkt-RF", "SMB", "HML", "RF", "Mkt"]
    assert classic.index[1] == new.index[1] == pd.Timestamp("1926-07-02")
    assert classic.loc["1926-07-01", "RF"] == 0.009
    assert new.loc["1926-07-02", "Mkt"] == pytest.approx(0.46)
    assert len(new) == 3


def test_french_new_file_preferred_over_classic(tmp_path: Path) -> None:
    _write(tmp_path, "ff_F-F_Research_Data_Factors_daily_classic_202503.csv", CLASSIC_FF)
    src = CsvSource(tmp_path)
    assert src.load_series(["FF:RF"])["FF:RF"].tolist() == [0.009, 0.009]  # classic alone is used
    _write(tmp_path, "F-F_Research_Data_Factors_daily.csv", NEW_FF)
    assert src.load_series(["FF:RF"])["FF:RF"].tolist() == [0.01, 0.01, 0.01]


def test_french_factors_as_price_tickers(tmp_path: Path) -> None:
    _write(tmp_path, FF_NEW, NEW_FF)
    got = CsvSource(tmp_path).load_prices(["FF:Mkt", "FF:SMB"])
    np.testing.assert_allclose(got["FF:Mkt"], 100 * np.cumprod([1.0010, 1.0046, 1.0018]))
    np.testing.assert_allclose(got["FF:SMB"], 100 * np.cumprod([0.9975, 0.9967, 1.0030]))
    assert got["FF:Mkt"].name == "FF:Mkt" and got["FF:Mkt"].index.name == "date"


def test_french_stray_line_inside_data_is_an_error(tmp_path: Path) -> None:
    text = NEW_FF.replace("1926-07-02,", "oops\n1926-07-02,")
    path = _write(tmp_path, FF_NEW, text)
    with pytest.raises(DataError, match="unexpected line 'oops'") as info:
        CsvSource(tmp_path).load_series(["FF:SMB"])
    assert info.value.where == f"{path}:6"


# --- errors -----------------------------------------------------------------------


def test_missing_ticker_message_names_files_and_directory(tmp_path: Path) -> None:
    src = CsvSource(tmp_path)
    with pytest.raises(DataError) as info:
        src.load_prices(["XYZ"])
    assert str(info.value) == f"ticker 'XYZ' not found in csv:{tmp_path} (looked for etf_XYZ.csv, XYZ.csv)"


def test_every_missing_ticker_and_series_is_named(tmp_path: Path) -> None:
    _write(tmp_path, "etf_SPY.csv", "date,adj_close\n2020-01-02,1\n")
    src = CsvSource(tmp_path)
    with pytest.raises(DataError) as info:
        src.load_prices(["XYZ", "SPY", "^SP600"])
    message = str(info.value)
    assert "ticker 'XYZ'" in message and "ticker '^SP600'" in message and "index_SP600.csv" in message
    assert "'SPY'" not in message
    with pytest.raises(DataError, match=r"series 'NOPE' not found .*fred_NOPE.csv, NOPE.csv"):
        src.load_series(["NOPE"])
    with pytest.raises(DataError, match=r"series 'FF:RF' not found .*F-F_Research_Data_Factors_daily.csv"):
        src.load_series(["FF:RF"])


def test_missing_checks_existence_only(tmp_path: Path) -> None:
    _write(tmp_path, "etf_BAD.csv", "this is not csv data at all")
    _write(tmp_path, "fred_DGS2.csv", "")
    src = CsvSource(tmp_path)
    assert src.missing(["BAD", "XYZ", "XYZ"], ["DGS2", "FF:RF"]) == ["XYZ", "FF:RF"]


def test_ticker_cannot_escape_the_directory(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    _write(tmp_path, "etf_X.csv", "date,adj_close\n2020-01-02,1\n")
    assert CsvSource(inner).missing(["../etf_X", "../X"], []) == ["../etf_X", "../X"]


def test_bad_date_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "etf_AAA.csv", "date,adj_close\n2020-01-02,1.0\n2020-01-03,1.1\n2020-13-01,1.2\n")
    with pytest.raises(DataError, match=r"bad date '2020-13-01'") as info:
        CsvSource(tmp_path).load_prices(["AAA"])
    assert info.value.where == f"{path}:4"
    assert str(info.value).startswith(f"{path}:4: ")


def test_bad_number_names_file_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "fred_DGS2.csv", "observation_date,DGS2\n2020-01-02,1.5\n\n2020-01-03,1.5x\n")
    with pytest.raises(DataError, match=r"bad number '1.5x' in column 'DGS2'") as info:
        CsvSource(tmp_path).load_series(["DGS2"])
    assert info.value.where == f"{path}:4"  # the blank line still counts


def test_a_line_of_spaces_is_skipped_and_still_counts(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "fred_DGS2.csv", "observation_date,DGS2\n2020-01-02,1.5\n  \t\n2020-01-03,1.6\n2020-01-06,x\n"
    )
    with pytest.raises(DataError, match=r"bad number 'x'") as info:
        CsvSource(tmp_path).load_series(["DGS2"])
    assert info.value.where == f"{path}:5"


def test_row_with_too_many_fields_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "etf_AAA.csv", "date,adj_close\n2020-01-02,1.0\n2020-01-03,1.1,7\n")
    with pytest.raises(
        DataError, match=r"has 3 fields, the header 2: extra value\(s\) '7' after column 'adj_close'"
    ) as info:
        CsvSource(tmp_path).load_prices(["AAA"])
    assert info.value.where == f"{path}:3"


def test_file_without_header_or_rows(tmp_path: Path) -> None:
    _write(tmp_path, "etf_AAA.csv", "1,2,3\n4,5,6\n")
    _write(tmp_path, "etf_BBB.csv", "date,adj_close\n")
    src = CsvSource(tmp_path)
    with pytest.raises(DataError, match="no header line"):
        src.load_prices(["AAA"])
    with pytest.raises(DataError, match="no data rows"):
        src.load_prices(["BBB"])


def test_several_bad_files_are_reported_together(tmp_path: Path) -> None:
    a = _write(tmp_path, "etf_AAA.csv", "date,adj_close\n2020-01-02,x\n")
    b = _write(tmp_path, "etf_BBB.csv", "date,adj_close\nyesterday,1\n")
    with pytest.raises(DataError) as info:
        CsvSource(tmp_path).load_prices(["AAA", "BBB"])
    assert "2 data files failed" in str(info.value)
    assert f"{a}:2" in str(info.value) and f"{b}:2" in str(info.value)


def test_duplicate_dates_are_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "etf_AAA.csv", "date,adj_close\n2020-01-02,1.0\n2020-01-03,1.1\n2020-01-03,1.2\n")
    with pytest.raises(DataError, match="AAA: duplicate dates 2020-01-03") as info:
        CsvSource(tmp_path).load_prices(["AAA"])
    assert info.value.where == f"{path}:4"  # the second 2020-01-03


def test_unsorted_dates_are_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "fred_DGS2.csv", "observation_date,DGS2\n2020-01-03,1\n2020-01-02,1\n")
    with pytest.raises(DataError, match="2020-01-02 comes after 2020-01-03"):
        CsvSource(tmp_path).load_series(["DGS2"])


def test_non_positive_price_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "etf_AAA.csv", "date,adj_close\n2020-01-02,1.0\n2020-01-03,0\n")
    with pytest.raises(DataError, match="non-positive prices on 2020-01-03"):
        CsvSource(tmp_path).load_prices(["AAA"])


def test_a_failing_file_fails_every_time(tmp_path: Path) -> None:
    _write(tmp_path, "etf_AAA.csv", "date,adj_close\n2020-01-02,1.0\n2020-01-02,1.0\n")
    src = CsvSource(tmp_path)
    for _ in range(2):
        with pytest.raises(DataError, match="duplicate"):
            src.load_prices(["AAA"])


# --- warnings ---------------------------------------------------------------------


def _price_file(dates: pd.DatetimeIndex, values: np.ndarray) -> str:
    rows = "".join(f"{d:%Y-%m-%d},{'' if np.isnan(v) else f'{v:.4f}'}\n" for d, v in zip(dates, values, strict=True))
    return "date,adj_close\n" + rows


def test_warnings_for_gap_nan_run_stale_and_jump(tmp_path: Path) -> None:
    dates = pd.bdate_range("2021-01-04", periods=60)
    values = 100 + np.arange(60, dtype=float)
    values[10:17] = np.nan  # 7 missing: 2021-01-18 .. 2021-01-26
    values[25:32] = values[25]  # stuck for 7 days: 2021-02-08 .. 2021-02-16
    values[45:] *= 2  # an unadjusted split-like move on 2021-03-08
    dates = dates.delete(range(38, 43))  # no trading 2021-02-25 .. 2021-03-03
    values = np.delete(values, range(38, 43))
    _write(tmp_path, "etf_AAA.csv", _price_file(dates, values))
    src = CsvSource(tmp_path)
    src.load_prices(["AAA"])
    messages = [w.message for w in src.warnings]
    assert {w.series for w in src.warnings} == {"AAA"}
    assert len(messages) == 4, messages
    gap, nans, stale, jump = messages
    assert gap == "no data on 5 NYSE trading days between 2021-02-24 and 2021-03-04"
    assert "7 missing values in a row, 2021-01-18 to 2021-01-26" in nans
    assert "stuck at 125 for 7 observations, 2021-02-08 to 2021-02-16" in stale
    assert jump.startswith("2021-03-08: price moved +") and "split" in jump


def test_warnings_are_collected_once(tmp_path: Path) -> None:
    _write(tmp_path, "etf_AAA.csv", "date,adj_close\n2020-01-02,100\n2020-01-13,101\n")
    src = CsvSource(tmp_path)
    src.load_prices(["AAA"])
    src.load_prices(["AAA"])
    assert len(src.warnings) == 1
    assert "between 2020-01-02 and 2020-01-13" in src.warnings[0].message


# --- caching ----------------------------------------------------------------------


def test_files_are_parsed_once_until_they_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "etf_AAA.csv", "date,adj_close\n2020-01-02,1.0\n2020-01-03,1.1\n")
    calls: list[str] = []
    real_parser = csv_source.parse_prices

    def counting_parser(text: str, origin: str):  # noqa: ANN202
        calls.append(origin)
        return real_parser(text, origin)

    monkeypatch.setattr(csv_source, "parse_prices", counting_parser)
    src = CsvSource(tmp_path)
    first = src.load_prices(["AAA"])["AAA"]
    first.iloc[0] = -5.0  # callers get a copy: this must not leak into the cache
    again = src.load_prices(["AAA"])["AAA"]
    assert len(calls) == 1
    assert again.iloc[0] == 1.0

    path.write_text("date,adj_close\n2020-01-02,2.0\n2020-01-03,2.2\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert src.load_prices(["AAA"])["AAA"].tolist() == [2.0, 2.2]
    assert len(calls) == 2


def test_unusable_ticker_name_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"ticker '\.\./x' not found in csv:.* \(not a usable file name\)"):
        CsvSource(tmp_path).load_prices(["../x"])


# --- Ken French portfolio files, plain closes, short rows ----------------------------


def test_french_portfolio_file_in_the_folder_in_any_letter_case(tmp_path: Path) -> None:
    from test_downloads import INDUSTRIES

    (tmp_path / "10_Industry_Portfolios_Daily.CSV").write_bytes(INDUSTRIES)
    src = CsvSource(tmp_path)
    key = "FF:10_Industry_Portfolios_daily:HiTec"
    assert src.missing([key], [key, "FF:48_Industry_Portfolios_daily:Oil"]) == ["FF:48_Industry_Portfolios_daily:Oil"]
    assert src.load_series([key])[key].tolist() == [0.64, 0.25, 0.16]
    np.testing.assert_allclose(src.load_prices([key])[key], 100 * np.cumprod([1.0064, 1.0025, 1.0016]))
    with pytest.raises(DataError, match="no column 'Tech' .*columns: NoDur, Durbl"):
        src.load_series(["FF:10_Industry_Portfolios_daily:Tech"])
    # Hlth has -99.99 (missing) on 1926-07-02: dropped from the series
    assert src.load_series(["FF:10_Industry_Portfolios_daily:Hlth"])["FF:10_Industry_Portfolios_daily:Hlth"].tolist() == [
        0.31, 0.04,
    ]  # fmt: skip


def test_plain_close_files_are_checked_for_splits(tmp_path: Path) -> None:
    _write(tmp_path, "AAA.csv", "Date,Open,Close\n2020-01-02,99,100\n2020-01-03,100,101\n2020-01-06,51,50.6\n")
    _write(tmp_path, "BBB.csv", "Date,Close,Adj Close\n2020-01-02,100,50\n2020-01-03,101,50.5\n2020-01-06,50.6,50.6\n")
    src = CsvSource(tmp_path)
    src.load_prices(["AAA", "BBB"])
    [w] = src.warnings
    assert w.series == "AAA" and "like a 2-for-1 split" in w.message


def test_a_row_cut_short_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "fred_DGS2.csv", "observation_date,DGS2\n2020-01-02,1.58\n2020-01-0\n")
    with pytest.raises(
        DataError, match=r"row '2020-01-0' has 1 field\(s\), the header names 2 \(cut short\?\)"
    ) as info:
        CsvSource(tmp_path).load_series(["DGS2"])
    assert info.value.where == f"{path}:3"
