"""What each kind of bad HTTP request gets: status, error code and message, one row of the
HTTP table in docs/bad-input.md per case (issue 11)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Case:
    """A request and what it must get: status, error code and the start of the message."""

    method: str
    path: str
    status: int
    code: str
    message: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    writable: bool = False


JSON = {"content-type": "application/json"}
TEXT = {"content-type": "text/plain"}
AUTH = {"authorization": "Bearer {token}"}
MEASURES = "killed, injured, missing"

CASES = {
    # POST /api/extract
    "extract-not-json": Case(
        "POST", "/api/extract", 422, "invalid_request", "", b'{"text": "x"', JSON
    ),
    "extract-not-an-object": Case(
        "POST",
        "/api/extract",
        422,
        "invalid_request",
        "body: Input should be a valid dictionary or object to extract fields from",
        b'["Shelling hit Aleppo."]',
        JSON,
    ),
    "extract-not-json-content-type": Case(
        "POST",
        "/api/extract",
        422,
        "invalid_request",
        "body: Input should be a valid dictionary or object to extract fields from",
        b'{"text": "Shelling hit Aleppo."}',
        TEXT,
    ),
    "extract-not-utf8": Case(
        "POST",
        "/api/extract",
        400,
        "bad_input",
        "There was an error parsing the body",
        b'{"text": "Shelling hit \xe9"}',
        JSON,
    ),
    "extract-no-text": Case(
        "POST", "/api/extract", 422, "invalid_request", "text: Field required", b"{}", JSON
    ),
    "extract-text-not-a-string": Case(
        "POST",
        "/api/extract",
        422,
        "invalid_request",
        "text: Input should be a valid string",
        b'{"text": 12}',
        JSON,
    ),
    "extract-text-empty": Case(
        "POST",
        "/api/extract",
        422,
        "invalid_request",
        "text: String should have at least 1 character",
        b'{"text": ""}',
        JSON,
    ),
    "extract-text-blank": Case(
        "POST",
        "/api/extract",
        400,
        "bad_input",
        "text is empty; pass the article body to extract from",
        b'{"text": " \\n\\t "}',
        JSON,
    ),
    "extract-lone-surrogate": Case(
        "POST",
        "/api/extract",
        422,
        "invalid_request",
        "text: Input should be a valid string, unable to parse raw data as a unicode string",
        b'{"text": "Shelling \\ud800 hit Aleppo."}',
        JSON,
    ),
    "extract-published-not-a-day": Case(
        "POST",
        "/api/extract",
        422,
        "invalid_request",
        "published: Input should be a valid date or datetime, day value is outside expected range",
        b'{"text": "Shelling hit Aleppo.", "published": "2019-02-30"}',
        JSON,
    ),
    "extract-published-a-number": Case(
        "POST",
        "/api/extract",
        422,
        "invalid_request",
        "published: Datetimes provided to dates should have zero time",
        b'{"text": "Shelling hit Aleppo.", "published": 20191224}',
        JSON,
    ),
    "extract-id-too-long": Case(
        "POST",
        "/api/extract",
        422,
        "invalid_request",
        "id: String should have at most 200 characters",
        json.dumps({"text": "Shelling hit Aleppo.", "id": "x" * 201}).encode(),
        JSON,
    ),
    "extract-body-too-large": Case(
        "POST",
        "/api/extract",
        413,
        "too_large",
        "the request body is over 262144 bytes; send less",
        json.dumps({"text": "x" * 262_144}).encode(),
        JSON,
    ),
    "body-too-large-elsewhere": Case(
        "POST",
        "/api/meta",
        413,
        "too_large",
        "the request body is over 16384 bytes; send less",
        b"x" * 16_385,
        TEXT,
    ),
    # Filters
    "date-not-a-day": Case(
        "GET",
        "/api/events?since=2019-13-01",
        422,
        "invalid_request",
        "since: Input should be a valid date or datetime, month value is outside expected range",
    ),
    "date-not-a-date": Case(
        "GET",
        "/api/incidents?until=yesterday",
        422,
        "invalid_request",
        "until: Input should be a valid date or datetime, input is too short",
    ),
    "bbox-not-four-numbers": Case(
        "GET",
        "/api/events?bbox=1,2,3",
        422,
        "invalid_request",
        "bbox '1,2,3': expected four numbers west,south,east,north",
    ),
    "bbox-upside-down": Case(
        "GET",
        "/api/incidents?bbox=10,0,5,1",
        422,
        "invalid_request",
        "bbox '10,0,5,1': invalid box 10.0,0.0,5.0,1.0: need west <= east within -180..180",
    ),
    "limit-too-big": Case(
        "GET",
        "/api/articles?limit=501",
        422,
        "invalid_request",
        "limit: Input should be less than or equal to 500",
    ),
    "limit-not-a-number": Case(
        "GET",
        "/api/figures?limit=ten",
        422,
        "invalid_request",
        "limit: Input should be a valid integer, unable to parse string as an integer",
    ),
    "offset-too-deep": Case(
        "GET",
        "/api/places?offset=10001",
        422,
        "invalid_request",
        "offset: Input should be less than or equal to 10000",
    ),
    "filter-too-long": Case(
        "GET",
        "/api/events?place=" + "x" * 201,
        422,
        "invalid_request",
        "place: String should have at most 200 characters",
    ),
    "measure-unknown": Case(
        "GET",
        "/api/series?measure=bananas",
        422,
        "invalid_request",
        f"measure 'bananas': expected one of {MEASURES}",
    ),
    # Ids, routes, methods
    "article-unknown": Case(
        "GET", "/api/articles/no-such-id", 404, "not_found", "no article with id 'no-such-id'"
    ),
    "incident-unknown": Case(
        "GET", "/api/incidents/no-such-id", 404, "not_found", "no incident with id 'no-such-id'"
    ),
    "route-unknown": Case("GET", "/api/nowhere", 404, "not_found", "Not Found"),
    "static-file-unknown": Case("GET", "/static/nowhere.js", 404, "not_found", "Not Found"),
    "wrong-method": Case("DELETE", "/api/articles/x", 405, "method_not_allowed", "Method Not"),
    "extract-with-get": Case("GET", "/api/extract", 405, "method_not_allowed", "Method Not"),
    # POST /api/ingest
    "ingest-read-only": Case(
        "POST",
        "/api/ingest",
        403,
        "read_only",
        "the server is read-only; start it with --token to allow writes",
        b'{"text": "Shelling hit Aleppo."}\n',
    ),
    "ingest-no-token": Case(
        "POST",
        "/api/ingest",
        401,
        "unauthorized",
        "missing or wrong token; send Authorization: Bearer TOKEN",
        b'{"text": "Shelling hit Aleppo."}\n',
        writable=True,
    ),
    "ingest-wrong-token": Case(
        "POST",
        "/api/ingest",
        401,
        "unauthorized",
        "missing or wrong token; send Authorization: Bearer TOKEN",
        b'{"text": "Shelling hit Aleppo."}\n',
        {"authorization": "Bearer not-the-token"},
        writable=True,
    ),
    "ingest-empty": Case(
        "POST",
        "/api/ingest",
        400,
        "bad_input",
        "body: holds no JSONL records; give one JSON object per line",
        b"",
        AUTH,
        writable=True,
    ),
    "ingest-line-not-json": Case(
        "POST",
        "/api/ingest",
        400,
        "bad_input",
        "body:2: not JSON",
        b'{"text": "Shelling hit Aleppo."}\nnot json\n',
        AUTH,
        writable=True,
    ),
    "ingest-record-without-text": Case(
        "POST",
        "/api/ingest",
        400,
        "bad_input",
        'body:1: missing the required field "text"',
        b'{"title": "Shelling"}\n',
        AUTH,
        writable=True,
    ),
    "ingest-published-not-a-day": Case(
        "POST",
        "/api/ingest",
        400,
        "bad_input",
        "body:1: publication date '2019-02-30' is not a real day",
        b'{"text": "Shelling hit Aleppo.", "published": "2019-02-30"}\n',
        AUTH,
        writable=True,
    ),
    "ingest-not-utf8": Case(
        "POST",
        "/api/ingest",
        400,
        "bad_input",
        "body:1: not valid UTF-8 (byte 0xe9 at byte offset 12)",
        b'{"text": "Sh\xe9lling"}\n',
        AUTH,
        writable=True,
    ),
    "ingest-text-binary": Case(
        "POST",
        "/api/ingest",
        400,
        "bad_input",
        "body: looks binary (NUL byte at byte offset 8)",
        b"Shelling\x00hit Aleppo.",
        {**AUTH, **TEXT},
        writable=True,
    ),
    "ingest-published-query-not-a-day": Case(
        "POST",
        "/api/ingest?published=2019-02-30",
        422,
        "invalid_request",
        "published: Input should be a valid date or datetime, day value is outside expected range",
        b"Shelling hit Aleppo.",
        {**AUTH, **TEXT},
        writable=True,
    ),
    "ingest-body-too-large": Case(
        "POST",
        "/api/ingest",
        413,
        "too_large",
        "the request body is over 8388608 bytes; send less",
        b"x" * (8 * 1024 * 1024 + 1),
        AUTH,
        writable=True,
    ),
}


@pytest.fixture(scope="module")
def servers(
    tmp_path_factory: pytest.TempPathFactory, example_db: Path, serve: Any, token: str
) -> Iterator[dict[bool, httpx.Client]]:
    """Clients of a read-only server over the examples and of a writable one of its own."""
    folder = tmp_path_factory.mktemp("bad-requests")
    db = folder / "w.db"
    db.write_bytes(example_db.read_bytes())
    with (
        serve(example_db) as read_only,
        serve(db, token=token) as writable,
        httpx.Client(base_url=read_only, timeout=30) as reader,
        httpx.Client(base_url=writable, timeout=30) as writer,
    ):
        yield {False: reader, True: writer}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_request(servers: dict[bool, httpx.Client], token: str, case: Case) -> None:
    client = servers[case.writable]
    headers = {k: v.format(token=token) for k, v in case.headers.items()}
    before = client.get("/api/meta").json()["counts"]
    response = client.request(case.method, case.path, content=case.body, headers=headers)
    assert response.status_code == case.status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert response.json() == {"error": error}
    assert error["status"] == case.status and error["code"] == case.code
    assert error["message"].startswith(case.message), error["message"]
    assert "Traceback" not in response.text
    assert client.get("/api/meta").json()["counts"] == before, "a refused request stored nothing"


def test_a_body_that_is_not_json_names_the_body(servers: dict[bool, httpx.Client]) -> None:
    response = servers[False].post("/api/extract", content=b'{"text": "x"', headers=JSON)
    message = response.json()["error"]["message"]
    if not (message.startswith("body") and "JSON" in message):
        # The message only, no traceback: see test_security.known_bug.
        pytest.fail(f"message {message!r}", pytrace=False)


@pytest.mark.parametrize(
    "path",
    [
        "/api/events?type=Bananas",
        "/api/events?actor=nobody",
        "/api/incidents?place=Atlantis",
        "/api/articles?colour=red",
    ],
)
def test_unknown_filter_values_and_parameters_are_not_errors(
    servers: dict[bool, httpx.Client], path: str
) -> None:
    response = servers[False].get(path)
    assert response.status_code == 200
    items = response.json()["items"]
    assert items == [] if "colour" not in path else items


def test_unknown_fields_of_an_extract_body_are_ignored(servers: dict[bool, httpx.Client]) -> None:
    response = servers[False].post(
        "/api/extract", json={"text": "Shelling hit Aleppo.", "colour": "red"}
    )
    assert response.status_code == 200 and "colour" not in response.text


def test_a_store_that_cannot_be_written_is_503(
    tmp_path: Path, example_db: Path, serve: Any, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite refuses to grow a file past max_page_count with SQLITE_FULL, the error of a full
    # disk; the cap is set on the connection the server's store opens.
    import sqlite3

    db = tmp_path / "full.db"
    db.write_bytes(example_db.read_bytes())
    connect = sqlite3.connect

    def capped(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection: sqlite3.Connection = connect(*args, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {int(pages)}")
        return connection

    monkeypatch.setattr(sqlite3, "connect", capped)
    records = [
        {"id": f"full-{i}", "text": f"Shelling killed {i + 2} people in Aleppo. " * 40}
        for i in range(40)
    ]
    body = "".join(json.dumps(record) + "\n" for record in records).encode()
    with serve(db, token=token) as base, httpx.Client(base_url=base, timeout=60) as client:
        before = client.get("/api/meta").json()["counts"]
        response = client.post(
            "/api/ingest", content=body, headers={"authorization": f"Bearer {token}"}
        )
        assert response.status_code == 503, response.text
        assert response.json()["error"] == {
            "status": 503,
            "code": "unavailable",
            "message": "the store cannot be written now; see the server log",
        }
        assert client.get("/api/meta").json()["counts"] == before
