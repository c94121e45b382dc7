"""Open a data source: the synthetic sample, a CSV folder, or folder + cache + downloads.

From plain values: which of them a config asks for is read by
``simulator.pipeline.config_source``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ConfigError
from .protocol import Source

if TYPE_CHECKING:
    from ..providers.remote import Remote
    from ..providers.transport import Transport

DATA_DIR_ENV = "ROTSIM_DATA_DIR"
OFFLINE_ENV = "ROTSIM_OFFLINE"


@dataclass(frozen=True)
class DataAccess:
    """How a command may reach data beyond the config: set from the command line.

    - ``cache_dir``: the download cache (else ``$ROTSIM_CACHE_DIR``, the config's
      ``data.cache_dir``, the user cache directory);
    - ``offline``: never download (also ``ROTSIM_OFFLINE=1``);
    - ``refresh``: update every cached download now;
    - ``transport``: what fetches URLs (tests pass a fake; default ``transport.http_get``).
    """

    cache_dir: str | Path | None = None
    offline: bool = False
    refresh: bool = False
    transport: Transport | None = None


def open_source(
    kind: str,
    *,
    seed: int = 7,
    data_dir: str | Path | None = None,
    config_dir: str | Path | None = None,
    cache_folder: str | Path | None = None,
) -> Source:
    """Return the source for a config's ``data.source`` when it is ``sample`` or ``csv``.

    The CSV folder is, in order: ``data_dir`` (``--data-dir``), then
    ``$ROTSIM_DATA_DIR``, then ``config_dir`` (the config's ``data.dir``). A
    config runs unchanged on any machine by pointing one of the first two at
    the data, without editing it. Parsed files are kept in ``parsed/`` of
    ``cache_folder`` (default: as ``cache_dir`` picks it).
    """
    if kind == "sample":
        from .sample import SampleSource

        return SampleSource(seed=seed)
    if kind == "csv":
        from .csv_folder import CsvSource

        path = _folder(data_dir, config_dir)
        if path is None:
            raise ConfigError(
                f"data.source is 'csv' but no folder is given: pass --data-dir DIR, set {DATA_DIR_ENV}, "
                "or set data.dir in the config"
            )
        return CsvSource(path, parsed_dir(cache_folder))
    raise ValueError(f"unknown data source '{kind}'")  # the config schema admits no other


def open_auto_source(
    *,
    default_route: str,
    routes: Mapping[str, str],
    data_dir: str | Path | None = None,
    config_dir: str | Path | None = None,
    config_cache: str | Path | None = None,
    max_age_days: float | None = None,
    access: DataAccess | None = None,
    fetch_command: str = "rotsim data fetch CONFIG",
) -> Source:
    """Return an ``AutoSource``: the CSV folder if one is given, the download cache, and downloads.

    ``routes`` sends a ticker or series id to one place (``data.sources``),
    the rest go by ``default_route``. The CSV folder is chosen as for
    ``open_source``; the cache folder is ``access.cache_dir``, else
    ``$ROTSIM_CACHE_DIR``, else ``config_cache``, else the user cache.
    ``fetch_command`` is what the source's messages tell the user to run.
    """
    from ..providers.cache import Cache
    from .auto import AutoSource
    from .csv_folder import CsvSource

    access = access or DataAccess()
    folder = _folder(data_dir, config_dir)
    root = cache_dir(access.cache_dir, config_cache)
    return AutoSource(
        cache=Cache(root),
        remotes=remotes(access.transport),
        routes=routes,
        default_route=default_route,
        folder=CsvSource(folder, parsed_dir(root)) if folder else None,
        offline=access.offline or offline_from_env(),
        refresh=access.refresh,
        max_age_days=max_age_days,
        fetch_command=fetch_command,
    )


def remotes(transport: Transport | None = None) -> dict[str, Remote]:
    """The download sources by name, fetching URLs through ``transport``."""
    from ..providers import transport as http
    from ..providers.fred import FredRemote
    from ..providers.french import FrenchRemote
    from ..providers.yahoo import YahooRemote

    get = transport or http.http_get
    return {"yahoo": YahooRemote(), "fred": FredRemote(get), "french": FrenchRemote(get)}


def cache_dir(cli: str | Path | None = None, config: str | Path | None = None) -> Path:
    """The cache folder: ``--cache-dir``, else ``$ROTSIM_CACHE_DIR``, else the config's, else the user cache."""
    from ..providers.cache import CACHE_DIR_ENV, default_cache_dir

    chosen = cli or os.environ.get(CACHE_DIR_ENV) or config
    return Path(chosen).expanduser() if chosen else default_cache_dir()


def parsed_dir(cache_folder: str | Path | None = None) -> Path:
    """Where parsed CSV files are kept (``parse_cache``): ``parsed/`` in the cache folder."""
    from .parse_cache import PARSED_FOLDER

    return cache_dir(cache_folder) / PARSED_FOLDER


def offline_from_env() -> bool:
    return os.environ.get(OFFLINE_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _folder(data_dir: str | Path | None, config_dir: str | Path | None) -> Path | None:
    folder = data_dir or os.environ.get(DATA_DIR_ENV) or config_dir
    if not folder:
        return None
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise ConfigError(f"data folder {path} does not exist")
    return path
