"""The JSON API over a live server: listings, paging, ETags, errors, extract and ingest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api(example_db: Path, serve: Any) -> Iterator[httpx.Client]:
    """A client of a read-only server over the example store."""
    with serve(example_db) as base, httpx.Client(base_url=base) as client:
        yield client


@pytest.fixture
def writable(tmp_path: Path, serve: Any, new_store: Any, token: str) -> Iterator[httpx.Client]:
    """A client of a server that accepts writes with `token`, over a store of its own."""
    db = new_store(tmp_path / "w.db", ROOT / "examples" / "darfur-2023-06-15.txt")
    with serve(db, token=token) as base, httpx.Client(base_url=base) as client:
        yield client


def _error(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == response.status_code
    return body["error"]


def test_meta_counts_the_example_store(api: httpx.Client) -> None:
    meta = api.get("/api/meta").json()
    assert meta["counts"]["articles"] == 4 and meta["counts"]["incidents"] > 0
    assert meta["read_only"] is True
    assert "Battles" in meta["event_types"] and "displaced" in meta["measures"]


@pytest.mark.parametrize("path", ["/api/articles", "/api/events", "/api/figures", "/api/places"])
def test_pages_join_up_to_the_whole_listing_in_a_stable_order(api: httpx.Client, path: str) -> None:
    whole = api.get(path, params={"limit": 500}).json()
    assert whole["next_offset"] is None
    pages: list[Any] = []
    offset: int | None = 0
    while offset is not None:
        page = api.get(path, params={"limit": 3, "offset": offset}).json()
        pages += page["items"]
        offset = page["next_offset"]
    assert pages == whole["items"]
    assert len(pages) > 3


def test_an_unchanged_listing_answers_304_to_its_etag(api: httpx.Client) -> None:
    first = api.get("/api/events")
    etag = first.headers["etag"]
    again = api.get("/api/events", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = api.get("/api/events", params={"limit": 2}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_events_filter_by_type_subtype_actor_and_bbox(api: httpx.Client) -> None:
    def items(**params: Any) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = api.get("/api/events", params=params).json()["items"]
        return result

    assert {e["type"] for e in items(type="Battles")} == {"Battles"}
    strikes = items(type="Explosions/Remote violence", subtype="Shelling/artillery/missile attack")
    assert strikes and {e["subtype"] for e in strikes} == {"Shelling/artillery/missile attack"}
    assert items(type="Battles", subtype="Shelling/artillery/missile attack") == []
    assert all(any("RSF" in a for a in e["actors"]) for e in items(actor="rsf"))
    # Ukraine (Kharkiv, Odesa) lies in this box; Syria and Sudan do not.
    in_ukraine = items(bbox="22,44,41,53")
    assert in_ukraine and {e["place"]["country"] for e in in_ukraine} == {"UA"}


def test_article_view_has_the_text_and_every_span_holds_its_text(api: httpx.Client) -> None:
    article = api.get("/api/articles/kharkiv-2022-05-03").json()
    text = article["text"]
    for kind in ("places", "times", "figures"):
        assert article[kind], kind
        for fact in article[kind]:
            assert text[fact["start"] : fact["end"]] == fact["text"]


def test_series_put_disagreeing_claims_side_by_side_first(api: httpx.Client) -> None:
    found = api.get("/api/series").json()
    assert found["total"] >= len(found["items"]) > 0
    flags = [s["reconciled"]["conflict"] for s in found["items"]]
    assert flags == sorted(flags, reverse=True), "conflicting series come first"
    for series in found["items"]:
        claims = series["claims"]
        assert claims and {c["measure"] for c in claims} == {series["measure"]}
        for claim in claims:
            article = api.get(f"/api/articles/{claim['article_id']}").json()
            assert article["text"][claim["start"] : claim["end"]] == claim["text"]


def test_series_of_one_measure_are_those_of_all_measures_that_have_it(
    api: httpx.Client,
) -> None:
    # The page's chart and claims table share one computation of the series (issue 9).
    every = api.get("/api/series", params={"limit": 500}).json()["items"]
    for measure in {s["measure"] for s in every}:
        one = api.get("/api/series", params={"measure": measure, "limit": 500}).json()
        assert one["items"] == [s for s in every if s["measure"] == measure]


def test_series_give_their_current_claims_first_when_asked_for_fewer(api: httpx.Client) -> None:
    every = api.get("/api/series", params={"limit": 500}).json()["items"]
    series = max(every, key=lambda s: s["claim_count"])
    assert series["claim_count"] == len(series["claims"]) >= 2
    few = api.get("/api/series", params={"limit": 500, "claims": 1}).json()["items"]
    short = next(s for s in few if s["id"] == series["id"])
    assert short["claim_count"] == series["claim_count"]
    current = [series["claims"][i] for i in series["reconciled"]["current"]]
    assert [short["claims"][i] for i in short["reconciled"]["current"]] == current
    assert len(short["claims"]) == max(1, len(current))
    assert set(map(json.dumps, short["claims"])) <= set(map(json.dumps, series["claims"]))
    one = api.get("/api/series", params={"id": series["id"]}).json()
    assert one["items"] == [series] and one["total"] == 1


def test_map_timeline_and_listing_count_the_same_incidents(api: httpx.Client) -> None:
    incidents = api.get("/api/incidents", params={"limit": 500}).json()["items"]
    assert incidents and all(i["reports"] for i in incidents)
    points = api.get("/api/map").json()["items"]
    assert sum(p["count"] for p in points) == sum(1 for i in incidents if i["place"])
    assert sum(p["reports"] for p in points) == sum(
        i["report_count"] for i in incidents if i["place"]
    )
    days = api.get("/api/timeline").json()["items"]
    assert sum(d["count"] for d in days) == sum(1 for i in incidents if i["date"])
    one = api.get(f"/api/incidents/{incidents[0]['id']}").json()
    assert one == incidents[0]


def test_incidents_filter_by_box_and_type(api: httpx.Client) -> None:
    in_ukraine = api.get("/api/incidents", params={"bbox": "22,44,41,53"}).json()["items"]
    assert in_ukraine and {i["place"]["country"] for i in in_ukraine} == {"UA"}
    battles = api.get("/api/incidents", params={"type": "Battles"}).json()["items"]
    assert battles and {i["type"] for i in battles} == {"Battles"}


def test_report_cites_articles_of_the_store(api: httpx.Client) -> None:
    report = api.get("/api/report").json()
    assert report["timeline"] and report["citations"]
    cited = {c["article_id"] for c in report["citations"]}
    stored = {a["id"] for a in api.get("/api/articles").json()["items"]}
    assert cited <= stored
    page = api.get("/report")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/events?limit=501", 422, "invalid_request"),
        ("/api/events?offset=-1", 422, "invalid_request"),
        ("/api/events?since=2019-02-30", 422, "invalid_request"),
        ("/api/events?bbox=1,2,3", 422, "invalid_request"),
        ("/api/incidents?bbox=10,0,5,1", 422, "invalid_request"),
        ("/api/incidents/no-such-incident", 404, "not_found"),
        ("/api/series?measure=bananas", 422, "invalid_request"),
        ("/api/figures?measure=bananas", 422, "invalid_request"),
        ("/api/articles/no-such-article", 404, "not_found"),
        ("/api/nowhere", 404, "not_found"),
        ("/static/../app.py", 404, "not_found"),
        ("/static/%2e%2e/app.py", 404, "not_found"),
    ],
)
def test_errors_have_one_json_shape(api: httpx.Client, path: str, status: int, code: str) -> None:
    response = api.get(path)
    assert response.status_code == status
    assert _error(response)["code"] == code


@pytest.mark.parametrize(
    "value", ["' OR 1=1 --", "x'; DROP TABLE articles; --", "%", "_", '" OR ""="', "\\"]
)
def test_filter_values_are_data_not_sql(api: httpx.Client, value: str) -> None:
    for path, name in [
        ("/api/events", "place"),
        ("/api/events", "type"),
        ("/api/articles", "place"),
        ("/api/incidents", "place"),
        ("/api/incidents", "type"),
    ]:
        response = api.get(path, params={name: value})
        assert response.status_code == 200
        assert response.json()["items"] == []
    assert api.get("/api/meta").json()["counts"]["articles"] == 4


def test_a_crash_is_a_generic_500_without_a_trace(example_db: Path) -> None:
    from sitroom.web.app import create_app

    app = create_app(str(example_db))

    @app.get("/api/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail /etc/passwd")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/api/boom")

    import asyncio

    response = asyncio.run(call())
    app.state.store.close()
    assert response.status_code == 500
    assert "secret" not in response.text and "Traceback" not in response.text
    assert _error(response)["code"] == "internal"


def test_large_responses_are_compressed_for_clients_that_accept_it(api: httpx.Client) -> None:
    plain = api.get("/api/series", headers={"accept-encoding": "identity"})
    packed = api.get("/api/series", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.json() == plain.json()
    assert int(packed.headers["content-length"]) < len(plain.content) / 3
    # Static files go as they are: compressing them per request costs more than it saves here.
    script = api.get("/static/app.js", headers={"accept-encoding": "gzip"})
    assert script.status_code == 200 and "content-encoding" not in script.headers


def test_responses_carry_a_strict_content_security_policy(api: httpx.Client) -> None:
    for path in ("/", "/api/meta", "/static/app.js"):
        headers = api.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_docs_and_openapi_are_served_without_a_cdn(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    paths = {"/api/events", "/api/incidents", "/api/series", "/api/report", "/api/extract"}
    assert paths | {"/api/ingest"} <= set(spec["paths"])
    page = api.get("/docs").text
    assert "cdn" not in page.lower() and "/docs/assets/swagger-ui-bundle.js" in page
    assert api.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_extract_returns_the_contract_and_stores_nothing(api: httpx.Client) -> None:
    body = {"text": "Shelling killed 12 civilians in Aleppo on Monday.", "published": "2020-02-11"}
    result = api.post("/api/extract", json=body).json()
    assert result["contract"] == "sitroom.extract/v1"
    assert [f["value"] for f in result["figures"]] == [12]
    assert api.get("/api/meta").json()["counts"]["articles"] == 4


@pytest.mark.parametrize(
    ("body", "status"), [({"text": ""}, 422), ({"text": "   "}, 400), ({}, 422), ([1, 2], 422)]
)
def test_extract_refuses_empty_or_malformed_bodies(
    api: httpx.Client, body: Any, status: int
) -> None:
    response = api.post("/api/extract", json=body)
    assert response.status_code == status
    _error(response)


def test_extract_refuses_a_body_over_its_limit_declared_or_streamed(api: httpx.Client) -> None:
    big = json.dumps({"text": "x" * 300_000}).encode()
    declared = api.post("/api/extract", content=big, headers={"content-type": "application/json"})
    assert declared.status_code == 413 and _error(declared)["code"] == "too_large"

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    streamed = api.post(
        "/api/extract", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413


def test_ingest_is_refused_by_a_read_only_server(api: httpx.Client) -> None:
    response = api.post("/api/ingest", content=b'{"text": "x"}\n')
    assert response.status_code == 403 and _error(response)["code"] == "read_only"


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic {token}", "{token}", "Bearer"])
def test_ingest_needs_the_right_token(
    writable: httpx.Client, token: str, header: str | None
) -> None:
    headers = {"authorization": header.format(token=token)} if header else {}
    response = writable.post(
        "/api/ingest", content=b'{"text": "Shelling in Aleppo."}\n', headers=headers
    )
    assert response.status_code == 401 and _error(response)["code"] == "unauthorized"


def test_ingest_with_the_token_stores_jsonl_and_plain_text(
    writable: httpx.Client, token: str
) -> None:
    auth = {"authorization": f"Bearer {token}"}
    record = {
        "id": "t1",
        "text": "Air strikes killed 5 people in Idlib on Monday.",
        "published": "2020-01-07",
    }
    line = json.dumps(record).encode() + b"\n"
    first = writable.post("/api/ingest", content=line, headers=auth).json()
    assert first["added"] == 1 and first["facts"] > 0
    assert writable.post("/api/ingest", content=line, headers=auth).json()["present"] == 1
    text = writable.post(
        "/api/ingest",
        content=b"Fighting displaced 300 people in Kharkiv.",
        params={"published": "2022-05-03"},
        headers={**auth, "content-type": "text/plain"},
    ).json()
    assert text["added"] == 1
    assert writable.get("/api/articles/t1").json()["published"] == "2020-01-07"


def test_views_count_what_was_ingested_after_they_were_first_asked_for(
    writable: httpx.Client, token: str
) -> None:
    # The map, timeline and series are kept between requests only while the store is unchanged.
    def counted() -> tuple[int, int, int]:
        points = writable.get("/api/map").json()["items"]
        days = writable.get("/api/timeline").json()["items"]
        claims = writable.get("/api/series", params={"limit": 500}).json()["items"]
        return (
            sum(p["count"] for p in points),
            sum(d["count"] for d in days),
            sum(s["claim_count"] for s in claims),
        )

    before = counted()
    text = b"Shelling killed 9 people in Kharkiv on Monday. About 2,000 people fled Izium."
    auth = {"authorization": f"Bearer {token}", "content-type": "text/plain"}
    writable.post("/api/ingest", content=text, params={"published": "2022-05-03"}, headers=auth)
    after = counted()
    assert all(a > b for a, b in zip(after, before, strict=True)), (before, after)


def test_ingest_names_a_bad_line_without_the_server_path(
    writable: httpx.Client, token: str
) -> None:
    auth = {"authorization": f"Bearer {token}"}
    response = writable.post("/api/ingest", content=b"not json\n", headers=auth)
    assert response.status_code == 400
    message = _error(response)["message"]
    assert message.startswith("body:1: not JSON") and "/tmp" not in message


def test_listings_answered_before_an_ingest_show_what_it_added(
    writable: httpx.Client, token: str
) -> None:
    # Answers are kept while the store is unchanged; this server's own write drops them.
    before = writable.get("/api/articles").json()["items"]
    articles = writable.get("/api/meta").json()["counts"]["articles"]
    record = {
        "id": "kept-1",
        "text": "Shelling killed 4 people in Aleppo.",
        "published": "2023-02-01",
    }
    line = json.dumps(record).encode() + b"\n"
    auth = {"authorization": f"Bearer {token}"}
    assert writable.post("/api/ingest", content=line, headers=auth).json()["added"] == 1
    after = writable.get("/api/articles").json()["items"]
    assert {a["id"] for a in after} == {a["id"] for a in before} | {"kept-1"}
    assert writable.get("/api/meta").json()["counts"]["articles"] == articles + 1


def test_listings_show_what_another_process_wrote_within_seconds(
    tmp_path: Path, serve: Any, new_store: Any
) -> None:
    import time

    import sitroom

    db = new_store(tmp_path / "other.db", ROOT / "examples" / "darfur-2023-06-15.txt")
    with serve(db) as base, httpx.Client(base_url=base) as client:
        first = client.get("/api/articles").json()["items"]
        with sitroom.open_store(db) as store:
            text = "Shelling killed 4 people in Aleppo."
            store.add([sitroom.extract(text, published="2023-02-01", id="other-1")])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            items = client.get("/api/articles").json()["items"]
            if len(items) > len(first):
                break
            time.sleep(0.2)
    assert "other-1" in {a["id"] for a in items}


def test_extract_answers_503_with_retry_after_when_too_many_wait(
    example_db: Path, run: Any
) -> None:
    from sitroom.web.app import create_app

    app = create_app(str(example_db))
    app.state.extractor.max_waiting = 0
    transport = httpx.ASGITransport(app=app)

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post("/api/extract", json={"text": "Shelling in Aleppo."})

    response = run(call())
    app.state.store.close()
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    assert _error(response)["code"] == "unavailable"


def test_extract_answers_500_when_the_extraction_worker_dies_twice(
    example_db: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitroom.web.app import create_app
    from sitroom.web.extraction import ExtractorDied

    app = create_app(str(example_db))

    async def dies(job: object) -> bytes:
        raise ExtractorDied("the extraction worker stopped twice while extracting this article")

    monkeypatch.setattr(app.state.extractor, "extract", dies)
    transport = httpx.ASGITransport(app=app)

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post("/api/extract", json={"text": "Shelling in Aleppo."})

    response = run(call())
    app.state.store.close()
    assert response.status_code == 500
    assert _error(response) == {
        "status": 500,
        "code": "internal",
        "message": "extraction failed: the extraction worker stopped twice while extracting "
        "this article",
    }
