"""FRED series by id, through FRED's public CSV download (no API key).

``https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS2`` answers with the
same ``observation_date,DGS2`` layout as a saved ``fred_DGS2.csv``, so it is
parsed by the same parser. Set ``ROTSIM_FRED_URL`` to use a mirror.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pandas as pd

from ..formats.csv_table import decode
from ..formats.parsers import parse_fred
from .remote import Download, HttpRemote
from .transport import require_data

FRED_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
URL_ENV = "ROTSIM_FRED_URL"
COLUMN = "value"


def fred_url(series_id: str, base: str | None = None) -> str:
    return f"{base or os.environ.get(URL_ENV) or FRED_URL}?id={quote(series_id, safe='')}"


class FredRemote(HttpRemote):
    """FRED series, fetched whole (they are small, and past values can be revised)."""

    name = "fred"

    def dataset(self, key: str) -> str:
        return key

    def column(self, key: str) -> str:
        return COLUMN

    def download(self, dataset: str, start: pd.Timestamp | None = None) -> Download:
        """Fetch series ``dataset``; values in published units, NaN where FRED has none."""
        url = fred_url(dataset, self.base_url)
        text = decode(require_data(self.transport(url), url))
        values = parse_fred(text, url, dataset)
        return Download(values.to_frame(COLUMN), url)
