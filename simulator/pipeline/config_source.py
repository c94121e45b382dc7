"""The data source a config's ``data`` section asks for, and the checks of its ``data.sources``.

The config is read here and only plain values go down to ``simulator.data``.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from ..config import LoadedConfig
from ..data.sources import Source
from ..data.sources.pick import DataAccess, cache_dir, open_auto_source, open_source


def open_config_source(
    loaded: LoadedConfig, data_dir: str | Path | None = None, access: DataAccess | None = None
) -> Source:
    """Return the source a config's ``data`` section asks for, with command-line overrides.

    ``sample``, and ``csv`` without ``data.sources``, read as ``open_source``
    does. Otherwise an ``AutoSource``: the CSV folder if one is given, the
    download cache, and Yahoo, FRED and Ken French downloads.
    """
    data = loaded.config.data
    config_dir = loaded.relative(data.dir) if data.dir else None
    config_cache = loaded.relative(data.cache_dir) if data.cache_dir else None
    access = access or DataAccess()
    if data.source == "sample" or (data.source == "csv" and not data.sources):
        return open_source(
            data.source,
            seed=data.seed,
            data_dir=data_dir,
            config_dir=config_dir,
            cache_folder=cache_dir(access.cache_dir, config_cache),
        )
    return open_auto_source(
        default_route=data.source,
        routes=data.sources,
        data_dir=data_dir,
        config_dir=config_dir,
        config_cache=config_cache,
        max_age_days=data.max_age_days,
        access=access,
        fetch_command=fetch_command(loaded.path, data_dir, access),
    )


def fetch_command(config: Path, data_dir: str | Path | None, access: DataAccess) -> str:
    """The command that fills the cache for ``config`` with the same folders as this one."""
    words = ["rotsim", "data", "fetch", str(config)]
    if data_dir:
        words += ["--data-dir", str(data_dir)]
    if access.cache_dir:
        words += ["--cache-dir", str(access.cache_dir)]
    return shlex.join(words)


def unused_routes(loaded: LoadedConfig, tickers: list[str], ids: list[str]) -> list[str]:
    """An error per ``data.sources`` key that names no ticker or series id the config uses."""
    used = set(tickers) | set(ids)
    return [
        f"{loaded.where('data', 'sources', key)}: data.sources names '{key}', which this config does not use "
        f"(tickers: {', '.join(tickers)}; series ids: {', '.join(ids) or 'none'})"
        for key in loaded.config.data.sources
        if key not in used
    ]
