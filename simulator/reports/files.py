"""Write a run's tables and its manifest into a results folder."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

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


def write_csv(frame: pd.DataFrame | pd.Series, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, date_format="%Y-%m-%d")  # floats as repr: they read back bit for bit
    return path


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
