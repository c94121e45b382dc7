"""A ``Source`` backed by a folder of CSV files, in the layouts real downloads come in.

File names (case-sensitive; the first that exists wins):

- ticker ``IWM``: ``etf_IWM.csv``, ``IWM.csv``
- index ticker ``^RUT``: ``index_RUT.csv``, ``^RUT.csv``, ``RUT.csv``
- FRED id ``DGS2``: ``fred_DGS2.csv``, ``DGS2.csv``
- Ken French 3 factors, ids ``FF:<column>`` (``FF:Mkt-RF``, ``FF:SMB``, ``FF:HML``,
  ``FF:RF``, plus ``FF:Mkt`` = Mkt-RF + RF, the total market return):
  ``ff_F-F_Research_Data_Factors_daily.csv``, ``F-F_Research_Data_Factors_daily.csv``,
  else the newest ``[ff_]F-F_Research_Data_Factors_daily_classic_*.csv``.
- other Ken French files, ids ``FF:<file>:<column>`` (``FF:10_Industry_Portfolios_daily:HiTec``):
  ``ff_<file>.csv`` or ``<file>.csv``, in any letter case (the library's zips hold
  e.g. ``10_Industry_Portfolios_Daily.CSV``).

The layouts understood are listed in ``formats/parsers.py``; see ``providers/french.py`` for Ken
French ids and units: ``load_series("FF:RF")`` returns **percent per day, as
published** (0.01 = 0.01%), like FRED rates. As price tickers
(``load_prices(["FF:Mkt"])``) returns become a total-return index,
``100 * cumprod(1 + r / 100)``, starting at the first day's return.

Parsed files are kept by content (``parse_cache``: in the process, and in
``parsed_dir`` when given), and quality checks (``data/checks.py``) run once per
parse: errors raise ``DataError``, warnings collect in ``CsvSource.warnings``. A price file with only a plain ``close`` column is taken
as not split-adjusted, and checked for split-like jumps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from simulator.data.checks import DataWarning, check_prices, check_series
from simulator.errors import DataError

from ..formats.csv_table import decode, read_bytes
from ..formats.parsers import FrenchTable, parse_fred_series, parse_french_table, parse_prices
from ..providers.french import FACTOR_COLUMNS, FACTORS, FF_PREFIX, id_help, is_french, parse_id, to_index
from .parse_cache import ParseCache, Parsed
from .warning_log import WarningLog

__all__ = ["CsvSource", "price_file_names", "series_file_names"]

_FF_NAMES = (f"ff_{FACTORS}.csv", f"{FACTORS}.csv")
_FF_CLASSIC_GLOBS = (f"ff_{FACTORS}_classic_*.csv", f"{FACTORS}_classic_*.csv")


class CsvSource:
    """Daily prices and macro series read from CSV files in one directory.

    ``parsed_dir`` keeps parse results across processes (``parse_cache``);
    without it they are kept in this process only.
    """

    synthetic = False

    def __init__(self, directory: str | Path, parsed_dir: Path | None = None) -> None:
        self.directory = Path(directory)
        self.name = f"csv:{directory}"
        self._log = WarningLog()
        self._parses = ParseCache(parsed_dir)

    @property
    def warnings(self) -> list[DataWarning]:
        """Data warnings found so far, each once."""
        return self._log.items

    # --- Source protocol ---------------------------------------------------

    def missing(self, tickers: Sequence[str], series: Sequence[str]) -> list[str]:
        """Return the tickers and series ids with no file here (existence only, nothing is parsed)."""
        absent = [t for t in tickers if self._price_path(t) is None]
        absent += [i for i in series if self._series_path(i) is None]
        return list(dict.fromkeys(absent))

    def load_prices(self, tickers: Sequence[str]) -> dict[str, pd.Series]:
        """Return adjusted daily closes per ticker (see the module docstring for files and layouts)."""
        self._raise_if_missing(tickers, [])
        return self._load_all(tickers, self._load_price)

    def load_series(self, ids: Sequence[str]) -> dict[str, pd.Series]:
        """Return observations per series id in published units, missing ones dropped.

        FRED rates and Ken French factors (``FF:RF`` ...) are in percent.
        """
        self._raise_if_missing([], ids)
        return self._load_all(ids, self._load_one_series)

    # --- file lookup -------------------------------------------------------

    def _price_path(self, ticker: str) -> Path | None:
        if is_french(ticker):
            return self._french_path(ticker)
        return self._first_existing(price_file_names(ticker))

    def _series_path(self, series_id: str) -> Path | None:
        if is_french(series_id):
            return self._french_path(series_id)
        return self._first_existing(series_file_names(series_id))

    def _first_existing(self, names: Sequence[str]) -> Path | None:
        for name in names:
            path = self.directory / name
            if path.is_file():
                return path
        return None

    def _french_path(self, key: str) -> Path | None:
        parsed = parse_id(key)
        if parsed is None:
            return None
        if parsed.file != FACTORS:
            # Zips name their CSV in their own letter case (…_Daily.CSV); match any.
            wanted = {f"ff_{parsed.file}.csv".lower(), f"{parsed.file}.csv".lower()}
            found = sorted(p for p in self.directory.glob("*") if p.name.lower() in wanted and p.is_file())
            return found[0] if found else None
        if parsed.column not in FACTOR_COLUMNS:
            return None
        path = self._first_existing(_FF_NAMES)
        if path is not None:
            return path
        # The classic files carry the CRSP vintage in the name (…_classic_202503.csv),
        # so the lexically last one is the newest.
        classic = sorted(p for g in _FF_CLASSIC_GLOBS for p in self.directory.glob(g) if p.is_file())
        return classic[-1] if classic else None

    def _raise_if_missing(self, tickers: Sequence[str], series: Sequence[str]) -> None:
        absent_tickers = [t for t in dict.fromkeys(tickers) if self._price_path(t) is None]
        absent_series = [i for i in dict.fromkeys(series) if self._series_path(i) is None]
        problems = [self._not_found("ticker", t) for t in absent_tickers]
        problems += [self._not_found("series", i) for i in absent_series]
        if problems:
            raise DataError("; ".join(problems))

    def _not_found(self, kind: str, key: str) -> str:
        if is_french(key):
            parsed = parse_id(key)
            if parsed is None:
                return f"{kind} {key!r} not found in {self.name}: {id_help()}"
            names = (
                [*_FF_NAMES, *_FF_CLASSIC_GLOBS]
                if parsed.file == FACTORS
                else [f"ff_{parsed.file}.csv", f"{parsed.file}.csv"]
            )
            hint = f"; {id_help()}" if parsed.file == FACTORS else ""
        else:
            names = price_file_names(key) if kind == "ticker" else series_file_names(key)
            hint = ""
            if not names:
                return f"{kind} {key!r} not found in {self.name} (not a usable file name)"
        return f"{kind} {key!r} not found in {self.name} (looked for {', '.join(names)}{hint})"

    # --- loading -----------------------------------------------------------

    def _load_all(self, keys: Sequence[str], load: Callable[[str], pd.Series]) -> dict[str, pd.Series]:
        # Report every unreadable file at once: fixing data one error per run is slow.
        result: dict[str, pd.Series] = {}
        errors: list[DataError] = []
        for key in dict.fromkeys(keys):
            try:
                result[key] = load(key)
            except DataError as exc:
                errors.append(exc)
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise DataError(f"{len(errors)} data files failed:\n" + "\n".join(f"  {e}" for e in errors))
        return result

    def _load_price(self, ticker: str) -> pd.Series:
        path = self._price_path(ticker)
        assert path is not None  # checked by _raise_if_missing
        if is_french(ticker):
            return _named(to_index(self._french(path, ticker)), ticker)
        parsed = self._parsed("price", path, ticker, lambda text: _parse_price_file(path, text, ticker))
        assert isinstance(parsed, pd.Series)
        return _named(parsed, ticker)

    def _load_one_series(self, series_id: str) -> pd.Series:
        path = self._series_path(series_id)
        assert path is not None
        if is_french(series_id):
            return _named(self._french(path, series_id).dropna(), series_id)
        parsed = self._parsed("fred", path, series_id, lambda text: _parse_fred_file(path, text, series_id))
        assert isinstance(parsed, pd.Series)
        return _named(parsed.dropna(), series_id)

    def _french(self, path: Path, key: str) -> pd.Series:
        """One column in percent; ``key`` is ``FF:<column>`` or ``FF:<file>:<column>``."""
        parsed = parse_id(key)
        assert parsed is not None  # checked by _raise_if_missing
        column = parsed.column
        file = parsed.file
        table = self._parsed("ff", path, file, lambda text: _parse_french_file(path, text, file), warn_for=column)
        assert isinstance(table, FrenchTable)
        if column not in table.frame:
            # The file has the name asked for but not the column: another table saved under that name?
            columns = ", ".join(table.frame.columns)
            raise DataError(f"no column {column!r} for {key!r} (columns: {columns})", f"{path}:{table.header_line}")
        return table.frame[column]

    def _parsed(
        self,
        kind: str,
        path: Path,
        key: str,
        parse: Callable[[str], Parsed],
        warn_for: str | None = None,
    ) -> pd.Series | FrenchTable:
        """Return a file's parsed content, parsing (and checking) only content not seen before."""
        # Parsed from the very bytes the result is kept under: a file changing meanwhile can't mix them.
        payload = read_bytes(path)
        entry = self._parses.get(kind, path, key, payload, lambda: parse(decode(payload)))
        self._log.add(entry.warnings.get(warn_for or key, []))
        return entry.data


def price_file_names(ticker: str) -> list[str]:
    """File names tried for a price ticker, in order."""
    if not _safe_name(ticker):
        return []
    if ticker.startswith("^"):
        bare = ticker[1:]
        return [f"index_{bare}.csv", f"{ticker}.csv", f"{bare}.csv"]
    return [f"etf_{ticker}.csv", f"{ticker}.csv"]


def series_file_names(series_id: str) -> list[str]:
    """File names tried for a FRED series id, in order."""
    if not _safe_name(series_id):
        return []
    return [f"fred_{series_id}.csv", f"{series_id}.csv"]


# --- parsing and checking, once per file version ----------------------------


# Each reads only ``text`` (the file's content) and names ``path`` in messages: see ParseCache.get.


def _parse_price_file(path: Path, text: str, ticker: str) -> Parsed:
    prices = parse_prices(text, str(path))
    found = check_prices(prices.closes, ticker, str(path), adjusted=prices.adjusted, lines=prices.lines)
    return Parsed(prices.closes, {ticker: found})


def _parse_fred_file(path: Path, text: str, series_id: str) -> Parsed:
    fred = parse_fred_series(text, str(path), series_id)
    found = check_series(fred.values, series_id, str(path), lines=fred.lines)
    if fred.alias:
        found.insert(0, DataWarning(series_id, fred.alias))
    return Parsed(fred.values, {series_id: found})


def _parse_french_file(path: Path, text: str, file: str) -> Parsed:
    table = parse_french_table(text, str(path))
    prefix = FF_PREFIX if file == FACTORS else f"{FF_PREFIX}{file}:"
    frame = table.frame
    return Parsed(
        table, {c: check_series(frame[c], f"{prefix}{c}", str(path), lines=table.lines) for c in frame.columns}
    )


# --- small helpers -----------------------------------------------------------


def _safe_name(key: str) -> bool:
    # A ticker becomes part of a file name; it must not climb out of the directory.
    return bool(key) and not any(c in key for c in "/\\\0") and key not in (".", "..")


def _named(s: pd.Series, name: str) -> pd.Series:
    # A copy, so callers can't change what the cache holds.
    return pd.Series(s.to_numpy(dtype="float64", copy=True), index=s.index.rename("date"), name=name)
