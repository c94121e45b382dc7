"""Parsers for the CSV layouts real downloads come in: Yahoo prices, FRED series, Ken French tables.

One parser per layout family, used for files in a folder (``CsvSource``) and
for payloads fetched over the network (``providers/fred.py``, ``providers/french.py``,
``providers/yahoo.py``) alike, so a downloaded file and the same file saved to disk
give the same numbers and the same error messages.

Each ``parse_*`` function takes the text and an ``origin`` (a file path or a
URL) that error messages name, with the line: ``origin:line: what is wrong``.
The ``read_*_csv`` functions read a file and call them.

Layouts understood:

- Yahoo prices: ``date,adj_close``; OHLCV ``Date,Open,High,Low,Close,Adj Close,Volume``
  (``Adj Close`` preferred, else ``Close``; column names match case-insensitively);
  yfinance's multi-row header (``Price,...`` / ``Ticker,...`` / ``Date,,,``); index
  files ``date,close[,volume]`` and ``date,open,high,low,close[,volume]``.
- FRED: ``observation_date,<ID>`` or the older ``DATE,<ID>`` / ``Date,Value``; missing
  values empty or ``.``; ISO or M/D/YYYY dates.
- Ken French daily tables: the classic layout (``,Mkt-RF,...`` header, YYYYMMDD
  dates) and the newer ``Date,Mkt-RF,...`` with ISO dates; factor files and
  portfolio files (size deciles, industries, ...) whose header is any list of
  names. Text before the header is skipped; the header is found by content. A
  portfolio file holds several tables one after another (value-weighted returns
  first, then equal-weighted, ...): the first is read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.errors import DataError

# In order of preference: an adjusted close is a total-return price, a plain close is not.
_PRICE_COLUMNS = ("adj close", "adj_close", "adjclose", "adjusted close", "adjusted_close", "close")
_UNADJUSTED = "close"
_DATE_COLUMNS = ("date", "datetime", "timestamp", "observation_date")
_MISSING = frozenset({"", ".", "na", "n/a", "nan", "null", "none", "#n/a"})
# Ken French writes -99.99 / -999 for "no data"; no daily return can really lose 99.99%.
_FF_MISSING_AT_OR_BELOW = -99.99
# A header sits near the top; scanning further only turns a wrong file into a slow error.
_HEADER_SCAN_LINES = 50


@dataclass(frozen=True)
class Prices:
    """A parsed price file: the closes, and whether they are adjusted for splits and dividends.

    ``adjusted`` is False when the file has only a plain ``close`` column: such
    prices jump at every split, which the quality checks look for.
    """

    closes: pd.Series
    adjusted: bool
    # The 1-based file line of each close, so quality checks can point at it.
    lines: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


@dataclass(frozen=True)
class FredSeries:
    """A parsed FRED file: its values, the line of each, and a note when the header only aliases the id.

    ``alias`` is set when the value column is not named exactly as the series
    (``value``, another letter case, an ALFRED vintage ``DTB3_20240102``): the
    file is used, and the caller warns with this text (``origin:line: ...``).
    """

    values: pd.Series
    lines: np.ndarray
    alias: str | None = None


@dataclass(frozen=True)
class FrenchTable:
    """The first table of a Ken French file: the columns, the line of each row and of the header."""

    frame: pd.DataFrame
    lines: np.ndarray
    header_line: int


@dataclass
class _Table:
    """Raw text cells of a file's data rows, with the 1-based line of each row (and of the header)."""

    origin: str
    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    header_line: int

    def where(self, row: int) -> str:
        return f"{self.origin}:{int(self.lines[row])}"

    @property
    def at_header(self) -> str:
        return f"{self.origin}:{self.header_line}"


# --- files -------------------------------------------------------------------


def read_text(path: str | Path) -> str:
    """Return a file's text; raise ``DataError`` naming the file when it cannot be read."""
    try:
        return decode(Path(path).read_bytes())
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", str(path)) from exc


def decode(payload: bytes) -> str:
    """Text of a CSV payload: UTF-8 (with or without BOM), else Latin-1 (older Ken French files)."""
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        return payload.decode("latin-1")


def read_price_csv(path: str | Path) -> pd.Series:
    """Parse a Yahoo-style price or index file into a float Series (NaN where empty)."""
    return read_prices(path).closes


def read_prices(path: str | Path) -> Prices:
    """Parse a Yahoo-style price or index file, saying whether its closes are adjusted."""
    return parse_prices(read_text(path), str(path))


def read_fred(path: str | Path, series_id: str | None = None) -> FredSeries:
    """Parse a FRED download with the line of each value (see ``parse_fred_series``)."""
    path = Path(path)
    return parse_fred_series(read_text(path), str(path), series_id or path.stem.removeprefix("fred_"))


def read_french_csv(path: str | Path) -> pd.DataFrame:
    """Parse a Ken French daily table file (see ``parse_french``)."""
    return read_french(path).frame


def read_french(path: str | Path) -> FrenchTable:
    """Parse a Ken French daily table file with the line of each row (see ``parse_french``)."""
    return parse_french_table(read_text(path), str(path))


# --- parsers: one per layout family ------------------------------------------


def parse_prices(text: str, origin: str) -> Prices:
    """Parse Yahoo-style prices; the closes are a float Series, NaN where empty."""
    table = _read_table(text, origin, _is_price_header, expected="a header with a date and a close column")
    column = _price_column(table)
    values = _parse_numbers(table, column)
    closes = pd.Series(values, index=_parse_dates(table, _date_column(table.header)), dtype="float64")
    return Prices(closes, adjusted=table.header[column].lower() != _UNADJUSTED, lines=table.lines)


def parse_fred(text: str, origin: str, series_id: str) -> pd.Series:
    """Parse a FRED download into a float Series, NaN where missing."""
    return parse_fred_series(text, origin, series_id).values


def parse_fred_series(text: str, origin: str, series_id: str) -> FredSeries:
    """Parse a FRED download; a header naming another series than ``series_id`` is an error at its line."""
    expected = "a header like 'observation_date,<ID>' or 'DATE,<ID>'"
    table = _read_table(text, origin, _is_fred_header, expected=expected)
    column, alias = _fred_column(table, series_id)
    values = _parse_numbers(table, column)
    series = pd.Series(values, index=_parse_dates(table, 0), dtype="float64")
    return FredSeries(series, table.lines, alias)


def parse_french(text: str, origin: str) -> pd.DataFrame:
    """Parse the first table of a Ken French daily file (see ``parse_french_table``)."""
    return parse_french_table(text, origin).frame


def parse_french_table(text: str, origin: str) -> FrenchTable:
    """Parse the first table of a Ken French daily file; values in percent, as published.

    Missing-data markers (-99.99, -999) become NaN. Adds ``Mkt`` = ``Mkt-RF`` +
    ``RF`` (the total market return) when both are present.
    """
    table = _read_table(text, origin, _is_french_header, expected="a header like ',Mkt-RF,SMB,HML,RF'", footer=True)
    index = _parse_dates(table, 0)
    frame = pd.DataFrame(
        {name: _parse_numbers(table, i) for i, name in enumerate(table.header) if i > 0 and name},
        index=index,
    )
    frame = frame.mask(frame <= _FF_MISSING_AT_OR_BELOW)
    if "Mkt-RF" in frame and "RF" in frame:
        frame["Mkt"] = frame["Mkt-RF"] + frame["RF"]
    return FrenchTable(frame, table.lines, table.header_line)


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
    # An empty or "Date" first cell, then names: factor files (Mkt-RF, SMB, ...)
    # and portfolio files (Lo 10 ... Hi 10, NoDur ... Other) alike.
    names = fields[1:]
    return (
        len(fields) >= 2
        and fields[0].lower() in ("", "date")
        and all(names)
        and not any(_looks_numeric(n) for n in names)
    )


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


def _fred_column(table: _Table, series_id: str) -> tuple[int, str | None]:
    """The value column, and a note when its name only aliases ``series_id``.

    A column named for another series is an error: ``fred_DTB3.csv`` holding
    DGS10 would otherwise be used as the bill rate without a word.
    """
    names = table.header[1:]
    if series_id in names:
        return names.index(series_id) + 1, None
    vintage = re.compile(rf"^{re.escape(series_id)}_\d{{8}}$", re.IGNORECASE)  # ALFRED: DTB3_20240102
    aliases = [i for i, name in enumerate(names, 1) if name.lower() in (series_id.lower(), "value") or vintage.match(name)]
    if aliases:
        name = table.header[aliases[0]]
        note = f"column {name!r} taken as series {series_id!r} (the header does not name it exactly)"
        return aliases[0], f"{table.at_header}: {note}"
    header = ",".join(table.header)
    if len(table.header) == 2:
        raise DataError(
            f"the header names series {names[0]!r}, not {series_id!r} (header {header!r}): a file for another series?",
            table.at_header,
        )
    raise DataError(f"no column {series_id!r} or 'value' in header {header!r}", table.at_header)


# --- reading cells -----------------------------------------------------------


def _read_table(
    text: str,
    origin: str,
    is_header: Callable[[list[str]], bool],
    *,
    expected: str,
    footer: bool = False,
) -> _Table:
    """Find the header by content and return the data rows below it as text cells.

    With ``footer``, data ends at the first blank or non-numeric line after it
    starts (Ken French's copyright line, or the title of the next table);
    otherwise blank lines are skipped and every other line is data, so a bad
    row is an error rather than an early end.
    """
    lines = text.splitlines()
    header_at = _find_header(lines, is_header)
    if header_at is None:
        message = f"no header line found in the first {_HEADER_SCAN_LINES} lines (expected {expected})"
        raise DataError(message, origin)
    header = _fields(lines[header_at])
    numbers, body = _data_lines(origin, lines, header_at + 1, footer, is_header)
    if not body:
        raise DataError("no data rows after the header", f"{origin}:{header_at + 1}")
    _check_field_counts(origin, body, numbers, header)
    cells = _split_cells(origin, body, numbers, len(header))
    _reject_unnamed_values(origin, cells, numbers, header)
    return _Table(origin, header, cells, numbers, header_at + 1)


def _fields(line: str) -> list[str]:
    return [f.strip().strip('"').strip() for f in line.split(",")]


def _find_header(lines: list[str], is_header: Callable[[list[str]], bool]) -> int | None:
    for i, line in enumerate(lines[:_HEADER_SCAN_LINES]):
        if line.strip() and is_header(_fields(line)):
            return i
    return None


def _data_lines(
    origin: str, lines: list[str], start: int, footer: bool, is_header: Callable[[list[str]], bool]
) -> tuple[np.ndarray, list[str]]:
    """Return the 1-based line numbers and text of the data rows from ``start`` on."""
    first = start
    # yfinance writes "Ticker,SPY,..." and "Date,,,," rows under its header.
    while first < len(lines) and _is_preamble(lines[first].strip()):
        first += 1
    if footer:
        stop = first
        while stop < len(lines) and lines[stop].lstrip()[:1].isdigit():
            stop += 1
        _reject_data_after(origin, lines, stop, is_header)
        return np.arange(first + 1, stop + 1), lines[first:stop]
    numbers = [i for i, line in enumerate(lines[first:], start=first + 1) if line and not line.isspace()]
    return np.asarray(numbers, dtype=np.int64), [lines[i - 1] for i in numbers]


def _reject_data_after(origin: str, lines: list[str], stop: int, is_header: Callable[[list[str]], bool]) -> None:
    """Fail if data rows resume after the line that ended the data, unless a new table starts first.

    Otherwise a stray line in the middle would silently cut the history short.
    """
    for i in range(stop + 1, len(lines)):
        if lines[i].lstrip()[:1].isdigit():
            raise DataError(
                f"unexpected line {lines[stop].strip()!r} inside the data "
                f"(more data follows on line {i + 1})",
                f"{origin}:{stop + 1}",
            )
        if lines[i].strip() and is_header(_fields(lines[i])):
            return  # the next table of a multi-table file (e.g. equal-weighted returns)


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


def _check_field_counts(origin: str, body: list[str], numbers: np.ndarray, header: list[str]) -> None:
    """Fail on a row whose fields do not line up with the header's columns.

    Fewer fields than the header names: a line cut short (truncated download?).
    More fields than the header has: most often a number written with a
    thousands separator (``138,554.916``), which a lenient reader takes as
    138 and a stray field. Counted before pandas reads the rows, because pandas
    only warns about extra fields in the first row and then drops them.
    """
    named = max(i for i, name in enumerate(header) if name or i == 0) + 1  # trailing unnamed columns may be absent
    counts = pd.Series(body, dtype=object).str.count(",").to_numpy() + 1
    quoted = np.flatnonzero(pd.Series(body, dtype=object).str.contains('"', regex=False).to_numpy())
    for i in quoted:  # a comma inside quotes is not a separator: count those few rows properly
        fields = _split_quoted(origin, body[i], int(numbers[i]))
        counts[i] = len(fields)
    bad = np.flatnonzero((counts < named) | (counts > len(header)))
    if not len(bad):
        return
    i = int(bad[0])
    line, where = body[i].strip(), f"{origin}:{int(numbers[i])}"
    if counts[i] < named:
        raise DataError(f"row {line!r} has {counts[i]} field(s), the header names {named} (cut short?)", where)
    raise DataError(_extra_fields_message(_split_quoted(origin, body[i], int(numbers[i])), header, line), where)


def _split_quoted(origin: str, line: str, number: int) -> list[str]:
    if line.count('"') % 2:
        # An open quote would make the reader swallow the following lines into one value.
        raise DataError(f"row {line.strip()!r} has an unbalanced quote", f"{origin}:{number}")
    return next(csv.reader([line]))


_THOUSANDS = (re.compile(r"^[+-]?\d{1,3}$"), re.compile(r"^\d{3}(\.\d*)?$"))


def _extra_fields_message(fields: list[str], header: list[str], line: str) -> str:
    """Name the value a thousands separator split, when only one can be it; else the extra fields."""
    width = len(header)
    counted = f"row {line!r} has {len(fields)} fields, the header {width}"
    candidates = _thousands_candidates(fields, width)
    with_decimals = [c for c in candidates if "." in c[1]]
    if len(candidates) == 1 or len(with_decimals) == 1:
        column, value = (candidates if len(candidates) == 1 else with_decimals)[0]
        name = header[column] or f"column {column + 1}"
        return (
            f"value {value!r} in column {name!r} looks like a number with a thousands separator ({counted}); "
            f"write it as {value.replace(',', '')}"
        )
    shown = ", ".join(repr(f.strip()) for f in fields[width:])
    last = header[-1] or f"column {width}"
    return f"{counted}: extra value(s) {shown} after column {last!r} (a thousands separator or decimal comma?)"


def _thousands_candidates(fields: list[str], width: int) -> list[tuple[int, str]]:
    """``(column, value)`` for each way the extra fields could be thousands groups of one number."""
    extra = len(fields) - width
    found = []
    for i in range(1, width):
        if not _THOUSANDS[0].match(fields[i].strip()):
            continue
        # 1,234,567.8 is split into "1", "234", "567.8": every group after the first is one extra field.
        end = i + 1 + extra
        if end <= len(fields) and all(_THOUSANDS[1].match(f.strip()) for f in fields[i + 1:end]):
            found.append((i, ",".join(f.strip() for f in fields[i:end])))
    return found


def _reject_unnamed_values(origin: str, cells: pd.DataFrame, numbers: np.ndarray, header: list[str]) -> None:
    """Fail on a value under a header cell left empty (``date,adj_close,``): no layout says what it is."""
    for i, name in enumerate(header):
        if i == 0 or name:
            continue
        column = cells[i].astype(str).str.strip()
        filled = np.flatnonzero((column != "").to_numpy())
        if len(filled):
            row = int(filled[0])
            raise DataError(
                f"value {column.iloc[row]!r} in column {i + 1}, which the header leaves unnamed "
                f"(header {','.join(header)!r}); a thousands separator in the number before it?",
                f"{origin}:{int(numbers[row])}",
            )


def _split_cells(origin: str, body: list[str], numbers: np.ndarray, width: int) -> pd.DataFrame:
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
        where = f"{origin}:{int(numbers[int(match.group(1)) - 1])}" if match else origin
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
