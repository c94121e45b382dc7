"""HTTP for downloads: one small function that takes a URL and returns the body's bytes.

Everything rotsim downloads over HTTP (FRED, Ken French) goes through a
``Transport``, so tests hand the sources a fake one, and no test touches the
network. ``http_get`` is the real one (standard library only). Failures raise
``FetchError`` with the URL and what went wrong in words a user can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

from simulator.errors import DataError

Transport = Callable[[str], bytes]

TIMEOUT_SECONDS = 60.0
# Some servers refuse Python's default agent string; say who is asking.
USER_AGENT = "rotsim (portfolio rotation simulator; python urllib)"


class FetchError(DataError):
    """A download that failed; ``where`` is the URL.

    ``unreachable`` is True when the host could not be reached at all (no
    network, DNS failure, timeout): trying more files from it is pointless.
    """

    def __init__(self, message: str, where: str | None = None, *, unreachable: bool = False) -> None:
        super().__init__(message, where)
        self.unreachable = unreachable


def http_get(url: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Return the body of a GET of ``url``; raise ``FetchError`` on any failure.

    A body shorter than the server announced (a cut connection) is a failure,
    not a short file.
    """
    # imported here: urllib.request and http.client take a twentieth of a second, and most runs download nothing
    import http.client
    from urllib.error import HTTPError, URLError
    from urllib.request import Request, urlopen

    host = urlsplit(url).hostname or url
    request = Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - the URL is ours or the user's mirror
            return cast(bytes, response.read())  # urlopen is typed Any
    except HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}", url) from None
    except http.client.IncompleteRead as exc:
        expected = f" of {len(exc.partial) + exc.expected}" if exc.expected else ""
        raise FetchError(f"download cut short: got {len(exc.partial)}{expected} bytes", url) from None
    except URLError as exc:
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) and exc.reason.strerror else exc.reason
        raise FetchError(f"cannot reach {host}: {reason} (offline?)", url, unreachable=True) from None
    except TimeoutError:
        raise FetchError(f"no answer from {host} within {timeout:g} s", url, unreachable=True) from None
    except (http.client.HTTPException, OSError) as exc:
        raise FetchError(f"download failed: {type(exc).__name__}: {exc}", url) from None


def require_data(payload: bytes, url: str) -> bytes:
    """Return ``payload`` if it can be data; raise ``FetchError`` if it is empty or an HTML page.

    Servers answer a bad request with a "200 OK" error page as often as with
    an error status; parsing that page as CSV would give a baffling message.
    """
    if not payload.strip():
        raise FetchError("the server sent an empty response", url)
    head = payload[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        match = re.search(rb"<title[^>]*>(.*?)</title>", payload[:8192], re.IGNORECASE | re.DOTALL)
        title = f" titled {match.group(1).decode('utf-8', 'replace').strip()!r}" if match else ""
        raise FetchError(f"the server sent an HTML page{title}, not data (wrong id or name?)", url)
    return payload
