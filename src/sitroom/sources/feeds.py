"""RSS and Atom feeds: parsed with feedparser into items, and items into articles."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import io
import logging
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from sitroom.errors import InputError
from sitroom.model import Article, article_id_for

__all__ = ["Feed", "FeedItem", "article_from_item", "html_to_text", "parse_feed"]

logger = logging.getLogger(__name__)

# Elements that end a paragraph: their text must not run into the next one's.
_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_SKIPPED = frozenset({"script", "style", "template", "noscript"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_ANY_SPACE = re.compile(r"\s+")
_LINE_EDGES = re.compile(r" ?\n ?")
_PARAGRAPHS = re.compile(r"\n{3,}")
_MARKUP = re.compile(r"<[a-zA-Z/!]")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed: its key, link, title, plain text and publication date."""

    #: What names the item across polls: its guid or id, else its link, else its text's hash.
    key: str
    url: str | None
    title: str | None
    text: str
    published: dt.date | None

    @property
    def fingerprint(self) -> str:
        """The key and the text together: a changed text is a new version of the item."""
        return f"{self.key}\n{article_id_for(self.text)}"


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed: its title (the source of its articles), home link and items."""

    title: str | None
    link: str | None
    items: tuple[FeedItem, ...]


def parse_feed(data: bytes, *, name: str, url: str | None = None) -> Feed:
    """The feed `data` holds; InputError naming `name` when it is not RSS or Atom at all.

    A feed with a recoverable fault (a truncated end, a bad entity) keeps the items read
    before it, with a warning: feed readers are liberal, and so are we.
    """
    parsed = _feedparser_parse(data, name=name, url=url)
    fault = _fault(parsed)
    if not parsed.get("entries") and (fault is not None or not parsed.get("version")):
        problem = fault or "no <rss>, <feed> or <rdf:RDF> element"
        raise InputError(
            f"{name}: not an RSS or Atom feed ({problem}); point at the feed's own address"
        )
    if fault is not None:
        logger.warning(
            "%s: malformed feed (%s); keeping the items read before the fault", name, fault
        )
    channel = parsed.get("feed", {})
    items = tuple(_items(parsed.get("entries", []), name=name))
    return Feed(title=_field_text(channel, "title"), link=channel.get("link"), items=items)


def article_from_item(item: FeedItem, *, feed: Feed, page: Article | None = None) -> Article:
    """The article of a feed item; the main text of its linked `page` instead, when given."""
    published = item.published or (page.published if page else None)
    return Article.create(
        page.text if page is not None else item.text,
        url=item.url or (page.url if page else None),
        title=item.title or (page.title if page else None),
        published=published,
        published_source="metadata" if published else None,
        source=feed.title or (page.source if page else None),
    )


def html_to_text(markup: str) -> str:
    """The readable text of an HTML fragment: tags dropped, entities decoded, paragraphs kept."""
    if not _MARKUP.search(markup):
        return _tidy(html.unescape(markup))
    parser = _TextParser()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError:
        # html.parser asserts on a few malformed declarations; keep what it read before.
        pass
    return _tidy("".join(parser.parts))


def _feedparser_parse(data: bytes, *, name: str, url: str | None) -> Any:
    # A stream, never a string: feedparser would treat a string as a URL or a path to open.
    headers = {"content-location": url} if url else {}
    try:
        return _feedparser().parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # a third-party parser on untrusted bytes
        raise InputError(
            f"{name}: the feed parser failed ({type(exc).__name__}: {exc}); "
            f"check that this is an RSS or Atom feed"
        ) from None


def _feedparser() -> Any:
    # Imported on first use: it costs a tenth of a second that reading text files need not pay.
    import feedparser  # type: ignore[import-untyped]  # ships no type hints

    return feedparser


def _fault(parsed: Any) -> Exception | None:
    fault = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # A wrong charset label or an XML feed served as text/html is harmless.
    if fault is None or isinstance(fault, _feedparser().ThingsNobodyCaresAboutButMe):
        return None
    return fault  # type: ignore[no-any-return]


def _items(entries: list[Mapping[str, Any]], *, name: str) -> Iterator[FeedItem]:
    for number, entry in enumerate(entries, start=1):
        item = _item(entry)
        if item is None:
            logger.warning("%s: item %d has no title and no text; skipped", name, number)
            continue
        yield item


def _item(entry: Mapping[str, Any]) -> FeedItem | None:
    title = _field_text(entry, "title")
    # Headline-only feeds exist; their title is then all the text there is.
    text = _body(entry) or title
    if not text:
        return None
    url = entry.get("link") or None
    key = entry.get("id") or url or article_id_for(text)
    return FeedItem(key=key, url=url, title=title, text=text, published=_published(entry))


def _body(entry: Mapping[str, Any]) -> str:
    # Atom <content> (or RSS content:encoded) is the full text; <summary>/<description> a teaser.
    parts: list[Mapping[str, Any]] = [*entry.get("content", [])]
    if entry.get("summary"):
        parts.append({"value": entry["summary"], **entry.get("summary_detail", {})})
    texts = [_as_text(part.get("value"), part.get("type")) for part in parts]
    return max(texts, key=len, default="")


def _field_text(mapping: Mapping[str, Any], field: str) -> str | None:
    detail = mapping.get(f"{field}_detail") or {}
    return _as_text(mapping.get(field), detail.get("type")) or None


def _as_text(value: object, content_type: object) -> str:
    if not isinstance(value, str):
        return ""
    if content_type == "text/plain":
        return _tidy(value)
    return html_to_text(value)


def _published(entry: Mapping[str, Any]) -> dt.date | None:
    for field in ("published", "updated", "created"):
        day = _day_as_written(entry.get(field))
        if day is None:
            day = _day_of_struct(entry.get(f"{field}_parsed"))
        if day is not None:
            return day
    return None


def _day_as_written(value: object) -> dt.date | None:
    # feedparser's *_parsed is in UTC; the day in the publisher's own zone is the one they meant
    # ("Tue, 10 Mar 2020 23:30 -0500" is a 10 March report, not 11 March).
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None


def _day_of_struct(value: object) -> dt.date | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    except ValueError:
        return None


def _tidy(text: str) -> str:
    """Spaces collapsed, a line break kept as one, three or more as a paragraph break."""
    text = _SPACES.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text)
    return _PARAGRAPHS.sub("\n\n", text).strip()


class _TextParser(HTMLParser):
    """Collects text, turning block boundaries into paragraph breaks and skipping scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n\n")

    def handle_data(self, data: str) -> None:
        # Line breaks in HTML source are spaces; only tags break lines.
        if not self._skipping:
            self.parts.append(_ANY_SPACE.sub(" ", data))
