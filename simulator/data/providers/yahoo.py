"""Adjusted daily closes from Yahoo Finance, through yfinance (the optional extra ``rotsim[yahoo]``).

yfinance is imported only when a download is made, so rotsim runs without it
on folders and caches. Its table is written out as CSV and read back by the
same parser as a saved Yahoo file: one set of rules for columns (``Adj Close``
preferred), dates and bad rows, whichever way the prices arrived.

yfinance reports failures (unknown ticker, no network) in its log rather than
by raising, so the log is captured for the duration of the call and turned
into one short reason: the first network error if there is one (the rest,
"possibly delisted; no timezone found" and the same curl error again, follow
from it), else every distinct message. Whatever else it or its HTTP library
writes to stderr or warns is dropped: a failure is one line of rotsim's.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import logging
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from types import ModuleType

import pandas as pd

from ..formats.parsers import parse_prices
from .remote import Download
from .transport import FetchError

COLUMN = "adj_close"
INSTALL_HINT = "the yahoo source needs yfinance: pip install 'rotsim[yahoo]'"
TIMEOUT_SECONDS = 30
# Words in yfinance's error log that mean the network, not the ticker, failed.
_OFFLINE_WORDS = ("resolve", "connect", "timed out", "timeout", "network", "unreachable")


class YahooRemote:
    """Yahoo prices by ticker (``SPY``, ``^RUT``); updated incrementally."""

    name = "yahoo"
    prices = True
    incremental = True

    def dataset(self, key: str) -> str:
        return key

    def column(self, key: str) -> str:
        return COLUMN

    def unavailable(self) -> str | None:
        if sys.modules.get("yfinance") is not None:
            return None
        try:
            found = importlib.util.find_spec("yfinance") is not None
        except (ImportError, ValueError):
            found = False
        return None if found else INSTALL_HINT

    def download(self, dataset: str, start: pd.Timestamp | None = None) -> Download:
        """Fetch ``dataset``'s daily adjusted closes (from ``start`` on, else all history)."""
        origin = f"yfinance:{dataset}"
        yf = _yfinance(origin)
        window = {"start": start.strftime("%Y-%m-%d")} if start is not None else {"period": "max"}
        with _captured_log() as errors, _quiet():
            try:
                frame = yf.download(
                    dataset,
                    **window,
                    interval="1d",
                    auto_adjust=False,  # keep both Close and Adj Close; we take Adj Close
                    actions=False,
                    progress=False,
                    threads=False,
                    multi_level_index=False,
                    timeout=TIMEOUT_SECONDS,
                )
            except Exception as exc:  # noqa: BLE001 - yfinance raises its own and its HTTP library's errors
                raise FetchError(f"Yahoo download failed: {type(exc).__name__}: {exc}", origin) from None
        if frame is None or frame.empty:
            network = [e for e in errors if any(word in e.lower() for word in _OFFLINE_WORDS)]
            if network:
                raise FetchError(f"cannot reach Yahoo: {network[0]} (offline?)", origin, unreachable=True)
            reason = "; ".join(errors) or "no rows"
            hint = " (is the ticker right? Yahoo writes indices with ^, e.g. ^RUT)"
            raise FetchError(f"no prices from Yahoo: {reason}{hint}", origin)
        prices = parse_prices(_single_level(frame).to_csv(index_label="Date"), origin)
        return Download(prices.closes.to_frame(COLUMN), origin, prices.adjusted)


def _yfinance(origin: str) -> ModuleType:
    try:
        return importlib.import_module("yfinance")
    except ImportError:
        raise FetchError(INSTALL_HINT, origin) from None


def _single_level(frame: pd.DataFrame) -> pd.DataFrame:
    """yfinance labels columns (Price, Ticker) for some calls and versions; keep the price level."""
    if isinstance(frame.columns, pd.MultiIndex):
        for level in range(frame.columns.nlevels):
            names = frame.columns.get_level_values(level)
            if any(str(n).lower() in ("close", "adj close") for n in names):
                return frame.set_axis(names, axis=1)
    return frame


class _ListHandler(logging.Handler):
    """Keeps each distinct error yfinance logs, without the ticker it names (the caller's message does)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().strip()
        if "failed download" in text.lower():
            return  # "1 Failed download:", a heading for the lines that follow
        for pattern in _NOISE:
            text = pattern.sub("", text).strip()
        if text and text not in self.messages:
            self.messages.append(text)


# What yfinance wraps around a reason: "['SPY']: ", "$SPY: ", "Failed to get ticker 'SPY' reason: ",
# "Failed to perform, " and curl's pointer to its manual.
_NOISE = (
    re.compile(r"^\[[^\]]*\]:\s*"),
    re.compile(r"^\$\S+:\s*"),
    re.compile(r"^Failed to get ticker '[^']*' reason:\s*"),
    re.compile(r"^Failed to perform,\s*"),
    re.compile(r"\.?\s*See https?://curl\.se/\S+ first for more details\.?$"),
)


@contextmanager
def _captured_log() -> Iterator[list[str]]:
    """Collect yfinance's error log instead of letting it print over rotsim's output."""
    logger = logging.getLogger("yfinance")
    messages: list[str] = []
    handler = _ListHandler(messages)
    saved = logger.handlers[:], logger.propagate
    logger.handlers = [handler]
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.handlers, logger.propagate = saved


@contextmanager
def _quiet() -> Iterator[None]:
    """Drop what yfinance and its HTTP libraries print to stderr or warn during a download.

    Their other loggers (with no handler of their own) end on stderr too, through
    logging's last-resort handler, which writes to whatever ``sys.stderr`` is then.
    """
    with redirect_stderr(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
