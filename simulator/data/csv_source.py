"""A ``Source`` backed by a folder of CSV files, in the layouts real downloads come in.

File names (case-sensitive; the first that exists wins):

- ticker ``IWM``: ``etf_IWM.csv``, ``IWM.csv``
- index ticker ``^RUT``: ``index_RUT.csv``, ``^RUT.csv``, ``RUT.csv``
- FRED id ``DGS2``: ``fred_DGS2.csv``, ``DGS2.csv``
- Ken French 3 factors, ids ``FF:<column>`` (``FF:Mkt-RF``, ``FF:SMB``, ``FF:HML``,
  ``FF:RF``, plus ``FF:Mkt`` = Mkt-RF + RF, the total market return):
  ``ff_F-F_Research_Data_Factors_daily.csv``, ``F-F_Research_Data_Factors_daily.csv``,
  else the newest ``[ff_]F-F_Research_Data_Factors_daily_classic_*.csv``.

Layouts understood:

- Yahoo prices: ``date,adj_close``; OHLCV ``Date,Open,High,Low,Close,Adj Close,Volume``
  (``Adj Close`` preferred, else ``Close``; column names match case-insensitively);
  yfinance's multi-row header (``Price,...`` / ``Ticker,...`` / ``Date,,,``); index
  files ``date,close[,volume]`` and ``date,open,high,low,close[,volume]``.
- FRED: ``observation_date,<ID>`` or the older ``DATE,<ID>`` / ``Date,Value``; missing
  values empty or ``.``; ISO or M/D/YYYY dates.
- Ken French daily factors: classic (``,Mkt-RF,...`` header, YYYYMMDD dates) and the
  newer ``Date,Mkt-RF,...`` with ISO dates. Text before the header and the
  copyright footer after the data are skipped; the header is found by content.

Units: ``load_series("FF:RF")`` returns **percent per day, as published** (0.01 =
0.01%), like FRED rates. As price tickers (``load_prices(["FF:Mkt"])``) factors
become a total-return index, ``100 * cumprod(1 + r / 100)``, starting at the first
day's return.

Parsed files are cached per path and modification time, and quality checks
(``checks.py``) run once per parse: errors raise ``DataError``, warnings collect in
``CsvSource.warnings``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.data.checks import DataWarning, check_prices, check_series
from simulator.errors import DataError

FF_PREFIX = "FF:"
# Known columns of the 3-factor file, so `missing` can answer without parsing it.
FF_COLUMNS = ("Mkt-RF", "SMB", "HML", "RF", "Mkt")
_FF_NAMES = ("ff_F-F_Research_Data_Factors_daily.csv", "F-F_Research_Data_Factors_daily.csv")
_FF_CLASSIC_GLOBS = (
    "ff_F-F_Research_Data_Factors_daily_classic_*.csv",
    "F-F_Research_Data_Factors_daily_classic_*.csv",
)

# In order of preference: an adjusted close is a total-return price, a plain close is not.
_PRICE_COLUMNS = ("adj close", "adj_close", "adjclose", "adjusted close", "adjusted_close", "close")
_DATE_COLUMNS = ("date", "datetime", "timestamp", "observation_date")
_MISSING = frozenset({"", ".", "na", "n/a", "nan", "null", "none", "#n/a"})
# Ken French writes -99.99 / -999 for "no data"; no daily factor can really lose 99.99%.
_FF_MISSING_AT_OR_BELOW = -99.99
# A header sits near the top; scanning further only turns a wrong file into a slow error.
_HEADER_SCAN_LINES = 50

_Stamp = tuple[int, int]
_Warnings = dict[str, list[DataWarning]]


@dataclass
class _Parsed:
    """One parsed file: its content and the warnings its checks produced, by ticker/id."""

    stamp: _Stamp
    data: pd.Series | pd.DataFrame
    warnings: _Warnings


@dataclass
class _Table:
    """Raw text cells of a file's data rows, with the 1-based file line of each row."""

    path: Path
    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray

    def where(self, row: int) -> str:
        return f"{self.path}:{int(self.lines[row])}"


class CsvSource:
    """Daily prices and macro series read from CSV files in one directory."""

    synthetic = False

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.name = f"csv:{directory}"
        self.warnings: list[DataWarning] = []
        self._seen_warnings: set[DataWarning] = set()
        self._cache: dict[tuple[str, Path, str], _Parsed] = {}

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
        if _is_french(ticker):
            return self._french_path() if ticker[len(FF_PREFIX):] in FF_COLUMNS else None
        return self._first_existing(price_file_names(ticker))

    def _series_path(self, series_id: str) -> Path | None:
        if _is_french(series_id):
            return self._price_path(series_id)
        return self._first_existing(series_file_names(series_id))

    def _first_existing(self, names: Sequence[str]) -> Path | None:
        for name in names:
            path = self.directory / name
            if path.is_file():
                return path
        return None

    def _french_path(self) -> Path | None:
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
        if _is_french(key):
            names = [*_FF_NAMES, *_FF_CLASSIC_GLOBS]
            columns = ", ".join(FF_COLUMNS)
            hint = f"; Ken French columns are {columns}"
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
        if _is_french(ticker):
            returns = self._french(path, ticker).dropna()
            prices = 100.0 * (1.0 + returns / 100.0).cumprod()
            return _named(prices, ticker)
        parsed = self._parsed("price", path, ticker, lambda: _parse_price_file(path, ticker))
        return _named(parsed, ticker)

    def _load_one_series(self, series_id: str) -> pd.Series:
        path = self._series_path(series_id)
        assert path is not None
        if _is_french(series_id):
            return _named(self._french(path, series_id).dropna(), series_id)
        parsed = self._parsed("fred", path, series_id, lambda: _parse_fred_file(path, series_id))
        return _named(parsed.dropna(), series_id)

    def _french(self, path: Path, key: str) -> pd.Series:
        """One factor column in percent; ``key`` is ``FF:<column>``."""
        frame = self._parsed("ff", path, "", lambda: _parse_french_file(path), warn_for=key)
        column = key[len(FF_PREFIX):]
        if column not in frame:
            columns = ", ".join(frame.columns)
            raise DataError(f"no column {column!r} for {key!r} (columns: {columns})", str(path))
        return frame[column]

    def _parsed(
        self,
        kind: str,
        path: Path,
        key: str,
        parse: Callable[[], tuple[pd.Series | pd.DataFrame, _Warnings]],
        warn_for: str | None = None,
    ) -> pd.Series | pd.DataFrame:
        """Return a file's parsed content, parsing (and checking) only when the file changed."""
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cache_key = (kind, path, key)
        entry = self._cache.get(cache_key)
        if entry is None or entry.stamp != stamp:
            # A file that fails to parse or check is not cached, so it fails every time.
            entry = _Parsed(stamp, *parse())
            self._cache[cache_key] = entry
        self._collect(entry.warnings.get(warn_for or key, []))
        return entry.data

    def _collect(self, warnings: list[DataWarning]) -> None:
        for w in warnings:
            if w not in self._seen_warnings:
                self._seen_warnings.add(w)
                self.warnings.append(w)


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


# --- parsers: one per layout family ------------------------------------------


def read_price_csv(path: str | Path) -> pd.Series:
    """Parse a Yahoo-style price or index file into a float Series (NaN where empty)."""
    path = Path(path)
    table = _read_table(path, _is_price_header, expected="a header with a date and a close column")
    column = _price_column(table)
    values = _parse_numbers(table, column)
    return pd.Series(values, index=_parse_dates(table, _date_column(table.header)), dtype="float64")


def read_fred_csv(path: str | Path, series_id: str | None = None) -> pd.Series:
    """Parse a FRED download (any of its layouts) into a float Series, NaN where missing."""
    path = Path(path)
    series_id = series_id or path.stem.removeprefix("fred_")
    expected = "a header like 'observation_date,<ID>' or 'DATE,<ID>'"
    table = _read_table(path, _is_fred_header, expected=expected)
    column = _fred_column(table, series_id)
    values = _parse_numbers(table, column)
    return pd.Series(values, index=_parse_dates(table, 0), dtype="float64")


def read_french_csv(path: str | Path) -> pd.DataFrame:
    """Parse a Ken French daily factor file (classic or new layout); values in percent.

    Adds ``Mkt`` = ``Mkt-RF`` + ``RF`` when both are present.
    """
    path = Path(path)
    table = _read_table(path, _is_french_header, expected="a header like ',Mkt-RF,SMB,HML,RF'", footer=True)
    index = _parse_dates(table, 0)
    frame = pd.DataFrame(
        {name: _parse_numbers(table, i) for i, name in enumerate(table.header) if i > 0 and name},
        index=index,
    )
    frame = frame.mask(frame <= _FF_MISSING_AT_OR_BELOW)
    if "Mkt-RF" in frame and "RF" in frame:
        frame["Mkt"] = frame["Mkt-RF"] + frame["RF"]
    return frame


def _parse_price_file(path: Path, ticker: str) -> tuple[pd.Series, _Warnings]:
    prices = read_price_csv(path)
    return prices, {ticker: check_prices(prices, ticker, str(path))}


def _parse_fred_file(path: Path, series_id: str) -> tuple[pd.Series, _Warnings]:
    values = read_fred_csv(path, series_id)
    return values, {series_id: check_series(values, series_id, str(path))}


def _parse_french_file(path: Path) -> tuple[pd.DataFrame, _Warnings]:
    frame = read_french_csv(path)
    ids = {column: f"{FF_PREFIX}{column}" for column in frame.columns}
    return frame, {ids[c]: check_series(frame[c], ids[c], str(path)) for c in frame.columns}


# --- header recognition ------------------------------------------------------


def _is_price_header(fields: list[str]) -> bool:
    lower = [f.lower() for f in fields]
    if any(c in lower for c in _PRICE_COLUMNS):
        return True
    # A bare two-column `date,<anything>` file is taken as date,price.
    return len(lower) == 2 and lower[0] in _DATE_COLUMNS


def _is_fred_header(fields: list[str]) -> bool:
    return len(fields) >= 2 and fields[0].lower() in _DATE_COLUMNS


def _is_french_header(fields: list[str]) -> bool:
    return len(fields) >= 2 and fields[0].lower() in ("", "date") and "Mkt-RF" in fields


def _date_column(header: list[str]) -> int:
    lower = [f.lower() for f in header]
    for i, name in enumerate(lower):
        if name in _DATE_COLUMNS:
            return i
    return 0  # yfinance puts dates under a "Price" label


def _price_column(table: _Table) -> int:
    lower = [f.lower() for f in table.header]
    for name in _PRICE_COLUMNS:
        if name in lower:
            return lower.index(name)
    return 1  # two-column date,price file (accepted by _is_price_header)


def _fred_column(table: _Table, series_id: str) -> int:
    lower = [f.lower() for f in table.header]
    for name in (series_id.lower(), "value"):
        if name in lower[1:]:
            return lower.index(name, 1)
    if len(lower) == 2:
        return 1
    header = ",".join(table.header)
    raise DataError(f"no column {series_id!r} or 'value' in header {header!r}", str(table.path))


# --- reading cells -----------------------------------------------------------


def _read_table(
    path: Path,
    is_header: Callable[[list[str]], bool],
    *,
    expected: str,
    footer: bool = False,
) -> _Table:
    """Find the header by content and return the data rows below it as text cells.

    With ``footer``, data ends at the first blank or non-numeric line after it
    starts (Ken French's copyright line); otherwise blank lines are skipped and
    every other line is data, so a bad row is an error rather than an early end.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read file: {exc}", str(path)) from exc
    lines = text.splitlines()
    header_at = _find_header(lines, is_header)
    if header_at is None:
        message = f"no header line found in the first {_HEADER_SCAN_LINES} lines (expected {expected})"
        raise DataError(message, str(path))
    header = [f.strip().strip('"') for f in lines[header_at].split(",")]
    numbers, body = _data_lines(path, lines, header_at + 1, footer)
    if not body:
        raise DataError("no data rows after the header", f"{path}:{header_at + 1}")
    cells = _split_cells(path, body, numbers, len(header))
    return _Table(path, header, cells, numbers)


def _find_header(lines: list[str], is_header: Callable[[list[str]], bool]) -> int | None:
    for i, line in enumerate(lines[:_HEADER_SCAN_LINES]):
        if line.strip() and is_header([f.strip().strip('"') for f in line.split(",")]):
            return i
    return None


def _data_lines(path: Path, lines: list[str], start: int, footer: bool) -> tuple[np.ndarray, list[str]]:
    """Return the 1-based line numbers and text of the data rows from ``start`` on."""
    first = start
    # yfinance writes "Ticker,SPY,..." and "Date,,,," rows under its header.
    while first < len(lines) and _is_preamble(lines[first].strip()):
        first += 1
    if footer:
        stop = first
        while stop < len(lines) and lines[stop].lstrip()[:1].isdigit():
            stop += 1
        _reject_data_after(path, lines, stop)
        return np.arange(first + 1, stop + 1), lines[first:stop]
    numbers = [i for i, line in enumerate(lines[first:], start=first + 1) if line and not line.isspace()]
    return np.asarray(numbers, dtype=np.int64), [lines[i - 1] for i in numbers]


def _reject_data_after(path: Path, lines: list[str], stop: int) -> None:
    """Fail if data rows resume after the line that ended the data.

    Otherwise a stray line in the middle would silently cut the history short.
    """
    for i in range(stop + 1, len(lines)):
        if lines[i].lstrip()[:1].isdigit():
            raise DataError(
                f"unexpected line {lines[stop].strip()!r} inside the data "
                f"(more data follows on line {i + 1})",
                f"{path}:{stop + 1}",
            )


def _is_preamble(stripped: str) -> bool:
    """A line before the data that carries labels only: no date, no numbers."""
    if not stripped:
        return True
    fields = [f.strip() for f in stripped.split(",")]
    if fields[0][:1].isdigit():
        return False
    return not any(_looks_numeric(f) for f in fields[1:])


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _split_cells(path: Path, body: list[str], numbers: np.ndarray, width: int) -> pd.DataFrame:
    try:
        cells = pd.read_csv(
            io.StringIO("\n".join(body)),
            header=None,
            names=list(range(width)),
            index_col=False,
            dtype=object,  # plain Python strings parse faster here than pandas' string dtype
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        # pandas counts lines in the text it was given; translate to the file's lines.
        match = re.search(r"line (\d+)", str(exc))
        where = f"{path}:{int(numbers[int(match.group(1)) - 1])}" if match else str(path)
        detail = re.sub(r"^Error tokenizing data. C error: ", "", str(exc)).strip()
        raise DataError(f"malformed row ({detail}; header has {width} columns)", where) from exc
    return cells.fillna("")


_DATE_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", "YYYY-MM-DD"),
    (re.compile(r"^\d{8}$"), "%Y%m%d", "YYYYMMDD"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%m/%d/%Y", "M/D/YYYY"),
)


def _parse_dates(table: _Table, column: int) -> pd.DatetimeIndex:
    """Parse a date column in the format its first row uses; any other row is an error."""
    raw = table.cells[column]
    first = str(raw.iloc[0]).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", first):
        raw = raw.str.strip().str.slice(0, 10)  # yfinance writes "2020-01-02 00:00:00-05:00"
        first = first[:10]
    for pattern, fmt, human in _DATE_FORMATS:
        if pattern.match(first):
            break
    else:
        expected = "YYYY-MM-DD, YYYYMMDD or M/D/YYYY"
        raise DataError(f"unrecognised date {first!r} (expected {expected})", table.where(0))
    dates = pd.to_datetime(raw, format=fmt, errors="coerce")
    if dates.isna().any():
        # Stripping every cell costs more than parsing, so only do it when needed.
        raw = raw.str.strip()
        dates = pd.to_datetime(raw, format=fmt, errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(f"bad date {raw.iloc[row]!r} (expected {human} like the first row)", table.where(row))
    return pd.DatetimeIndex(dates, name="date")


def _parse_numbers(table: _Table, column: int) -> np.ndarray:
    """Parse a numeric column; missing markers become NaN, anything else unparseable is an error."""
    raw = table.cells[column]  # to_numeric ignores surrounding spaces itself
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    unparsed = np.isnan(values)
    if unparsed.any():
        raw = raw.str.strip()
        bad = unparsed & ~raw.str.lower().isin(_MISSING).to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            name = table.header[column] or f"column {column + 1}"
            raise DataError(f"bad number {raw.iloc[row]!r} in column {name!r}", table.where(row))
    return values


# --- small helpers -----------------------------------------------------------


def _is_french(key: str) -> bool:
    return key.startswith(FF_PREFIX)


def _safe_name(key: str) -> bool:
    # A ticker becomes part of a file name; it must not climb out of the directory.
    return bool(key) and not any(c in key for c in "/\\\0") and key not in (".", "..")


def _named(s: pd.Series, name: str) -> pd.Series:
    # A copy, so callers can't change what the cache holds.
    return pd.Series(s.to_numpy(dtype="float64", copy=True), index=s.index.rename("date"), name=name)
