"""Write a run's tables and its manifest into a results folder."""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["RESERVED_TICKERS", "file_stem", "package_versions", "slug", "weights_table", "write_csv", "write_manifest"]

PACKAGES = ("rotsim", "vectorbt", "pandas", "numpy", "quantstats", "pluggy", "pydantic", "pyyaml")


def slug(label: str) -> str:
    """A file-name-safe form of a label: 'Small caps (3.5%)' -> 'small-caps-3-5'."""
    s = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()
    return s or "strategy"


def file_stem(label: str, benchmark: str) -> str:
    """The name of a book's weights and trades files in a results folder: the writer's and readers' contract."""
    return "benchmark" if label == benchmark else slug(label)


# Column names of weights/<book>.csv besides the tickers, and why a ticker may not
# take them: a second column of the same name would be read as the first.
RESERVED_TICKERS: dict[str, str] = {
    "date": "the date column of the results' tables",
    "cash": "the uninvested share in the weights files",
}


def weights_table(weights: pd.DataFrame, cash: pd.Series) -> pd.DataFrame:
    """A book's weights file: date, a column per ticker, then ``cash``.

    Requires no ticker named as a ``RESERVED_TICKERS`` key (plans refuse them
    first, at the config line that names one).
    """
    if clash := sorted(set(map(str, weights.columns)) & set(RESERVED_TICKERS)):
        raise ValueError(f"ticker(s) {clash} would collide with the weights file's own columns")
    return pd.concat([weights, cash.rename("cash")], axis=1).rename_axis("date")


DATE_FORMAT = "%Y-%m-%d"


def write_csv(frame: pd.DataFrame | pd.Series, path: Path) -> Path:
    """Write ``frame`` as ``frame.to_csv(path, date_format=DATE_FORMAT)`` does, byte for byte, only faster.

    Floats are written as their shortest repr, so they read back bit for bit.
    pandas formats a date index one Python call per date and floats through
    numpy's slower string cast; a table of dates and plain numbers (returns,
    weights, signals) is formatted here a column at a time instead, the rest
    goes to pandas with its dates already formatted.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    table = frame.to_frame() if isinstance(frame, pd.Series) else frame  # as Series.to_csv does
    cells = _plain_cells(table)
    if cells is None:
        _dated_index(table).to_csv(path, date_format=DATE_FORMAT)
        return path
    index = table.index
    with path.open("w", encoding="utf-8", newline="") as handle:
        # the header through pandas' own writer settings (QUOTE_MINIMAL, os.linesep): labels may need quotes
        csv.writer(handle, lineterminator=os.linesep).writerow(
            ["" if index.name is None else index.name, *table.columns]
        )
        # dates and numbers never need quotes, and a row has two cells at least: joined, they are the writer's rows
        if body := os.linesep.join(map(",".join, zip(*cells))):
            handle.write(body + os.linesep)
    return path


def _dated_index(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its date index as text in ``DATE_FORMAT`` (a missing date: NaN, which pandas writes empty)."""
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex):
        return frame
    return frame.set_axis(pd.Index(index.strftime(DATE_FORMAT), dtype=object, name=index.name))


def _plain_cells(frame: pd.DataFrame) -> list[list[str]] | None:
    """The cells, column by column, of a frame with a date index and 64-bit float or int columns; else None.

    The cells are what pandas writes: a date in ``DATE_FORMAT`` (NaT empty);
    a float ``str`` of numpy's float64, which is Python's shortest ``repr``
    (formatted here at twice numpy's speed), NaN empty; an int its digits.
    None as well for no columns, or column labels other than text (pandas
    formats numbers and dates there as values).
    """
    index, columns = frame.index, frame.columns
    if not isinstance(index, pd.DatetimeIndex) or not len(columns) or not all(isinstance(c, str) for c in columns):
        return None
    if np.get_printoptions()["legacy"] is not False:  # numpy would print floats its old way, and pandas with it
        return None
    cells = [_dates_text(index)]
    for j in range(frame.shape[1]):
        values = frame.iloc[:, j].to_numpy()
        if values.dtype == np.float64:
            text = list(map(repr, values.tolist()))
            for i in np.flatnonzero(np.isnan(values)).tolist():
                text[i] = ""
        elif values.dtype == np.int64:
            text = [str(v) for v in values.tolist()]
        else:
            return None
        cells.append(text)
    return cells


def _dates_text(index: pd.DatetimeIndex) -> list[str]:
    text = index.strftime(DATE_FORMAT).tolist()
    return [t if isinstance(t, str) else "" for t in text]  # NaT comes back as NaN; pandas writes it empty


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> Path:
    path.write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out
