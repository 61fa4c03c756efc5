"""Bad input, row by row of docs/bad-input.md: what the CLI and the Python API answer (issue 11).

Rows already backed by tests elsewhere (tests/test_cli.py, tests/sources/, tests/store/) are
cited in the table and not repeated here; the HTTP rows are backed in tests/web/, and the
last test here checks that every row of the table cites tests that exist. Each CLI error is
one line on stderr starting `sitroom: error: ` (or click's usage error), nothing on stdout, and
exit code 2 for bad input, 3 for the store.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import sitroom
from sitroom.cli import main
from sitroom.errors import (
    EmptyInputError,
    InputError,
    InvalidDateError,
    MalformedRecordError,
    MissingInputError,
    SchemaVersionError,
    StoreError,
)
from sitroom.sources import read_articles
from sitroom.store.schema import SCHEMA_VERSION

EXIT_INPUT, EXIT_STORE = 2, 3
TESTS = Path(__file__).resolve().parent
TABLE = TESTS.parent / "docs" / "bad-input.md"
# Written for these tests.
REPORT = "Shelling killed 4 civilians in Kherson on Monday, the governor said."


def _invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def _fails(result: Result, *fragments: str, code: int = EXIT_INPUT) -> str:
    """The command failed with `code`, printing nothing on stdout; its stderr, checked."""
    assert result.exit_code == code, (result.exit_code, result.output)
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr


def _error_line(stderr: str) -> str:
    """The `sitroom: error:` line (third-party warnings may come before it)."""
    return next(line for line in stderr.splitlines() if line.startswith("sitroom: error: "))


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A developer's SITROOM_DB must never receive test data."""
    monkeypatch.delenv("SITROOM_DB", raising=False)
    yield


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(f" date 2023-03-14 {REPORT}\n", encoding="utf-8")
    return path


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# -- inputs: files and directories -------------------------------------------------------------


@pytest.mark.parametrize("holds", [[], ["notes.md", "data.csv"], [".hidden/a.txt"]])
def test_cli_directory_without_articles(tmp_path: Path, holds: list[str]) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in holds:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(REPORT)
    stderr = _fails(_invoke("extract", str(folder)), "holds no article files", ".jsonl", ".txt")
    assert _error_line(stderr).startswith(f"sitroom: error: {folder}: ")


def test_cli_file_holding_only_a_date_prefix(tmp_path: Path) -> None:
    path = _write(tmp_path / "bare.txt", " date 2023-03-14 \n")
    _fails(_invoke("extract", str(path)), f"{path}: holds only a date prefix")


@pytest.mark.parametrize(
    ("prefix", "fragments"),
    [
        (" date 2019-13 ", ("'2019-13' is not in YYYY-MM-DD form", "2019-12-24")),
        (" date 24/12/2019 ", ("'24/12/2019' is not in YYYY-MM-DD form",)),
        (" date 20191224 ", ("'20191224' is not in YYYY-MM-DD form",)),
        (" date 2019-02-30 ", ("'2019-02-30' is not a real day", "day is out of range")),
        (" date 2019-00-10 ", ("'2019-00-10' is not a real day",)),
    ],
)
def test_cli_bad_date_prefix_names_file_and_value(
    tmp_path: Path, prefix: str, fragments: tuple[str, ...]
) -> None:
    path = _write(tmp_path / "dated.txt", prefix + REPORT)
    _fails(_invoke("extract", str(path)), f"{path}: first-line ` date ` prefix", *fragments)


def test_cli_prefix_not_starting_with_a_digit_is_text(tmp_path: Path) -> None:
    # " date Monday ..." is a sentence, not a malformed prefix.
    path = _write(tmp_path / "monday.txt", f" date Monday: {REPORT}")
    result = _invoke("extract", str(path))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["article"]["published"] is None


# -- inputs: JSONL records ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "fragments"),
    [
        ('{"id": "a1", "title": "no body"}', ('missing the required field "text"',)),
        ('{"text": 5}', ('field "text" must be a string, got a number',)),
        ('{"text": ["a", "b"]}', ('field "text" must be a string, got an array',)),
        ('{"text": "   "}', ('field "text" is empty',)),
        ('{"text": "x y", "published": 20191224}', ('field "published"', "got a number")),
        ('{"text": "x y", "published": "24 Dec 2019"}', ("'24 Dec 2019'", "YYYY-MM-DD")),
        ('{"text": "x y", "id": ""}', ('field "id"', "got an empty string")),
        ('{"text": "x y", "url": {"href": "x"}}', ('field "url"', "got an object")),
        ('{"text": "x y", "title": true}', ('field "title"', "got a boolean")),
        ("[1, 2]", ("expected a JSON object, got an array",)),
        ('"just a string"', ("expected a JSON object, got a string",)),
        ('{"text": "unterminated', ("not JSON", "column")),
    ],
)
def test_cli_bad_jsonl_record_names_file_line_and_field(
    tmp_path: Path, line: str, fragments: tuple[str, ...]
) -> None:
    good = json.dumps({"id": "ok", "text": REPORT})
    path = _write(tmp_path / "in.jsonl", f"\n{line}\n{good}\n")
    # Line 2: the blank line counts, so the number is the one an editor shows.
    _fails(_invoke("extract", "--format", "jsonl", str(path)), f"{path}:2: ", *fragments)


def test_cli_jsonl_records_before_a_bad_line_are_written_then_it_fails(tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "text": REPORT})
    path = _write(tmp_path / "in.jsonl", f"{good}\n{{oops\n{good}\n")
    result = _invoke("extract", "--format", "jsonl", str(path))
    assert result.exit_code == EXIT_INPUT
    assert [json.loads(line)["article"]["id"] for line in result.stdout.splitlines()] == ["ok"]
    assert _error_line(result.stderr).startswith(f"sitroom: error: {path}:2: not JSON")


def test_cli_jsonl_line_that_is_not_utf8_names_line_and_byte(tmp_path: Path) -> None:
    good = json.dumps({"text": REPORT}).encode()
    path = _write(tmp_path / "in.jsonl", good + b"\n" + b'{"text": "Al\xe9p"}\n')
    offset = len(good) + 1 + len(b'{"text": "Al')
    result = _invoke("extract", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: not valid UTF-8" in result.stderr
    assert f"offset {offset}" in result.stderr
    # The good line before it was extracted and written, as valid JSON.
    assert json.loads(result.stdout)["contract"] == "sitroom.extract/v1"


# -- inputs: feeds, pages, URLs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [("wire.rss", "not xml at all"), ("wire.atom", "{}"), ("wire.rss", "<html><p>x</p></html>")],
)
def test_cli_feed_that_is_not_a_feed(tmp_path: Path, name: str, data: str) -> None:
    path = _write(tmp_path / name, data)
    _fails(_invoke("extract", str(path)), f"{path}: not an RSS or Atom feed", "feed's own address")


@pytest.mark.parametrize(
    ("data", "warnings"),
    [
        ("<rss><channel><item><title>", ("malformed feed", "the feed holds no items")),
        ("<rss><channel><title>Wire</title></channel></rss>", ("the feed holds no items",)),
    ],
)
def test_cli_feed_without_items_warns_and_gives_no_articles(
    tmp_path: Path, data: str, warnings: tuple[str, ...]
) -> None:
    path = _write(tmp_path / "wire.xml", data)
    # A real process: under pytest, logging goes to pytest's handler, not to stderr.
    result = subprocess.run(
        [sys.executable, "-m", "sitroom", "extract", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, json.loads(result.stdout)) == (0, [])
    for warning in warnings:
        assert f"sitroom: WARNING: {path}: {warning}" in result.stderr


def test_cli_page_without_article_text(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "blank.html", "<html><head><title>x</title></head><body></body></html>"
    )
    stderr = _fails(_invoke("extract", str(path)), "no article text found in the page")
    assert _error_line(stderr).startswith(f"sitroom: error: {path}: ")


def test_cli_url_where_nothing_listens(unused_port: int) -> None:
    url = f"http://127.0.0.1:{unused_port}/feed.xml"
    _fails(_invoke("extract", url), f"{url}: cannot fetch", "try again later")


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# -- options -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("extract", "--format", "xml"), "'xml' is not one of 'json', 'jsonl', 'table'"),
        (("extract", "--input-format", "xml"), "'xml' is not one of 'text', 'jsonl'"),
        (("ingest", "--batch-size", "0"), "0 is not in the range x>=1"),
        (("extract", "--published", "yesterday"), "YYYY-MM-DD"),
    ],
)
def test_cli_bad_option_is_a_usage_error(
    report: Path, tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    extra = ("--db", str(tmp_path / "s.db")) if args[0] == "ingest" else ()
    _fails(_invoke(*args, *extra, str(report)), "Usage:", fragment)


def test_cli_no_paths_is_a_usage_error() -> None:
    _fails(_invoke("extract"), "Usage:", "Missing argument 'PATHS...'")


# -- the store ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["ingest", "articles"])
def test_cli_store_path_that_is_a_directory(tmp_path: Path, report: Path, command: str) -> None:
    folder = tmp_path / "stores"
    folder.mkdir()
    args = (command, "--db", str(folder), *([str(report)] if command == "ingest" else []))
    _fails(_invoke(*args), f"{folder}: is a directory", "sitroom.db", code=EXIT_STORE)
    assert list(folder.iterdir()) == []


def _store_with_version(path: Path, version: int) -> Path:
    sitroom.open_store(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {int(version)}")
    connection.close()
    return path


@pytest.mark.parametrize("command", ["ingest", "articles", "events"])
def test_cli_store_with_a_newer_schema(tmp_path: Path, report: Path, command: str) -> None:
    db = _store_with_version(tmp_path / "new.db", SCHEMA_VERSION + 1)
    args = (command, "--db", str(db), *([str(report)] if command == "ingest" else []))
    _fails(
        _invoke(*args),
        f"{db}: the database has schema version {SCHEMA_VERSION + 1}",
        f"knows only up to {SCHEMA_VERSION}",
        "upgrade sitroom",
        code=EXIT_STORE,
    )
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    connection.close()


def test_cli_store_that_is_not_a_database(tmp_path: Path, report: Path) -> None:
    db = _write(tmp_path / "notes.db", "my notes, not a database\n" * 200)
    before = db.read_bytes()
    _fails(
        _invoke("ingest", "--db", str(db), str(report)),
        f"{db}: not a SQLite database",
        "move this file away",
        code=EXIT_STORE,
    )
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("url", "fragments"),
    [
        ("mysql://localhost/news", ("unknown store scheme 'mysql'", "sqlite:///path")),
        # An unreachable server (a host name that does not resolve: the test never waits).
        ("postgresql://analyst:s3cret@db.invalid:5432/x", ("cannot connect to PostgreSQL",)),
        ("postgres://analyst:s3cret@db.invalid/x", ("analyst:***@db.invalid",)),
    ],
)
@pytest.mark.parametrize("command", ["ingest", "figures"])
def test_cli_store_url_that_cannot_be_used(
    report: Path, url: str, fragments: tuple[str, ...], command: str
) -> None:
    args = (command, "--db", url, *([str(report)] if command == "ingest" else []))
    stderr = _fails(_invoke(*args), *fragments, code=EXIT_STORE)
    assert "s3cret" not in stderr


def test_cli_store_errors_exit_3_from_a_real_process(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("sitroom")
    if not script.exists():
        pytest.skip(f"no console script at {script}; install the package with pip install -e .")
    result = subprocess.run(
        [str(script), "articles", "--db", "mysql://localhost/news"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (EXIT_STORE, "")
    assert result.stderr.startswith("sitroom: error: mysql://localhost/news: unknown store scheme")


def test_cli_url_of_another_scheme_is_named_as_written() -> None:
    _fails(_invoke("extract", "ftp://example.org/feed.xml"), "ftp://example.org/feed.xml")


# -- the Python API ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [b"Shelling hit Aleppo.", None, 12, ["Shelling"]])
def test_api_text_that_is_not_a_str(text: Any) -> None:
    with pytest.raises(InputError, match=r"^text must be a str, got "):
        sitroom.extract(text)


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_api_empty_text(text: str) -> None:
    with pytest.raises(EmptyInputError, match="text is empty"):
        sitroom.extract(text)


@pytest.mark.parametrize(
    ("published", "fragment"),
    [
        ("2019-02-30", "'2019-02-30' is not a real day"),
        ("20191224", "'20191224' is not in YYYY-MM-DD form"),
        ("24 December 2019", "'24 December 2019' is not in YYYY-MM-DD form"),
        ("", "'' is not in YYYY-MM-DD form"),
    ],
)
def test_api_published_string_that_is_not_a_day(published: str, fragment: str) -> None:
    with pytest.raises(InvalidDateError, match=rf"^published: publication date {fragment}"):
        sitroom.extract(REPORT, published=published)


def test_api_published_of_the_wrong_type() -> None:
    with pytest.raises(InputError, match="published"):
        sitroom.extract(REPORT, published=20191224)  # type: ignore[arg-type]


def test_api_published_datetime_is_its_day() -> None:
    payload: dict[str, Any] = sitroom.extract(
        REPORT, published=dt.datetime(2020, 1, 1, 5)
    ).to_dict()
    assert payload["article"]["published"] == "2020-01-01"


@pytest.mark.parametrize("field", ["id", "url", "title"])
def test_api_metadata_of_the_wrong_type(field: str) -> None:
    with pytest.raises(InputError, match=field):
        wrong: dict[str, Any] = {field: 5}
        sitroom.extract(REPORT, **wrong)


def test_api_read_articles_names_a_missing_input_before_reading_any(
    tmp_path: Path, report: Path
) -> None:
    missing = tmp_path / "nowhere.jsonl"
    with pytest.raises(MissingInputError, match=rf"^{missing}: no such file or directory"):
        list(read_articles([report, missing]))


def test_api_read_articles_names_a_bad_jsonl_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "in.jsonl", json.dumps({"text": REPORT}) + '\n{"id": 1}\n')
    articles = read_articles([path])
    assert next(articles).text == REPORT
    with pytest.raises(MalformedRecordError, match=rf"^{path}:2: missing the required field"):
        next(articles)


def test_api_open_store_on_a_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"is a directory, not a store file"):
        sitroom.open_store(tmp_path)


def test_api_open_store_on_a_newer_schema(tmp_path: Path) -> None:
    db = _store_with_version(tmp_path / "new.db", SCHEMA_VERSION + 1)
    with pytest.raises(SchemaVersionError, match="upgrade sitroom"):
        sitroom.open_store(db)


# -- the table itself --------------------------------------------------------------------------

# `file.py::test_name`, or `::test_name` for another test of the file cited just before; a
# parametrised test may name its case, `::test_name[case-id]`.
_CITATION = re.compile(r"`((?:[\w/]+\.py)?)::(\w+)(?:\[([\w-]+)\])?")


def _table_rows(section: str) -> list[str]:
    """The rows of docs/bad-input.md before the HTTP section ("files") or in it ("http")."""
    before, _, http = TABLE.read_text(encoding="utf-8").partition("## HTTP API")
    return [
        line
        for line in (http if section == "http" else before).splitlines()
        if line.startswith("| ") and not line.startswith(("| bad input", "| bad request"))
    ]


@pytest.mark.parametrize(("section", "least"), [("files", 40), ("http", 30)])
def test_every_row_of_the_bad_input_table_names_tests_that_exist(section: str, least: int) -> None:
    rows = _table_rows(section)
    assert len(rows) > least
    for row in rows:
        citations = _CITATION.findall(row)
        assert citations, f"no test backs this row: {row}"
        cited_file = ""
        for file, name, case in citations:
            cited_file = file or cited_file
            source = (TESTS / cited_file).read_text(encoding="utf-8")
            assert re.search(rf"^def {name}\(", source, re.MULTILINE), (cited_file, name, row)
            # A named case is a key of the test's table of cases.
            assert not case or f'"{case}": ' in source, (cited_file, case, row)
