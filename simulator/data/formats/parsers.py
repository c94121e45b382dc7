"""Parsers for the CSV layouts real downloads come in: Yahoo prices, FRED series, Ken French tables.

One parser per layout family, used for files in a folder (``CsvSource``) and
for payloads fetched over the network (``providers/fred.py``, ``providers/french.py``,
``providers/yahoo.py``) alike, so a downloaded file and the same file saved to disk
give the same numbers and the same error messages.

Each ``parse_*`` function takes the text and an ``origin`` (a file path or a
URL) that error messages name, with the line: ``origin:line: what is wrong``.
The ``read_*`` functions read a file and call them. What every layout shares
(finding the header, splitting rows, dates and numbers) is in ``csv_table``;
this module knows the layouts.

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
  portfolio file as the library publishes it holds several tables one after
  another, each under a title (``  Average Value Weighted Returns -- Daily``,
  then equal-weighted, ...): the first is read, and it must be the
  value-weighted one; a file saved with only that table (its header on the
  first line, no text or title) is read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.errors import DataError

from .csv_table import Table, looks_numeric, parse_dates, parse_numbers, read_table, read_text

# In order of preference: an adjusted close is a total-return price, a plain close is not.
_PRICE_COLUMNS = ("adj close", "adj_close", "adjclose", "adjusted close", "adjusted_close", "close")
_UNADJUSTED = "close"
_DATE_COLUMNS = ("date", "datetime", "timestamp", "observation_date")
# Ken French writes -99.99 / -999 for "no data"; no daily return can really lose 99.99%.
_FF_MISSING_AT_OR_BELOW = -99.99
# A table title of a published portfolio file sits on the line right above its header:
# "  Average Value Weighted Returns -- Daily", "  Equal Weighted Returns -- Daily",
# "  Number of Firms in Portfolios", "  Average Firm Size".
_FF_TITLE = re.compile(r"--|weight|firms|firm size", re.IGNORECASE)
_FF_VALUE_WEIGHTED = re.compile(r"value[- ]weight", re.IGNORECASE)


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


# --- files -------------------------------------------------------------------


def read_price_csv(path: str | Path) -> pd.Series:
    """Parse a Yahoo-style price or index file into a float Series (NaN where empty)."""
    return read_prices(path).closes


def read_prices(path: str | Path) -> Prices:
    """Parse a Yahoo-style price or index file, saying whether its closes are adjusted."""
    return parse_prices(read_text(path), str(path))


def read_french_csv(path: str | Path) -> pd.DataFrame:
    """Parse a Ken French daily table file (see ``parse_french``)."""
    return read_french(path).frame


def read_french(path: str | Path) -> FrenchTable:
    """Parse a Ken French daily table file with the line of each row (see ``parse_french``)."""
    return parse_french_table(read_text(path), str(path))


# --- parsers: one per layout family ------------------------------------------


def parse_prices(text: str, origin: str) -> Prices:
    """Parse Yahoo-style prices; the closes are a float Series, NaN where empty."""
    table = read_table(text, origin, _is_price_header, expected="a header with a date and a close column")
    column = _price_column(table)
    values = parse_numbers(table, column)
    closes = pd.Series(values, index=parse_dates(table, _date_column(table.header)), dtype="float64")
    return Prices(closes, adjusted=table.header[column].lower() != _UNADJUSTED, lines=table.lines)


def parse_fred(text: str, origin: str, series_id: str) -> pd.Series:
    """Parse a FRED download into a float Series, NaN where missing."""
    return parse_fred_series(text, origin, series_id).values


def parse_fred_series(text: str, origin: str, series_id: str) -> FredSeries:
    """Parse a FRED download; a header naming another series than ``series_id`` is an error at its line."""
    expected = "a header like 'observation_date,<ID>' or 'DATE,<ID>'"
    table = read_table(text, origin, _is_fred_header, expected=expected)
    column, alias = _fred_column(table, series_id)
    values = parse_numbers(table, column)
    series = pd.Series(values, index=parse_dates(table, 0), dtype="float64")
    return FredSeries(series, table.lines, alias)


def parse_french(text: str, origin: str) -> pd.DataFrame:
    """Parse the first table of a Ken French daily file (see ``parse_french_table``)."""
    return parse_french_table(text, origin).frame


def parse_french_table(text: str, origin: str) -> FrenchTable:
    """Parse the first table of a Ken French daily file; values in percent, as published.

    Missing-data markers (-99.99, -999) become NaN. Adds ``Mkt`` = ``Mkt-RF`` +
    ``RF`` (the total market return) when both are present. A first table
    titled as anything but value-weighted returns (equal-weighted, number of
    firms, ...) is an error at its title's line: its numbers are not the
    returns a ticker or series of the file stands for.
    """
    table = read_table(text, origin, _is_french_header, expected="a header like ',Mkt-RF,SMB,HML,RF'", footer=True)
    _require_value_weighted(table)
    index = parse_dates(table, 0)
    frame = pd.DataFrame(
        {name: parse_numbers(table, i) for i, name in enumerate(table.header) if i > 0 and name},
        index=index,
    )
    frame = frame.mask(frame <= _FF_MISSING_AT_OR_BELOW)
    if "Mkt-RF" in frame and "RF" in frame:
        frame["Mkt"] = frame["Mkt-RF"] + frame["RF"]
    return FrenchTable(frame, table.lines, table.header_line)


def _require_value_weighted(table: Table) -> None:
    """Fail when the line right above the header titles a table other than value-weighted returns.

    The value-weighted table saved alone has its header on the first line: nothing above it.
    """
    title = table.above.strip()  # the line read_table split already: a file is not split twice
    if title and "," not in title and _FF_TITLE.search(title) and not _FF_VALUE_WEIGHTED.search(title):
        raise DataError(
            f"the first table is {title!r}; expected the value-weighted returns first "
            "('Average Value Weighted Returns -- Daily', as the Ken French library publishes them)",
            f"{table.origin}:{table.header_line - 1}",
        )


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
        and not any(looks_numeric(n) for n in names)
    )


def _date_column(header: list[str]) -> int:
    lower = [f.lower() for f in header]
    for i, name in enumerate(lower):
        if name in _DATE_COLUMNS:
            return i
    return 0  # yfinance puts dates under a "Price" label


def _price_column(table: Table) -> int:
    lower = [f.lower() for f in table.header]
    for name in _PRICE_COLUMNS:
        if name in lower:
            return lower.index(name)
    return 1  # two-column date,price file (accepted by _is_price_header)


def _fred_column(table: Table, series_id: str) -> tuple[int, str | None]:
    """The value column, and a note when its name only aliases ``series_id``.

    A column named for another series is an error: ``fred_DTB3.csv`` holding
    DGS10 would otherwise be used as the bill rate without a word.
    """
    names = table.header[1:]
    if series_id in names:
        return names.index(series_id) + 1, None
    vintage = re.compile(rf"^{re.escape(series_id)}_\d{{8}}$", re.IGNORECASE)  # ALFRED: DTB3_20240102
    aliases = [
        i for i, name in enumerate(names, 1) if name.lower() in (series_id.lower(), "value") or vintage.match(name)
    ]
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
