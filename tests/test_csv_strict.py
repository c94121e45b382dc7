"""Data files are read strictly: a row that does not line up with its header, a header naming
another series, and bad dates or prices are errors at ``file:line`` (header = line 1).

Hand-written files in the real layouts (Yahoo, FRED, Ken French), through
``CsvSource`` and through ``rotsim run`` / ``rotsim validate``: exit 2, the
file and line named, no traceback, nothing written. The line each test expects
is counted in the test from the text it writes, not taken from the code.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.cli import main
from simulator.data.sources.csv_folder import CsvSource
from simulator.errors import DataError

from conftest import run_in_process
from data_fakes import half_and_half_config

START, END = "2020-01-02", "2020-06-30"

CONFIG = half_and_half_config("strict", START, END)


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def _line_of(path: Path, needle: str) -> int:
    """The 1-based line (as an editor counts) of the last line holding ``needle``."""
    numbers = [i for i, line in enumerate(path.read_text().splitlines(), start=1) if needle in line]
    assert numbers, needle
    return numbers[-1]


def _error(tmp_path: Path, load: str, key: str) -> DataError:
    source = CsvSource(tmp_path)
    with pytest.raises(DataError) as info:
        source.load_prices([key]) if load == "prices" else source.load_series([key])
    return info.value


# --- unreadable numbers: rows that do not line up with the header --------------------------------


@pytest.mark.parametrize(
    ("name", "load", "key", "text", "bad_row", "expected"),
    [
        # the report's case: 138,554.916 read as 138 (a ParserWarning only)
        (
            "etf_AAA.csv",
            "prices",
            "AAA",
            "date,adj_close\n2020-01-02,138,554.916\n2020-01-03,139000.5\n",
            "2020-01-02",
            r"value '138,554\.916' in column 'adj_close' looks like a number with a thousands separator",
        ),
        # the bad row after good ones, two separators in one number
        (
            "etf_AAA.csv",
            "prices",
            "AAA",
            "date,adj_close\n2020-01-02,1000.5\n2020-01-03,1,138,554.916\n",
            "2020-01-03",
            r"value '1,138,554\.916' in column 'adj_close'.*write it as 1138554\.916",
        ),
        # Yahoo's full layout: the separator in Adj Close, Volume after it
        (
            "etf_AAA.csv",
            "prices",
            "AAA",
            "Date,Open,High,Low,Close,Adj Close,Volume\n"
            "2020-01-02,1,1,1,1,138,554.916,100\n2020-01-03,1,1,1,1,139.5,100\n",
            "2020-01-02",
            r"value '138,554\.916' in column 'Adj Close'",
        ),
        # an index file
        (
            "index_RUT.csv",
            "prices",
            "^RUT",
            "date,close,volume\n2020-01-02,1600.5,10\n2020-01-03,1,601.2,10\n",
            "2020-01-03",
            r"value '1,601\.2' in column 'close'",
        ),
        # FRED: a decimal comma is an extra field
        (
            "fred_DGS2.csv",
            "series",
            "DGS2",
            "observation_date,DGS2\n2020-01-02,1.5\n2020-01-03,1,6\n",
            "2020-01-03",
            r"row '2020-01-03,1,6' has 3 fields, the header 2: extra value\(s\) '6' after column 'DGS2'",
        ),
        # a stray extra field that is no thousands group
        (
            "etf_AAA.csv",
            "prices",
            "AAA",
            "date,adj_close\n2020-01-02,10\n2020-01-03,11,x\n",
            "2020-01-03",
            r"extra value\(s\) 'x' after column 'adj_close'",
        ),
        # a value under a header cell left empty would be dropped unseen
        (
            "etf_AAA.csv",
            "prices",
            "AAA",
            "date,adj_close,\n2020-01-02,10,\n2020-01-03,138,554.9\n",
            "2020-01-03",
            r"value '554\.9' in column 3, which the header leaves unnamed",
        ),
        # Ken French, classic layout: the header is not on line 1
        (
            "ff_F-F_Research_Data_Factors_daily.csv",
            "series",
            "FF:RF",
            "Made from the 202503 CRSP database.\n\n,Mkt-RF,SMB,HML,RF\n"
            "19260701,    0.10,   -0.25,   -0.27,   0.009\n19260702,    0.45,   -0.33,   -0.06,   0.009,   0.1\n"
            "\nCopyright\n",
            "19260702",
            r"has 6 fields, the header 5: extra value\(s\) '0\.1' after column 'RF'",
        ),
        # Ken French, newer layout, a portfolio file
        (
            "ff_10_Industry_Portfolios_daily.csv",
            "series",
            "FF:10_Industry_Portfolios_daily:HiTec",
            "Date,NoDur,HiTec\n1926-07-01,0.02,-0.21\n1926-07-02,0.29,1,036.5\n",
            "1926-07-02",
            r"value '1,036\.5' in column 'HiTec'",
        ),
    ],
)
def test_a_row_that_does_not_line_up_is_an_error_at_its_line(
    tmp_path: Path, name: str, load: str, key: str, text: str, bad_row: str, expected: str
) -> None:
    path = _write(tmp_path, name, text)
    error = _error(tmp_path, load, key)
    assert error.where == f"{path}:{_line_of(path, bad_row)}"
    assert re.search(expected, error.message), error.message


def test_an_unbalanced_quote_is_an_error_at_its_line(tmp_path: Path) -> None:
    # Read leniently, the open quote swallows every following line into one value.
    path = _write(tmp_path, "etf_AAA.csv", 'date,adj_close\n2020-01-02,10\n2020-01-03,"11\n2020-01-06,12\n')
    error = _error(tmp_path, "prices", "AAA")
    assert error.where == f"{path}:3"
    assert "unbalanced quote" in error.message


def test_empty_and_dot_values_stay_missing_and_alias_headers_warn(tmp_path: Path) -> None:
    # As FRED writes them: '' (new layout) and '.' (old one) are missing values, not errors.
    _write(tmp_path, "fred_DGS2.csv", "observation_date,dgs2\n2020-01-02,1.5\n2020-01-03,\n2020-01-06,1.6\n")
    _write(tmp_path, "fred_DTB3.csv", "DATE,VALUE\n2020-01-02,1.5\n2020-01-03,.\n2020-01-06,1.6\n")
    _write(tmp_path, "fred_DFF.csv", "observation_date,DFF_20240102\n2020-01-02,1.55\n")
    source = CsvSource(tmp_path)
    got = source.load_series(["DGS2", "DTB3", "DFF"])
    assert got["DGS2"].tolist() == [1.5, 1.6] and got["DTB3"].tolist() == [1.5, 1.6] and got["DFF"].tolist() == [1.55]
    messages = {w.series: w.message for w in source.warnings}
    assert messages == {
        "DGS2": f"{tmp_path / 'fred_DGS2.csv'}:1: column 'dgs2' taken as series 'DGS2' (the header does not name it exactly)",
        "DTB3": f"{tmp_path / 'fred_DTB3.csv'}:1: column 'VALUE' taken as series 'DTB3' (the header does not name it exactly)",
        "DFF": f"{tmp_path / 'fred_DFF.csv'}:1: column 'DFF_20240102' taken as series 'DFF' "
        "(the header does not name it exactly)",
    }


# --- a file that says it is something else ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "text", "expected"),
    [
        # the report's case
        (
            "fred_DTB3.csv",
            "DTB3",
            "observation_date,DGS10\n2020-01-02,1.5\n",
            "the header names series 'DGS10', not 'DTB3'",
        ),
        ("DGS2.csv", "DGS2", "DATE,DGS10\n1/2/1990,7.87\n", "the header names series 'DGS10', not 'DGS2'"),
        (
            "fred_DGS2.csv",
            "DGS2",
            "observation_date,rate\n2020-01-02,1.5\n",
            "the header names series 'rate', not 'DGS2'",
        ),
    ],
)
def test_a_fred_header_naming_another_series_is_an_error_at_line_1(
    tmp_path: Path, name: str, key: str, text: str, expected: str
) -> None:
    path = _write(tmp_path, name, text)
    error = _error(tmp_path, "series", key)
    assert error.where == f"{path}:1"
    assert expected in error.message


@pytest.mark.parametrize(
    ("key", "column"),
    [("FF:RF", "RF"), ("FF:Mkt-RF", "Mkt-RF"), ("FF:10_Industry_Portfolios_daily:HiTec", "HiTec")],
)
def test_a_ken_french_file_without_the_column_is_an_error_at_its_header_line(
    tmp_path: Path, key: str, column: str
) -> None:
    # A portfolio table saved under the factor file's name, and an industry file without HiTec.
    table = "Made from the 202503 CRSP database.\n\n,NoDur,Durbl\n19260701,0.02,-0.28\n\nCopyright\n"
    path = _write(tmp_path, "ff_F-F_Research_Data_Factors_daily.csv", table)
    if "Industry" in key:
        path = _write(tmp_path, "ff_10_Industry_Portfolios_daily.csv", table)
    error = _error(tmp_path, "series", key)
    assert error.where == f"{path}:{_line_of(path, ',NoDur,Durbl')}"
    assert f"no column {column!r}" in error.message


# --- data errors point at lines --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "load", "key", "text", "bad_row", "expected"),
    [
        (
            "etf_AAA.csv",
            "prices",
            "AAA",
            "date,adj_close\n2020-01-02,1\n2020-01-03,1.1\n2020-01-03,1.2\n2020-01-06,1\n",
            "2020-01-03,1.2",
            "AAA: duplicate dates 2020-01-03 (this line repeats line 3)",
        ),
        (
            "etf_AAA.csv",
            "prices",
            "AAA",
            "date,adj_close\n2020-01-02,1\n2020-01-06,1.1\n\n2020-01-03,1.2\n",
            "2020-01-03",
            "AAA: dates not in increasing order: 2020-01-03 comes after 2020-01-06",
        ),
        (
            "etf_AAA.csv",
            "prices",
            "AAA",
            "date,adj_close\n2020-01-02,1\n2020-01-03,0\n2020-01-06,1\n",
            "2020-01-03",
            "AAA: non-positive prices on 2020-01-03",
        ),
        (
            "AAA.csv",
            "prices",
            "AAA",
            "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,1,1,1,1,9\n2020-01-03,1,1,1,1,-2.5,9\n",
            "2020-01-03",
            "AAA: non-positive prices on 2020-01-03 (first: -2.5",
        ),
        (
            "index_RUT.csv",
            "prices",
            "^RUT",
            "date,close\n2020-01-02,1\n2020-01-03,inf\n2020-01-06,1\n",
            "2020-01-03",
            "^RUT: infinite values on 2020-01-03",
        ),
        (
            "fred_DGS2.csv",
            "series",
            "DGS2",
            "observation_date,DGS2\n2020-01-02,1\n2020-01-03,-inf\n",
            "2020-01-03",
            "DGS2: infinite values on 2020-01-03",
        ),
        (
            "fred_DGS2.csv",
            "series",
            "DGS2",
            "observation_date,DGS2\n2020-01-02,1\n2020-01-02,\n",
            "2020-01-02,",
            "DGS2: duplicate dates 2020-01-02 (this line repeats line 2)",
        ),
        (
            "ff_F-F_Research_Data_Factors_daily.csv",
            "series",
            "FF:RF",
            "Made from the 202503 CRSP database.\n\n,Mkt-RF,SMB,HML,RF\n"
            "19260702,0.45,-0.33,-0.06,0.009\n19260701,0.10,-0.25,-0.27,0.009\n\nCopyright\n",
            "19260701",
            "dates not in increasing order: 1926-07-01 comes after 1926-07-02",
        ),
    ],
)
def test_bad_dates_and_prices_name_their_line(
    tmp_path: Path, name: str, load: str, key: str, text: str, bad_row: str, expected: str
) -> None:
    path = _write(tmp_path, name, text)
    error = _error(tmp_path, load, key)
    assert error.where == f"{path}:{_line_of(path, bad_row)}"
    assert expected in error.message


# --- through the CLI: exit 2, file:line, no traceback, nothing written ----------------------------


def _weekdays_file(header: str, days: pd.DatetimeIndex, values: np.ndarray) -> str:
    return header + "\n" + "".join(f"{d:%Y-%m-%d},{v:.4f}\n" for d, v in zip(days, values, strict=True))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    days = pd.bdate_range("2019-01-02", END)
    prices = 100 * 1.0003 ** np.arange(len(days))
    (data / "etf_SPY.csv").write_text(_weekdays_file("date,adj_close", days, prices))
    (data / "etf_IWM.csv").write_text(_weekdays_file("date,adj_close", days, prices * 1.5))
    (data / "fred_DTB3.csv").write_text(_weekdays_file("observation_date,DTB3", days, np.full(len(days), 1.5)))
    (tmp_path / "strict.yaml").write_text(CONFIG)
    return data


def _spoil(data: Path, name: str, day: str, new_row: str) -> int:
    """Replace the row for ``day`` in ``name`` by ``new_row``; return its line (the header is line 1)."""
    path = data / name
    lines = path.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(day + ","))
    lines[at] = new_row
    path.write_text("\n".join(lines) + "\n")
    return at + 1


SPOILED = [
    ("etf_IWM.csv", "2020-03-02", "2020-03-02,1,138.5", "looks like a number with a thousands separator"),
    ("etf_SPY.csv", "2020-03-02", "2020-03-02,0", "SPY: non-positive prices on 2020-03-02"),
    ("etf_SPY.csv", "2020-03-02", "2020-03-02,-5", "SPY: non-positive prices on 2020-03-02"),
    ("etf_IWM.csv", "2020-03-02", "2020-03-02,inf", "IWM: infinite values on 2020-03-02"),
    ("etf_IWM.csv", "2020-03-02", "2020-02-28,101", "IWM: duplicate dates 2020-02-28"),
    (
        "etf_IWM.csv",
        "2020-03-02",
        "2020-02-23,101",
        "IWM: dates not in increasing order: 2020-02-23 comes after",
    ),  # a Sunday
    ("fred_DTB3.csv", "2020-03-02", "2020-03-02,1,5", "extra value(s) '5' after column 'DTB3'"),
]


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize(("name", "day", "row", "expected"), SPOILED)
def test_cli_exits_2_naming_file_and_line_and_writes_nothing(  # noqa: PLR0913
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    name: str,
    day: str,
    row: str,
    expected: str,
) -> None:
    monkeypatch.setenv("ROTSIM_DISABLE_PLUGINS", "*")
    line = _spoil(folder, name, day, row)
    out = tmp_path / "out"
    args = [command, str(tmp_path / "strict.yaml"), "--data-dir", str(folder)]
    code = main(args + (["--out", str(out)] if command == "run" else []))
    captured = capsys.readouterr()
    assert code == 2, captured.out + captured.err
    assert f"{folder / name}:{line}: " in captured.err
    assert expected in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not out.exists()


def test_cli_header_naming_another_series_exits_2_in_a_subprocess(folder: Path, tmp_path: Path) -> None:
    # As a user runs it, in its own process: no traceback, nothing written.
    path = folder / "fred_DTB3.csv"
    path.write_text(path.read_text().replace("observation_date,DTB3", "observation_date,DGS10", 1))
    out = tmp_path / "out"
    proc = run_in_process(
        "run",
        str(tmp_path / "strict.yaml"),
        "--data-dir",
        str(folder),
        "--out",
        str(out),
        env={"ROTSIM_DISABLE_PLUGINS": "*"},
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{path}:1: the header names series 'DGS10', not 'DTB3'" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not out.exists()
