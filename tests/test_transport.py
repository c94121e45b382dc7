"""http_get against a local server on 127.0.0.1, and the payload checks every download passes."""

from __future__ import annotations

import pytest

from simulator.data.providers.transport import FetchError, http_get, require_data
from simulator.errors import DataError, UserError

from data_fakes import LocalServer, closed_port_url


@pytest.fixture(scope="module")
def server():  # noqa: ANN201
    with LocalServer() as s:
        s.routes.update(
            {
                "/ok": (200, b"observation_date,DGS2\n2020-01-02,1.58\n"),
                "/missing": (404, b"<html><title>Not Found</title></html>"),
                "/broken": (500, b"oops"),
                "/cut": (200, b"observation_date,DGS2\n2020-01-0", {"Content-Length": "5000"}),
            }
        )
        yield s


def test_body_is_returned_as_bytes(server: LocalServer) -> None:
    assert http_get(f"{server.url}/ok") == b"observation_date,DGS2\n2020-01-02,1.58\n"


@pytest.mark.parametrize(("path", "status"), [("/missing", "HTTP 404 Not Found"), ("/broken", "HTTP 500")])
def test_http_errors_name_status_and_url(server: LocalServer, path: str, status: str) -> None:
    with pytest.raises(FetchError) as info:
        http_get(server.url + path)
    assert str(info.value).startswith(f"{server.url}{path}: {status}")
    assert not info.value.unreachable
    assert isinstance(info.value, DataError) and isinstance(info.value, UserError)  # exit code 2, no traceback


def test_a_cut_connection_is_an_error_not_a_short_file(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"download cut short: got 31 of 5000 bytes"):
        http_get(f"{server.url}/cut")


def test_unreachable_host_says_offline_and_is_flagged() -> None:
    url = closed_port_url()
    with pytest.raises(FetchError, match=r"cannot reach 127\.0\.0\.1: .*refused.*\(offline\?\)") as info:
        http_get(url)
    assert info.value.unreachable and info.value.where == url


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "the server sent an empty response"),
        (b"  \n\n", "the server sent an empty response"),
        (b"<!DOCTYPE html><html><head><title>Series Not Found</title>", "an HTML page titled 'Series Not Found'"),
        (b"\n<html><body>Error</body></html>", "an HTML page, not data"),
    ],
)
def test_empty_and_html_payloads_are_rejected(payload: bytes, message: str) -> None:
    with pytest.raises(FetchError, match=message) as info:
        require_data(payload, "https://example.test/x")
    assert info.value.where == "https://example.test/x"


def test_csv_payload_passes() -> None:
    assert require_data(b"a,b\n1,2\n", "u") == b"a,b\n1,2\n"
