"""The store's tables, their rows <-> model objects, and the ordered, named migrations.

The SQL keeps to what SQLite and PostgreSQL both accept: TEXT, INTEGER, BIGINT, DOUBLE
PRECISION; dates as ISO `YYYY-MM-DD` text (which sorts as dates do); booleans as 0/1.
A migration's position in `MIGRATIONS` (counting from 1) is the schema version it brings
the database to; `user_version` in SQLite holds that number. Every backend uses this module,
so the tables and their mapping to the model are written once.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
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
from sitroom.record.incidents import Incident, IncidentReport, Report, outlet_of_parts

__all__ = [
    "COLUMNS",
    "DUPLICATES_VERSION",
    "FACT_TABLES",
    "INCIDENTS_VERSION",
    "MIGRATIONS",
    "MIGRATIONS_TABLE",
    "REPORT_COLUMNS",
    "SCHEMA_VERSION",
    "UNIQUE_KEYS",
    "Fact",
    "Migration",
    "Row",
    "article_from_row",
    "article_row",
    "event_from_row",
    "event_row",
    "fact_id",
    "fact_row",
    "figure_from_row",
    "figure_row",
    "incident_from_row",
    "incident_report_from_row",
    "incident_report_row",
    "incident_row",
    "known_place_row",
    "place_from_row",
    "place_row",
    "stored_incident",
    "time_from_row",
    "time_row",
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

# One row per incident: the summary of its reports that the next report is compared with and
# that listings read without touching the reports. `family` + `country` + `date_start` is the
# index a new report's candidate lookup walks.
_INCIDENTS = """
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT NOT NULL,
    date_start TEXT,
    date_end TEXT,
    date_from_publication INTEGER NOT NULL,
    place_id TEXT,
    place_name TEXT,
    country TEXT,
    admin1 TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    kind TEXT,
    actors TEXT NOT NULL,
    fatalities INTEGER,
    fatalities_high INTEGER,
    reports INTEGER NOT NULL,
    sources INTEGER NOT NULL,
    first_reported TEXT,
    last_reported TEXT
)
"""

# Which incident each stored event reports, and whose word it is (the independent-source key).
_INCIDENT_REPORTS = """
CREATE TABLE incident_reports (
    event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source TEXT NOT NULL
)
"""

_INCIDENT_INDEXES = (
    "CREATE INDEX incidents_candidates ON incidents (family, country, date_start)",
    "CREATE INDEX incidents_date ON incidents (date_start, id)",
    "CREATE INDEX incidents_place_id ON incidents (place_id)",
    "CREATE INDEX incidents_first_reported ON incidents (first_reported)",
    "CREATE INDEX incident_reports_incident ON incident_reports (incident_id, source)",
    "CREATE INDEX incident_reports_article ON incident_reports (article_id)",
    # Type filters compare lower-cased names; these walk one type in date order.
    "CREATE INDEX incidents_type ON incidents (lower(type), date_start)",
    "CREATE INDEX incidents_subtype ON incidents (lower(subtype), date_start)",
)

# Near-duplicate detection (`sitroom.record.duplicates`): each article's fingerprint, and its
# LSH band keys as 64-bit integers, looked up by key when a new article arrives. A key keeps
# at most a few articles (the earliest): one shared by more is boilerplate, not a story.
_FINGERPRINTS = """
CREATE TABLE article_fingerprints (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    exact TEXT NOT NULL,
    signature TEXT NOT NULL
)
"""

_BANDS = """
CREATE TABLE article_bands (
    key BIGINT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
)
"""

_DUPLICATE_STATEMENTS = (
    # The canonical (first stored) article this one copies; NULL when it copies none.
    "ALTER TABLE articles ADD COLUMN canonical_id TEXT",
    "CREATE INDEX articles_canonical ON articles (canonical_id)",
    _FINGERPRINTS,
    _BANDS,
    # Only looked up by key: an exact copy shares every key, so it needs no index of its own.
    "CREATE INDEX article_bands_key ON article_bands (key)",
)

# Each gazetteer entry any mention resolved to, once: a few thousand rows however many
# articles, so a place filter finds its places here and then walks indexes, and place ids
# resolve without touching the mentions.
_KNOWN_PLACES = """
CREATE TABLE known_places (
    place_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT,
    admin1 TEXT,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    kind TEXT NOT NULL,
    population BIGINT
)
"""
_FILL_KNOWN_PLACES = """
INSERT INTO known_places (place_id, name, country, admin1, lat, lon, kind, population)
SELECT place_id, MIN(name), MIN(country), MIN(admin1), MIN(lat), MIN(lon), MIN(kind),
       MIN(population)
FROM places WHERE place_id IS NOT NULL GROUP BY place_id
"""
_KNOWN_PLACE_INDEXES = ("CREATE INDEX known_places_kind ON known_places (kind, country)",)

# Fact listings are ordered by their article's publication, then text order. Each fact row
# keeps a copy of that date (`published`), so one index holds the whole order and a page is a
# short walk along it instead of a sort of the joined table. An equality filter (measure,
# type, sub-type) leads its own copy of the order; a date filter compares a fact's own window,
# or its article's date when it has none, which the `*_days` indexes hold; `*_lead` gives
# the furthest any window ends after its publication, which bounds where a date walk starts.
_ORDER = "published, article_id, span_start, span_end, id"
_DATED = {"times": "window", "figures": "period", "events": "date"}


def _days(table: str) -> str:
    """A fact's own window, or its article's publication day when it has none."""
    prefix = _DATED.get(table)
    if prefix is None:
        return "published"
    return f"COALESCE({prefix}_end, published), COALESCE({prefix}_start, published)"


def _fact_order_statements() -> tuple[str, ...]:
    statements: list[str] = []
    for table in ("places", "times", "figures", "events"):
        # The order indexes end with the days so that a date filter is checked in the index.
        statements += [
            f"ALTER TABLE {table} ADD COLUMN published TEXT",
            f"UPDATE {table} SET published = "
            f"(SELECT a.published FROM articles a WHERE a.id = {table}.article_id)",
            f"CREATE INDEX {table}_order ON {table} ({_ORDER}, {_days(table)})",
        ]
    for table, prefix in _DATED.items():
        end = f"{prefix}_end"
        statements += [
            f"CREATE INDEX {table}_days ON {table} ({_days(table)})",
            f"CREATE INDEX {table}_lead ON {table} ((julianday({end}) - julianday(published)))",
            f"DROP INDEX IF EXISTS {table}_{prefix}",
        ]
    statements += [
        "DROP INDEX IF EXISTS figures_measure",
        f"CREATE INDEX figures_measure_order ON figures (measure, {_ORDER}, {_days('figures')})",
        "DROP INDEX IF EXISTS events_type",
        "DROP INDEX IF EXISTS events_subtype",
        f"CREATE INDEX events_type_order ON events (lower(type), {_ORDER}, {_days('events')})",
        f"CREATE INDEX events_subtype_order ON events "
        f"(lower(subtype), {_ORDER}, {_days('events')})",
    ]
    return tuple(statements)


_FACT_ORDER_STATEMENTS = _fact_order_statements()

_DEFERRED_INDEXES = """
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL
)
"""

_COVERING_CANDIDATES = (
    "DROP INDEX IF EXISTS incidents_candidates",
    "CREATE INDEX incidents_candidates ON incidents "
    "(family, country, date_start, date_end, lat, kind, place_id)",
)

#: The migrations before 0013, whose statements 0013 reads to copy the tables it rebuilds.
_BEFORE_UNIQUE_KEYS: tuple[Migration, ...] = (
    Migration("0001_tables", (_ARTICLES, _PLACES, _TIMES, _FIGURES, _EVENTS)),
    Migration("0002_filter_indexes", _INDEXES),
    Migration("0003_article_source", ("ALTER TABLE articles ADD COLUMN source TEXT",)),
    Migration("0004_duplicates", _DUPLICATE_STATEMENTS),
    Migration("0005_known_places", (_KNOWN_PLACES, _FILL_KNOWN_PLACES, *_KNOWN_PLACE_INDEXES)),
    Migration("0006_incidents", (_INCIDENTS, _INCIDENT_REPORTS, *_INCIDENT_INDEXES)),
    Migration("0007_fact_order", _FACT_ORDER_STATEMENTS),
    # Articles listed by date walk this index instead of sorting every row for a deep page.
    Migration("0008_article_order", ("CREATE INDEX articles_order ON articles (published, id)",)),
    # articles_order begins with the publication date: no query plan takes this one any more
    # (EXPLAIN QUERY PLAN over every statement the store, record, web and CLI tests run),
    # and every ingested article paid for updating it.
    Migration("0009_drop_articles_published", ("DROP INDEX IF EXISTS articles_published",)),
    # Where a figure's place came from (clause, sentence, the article's focus); NULL in rows
    # stored before, which took places from their sentence only.
    Migration("0010_figure_place_basis", ("ALTER TABLE figures ADD COLUMN place_basis TEXT",)),
    # Listing indexes a bulk load holds back until it ends (`sitroom.store.bulk`), with the
    # statement that builds each again: a process killed meanwhile leaves them listed here.
    Migration("0011_deferred_indexes", (_DEFERRED_INDEXES,)),
    # Filing's candidate lookups test an incident's end day and place in the index itself:
    # of the stored incidents of a family, country and fortnight, most lie too far away, and
    # each was read from the table only to be dropped (at 30,000 articles stored, 14,900 rows
    # read for 2,750 candidates in a batch of 1,000).
    Migration("0012_covering_candidates", _COVERING_CANDIDATES),
)

#: Each table's columns, in the order of the rows below.
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": (
        "id", "url", "title", "published", "published_source", "text", "added_at", "source",
        "canonical_id",
    ),
    "places": (
        "id", "article_id", "span_start", "span_end", "text", "place_id", "name", "country",
        "admin1", "lat", "lon", "kind", "population", "confidence", "published",
    ),
    "times": (
        "id", "article_id", "span_start", "span_end", "text", "window_start", "window_end",
        "granularity", "fuzzy", "published",
    ),
    "figures": (
        "id", "article_id", "span_start", "span_end", "text", "value", "low", "high",
        "qualifier", "unit", "measure", "sentence_start", "sentence_end", "place_id",
        "period_start", "period_end", "source", "vague", "published", "place_basis",
    ),
    "events": (
        "id", "article_id", "span_start", "span_end", "type", "subtype", "date_start",
        "date_end", "place_id", "actors", "fatalities", "confidence", "date_from_publication",
        "published",
    ),
    "incidents": (
        "id", "family", "type", "subtype", "date_start", "date_end", "date_from_publication",
        "place_id", "place_name", "country", "admin1", "lat", "lon", "kind", "actors",
        "fatalities", "fatalities_high", "reports", "sources", "first_reported",
        "last_reported",
    ),
    "incident_reports": ("event_id", "incident_id", "article_id", "source"),
    "article_fingerprints": ("article_id", "exact", "signature"),
    "known_places": (
        "place_id", "name", "country", "admin1", "lat", "lon", "kind", "population",
    ),
    "article_bands": ("key", "article_id"),
}  # fmt: skip
#: The fact tables, in the order facts are written and counted.
FACT_TABLES = ("places", "times", "figures", "events")

#: The tables whose key is unique by an index a bulk load may hold back, with that index; the
#: incident reports first, as they no longer refer to the events they are copied before.
UNIQUE_KEYS: dict[str, tuple[str, str]] = {
    "incident_reports": ("event_id", "incident_reports_event"),
    "events": ("id", "events_id"),
    "places": ("id", "places_id"),
    "times": ("id", "times_id"),
    "figures": ("id", "figures_id"),
}


def _table_as_migrated(table: str, migrations: Sequence[Migration]) -> str:
    """`table`'s CREATE TABLE statement with every column the migrations added since."""
    created = re.compile(rf"\s*CREATE TABLE {table} \(")
    added = re.compile(rf"ALTER TABLE {table} ADD COLUMN (.+)")
    statement = ""
    for migration in migrations:
        for text in migration.statements:
            if created.match(text):
                statement = text.strip()
            elif column := added.fullmatch(text.strip()):
                statement = f"{statement[:-1].rstrip()},\n    {column[1]}\n)"
    return statement


def _indexes_as_migrated(table: str, migrations: Sequence[Migration]) -> dict[str, str]:
    """`table`'s indexes, by name, with the statements the migrations built them with."""
    made = re.compile(rf"CREATE INDEX (\w+) ON {table} ")
    dropped = re.compile(r"DROP INDEX (?:IF EXISTS )?(\w+)")
    found: dict[str, str] = {}
    for migration in migrations:
        for text in migration.statements:
            if index := made.match(text):
                found[index[1]] = text
            elif index := dropped.fullmatch(text):
                found.pop(index[1], None)
    return found


def _unique_key_statements(migrations: Sequence[Migration]) -> tuple[str, ...]:
    """Rebuild the tables of `UNIQUE_KEYS` with their key unique by an index of its own.

    A primary key's index cannot be dropped (SQLite) or is a constraint (PostgreSQL); a plain
    unique index a bulk load can hold back. The table is copied, the copy takes its name, and
    its indexes are built there and then, so none of them stays recorded as held back. An
    incident report no longer refers to its event: a foreign key needs its parent's key index,
    and the report's article, which it refers to, is the event's, so a deletion still
    cascades.
    """
    statements: list[str] = []
    for table, (key, index) in UNIQUE_KEYS.items():
        columns = ", ".join(COLUMNS[table])
        copy = _table_as_migrated(table, migrations)
        copy = copy.replace(f"CREATE TABLE {table} (", f"CREATE TABLE {table}_keyed (", 1)
        copy = re.sub(rf"\b{key} TEXT PRIMARY KEY[^,]*,", f"{key} TEXT NOT NULL,", copy, count=1)
        indexes = _indexes_as_migrated(table, migrations)
        names = ", ".join(f"'{name}'" for name in indexes)
        statements += [
            copy,
            f"INSERT INTO {table}_keyed ({columns}) SELECT {columns} FROM {table}",
            f"DROP TABLE {table}",
            f"ALTER TABLE {table}_keyed RENAME TO {table}",
            f"CREATE UNIQUE INDEX {index} ON {table} ({key})",
            *indexes.values(),
            f"DELETE FROM deferred_indexes WHERE name IN ({names})",
        ]
    return tuple(statements)


#: Every migration, oldest first. Append new ones; never edit or reorder one that has shipped.
MIGRATIONS: tuple[Migration, ...] = (
    *_BEFORE_UNIQUE_KEYS,
    # A bulk load wrote a batch's 20,000 facts and 2,400 incident reports into their primary
    # keys at random places (the ids are hashes), and the commit wrote back every page it
    # touched: 175 MB a batch at 80,000 articles stored. Their keys are unique by an index
    # now, which a bulk load holds back like the listing indexes (`sitroom.store.bulk`).
    Migration("0013_unique_keys", _unique_key_statements(_BEFORE_UNIQUE_KEYS)),
)

#: The first schema versions that link duplicates and file incidents; older stores are
#: back-filled when they are opened.
DUPLICATES_VERSION = 4
INCIDENTS_VERSION = 6

#: The schema version this code writes and understands.
SCHEMA_VERSION = len(MIGRATIONS)


def fact_id(fact: Fact) -> str:
    """A stable id from the fact's article, kind, span and defining fields."""
    match fact:
        case PlaceMention():
            return _digest(_place_key(fact))
        case TimeMention():
            return _digest(_time_key(fact))
        case Figure():
            return _digest(_figure_key(fact))
        case Event():
            return _digest(_event_key(fact))


# What each kind of fact's id hashes: its article, span and defining fields, each as str()
# writes it, joined by \x1f. Stored ids depend on these texts: never change one.
def _place_key(mention: PlaceMention) -> str:
    place_id = mention.place.id if mention.place else None
    return f"{_span_key(mention)}\x1fplace\x1f{place_id}"


def _time_key(mention: TimeMention) -> str:
    return f"{_span_key(mention)}\x1ftime\x1f{_window_key(mention.window)}\x1f{mention.granularity}"


def _figure_key(figure: Figure) -> str:
    return (f"{_span_key(figure)}\x1ffigure\x1f{figure.measure}\x1f{figure.qualifier}\x1f"
            f"{figure.unit}\x1f{figure.value}")  # fmt: skip


def _event_key(event: Event) -> str:
    return f"{_span_key(event)}\x1fevent\x1f{event.type}\x1f{event.subtype}"


def _span_key(fact: Fact) -> str:
    return f"{fact.article_id}\x1f{fact.span.start}\x1f{fact.span.end}"


# A window's text is its dataclass repr, which is slow to write (2.5 us, a recursion guard):
# articles name the same few days over and over, so each is written once.
@functools.lru_cache(maxsize=4096)
def _window_key(window: Window | None) -> str:
    return str(window)


def _digest(key: str) -> str:
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
        article.source,
        None,
    )


def fact_row(fact: Fact, *, published: dt.date | None) -> tuple[str, Row]:
    """The table a fact goes into and its row there; `published` is its article's date."""
    day = _day(published)
    match fact:
        case PlaceMention():
            return "places", place_row(fact, day)
        case TimeMention():
            return "times", time_row(fact, day)
        case Figure():
            return "figures", figure_row(fact, day)
        case Event():
            return "events", event_row(fact, day)


# The rows are written out whole, one function per table, since every fact stored passes
# through one of them (building them from helpers' tuples took twice as long).
def place_row(mention: PlaceMention, day: str | None) -> Row:
    """The `places` row of a mention; `day` is its article's publication day (ISO)."""
    place, span = mention.place, mention.span
    if place is None:
        return (_digest(_place_key(mention)), mention.article_id, span.start, span.end,
                mention.text, None, None, None, None, None, None, None, None, mention.confidence,
                day)  # fmt: skip
    return (_digest(_place_key(mention)), mention.article_id, span.start, span.end, mention.text,
            place.id, place.name, place.country, place.admin1, place.lat, place.lon, place.kind,
            place.population, mention.confidence, day)  # fmt: skip


def time_row(mention: TimeMention, day: str | None) -> Row:
    """The `times` row of a mention; `day` is its article's publication day (ISO)."""
    window, span = mention.window, mention.span
    start, end = (None, None) if window is None else _window_days(window)
    return (_digest(_time_key(mention)), mention.article_id, span.start, span.end, mention.text,
            start, end, mention.granularity, int(mention.fuzzy), day)  # fmt: skip


def figure_row(figure: Figure, day: str | None) -> Row:
    """The `figures` row of a figure; `day` is its article's publication day (ISO)."""
    period, span, sentence = figure.period, figure.span, figure.sentence
    start, end = (None, None) if period is None else _window_days(period)
    # place_basis came in a later migration, after the copied publication day.
    return (_digest(_figure_key(figure)), figure.article_id, span.start, span.end, figure.text,
            figure.value, figure.low, figure.high, figure.qualifier, figure.unit, figure.measure,
            sentence.start, sentence.end, figure.place_id, start, end, figure.source,
            int(figure.vague), day, figure.place_basis)  # fmt: skip


def event_row(event: Event, day: str | None) -> Row:
    """The `events` row of an event; `day` is its article's publication day (ISO)."""
    date, span = event.date, event.span
    start, end = (None, None) if date is None else _window_days(date)
    return (_digest(_event_key(event)), event.article_id, span.start, span.end, event.type,
            event.subtype, start, end, event.place_id, _actors_json(event.actors),
            event.fatalities, event.confidence, int(event.date_from_publication), day)  # fmt: skip


def article_from_row(row: Sequence[Any]) -> Article:
    """The article an `articles` row holds."""
    id_, url, title, published, published_source, text, _, source = row[:8]
    return Article(
        id=id_,
        text=text,
        url=url,
        title=title,
        published=_date(published),
        published_source=published_source,
        source=source,
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
    place_basis = row[19]  # after the publication day, row[18]
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
        place_basis=place_basis,
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
        actors=_actors_of(actors),
        fatalities=fatalities,
        confidence=confidence,
        date_from_publication=bool(date_from_publication),
    )


def known_place_row(place: Place) -> Row:
    """The `known_places` row of a gazetteer entry."""
    return (place.id, place.name, place.country, place.admin1, place.lat, place.lon, place.kind,
            place.population)  # fmt: skip


def incident_row(incident: Incident) -> Row:
    """The `incidents` row holding an incident's summary."""
    place = incident.place
    entry: Row = (None,) * 7
    if place is not None:
        entry = (place.id, place.name, place.country, place.admin1, place.lat, place.lon)
        entry += (place.kind,)
    return (
        incident.id,
        incident.family,
        incident.type,
        incident.subtype,
        *_window_columns(incident.date),
        int(incident.date_from_publication),
        *entry,
        _actors_json(incident.actors),
        incident.fatalities,
        incident.fatalities_high,
        incident.report_count,
        incident.source_count,
        _day(incident.first_reported),
        _day(incident.last_reported),
    )


def incident_from_row(row: Sequence[Any], reports: tuple[IncidentReport, ...] = ()) -> Incident:
    """The incident an `incidents` row holds, with the reports given."""
    id_, _, type_, subtype, date_start, date_end, from_publication = row[:7]
    place_id, name, country, admin1, lat, lon, kind = row[7:14]
    actors, fatalities, high, report_count, source_count, first, last = row[14:21]
    place = None
    if place_id is not None:
        place = Place(place_id, name, country, admin1, lat, lon, kind)
    return Incident(
        id=id_,
        type=type_,
        subtype=subtype,
        date=_window(date_start, date_end),
        place=place,
        actors=_actors_of(actors),
        fatalities=fatalities,
        fatalities_high=high,
        report_count=report_count,
        source_count=source_count,
        first_reported=_date(first),
        last_reported=_date(last),
        date_from_publication=bool(from_publication),
        reports=reports,
    )


def stored_incident(incident: Incident) -> Incident:
    """The incident as its `incidents` row gives it back (`incident_from_row(incident_row(i))`,
    without the trip): no reports, and a place without its population, which the row omits."""
    place = incident.place
    if (place is None or not place.population) and not incident.reports:
        return incident
    if place is not None and place.population:
        place = Place(place.id, place.name, place.country, place.admin1, place.lat, place.lon,
                      place.kind)  # fmt: skip
    # Built whole: dataclasses.replace costs several times more, once per filed report.
    return Incident(
        id=incident.id,
        type=incident.type,
        subtype=incident.subtype,
        date=incident.date,
        place=place,
        actors=incident.actors,
        fatalities=incident.fatalities,
        fatalities_high=incident.fatalities_high,
        report_count=incident.report_count,
        source_count=incident.source_count,
        first_reported=incident.first_reported,
        last_reported=incident.last_reported,
        date_from_publication=incident.date_from_publication,
    )


def incident_report_row(incident_id: str, report: Report) -> Row:
    """The `incident_reports` row filing a report into an incident."""
    return (report.event_id, incident_id, report.article_id, report.source)


#: What a listing reads of each report: its filing, its event and its article.
REPORT_COLUMNS = (
    "ir.incident_id", "ir.event_id", "ir.article_id", "e.span_start", "e.span_end",
    "e.subtype", "e.date_start", "e.date_end", "e.fatalities", "ir.source", "a.title", "a.url",
    "a.published", "a.source",
)  # fmt: skip


def incident_report_from_row(row: Sequence[Any]) -> tuple[str, IncidentReport]:
    """The incident id and the report a row of `REPORT_COLUMNS` holds."""
    incident_id, event_id, article_id, start, end, subtype, date_start, date_end = row[:8]
    fatalities, source, title, url, published, outlet = row[8:14]
    report = IncidentReport(
        event_id=event_id,
        article_id=article_id,
        span=Span(start, end),
        subtype=subtype,
        date=_window(date_start, date_end),
        fatalities=fatalities,
        source=source,
        title=title,
        url=url,
        published=_date(published),
        outlet=outlet_of_parts(outlet, url),
    )
    return incident_id, report


# Events and incidents name the same few actors over and over: each list is encoded and read
# once (storing 5,000 generated articles encoded 35,000 such lists, at about 10 us each).
@functools.lru_cache(maxsize=4096)
def _actors_json(actors: tuple[str, ...]) -> str:
    return json.dumps(list(actors), ensure_ascii=False)


@functools.lru_cache(maxsize=4096)
def _actors_of(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _window_columns(window: Window | None) -> Row:
    return (None, None) if window is None else (_day(window.start), _day(window.end))


# Windows repeat as their texts do; a cached pair of ISO days costs less than two isoformat().
@functools.lru_cache(maxsize=4096)
def _window_days(window: Window) -> tuple[str, str]:
    return window.start.isoformat(), window.end.isoformat()


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
