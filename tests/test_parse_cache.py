"""The parse cache: a kept result is what a fresh parse gives, and nothing stale or broken is ever served.

Each test compares a ``CsvSource`` that may read kept results with one that
parses afresh (the process memo cleared, no folder), and counts parses at
``parse_cache.ParseCache`` 's one call into the parser.
"""

from __future__ import annotations

import os
import pickle
import stat
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from simulator.data.sources import csv_folder, parse_cache
from simulator.data.sources.csv_folder import CsvSource
from simulator.errors import DataError

# A gap of a week (a warning), a stale run is not reached; values chosen to be read exactly.
PRICES = "date,adj_close\n2020-01-02,100.25\n2020-01-03,101.5\n2020-01-13,99.75\n2020-01-14,100\n"
FRED = "observation_date,value\n2020-01-02,1.5\n2020-01-03,.\n2020-01-06,1.25\n"
FACTORS = ",Mkt-RF,SMB,HML,RF\n20200102,0.5,-0.25,0.125,0.01\n20200103,-0.75,0.5,-99.99,0.01\n20200113,0.25,0,0,0.01\n"
FF = "ff_F-F_Research_Data_Factors_daily.csv"


@pytest.fixture(autouse=True)
def fresh_memo() -> Iterator[None]:
    parse_cache.clear_memo()
    yield
    parse_cache.clear_memo()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The origins parsed, in order (every parse of every kind goes through these three)."""
    seen: list[str] = []
    for name in ("parse_prices", "parse_fred_series", "parse_french_table"):
        real = getattr(csv_folder, name)

        def counting(text: str, origin: str, *rest: str, _real=real) -> object:  # noqa: ANN001
            seen.append(origin)
            return _real(text, origin, *rest)

        monkeypatch.setattr(csv_folder, name, counting)
    return seen


def _folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "etf_AAA.csv").write_text(PRICES)
    (data / "fred_DGS2.csv").write_text(FRED)
    (data / FF).write_text(FACTORS)
    return data


def _load_all(src: CsvSource) -> dict[str, pd.Series]:
    out = src.load_prices(["AAA", "FF:Mkt"])
    out |= {f"series {k}": v for k, v in src.load_series(["DGS2", "FF:RF", "FF:HML"]).items()}
    return out


def _fresh(data: Path) -> tuple[dict[str, pd.Series], list[str]]:
    """Loaded with nothing kept: the process memo emptied, no folder."""
    parse_cache.clear_memo()
    src = CsvSource(data)
    got = _load_all(src)
    parse_cache.clear_memo()
    return got, [str(w) for w in src.warnings]


def _assert_same(got: dict[str, pd.Series], want: dict[str, pd.Series]) -> None:
    assert list(got) == list(want)
    for key in want:
        pd.testing.assert_series_equal(got[key], want[key], check_exact=True, check_freq=True)
        assert got[key].index.name == want[key].index.name == "date"


def test_a_hit_from_disk_and_from_memory_equals_a_fresh_parse(tmp_path: Path, parses: list[str]) -> None:
    data = _folder(tmp_path)
    want, want_warnings = _fresh(data)
    assert len(parses) == 3 and want_warnings  # the gap and the aliased FRED column warn
    assert any("taken as series 'DGS2'" in w for w in want_warnings)
    parses.clear()

    cold = CsvSource(data, tmp_path / "parsed")
    _assert_same(_load_all(cold), want)
    assert len(parses) == 3  # parsed and written
    assert len(list((tmp_path / "parsed").glob("*.pkl"))) == 3

    parse_cache.clear_memo()
    from_disk = CsvSource(data, tmp_path / "parsed")
    _assert_same(_load_all(from_disk), want)
    assert [str(w) for w in from_disk.warnings] == want_warnings
    from_memory = CsvSource(data)
    _assert_same(_load_all(from_memory), want)
    assert [str(w) for w in from_memory.warnings] == want_warnings
    assert from_disk.warnings == from_memory.warnings  # first and last dates too
    assert len(parses) == 3


def test_one_changed_byte_is_parsed_again_though_size_and_time_are_the_same(tmp_path: Path, parses: list[str]) -> None:
    data = _folder(tmp_path)
    path = data / "etf_AAA.csv"
    src = CsvSource(data, tmp_path / "parsed")
    assert src.load_prices(["AAA"])["AAA"].iloc[0] == 100.25
    before = path.stat()
    path.write_text(PRICES.replace("100.25", "100.75"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    assert src.load_prices(["AAA"])["AAA"].iloc[0] == 100.75  # the same instance
    parse_cache.clear_memo()
    assert CsvSource(data, tmp_path / "parsed").load_prices(["AAA"])["AAA"].iloc[0] == 100.75  # from disk
    assert len(parses) == 2
    assert len(list((tmp_path / "parsed").glob("*.pkl"))) == 1  # the stale entry was replaced


def test_a_bad_file_fails_every_time_with_the_same_error(tmp_path: Path, parses: list[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "etf_BAD.csv").write_text("date,adj_close\n2020-01-03,1.0\n2020-01-02,1.1\n")  # unsorted
    messages = []
    for _ in range(3):
        with pytest.raises(DataError) as err:
            CsvSource(data, tmp_path / "parsed").load_prices(["BAD"])
        messages.append(str(err.value))
    assert len(set(messages)) == 1 and "etf_BAD.csv" in messages[0]
    assert len(parses) == 3
    assert not list((tmp_path / "parsed").glob("*.pkl"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # cut short
        lambda b: b"",
        lambda b: b"not a pickle at all",
        lambda b: b[:10] + bytes(200) + b[210:],  # garbled inside
        lambda b: pickle.dumps((1, "another content key")) + b,  # made for other bytes
        lambda b: pickle.dumps(parse_cache._FORMAT) + b,  # a header of another shape
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path: Path, parses: list[str], damage) -> None:  # noqa: ANN001
    data = _folder(tmp_path)
    want, want_warnings = _fresh(data)
    parses.clear()
    _load_all(CsvSource(data, tmp_path / "parsed"))
    for entry in (tmp_path / "parsed").glob("*.pkl"):
        entry.write_bytes(damage(entry.read_bytes()))
    parse_cache.clear_memo()

    src = CsvSource(data, tmp_path / "parsed")
    _assert_same(_load_all(src), want)
    assert [str(w) for w in src.warnings] == want_warnings
    assert len(parses) == 6  # written, then parsed again in place of each damaged entry
    parse_cache.clear_memo()
    _load_all(CsvSource(data, tmp_path / "parsed"))
    assert len(parses) == 6  # and rewritten whole


def test_an_unwritable_cache_folder_still_loads(tmp_path: Path, parses: list[str]) -> None:
    if os.geteuid() == 0:
        # root writes anywhere: a file where the folder should be stops every write instead
        blocked = tmp_path / "blocked"
        blocked.write_text("a file, not a folder")
        parsed = blocked / "parsed"
    else:
        blocked = tmp_path / "blocked"
        blocked.mkdir()
        blocked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        parsed = blocked / "parsed"
    data = _folder(tmp_path)
    want, want_warnings = _fresh(data)
    src = CsvSource(data, parsed)
    _assert_same(_load_all(src), want)
    assert [str(w) for w in src.warnings] == want_warnings
    assert not parsed.exists()


def test_the_parser_version_follows_the_source_of_the_parser_modules(tmp_path: Path) -> None:
    files = [tmp_path / "parsers.py", tmp_path / "checks.py"]
    files[0].write_text("A = 1\n")
    files[1].write_text("B = 2\n")
    libs = ["pandas 2.2.3"]
    first = parse_cache.source_version(files, libs)
    assert parse_cache.source_version(files, libs) == first
    files[1].write_text("B = 3\n")
    assert parse_cache.source_version(files, libs) != first
    files[1].write_text("B = 2\n")
    assert parse_cache.source_version(files, libs) == first
    assert parse_cache.source_version(files, ["pandas 2.3.0"]) != first


@pytest.fixture
def version_recomputed() -> Iterator[None]:
    yield
    parse_cache.parser_version.cache_clear()  # the real modules' version again for later tests


def test_every_parser_module_counts_in_the_version(monkeypatch: pytest.MonkeyPatch, version_recomputed: None) -> None:
    full = parse_cache.parser_version()
    assert full == parse_cache.parser_version()  # once per process, the same
    modules = parse_cache.PARSER_MODULES
    for left_out in modules:
        monkeypatch.setattr(parse_cache, "PARSER_MODULES", tuple(m for m in modules if m != left_out))
        parse_cache.parser_version.cache_clear()
        assert parse_cache.parser_version() != full, left_out
    monkeypatch.setattr(parse_cache, "PARSER_MODULES", modules)
    parse_cache.parser_version.cache_clear()
    assert parse_cache.parser_version() == full


def test_another_parser_version_parses_again(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _folder(tmp_path)
    CsvSource(data, tmp_path / "parsed").load_prices(["AAA"])
    monkeypatch.setattr(parse_cache, "parser_version", lambda: "a parser changed")
    CsvSource(data, tmp_path / "parsed").load_prices(["AAA"])
    assert len(parses) == 2
    assert len(list((tmp_path / "parsed").glob("*.pkl"))) == 1


def test_a_changed_result_does_not_change_the_next_hit(tmp_path: Path) -> None:
    data = _folder(tmp_path)
    want, _ = _fresh(data)
    first = _load_all(CsvSource(data, tmp_path / "parsed"))
    for s in first.values():
        s.iloc[:] = -1.0
        s.index.name = "changed"
    _assert_same(_load_all(CsvSource(data)), want)  # from memory
    parse_cache.clear_memo()
    _assert_same(_load_all(CsvSource(data, tmp_path / "parsed")), want)  # from disk


def test_the_same_file_read_as_another_thing_is_its_own_entry(tmp_path: Path, parses: list[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "AAA.csv").write_text("date,AAA\n2020-01-02,100.25\n2020-01-03,101.5\n")  # a price and a series file
    src = CsvSource(data, tmp_path / "parsed")
    prices = src.load_prices(["AAA"])["AAA"]
    series = src.load_series(["AAA"])["AAA"]
    assert prices.tolist() == series.tolist() == [100.25, 101.5]
    assert len(parses) == 2


def test_a_file_dated_after_today_is_not_kept(tmp_path: Path, parses: list[str]) -> None:
    # Its checks read the NYSE calendar past today, which depends on the day the calendar was built.
    data = tmp_path / "data"
    data.mkdir()
    days = pd.bdate_range(pd.Timestamp.today().normalize(), periods=3)
    (data / "etf_AAA.csv").write_text("date,adj_close\n" + "".join(f"{d:%Y-%m-%d},1\n" for d in days))
    for _ in range(2):
        CsvSource(data, tmp_path / "parsed").load_prices(["AAA"])
    assert len(parses) == 2
    assert not list((tmp_path / "parsed").glob("*.pkl"))


def test_sources_keep_parses_in_the_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.data.sources.pick import open_auto_source, open_source

    data = _folder(tmp_path)
    open_source("csv", data_dir=data, cache_folder=tmp_path / "given").load_prices(["AAA"])
    assert len(list((tmp_path / "given" / "parsed").glob("etf_AAA-*.pkl"))) == 1
    monkeypatch.setenv("ROTSIM_CACHE_DIR", str(tmp_path / "env"))
    open_source("csv", data_dir=data).load_series(["DGS2"])
    assert len(list((tmp_path / "env" / "parsed").glob("fred_DGS2-*.pkl"))) == 1
    auto = open_auto_source(default_route="csv", routes={}, data_dir=data, config_cache=tmp_path / "config")
    auto.load_prices(["FF:Mkt"])
    assert len(list((tmp_path / "env" / "parsed").glob("ff_F-F*.pkl"))) == 1  # $ROTSIM_CACHE_DIR before the config's


def test_memory_keeps_the_most_recently_used(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse_cache, "_MEMO_SIZE", 2)
    data = tmp_path / "data"
    data.mkdir()
    for t in "ABC":
        (data / f"etf_{t}.csv").write_text(PRICES)
    src = CsvSource(data)
    for t in "ABAC":  # A used again after B: B is the least recent when C comes
        src.load_prices([t])
    assert len(parses) == 3 and len(parse_cache._MEMO) == 2
    src.load_prices(["A"])
    assert len(parses) == 3
    src.load_prices(["B"])
    assert len(parses) == 4
