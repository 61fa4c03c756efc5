"""Attacks on the HTTP API over a live server: SQL injection in every filter, path traversal,
oversized bodies and pages, writes without the token, and errors that never show a trace
(issues 9 and 11). The browser half (XSS) is in `test_security_browser.py`."""

from __future__ import annotations

import http.client
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, urlparse

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]

#: What a trace or a server detail looks like in a response body.
LEAKS = ("Traceback", 'File "', ".py", "sqlite3", "/tmp", "/work", "site-packages")

#: Values that would change the meaning of a query built by pasting text into SQL.
INJECTIONS = (
    "'",
    '"',
    "' OR 1=1 --",
    "' OR '1'='1",
    '" OR ""="',
    "') OR ('a'='a",
    "x'; DROP TABLE articles; --",
    "1; DROP TABLE articles",
    "' UNION SELECT id, text, NULL, NULL FROM articles --",
    "' UNION SELECT name FROM sqlite_master --",
    "%",
    "%%",
    "_",
    "\\",
    "\\%",
    "*",
)

#: Every free-text filter of every listing, with a value that does match the example store:
#: each filter is shown to work, so an empty answer to an injection is not an accident.
TEXT_FILTERS = (
    ("/api/articles", "place", "Kharkiv"),
    ("/api/places", "place", "Kharkiv"),
    ("/api/places", "article_id", "kharkiv-2022-05-03"),
    ("/api/times", "article_id", "kharkiv-2022-05-03"),
    ("/api/figures", "place", "Kharkiv"),
    ("/api/events", "type", "Battles"),
    ("/api/events", "subtype", "Armed clash"),
    ("/api/events", "actor", "Rapid Support"),
    ("/api/events", "place", "Kharkiv"),
    ("/api/incidents", "type", "Battles"),
    ("/api/incidents", "place", "Kharkiv"),
    ("/api/map", "type", "Battles"),
    ("/api/map", "place", "Kharkiv"),
    ("/api/timeline", "type", "Battles"),
    ("/api/timeline", "place", "Kharkiv"),
    ("/api/series", "place", "Kharkiv"),
)

#: Filters with a type (a day, a number, a box, a measure): anything else is refused.
TYPED_FILTERS = (
    ("/api/articles", ("since", "until", "limit", "offset")),
    ("/api/places", ("since", "until", "limit", "offset")),
    ("/api/times", ("since", "until", "limit", "offset")),
    ("/api/figures", ("measure", "since", "until", "limit", "offset")),
    ("/api/events", ("since", "until", "bbox", "limit", "offset")),
    ("/api/incidents", ("since", "until", "bbox", "limit", "offset")),
    ("/api/map", ("since", "until", "bbox")),
    ("/api/timeline", ("since", "until", "bbox")),
    ("/api/series", ("measure", "since", "until", "limit")),
    ("/api/report", ("since", "until", "changed_since")),
    ("/report", ("since", "until", "changed_since")),
)

LISTINGS = ("/api/articles", "/api/places", "/api/times", "/api/figures", "/api/events")
PAGED = (*LISTINGS, "/api/incidents")


def clean_error(response: httpx.Response, status: int, code: str) -> str:
    """Assert the API's one error shape with this status and code and no trace; the message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body == {"error": {"status": status, "code": code, "message": body["error"]["message"]}}
    for leak in LEAKS:
        assert leak not in response.text, f"{leak!r} in {response.text}"
    message: str = body["error"]["message"]
    return message


def known_bug(message: str) -> NoReturn:
    """Fail an xfail test with its message only: pytest then parses no source for a traceback
    (on CPython 3.11.7 that parse can end the whole run, cpython#106905, pytest#10874)."""
    pytest.fail(message, pytrace=False)


def store_rows(db: Path) -> dict[str, int]:
    """Rows of each table of a store, read straight from SQLite."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def example_copy(example_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example store that only this module's read-only server uses."""
    copy = tmp_path_factory.mktemp("security") / "examples.db"
    shutil.copy(example_db, copy)
    return copy


@pytest.fixture(scope="module")
def base(example_copy: Path, serve: Any) -> Iterator[str]:
    """The URL of a read-only server over the example store."""
    with serve(example_copy) as url:
        yield url


@pytest.fixture(scope="module")
def api(base: str) -> Iterator[httpx.Client]:
    """A client of the read-only server."""
    with httpx.Client(base_url=base, timeout=30) as client:
        yield client


@pytest.fixture
def writable(tmp_path: Path, serve: Any, new_store: Any, token: str) -> Iterator[httpx.Client]:
    """A client of a server that takes writes with `token`, over a store of its own."""
    db = new_store(tmp_path / "w.db", ROOT / "examples" / "darfur-2023-06-15.txt")
    with serve(db, token=token) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def raw_get(base: str, target: str) -> tuple[int, str, bytes]:
    """GET a request target sent byte for byte (httpx would tidy `..` away); status, type, body."""
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.getheader("content-type") or "", response.read()
    finally:
        connection.close()


# -- SQL injection ------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "name", "real"), TEXT_FILTERS)
def test_each_text_filter_works_and_injections_are_only_data(
    api: httpx.Client, example_copy: Path, path: str, name: str, real: str
) -> None:
    before = store_rows(example_copy)
    assert api.get(path, params={name: real}).json()["items"], f"{name}={real} matches nothing"
    for value in INJECTIONS:
        response = api.get(path, params={name: value})
        assert response.status_code == 200, (value, response.text)
        assert response.json()["items"] == [], f"{path}?{name}={value!r} matched rows"
        # The same attack after a value that matches: the rest must not widen or end the query.
        widened = api.get(path, params={name: real + value})
        assert widened.status_code == 200 and widened.json()["items"] == [], (value, path)
    assert store_rows(example_copy) == before


PLACE_FILTERS = (*(f for f in TEXT_FILTERS if f[1] == "place"), ("/api/report", "place", ""))


@pytest.mark.parametrize(("path", "name", "real"), [f for f in TEXT_FILTERS if f[1] != "place"])
def test_a_nul_in_an_exact_filter_matches_nothing(
    api: httpx.Client, path: str, name: str, real: str
) -> None:
    for value in ("\x00", f"{real}\x00", f"{real}\x00x"):
        assert api.get(path, params={name: value}).json()["items"] == [], repr(value)


@pytest.mark.parametrize(("path", "name", "real"), PLACE_FILTERS)
def test_a_nul_in_the_place_filter_matches_nothing(
    api: httpx.Client, path: str, name: str, real: str
) -> None:
    for value in ("\x00", "Kharkiv\x00junk"):
        response = api.get(path, params={name: value})
        if response.status_code != 422:  # refusing it is as good as matching nothing
            found = response.json()
            if any(found[key] for key in ("items", "timeline") if key in found):
                known_bug(f"{path}?{name}={value!r} matched rows")


@pytest.mark.parametrize("value", INJECTIONS)
def test_the_report_place_filter_is_only_data(api: httpx.Client, value: str) -> None:
    report = api.get("/api/report", params={"place": value})
    assert report.status_code == 200
    found = report.json()
    assert found["key_figures"] == [] and found["timeline"] == [] and found["citations"] == []
    page = api.get("/report", params={"place": value})
    assert page.status_code == 200 and "Traceback" not in page.text


@pytest.mark.parametrize("wildcard", ["Khark_v", "Kh%v", "K%", "%kiv", "_harkiv", "Kharkiv%"])
def test_like_wildcards_in_the_place_filter_match_only_themselves(
    api: httpx.Client, wildcard: str
) -> None:
    for path in ("/api/articles", "/api/places", "/api/figures", "/api/events", "/api/incidents"):
        assert api.get(path, params={"place": "Kharkiv"}).json()["items"], path
        assert api.get(path, params={"place": wildcard}).json()["items"] == [], (path, wildcard)


@pytest.mark.parametrize(("path", "names"), TYPED_FILTERS)
def test_injections_into_typed_filters_are_refused(
    api: httpx.Client, path: str, names: tuple[str, ...]
) -> None:
    for name in names:
        for value in ("' OR 1=1 --", "2020-01-01' OR '1'='1", "1; DROP TABLE articles", "%"):
            message = clean_error(api.get(path, params={name: value}), 422, "invalid_request")
            assert name in message or "measure" in message or "bbox" in message


@pytest.mark.parametrize("value", INJECTIONS)
def test_injections_into_ids_find_nothing(api: httpx.Client, value: str) -> None:
    for kind in ("articles", "incidents"):
        response = api.get(f"/api/{kind}/{quote(value, safe='')}")
        # A NUL or a bare "%" may not make it past the router; either way nothing is found.
        assert response.status_code == 404, (kind, value, response.text)
        clean_error(response, 404, "not_found")


def test_the_store_is_whole_after_every_attack(api: httpx.Client, example_copy: Path) -> None:
    assert store_rows(example_copy)["articles"] == 4
    assert api.get("/api/meta").json()["counts"]["articles"] == 4


# -- path traversal -----------------------------------------------------------------------------

TRAVERSALS = (
    "/static/../app.py",
    "/static/../../web/app.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e/app.py",
    "/static/%2e%2e%2fapp.py",
    "/static/.%2e/app.py",
    "/static/%252e%252e/app.py",
    "/static/%c0%ae%c0%ae/app.py",
    "/static/....//app.py",
    "/static/..\\app.py",
    "/static/..%5capp.py",
    "/static/..;/app.py",
    "/static/%00../app.py",
    "/static/app.js%00.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/%2Fetc%2Fpasswd",
    "//etc/passwd",
    "/static/" + "../" * 20 + "etc/passwd",
    "/static/" + "%2e%2e%2f" * 20 + "etc%2fpasswd",
    "/docs/assets/../../app.py",
    "/docs/assets/%2e%2e/%2e%2e/web/app.py",
    "/docs/assets/" + "../" * 20 + "etc/passwd",
    "/favicon.ico/../app.py",
)


@pytest.mark.parametrize("target", TRAVERSALS)
def test_static_routes_serve_nothing_outside_their_folder(base: str, target: str) -> None:
    status, kind, body = raw_get(base, target)
    assert status in (400, 404), (target, status, body[:200])
    assert b"root:" not in body and b"import" not in body and b"create_app" not in body
    if status == 404:
        assert kind.startswith("application/json") and b'"not_found"' in body


def test_static_files_themselves_are_served(base: str) -> None:
    status, kind, body = raw_get(base, "/static/app.js")
    assert status == 200 and "javascript" in kind and body
    # Dot segments that stay inside the folder are fine.
    assert raw_get(base, "/static/dom.js/../app.js")[2] == body


# -- sizes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "size", "limit"),
    [
        ("/api/extract", 256 * 1024 + 1, 256 * 1024),
        ("/api/ingest", 8 * 1024 * 1024 + 1, 8 * 1024 * 1024),
        ("/api/meta", 16 * 1024 + 1, 16 * 1024),
        ("/api/events", 16 * 1024 + 1, 16 * 1024),
    ],
)
def test_bodies_over_their_route_limit_are_413(
    api: httpx.Client, path: str, size: int, limit: int
) -> None:
    body = b"{" + b" " * (size - 2) + b"}"
    response = api.post(path, content=body, headers={"content-type": "application/json"})
    message = clean_error(response, 413, "too_large")
    assert str(limit) in message


def test_a_streamed_body_over_the_limit_is_413_and_stores_nothing(
    writable: httpx.Client, token: str
) -> None:
    line = b'{"text": "Shelling hit Aleppo on Monday, killing 3."}\n'

    def chunks() -> Iterator[bytes]:
        for _ in range(9 * 1024 * 1024 // (len(line) * 1000) + 1):
            yield line * 1000

    before = writable.get("/api/meta").json()["counts"]["articles"]
    response = writable.post(
        "/api/ingest", content=chunks(), headers={"authorization": f"Bearer {token}"}
    )
    clean_error(response, 413, "too_large")
    assert writable.get("/api/meta").json()["counts"]["articles"] == before


@pytest.mark.parametrize(
    "query",
    [
        "limit=501",
        "limit=1000000000000000000000000",
        "limit=0",
        "limit=-1",
        "offset=10001",
        "offset=-1",
        "limit=1e3",
        "place=" + "x" * 201,
    ],
)
def test_oversized_pages_and_values_are_refused(api: httpx.Client, query: str) -> None:
    for path in PAGED:
        if query.startswith("place") and path == "/api/times":
            continue  # times have no place filter
        clean_error(api.get(f"{path}?{query}"), 422, "invalid_request")


def test_a_huge_query_string_is_refused_without_a_trace(base: str) -> None:
    status, _, body = raw_get(base, "/api/events?place=" + "x" * 70_000)
    assert status in (400, 414, 422, 431)
    assert b"Traceback" not in body


@pytest.mark.parametrize("length", [b"abc", b"-5", b"1e9", b"99999999999999999999999"])
def test_a_bad_content_length_is_refused_without_a_trace(base: str, length: bytes) -> None:
    url = urlparse(base)
    with socket.create_connection((url.hostname or "", url.port or 80), timeout=30) as sock:
        sock.sendall(b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Length: " + length)
        sock.sendall(b"\r\ncontent-type: application/json\r\n\r\n{}")
        answer = sock.recv(65536)
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 413), answer
    assert b"Traceback" not in answer


# -- the write token ----------------------------------------------------------------------------

RECORD = b'{"id": "sec-1", "text": "Shelling hit Aleppo on Monday, killing 3."}\n'


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer None", "Bearer null", "Bearer x"])
def test_a_read_only_server_refuses_every_write(api: httpx.Client, header: str | None) -> None:
    headers = {} if header is None else {"authorization": header}
    response = api.post("/api/ingest", content=RECORD, headers=headers)
    clean_error(response, 403, "read_only")
    assert api.get("/api/articles/sec-1").status_code == 404


def test_an_empty_token_means_read_only(tmp_path: Path, serve: Any, new_store: Any) -> None:
    db = new_store(tmp_path / "e.db", ROOT / "examples" / "darfur-2023-06-15.txt")
    with serve(db, token="") as url, httpx.Client(base_url=url) as client:
        assert client.get("/api/meta").json()["read_only"] is True
        for header in ("Bearer", ""):
            response = client.post("/api/ingest", content=RECORD, headers={"authorization": header})
            clean_error(response, 403, "read_only")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer wrong",
        "Basic {token}",
        "{token}",
        "Bearer {token}x",
        "Bearer x{token}",
        "Bearer {upper}",
        "Bearer {token} {token}",
        "Bearer {half}",
        "Token {token}",
        "Bearer ñ{token}",
    ],
)
def test_writes_need_exactly_the_token(
    writable: httpx.Client, token: str, header: str | None
) -> None:
    headers: dict[bytes, bytes] = {}
    if header is not None:
        value = header.format(token=token, upper=token.upper(), half=token[: len(token) // 2])
        headers[b"authorization"] = value.encode("utf-8")
    before = writable.get("/api/meta").json()["counts"]
    message = clean_error(
        writable.post("/api/ingest", content=RECORD, headers=headers), 401, "unauthorized"
    )
    assert token not in message
    assert writable.get("/api/meta").json()["counts"] == before


def test_the_token_writes_and_is_never_shown(writable: httpx.Client, token: str) -> None:
    response = writable.post(
        "/api/ingest", content=RECORD, headers={"authorization": f"bearer  {token}"}
    )
    assert response.status_code == 200 and response.json()["added"] == 1
    for path in ("/api/meta", "/openapi.json", "/", "/docs"):
        assert token not in writable.get(path).text


def test_extract_needs_no_token_and_stores_nothing(api: httpx.Client) -> None:
    before = api.get("/api/meta").json()["counts"]
    response = api.post("/api/extract", json={"id": "sec-2", "text": "Shelling hit Aleppo."})
    assert response.status_code == 200
    assert api.get("/api/meta").json()["counts"] == before
    assert api.get("/api/articles/sec-2").status_code == 404


# -- no traces ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("POST", "/api/extract", b'{"text": "x"', 422, "invalid_request"),
        ("POST", "/api/extract", b'{"text": "\xff"}', 400, "bad_input"),
        ("POST", "/api/extract", b'{"text": "\\ud800"}', 422, "invalid_request"),
        ("POST", "/api/extract", b'{"text": {"$ne": null}}', 422, "invalid_request"),
        ("GET", "/api/events?since=%3Cscript%3E", b"", 422, "invalid_request"),
        ("PUT", "/api/events", b"", 405, "method_not_allowed"),
        ("GET", "/api/nowhere/../../etc/passwd", b"", 404, "not_found"),
    ],
)
def test_bad_requests_get_the_error_shape_and_no_trace(
    api: httpx.Client, method: str, path: str, body: bytes, status: int, code: str
) -> None:
    headers = {"content-type": "application/json"} if body else {}
    response = api.request(method, path, content=body or None, headers=headers)
    message = clean_error(response, status, code)
    assert "<script>" not in message  # the value sent is not echoed back


@contextmanager
def served_apart(db: Path) -> Iterator[str]:
    """`sitroom serve` over `db` in a process of its own, on 127.0.0.1; its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "sitroom", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/api/meta")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_deeply_nested_json_is_400_without_a_trace(example_copy: Path) -> None:
    # In a server process of its own, so the JSON decoder's RecursionError stays out of the
    # test process (CPython 3.11 keeps recursion counts that later ast.parse calls check).
    with served_apart(example_copy) as url:
        body = b"[" * 100_000 + b"]" * 100_000
        headers = {"content-type": "application/json"}
        clean_error(
            httpx.post(url + "/api/extract", content=body, headers=headers), 400, "bad_input"
        )
        assert httpx.get(url + "/api/meta").status_code == 200


def test_malformed_http_gets_no_trace(base: str) -> None:
    url = urlparse(base)
    for request in (
        b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"\x16\x03\x01\x00\xa5\r\n\r\n",
    ):
        with socket.create_connection((url.hostname or "", url.port or 80), timeout=30) as sock:
            sock.sendall(request)
            answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 400") and b"Traceback" not in answer


@pytest.fixture
def broken(tmp_path: Path, example_db: Path, serve: Any) -> Iterator[str]:
    """A server whose store file is overwritten with junk once it is serving."""
    db = tmp_path / "broken.db"
    shutil.copy(example_db, db)
    with serve(db) as url:
        assert httpx.get(url + "/api/meta").status_code == 200
        db.write_bytes(b"\x5a" * db.stat().st_size)
        yield url


READS = ("/api/meta", "/api/events", "/api/incidents", "/api/map", "/api/report", "/report")


def _broken_reads(base: str) -> list[httpx.Response]:
    # A fresh connection each time: after a crash the server closes the one it used. A read
    # that SQLite's page cache still answers is a 200; the others find the junk.
    failed = [httpx.get(base + path, headers={"connection": "close"}) for path in READS]
    failed = [response for response in failed if response.status_code != 200]
    assert len(failed) >= 2, [r.request.url.path for r in failed]
    return failed


def test_a_broken_store_is_a_json_error_without_a_trace(broken: str) -> None:
    for response in _broken_reads(broken):
        assert response.status_code in (500, 503), response.text
        clean_error(response, response.status_code, response.json()["error"]["code"])


def test_a_broken_store_is_503_unavailable(broken: str) -> None:
    statuses = {r.request.url.path: r.status_code for r in _broken_reads(broken)}
    if set(statuses.values()) != {503}:
        known_bug(f"a broken store answers {statuses}")


@pytest.mark.parametrize(
    "kind", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_a_cross_site_form_post_cannot_make_the_server_extract(
    api: httpx.Client, kind: str
) -> None:
    # A page elsewhere can send these types without a CORS preflight; only JSON is read.
    body = b'{"text": "Shelling killed 12 civilians in Aleppo on Monday."}'
    response = api.post("/api/extract", content=body, headers={"content-type": kind})
    clean_error(response, 422, "invalid_request")
    assert "access-control-allow-origin" not in response.headers
