"""Pick the data source a run reads: the synthetic sample or a CSV folder."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ConfigError
from .source import Source

DATA_DIR_ENV = "ROTSIM_DATA_DIR"


def open_source(
    kind: str,
    *,
    seed: int = 7,
    data_dir: str | Path | None = None,
    config_dir: str | Path | None = None,
    where: str = "",
) -> Source:
    """Return the source for a config's ``data.source``.

    The CSV folder is, in order: ``data_dir`` (``--data-dir``), then
    ``$ROTSIM_DATA_DIR``, then ``config_dir`` (the config's ``data.dir``). A
    config runs unchanged on any machine by pointing one of the first two at
    the data, without editing it.
    """
    if kind == "sample":
        from .sample import SampleSource

        return SampleSource(seed=seed)
    if kind == "csv":
        from .csv_source import CsvSource

        folder = data_dir or os.environ.get(DATA_DIR_ENV) or config_dir
        if not folder:
            raise ConfigError(
                f"data.source is 'csv' but no folder is given: pass --data-dir DIR, set {DATA_DIR_ENV}, "
                "or set data.dir in the config",
                where=where or None,
            )
        path = Path(folder).expanduser()
        if not path.is_dir():
            raise ConfigError(f"data folder {path} does not exist", where=where or None)
        return CsvSource(path)
    raise ConfigError(f"unknown data source '{kind}'", where=where or None)
