"""Reading a CSV table out of a file's text, with the line of every row, for the layout parsers.

The header is found by its content (a layout says what its header looks like),
text before it is skipped, and the rows below are split into text cells;
``parse_dates`` and ``parse_numbers`` turn a column into values. Every error
names the origin (a file path or a URL) and the line: ``origin:line: what is
wrong``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.errors import DataError

_MISSING = frozenset({"", ".", "na", "n/a", "nan", "null", "none", "#n/a"})
# A header sits near the top; scanning further only turns a wrong file into a slow error.
_HEADER_SCAN_LINES = 50


@dataclass
class Table:
    """Raw text cells of a file's data rows, with the 1-based line of each row (and of the header).

    ``above``: the line right above the header ("" when the header is the first line), for a layout
    whose tables carry a title there.
    """

    origin: str
    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    header_line: int
    above: str = ""

    def where(self, row: int) -> str:
        return f"{self.origin}:{int(self.lines[row])}"

    @property
    def at_header(self) -> str:
        return f"{self.origin}:{self.header_line}"


# --- files -------------------------------------------------------------------


def read_text(path: str | Path) -> str:
    """Return a file's text; raise ``DataError`` naming the file when it cannot be read."""
    return decode(read_bytes(path))


def read_bytes(path: str | Path) -> bytes:
    """Return a file's bytes; raise ``DataError`` naming the file when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}", str(path)) from exc


def decode(payload: bytes) -> str:
    """Text of a CSV payload: UTF-8 (with or without BOM), else Latin-1 (older Ken French files)."""
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        return payload.decode("latin-1")


# --- reading cells -----------------------------------------------------------


def read_table(
    text: str,
    origin: str,
    is_header: Callable[[list[str]], bool],
    *,
    expected: str,
    footer: bool = False,
) -> Table:
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
    return Table(origin, header, cells, numbers, header_at + 1, lines[header_at - 1] if header_at else "")


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
    rest = lines[first:]
    if "" not in rest and not any(map(str.isspace, rest)):  # the usual file, no blank line: both scans run in C
        return np.arange(first + 1, first + 1 + len(rest), dtype=np.int64), rest
    numbers = [i for i, line in enumerate(rest, start=first + 1) if line and not line.isspace()]
    return np.asarray(numbers, dtype=np.int64), [lines[i - 1] for i in numbers]


def _reject_data_after(origin: str, lines: list[str], stop: int, is_header: Callable[[list[str]], bool]) -> None:
    """Fail if data rows resume after the line that ended the data, unless a new table starts first.

    Otherwise a stray line in the middle would silently cut the history short.
    """
    for i in range(stop + 1, len(lines)):
        if lines[i].lstrip()[:1].isdigit():
            raise DataError(
                f"unexpected line {lines[stop].strip()!r} inside the data (more data follows on line {i + 1})",
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
    return not any(looks_numeric(f) for f in fields[1:])


def looks_numeric(text: str) -> bool:
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
    # str.count in C per line; pandas' .str.count goes through a regex per line, ten times slower
    counts = np.fromiter(map(str.count, body, repeat(",")), dtype=np.int64, count=len(body)) + 1
    quoted = [i for i, line in enumerate(body) if '"' in line]
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
        if end <= len(fields) and all(_THOUSANDS[1].match(f.strip()) for f in fields[i + 1 : end]):
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


def parse_dates(table: Table, column: int) -> pd.DatetimeIndex:
    """Parse a date column in the format its first row uses; any other row is an error."""
    raw = table.cells[column]
    first = str(raw.iloc[0]).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", first):
        raw = raw.str.strip().str.slice(0, 10)  # yfinance writes "2020-01-02 00:00:00-05:00"
        first = first[:10]
    for pattern, fmt, human in _DATE_FORMATS:  # noqa: B007 - the match is used after the loop
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


def parse_numbers(table: Table, column: int) -> np.ndarray:
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
