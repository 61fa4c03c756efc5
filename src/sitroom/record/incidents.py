"""Incidents: the events of many reports that tell of one happening, merged by a readable rule.

Two reports tell of the same incident when all four agree (`same_incident`):

- **type**: the same sub-type, or sub-types one outlet easily calls the other (`FAMILIES`:
  an air strike reported elsewhere as shelling; a clash that ends with a town taken);
- **date**: their windows overlap once widened by `date_tolerance_days` (a report filed after
  midnight says "Tuesday" of Monday night's strike); an event dated only by its article's
  publication may have happened the day before; a window longer than `longest_window_days`
  ("since August") is too vague to identify an incident and never merges;
- **place**: the same place, two points within `near_km`, or a point inside the admin area or
  country the other report names; a report with no resolved place never merges;
- **actors**: when both name a particular armed actor, at least one is shared (civilians,
  protesters and rioters are who it happened to, not who did it; "soldiers" or "gunmen" name
  no particular force, so they agree with any).

Filing is incremental: each new report asks the `IncidentBook` (the store) for the incidents of
its family and country whose dates and places could agree (a `Lookup`), and joins the one that
agrees best (nearest place, then nearest date, then most reported: a report naming only a
province joins the most reported incident in it) or opens a new incident. An incident keeps a
summary (the most precise date and place of its reports, the union of actors, the lowest and
highest fatalities) that the next report is compared with, and counts its independent
sources: outlets, with a republished copy of an article counted as its original's outlet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from sitroom.model import Article, Event, Extraction, Place, Span, Window

__all__ = [
    "BYSTANDERS",
    "CONTAINERS",
    "DEFAULT_THRESHOLDS",
    "FAMILIES",
    "GENERIC_ACTORS",
    "PRECISION",
    "FilingTally",
    "Incident",
    "IncidentBook",
    "IncidentReport",
    "Lookup",
    "MemoryBook",
    "Report",
    "Thresholds",
    "contains",
    "family_of",
    "file_reports",
    "incident_id_for",
    "lookup_of",
    "merge",
    "open_incident",
    "outlet_of",
    "outlet_of_parts",
    "reports_of",
    "same_incident",
    "source_key",
]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The named thresholds of the rule; `sitroom evaluate incidents` measures them."""

    #: Days by which two reports' dates may miss each other and still be one incident.
    date_tolerance_days: int = 1
    #: Kilometres between two points still read as one place (a town and its outskirts).
    near_km: float = 10.0
    #: A date known only to a window longer than this cannot identify an incident.
    longest_window_days: int = 7
    #: Days before its publication an event dated only by its article may have happened.
    publication_lag_days: int = 1


DEFAULT_THRESHOLDS = Thresholds()

#: Sub-types that reports of one happening call each other, by family; others are their own.
FAMILIES: dict[str, str] = {
    "Air/drone strike": "bombardment",
    "Shelling/artillery/missile attack": "bombardment",
    "Armed clash": "ground fighting",
    "Government regains territory": "ground fighting",
    "Non-state actor overtakes territory": "ground fighting",
    # One outlet reports a town taken after the other side withdrew, another the fight for it.
    "Non-violent transfer of territory": "ground fighting",
    "Suicide bomb": "bombing",
    "Remote explosive/landmine/IED": "bombing",
    "Grenade": "bombing",
    "Peaceful protest": "protest",
    "Protest with intervention": "protest",
    "Excessive force against protesters": "protest",
    "Violent demonstration": "riot",
    "Mob violence": "riot",
}

#: Actors a report names as those it happened to, not as a party that acted.
BYSTANDERS = frozenset({"Civilians", "Protesters", "Rioters"})
#: Descriptions that name no particular force ("soldiers", "gunmen"): they agree with any actor.
GENERIC_ACTORS = frozenset(
    {
        "Military forces",
        "Security forces",
        "Government forces",
        "Police Forces",
        "Gendarmerie",
        "Pro-government forces",
        "Coalition forces",
        "Militants",
        "Militia",
        "Rebel groups",
        "Separatists",
        "Bandits",
        "Gang",
        "Unidentified Armed Group",
    }
)

#: How precise a place is, most precise first; an incident keeps its most precise report's.
PRECISION: dict[str, int] = {"village": 0, "city": 0, "region": 1, "admin1": 2, "country": 3}
_POINT = 0
_EARTH_RADIUS_KM = 6371.0088
T = TypeVar("T", int, dt.date)


def family_of(subtype: str) -> str:
    """The family of sub-types a report's sub-type may be confused with."""
    return FAMILIES.get(subtype, subtype)


@dataclass(frozen=True, slots=True)
class Report:
    """One stored event as incident filing sees it: what it says and whose word it is."""

    event_id: str
    article_id: str
    span: Span
    type: str
    subtype: str
    date: Window | None
    place: Place | None
    actors: tuple[str, ...]
    fatalities: int | None
    #: The independent-source key: the outlet of the article, or of the article it copies.
    source: str
    published: dt.date | None
    date_from_publication: bool = False

    @classmethod
    def of(
        cls, event: Event, *, event_id: str, article: Article, place: Place | None, source: str
    ) -> Report:
        """The report an event of `article` makes, its place resolved."""
        return cls(
            event_id=event_id,
            article_id=event.article_id,
            span=event.span,
            type=event.type,
            subtype=event.subtype,
            date=event.date,
            place=place,
            actors=event.actors,
            fatalities=event.fatalities,
            source=source,
            published=article.published,
            date_from_publication=event.date_from_publication,
        )


@dataclass(frozen=True, slots=True)
class IncidentReport:
    """One report of an incident: the event's article and span, and what that report said."""

    event_id: str
    article_id: str
    span: Span
    subtype: str
    date: Window | None
    fatalities: int | None
    source: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    #: Who published the article, for display (None: unknown).
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Incident:
    """One happening, however many reports tell of it, with a summary of what they say."""

    id: str
    type: str
    subtype: str
    date: Window | None
    place: Place | None
    actors: tuple[str, ...]
    #: The lowest and highest death toll its reports give (ACLED codes the lowest).
    fatalities: int | None
    fatalities_high: int | None
    report_count: int
    source_count: int
    first_reported: dt.date | None
    last_reported: dt.date | None
    date_from_publication: bool = False
    reports: tuple[IncidentReport, ...] = field(default=(), compare=False)

    @property
    def family(self) -> str:
        """The family of sub-types its reports may use."""
        return family_of(self.subtype)


class IncidentBook(Protocol):
    """Where incidents are kept while reports are filed: the store, inside its transaction."""

    def expect(self, lookups: list[Lookup]) -> None:
        """The lookups filing is about to make, in order: a book may read their answers ahead."""
        ...

    def candidates(self, lookup: Lookup) -> list[Incident]:
        """The incidents the lookup asks for: all that could agree, perhaps more (`Lookup`)."""
        ...

    def open(self, incident: Incident, report: Report) -> None:
        """Keep a new incident whose first report is `report`."""
        ...

    def join(self, incident: Incident, report: Report) -> None:
        """Add `report` to the stored incident, whose summary is now `incident`."""
        ...


def reports_of(
    extraction: Extraction, *, source: str, event_id: Callable[[Event], str]
) -> Iterator[Report]:
    """The reports an article's events make, each once, places resolved from its mentions."""
    places = {m.place.id: m.place for m in extraction.places if m.place is not None}
    seen: set[str] = set()
    for event in extraction.events:
        key = event_id(event)
        if key in seen:
            continue
        seen.add(key)
        place = places.get(event.place_id) if event.place_id else None
        yield Report.of(event, event_id=key, article=extraction.article, place=place, source=source)


class MemoryBook:
    """An `IncidentBook` in a dict: for evaluations and tests; candidates are a scan."""

    def __init__(self) -> None:
        self.incidents: dict[str, Incident] = {}
        #: Event id -> the id of the incident it was filed into.
        self.filed: dict[str, str] = {}
        self._sources: dict[str, set[str]] = {}

    def expect(self, lookups: list[Lookup]) -> None:
        """Nothing to read ahead: candidates are a scan of the dict."""

    def candidates(self, lookup: Lookup) -> list[Incident]:
        """The incidents the lookup asks for, exactly (`Lookup.reaches`)."""
        return [
            i
            for i in self.incidents.values()
            if i.family == lookup.family
            and i.place is not None
            and i.place.country == lookup.country
            and i.date is not None
            and lookup.starts.contains(i.date.start)
            and i.date.end >= lookup.ends_after
            and _spans_at_most(i.date, lookup.longest_days)
            and lookup.reaches(i.place.id, i.place.kind, i.place.lat)
        ]

    def open(self, incident: Incident, report: Report) -> None:
        """Keep a new incident whose first report is `report`."""
        self.incidents[incident.id] = incident
        self._sources[incident.id] = {report.source}
        self.filed[report.event_id] = incident.id

    def join(self, incident: Incident, report: Report) -> None:
        """Add `report` to the incident, whose summary is now `incident`."""
        sources = self._sources[incident.id]
        sources.add(report.source)
        self.incidents[incident.id] = replace(incident, source_count=len(sources))
        self.filed[report.event_id] = incident.id


@dataclass(frozen=True, slots=True)
class FilingTally:
    """What filing did: incidents opened, reports joined to an existing incident."""

    opened: int = 0
    joined: int = 0


def file_reports(
    book: IncidentBook, reports: Iterable[Report], *, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> FilingTally:
    """File each report into the incident it agrees with best, or open a new one."""
    opened = joined = 0
    filed = list(reports)
    lookups = [lookup_of(report, thresholds=thresholds) for report in filed]
    book.expect([lookup for lookup in lookups if lookup is not None])
    for report, lookup in zip(filed, lookups, strict=True):
        candidates = [] if lookup is None else book.candidates(lookup)
        match = _best_match(report, candidates, thresholds)
        if match is None:
            book.open(open_incident(report), report)
            opened += 1
        else:
            book.join(merge(match, report), report)
            joined += 1
    return FilingTally(opened=opened, joined=joined)


@dataclass(frozen=True, slots=True)
class Lookup:
    """The incidents a report asks its book for: every one that could agree with it is among
    them (`reaches`), and a book may return more.

    Those of its family and country starting within `starts` and ending on or after
    `ends_after`, dated to at most `longest_days` days, whose place is the report's own
    (`place_id`), or an area that may contain it (`CONTAINERS`), or else lies between the
    latitudes `near` (None: anywhere in the country).
    """

    family: str
    country: str
    starts: Window
    ends_after: dt.date
    place_id: str
    near: tuple[float, float] | None
    #: An incident dated more loosely is too vague to agree with any report (`_dates_agree`):
    #: "since late last month" starts inside most lookups' days but can be joined by none.
    #: Half the candidates of a batch added at 80,000 generated articles were such.
    longest_days: int = DEFAULT_THRESHOLDS.longest_window_days

    def reaches(self, place_id: str | None, kind: str | None, lat: float | None) -> bool:
        """Whether an incident at this place of the lookup's family, country and dates may
        agree with the report (the incident's place id, kind and latitude)."""
        if self.near is None or place_id == self.place_id or kind in CONTAINERS:
            return True
        return lat is not None and self.near[0] <= lat <= self.near[1]


#: The kinds of place that may contain another (`contains`).
CONTAINERS = ("admin1", "country")
#: Degrees of latitude added to a lookup's band so that rounding never drops a point `near_km`.
_BAND_MARGIN_DEGREES = 1e-6


def lookup_of(report: Report, *, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Lookup | None:
    """The candidates a report asks for when filed, or None when it can agree with none."""
    window = _matching_window(report, thresholds)
    place = report.place
    if window is None or place is None or not place.country:
        return None
    reach = dt.timedelta(days=thresholds.date_tolerance_days)
    # An incident that could agree starts at most `longest_window_days` before this window
    # (a longer one cannot merge) and ends no earlier than its start, less the tolerance.
    earliest = window.start - reach - dt.timedelta(days=thresholds.longest_window_days)
    return Lookup(
        family=family_of(report.subtype),
        country=place.country,
        starts=Window(earliest, window.end + reach),
        ends_after=window.start - reach,
        place_id=place.id,
        near=_latitudes_near(place, thresholds),
        longest_days=thresholds.longest_window_days,
    )


def _latitudes_near(place: Place, thresholds: Thresholds) -> tuple[float, float] | None:
    """Between which latitudes a point within `near_km` of a point place lies; None for an
    area, which agrees with the points inside it wherever they are.

    Two points are at least as far apart as their latitudes: a great circle's central angle
    is never less than the difference of its ends' latitudes.
    """
    if _precision(place) != _POINT:
        return None
    half = math.degrees(thresholds.near_km / _EARTH_RADIUS_KM) + _BAND_MARGIN_DEGREES
    return (place.lat - half, place.lat + half)


def _best_match(
    report: Report, candidates: list[Incident], thresholds: Thresholds
) -> Incident | None:
    agreeing = [c for c in candidates if same_incident(report, c, thresholds=thresholds)]
    if not agreeing:
        return None
    return min(agreeing, key=lambda incident: _closeness(report, incident))


def _closeness(report: Report, incident: Incident) -> tuple[float, int, int, str]:
    """Nearest point first, then nearest date, then the incident with more reports.

    The centre of a province or country says nothing of where in it a report means, so a
    report naming only an area is as near to every incident inside it.
    """
    assert report.place is not None and incident.place is not None
    points = _precision(report.place) == _POINT and _precision(incident.place) == _POINT
    km = _km(report.place, incident.place) if points else 0.0
    return (km, _gap_days(report.date, incident.date), -incident.report_count, incident.id)


def same_incident(
    report: Report, incident: Incident, *, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> bool:
    """Whether a report tells of this incident: type, date, place and actors all agree."""
    return (
        family_of(report.subtype) == incident.family
        and _dates_agree(report, incident, thresholds)
        and _places_agree(report.place, incident.place, thresholds)
        and _actors_agree(report.actors, incident.actors)
    )


def _matching_window(report: Report | Incident, thresholds: Thresholds) -> Window | None:
    """The days the event may have happened on, or None when too vague to match."""
    date = report.date
    if date is None or not _spans_at_most(date, thresholds.longest_window_days):
        return None
    if report.date_from_publication:
        lag = dt.timedelta(days=thresholds.publication_lag_days)
        return Window(date.start - lag, date.end)
    return date


def _spans_at_most(date: Window, days: int) -> bool:
    """Whether a window covers at most this many days (a single day covers one)."""
    return (date.end - date.start).days < days


def _dates_agree(report: Report, incident: Incident, thresholds: Thresholds) -> bool:
    mine, theirs = _matching_window(report, thresholds), _matching_window(incident, thresholds)
    if mine is None or theirs is None:
        return False
    return _gap_days(mine, theirs) <= thresholds.date_tolerance_days


def _gap_days(a: Window | None, b: Window | None) -> int:
    """Days between two windows: 0 when they overlap."""
    if a is None or b is None:
        return 1 << 30
    return max((b.start - a.end).days, (a.start - b.end).days, 0)


def _places_agree(a: Place | None, b: Place | None, thresholds: Thresholds) -> bool:
    if a is None or b is None or not a.country or a.country != b.country:
        return False
    if a.id == b.id:
        return True
    if _precision(a) == _POINT and _precision(b) == _POINT:
        return _km(a, b) <= thresholds.near_km
    return contains(a, b) or contains(b, a)


def contains(area: Place, place: Place) -> bool:
    """Whether `place` lies in `area`: itself, inside its admin area, or inside its country."""
    if area.id == place.id:
        return True
    if area.kind == "country":
        return area.country is not None and area.country == place.country
    if area.kind == "admin1":
        return (
            area.country == place.country
            and area.admin1 is not None
            and area.admin1 == place.admin1
            and _precision(place) < _precision(area)
        )
    return False


def _actors_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    parties_a = set(a) - BYSTANDERS - GENERIC_ACTORS
    parties_b = set(b) - BYSTANDERS - GENERIC_ACTORS
    return not parties_a or not parties_b or bool(parties_a & parties_b)


def incident_id_for(event_id: str) -> str:
    """The id of the incident a report opens: stable, from its first event."""
    return "i" + hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:16]


def open_incident(report: Report) -> Incident:
    """The incident a report opens on its own."""
    return Incident(
        id=incident_id_for(report.event_id),
        type=report.type,
        subtype=report.subtype,
        date=report.date,
        place=report.place,
        actors=report.actors,
        fatalities=report.fatalities,
        fatalities_high=report.fatalities,
        report_count=1,
        source_count=1,
        first_reported=report.published,
        last_reported=report.published,
        date_from_publication=report.date_from_publication,
    )


def merge(incident: Incident, report: Report) -> Incident:
    """The incident's summary once `report` joins it (its source count is the book's to set)."""
    date, from_publication = _better_date(incident, report)
    return replace(
        incident,
        date=date,
        date_from_publication=from_publication,
        place=_better_place(incident.place, report.place),
        actors=tuple(dict.fromkeys((*incident.actors, *report.actors))),
        fatalities=_extreme(min, incident.fatalities, report.fatalities),
        fatalities_high=_extreme(max, incident.fatalities_high, report.fatalities),
        report_count=incident.report_count + 1,
        first_reported=_extreme(min, incident.first_reported, report.published),
        last_reported=_extreme(max, incident.last_reported, report.published),
        reports=(),
    )


def _better_date(incident: Incident, report: Report) -> tuple[Window | None, bool]:
    # A date read from the text beats one taken from publication; a narrower one a wider one.
    def rank(date: Window | None, from_publication: bool) -> tuple[bool, int]:
        days = (date.end - date.start).days if date else 1 << 30
        return (from_publication, days)

    if rank(report.date, report.date_from_publication) < rank(
        incident.date, incident.date_from_publication
    ):
        return report.date, report.date_from_publication
    return incident.date, incident.date_from_publication


def _better_place(current: Place | None, other: Place | None) -> Place | None:
    if current is None or (other is not None and _precision(other) < _precision(current)):
        return other
    return current


def _precision(place: Place) -> int:
    return PRECISION.get(place.kind, _POINT)


def _extreme(pick: Callable[[list[T]], T], a: T | None, b: T | None) -> T | None:
    values = [value for value in (a, b) if value is not None]
    return pick(values) if values else None


def _km(a: Place, b: Place) -> float:
    """Great-circle distance between two places' points."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def outlet_of(article: Article) -> str | None:
    """Who published an article: its source, else its URL's host, else None."""
    return outlet_of_parts(article.source, article.url)


def outlet_of_parts(source: str | None, url: str | None) -> str | None:
    """Who published an article with this source and URL: the source, else the URL's host."""
    if source and source.strip():
        return " ".join(source.split())
    if url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return None


def source_key(article: Article) -> str:
    """Whose word an article is: its outlet (any case), else the article itself."""
    outlet = outlet_of(article)
    return outlet.casefold() if outlet else article.id
