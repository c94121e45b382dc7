"""AutoSource: folder, else cache, else download; refresh, max age, incremental updates, failures.

Downloads go to a fake transport and a fake yfinance serving files in the real
layouts with made-up numbers (data_fakes.layout_folder); the cache is a
temporary folder.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.data.providers.cache import Cache
from simulator.data.providers.fred import fred_url
from simulator.data.providers.transport import FetchError
from simulator.data.sources.auto import AutoSource
from simulator.data.sources.csv_folder import CsvSource
from simulator.data.sources.incremental import OVERLAP_DAYS, extend
from simulator.data.sources.pick import remotes
from simulator.errors import DataError

from data_fakes import (
    FF_NEW,
    STUCK,
    FakeTransport,
    FakeYfinance,
    layout_folder,
    layout_prices,
    real_transport,
    zip_of,
)
from source_contract import assert_behaves_as_source

CMD = "rotsim data fetch cfg.yaml"


@pytest.fixture
def yf(monkeypatch: pytest.MonkeyPatch) -> FakeYfinance:
    fake = FakeYfinance()
    monkeypatch.setitem(sys.modules, "yfinance", fake)
    return fake


def _source(cache_dir: Path, transport=None, **kwargs) -> AutoSource:  # noqa: ANN001
    return AutoSource(
        cache=Cache(cache_dir), remotes=remotes(transport or real_transport()), fetch_command=CMD, **kwargs
    )


# The comparisons below are exact (check_exact=True): the same numbers, read from the same digits, must come
# back unchanged; and without it pandas compares the dates one Timestamp at a time (30 ms a series here).


def test_is_a_source(tmp_path: Path, yf: FakeYfinance) -> None:
    prices, series = assert_behaves_as_source(_source(tmp_path), ["SPY", "^RUT"], ["DTB3"], names_unknowns=False)
    pd.testing.assert_series_equal(
        prices["SPY"], layout_prices("SPY"), check_names=False, check_freq=False, check_exact=True
    )  # what yfinance served
    pd.testing.assert_series_equal(
        series["DTB3"], CsvSource(layout_folder()).load_series(["DTB3"])["DTB3"], check_exact=True
    )  # FRED's


def test_cold_cache_downloads_once_then_reads_the_cache(tmp_path: Path, yf: FakeYfinance) -> None:
    transport = real_transport(("DTB3",))
    first = _source(tmp_path, transport)
    assert first.missing(["SPY", "^RUT", "FF:Mkt"], ["DTB3", "FF:RF"]) == []  # all downloadable
    prices = first.load_prices(["SPY", "^RUT", "FF:Mkt"])
    series = first.load_series(["DTB3", "FF:RF"])
    assert [c[0] for c in yf.calls] == ["SPY", "^RUT"]
    assert len(transport.calls) == 2  # DTB3, and one zip for both Ken French ids
    assert first.provenance["DTB3"]["url"] == fred_url("DTB3") and first.provenance["SPY"]["from"] == "cache"

    # A new session, with no network at all: everything comes from the cache.
    yf.calls.clear()
    again = _source(tmp_path, FakeTransport(), offline=True)
    assert again.missing(["SPY", "^RUT", "FF:Mkt"], ["DTB3", "FF:RF"]) == []
    for key, s in again.load_prices(["SPY", "^RUT", "FF:Mkt"]).items():
        pd.testing.assert_series_equal(s, prices[key], check_exact=True)
    for key, s in again.load_series(["DTB3", "FF:RF"]).items():
        pd.testing.assert_series_equal(s, series[key], check_exact=True)
    assert yf.calls == []


def test_a_cached_file_is_read_once_for_all_its_columns(tmp_path: Path, yf: FakeYfinance, monkeypatch) -> None:  # noqa: ANN001
    _source(tmp_path, real_transport(("DTB3",))).load_series(["FF:RF"])  # fills the cache
    reads: list[str] = []
    real_read = Cache.read
    monkeypatch.setattr(
        Cache, "read", lambda self, remote, dataset: reads.append(dataset) or real_read(self, remote, dataset)
    )
    src = _source(tmp_path, FakeTransport(), offline=True)
    src.load_prices(["FF:Mkt"])
    src.load_series(["FF:RF", "FF:SMB"])
    assert reads == ["F-F_Research_Data_Factors_daily"]  # one Parquet read serves three columns


def test_cached_data_is_what_the_csv_folder_gives(tmp_path: Path, yf: FakeYfinance) -> None:
    src = _source(tmp_path)
    csv = CsvSource(layout_folder())
    tickers, ids = ["SPY", "IWM", "^RUT", "FF:Mkt"], ["DTB3", "FF:RF", "FF:SMB"]
    for key, s in src.load_prices(tickers).items():
        pd.testing.assert_series_equal(s, csv.load_prices([key])[key], obj=key, check_exact=True)
    for key, s in src.load_series(ids).items():
        pd.testing.assert_series_equal(s, csv.load_series([key])[key], obj=key, check_exact=True)
    # the same quality findings, from the same checks: IWM's stale run
    assert {str(w) for w in src.warnings} == {str(w) for w in csv.warnings}
    assert any(w.series == "IWM" and STUCK in w.message for w in src.warnings)


def test_offline_cold_cache_names_every_key_and_the_fetch_command(tmp_path: Path, yf: FakeYfinance) -> None:
    src = _source(tmp_path, offline=True)
    assert src.missing(["SPY", "^RUT"], ["DTB3", "FF:RF"]) == ["SPY", "^RUT", "DTB3", "FF:RF"]
    hint = src.missing_hint()
    assert f"not in the cache ({tmp_path})" in hint and hint.endswith(f"fetch them first with: {CMD}")
    with pytest.raises(DataError) as info:
        src.load_prices(["SPY", "^RUT"])
    assert "SPY: not cached, and cannot be downloaded: downloads are off" in str(info.value)
    assert "^RUT: not cached" in str(info.value) and yf.calls == []


def test_network_down_stops_trying_and_names_what_is_missing(tmp_path: Path, yf: FakeYfinance) -> None:
    down = FetchError("cannot reach fred.stlouisfed.org: Name or service not known (offline?)", "u", unreachable=True)
    transport = FakeTransport({fred_url("DGS2"): down, fred_url("DGS10"): down})
    src = _source(tmp_path, transport)
    src.missing(["SPY"], ["DGS2", "DGS10", "DTB3"])
    with pytest.raises(DataError) as info:
        src.load_series(["DGS2", "DGS10"])
    message = str(info.value)
    assert len(transport.calls) == 1  # the first failure showed the host is unreachable
    assert "DGS2: not cached, and the download failed: u: cannot reach fred.stlouisfed.org" in message
    assert "DGS10: not cached, and cannot be downloaded: cannot reach fred.stlouisfed.org" in message  # not DGS2's URL
    assert "DTB3: not cached either" in message  # asked for by the plan, not yet loaded
    assert message.endswith(f"when the network is back, fetch everything with: {CMD}")


def test_yahoo_needs_yfinance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yfinance", None)
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    src = _source(tmp_path)
    assert src.missing(["SPY"], ["DTB3"]) == ["SPY"]
    assert src.missing_hint() == "the yahoo source needs yfinance: pip install 'rotsim[yahoo]'"


def test_folder_first_then_cache_then_download(tmp_path: Path, yf: FakeYfinance) -> None:
    yf.prices = {"AAPL": pd.Series([10.0, 11.0], index=pd.bdate_range("2024-01-02", periods=2))}
    src = _source(tmp_path / "cache", folder=CsvSource(layout_folder()))
    got = src.load_prices(["SPY", "AAPL"])
    assert yf.calls == [("AAPL", None)]  # SPY is in the folder
    assert src.provenance["SPY"] == {"from": "folder", "source": f"csv:{layout_folder()}"}
    assert got["AAPL"].tolist() == [10.0, 11.0]
    results = src.fetch(["SPY", "AAPL"], [])
    assert [(r.source, r.status) for r in results] == [("csv", "folder"), ("yahoo", "cached")]


def test_routes_pick_a_source_per_key(tmp_path: Path, yf: FakeYfinance) -> None:
    src = _source(tmp_path / "c", folder=CsvSource(layout_folder()), routes={"SPY": "yahoo", "MINE": "csv"})
    assert src.missing(["SPY", "MINE"], []) == ["MINE"]
    assert f"not in the folder {layout_folder()}" in src.missing_hint()
    src.load_prices(["SPY"])
    assert yf.calls == [("SPY", None)]  # sent to yahoo although the folder has it


def test_unknown_french_column_is_reported_before_any_download(tmp_path: Path) -> None:
    transport = real_transport()
    src = _source(tmp_path, transport)
    assert src.missing([], ["FF:Nope", "FF:"]) == ["FF:Nope", "FF:"]
    assert "Ken French ids are FF:<column>" in src.missing_hint() and transport.calls == []


def test_french_portfolio_file_column_missing_after_download(tmp_path: Path) -> None:
    from test_downloads import INDUSTRIES

    from simulator.data.providers.french import french_url

    url = french_url("10_Industry_Portfolios_daily")
    src = _source(tmp_path, FakeTransport({url: zip_of(INDUSTRIES, "10_Industry_Portfolios_Daily.CSV")}))
    assert src.load_series(["FF:10_Industry_Portfolios_daily:HiTec"])["FF:10_Industry_Portfolios_daily:HiTec"].tolist() == [
        0.64, 0.25, 0.16,
    ]  # fmt: skip
    with pytest.raises(DataError, match=r"no column 'HiTek' in french 10_Industry_Portfolios_daily \(columns: NoDur"):
        src.load_series(["FF:10_Industry_Portfolios_daily:HiTek"])


# --- updating ---------------------------------------------------------------------


def _fill(cache_dir: Path, yf: FakeYfinance, spy: pd.Series) -> AutoSource:
    yf.prices = {"SPY": spy}
    src = _source(cache_dir)
    src.load_prices(["SPY"])
    yf.calls.clear()
    return src


def test_refresh_fetches_only_after_the_last_cached_day(tmp_path: Path, yf: FakeYfinance) -> None:
    full = layout_prices("SPY")
    _fill(tmp_path, yf, full.loc[:"2026-06-30"])
    yf.prices = {"SPY": full}
    src = _source(tmp_path, refresh=True)
    result = src.fetch(["SPY"], [])
    start = (pd.Timestamp("2026-06-30") - pd.Timedelta(days=OVERLAP_DAYS)).strftime("%Y-%m-%d")
    assert yf.calls == [("SPY", start)]
    added = int((full.index > "2026-06-30").sum())
    assert (result[0].status, result[0].detail) == ("updated", f"+{added} rows after 2026-06-30")
    cached = Cache(tmp_path).read("yahoo", "SPY").frame["adj_close"]
    np.testing.assert_array_equal(cached.to_numpy(), full.to_numpy())
    assert cached.index.equals(full.index)


def test_a_dividend_rescaling_history_triggers_a_full_refetch(tmp_path: Path, yf: FakeYfinance) -> None:
    full = layout_prices("SPY")
    _fill(tmp_path, yf, full.loc[:"2026-06-30"])
    # an ex-dividend day on 2026-07-10: Yahoo scales every earlier adjusted close by (1 - 0.4%)
    rescaled = full.where(full.index >= "2026-07-10", full * 0.996)
    yf.prices = {"SPY": rescaled}
    result = _source(tmp_path, refresh=True).fetch(["SPY"], [])
    overlap = (pd.Timestamp("2026-06-30") - pd.Timedelta(days=OVERLAP_DAYS)).strftime("%Y-%m-%d")
    assert yf.calls == [("SPY", overlap), ("SPY", None)]  # the incremental try, then the whole history
    assert result[0].status == "refetched" and "dividend or split" in result[0].detail
    cached = Cache(tmp_path).read("yahoo", "SPY").frame["adj_close"]
    np.testing.assert_allclose(cached.to_numpy(), rescaled.to_numpy(), rtol=1e-15)


def test_extend_replaces_the_last_cached_row_and_rejects_moved_history() -> None:
    days = pd.bdate_range("2024-01-01", periods=6, name="date")
    cached = pd.DataFrame({"adj_close": [1.0, 2.0, 3.0, 4.0]}, index=days[:4])
    recent = pd.DataFrame({"adj_close": [2.0, 3.0, 4.1, 5.0, 6.0]}, index=days[1:])  # day 4 was intraday
    assert extend(cached, recent, days[3])["adj_close"].tolist() == [1.0, 2.0, 3.0, 4.1, 5.0, 6.0]
    moved = recent.assign(adj_close=[2.0, 3.01, 4.1, 5.0, 6.0])
    assert extend(cached, moved, days[3]) is None
    assert extend(cached, recent.iloc[2:], days[3]) is None  # no overlap before the last day: cannot tell


def test_max_age_decides_whether_the_cache_is_updated(tmp_path: Path, yf: FakeYfinance) -> None:
    full = layout_prices("SPY")
    _fill(tmp_path, yf, full)
    in_three_days = lambda: datetime.now(UTC) + timedelta(days=3)  # noqa: E731
    _source(tmp_path, max_age_days=5, now=in_three_days).load_prices(["SPY"])
    assert yf.calls == []
    _source(tmp_path, max_age_days=2, now=in_three_days).load_prices(["SPY"])
    assert len(yf.calls) == 1 and yf.calls[0][1] is not None  # incremental


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (FetchError("HTTP 503 Service Unavailable", "u"), "HTTP 503"),
        (b"<html><title>Down for maintenance</title></html>", "HTML page"),
        (b"observation_date,DTB3\n2026-01-02,3.6\n2026-01-0", "has 1 field"),
        (b"observation_date,DTB3\n2026-01-05,3.6\n2026-01-02,3.6\n", "dates not in increasing order"),
    ],
    ids=["http", "html", "truncated", "unsorted"],
)
def test_a_failed_refresh_keeps_the_cache_and_runs_on_it(tmp_path: Path, payload, message: str) -> None:  # noqa: ANN001
    _source(tmp_path).load_series(["DTB3"])
    path = Cache(tmp_path).path("fred", "DTB3")
    before = path.read_bytes()
    src = _source(tmp_path, FakeTransport({fred_url("DTB3"): payload}), refresh=True)
    got = src.load_series(["DTB3"])["DTB3"]
    observed = pd.read_csv(layout_folder() / "fred_DTB3.csv")["DTB3"].count()  # rows with a value
    assert path.read_bytes() == before and len(got) == observed
    assert any(
        w.series == "DTB3" and "could not update the cached copy" in w.message and message in w.message
        for w in src.warnings
    )
    # and `rotsim data fetch` reports it as failed
    result = _source(tmp_path, FakeTransport({fred_url("DTB3"): payload}), refresh=True).fetch([], ["DTB3"])
    assert result[0].status == "failed" and message in result[0].detail
    assert path.read_bytes() == before


def test_a_bad_first_download_is_an_error_and_caches_nothing(tmp_path: Path, yf: FakeYfinance) -> None:
    yf.prices = {"BAD": pd.Series([10.0, -1.0, 11.0], index=pd.bdate_range("2024-01-02", periods=3))}
    with pytest.raises(DataError, match="BAD: non-positive prices on 2024-01-03") as info:
        _source(tmp_path).load_prices(["BAD"])
    assert info.value.where == "yfinance:BAD"
    assert not Cache(tmp_path).path("yahoo", "BAD").exists()


def test_plain_closes_from_yahoo_are_checked_for_splits(tmp_path: Path, yf: FakeYfinance) -> None:
    days = pd.bdate_range("2024-01-02", periods=4, name="Date")

    def closes_only(*args: object, **kwargs: object) -> pd.DataFrame:
        return pd.DataFrame({"Close": [100.0, 101.0, 50.4, 51.0]}, index=days)

    yf.download = closes_only
    src = _source(tmp_path)
    src.load_prices(["XYZ"])
    assert [w.message for w in src.warnings] == [
        "2024-01-04: price moved -50.1% (101 on 2024-01-03 -> 50.4), like a 2-for-1 split; "
        "these are plain closes, not adjusted for splits: use adjusted closes"
    ]


def test_csv_by_default_with_one_key_downloaded(tmp_path: Path, yf: FakeYfinance) -> None:
    src = _source(tmp_path, default_route="csv", routes={"FF:Mkt": "french"})
    assert src.missing(["SPY", "FF:Mkt"], []) == ["SPY"]
    assert (
        src.missing_hint()
        == "these come from csv (data.source or data.sources), but no folder is given: pass --data-dir DIR"
    )
    src = _source(
        tmp_path, default_route="csv", routes={"FF:Mkt": "french"}, folder=CsvSource(tmp_path / "nothing-here")
    )
    first_day = pd.read_csv(layout_folder() / FF_NEW, skiprows=4, nrows=1)["Date"].iloc[0]  # below 3 notes, a blank
    assert src.load_prices(["FF:Mkt"])["FF:Mkt"].index[0] == pd.Timestamp(first_day)
