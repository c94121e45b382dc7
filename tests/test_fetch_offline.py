"""`rotsim data fetch` with no network: one line per item, in its own name, and nothing else on the terminal.

yfinance offline is imitated as it behaves: it does not raise, it logs the
curl error (twice), "possibly delisted", a "Failed download" summary, warns
through its HTTP library's logger and the warnings module, and prints a
traceback to stderr, then returns an empty frame. FRED and Ken French go
through a transport that cannot resolve any host. Nothing touches the network.
"""

from __future__ import annotations

import logging
import sys
import types
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from simulator.cli import main
from simulator.data.providers import transport
from simulator.data.providers.transport import FetchError

CURL = "curl: (6) Could not resolve host: query2.finance.yahoo.com"
CONFIG = """\
name: offline_fetch
data: {source: auto, start: 2020-01-02, end: 2020-12-31}
universe: {large_cap: SPY, small_cap: IWM, small_cap_index: ^RUT}
benchmark: SPY
engine: {cash_earns: risk_free}
strategies:
  - name: static_weights
    params: {weights: {large_cap: 1.0}}
report: {tearsheets: false}
"""


class OfflineYfinance(types.ModuleType):
    def __init__(self) -> None:
        super().__init__("yfinance")
        self.calls: list[str] = []

    def download(self, ticker: str, **_: object) -> pd.DataFrame:
        self.calls.append(ticker)
        log = logging.getLogger("yfinance")
        for _attempt in range(2):
            log.error(
                f"Failed to get ticker '{ticker}' reason: Failed to perform, {CURL}. "
                "See https://curl.se/libcurl/c/libcurl-errors.html first for more details."
            )
        log.error(f"${ticker}: possibly delisted; no timezone found")
        logging.getLogger("yfinance.data").warning("retrying with query1")
        logging.getLogger("curl_cffi").warning("DNS lookup failed")  # no handler: logging's last resort, stderr
        warnings.warn("session closed with pending requests", UserWarning, stacklevel=1)
        print(
            f"Traceback (most recent call last):\n  ...\ncurl_cffi.requests.exceptions.DNSError: {CURL}",
            file=sys.stderr,
        )
        log.error("\n1 Failed download:")
        log.error(f"['{ticker}']: YFTzMissingError('possibly delisted; no timezone found')")
        return pd.DataFrame()


def no_network(url: str) -> bytes:
    host = urlsplit(url).hostname
    raise FetchError(f"cannot reach {host}: Temporary failure in name resolution (offline?)", url, unreachable=True)


def test_offline_fetch_says_one_line_per_item_in_its_own_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ROTSIM_OFFLINE", raising=False)
    monkeypatch.setenv("COLUMNS", "1000")
    monkeypatch.setenv("ROTSIM_DISABLE_PLUGINS", "*")  # what installed plugins say is not this test's business
    monkeypatch.setattr(transport, "http_get", no_network)
    yf = OfflineYfinance()
    monkeypatch.setitem(sys.modules, "yfinance", yf)
    config = tmp_path / "off.yaml"
    config.write_text(CONFIG)

    code = main(["data", "fetch", str(config), "--cache-dir", str(tmp_path / "cache")])
    out, err = capfd.readouterr()
    assert code == 2
    assert yf.calls == ["SPY"]  # the first failure showed Yahoo is unreachable: no more tries
    failed = [line.strip() for line in err.splitlines() if line.startswith("  ")]
    tickers = ["SPY", "IWM", "^RUT"]
    yahoo = [line for line in failed if " (yahoo): " in line]
    assert [line.split(" (yahoo): ")[0] for line in yahoo] == tickers
    for ticker, line in zip(tickers, yahoo, strict=True):
        assert line.count(CURL) == 1, line
        others = [t for t in tickers if t != ticker]
        assert not [t for t in others if t in line.split(" (yahoo): ", 1)[1]], line  # no other item's name
    assert yahoo[1] == f"IWM (yahoo): cannot reach Yahoo: {CURL} (offline?)"
    assert [line.split(" (")[0] for line in failed if " (yahoo): " not in line] == ["FF:RF", "DTB3"]
    dtb3 = next(line for line in failed if line.startswith("DTB3"))
    assert "fred.stlouisfed.org: Temporary failure in name resolution" in dtb3
    assert "F-F_Research" not in dtb3  # Ken French's URL failed first; DTB3's line is its own
    everything = out + err
    for noise in (
        "Traceback",
        "possibly delisted",
        "YFTzMissingError",
        "Failed download",
        "DNS lookup failed",
        "pending requests",
        "retrying",
        "curl.se",
    ):
        assert noise not in everything, noise
