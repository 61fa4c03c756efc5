"""Shared fixtures: the contract's JSON Schema, the team's shared folder beside the repo, and a
PostgreSQL server with a fresh database per test."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# Property tests check what comes out, never how fast: speed is measured in benchmarks/. On a
# loaded 2-core machine a first example that loads the gazetteer can take 300 ms, and
# Hypothesis's default 200 ms deadline would fail it.
settings.register_profile("sitroom", deadline=None)
settings.load_profile("sitroom")
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def contract_schema() -> dict[str, Any]:
    """The JSON Schema of sitroom.extract/v1 kept beside the tests."""
    schema: dict[str, Any] = json.loads(
        (Path(__file__).parent / "contract" / "extract-v1.schema.json").read_text("utf-8")
    )
    return schema


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared`, which CI always lays beside the clone; skipped where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not there; CI lays it beside the clone")
    return SHARED


# -- PostgreSQL ---------------------------------------------------------------------------------

#: The server the PostgreSQL tests use, e.g. postgresql://sitroom:sitroom@127.0.0.1:5432/sitroom
POSTGRES_ENV = "SITROOM_TEST_POSTGRES"


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    """A running PostgreSQL server's URL (`$SITROOM_TEST_POSTGRES`); CI always gives one.

    Skipped where the variable is unset, except under CI (`$CI` set), where that fails.
    """
    dsn = os.environ.get(POSTGRES_ENV, "")
    if not dsn:
        reason = (
            f"{POSTGRES_ENV} is unset; scripts/ci_postgres.sh starts a server and prints it "
            f"(see docs/postgresql.md)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
        pytest.skip(reason)
    return dsn


@pytest.fixture
def postgres_url(postgres_dsn: str) -> Iterator[str]:
    """The URL of a fresh, empty database on that server, dropped after the test.

    Each test gets a schema of its own, named in the URL's search_path: three times faster
    than CREATE DATABASE, and as empty to whoever opens the URL.
    """
    with empty_schema(postgres_dsn) as url:
        yield url


@pytest.fixture(scope="session")
def postgres_schemas(postgres_dsn: str) -> Callable[[], AbstractContextManager[str]]:
    """Makes fresh, empty databases (as URLs) for fixtures wider than one test."""
    return lambda: empty_schema(postgres_dsn)


@contextmanager
def empty_schema(dsn: str) -> Iterator[str]:
    """A new schema on the server, as a URL whose connections see only it; dropped after."""
    import psycopg

    name = f"sitroom_t_{secrets.token_hex(6)}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {name}")
    try:
        yield with_search_path(dsn, name)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute("SET client_min_messages = warning")
            connection.execute(f"DROP SCHEMA {name} CASCADE")


def with_search_path(dsn: str, schema: str) -> str:
    """The URL with `-c search_path=schema` added to its connection options."""
    parts = urlsplit(dsn)
    query = parse_qsl(parts.query)
    options = [value for key, value in query if key == "options"]
    options.append(f"-csearch_path={schema}")
    query = [(key, value) for key, value in query if key != "options"] + [
        ("options", " ".join(options))
    ]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))
