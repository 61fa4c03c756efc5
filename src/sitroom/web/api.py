"""The JSON API under `/api`: listings with paging and ETags, incidents, series, the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from sitroom.extract.events import EVENT_TYPES
from sitroom.model import MEASURES
from sitroom.record.incidents import Incident
from sitroom.record.series import Series, load_series
from sitroom.report import situation
from sitroom.store import Store
from sitroom.web import shapes
from sitroom.web.answers import Answer, answer_key, encode, if_none_match
from sitroom.web.extraction import ExtractPool
from sitroom.web.memo import ViewMemo
from sitroom.web.queries import (
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_SCAN,
    EventFilter,
    FigureFilter,
    IncidentFilter,
    article_view,
    event_page,
    figure_page,
    find_article,
    incident_page,
    map_points,
    opening_since,
    page_of,
    parse_bbox,
    scan_incidents,
    timeline,
)
from sitroom.web.security import PLACE_PATTERN
from sitroom.web.storage import StorePool
from sitroom.web.writes import MAX_EXTRACT_BYTES, MAX_INGEST_BYTES, Settings, add_write_routes

__all__ = ["api_router"]


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip (paging).")]
Since = Annotated[
    dt.date | None, Query(description="Keep facts dated on or after this day (YYYY-MM-DD).")
]
Until = Annotated[
    dt.date | None, Query(description="Keep facts dated on or before this day (YYYY-MM-DD).")
]
PlaceQ = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=PLACE_PATTERN,
        description="A place id, or part of a place's name or mention.",
    ),
]
ArticleQ = Annotated[str | None, Query(max_length=200, description="Facts of one article.")]
TypeQ = Annotated[
    str | None, Query(max_length=100, description="ACLED event type (or sub-type), any case.")
]
SubtypeQ = Annotated[str | None, Query(max_length=100, description="ACLED event sub-type.")]
ActorQ = Annotated[str | None, Query(max_length=200, description="Part of an actor's name.")]
BBoxQ = Annotated[
    str | None,
    Query(
        max_length=100, description="west,south,east,north in degrees.", examples=["35,35,38,37"]
    ),
]
MeasureQ = Annotated[
    str | None, Query(max_length=40, description=f"One of: {', '.join(MEASURES)}.")
]
ClaimsQ = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_LIMIT,
        description="Most claims given per series: those read as current, then the latest "
        "(`claim_count` says how many there are). All of them when left out.",
    ),
]
SeriesIdQ = Annotated[
    str | None, Query(max_length=200, description="Only the series with this id.")
]


def _respond(request: Request, answer: Answer) -> Response:
    """The answer with its content ETag; 304 when the client holds the same version."""
    headers = {"ETag": answer.etag, "Cache-Control": "no-cache"}
    if answer.etag in if_none_match(request.headers):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type="application/json", headers=headers)


async def _answer(
    request: Request, store: StorePool, work: Callable[[Store], Any], *, missing: str = ""
) -> Response:
    """`work(store)`'s payload as JSON, from the answers kept while the store is unchanged
    when it was asked for before; a None payload is a 404 saying `missing`.

    A kept answer seen fresh is sent before routing (`KeptAnswers`); here a reading thread
    checks the store's generation, and computes and encodes the payload there too, once for
    all the requests asking the same meanwhile."""
    key = answer_key(request.scope)
    generation = store.memo.recent_generation()
    found = None if generation is None else store.answers.get(generation, key)
    if found is None:

        def compute(s: Store) -> Answer | None:
            generation = store.memo.generation(s)
            kept = store.answers.get(generation, key)
            if kept is not None:
                return kept
            payload = work(s)
            return None if payload is None else store.answers.put(generation, key, encode(payload))

        # A request after this server's own write never joins work begun before it.
        flight = (store.memo.last_generation, key)
        found = await store.flights.join(flight, lambda: store.run(compute))
    if found is None:
        raise HTTPException(404, missing)
    return _respond(request, found)


def _event_filter(
    type: str | None,
    subtype: str | None,
    actor: str | None,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    bbox: str | None,
) -> EventFilter:
    return EventFilter(type, subtype, actor, place, since, until, _bbox(bbox))


def _bbox(value: str | None) -> Any:
    try:
        return parse_bbox(value) if value else None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


def _check_measure(measure: str | None) -> None:
    if measure is not None and measure not in MEASURES:
        raise HTTPException(422, f"measure {measure!r}: expected one of {', '.join(MEASURES)}")


def api_router(store: StorePool, extractor: ExtractPool, settings: Settings) -> APIRouter:
    """The `/api` routes over one store."""
    router = APIRouter(prefix="/api")
    _add_meta_routes(router, store, settings)
    _add_article_routes(router, store)
    _add_fact_routes(router, store)
    _add_incident_routes(router, store)
    _add_view_routes(router, store, store.memo)
    add_write_routes(router, store, extractor, settings)
    return router


def _add_meta_routes(router: APIRouter, store: StorePool, settings: Settings) -> None:
    @router.get("/meta", tags=["store"], summary="Counts, event types, measures, limits")
    async def meta(request: Request) -> Response:
        def work(s: Store) -> dict[str, Any]:
            newest = s.incidents(newest_first=True, limit=1, with_reports=False)
            latest = newest[0].date.end if newest and newest[0].date else None
            counts = s.counts()
            opening = opening_since(s, incidents=counts.incidents)
            return {
                "counts": shapes.counts_json(counts),
                "latest_incident": latest.isoformat() if latest else None,
                "opening_since": opening.isoformat() if opening else None,
                "event_types": {kind: list(subs) for kind, subs in EVENT_TYPES.items()},
                "measures": list(MEASURES),
                "read_only": settings.read_only,
                "limits": {
                    "page": MAX_LIMIT,
                    "offset": MAX_OFFSET,
                    "scan": MAX_SCAN,
                    "extract_bytes": MAX_EXTRACT_BYTES,
                    "ingest_bytes": MAX_INGEST_BYTES,
                },
            }

        return await _answer(request, store, work)


def _add_article_routes(router: APIRouter, store: StorePool) -> None:
    @router.get("/articles", tags=["articles"], summary="Articles by publication date")
    async def articles(
        request: Request,
        place: PlaceQ = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        def work(s: Store) -> dict[str, Any]:
            listing = partial(s.articles, place=place, since=since, until=until)
            page = page_of(listing, offset=offset, limit=limit)
            return shapes.page_json(page, shapes.article_summary_json)

        return await _answer(request, store, work)

    @router.get(
        "/articles/{article_id}",
        tags=["articles"],
        summary="One article: its text and every fact with its span",
        responses={404: {"description": "No article with this id"}},
    )
    async def article(
        request: Request, article_id: Annotated[str, Path(max_length=200)]
    ) -> Response:
        def work(s: Store) -> dict[str, Any] | None:
            found = find_article(s, article_id)
            return None if found is None else shapes.article_json(article_view(s, found))

        return await _answer(request, store, work, missing=f"no article with id {article_id!r}")


def _add_fact_routes(router: APIRouter, store: StorePool) -> None:
    @router.get("/places", tags=["facts"], summary="Place mentions, in article and text order")
    async def places(
        request: Request,
        place: PlaceQ = None,
        since: Since = None,
        until: Until = None,
        article_id: ArticleQ = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        def work(s: Store) -> dict[str, Any]:
            listing = partial(
                s.places, place=place, since=since, until=until, article_id=article_id
            )
            page = page_of(listing, offset=offset, limit=limit)
            return shapes.page_json(page, shapes.place_mention_json)

        return await _answer(request, store, work)

    @router.get("/times", tags=["facts"], summary="Time mentions, in article and text order")
    async def times(
        request: Request,
        since: Since = None,
        until: Until = None,
        article_id: ArticleQ = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        def work(s: Store) -> dict[str, Any]:
            listing = partial(s.times, since=since, until=until, article_id=article_id)
            page = page_of(listing, offset=offset, limit=limit)
            return shapes.page_json(page, shapes.time_json)

        return await _answer(request, store, work)

    @router.get("/figures", tags=["facts"], summary="Figures, in article and text order")
    async def figures(
        request: Request,
        measure: MeasureQ = None,
        place: PlaceQ = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        _check_measure(measure)
        where = FigureFilter(measure, place, since, until)

        def work(s: Store) -> dict[str, Any]:
            page = figure_page(s, where, offset=offset, limit=limit)
            places = s.resolve_places(f.place_id for f in page.items if f.place_id)
            return shapes.page_json(page, lambda f: shapes.figure_json(f, places))

        return await _answer(request, store, work)

    @router.get("/events", tags=["facts"], summary="Events (ACLED-typed), each with its place")
    async def events(
        request: Request,
        type: TypeQ = None,
        subtype: SubtypeQ = None,
        actor: ActorQ = None,
        place: PlaceQ = None,
        since: Since = None,
        until: Until = None,
        bbox: BBoxQ = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        where = _event_filter(type, subtype, actor, place, since, until, bbox)

        def work(s: Store) -> dict[str, Any]:
            page = event_page(s, where, offset=offset, limit=limit)
            return shapes.page_json(page, shapes.event_json)

        return await _answer(request, store, work)


def _add_incident_routes(router: APIRouter, store: StorePool) -> None:
    @router.get(
        "/incidents",
        tags=["incidents"],
        summary="Incidents (one per happening, however many reports), by date then id",
    )
    async def incidents(
        request: Request,
        type: TypeQ = None,
        place: PlaceQ = None,
        since: Since = None,
        until: Until = None,
        bbox: BBoxQ = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        where = IncidentFilter(type, place, since, until, _bbox(bbox))

        def work(s: Store) -> dict[str, Any]:
            page = incident_page(s, where, offset=offset, limit=limit)
            return shapes.page_json(page, shapes.incident_json)

        return await _answer(request, store, work)

    @router.get(
        "/incidents/{incident_id}",
        tags=["incidents"],
        summary="One incident with each report's article and span",
        responses={404: {"description": "No incident with this id"}},
    )
    async def incident(
        request: Request, incident_id: Annotated[str, Path(max_length=200)]
    ) -> Response:
        def work(s: Store) -> dict[str, Any] | None:
            found = s.incident(incident_id)
            return None if found is None else shapes.incident_json(found)

        return await _answer(request, store, work, missing=f"no incident with id {incident_id!r}")


def _series_order(series: Series) -> tuple[bool, int, str]:
    # Disagreements first: they are what a reader must look at; then the most-reported counts.
    return (not series.reconciled.conflict, -len(series.claims), series.id)


def _scan(memo: ViewMemo, where: IncidentFilter) -> Callable[[Store], tuple[Incident, ...]]:
    # The page asks for the map and the timeline of one filter at once: one scan serves both.
    return lambda s: memo.get(s, ("incidents", where), lambda: scan_incidents(s, where))


def _all_series(
    memo: ViewMemo,
    s: Store,
    *,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
) -> list[Series]:
    # A series never mixes measures, so one measure's series are those of all measures with
    # that measure: the page's chart and its claims table share one computation.
    key = ("series", place, since, until)
    return memo.get(s, key, lambda: load_series(s, place=place, since=since, until=until))


def _add_view_routes(router: APIRouter, store: StorePool, memo: ViewMemo) -> None:
    @router.get("/map", tags=["views"], summary="Incidents counted by place and type, for a map")
    async def map_(
        request: Request,
        type: TypeQ = None,
        place: PlaceQ = None,
        since: Since = None,
        until: Until = None,
        bbox: BBoxQ = None,
    ) -> Response:
        where = IncidentFilter(type, place, since, until, _bbox(bbox))

        def work(s: Store) -> dict[str, Any]:
            points = map_points(_scan(memo, where)(s))
            return {"items": [shapes.map_point_json(p) for p in points]}

        return await _answer(request, store, work)

    @router.get("/timeline", tags=["views"], summary="Incidents per day by type")
    async def timeline_(
        request: Request,
        type: TypeQ = None,
        place: PlaceQ = None,
        since: Since = None,
        until: Until = None,
        bbox: BBoxQ = None,
    ) -> Response:
        where = IncidentFilter(type, place, since, until, _bbox(bbox))

        def work(s: Store) -> dict[str, Any]:
            days = timeline(_scan(memo, where)(s))
            return {"items": [shapes.day_count_json(d) for d in days]}

        return await _answer(request, store, work)

    @router.get(
        "/series",
        tags=["views"],
        summary="Figure series: the claims of one count side by side, reconciled",
    )
    async def series(
        request: Request,
        measure: MeasureQ = None,
        place: PlaceQ = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = 50,
        claims: ClaimsQ = None,
        id: SeriesIdQ = None,
    ) -> Response:
        _check_measure(measure)

        def work(s: Store) -> dict[str, Any]:
            found = _all_series(memo, s, place=place, since=since, until=until)
            kept = [x for x in found if measure in (None, x.measure) and id in (None, x.id)]
            chosen = sorted(kept, key=_series_order)[:limit]
            items = [shapes.series_json(x, claims=claims) for x in chosen]
            return {"items": items, "total": len(kept)}

        return await _answer(request, store, work)

    @router.get(
        "/report",
        tags=["views"],
        summary="The situation report: key figures, incidents, places, what changed, sources",
    )
    async def report(
        request: Request,
        place: PlaceQ = None,
        since: Since = None,
        until: Until = None,
        changed_since: Since = None,
    ) -> Response:
        def work(s: Store) -> dict[str, Any]:
            found = situation(s, place=place, since=since, until=until, changed_since=changed_since)
            return shapes.situation_json(found)

        return await _answer(request, store, work)
