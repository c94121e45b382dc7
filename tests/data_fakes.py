"""Stand-ins for the network: a transport serving real-format payloads, and a fake yfinance.

Payloads are the real Yahoo, FRED and Ken French files in ../shared/data, read
in place (zips are built in memory from them); nothing is copied into the repo.
"""

from __future__ import annotations

import io
import logging
import types
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from simulator.data.fred import fred_url
from simulator.data.french import FACTORS, french_url
from simulator.data.layouts import read_price_csv
from simulator.data.transport import FetchError

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FF_NEW = SHARED / "ff_F-F_Research_Data_Factors_daily.csv"
FF_CLASSIC = SHARED / "ff_F-F_Research_Data_Factors_daily_classic_202503.csv"

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


def fred_payload(series_id: str) -> bytes:
    return (SHARED / f"fred_{series_id}.csv").read_bytes()


def zip_of(text: bytes, member: str = "F-F_Research_Data_Factors_daily.CSV") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def real_transport(fred_ids: tuple[str, ...] = ("DTB3",), factors: Path = FF_NEW) -> FakeTransport:
    """FRED series and the Ken French 3-factor zip, as the real servers send them."""
    responses: dict[str, Response] = {fred_url(i): fred_payload(i) for i in fred_ids}
    responses[french_url(FACTORS)] = zip_of(factors.read_bytes())
    return FakeTransport(responses)


def shared_prices(ticker: str) -> pd.Series:
    name = f"index_{ticker[1:]}.csv" if ticker.startswith("^") else f"etf_{ticker}.csv"
    return read_price_csv(SHARED / name)


class FakeYfinance(types.ModuleType):
    """``yfinance.download`` for one ticker, answered from ``prices`` (default: the shared files).

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
            logging.getLogger("yfinance").error("['%s']: YFTzMissingError('possibly delisted; no timezone found')", tickers)
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
            return shared_prices(ticker)
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
