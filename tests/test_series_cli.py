"""`rotsim series [NAME]`: every catalogue series with its source id, frequency, lag and the dates at hand."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_in_process


def _folder(tmp_path: Path) -> Path:
    """Two FRED files: DGS10 on two days of 1999, CPIAUCSL monthly for 2000-2001."""
    (tmp_path / "fred_DGS10.csv").write_text("observation_date,DGS10\n1999-03-01,5.1\n1999-03-02,\n1999-03-03,5.2\n")
    months = pd.date_range("2000-01-01", "2001-12-01", freq="MS")
    rows = "".join(f"{d:%Y-%m-%d},{170 + i}\n" for i, d in enumerate(months))
    (tmp_path / "fred_CPIAUCSL.csv").write_text("observation_date,CPIAUCSL\n" + rows)
    return tmp_path


def _row(out: str, name: str) -> list[str]:
    """The cells of the table row of ``name``."""
    line = next(line for line in out.splitlines() if re.match(rf"^│ {re.escape(name)} +│", line))
    return [c.strip() for c in line.strip("│").split("│")]


def test_the_list_names_every_series_with_ids_lags_and_the_folder_dates(tmp_path: Path) -> None:
    from simulator.data.market.series import SERIES

    r = run_in_process("series", "--data-dir", str(_folder(tmp_path)))
    assert r.returncode == 0, r.stderr
    for name in SERIES:
        _row(r.stdout, name)  # every series has its row
    y10 = ["y10", "DGS10", "daily", "1 business day after its date", "1999-03-01", "1999-03-03"]
    cpi = ["cpi", "CPIAUCSL", "monthly", "15 days after its month ends", "2000-01-01", "2001-12-01"]
    assert _row(r.stdout, "y10") == y10 and _row(r.stdout, "cpi") == cpi
    assert _row(r.stdout, "cpi_yoy")[4:] == ["2001-01-01", "2001-12-01"]  # the first rate needs a year before it
    assert _row(r.stdout, "real_gdp")[2:] == ["quarterly", "30 days after its quarter ends", "", ""]  # not at hand
    assert _row(r.stdout, "recession_hindsight")[3] == "on the dates it describes (HINDSIGHT)"


def test_one_series_by_name_or_source_id_in_any_case(tmp_path: Path) -> None:
    folder = str(_folder(tmp_path))
    by_name = run_in_process("series", "y10", "--data-dir", folder)
    by_id = run_in_process("series", "dgs10", "--data-dir", folder)
    assert by_name.returncode == by_id.returncode == 0
    assert by_name.stdout == by_id.stdout
    assert by_name.stdout.startswith("y10  daily, known 1 business day after its date")
    assert f"source id DGS10: 1999-03-01 to 1999-03-03 ({folder})" in by_name.stdout
    both = run_in_process("series", "CPIAUCSL", "--data-dir", folder).stdout  # a source id serving two names
    assert both.startswith("cpi  monthly") and "\ncpi_yoy  monthly" in both


def test_an_unknown_name_exits_2_listing_the_known_ones() -> None:
    from simulator.data.market.series import SERIES

    r = run_in_process("series", "DGS30")
    assert r.returncode == 2 and r.stdout == ""
    said = " ".join(r.stderr.split())  # rich wraps long lines
    assert "unknown macro series 'DGS30'" in said and "Traceback" not in r.stderr
    assert all(re.search(rf"\b{name}\b", said) for name in SERIES)


def test_the_sample_says_synthetic() -> None:
    from simulator.data.market.series import SERIES

    r = run_in_process("series", "--sample")
    assert r.returncode == 0
    assert all(_row(r.stdout, name)[4:] == ["synthetic", "synthetic"] for name in SERIES)
    one = run_in_process("series", "risk_free", "--sample").stdout
    assert "source id FF:RF (optional: used where the data has it): not at hand" in one  # no Ken French there
    assert "source id DTB3: synthetic" in one


def test_without_a_folder_the_dates_come_from_the_cache(tmp_path: Path) -> None:
    from simulator.data.providers.cache import Cache

    frame = pd.DataFrame({"value": [1.0, 2.0]}, index=pd.DatetimeIndex(["1990-01-01", "1990-02-01"], name="date"))
    Cache(tmp_path).write("fred", "UNRATE", frame, url="https://example.invalid/UNRATE")
    r = run_in_process("series", "--cache-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert _row(r.stdout, "unemployment")[4:] == ["1990-01-01", "1990-02-01"]
    assert _row(r.stdout, "y10")[4:] == ["", ""]


@pytest.mark.real_data
def test_the_real_folder_dates(shared_data: Path) -> None:
    r = run_in_process("series", "GDPC1", "--data-dir", str(shared_data))
    gdp = pd.read_csv(shared_data / "fred_GDPC1.csv", index_col=0, parse_dates=True).iloc[:, 0].dropna()
    assert r.returncode == 0
    assert f"source id GDPC1: {gdp.index[0]:%Y-%m-%d} to {gdp.index[-1]:%Y-%m-%d}" in r.stdout
    assert "30 days after its quarter ends" in r.stdout
