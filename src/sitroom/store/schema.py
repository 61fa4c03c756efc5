"""The store's tables, their rows <-> model objects, and the ordered, named migrations.

The SQL keeps to what SQLite and PostgreSQL both accept: TEXT, INTEGER, BIGINT, DOUBLE
PRECISION; dates as ISO `YYYY-MM-DD` text (which sorts as dates do); booleans as 0/1.
A migration's position in `MIGRATIONS` (counting from 1) is the schema version it brings
the database to; `user_version` in SQLite holds that number. Every backend uses this module,
so the tables and their mapping to the model are written once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sitroom.model import (
    Article,
    Event,
    Figure,
    Granularity,
    Measure,
    Place,
    PlaceMention,
    Qualifier,
    Span,
    TimeMention,
    Window,
)

__all__ = [
    "COLUMNS",
    "FACT_TABLES",
    "MIGRATIONS",
    "MIGRATIONS_TABLE",
    "SCHEMA_VERSION",
    "Fact",
    "Migration",
    "Row",
    "article_from_row",
    "article_row",
    "event_from_row",
    "fact_id",
    "fact_row",
    "figure_from_row",
    "place_from_row",
    "time_from_row",
]

Fact = PlaceMention | TimeMention | Figure | Event
Row = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Migration:
    """One named step of the schema, applied in its own transaction."""

    name: str
    statements: tuple[str, ...]


MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
)
"""

_ARTICLES = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    url TEXT,
    title TEXT,
    published TEXT,
    published_source TEXT,
    text TEXT NOT NULL,
    added_at TEXT NOT NULL
)
"""

_PLACES = """
CREATE TABLE places (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    place_id TEXT,
    name TEXT,
    country TEXT,
    admin1 TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    kind TEXT,
    population BIGINT,
    confidence DOUBLE PRECISION NOT NULL
)
"""

_TIMES = """
CREATE TABLE times (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    window_start TEXT,
    window_end TEXT,
    granularity TEXT NOT NULL,
    fuzzy INTEGER NOT NULL
)
"""

_FIGURES = """
CREATE TABLE figures (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    low DOUBLE PRECISION,
    high DOUBLE PRECISION,
    qualifier TEXT NOT NULL,
    unit TEXT NOT NULL,
    measure TEXT NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    place_id TEXT,
    period_start TEXT,
    period_end TEXT,
    source TEXT,
    vague INTEGER NOT NULL
)
"""

# `actors` holds a JSON array of names: no query filters on them yet, and a JSON column
# keeps the fact in one row for both backends.
_EVENTS = """
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT NOT NULL,
    date_start TEXT,
    date_end TEXT,
    place_id TEXT,
    actors TEXT NOT NULL,
    fatalities INTEGER,
    confidence DOUBLE PRECISION NOT NULL,
    date_from_publication INTEGER NOT NULL
)
"""

# One index per listing filter, and (article_id, span_start) for the listings' order.
_INDEXES = (
    "CREATE INDEX articles_published ON articles (published)",
    "CREATE INDEX places_article ON places (article_id, span_start)",
    "CREATE INDEX places_place_id ON places (place_id)",
    "CREATE INDEX times_article ON times (article_id, span_start)",
    "CREATE INDEX times_window ON times (window_start, window_end)",
    "CREATE INDEX figures_article ON figures (article_id, span_start)",
    "CREATE INDEX figures_measure ON figures (measure)",
    "CREATE INDEX figures_place_id ON figures (place_id)",
    "CREATE INDEX figures_period ON figures (period_start, period_end)",
    "CREATE INDEX events_article ON events (article_id, span_start)",
    # `type` filters compare lower-cased, so the index is on the lower-cased value.
    "CREATE INDEX events_type ON events (lower(type))",
    "CREATE INDEX events_subtype ON events (lower(subtype))",
    "CREATE INDEX events_place_id ON events (place_id)",
    "CREATE INDEX events_date ON events (date_start, date_end)",
)

#: Every migration, oldest first. Append new ones; never edit or reorder one that has shipped.
MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_tables", (_ARTICLES, _PLACES, _TIMES, _FIGURES, _EVENTS)),
    Migration("0002_filter_indexes", _INDEXES),
)

#: The schema version this code writes and understands.
SCHEMA_VERSION = len(MIGRATIONS)

#: Each table's columns, in the order of the rows below.
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("id", "url", "title", "published", "published_source", "text", "added_at"),
    "places": (
        "id", "article_id", "span_start", "span_end", "text", "place_id", "name", "country",
        "admin1", "lat", "lon", "kind", "population", "confidence",
    ),
    "times": (
        "id", "article_id", "span_start", "span_end", "text", "window_start", "window_end",
        "granularity", "fuzzy",
    ),
    "figures": (
        "id", "article_id", "span_start", "span_end", "text", "value", "low", "high",
        "qualifier", "unit", "measure", "sentence_start", "sentence_end", "place_id",
        "period_start", "period_end", "source", "vague",
    ),
    "events": (
        "id", "article_id", "span_start", "span_end", "type", "subtype", "date_start",
        "date_end", "place_id", "actors", "fatalities", "confidence", "date_from_publication",
    ),
}  # fmt: skip
#: The fact tables, in the order facts are written and counted.
FACT_TABLES = ("places", "times", "figures", "events")


def fact_id(fact: Fact) -> str:
    """A stable id from the fact's article, kind, span and defining fields."""
    parts: tuple[object, ...]
    match fact:
        case PlaceMention():
            parts = ("place", fact.place.id if fact.place else None)
        case TimeMention():
            parts = ("time", fact.window, fact.granularity)
        case Figure():
            parts = ("figure", fact.measure, fact.qualifier, fact.unit, fact.value)
        case Event():
            parts = ("event", fact.type, fact.subtype)
    key = "\x1f".join(map(str, (fact.article_id, fact.span.start, fact.span.end, *parts)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def article_row(article: Article, *, added_at: str) -> Row:
    """The `articles` row for an article."""
    return (
        article.id,
        article.url,
        article.title,
        _day(article.published),
        article.published_source,
        article.text,
        added_at,
    )


def fact_row(fact: Fact) -> tuple[str, Row]:
    """The table a fact goes into and its row there."""
    match fact:
        case PlaceMention():
            return "places", _place_row(fact)
        case TimeMention():
            return "times", _time_row(fact)
        case Figure():
            return "figures", _figure_row(fact)
        case Event():
            return "events", _event_row(fact)


def _place_row(mention: PlaceMention) -> Row:
    place = mention.place
    entry: Row = (None,) * 8
    if place is not None:
        entry = (place.id, place.name, place.country, place.admin1, place.lat, place.lon)
        entry += (place.kind, place.population)
    return (fact_id(mention), *_span_columns(mention), mention.text, *entry, mention.confidence)


def _time_row(mention: TimeMention) -> Row:
    return (
        fact_id(mention),
        *_span_columns(mention),
        mention.text,
        *_window_columns(mention.window),
        mention.granularity,
        int(mention.fuzzy),
    )


def _figure_row(figure: Figure) -> Row:
    return (
        fact_id(figure),
        *_span_columns(figure),
        figure.text,
        figure.value,
        figure.low,
        figure.high,
        figure.qualifier,
        figure.unit,
        figure.measure,
        figure.sentence.start,
        figure.sentence.end,
        figure.place_id,
        *_window_columns(figure.period),
        figure.source,
        int(figure.vague),
    )


def _event_row(event: Event) -> Row:
    return (
        fact_id(event),
        *_span_columns(event),
        event.type,
        event.subtype,
        *_window_columns(event.date),
        event.place_id,
        json.dumps(list(event.actors), ensure_ascii=False),
        event.fatalities,
        event.confidence,
        int(event.date_from_publication),
    )


def article_from_row(row: Sequence[Any]) -> Article:
    """The article an `articles` row holds."""
    id_, url, title, published, published_source, text = row[:6]
    return Article(
        id=id_,
        text=text,
        url=url,
        title=title,
        published=_date(published),
        published_source=published_source,
    )


def place_from_row(row: Sequence[Any]) -> PlaceMention:
    """The place mention a `places` row holds."""
    _, article_id, start, end, text, place_id, name, country, admin1, lat, lon = row[:11]
    kind, population, confidence = row[11:14]
    place = None
    if place_id is not None:
        place = Place(place_id, name, country, admin1, lat, lon, kind, population or 0)
    return PlaceMention(article_id, Span(start, end), text, place, confidence)


def time_from_row(row: Sequence[Any]) -> TimeMention:
    """The time mention a `times` row holds."""
    _, article_id, start, end, text, window_start, window_end, granularity, fuzzy = row[:9]
    return TimeMention(
        article_id=article_id,
        span=Span(start, end),
        text=text,
        window=_window(window_start, window_end),
        granularity=cast(Granularity, granularity),
        fuzzy=bool(fuzzy),
    )


def figure_from_row(row: Sequence[Any]) -> Figure:
    """The figure a `figures` row holds."""
    _, article_id, start, end, text, value, low, high, qualifier, unit, measure = row[:11]
    sentence_start, sentence_end, place_id, period_start, period_end, source, vague = row[11:18]
    return Figure(
        article_id=article_id,
        span=Span(start, end),
        text=text,
        value=_number(value),
        qualifier=cast(Qualifier, qualifier),
        unit=unit,
        measure=cast(Measure, measure),
        sentence=Span(sentence_start, sentence_end),
        low=None if low is None else _number(low),
        high=None if high is None else _number(high),
        place_id=place_id,
        period=_window(period_start, period_end),
        source=source,
        vague=bool(vague),
    )


def event_from_row(row: Sequence[Any]) -> Event:
    """The event an `events` row holds."""
    _, article_id, start, end, type_, subtype, date_start, date_end, place_id = row[:9]
    actors, fatalities, confidence, date_from_publication = row[9:13]
    return Event(
        article_id=article_id,
        span=Span(start, end),
        type=type_,
        subtype=subtype,
        date=_window(date_start, date_end),
        place_id=place_id,
        actors=tuple(json.loads(actors)),
        fatalities=fatalities,
        confidence=confidence,
        date_from_publication=bool(date_from_publication),
    )


def _span_columns(fact: Fact) -> Row:
    return (fact.article_id, fact.span.start, fact.span.end)


def _window_columns(window: Window | None) -> Row:
    return (None, None) if window is None else (_day(window.start), _day(window.end))


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _window(start: str | None, end: str | None) -> Window | None:
    if start is None or end is None:
        return None
    return Window(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def _number(value: float) -> int | float:
    # Counts are stored as doubles (for fractions like "over half"); give whole ones back as int.
    return int(value) if float(value).is_integer() else value
