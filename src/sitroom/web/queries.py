"""The web's read functions over a `Store`: filters, pages, the map and the timeline.

Everything here is plain Python over the `Store` protocol, so the HTTP layer stays a thin
renderer. The map and the timeline count incidents (`sitroom.record.incidents`: one per
happening, however many reports); the event listing keeps every report. Filters the store
cannot apply to events (sub-type, actor, bounding box) are applied here over a bounded scan;
`MAX_SCAN` caps the work one request can ask for.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Generic, Protocol, TypeVar

from sitroom.model import Article, Event, Figure, Place, PlaceMention, TimeMention
from sitroom.record.incidents import Incident
from sitroom.store import BBox, Store

__all__ = [
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_SCAN",
    "OPENING_DAYS",
    "OPENING_INCIDENTS",
    "ArticleView",
    "DayCount",
    "EventFilter",
    "FigureFilter",
    "IncidentFilter",
    "MapPoint",
    "Page",
    "PlacedEvent",
    "article_view",
    "bbox_contains",
    "event_page",
    "figure_page",
    "find_article",
    "incident_page",
    "map_points",
    "opening_since",
    "page_of",
    "parse_bbox",
    "scan_incidents",
    "timeline",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

#: Most items one page may hold.
MAX_LIMIT = 500
#: Deepest offset a page may start at: the store pages from the start, so depth costs time.
MAX_OFFSET = 10_000
#: Most store rows one aggregate (map, timeline) or post-filtered page reads.
MAX_SCAN = 20_000
#: A store with more incidents than this opens on its latest ones (see `opening_since`).
OPENING_INCIDENTS = 2_000
#: The longest the opening view of a large store reaches back from its latest incident.
OPENING_DAYS = 30


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a stably ordered listing, and whether more follow it."""

    items: tuple[T, ...]
    offset: int
    limit: int
    more: bool


def parse_bbox(value: str) -> BBox:
    """A box from `west,south,east,north` in degrees; ValueError saying what is wrong if not."""
    expected = f"bbox {value!r}: expected four numbers west,south,east,north"
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError(expected)
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ValueError(expected) from None
    try:
        return BBox(west, south, east, north)
    except ValueError as exc:
        raise ValueError(f"bbox {value!r}: {exc}") from None


def bbox_contains(box: BBox, place: Place) -> bool:
    """Whether the place's point lies in the box (edges inclusive)."""
    return box.south <= place.lat <= box.north and box.west <= place.lon <= box.east


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What an events listing, the map and the timeline keep."""

    type: str | None = None
    subtype: str | None = None
    actor: str | None = None
    place: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    bbox: BBox | None = None

    @property
    def needs_places(self) -> bool:
        """Whether keeping an event needs its place's coordinates."""
        return self.bbox is not None

    @property
    def filters_here(self) -> bool:
        """Whether some of the filter is applied here rather than by the store."""
        return bool(self.subtype or self.actor or self.bbox or (self.type and self.subtype))


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """What an incidents listing, the map and the timeline keep (all applied by the store)."""

    type: str | None = None
    place: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    bbox: BBox | None = None


@dataclass(frozen=True, slots=True)
class FigureFilter:
    """What a figures listing keeps."""

    measure: str | None = None
    place: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PlacedEvent:
    """An event with the gazetteer entry its place id names, when a mention resolves it."""

    event: Event
    place: Place | None


@dataclass(frozen=True, slots=True)
class MapPoint:
    """How many incidents of one type the store holds at one place, and their reports."""

    place: Place
    type: str
    count: int
    reports: int
    first: dt.date | None
    last: dt.date | None


@dataclass(frozen=True, slots=True)
class DayCount:
    """Incidents of one type dated to one day (a window's first day)."""

    day: dt.date
    type: str
    count: int


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One article with every fact the store holds for it, for the article page."""

    article: Article
    places: tuple[PlaceMention, ...]
    times: tuple[TimeMention, ...]
    figures: tuple[Figure, ...]
    events: tuple[Event, ...]


class Listing(Protocol[T_co]):
    """A store listing with its filters set: it takes the store's `limit` and `offset`."""

    def __call__(self, *, limit: int, offset: int) -> Sequence[T_co]: ...


def page_of(listing: Listing[T], *, offset: int, limit: int) -> Page[T]:
    """A page of a listing: the store skips the offset itself, and one row more than the
    page tells whether another page follows."""
    rows = listing(limit=limit + 1, offset=offset)
    return Page(tuple(rows[:limit]), offset, limit, more=len(rows) > limit)


def find_article(store: Store, article_id: str) -> Article | None:
    """The stored article with this id, or None."""
    return next(iter(store.articles(ids=[article_id])), None)


def _placed(store: Store, events: Sequence[Event]) -> list[PlacedEvent]:
    places = store.resolve_places(e.place_id for e in events if e.place_id)
    return [PlacedEvent(e, places.get(e.place_id) if e.place_id else None) for e in events]


def _keep(item: PlacedEvent, where: EventFilter) -> bool:
    event = item.event
    if where.type and not _type_matches(event, where.type, exact=bool(where.subtype)):
        return False
    if where.subtype and event.subtype.lower() != where.subtype.lower():
        return False
    if where.actor and not any(where.actor.lower() in a.lower() for a in event.actors):
        return False
    return where.bbox is None or (item.place is not None and bbox_contains(where.bbox, item.place))


def _type_matches(event: Event, kind: str, *, exact: bool) -> bool:
    # Like the store, `type` also matches a sub-type, unless a sub-type is asked for as well.
    if event.type.lower() == kind.lower():
        return True
    return not exact and event.subtype.lower() == kind.lower()


def _events(store: Store, where: EventFilter, *, limit: int | None, offset: int = 0) -> list[Event]:
    return store.events(
        type=where.subtype or where.type,
        place=where.place,
        since=where.since,
        until=where.until,
        limit=limit,
        offset=offset,
    )


def event_page(store: Store, where: EventFilter, *, offset: int, limit: int) -> Page[PlacedEvent]:
    """A page of events in the store's order, each with its place."""
    if not where.filters_here:
        page = page_of(partial(_events, store, where), offset=offset, limit=limit)
        return Page(tuple(_placed(store, page.items)), offset, limit, page.more)
    kept = [item for item in _scan_events(store, where) if _keep(item, where)]
    return Page(tuple(kept[offset : offset + limit]), offset, limit, len(kept) > offset + limit)


def _scan_events(store: Store, where: EventFilter) -> list[PlacedEvent]:
    events = _events(store, where, limit=MAX_SCAN)
    if where.needs_places:
        return _placed(store, events)
    return [PlacedEvent(e, None) for e in events]


def figure_page(store: Store, where: FigureFilter, *, offset: int, limit: int) -> Page[Figure]:
    """A page of figures in the store's order."""
    listing = partial(
        store.figures,
        measure=where.measure,
        place=where.place,
        since=where.since,
        until=where.until,
    )
    return page_of(listing, offset=offset, limit=limit)


def incident_page(
    store: Store, where: IncidentFilter, *, offset: int, limit: int
) -> Page[Incident]:
    """A page of incidents by date, then id."""
    rows = _incidents(store, where, limit=limit + 1, offset=offset)
    return Page(tuple(rows[:limit]), offset, limit, more=len(rows) > limit)


def _incidents(
    store: Store,
    where: IncidentFilter,
    *,
    limit: int,
    offset: int = 0,
    with_reports: bool = True,
) -> list[Incident]:
    return store.incidents(
        type=where.type,
        place=where.place,
        since=where.since,
        until=where.until,
        bbox=where.bbox,
        limit=limit,
        offset=offset,
        with_reports=with_reports,
    )


def scan_incidents(store: Store, where: IncidentFilter) -> tuple[Incident, ...]:
    """The first `MAX_SCAN` incidents the filter keeps, by date, without their reports: what
    the map and the timeline count."""
    return tuple(_incidents(store, where, limit=MAX_SCAN, with_reports=False))


def map_points(incidents: Iterable[Incident]) -> list[MapPoint]:
    """Incidents counted by place and type, for the map."""
    groups: dict[tuple[str, str], list[Incident]] = {}
    places: dict[str, Place] = {}
    for incident in incidents:
        if incident.place is not None:
            places[incident.place.id] = incident.place
            groups.setdefault((incident.place.id, incident.type), []).append(incident)
    return [
        MapPoint(
            place=places[place_id],
            type=kind,
            count=len(incidents),
            reports=sum(i.report_count for i in incidents),
            first=min((i.date.start for i in incidents if i.date), default=None),
            last=max((i.date.end for i in incidents if i.date), default=None),
        )
        for (place_id, kind), incidents in sorted(groups.items())
    ]


def timeline(incidents: Iterable[Incident]) -> list[DayCount]:
    """Incidents per day and type, oldest day first."""
    counts = Counter(
        (incident.date.start, incident.type) for incident in incidents if incident.date is not None
    )
    return [DayCount(day, kind, n) for (day, kind), n in sorted(counts.items())]


def opening_since(store: Store, *, incidents: int) -> dt.date | None:
    """The first day of the page's opening view of a store holding `incidents` incidents: None
    (everything) for a small store, else the days of its latest `OPENING_INCIDENTS` incidents,
    at most `OPENING_DAYS` of them, so the first view costs the same however large the store."""
    if incidents <= OPENING_INCIDENTS:
        return None
    newest = store.incidents(newest_first=True, limit=1, with_reports=False)
    if not newest or newest[0].date is None:
        return None
    since = newest[0].date.end - dt.timedelta(days=OPENING_DAYS)
    nth = store.incidents(
        newest_first=True, limit=1, offset=OPENING_INCIDENTS - 1, with_reports=False
    )
    if nth and nth[0].date is not None:
        since = max(since, nth[0].date.start)
    return since


def article_view(store: Store, article: Article) -> ArticleView:
    """The article and all its stored facts."""
    return ArticleView(
        article=article,
        places=tuple(store.places(article_id=article.id)),
        times=tuple(store.times(article_id=article.id)),
        figures=tuple(store.figures(article_id=article.id)),
        events=tuple(store.events(article_id=article.id)),
    )
