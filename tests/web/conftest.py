"""Fixtures for the web tests: stores of our own example articles, a live server, a browser."""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import sitroom
from sitroom.engine import ingest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token-0123456789"
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """The system's Chromium (Debian's `chromium` package), if installed."""
    return next((path for path in map(shutil.which, CHROMIUM) if path), None)


def make_store(path: Path, *inputs: Path) -> Path:
    """A store at `path` holding the articles of `inputs`."""
    with sitroom.open_store(path) as store:
        ingest(inputs, store=store)
    return path


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the repository's own example articles (examples/)."""
    return make_store(tmp_path_factory.mktemp("web") / "examples.db", ROOT / "examples")


@contextmanager
def running(db: Path, *, token: str | None = None) -> Iterator[str]:
    """`sitroom serve` on 127.0.0.1 with an ephemeral port, in a thread; its base URL."""
    import uvicorn

    from sitroom.web.app import create_app

    config = uvicorn.Config(
        create_app(str(db), token=token), host="127.0.0.1", port=0, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def run_async(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to its end on a thread of its own: the browser tests leave an event
    loop running on the main thread (Playwright's), where `asyncio.run` refuses to start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="session")
def run() -> Any:
    """`run(coroutine)`: its result, run on a thread of its own (see `run_async`)."""
    return run_async


@pytest.fixture(scope="session")
def serve() -> Any:
    """`serve(db, token=None)`: a context manager running a server over `db`; its base URL."""
    return running


@pytest.fixture(scope="session")
def new_store() -> Any:
    """`new_store(path, *inputs)`: a store at `path` holding the articles of `inputs`."""
    return make_store


@pytest.fixture(scope="session")
def token() -> str:
    """The write token the writable test servers are started with."""
    return TOKEN


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests save screenshots: $SITROOM_ARTIFACTS, else a pytest temp folder."""
    given = os.environ.get("SITROOM_ARTIFACTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system, driven by Playwright (no browser download)."""
    executable = find_chromium()
    if executable is None:
        pytest.skip("no chromium on PATH: apt-get install chromium (CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()
