"""The Kenneth R. French Data Library: ids, units and zipped downloads.

Ids name a column of a daily file:

- ``FF:<column>``: the daily 3 factors (``F-F_Research_Data_Factors_daily``):
  ``FF:Mkt-RF``, ``FF:SMB``, ``FF:HML``, ``FF:RF``, and ``FF:Mkt`` = Mkt-RF + RF,
  the total market return;
- ``FF:<file>:<column>``: any other daily file, by the name the library gives
  its zip without ``_CSV.zip``, e.g. ``FF:Portfolios_Formed_on_ME_daily:Lo 10``
  (smallest size decile) or ``FF:10_Industry_Portfolios_daily:HiTec``. The
  file's first table is read: for portfolio files, value-weighted returns.
  The file may be named as its zip is (``..._daily``) or as the CSV inside is
  (``..._Daily``): downloads and the cache use the zip's name.

Units: the library publishes daily returns **in percent** (0.09 = 0.09%).
As series (``load_series``) they stay in percent, like FRED rates; as price
tickers they become a total-return index, ``to_index``: ``100 * cumprod(1 + r/100)``.

The library serves ``<base>/<file>_CSV.zip``, each holding one CSV; set
``ROTSIM_FRENCH_URL`` to use a mirror.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass

import pandas as pd

from simulator.errors import DataError

from ..formats.csv_table import decode
from ..formats.parsers import parse_french
from .remote import Download, HttpRemote
from .transport import FetchError, require_data

FF_PREFIX = "FF:"
FACTORS = "F-F_Research_Data_Factors_daily"
# Known columns of the 3-factor file, so `missing` can answer without a download.
FACTOR_COLUMNS = ("Mkt-RF", "SMB", "HML", "RF", "Mkt")
FRENCH_URL = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp"
URL_ENV = "ROTSIM_FRENCH_URL"
# A file name goes into a URL and a cache path: letters, digits and _ . - only.
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# The zip is ..._daily_CSV.zip, the CSV inside it often ..._Daily.CSV; users know either.
_DAILY_SUFFIX = re.compile(r"_daily$", re.IGNORECASE)


@dataclass(frozen=True)
class FrenchId:
    """A Ken French column: ``file`` (the library's name for it) and ``column``."""

    file: str
    column: str


def is_french(key: str) -> bool:
    return key.startswith(FF_PREFIX)


def parse_id(key: str) -> FrenchId | None:
    """``FF:<column>`` or ``FF:<file>:<column>`` as a ``FrenchId``; None if malformed."""
    if not is_french(key):
        return None
    rest = key[len(FF_PREFIX) :]
    file, column = rest.split(":", 1) if ":" in rest else (FACTORS, rest)
    if not column.strip() or not _FILE_NAME.match(file):
        return None
    return FrenchId(file, column.strip())


def id_help() -> str:
    return (
        f"Ken French ids are {FF_PREFIX}<column> for the daily 3 factors ({', '.join(FACTOR_COLUMNS)}) "
        f"or {FF_PREFIX}<file>:<column>, e.g. {FF_PREFIX}10_Industry_Portfolios_daily:HiTec"
    )


def to_index(percent_returns: pd.Series) -> pd.Series:
    """A total-return index from daily returns in percent: ``100 * cumprod(1 + r / 100)``."""
    returns = percent_returns.dropna()
    return 100.0 * (1.0 + returns / 100.0).cumprod()


def library_name(file: str) -> str:
    """``file`` as the library names its zip: ``10_Industry_Portfolios_Daily`` -> ``10_Industry_Portfolios_daily``."""
    return _DAILY_SUFFIX.sub("_daily", file)


def french_url(file: str, base: str | None = None) -> str:
    return f"{(base or os.environ.get(URL_ENV) or FRENCH_URL).rstrip('/')}/{library_name(file)}_CSV.zip"


def unzip_csv(payload: bytes, url: str) -> tuple[str, str]:
    """Return ``(member name, text)`` of the one CSV in a zip; raise ``FetchError`` if it is not one."""
    require_data(payload, url)
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(members) != 1:
                listed = ", ".join(archive.namelist()) or "nothing"
                raise FetchError(f"expected one CSV file in the zip, found: {listed}", url)
            return members[0], decode(archive.read(members[0]))
    except (zipfile.BadZipFile, EOFError) as exc:
        # A cut download loses the zip's directory (at its end) or fails its CRC check.
        raise FetchError(f"not a valid zip archive ({exc}): truncated or corrupt download", url) from None


class FrenchRemote(HttpRemote):
    """Ken French daily files, fetched whole (the library revises history with each CRSP update)."""

    name = "french"

    def dataset(self, key: str) -> str:
        """The library's name for the file: its zip's, so both spellings share one download."""
        return library_name(_id(key).file)

    def column(self, key: str) -> str:
        return _id(key).column

    def download(self, dataset: str, start: pd.Timestamp | None = None) -> Download:
        """Fetch file ``dataset``'s first table; returns in percent, NaN where the library has -99.99."""
        url = french_url(dataset, self.base_url)
        member, text = unzip_csv(self.transport(url), url)
        return Download(parse_french(text, f"{url}!{member}"), url)


def _id(key: str) -> FrenchId:
    parsed = parse_id(key)
    if parsed is None:
        raise DataError(f"{key!r} is not a Ken French id; {id_help()}")
    return parsed
