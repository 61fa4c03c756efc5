"""HTTP fetching of feeds and pages: one client, conditional GET, bounded bodies, clear errors."""

from __future__ import annotations

import logging
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitroom.errors import InputError

if TYPE_CHECKING:
    import httpx

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_BYTES",
    "USER_AGENT",
    "Fetched",
    "Validators",
    "check_url",
    "fetch",
    "is_url",
    "open_client",
]

logger = logging.getLogger(__name__)

#: Seconds to connect, and between bytes read, before a source counts as down.
DEFAULT_TIMEOUT = 20.0
#: Largest body read: a feed or an article page is far smaller; anything bigger is a mistake.
MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "sitroom/0.1 (news feed reader)"
_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class Validators:
    """What the server said identifies this version of a resource, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        """The If-None-Match / If-Modified-Since headers that ask for a newer version only."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response worth reading: 200 with its body, or 304 (not modified) with none."""

    #: The URL the body came from, after redirects.
    url: str
    status: int
    body: bytes
    content_type: str | None
    validators: Validators

    @property
    def not_modified(self) -> bool:
        """Whether the server said the resource is unchanged since the validators we sent."""
        return self.status == 304


def is_url(value: str) -> bool:
    """Whether `value` is written as an http(s) URL rather than a path."""
    return urllib.parse.urlsplit(value).scheme.lower() in _SCHEMES


def check_url(value: str) -> str:
    """`value` if it is an http(s) URL with a host; InputError saying what is wrong if not."""
    parts = urllib.parse.urlsplit(value)
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        raise InputError(
            f"{value}: not an http(s) URL with a host; write it like https://example.org/feed.xml"
        )
    return value


def open_client(*, timeout: float = DEFAULT_TIMEOUT) -> httpx.Client:
    """An HTTP client for sources: redirects followed, a timeout, sitroom's User-Agent."""
    import httpx

    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
    )


def fetch(
    url: str,
    *,
    client: httpx.Client,
    validators: Validators | None = None,
    max_bytes: int = MAX_BYTES,
) -> Fetched:
    """GET `url`, conditionally when `validators` are given; InputError if it cannot be had."""
    import httpx

    sent = validators or Validators()
    try:
        with client.stream("GET", url, headers=sent.request_headers()) as response:
            if response.status_code == 304:
                return _fetched(response, body=b"", previous=sent)
            _check_status(url, response)
            body = _read_body(url, response, max_bytes=max_bytes)
            return _fetched(response, body=body, previous=Validators())
    except httpx.TimeoutException:
        raise InputError(
            f"{url}: no answer within the timeout; the server may be down, try again later"
        ) from None
    except httpx.HTTPError as exc:
        # Connection refused, DNS failure, broken TLS, a malformed response: all mean "down".
        raise InputError(
            f"{url}: cannot fetch ({type(exc).__name__}: {exc}); "
            f"check the address or try again later"
        ) from None


def _check_status(url: str, response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    advice = "check the address" if 400 <= status < 500 else "try again later"
    raise InputError(
        f"{url}: the server answered {status} {response.reason_phrase or ''}".rstrip()
        + f"; {advice}"
    )


def _read_body(url: str, response: httpx.Response, *, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(
                f"{url}: the response is larger than {max_bytes:,} bytes; "
                f"point at a feed or a single article page"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _fetched(response: httpx.Response, *, body: bytes, previous: Validators) -> Fetched:
    # A 304 may omit the validators; the ones we sent still describe what we hold.
    validators = Validators(
        etag=response.headers.get("ETag") or previous.etag,
        last_modified=response.headers.get("Last-Modified") or previous.last_modified,
    )
    return Fetched(
        url=str(response.url),
        status=response.status_code,
        body=body,
        content_type=response.headers.get("Content-Type"),
        validators=validators,
    )
