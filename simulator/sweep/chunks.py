"""A sweep's chunks on disk: each chunk's returns and metrics as Parquet files, written as the chunk ends.

Layout of a sweep folder (``sweep/`` in the results, or a partial sweep's
working folder until then)::

    returns/chunk-00001.parquet   dates x the chunk's variant ids: daily returns
    metrics/chunk-00001.parquet   the chunk's variant ids x the metrics of metrics.csv

A chunk counts as done when both files are there; each is written under a
temporary name and renamed, so an interrupted write leaves no half file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from .run import ChunkResult

__all__ = ["done_chunks", "each_returns", "read_metrics", "read_returns", "write_chunk"]

RETURNS, METRICS = "returns", "metrics"
_NAME = re.compile(r"chunk-(\d+)\.parquet$")


def _name(number: int) -> str:
    return f"chunk-{number:05d}.parquet"


def write_chunk(folder: Path, result: ChunkResult) -> list[Path]:
    """Write one chunk's two files (returns first: the metrics file marks the chunk done)."""
    out = []
    for sub, frame in ((RETURNS, result.returns), (METRICS, result.metrics)):
        path = folder / sub / _name(result.number)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        frame.to_parquet(tmp, engine="pyarrow", index=True)
        os.replace(tmp, path)
        out.append(path)
    return out


def done_chunks(folder: Path) -> set[int]:
    """The numbers of the chunks whose files are both in ``folder``."""

    def numbers(sub: str) -> set[int]:
        d = folder / sub
        return {int(m.group(1)) for p in d.iterdir() if (m := _NAME.fullmatch(p.name))} if d.is_dir() else set()

    return numbers(RETURNS) & numbers(METRICS)


def chunk_files(folder: Path, numbers: Iterable[int]) -> list[Path]:
    """The files of the chunks ``numbers``, returns then metrics of each."""
    return [folder / sub / _name(n) for n in sorted(numbers) for sub in (RETURNS, METRICS)]


def read_metrics(folder: Path) -> pd.DataFrame:
    """Every chunk's metrics, in chunk order (variant ids x metrics)."""
    files = sorted((folder / METRICS).glob("chunk-*.parquet"))
    return pd.concat([pd.read_parquet(p) for p in files]) if files else pd.DataFrame()


def each_returns(folder: Path) -> Iterator[pd.DataFrame]:
    """Every chunk's daily returns (dates x its variant ids), one chunk at a time, in chunk order."""
    for path in sorted((folder / RETURNS).glob("chunk-*.parquet")):
        yield pd.read_parquet(path)


def read_returns(folder: Path, ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The daily returns of the variants ``ids`` (default: all), dates x variant ids, in chunk order.

    Filled into one array chunk by chunk: 10,000 variants over 25 years are
    half a gigabyte, held once (a concat of the chunks would hold them twice).
    """
    import numpy as np
    import pyarrow.parquet as pq

    wanted = None if ids is None else set(ids)
    files = sorted((folder / RETURNS).glob("chunk-*.parquet"))
    columns = []
    for path in files:
        names = [c for c in pq.read_schema(path).names if c != "date"]
        columns.append([c for c in names if wanted is None or c in wanted])
    if not files or not any(columns):
        return pd.DataFrame()
    index = pd.read_parquet(files[0], columns=[]).index
    out = np.empty((len(index), sum(map(len, columns))))
    at = 0
    for path, names in zip(files, columns):
        if names:
            out[:, at : at + len(names)] = pd.read_parquet(path, columns=names).to_numpy(dtype=float)
            at += len(names)
    return pd.DataFrame(out, index=index, columns=pd.Index([c for names in columns for c in names], name="variant"))
