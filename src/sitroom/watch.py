"""`sitroom watch`: poll feeds with conditional GET, back off per feed, store only new items.

Each feed has its own state: the validators of the last version read (ETag, Last-Modified),
the items seen in it, and how many polls in a row failed. A failing feed (down, malformed,
garbage) is retried after `interval * 2**failures` seconds, capped, while the others go on.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import click

from sitroom.errors import InputError, SitroomError, StoreError
from sitroom.model import Article, Extraction
from sitroom.sources.fetch import DEFAULT_TIMEOUT, Validators, check_url
from sitroom.store import DEFAULT_PATH, ENV_VAR, Store

if TYPE_CHECKING:
    import httpx

    from sitroom.sources.feeds import Feed, FeedItem

__all__ = [
    "Clock",
    "FeedState",
    "PollResult",
    "SystemClock",
    "WatchReport",
    "WatchSettings",
    "backoff_delay",
    "load_state",
    "poll_feed",
    "save_state",
    "state_path_for",
    "watch",
    "watch_feeds",
]

logger = logging.getLogger(__name__)

ExtractFn = Callable[[Article], Extraction]
Outcome = Literal["stored", "unchanged", "not_modified", "failed"]
_STATE_VERSION = 1
# 2**30 intervals is far past any cap; a bound keeps the arithmetic finite.
_MAX_DOUBLINGS = 30
# Libraries whose per-page log lines repeat what our own warnings say better.
_CHATTY_LOGGERS = ("trafilatura", "htmldate", "courlan")


@dataclass(frozen=True, slots=True)
class WatchSettings:
    """How often to poll, how far to back off, how long to wait, whether to read linked pages."""

    #: Seconds between two polls of a healthy feed.
    interval: float = 300.0
    #: Longest wait, in seconds, before retrying a failing feed.
    max_backoff: float = 3600.0
    timeout: float = DEFAULT_TIMEOUT
    #: Read each new item's linked page and keep its main text when longer than the item's.
    fetch_pages: bool = False

    def __post_init__(self) -> None:
        if self.interval <= 0 or self.max_backoff <= 0 or self.timeout <= 0:
            raise ValueError(f"interval, max_backoff and timeout must be positive: {self}")


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the watcher knows about one feed between polls."""

    url: str
    validators: Validators = field(default_factory=Validators)
    #: Fingerprints (key + text hash) of the items of the last version read.
    seen: frozenset[str] = frozenset()
    #: Polls in a row that failed; 0 when the last one worked.
    failures: int = 0
    #: Clock time at which the feed is next due.
    due: float = 0.0


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one feed did."""

    url: str
    outcome: Outcome
    #: Items in the feed document (0 on 304 or failure).
    items: int = 0
    #: Items not seen in an earlier poll.
    fresh: int = 0
    #: Articles newly stored.
    added: int = 0
    #: Fresh items whose extraction failed (logged with the traceback).
    skipped: int = 0
    error: str | None = None
    #: Seconds until this feed is polled again.
    next_in: float = 0.0


@dataclass(frozen=True, slots=True)
class WatchReport:
    """Totals of a watch: rounds run, polls made, articles stored, polls that failed."""

    rounds: int = 0
    polls: int = 0
    added: int = 0
    failed: int = 0
    not_modified: int = 0


class Clock(Protocol):
    """Time as the watcher sees it; tests give one that sleeps instantly."""

    def now(self) -> float:
        """Seconds on a monotonic clock."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`."""
        ...


class SystemClock:
    """The real monotonic clock."""

    def now(self) -> float:
        """Seconds on the monotonic clock."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Sleep for real."""
        time.sleep(seconds)


def backoff_delay(failures: int, *, settings: WatchSettings) -> float:
    """Seconds before the next poll of a feed that failed `failures` times in a row."""
    if failures <= 0:
        return settings.interval
    doubled = settings.interval * 2.0 ** min(failures, _MAX_DOUBLINGS)
    return min(doubled, max(settings.max_backoff, settings.interval))


def poll_feed(
    state: FeedState,
    *,
    client: httpx.Client,
    store: Store,
    extract: ExtractFn,
    settings: WatchSettings,
    now: float,
) -> tuple[FeedState, PollResult]:
    """Poll one feed once: the feed's next state and what happened. Only StoreError escapes."""
    try:
        return _poll(state, client=client, store=store, extract=extract, settings=settings, now=now)
    except StoreError:
        raise
    except SitroomError as exc:
        return _failed(state, str(exc), settings=settings, now=now)
    except Exception as exc:
        # A bug met on one feed's content must not stop the watch of all the others.
        logger.exception("feed %s: unexpected error", state.url)
        error = f"{state.url}: {type(exc).__name__}: {exc}"
        return _failed(state, error, settings=settings, now=now)


def _poll(
    state: FeedState,
    *,
    client: httpx.Client,
    store: Store,
    extract: ExtractFn,
    settings: WatchSettings,
    now: float,
) -> tuple[FeedState, PollResult]:
    from sitroom.sources.feeds import parse_feed
    from sitroom.sources.fetch import fetch

    fetched = fetch(state.url, client=client, validators=state.validators)
    if fetched.not_modified:
        logger.info("feed %s: not modified", state.url)
        done = _recovered(state, settings=settings, now=now)
        return done, PollResult(state.url, "not_modified", next_in=settings.interval)
    feed = parse_feed(fetched.body, name=state.url, url=fetched.url)
    fresh = [item for item in feed.items if item.fingerprint not in state.seen]
    articles = [_article(item, feed, client=client, settings=settings) for item in fresh]
    added, skipped = _store_new(articles, store=store, extract=extract)
    # The validators move on only now that the items are stored: a failed store is retried.
    done = replace(
        _recovered(state, settings=settings, now=now),
        validators=fetched.validators,
        seen=frozenset(item.fingerprint for item in feed.items),
    )
    logger.info(
        "feed %s: %d items, %d fresh, %d stored", state.url, len(feed.items), len(fresh), added
    )
    if skipped:
        logger.warning("feed %s: %d item(s) skipped: extraction failed", state.url, skipped)
    result = PollResult(
        state.url,
        "stored" if added else "unchanged",
        items=len(feed.items),
        fresh=len(fresh),
        added=added,
        skipped=skipped,
        next_in=settings.interval,
    )
    return done, result


def _recovered(state: FeedState, *, settings: WatchSettings, now: float) -> FeedState:
    if state.failures:
        logger.warning(
            "feed %s: answering again after %d failed poll(s)", state.url, state.failures
        )
    return replace(state, failures=0, due=now + settings.interval)


def _failed(
    state: FeedState, error: str, *, settings: WatchSettings, now: float
) -> tuple[FeedState, PollResult]:
    failures = state.failures + 1
    delay = backoff_delay(failures, settings=settings)
    # `error` names the feed: the source errors start with its URL, and so does a bug's message.
    logger.warning(
        "feed poll failed: %s; retrying in %.0f s (failure %d in a row)", error, delay, failures
    )
    failed = replace(state, failures=failures, due=now + delay)
    return failed, PollResult(state.url, "failed", error=error, next_in=delay)


def _article(
    item: FeedItem, feed: Feed, *, client: httpx.Client, settings: WatchSettings
) -> Article:
    from sitroom.sources.feeds import article_from_item

    page = _page(item.url, client=client) if settings.fetch_pages and item.url else None
    if page is not None and len(page.text) <= len(item.text):
        page = None  # the item already carries the whole report
    return article_from_item(item, feed=feed, page=page)


def _page(url: str, *, client: httpx.Client) -> Article | None:
    from sitroom.sources.fetch import fetch
    from sitroom.sources.pages import article_from_html

    try:
        fetched = fetch(url, client=client)
        return article_from_html(fetched.body, name=url, url=fetched.url)
    except SitroomError as exc:
        logger.warning("item page %s: %s; keeping the feed's text", url, exc)
        return None


def _store_new(articles: list[Article], *, store: Store, extract: ExtractFn) -> tuple[int, int]:
    """Extract and store the articles not stored yet: (added, skipped because extraction failed)."""
    # Stored articles are not extracted again; `add` is idempotent besides.
    present = store.present_ids(article.id for article in articles)
    new = {article.id: article for article in articles if article.id not in present}
    extractions = [e for e in map(_extract_or_none(extract), new.values()) if e is not None]
    added = store.add(extractions).added if extractions else 0
    return added, len(new) - len(extractions)


def _extract_or_none(extract: ExtractFn) -> Callable[[Article], Extraction | None]:
    def run(article: Article) -> Extraction | None:
        try:
            return extract(article)
        except Exception:
            # One item that trips the extractor must not hold back the rest of its feed.
            logger.exception("item %s (%s): extraction failed; skipped", article.url, article.id)
            return None

    return run


def watch_feeds(
    urls: Iterable[str],
    *,
    store: Store,
    settings: WatchSettings | None = None,
    extract: ExtractFn | None = None,
    clock: Clock | None = None,
    client: httpx.Client | None = None,
    state_path: Path | None = None,
    max_polls: int | None = None,
    on_poll: Callable[[PollResult], None] | None = None,
) -> WatchReport:
    """Poll every feed when it is due, `max_polls` rounds (forever if None); the totals.

    A round polls every feed that is due, then the watcher sleeps until the next one is.
    With `state_path`, each feed's validators are read at the start and written after every
    round, so a restart asks only for what changed.
    """
    settings = settings or WatchSettings()
    clock = clock or SystemClock()
    states = _initial_states(urls, state_path=state_path)
    totals = _Totals()
    with _client(client, settings=settings) as http:
        run = extract or _default_extract()
        try:
            while max_polls is None or totals.rounds < max_polls:
                due = _wait_for_due(states, clock=clock)
                for url in due:
                    states[url], result = poll_feed(
                        states[url],
                        client=http,
                        store=store,
                        extract=run,
                        settings=settings,
                        now=clock.now(),
                    )
                    totals.count(result)
                    if on_poll is not None:
                        on_poll(result)
                totals.rounds += 1
                if state_path is not None:
                    save_state(state_path, states.values())
        finally:
            if state_path is not None:
                save_state(state_path, states.values())
    return totals.report()


def _initial_states(urls: Iterable[str], *, state_path: Path | None) -> dict[str, FeedState]:
    checked = [check_url(url) for url in dict.fromkeys(urls)]
    if not checked:
        raise InputError("no feeds to watch; name at least one feed URL")
    saved = load_state(state_path) if state_path is not None else {}
    return {url: FeedState(url, validators=saved.get(url, Validators())) for url in checked}


def _wait_for_due(states: dict[str, FeedState], *, clock: Clock) -> list[str]:
    while True:
        now = clock.now()
        due = [url for url, state in states.items() if state.due <= now]
        if due:
            return due
        clock.sleep(min(state.due for state in states.values()) - now)


@contextmanager
def _client(given: httpx.Client | None, *, settings: WatchSettings) -> Iterator[httpx.Client]:
    if given is not None:
        yield given
        return
    from sitroom.sources.fetch import open_client

    with open_client(timeout=settings.timeout) as opened:
        yield opened


def _default_extract() -> ExtractFn:
    from sitroom.extract import run

    return run


@dataclass(slots=True)
class _Totals:
    rounds: int = 0
    polls: int = 0
    added: int = 0
    failed: int = 0
    not_modified: int = 0

    def count(self, result: PollResult) -> None:
        self.polls += 1
        self.added += result.added
        self.failed += result.outcome == "failed"
        self.not_modified += result.outcome == "not_modified"

    def report(self) -> WatchReport:
        return WatchReport(self.rounds, self.polls, self.added, self.failed, self.not_modified)


def state_path_for(db: str) -> Path | None:
    """The state file beside a SQLite store (`conflict.db` -> `conflict.db.watch.json`)."""
    scheme, sep, rest = db.partition("://")
    path = rest.removeprefix("/") if sep and scheme == "sqlite" else None if sep else db
    if not path or path == ":memory:":
        return None
    return Path(f"{path}.watch.json")


def load_state(path: Path) -> dict[str, Validators]:
    """The validators saved per feed URL; nothing (with a warning) if the file is unreadable."""
    try:
        raw = json.loads(path.read_text("utf-8"))
        feeds = raw["feeds"] if raw.get("version") == _STATE_VERSION else {}
        return {
            url: Validators(etag=entry.get("etag"), last_modified=entry.get("last_modified"))
            for url, entry in feeds.items()
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # Losing it costs one full fetch per feed; refusing to start would cost the watch.
        logger.warning("watch state %s unreadable (%s); starting without it", path, exc)
        return {}


def save_state(path: Path, states: Iterable[FeedState]) -> None:
    """Write each feed's validators to `path` atomically (a crash leaves the old file whole)."""
    feeds = {
        state.url: {"etag": state.validators.etag, "last_modified": state.validators.last_modified}
        for state in states
    }
    payload = json.dumps({"version": _STATE_VERSION, "feeds": feeds}, indent=1, sort_keys=True)
    partial = path.with_name(path.name + ".tmp")
    try:
        partial.write_text(payload + "\n", "utf-8")
        os.replace(partial, path)
    except OSError as exc:
        logger.warning("watch state %s not written (%s); polling goes on", path, exc)


# Its own help names, since tests also run it outside the `sitroom` group.
@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("feeds", nargs=-1, required=True, metavar="FEED_URL...")
@click.option(
    "--db",
    envvar=ENV_VAR,
    metavar="PATH",
    default=DEFAULT_PATH,
    show_default=True,
    help=f"SQLite file (or sqlite:///path, :memory:) or postgresql:// URL. Env: {ENV_VAR}.",
)
@click.option(
    "--interval",
    metavar="SECONDS",
    type=click.FloatRange(min=1.0),
    default=300.0,
    show_default=True,
    help="Seconds between two polls of a feed.",
)
@click.option(
    "--max-backoff",
    metavar="SECONDS",
    type=click.FloatRange(min=1.0),
    default=3600.0,
    show_default=True,
    help="Longest wait, in seconds, before retrying a failing feed (the wait doubles per failure).",
)
@click.option(
    "--timeout",
    metavar="SECONDS",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds to wait for a server before counting the poll as failed.",
)
@click.option(
    "--fetch-pages",
    is_flag=True,
    help="Read each new item's linked page and keep its main text when the feed has a teaser.",
)
@click.option("--once", is_flag=True, help="Poll every feed once and exit.")
@click.option(
    "--max-polls",
    type=click.IntRange(min=1),
    metavar="N",
    help="Exit after N rounds of polls (default: run until interrupted).",
)
@click.option(
    "--state",
    "state",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file keeping each feed's ETag and Last-Modified across runs. "
    "Default: the database path + .watch.json.",
)
@click.option("--no-state", is_flag=True, help="Keep no state file.")
def watch(
    feeds: tuple[str, ...],
    db: str,
    interval: float,
    max_backoff: float,
    timeout: float,
    fetch_pages: bool,
    once: bool,
    max_polls: int | None,
    state: Path | None,
    no_state: bool,
) -> None:
    """Poll RSS/Atom feeds and store their new items with their facts.

    Each feed is fetched with a conditional GET (ETag, Last-Modified), so an unchanged feed
    costs one small request. A feed that is down or returns garbage is retried later, waiting
    twice as long after each failure, while the others are polled as usual.

    \b
    Example:
      sitroom watch --db conflict.db --interval 600 https://example.org/news/rss.xml
    """
    from sitroom.cli import _errors_to_exit_codes
    from sitroom.store import open_store

    _quiet_chatty_loggers()
    settings = WatchSettings(
        interval=interval, max_backoff=max_backoff, timeout=timeout, fetch_pages=fetch_pages
    )
    state_path = None if no_state else state or state_path_for(db)
    report = WatchReport()
    with _errors_to_exit_codes(), open_store(db) as store:
        try:
            report = watch_feeds(
                feeds,
                store=store,
                settings=settings,
                state_path=state_path,
                max_polls=1 if once else max_polls,
                on_poll=_echo_poll,
            )
        except KeyboardInterrupt:
            click.echo("sitroom: watch stopped", err=True)
            return
    click.echo(
        f"watched {len(set(feeds))} feed(s) for {report.rounds} round(s): "
        f"{report.added} article(s) added, {report.not_modified} not modified, "
        f"{report.failed} failed poll(s)",
        err=True,
    )


def _echo_poll(result: PollResult) -> None:
    if result.added:
        click.echo(f"{result.url}: {result.added} new article(s)", err=True)


def _quiet_chatty_loggers() -> None:
    if logger.isEnabledFor(logging.INFO):
        return  # --verbose: the user asked for everything
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
