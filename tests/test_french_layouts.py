"""Ken French portfolio files in both layouts: as the library publishes them and as ../shared/data holds them.

The library's daily portfolio files (``Portfolios_Formed_on_ME_daily_CSV.zip``,
``10_Industry_Portfolios_daily_CSV.zip``) hold text lines, then the
value-weighted table under its title, then the equal-weighted table, then a
copyright line; ../shared/data holds only the value-weighted table, its header
on the first line. Both must give the same series. The published file here is
written the way the library writes it (CRLF, text lines, a title, a header
with an empty first field, YYYYMMDD dates, percent padded to 2 decimals,
-99.99 for no data); the expected numbers come from plain pandas on the bare
table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.cli import main
from simulator.data.providers.french import FrenchRemote, french_url
from simulator.data.sources.csv_folder import CsvSource
from simulator.errors import DataError

from data_fakes import FakeTransport, zip_of

SIZE = "Portfolios_Formed_on_ME_Daily"
SIZE_COLUMNS = (
    "<= 0,Lo 30,Med 40,Hi 30,Lo 20,Qnt 2,Qnt 3,Qnt 4,Hi 20,Lo 10,Dec 2,Dec 3,Dec 4,Dec 5,Dec 6,Dec 7,Dec 8,Dec 9,Hi 10"
).split(",")
# The text above the tables, as the library's size file has it.
SIZE_TEXT = (
    "This file was created by CMPT_ME_RETS_DAILY using the 202505 CRSP database.  It contains",
    "value- and equal-weighted returns for size portfolios.  Each record contains returns for:",
    "",
    "Negative (not used)  30%  40%  30%     5 Quintiles    10 Deciles",
    "",
    "Missing data are indicated by -99.99 or -999.",
    "",
    "",
)
COPYRIGHT = "Copyright 2025 Eugene F. Fama and Kenneth R. French"


def made_up_table(days: int = 40, seed: int = 3) -> pd.DataFrame:
    """Daily percent returns for the size columns, ``<= 0`` all missing as in the library."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("1926-07-01", periods=days)
    frame = pd.DataFrame(rng.normal(0.05, 1.2, (days, len(SIZE_COLUMNS))).round(2), index=dates, columns=SIZE_COLUMNS)
    frame["<= 0"] = -99.99
    return frame


def bare_text(frame: pd.DataFrame) -> str:
    """The ../shared/data layout: header with an empty first field, Excel's short numbers, CRLF."""
    rows = [",".join(["", *frame.columns])]
    rows += [",".join([d.strftime("%Y%m%d"), *(f"{v:g}" for v in r)]) for d, r in zip(frame.index, frame.to_numpy())]
    return "\r\n".join(rows) + "\r\n"


def published_text(
    frame: pd.DataFrame, first_title: str = "  Value Weighted Returns -- Daily", text: tuple[str, ...] = SIZE_TEXT
) -> str:
    """The library's layout: text, the value-weighted table, the equal-weighted one, a copyright line."""

    def table(title: str, values: pd.DataFrame) -> list[str]:
        # one %-format a row, of Python floats (each number "%8.2f", as f"{v:8.2f}" writes it): a real-size
        # table has half a million numbers, and formatting numpy's floats one at a time took seconds
        cells = ",".join(["%8.2f"] * values.shape[1])
        dates = values.index.strftime("%Y%m%d").tolist()
        numbers = values.to_numpy().tolist()
        return [title, ",".join(["", *values.columns]), *(d + "," + cells % tuple(r) for d, r in zip(dates, numbers))]

    equal = frame.copy()
    equal[SIZE_COLUMNS[1:]] = 9.99  # numbers that must never be read
    lines = [
        *text,
        *table(first_title, frame),
        "",
        "",
        *table("  Equal Weighted Returns -- Daily", equal),
        "",
        COPYRIGHT,
    ]
    return "\r\n".join(lines) + "\r\n"


def expected(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].where(frame[column] > -99.99).dropna()


@pytest.mark.parametrize("column", ["Lo 20", "Hi 10", "Med 40"])
def test_both_layouts_give_the_same_series_and_index(tmp_path: Path, column: str) -> None:
    frame = made_up_table()
    bare, published = tmp_path / "bare", tmp_path / "published"
    bare.mkdir()
    published.mkdir()
    (bare / f"ff_{SIZE}.csv").write_bytes(bare_text(frame).encode())
    (published / "Portfolios_Formed_on_ME_daily.CSV").write_bytes(published_text(frame).encode("latin-1"))
    key = f"FF:{SIZE}:{column}"
    for folder in (bare, published):
        src = CsvSource(folder)
        series = src.load_series([key])[key]
        want = expected(frame, column)
        assert list(series.index) == list(want.index)
        np.testing.assert_allclose(series.to_numpy(), want.to_numpy(), rtol=0, atol=1e-12)
        index = src.load_prices([key])[key]
        np.testing.assert_allclose(index.to_numpy(), 100 * np.cumprod(1 + want.to_numpy() / 100), rtol=1e-12)


def test_the_missing_column_is_missing_in_both_layouts(tmp_path: Path) -> None:
    frame = made_up_table()
    (tmp_path / f"ff_{SIZE}.csv").write_text(published_text(frame))
    key = f"FF:{SIZE}:<= 0"
    assert CsvSource(tmp_path).load_series([key])[key].empty  # -99.99 on every day: no data


@pytest.mark.parametrize(
    "title",
    [
        "  Equal Weighted Returns -- Daily",
        "  Average Equal Weighted Returns -- Daily",
        "  Number of Firms in Portfolios",
    ],
)
def test_a_first_table_that_is_not_value_weighted_is_an_error_at_its_title(tmp_path: Path, title: str) -> None:
    path = tmp_path / f"ff_{SIZE}.csv"
    path.write_text(published_text(made_up_table(), first_title=title))
    title_line = len(SIZE_TEXT) + 1
    with pytest.raises(DataError) as caught:
        CsvSource(tmp_path).load_series([f"FF:{SIZE}:Lo 20"])
    assert caught.value.where == f"{path}:{title_line}"
    assert repr(title.strip()) in caught.value.message and "value-weighted" in caught.value.message


def test_text_right_above_a_factor_header_is_not_taken_for_a_title(tmp_path: Path) -> None:
    # The 3-factor file's text ends in a prose line; a blank line or not, it titles no table.
    text = "This file was created by CMPT_ME_RETS using the 202604 CRSP database.\r\n,Mkt-RF,SMB,HML,RF\r\n"
    text += "19260701,    0.09,   -0.25,   -0.27,    0.01\r\n19260702,    0.45,   -0.33,   -0.06,    0.01\r\n"
    (tmp_path / "ff_F-F_Research_Data_Factors_daily.csv").write_text(text)
    assert CsvSource(tmp_path).load_series(["FF:SMB"])["FF:SMB"].tolist() == [-0.25, -0.33]


def test_data_after_the_equal_weighted_title_is_not_read_into_the_first_table(tmp_path: Path) -> None:
    frame = made_up_table(days=5)
    (tmp_path / f"ff_{SIZE}.csv").write_text(published_text(frame))
    got = CsvSource(tmp_path).load_series([f"FF:{SIZE}:Hi 10"])[f"FF:{SIZE}:Hi 10"]
    assert len(got) == 5 and 9.99 not in got.tolist()


def test_a_stray_line_inside_the_table_is_an_error_at_its_line(tmp_path: Path) -> None:
    lines = published_text(made_up_table(days=6)).split("\r\n")
    first_row = len(SIZE_TEXT) + 2  # title, header
    lines.insert(first_row + 3, "see below")
    path = tmp_path / f"ff_{SIZE}.csv"
    path.write_text("\r\n".join(lines))
    with pytest.raises(DataError, match="unexpected line 'see below' inside the data") as caught:
        CsvSource(tmp_path).load_series([f"FF:{SIZE}:Lo 20"])
    assert caught.value.where == f"{path}:{first_row + 4}"


def test_the_download_is_the_library_zip_under_either_spelling() -> None:
    frame = made_up_table()
    url = french_url("Portfolios_Formed_on_ME_daily", "https://ff.test")
    assert url == "https://ff.test/Portfolios_Formed_on_ME_daily_CSV.zip"
    payload = zip_of(published_text(frame).encode("latin-1"), "Portfolios_Formed_on_ME_daily.CSV")
    fake = FakeTransport({url: payload})
    remote = FrenchRemote(fake, "https://ff.test")
    for key in (f"FF:{SIZE}:Lo 20", "FF:Portfolios_Formed_on_ME_daily:Lo 20"):
        assert remote.dataset(key) == "Portfolios_Formed_on_ME_daily"
    got = remote.download(remote.dataset(f"FF:{SIZE}:Lo 20")).frame
    assert fake.calls == [url]
    want = expected(frame, "Lo 20")
    np.testing.assert_allclose(got["Lo 20"].dropna().to_numpy(), want.to_numpy(), rtol=0, atol=1e-12)
    assert got["<= 0"].isna().all()


def _config(tmp_path: Path, small: str) -> Path:
    path = tmp_path / "run.yaml"
    path.write_text(
        "name: ff_columns\n"
        "data: {source: csv}\n"
        "universe:\n"
        "  large_cap: FF:Mkt\n"
        f'  small_cap: "{small}"\n'
        "benchmark: FF:Mkt\n"
        "engine: {lookahead_checks: 0}\n"
        "strategies:\n"
        "  - name: small_cap_thrust\n"
        "report: {tearsheets: false}\n"
    )
    return path


def _factors(frame: pd.DataFrame) -> str:
    rows = ["Date,Mkt-RF,SMB,HML,RF"] + [f"{d:%Y-%m-%d},0.10,0.00,0.00,0.01" for d in frame.index]
    return "\n".join(rows) + "\n"


def test_an_unknown_column_exits_2_at_the_config_line_listing_the_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = made_up_table()
    data = tmp_path / "data"
    data.mkdir()
    (data / f"ff_{SIZE}.csv").write_text(bare_text(frame))
    (data / "ff_F-F_Research_Data_Factors_daily.csv").write_text(_factors(frame))
    config = _config(tmp_path, f"FF:{SIZE}:Lo 21")
    out = tmp_path / "out"
    assert main(["run", str(config), "--data-dir", str(data), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{config}:5:" in err  # the line of small_cap
    assert "no column 'Lo 21'" in err and "columns: <= 0, Lo 30, Med 40" in err
    assert not out.exists()
    # the same config with a column the file has runs
    good = _config(tmp_path, f"FF:{SIZE}:Lo 20")
    assert main(["run", str(good), "--data-dir", str(data), "--out", str(out)]) == 0


def test_real_size_file_in_the_published_layout_reads_as_the_bare_one(shared_data: Path, tmp_path: Path) -> None:
    """The real value-weighted table written out in the library's layout: every column, every day the same."""
    bare = pd.read_csv(shared_data / f"ff_{SIZE}.csv", index_col=0)
    bare.index = pd.to_datetime(bare.index.astype(str), format="%Y%m%d")
    (tmp_path / f"ff_{SIZE}.csv").write_bytes(published_text(bare).encode("latin-1"))
    published, real = CsvSource(tmp_path), CsvSource(shared_data)
    for column in ("Lo 20", "Lo 30", "Hi 10"):
        key = f"FF:{SIZE}:{column}"
        a, b = published.load_series([key])[key], real.load_series([key])[key]
        # exact: both are read from the same digits; and pandas compares inexact dates one at a time (0.1 s each)
        pd.testing.assert_series_equal(a, b, check_exact=True)
        np.testing.assert_allclose(b.to_numpy(), bare[column].to_numpy(), rtol=0, atol=1e-12)
