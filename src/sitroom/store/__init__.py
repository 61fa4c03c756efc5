"""The store interface every backend implements, fact ids, and `open_store` choosing a backend."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from sitroom.errors import StoreError
from sitroom.model import Article, Event, Extraction, Figure, PlaceMention, TimeMention
from sitroom.store.schema import Fact, fact_id

__all__ = [
    "DEFAULT_PATH",
    "ENV_VAR",
    "AddResult",
    "Counts",
    "Fact",
    "Store",
    "default_store_url",
    "fact_id",
    "open_store",
]

#: Where the store lives when neither `--db` nor `SITROOM_DB` says otherwise.
DEFAULT_PATH = "sitroom.db"
ENV_VAR = "SITROOM_DB"


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one `Store.add` call wrote: new articles, articles already stored, facts written."""

    added: int = 0
    present: int = 0
    facts: int = 0


@dataclass(frozen=True, slots=True)
class Counts:
    """How many articles and facts of each kind the store holds."""

    articles: int
    places: int
    times: int
    figures: int
    events: int


@runtime_checkable
class Store(Protocol):
    """A database of articles and their facts; `add` is idempotent and one transaction.

    Date filters (`since`, `until`, inclusive) keep a fact whose own window overlaps them,
    or, for a fact without a date, whose article was published inside them. `place` is a
    place id or a case-insensitive substring of a resolved name or of a mention's text.
    """

    def add(self, extractions: Iterable[Extraction]) -> AddResult:
        """Store the extractions in one transaction; articles already stored are left as is."""
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
        limit: int | None = None,
    ) -> list[Article]:
        """Stored articles by publication date, optionally those mentioning a place."""
        ...

    def places(
        self,
        *,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
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
    ) -> list[Event]:
        """Stored events (`type` matches an event type or sub-type), in article and text order."""
        ...

    def counts(self) -> Counts:
        """How many articles and facts the store holds."""
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
    """The store at a path, `sqlite:///path`, or `:memory:`; `default_store_url()` if None."""
    target = os.fspath(url) if url is not None else default_store_url()
    scheme, sep, rest = target.partition("://")
    if not sep:
        return _open_sqlite(target)
    if scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy spells them.
        return _open_sqlite(rest.removeprefix("/") or ":memory:")
    if scheme in {"postgresql", "postgres"}:
        raise StoreError(
            f"{_redact(target)}: the PostgreSQL backend is not available yet; "
            f"use a SQLite path such as ./sitroom.db"
        )
    raise StoreError(
        f"{_redact(target)}: unknown store scheme {scheme!r}; "
        f"give a file path, sqlite:///path, or :memory:"
    )


def _open_sqlite(path: str) -> Store:
    # Imported here so that importing sitroom.store opens and loads nothing.
    from sitroom.store.sqlite import SQLiteStore

    return SQLiteStore.open(path)


def _redact(url: str) -> str:
    # A database URL may carry a password; error messages must not.
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return url
    user = credentials.partition(":")[0]
    return f"{scheme}://{user}:***@{host}"
