"""HTTP fetching against a local server: bodies, validators, 304s, and servers that fail."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from feed_server import FeedServer, Reply

from sitroom.errors import InputError
from sitroom.sources.fetch import USER_AGENT, Validators, check_url, fetch, is_url, open_client

FEED = b'<rss version="2.0"><channel><title>T</title></channel></rss>'
STAMP = "Tue, 05 Mar 2024 10:00:00 GMT"


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with open_client(timeout=5) as opened:
        yield opened


def test_a_200_gives_the_body_content_type_and_validators(
    feed_server: FeedServer, client: httpx.Client
) -> None:
    url = feed_server.serve("/rss", Reply(FEED, etag='"v1"', last_modified=STAMP))
    fetched = fetch(url, client=client)
    assert (fetched.status, fetched.body, fetched.url) == (200, FEED, url)
    assert fetched.content_type == "application/rss+xml; charset=utf-8"
    assert fetched.validators == Validators('"v1"', STAMP)
    assert not fetched.not_modified


@pytest.mark.parametrize(
    "sent", [Validators(etag='"v1"'), Validators(last_modified=STAMP)], ids=["etag", "date"]
)
def test_matching_validators_get_a_304_and_keep_them(
    feed_server: FeedServer, client: httpx.Client, sent: Validators
) -> None:
    url = feed_server.serve("/rss", Reply(FEED, etag='"v1"', last_modified=STAMP))
    fetched = fetch(url, client=client, validators=sent)
    assert fetched.not_modified and fetched.body == b""
    assert fetched.validators == sent
    assert feed_server.not_modified["/rss"] == 1


def test_stale_validators_get_the_new_version(
    feed_server: FeedServer, client: httpx.Client
) -> None:
    url = feed_server.serve("/rss", Reply(FEED, etag='"v2"'))
    fetched = fetch(url, client=client, validators=Validators(etag='"v1"'))
    assert (fetched.status, fetched.validators.etag) == (200, '"v2"')


@pytest.mark.parametrize(
    ("status", "advice"), [(500, "try again later"), (503, "try again later"), (404, "address")]
)
def test_an_error_status_is_an_input_error_naming_url_and_status(
    feed_server: FeedServer, client: httpx.Client, status: int, advice: str
) -> None:
    url = feed_server.serve("/rss", Reply(b"oops", status=status))
    with pytest.raises(InputError, match=rf"^{url}: the server answered {status} .*{advice}"):
        fetch(url, client=client)


def test_a_server_that_is_down_is_an_input_error(dead_url: str, client: httpx.Client) -> None:
    with pytest.raises(InputError, match=rf"^{dead_url}: cannot fetch \(ConnectError"):
        fetch(dead_url, client=client)


def test_a_body_over_the_limit_is_refused(feed_server: FeedServer, client: httpx.Client) -> None:
    url = feed_server.serve("/big", Reply(b"x" * 5000))
    with pytest.raises(InputError, match="larger than 1,000 bytes"):
        fetch(url, client=client, max_bytes=1000)


def test_the_client_names_itself(feed_server: FeedServer, client: httpx.Client) -> None:
    assert client.headers["User-Agent"] == USER_AGENT


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("https://example.org/feed.xml", True),
        ("HTTP://example.org", True),
        ("feed.xml", False),
        ("/tmp/feed.xml", False),
        ("ftp://example.org/feed.xml", False),
        ("-", False),
    ],
)
def test_is_url(value: str, url: bool) -> None:
    assert is_url(value) is url


@pytest.mark.parametrize("value", ["https://", "http:///path", "ftp://example.org/", "feed.xml"])
def test_check_url_refuses_what_cannot_be_fetched(value: str) -> None:
    with pytest.raises(InputError, match="not an http\\(s\\) URL with a host"):
        check_url(value)
