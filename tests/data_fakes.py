"""Stand-ins for the network and for the real data: files in the real layouts, with made-up numbers.

``layout_folder()`` writes, once per process, a folder laid out like
../shared/data (Yahoo ETF and index files, FRED series, the Ken French
3-factor file in its current and classic layouts) holding rotsim's synthetic
market and made-up factors: nothing in it is, or is derived from, real data.
A transport serves FRED and Ken French payloads from it (zips built in
memory), and a fake yfinance serves its prices. Tests that need the real
numbers use the ``shared_data`` fixture instead (conftest.py).
"""

from __future__ import annotations

import atexit
import functools
import io
import logging
import shutil
import tempfile
import types
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.data.formats.parsers import read_price_csv
from simulator.data.providers.fred import fred_url
from simulator.data.providers.french import FACTORS, french_url
from simulator.data.providers.transport import FetchError

# File names as in ../shared/data.
FF_NEW = "ff_F-F_Research_Data_Factors_daily.csv"
FF_CLASSIC = "ff_F-F_Research_Data_Factors_daily_classic_202503.csv"
ETFS = ("SPY", "IWM", "QQQ", "XLE")
INDICES = ("^RUT",)
FRED = ("DTB3", "DGS2", "EFFR")
SPAN = ("1999-01-04", "2026-07-31")  # the prices' first and last days
CLASSIC_END = "2025-03-31"  # the classic file stopped earlier, as the real one did
STUCK = "2003-03-03"  # IWM's price stands still from here for 8 days: a stale run the checks warn about

Response = bytes | Exception | Callable[[], bytes]


class FakeTransport:
    """Answers URLs from a table; an unknown URL is a 404. ``calls`` lists every URL asked for."""

    def __init__(self, responses: dict[str, Response] | None = None) -> None:
        self.responses: dict[str, Response] = dict(responses or {})
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        response = self.responses.get(url)
        if response is None:
            raise FetchError("HTTP 404 Not Found", url)
        if isinstance(response, Exception):
            raise response
        return response() if callable(response) else response


# --- the folder in the real layouts -------------------------------------------------


def _fred_text(series_id: str, values: pd.Series) -> str:
    # FRED's CSV: a row for every weekday, empty where there is no observation (holidays).
    days = pd.bdate_range(values.index[0], values.index[-1])
    cells = values.reindex(days).map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    return f"observation_date,{series_id}\n" + "".join(f"{d:%Y-%m-%d},{c}\n" for d, c in zip(days, cells))


def _index_text(closes: pd.Series) -> str:
    opens = closes.shift(1).fillna(closes)
    high, low = np.maximum(opens, closes) * 1.002, np.minimum(opens, closes) * 0.998
    rows = zip(closes.index, opens, high, low, closes)
    return "date,open,high,low,close,volume\n" + "".join(
        f"{d:%Y-%m-%d},{o:.4f},{h:.4f},{lo:.4f},{c:.4f},{1_000_000 + i}\n" for i, (d, o, h, lo, c) in enumerate(rows)
    )


def _french_text(factors: pd.DataFrame, classic: bool) -> str:
    # Three lines of notes, a blank line, the header, rows of 8-wide fields, a blank line, a copyright
    # line. The classic file has no "Date" in its header, dates as YYYYMMDD and RF to 3 decimals.
    header = ",Mkt-RF,SMB,HML,RF" if classic else "Date,Mkt-RF,SMB,HML,RF"
    day, rf = ("%Y%m%d", "{:8.3f}") if classic else ("%Y-%m-%d", "{:8.2f}")
    rows = "".join(
        f"{d.strftime(day)},{m:8.2f},{s:8.2f},{h:8.2f},{rf.format(r)}\n" for d, m, s, h, r in factors.itertuples()
    )
    notes = (
        "This file was made up by rotsim's tests in the layout of the Ken French data library.\n"
        "Its numbers are random, not history.\n"
        "The layout: percent returns per day.\n"
    )
    return f"{notes}\n{header}\n{rows}\nCopyright: none, made-up numbers\n"


def write_layouts(folder: Path, seed: int = 11) -> Path:
    """Write the synthetic market (``seed``) and made-up factors into ``folder`` in the real files' layouts."""
    from simulator.data.calendar import nyse_sessions
    from simulator.data.sources.sample import SampleSource

    sample = SampleSource(seed=seed, start=SPAN[0], end=SPAN[1])
    # On the NYSE's trading days, as the real files are (the synthetic market keeps its own holidays).
    sessions = nyse_sessions()
    sessions = sessions[(sessions >= SPAN[0]) & (sessions <= SPAN[1])].rename("date")
    prices = {t: p.reindex(sessions).ffill() for t, p in sample.load_prices([*ETFS, *INDICES]).items()}
    # Something for the data checks to find: IWM's price stuck for 8 days in March 2003.
    stuck = prices["IWM"].index[prices["IWM"].index >= STUCK][:8]
    prices["IWM"][stuck] = prices["IWM"][stuck[0]]
    for ticker in ETFS:
        body = "".join(f"{d:%Y-%m-%d},{p:.6f}\n" for d, p in prices[ticker].items())
        (folder / f"etf_{ticker}.csv").write_text("date,adj_close\n" + body)
    for ticker in INDICES:
        (folder / f"index_{ticker[1:]}.csv").write_text(_index_text(prices[ticker]))
    for series_id, values in sample.load_series(FRED).items():
        (folder / f"fred_{series_id}.csv").write_text(_fred_text(series_id, values))
    days = prices["SPY"].index
    rng = np.random.default_rng(seed)
    factors = pd.DataFrame(
        {
            "Mkt-RF": rng.normal(0.03, 1.1, len(days)).round(2),
            "SMB": rng.normal(0.0, 0.5, len(days)).round(2),
            "HML": rng.normal(0.0, 0.5, len(days)).round(2),
            "RF": rng.uniform(0.0, 0.025, len(days)).round(3),
        },
        index=days,
    )
    (folder / FF_CLASSIC).write_text(_french_text(factors.loc[:CLASSIC_END], classic=True))
    (folder / FF_NEW).write_text(_french_text(factors.assign(RF=factors["RF"].round(2)), classic=False))
    return folder


@functools.cache
def layout_folder() -> Path:
    """The folder of real-layout files with made-up numbers (written on first use, removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="rotsim-layouts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return write_layouts(folder)


def fred_payload(series_id: str) -> bytes:
    return (layout_folder() / f"fred_{series_id}.csv").read_bytes()


def french_payload(name: str = FF_NEW) -> bytes:
    """The Ken French factors file ``name`` (FF_NEW or FF_CLASSIC), as the zip's CSV member holds it."""
    return (layout_folder() / name).read_bytes()


def zip_of(text: bytes, member: str = "F-F_Research_Data_Factors_daily.CSV") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def real_transport(fred_ids: tuple[str, ...] = ("DTB3",), factors: str = FF_NEW) -> FakeTransport:
    """FRED series and the Ken French 3-factor zip in the layouts the real servers send."""
    responses: dict[str, Response] = {fred_url(i): fred_payload(i) for i in fred_ids}
    responses[french_url(FACTORS)] = _factors_zip(factors)
    return FakeTransport(responses)


@functools.cache
def _factors_zip(name: str) -> bytes:
    """``zip_of(french_payload(name))``, made once a process: compressing its third of a megabyte took
    13 ms, for every transport (test_auto_source makes two dozen, most never asked for the zip)."""
    return zip_of(french_payload(name))


def layout_prices(ticker: str) -> pd.Series:
    name = f"index_{ticker[1:]}.csv" if ticker.startswith("^") else f"etf_{ticker}.csv"
    return read_price_csv(layout_folder() / name)


class FakeYfinance(types.ModuleType):
    """``yfinance.download`` for one ticker, answered from ``prices`` (default: the layout folder's files).

    Like the real one it returns a frame with ``Adj Close`` and ``Close``
    columns under a ``Date`` index, and for an unknown ticker an empty frame
    plus an error in the ``yfinance`` log. ``calls`` records ``(ticker, start)``.
    """

    def __init__(self, prices: dict[str, pd.Series] | None = None) -> None:
        super().__init__("yfinance")
        self.prices = prices
        self.calls: list[tuple[str, str | None]] = []

    def download(self, tickers: str, start: str | None = None, period: str | None = None, **_: object) -> pd.DataFrame:
        self.calls.append((tickers, start))
        series = self._series(tickers)
        if series is None:
            logging.getLogger("yfinance").error(
                "['%s']: YFTzMissingError('possibly delisted; no timezone found')", tickers
            )
            return pd.DataFrame()
        if start is not None:
            series = series[series.index >= pd.Timestamp(start)]
        frame = pd.DataFrame({"Adj Close": series, "Close": series * 1.01, "Volume": 1000})
        frame.index.name = "Date"
        return frame

    def _series(self, ticker: str) -> pd.Series | None:
        if self.prices is not None:
            return self.prices.get(ticker)
        try:
            return layout_prices(ticker)
        except Exception:  # noqa: BLE001 - no such file: an unknown ticker
            return None


class LocalServer:
    """An HTTP server on 127.0.0.1 answering paths from ``routes``: path -> (status, body[, headers]).

    ``routes`` may be changed while it runs. A route with header
    ``Content-Length`` larger than its body imitates a connection cut mid-way.
    """

    def __init__(self) -> None:
        import http.server
        import threading

        self.routes: dict[str, tuple] = {}
        routes = self.routes

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                status, body, *extra = routes.get(self.path, (404, b"<html><title>Not Found</title></html>"))
                headers = {"Content-Length": str(len(body)), **(extra[0] if extra else {})}
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing"


def half_and_half_config(name: str, start: str, end: str) -> str:
    """A config of one book, half SPY and half IWM, cash earning the rate, on a CSV folder from ``start`` to ``end``."""
    return f"""\
name: {name}
data:
  source: csv
  start: {start}
  end: {end}
universe:
  large_cap: SPY
  small_cap: IWM
benchmark: SPY
engine:
  cash_earns: risk_free
strategies:
  - name: static_weights
    params: {{weights: {{large_cap: 0.5, small_cap: 0.5}}}}
report:
  tearsheets: false
"""


def all_in_spy_config(name: str, data: str, universe: str = "large_cap: SPY") -> str:
    """A config of one book all in SPY from 2020-01-02 that needs no series (no cash rate, Sharpe over 0).

    ``data`` is the rest of the data section (``source: auto, cache_dir: x``); ``universe`` its roles.
    """
    return f"""\
name: {name}
data: {{start: 2020-01-02, {data}}}
universe: {{{universe}}}
benchmark: SPY
engine: {{cash_earns: nothing}}
strategies:
  - name: static_weights
    params: {{weights: {{large_cap: 1.0}}}}
report: {{tearsheets: false, risk_free: zero}}
"""
