"""The store interface every backend implements, fact ids, and `open_store` choosing a backend."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from sitroom.errors import StoreError
from sitroom.model import Article, Event, Extraction, Figure, Place, PlaceMention, TimeMention
from sitroom.record.incidents import Incident
from sitroom.store.schema import Fact, fact_id

__all__ = [
    "DEFAULT_PATH",
    "ENV_VAR",
    "LISTING_REACH_DAYS",
    "POSTGRES_SCHEMES",
    "AddResult",
    "BBox",
    "Counts",
    "Fact",
    "Store",
    "default_store_url",
    "fact_id",
    "open_store",
    "redact_url",
]

#: An incident listed for a period began at most this many days before it: one known only
#: to a longer window ("since 2012") is listed for the periods it begins near, not for all.
LISTING_REACH_DAYS = 31

#: Where the store lives when neither `--db` nor `SITROOM_DB` says otherwise.
DEFAULT_PATH = "sitroom.db"
ENV_VAR = "SITROOM_DB"
#: The URL schemes of a PostgreSQL store.
POSTGRES_SCHEMES = frozenset({"postgresql", "postgres"})


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one `Store.add` call wrote: new articles, articles already stored, facts written,
    new articles that copy a stored one, incidents opened and event reports filed."""

    added: int = 0
    present: int = 0
    facts: int = 0
    #: New articles linked to an earlier stored article they copy.
    duplicates: int = 0
    incidents: int = 0
    reports: int = 0


@dataclass(frozen=True, slots=True)
class Counts:
    """How many articles, facts and incidents the store holds."""

    articles: int
    places: int
    times: int
    figures: int
    events: int
    incidents: int = 0
    #: Articles linked to an earlier stored article they copy.
    duplicates: int = 0


@dataclass(frozen=True, slots=True)
class BBox:
    """A longitude/latitude box, edges inclusive, in degrees (west, south, east, north)."""

    west: float
    south: float
    east: float
    north: float

    def __post_init__(self) -> None:
        if not (-180 <= self.west <= self.east <= 180 and -90 <= self.south <= self.north <= 90):
            raise ValueError(
                f"invalid box {self.west},{self.south},{self.east},{self.north}: need "
                f"west <= east within -180..180 and south <= north within -90..90"
            )


@runtime_checkable
class Store(Protocol):
    """A database of articles and their facts; `add` is idempotent and one transaction.

    Date filters (`since`, `until`, inclusive) keep a fact whose own window overlaps them,
    or, for a fact without a date, whose article was published inside them. `place` is a
    place id or a case-insensitive substring of a resolved name or of a mention's text.
    """

    def add(self, extractions: Iterable[Extraction]) -> AddResult:
        """Store the extractions in one transaction; articles already stored are left as is.

        In the same transaction each new article is linked to the first stored article it
        copies, if any (`sitroom.record.duplicates`: exact or near duplicate), and each new event
        is filed into the incident it reports (`sitroom.record.incidents`); both are found by
        index lookups, never by a rescan. Copies are kept, never deleted. A
        `sitroom.store.prepare.PreparedBatch` brings its fingerprints along, taken where it
        was extracted, and they are not taken again.
        """
        ...

    def present_ids(self, article_ids: Iterable[str]) -> frozenset[str]:
        """Which of these article ids the store already holds."""
        ...

    def articles(
        self,
        *,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        ids: Iterable[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Stored articles by publication date (undated first), optionally only these ids."""
        ...

    def places(
        self,
        *,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[PlaceMention]:
        """Stored place mentions, in article and text order."""
        ...

    def times(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TimeMention]:
        """Stored time mentions, in article and text order."""
        ...

    def figures(
        self,
        *,
        measure: str | None = None,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Figure]:
        """Stored figures, in article and text order."""
        ...

    def events(
        self,
        *,
        type: str | None = None,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Event]:
        """Stored events (`type` matches an event type or sub-type), in article and text order."""
        ...

    def incidents(
        self,
        *,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        type: str | None = None,
        bbox: BBox | None = None,
        reported_since: dt.date | None = None,
        newest_first: bool = False,
        limit: int | None = None,
        offset: int = 0,
        with_reports: bool = True,
    ) -> list[Incident]:
        """Incidents with their reports, ordered by date then id (undated first).

        `place` also matches incidents inside a named admin area or country; `since`/`until`
        keep incidents whose dates overlap them and that began at most `LISTING_REACH_DAYS`
        before `since` (undated ones never); `type` is an event type or sub-type; `bbox`
        keeps incidents whose point lies in it (country-level ones have none);
        `reported_since` keeps those first reported on or after a day. With `with_reports`
        False the incidents carry no reports (their counts stay): a cheaper read for tallies.
        """
        ...

    def incident(self, incident_id: str) -> Incident | None:
        """One incident with its reports, or None when there is no such incident."""
        ...

    def canonical_ids(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Each stored article's canonical article: the first stored one it copies, or itself."""
        ...

    def duplicates_of(self, article_id: str) -> list[str]:
        """The other stored copies of an article's story, canonical first, in the order stored."""
        ...

    def resolve_places(self, place_ids: Iterable[str]) -> dict[str, Place]:
        """The gazetteer entries of these place ids, as stored with the mentions naming them."""
        ...

    def counts(self) -> Counts:
        """How many articles, facts and incidents the store holds."""
        ...

    def close(self) -> None:
        """Release the database; closing twice is harmless."""
        ...

    def __enter__(self) -> Self:
        """The store itself."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the store."""
        ...


def default_store_url() -> str:
    """The store to use when none is named: `$SITROOM_DB`, else `./sitroom.db`."""
    return os.environ.get(ENV_VAR) or DEFAULT_PATH


def open_store(url: str | os.PathLike[str] | None = None) -> Store:
    """The store at a path, `sqlite:///path`, `:memory:` or `postgresql://...`.

    With no URL, `default_store_url()`. PostgreSQL needs the `psycopg` package.
    """
    target = os.fspath(url) if url is not None else default_store_url()
    scheme, sep, rest = target.partition("://")
    if not sep:
        return _open_sqlite(target)
    if scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy spells them.
        return _open_sqlite(rest.removeprefix("/") or ":memory:")
    if scheme in POSTGRES_SCHEMES:
        return _open_postgres(target)
    raise StoreError(
        f"{redact_url(target)}: unknown store scheme {scheme!r}; "
        f"give a file path, sqlite:///path, :memory:, or postgresql://USER@HOST/DATABASE"
    )


def _open_sqlite(path: str) -> Store:
    # Imported here so that importing sitroom.store opens and loads nothing.
    from sitroom.store.sqlite import SQLiteStore

    return SQLiteStore.open(path)


def _open_postgres(url: str) -> Store:
    try:
        # Imported here: psycopg is needed only by those who use PostgreSQL.
        from sitroom.store.postgres import PostgresStore
    except ImportError as exc:
        raise StoreError(
            f"{redact_url(url)}: the PostgreSQL backend needs psycopg ({exc}); "
            f"install it with pip install 'psycopg[binary]'"
        ) from exc
    return PostgresStore.open(url)


def redact_url(url: str) -> str:
    """The store URL with any password masked (`user:***@host`, `password=***`), for messages."""
    url = re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", url)
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    user, colon, _ = credentials.partition(":")
    if not at or not colon:
        return url
    return f"{scheme}://{user}:***@{host}"
