"""Fixtures: a local HTTP server for feeds and pages, and an address where nothing listens."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from feed_server import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running FeedServer, stopped after the test."""
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def dead_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"
