"""`sitroom watch`: conditional GET, only new items stored, per-feed backoff, bad feeds survived.

Feeds are served from 127.0.0.1 by `tests/sources/feed_server.py`; the clock is a fake one whose
sleep returns at once, so backoff schedules are checked without waiting.
"""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitroom.model import Article, Extraction
from sitroom.sources.fetch import Validators
from sitroom.store import Store, open_store
from sitroom.watch import (
    PollResult,
    WatchSettings,
    backoff_delay,
    load_state,
    state_path_for,
    watch,
    watch_feeds,
)
from sources.feed_server import FeedServer, Reply

DATA = Path(__file__).parent / "sources" / "data"
SETTINGS = WatchSettings(interval=10.0, max_backoff=35.0, timeout=5.0)
ITEMS = {
    "k1": ("Shelling in Kharkiv", "Shelling struck a market in Kharkiv, killing seven people."),
    "k2": ("Floods in Beledweyne", "Floods cut the roads around Beledweyne on Sunday."),
    "k3": ("Cholera in Kassala", "Health workers recorded 143 cholera cases near Kassala."),
}


def rss(
    *keys: str, texts: dict[str, str] | None = None, title: str = "Frontline Dispatch"
) -> bytes:
    """A small RSS 2.0 document with the items of `ITEMS` named by `keys`."""
    texts = texts or {}
    items = "".join(
        f"<item><title>{escape(ITEMS[key][0])}</title><guid>{key}</guid>"
        f"<link>https://dispatch.example/{key}</link>"
        f"<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>"
        f"<description>{escape(texts.get(key, ITEMS[key][1]))}</description></item>"
        for key in keys
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Frontline Dispatch</title>'
        f"<link>https://dispatch.example/</link>{items}</channel></rss>"
    ).encode()


class FakeClock:
    """A clock whose sleep moves time on at once, keeping the sleeps asked for."""

    def __init__(self) -> None:
        self.time = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds


class CountingExtractor:
    """A stand-in extractor counting calls; it fails on an article that names `fail_on`."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.texts: list[str] = []
        self.fail_on = fail_on

    def __call__(self, article: Article) -> Extraction:
        if self.fail_on and self.fail_on in article.text:
            raise RuntimeError("extractor bug")
        self.texts.append(article.text)
        return Extraction(article=article)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/rss.xml"


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store(":memory:") as opened:
        yield opened


def _watch(
    urls: list[str],
    store: Store,
    *,
    polls: int,
    clock: FakeClock | None = None,
    extract: CountingExtractor | None = None,
    **options: object,
) -> list[PollResult]:
    results: list[PollResult] = []
    watch_feeds(
        urls,
        store=store,
        settings=options.pop("settings", SETTINGS),  # type: ignore[arg-type]
        extract=extract or CountingExtractor(),
        clock=clock or FakeClock(),
        max_polls=polls,
        on_poll=results.append,
        **options,  # type: ignore[arg-type]
    )
    return results


def test_only_new_items_are_stored_and_an_unchanged_feed_costs_a_304(
    feed_server: FeedServer, store: Store
) -> None:
    url = feed_server.serve(
        "/rss", Reply(rss("k1", "k2"), etag='"v1"'), Reply(rss("k1", "k2", "k3"), etag='"v2"')
    )
    extractor, clock = CountingExtractor(), FakeClock()
    results = _watch([url], store, polls=3, clock=clock, extract=extractor)
    assert [(r.outcome, r.fresh, r.added) for r in results] == [
        ("stored", 2, 2),
        ("stored", 1, 1),
        ("not_modified", 0, 0),
    ]
    assert len(extractor.texts) == 3
    assert store.counts().articles == 3
    assert (feed_server.requests["/rss"], feed_server.not_modified["/rss"]) == (3, 1)
    assert clock.sleeps == [10.0, 10.0]


def test_stored_articles_keep_url_title_source_and_date(
    feed_server: FeedServer, store: Store
) -> None:
    url = feed_server.serve("/rss", Reply(rss("k1")))
    _watch([url], store, polls=1)
    (article,) = store.articles()
    assert (article.url, article.title) == ("https://dispatch.example/k1", "Shelling in Kharkiv")
    assert article.source == "Frontline Dispatch"
    assert (article.published.isoformat() if article.published else None) == "2024-03-05"


def test_a_rerun_on_the_same_store_extracts_and_stores_nothing_again(
    feed_server: FeedServer, store: Store
) -> None:
    url = feed_server.serve("/rss", Reply(rss("k1", "k2"), etag='"v1"'))
    _watch([url], store, polls=1)
    again = CountingExtractor()
    (result,) = _watch([url], store, polls=1, extract=again)
    assert (result.outcome, result.fresh, result.added) == ("unchanged", 2, 0)
    assert again.texts == []
    assert store.counts().articles == 2


def test_an_item_whose_text_changes_is_stored_as_a_new_version(
    feed_server: FeedServer, store: Store
) -> None:
    edited = {"k1": "Shelling struck a market in Kharkiv, killing nine people."}
    url = feed_server.serve("/rss", Reply(rss("k1")), Reply(rss("k1", texts=edited)))
    results = _watch([url], store, polls=2)
    assert [r.added for r in results] == [1, 1]


def test_the_state_file_keeps_validators_across_runs(
    feed_server: FeedServer, store: Store, tmp_path: Path
) -> None:
    stamp = "Tue, 05 Mar 2024 10:00:00 GMT"
    url = feed_server.serve("/rss", Reply(rss("k1"), etag='"v1"', last_modified=stamp))
    state = tmp_path / "watch.json"
    _watch([url], store, polls=1, state_path=state)
    assert load_state(state) == {url: Validators('"v1"', stamp)}
    (result,) = _watch([url], store, polls=1, state_path=state)
    assert result.outcome == "not_modified"
    assert feed_server.not_modified["/rss"] == 1


def test_an_unreadable_state_file_is_ignored_with_a_warning(
    feed_server: FeedServer, store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = feed_server.serve("/rss", Reply(rss("k1"), etag='"v1"'))
    state = tmp_path / "watch.json"
    state.write_text("{not json")
    (result,) = _watch([url], store, polls=1, state_path=state)
    assert result.outcome == "stored"
    assert "unreadable" in caplog.text and str(state) in caplog.text
    assert json.loads(state.read_text())["feeds"][url]["etag"] == '"v1"'


def test_a_feed_that_is_down_backs_off_while_the_others_are_polled(
    feed_server: FeedServer, store: Store, dead_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    good = feed_server.serve("/rss", Reply(rss("k1"), etag='"v1"'))
    clock = FakeClock()
    results = _watch([dead_url, good], store, polls=4, clock=clock)
    # t=0: both; t=10: good; t=20: both (dead waited 2 intervals); t=30: good.
    assert [(r.url == dead_url, r.outcome) for r in results] == [
        (True, "failed"),
        (False, "stored"),
        (False, "not_modified"),
        (True, "failed"),
        (False, "not_modified"),
        (False, "not_modified"),
    ]
    assert [r.next_in for r in results if r.outcome == "failed"] == [20.0, 35.0]  # capped
    assert clock.sleeps == [10.0, 10.0, 10.0]
    assert f"feed poll failed: {dead_url}: cannot fetch (ConnectError" in caplog.text
    assert "retrying in 35 s (failure 2 in a row)" in caplog.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<rss version='2.0'><channel><title>Cut off", "application/rss+xml"),
        (bytes(range(256)) * 4, "application/rss+xml"),
        (b"<html><body><p>Our feed has moved.</p></body></html>", "text/html"),
        (b"", "application/rss+xml"),
    ],
    ids=["malformed", "garbage", "html", "empty"],
)
def test_a_feed_returning_garbage_is_logged_and_does_not_stop_the_others(
    feed_server: FeedServer,
    store: Store,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
) -> None:
    bad = feed_server.serve("/bad", Reply(body, content_type=content_type))
    good = feed_server.serve("/good", Reply(rss("k1")))
    caplog.set_level(logging.WARNING)
    results = _watch([bad, good], store, polls=1)
    assert [r.outcome for r in results] == ["failed", "stored"]
    assert results[0].error is not None and "not an RSS or Atom feed" in results[0].error
    assert f"feed poll failed: {bad}: not an RSS or Atom feed" in caplog.text


def test_a_server_error_then_recovery(
    feed_server: FeedServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    url = feed_server.serve("/rss", Reply(b"boom", status=500), Reply(rss("k1", "k2")))
    clock = FakeClock()
    results = _watch([url], store, polls=3, clock=clock)
    assert [r.outcome for r in results] == ["failed", "stored", "unchanged"]
    assert "answered 500" in (results[0].error or "")
    # Backed off two intervals after the failure, then back to the normal interval.
    assert clock.sleeps == [20.0, 10.0]
    assert "answering again after 1 failed poll" in caplog.text
    assert store.counts().articles == 2


def test_an_item_that_trips_the_extractor_is_skipped_and_the_rest_stored(
    feed_server: FeedServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    first = feed_server.serve("/a", Reply(rss("k3", "k2")))
    second = feed_server.serve("/b", Reply(rss("k1")))
    results = _watch([first, second], store, polls=1, extract=CountingExtractor("Kassala"))
    assert [(r.outcome, r.added, r.skipped) for r in results] == [
        ("stored", 1, 1),
        ("stored", 1, 0),
    ]
    assert "item https://dispatch.example/k3" in caplog.text
    assert "RuntimeError: extractor bug" in caplog.text


def test_a_bug_while_reading_a_feed_fails_that_feed_only(
    feed_server: FeedServer,
    store: Store,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sitroom.sources import feeds

    real = feeds.parse_feed

    def flaky(data: bytes, *, name: str, url: str | None = None) -> feeds.Feed:
        if name.endswith("/a"):
            raise KeyError("surprise")
        return real(data, name=name, url=url)

    monkeypatch.setattr(feeds, "parse_feed", flaky)
    first = feed_server.serve("/a", Reply(rss("k3")))
    second = feed_server.serve("/b", Reply(rss("k1")))
    results = _watch([first, second], store, polls=1)
    assert [r.outcome for r in results] == ["failed", "stored"]
    assert f"feed poll failed: {first}: KeyError: 'surprise'" in caplog.text


def test_fetch_pages_keeps_the_linked_pages_main_text(
    feed_server: FeedServer, store: Store
) -> None:
    page = feed_server.serve(
        "/world/kharkiv-market",
        Reply((DATA / "ledger-article.html").read_bytes(), content_type="text/html"),
    )
    teaser = (
        '<rss version="2.0"><channel><title>Ledger headlines</title><item>'
        f"<title>Shelling hits market</title><link>{page}</link>"
        "<description>Seven killed in Kharkiv.</description></item></channel></rss>"
    )
    url = feed_server.serve("/rss", Reply(teaser.encode()))
    extractor = CountingExtractor()
    settings = WatchSettings(interval=10.0, fetch_pages=True)
    _watch([url], store, polls=1, extract=extractor, settings=settings)
    (text,) = extractor.texts
    assert "around 300 residents of the surrounding blocks" in text
    assert "Subscribe now" not in text
    (article,) = store.articles()
    assert (article.url, article.title) == (page, "Shelling hits market")


def test_fetch_pages_falls_back_to_the_item_when_the_page_fails(
    feed_server: FeedServer, store: Store
) -> None:
    teaser = (
        '<rss version="2.0"><channel><title>T</title><item><title>A</title>'
        f"<link>{feed_server.url('/gone')}</link>"
        "<description>Seven killed in Kharkiv.</description></item></channel></rss>"
    )
    url = feed_server.serve("/rss", Reply(teaser.encode()))
    extractor = CountingExtractor()
    settings = WatchSettings(interval=10.0, fetch_pages=True)
    _watch([url], store, polls=1, extract=extractor, settings=settings)
    assert extractor.texts == ["Seven killed in Kharkiv."]


@pytest.mark.parametrize(
    ("failures", "delay"), [(0, 10.0), (1, 20.0), (2, 35.0), (3, 35.0), (10_000, 35.0)]
)
def test_backoff_doubles_per_failure_up_to_the_cap(failures: int, delay: float) -> None:
    assert backoff_delay(failures, settings=SETTINGS) == delay


def test_backoff_never_waits_less_than_the_interval() -> None:
    settings = WatchSettings(interval=100.0, max_backoff=30.0)
    assert backoff_delay(1, settings=settings) == 100.0


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("conflict.db", "conflict.db.watch.json"),
        ("sqlite:///data/c.db", "data/c.db.watch.json"),
        (":memory:", None),
        ("postgresql://u@h/db", None),
    ],
)
def test_the_state_file_lives_beside_a_sqlite_store(db: str, expected: str | None) -> None:
    assert state_path_for(db) == (None if expected is None else Path(expected))


def test_cli_once_stores_the_feed_with_the_real_pipeline(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.serve("/rss", Reply((DATA / "dispatch.rss.xml").read_bytes(), etag='"a"'))
    db = tmp_path / "conflict.db"
    result = CliRunner().invoke(watch, ["--db", str(db), "--once", url])
    assert result.exit_code == 0, result.output
    assert f"{url}: 3 new article(s)" in result.output
    assert "for 1 round(s): 3 article(s) added" in result.output
    assert json.loads((tmp_path / "conflict.db.watch.json").read_text())["feeds"][url]["etag"]
    with open_store(db) as store:
        assert store.counts().articles == 3
        assert store.figures(measure="killed")


def test_cli_refuses_what_is_not_a_feed_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(watch, ["--db", str(tmp_path / "c.db"), "--once", "feed.xml"])
    assert result.exit_code == 2
    assert "feed.xml: not an http(s) URL with a host" in result.output


def test_importing_watch_loads_no_http_client_parser_or_engine() -> None:
    # The CLI registers `watch` at import; `sitroom --help` must stay cheap.
    code = (
        "import sys, sitroom.cli, sitroom.watch\n"
        "heavy = ('httpx', 'feedparser', 'trafilatura', 'lxml', 'sitroom.engine',"
        " 'sitroom.store.sqlite', 'sitroom.sources.feeds', 'sitroom.sources.pages')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
