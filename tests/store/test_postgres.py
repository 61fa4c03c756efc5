"""The PostgreSQL store: its migrations and version table, concurrent openers and writers, a
lost connection, and clear errors for every way a URL can be wrong (issue 10 part 3)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from click.testing import CliRunner

from sitroom.cli import main
from sitroom.errors import SchemaVersionError, StoreError
from sitroom.model import Article, Event, Extraction, Span, Window
from sitroom.store import open_store
from sitroom.store.schema import COLUMNS, MIGRATIONS, SCHEMA_VERSION


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchall()


def _extraction(number: int) -> Extraction:
    text = f"Shelling hit the town on day {number}, officials said."
    article = Article.create(
        text, id=f"pg{number:04d}", published=dt.date(2024, 3, 1 + number % 28)
    )
    event = Event(article.id, Span(0, 8), "Explosions/Remote violence",
                  "Shelling/artillery/missile attack", Window.day(article.published))  # type: ignore[arg-type]  # fmt: skip
    return Extraction(article, events=(event,))


def test_a_fresh_database_gets_every_migration_once(postgres_url: str) -> None:
    open_store(postgres_url).close()
    names = [row[0] for row in _rows(postgres_url, "SELECT name FROM migrations ORDER BY name")]
    assert names == [m.name for m in MIGRATIONS]
    assert _rows(postgres_url, "SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]
    open_store(postgres_url).close()
    assert len(_rows(postgres_url, "SELECT name FROM migrations")) == len(MIGRATIONS)


def test_an_older_database_gets_only_the_missing_migrations(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr("sitroom.store.sql.SCHEMA_VERSION", 3)
        open_store(postgres_url).close()
    assert _rows(postgres_url, "SELECT version FROM schema_version") == [(3,)]
    with open_store(postgres_url) as store:
        assert store.add([_extraction(1)]).incidents == 1
    assert _rows(postgres_url, "SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]


def test_a_newer_database_is_refused(postgres_url: str) -> None:
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("UPDATE schema_version SET version = version + 1")
    with pytest.raises(SchemaVersionError, match=rf"version {SCHEMA_VERSION + 1}.*upgrade"):
        open_store(postgres_url)


def test_the_tables_have_the_columns_the_rows_are_written_in(postgres_url: str) -> None:
    open_store(postgres_url).close()
    for table, columns in COLUMNS.items():
        found = _rows(
            postgres_url,
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            f"'{table}' AND table_schema = current_schema() ORDER BY ordinal_position",
        )
        # PostgreSQL rows carry their insertion order in a column SQLite keeps as its rowid.
        assert tuple(row[0] for row in found if row[0] != "rowid") == columns


def test_openers_racing_on_a_new_database_migrate_it_once(postgres_url: str) -> None:
    errors: list[BaseException] = []

    def open_and_close() -> None:
        try:
            open_store(postgres_url).close()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_close) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(_rows(postgres_url, "SELECT name FROM migrations")) == len(MIGRATIONS)


def test_writers_side_by_side_store_each_article_once(postgres_url: str) -> None:
    batch = [_extraction(n) for n in range(40)]
    open_store(postgres_url).close()

    def write(order: int) -> None:
        with open_store(postgres_url) as store:
            for start in range(0, 40, 10):
                store.add(batch[::order][start : start + 10])

    threads = [threading.Thread(target=write, args=(order,)) for order in (1, -1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open_store(postgres_url) as store, open_store(":memory:") as alone:
        alone.add(batch)
        assert store.counts() == alone.counts()
        assert [i.report_count for i in store.incidents()] == [
            i.report_count for i in alone.incidents()
        ]


def test_a_lost_connection_fails_the_batch_and_the_next_call_reconnects(
    postgres_url: str,
) -> None:
    with open_store(postgres_url) as store:
        store.add([_extraction(1)])
        pid = store._postgres.connection.info.backend_pid  # type: ignore[attr-defined]
        with psycopg.connect(postgres_url, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreError, match=r"connection to the server was lost.*again"):
            store.add([_extraction(2), _extraction(3)])
        assert store.present_ids(["pg0001", "pg0002", "pg0003"]) == {"pg0001"}
        assert store.add([_extraction(2), _extraction(3)]).added == 2
        assert store.counts().articles == 3


def test_a_shutdown_while_a_batch_is_in_flight_says_the_connection_was_lost(
    postgres_url: str,
) -> None:
    # However the shutdown lands (before, among or after the batch's statements), the error
    # names the lost connection, and the batch is stored whole or not at all.
    outcomes: Counter[str] = Counter()
    with (
        open_store(postgres_url) as store,
        psycopg.connect(postgres_url, autocommit=True) as other,
    ):
        for attempt in range(40):
            store.counts()  # reconnects after the last attempt's shutdown
            pid = store._postgres.connection.info.backend_pid  # type: ignore[attr-defined]
            batch = [_extraction(attempt * 100 + n) for n in range(100)]
            shutdown = threading.Timer(
                attempt % 10 * 0.004,
                other.execute,
                ("SELECT pg_terminate_backend(%s)", (pid,)),
            )
            shutdown.start()
            try:
                store.add(batch)
            except StoreError as exc:
                assert "connection to the server was lost" in str(exc), exc
                outcomes["lost"] += 1
            else:
                outcomes["stored"] += 1
            finally:
                shutdown.join()
            stored = store.present_ids(extraction.article.id for extraction in batch)
            assert len(stored) in (0, len(batch))
    assert outcomes["lost"] > 0


def test_a_shutdown_while_a_pipeline_owes_results_is_reported_as_the_lost_connection(
    postgres_url: str,
) -> None:
    # Some shutdowns leave libpq refusing to end the pipeline ("cannot exit pipeline mode
    # while busy"); the error must still be the shutdown's, which says what to do.
    errors: list[StoreError] = []
    with (
        open_store(postgres_url) as store,
        psycopg.connect(postgres_url, autocommit=True) as other,
    ):
        other.execute("CREATE TABLE scratch (x integer)")
        for attempt in range(60):
            db = store._live()  # type: ignore[attr-defined]
            pid = db.connection.info.backend_pid
            shutdown = threading.Timer(
                attempt % 12 * 0.004, other.execute, ("SELECT pg_terminate_backend(%s)", (pid,))
            )
            shutdown.start()
            try:
                with db.pipeline():
                    for _ in range(300):
                        db.execute("INSERT INTO scratch SELECT generate_series(1, 200)")
                    db.execute("COMMIT")
            except psycopg.Error as exc:
                errors.append(store._error("write to", exc))  # type: ignore[attr-defined]
            finally:
                shutdown.join()
    assert errors
    assert [e for e in errors if "connection to the server was lost" not in str(e)] == []


def test_text_the_server_cannot_hold_is_a_clear_error(postgres_url: str) -> None:
    # PostgreSQL text cannot hold NUL, which SQLite can; the batch fails whole, and says why.
    with open_store(postgres_url) as store:
        with pytest.raises(StoreError, match="cannot write to the store"):
            store.add([_extraction(1), Extraction(Article.create("nul \x00 here", id="nul"))])
        assert store.counts().articles == 0


# -- URLs that are wrong -------------------------------------------------------------------------


def _replaced(url: str, **parts: str) -> str:
    split = urlsplit(url)
    return urlunsplit(split._replace(**parts))


def test_a_wrong_password_names_the_url_without_it(postgres_dsn: str) -> None:
    split = urlsplit(postgres_dsn)
    netloc = f"{split.username}:not-the-password-9@{split.hostname}:{split.port or 5432}"
    with pytest.raises(StoreError, match="password") as caught:
        open_store(_replaced(postgres_dsn, netloc=netloc))
    assert "not-the-password-9" not in str(caught.value)
    assert f"{split.username}:***@" in str(caught.value)


def test_a_missing_database_says_to_create_it(postgres_dsn: str) -> None:
    with pytest.raises(StoreError, match=r"sitroom_no_such_db.*does not exist.*createdb"):
        open_store(_replaced(postgres_dsn, path="/sitroom_no_such_db"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # Nothing listens on port 1: refused at once.
        ("postgresql://analyst:s3cret@127.0.0.1:1/sitroom", "server is running and reachable"),
        ("postgres://analyst:s3cret@127.0.0.1:notaport/sitroom", "check the URL"),
        ("postgresql://127.0.0.1/sitroom?password=s3cret&sslmode=bogus", "check the URL"),
    ],
)
def test_urls_that_cannot_work_are_clear_errors(url: str, expected: str) -> None:
    with pytest.raises(StoreError, match=expected) as caught:
        open_store(url)
    message = str(caught.value)
    assert "s3cret" not in message and "***" in message
    assert message.startswith(url.split("://")[0] + "://")


@pytest.fixture
def schema_pair(
    postgres_schemas: Callable[[], AbstractContextManager[str]],
) -> Iterator[tuple[str, str]]:
    with postgres_schemas() as first, postgres_schemas() as second:
        yield first, second


def test_stores_in_two_schemas_of_one_database_stay_apart(schema_pair: tuple[str, str]) -> None:
    first, second = schema_pair
    with open_store(first) as one, open_store(second) as two:
        one.add([_extraction(1)])
        assert (one.counts().articles, two.counts().articles) == (1, 0)


# -- the CLI on a PostgreSQL store ---------------------------------------------------------------

REPORTS = (
    "Shelling hit Kharkiv on Monday, killing 4 civilians and wounding 11 others, officials said.",
    "More than 2,300 people were displaced from villages near Goma over the past week.",
    "An air strike on a market in Idlib killed at least 9 people, residents said on Tuesday.",
    "Police detained 40 protesters in Khartoum on Friday, witnesses said.",
)


def test_the_cli_ingests_into_postgresql_and_lists_what_sqlite_lists(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SITROOM_DB", raising=False)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number, text in enumerate(REPORTS * 3):
        day = f"2024-0{1 + number % 3}-1{number % 9}"
        (inbox / f"r{number:02d}.txt").write_text(f" date {day} Report {number}. {text}\n")
    runner = CliRunner()
    sqlite = str(tmp_path / "s.db")
    for db in (postgres_url, sqlite):
        result = runner.invoke(main, ["ingest", "--db", db, str(inbox)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    for command in ("articles", "places", "figures", "events", "incidents"):
        listed = {
            db: runner.invoke(main, [command, "--db", db], catch_exceptions=False)
            for db in (postgres_url, sqlite)
        }
        assert listed[postgres_url].exit_code == listed[sqlite].exit_code == 0
        assert listed[postgres_url].output == listed[sqlite].output, command
        assert len(listed[sqlite].output.splitlines()) > 3, command
