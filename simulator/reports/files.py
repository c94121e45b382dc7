"""Write a run's tables and its manifest into a results folder."""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from ..config.schema import slug

__all__ = ["file_stem", "package_versions", "slug", "write_csv", "write_manifest"]

PACKAGES = ("rotsim", "vectorbt", "pandas", "numpy", "quantstats", "pluggy", "pydantic", "pyyaml")


def file_stem(label: str, benchmark: str) -> str:
    """The name of a book's weights and trades files in a results folder: the writer's and readers' contract."""
    return "benchmark" if label == benchmark else slug(label)


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
