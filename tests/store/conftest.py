"""The store suite runs on both backends: `store_url` names an empty store on each in turn."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from sitroom.store import open_store

BACKENDS = ["sqlite", "postgres"]
#: Every table a store fills, emptied between tests that share one PostgreSQL schema; those
#: that refer to others first.
_TABLES = (
    "incident_reports", "incidents", "article_bands", "article_fingerprints", "places", "times",
    "figures", "events", "known_places", "articles",
)  # fmt: skip


@pytest.fixture(scope="session")
def postgres_store_url(
    postgres_schemas: Callable[[], AbstractContextManager[str]],
) -> Iterator[str]:
    """One migrated PostgreSQL schema for the session's store tests."""
    with postgres_schemas() as url:
        open_store(url).close()
        yield url


def empty_store(url: str) -> str:
    """The store at `url`, emptied: quicker than migrating a new schema, or than TRUNCATE."""
    import psycopg

    with psycopg.connect(url) as connection:
        for table in _TABLES:
            connection.execute(f"DELETE FROM {table}")
    return url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest) -> str:
    """An empty store's URL: an in-memory SQLite database, or a PostgreSQL one."""
    if request.param == "sqlite":
        return ":memory:"
    return empty_store(request.getfixturevalue("postgres_store_url"))
