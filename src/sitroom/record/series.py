"""Figure series: every claim of one count side by side, and a reconciled reading of them.

A *claim* is one figure as one article reported it. Claims of the same measure, unit, place and
window are one *series* (`same_count`): a week's displacement is not compared with the total
since December, and a town's count is not compared with its province's (the town's series
records the province's as the one it lies `within`). Nothing is added up and nothing is
overwritten: every claim stays with its article, outlet, speaker and date.

The reconciled view (`reconcile`) reads the claims as of the latest date any of them speaks
for: the *conservative* value is the lowest of those that state a number (ACLED codes the lowest
credible count; a vague "thousands" is only a floor),
the *range* spans them, and a *conflict* is two independent sources whose values cannot both
be true (an "about" allows `APPROX_MARGIN` either way; "at least" has no ceiling). Independent
sources are outlets, a republished copy counting as its original's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from sitroom.model import Article, Figure, Place, Window
from sitroom.record.incidents import outlet_of, source_key

if TYPE_CHECKING:
    from sitroom.store import Store

__all__ = [
    "ANCHOR_DAYS",
    "APPROX_MARGIN",
    "CURRENT_DAYS",
    "INCREMENT_DAYS",
    "PEOPLE_UNITS",
    "Claim",
    "ClaimKind",
    "Reconciled",
    "Series",
    "build_series",
    "claim_kind",
    "load_series",
    "make_claim",
    "place_matches",
    "reconcile",
    "same_count",
    "unit_class",
]

#: A window at most this long, or one that ends before its report, counts what happened in it.
INCREMENT_DAYS = 7
#: Totals since two starts this close ("since December", "since 2 December") count the same.
ANCHOR_DAYS = 7
#: Claims whose dates lie this close to the latest one are read together as the current count.
CURRENT_DAYS = 1
#: How far either way an "about" or "some" may be from the exact count.
APPROX_MARGIN = 0.1
#: Windows sharing at least this fraction of their days count the same period.
_OVERLAP = 0.5
#: Series of one measure and place a new claim is compared with: the most recently extended.
_OPEN_SERIES = 64

#: Counted nouns that all mean people in general; others (children, families) stay apart.
PEOPLE_UNITS = frozenset(
    {"people", "civilian", "resident", "villager", "IDP", "victim", "body", "inhabitant"}
)

ClaimKind = Literal["total", "increment", "stock"]


def unit_class(unit: str) -> str:
    """The unit a figure's counted noun is compared in: people in general, or itself."""
    return "people" if unit in PEOPLE_UNITS else unit


def claim_kind(figure: Figure, published: dt.date | None) -> ClaimKind:
    """A running total since a start day, an increment over a period, or a stock without one."""
    period = figure.period
    if period is None:
        return "stock"
    days = (period.end - period.start).days + 1
    open_ended = published is None or period.end >= published - dt.timedelta(days=1)
    return "total" if open_ended and days > INCREMENT_DAYS else "increment"


@dataclass(frozen=True, slots=True)
class Claim:
    """One figure as one article reported it, with whose word it is and the day it speaks for."""

    figure: Figure
    article_id: str
    title: str | None
    url: str | None
    published: dt.date | None
    #: The outlet, for display: the article's source, else its URL's host (None: unknown).
    outlet: str | None
    #: The independent-source key: the outlet of the article, or of the article it copies.
    source: str
    place: Place | None
    kind: ClaimKind

    @property
    def as_of(self) -> dt.date | None:
        """The day the count speaks for: its window's end, else its report's publication."""
        return self.figure.period.end if self.figure.period else self.published

    @property
    def bounds(self) -> tuple[float, float | None]:
        """The values the claim allows, low and high (None: no ceiling)."""
        figure = self.figure
        value = float(figure.value)
        if figure.vague or figure.qualifier == "at_least":
            return value, None
        if figure.qualifier == "approx":
            return value * (1 - APPROX_MARGIN), value * (1 + APPROX_MARGIN)
        if figure.qualifier == "at_most":
            return 0.0, value
        if figure.qualifier == "range":
            low = figure.low if figure.low is not None else value
            high = figure.high if figure.high is not None else value
            return float(low), float(high)
        return value, value

    @property
    def floor(self) -> float:
        """The lowest count the claim states: its value, or a range's low end."""
        figure = self.figure
        if figure.qualifier == "range" and figure.low is not None:
            return float(figure.low)
        return float(figure.value)

    @property
    def ceiling(self) -> float | None:
        """The highest count the claim states; None for "at least" and vague counts."""
        figure = self.figure
        if figure.vague or figure.qualifier == "at_least":
            return None
        if figure.qualifier == "range" and figure.high is not None:
            return float(figure.high)
        return float(figure.value)


def make_claim(
    figure: Figure, article: Article, *, place: Place | None, source: str | None = None
) -> Claim:
    """The claim `figure` of `article` makes; `source` is its independent-source key."""
    return Claim(
        figure=figure,
        article_id=article.id,
        title=article.title,
        url=article.url,
        published=article.published,
        outlet=outlet_of(article),
        source=source if source is not None else source_key(article),
        place=place,
        kind=claim_kind(figure, article.published),
    )


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What the claims of a series say together, read as of the latest of them."""

    conservative: float
    low: float
    #: None when a current claim has no ceiling ("at least", "thousands").
    high: float | None
    latest: Claim
    sources: int
    conflict: bool
    #: The claims read together: those speaking for the latest day, give or take CURRENT_DAYS.
    current: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class Series:
    """Every claim of one count: measure, unit, place and window, oldest first."""

    id: str
    measure: str
    unit: str
    place: Place | None
    kind: ClaimKind
    window: Window | None
    claims: tuple[Claim, ...]
    reconciled: Reconciled
    #: The id of the series of the same count for the admin area or country this place is in.
    within: str | None = None


def same_count(a: Claim, b: Claim) -> bool:
    """Whether two claims (same measure, unit and place) count the same thing."""
    if a.kind == "stock" or b.kind == "stock":
        return a.kind == b.kind
    assert a.figure.period is not None and b.figure.period is not None
    if a.kind == "total" and b.kind == "total":
        return abs((a.figure.period.start - b.figure.period.start).days) <= ANCHOR_DAYS
    return _overlap(a.figure.period, b.figure.period) >= _OVERLAP


def _overlap(a: Window, b: Window) -> float:
    shared = (min(a.end, b.end) - max(a.start, b.start)).days + 1
    union = (max(a.end, b.end) - min(a.start, b.start)).days + 1
    return max(shared, 0) / union


def build_series(claims: Iterable[Claim]) -> list[Series]:
    """The series the claims form, each reconciled, in order of measure, place and date."""
    groups: dict[tuple[str, str, str | None], list[Claim]] = {}
    for claim in claims:
        if claim.figure.qualifier == "fraction":
            continue  # "over half" is a share of something else, not a count
        key = (claim.figure.measure, unit_class(claim.figure.unit), _place_id(claim))
        groups.setdefault(key, []).append(claim)
    found = [
        _series(members)
        for members_of_key in groups.values()
        for members in _chains(sorted(members_of_key, key=_chronological))
    ]
    found.sort(key=lambda s: (s.measure, _place_name(s), _first_day(s), s.id))
    return _link_within(found)


def _chains(claims: list[Claim]) -> list[list[Claim]]:
    """Chronological claims split into series: each claim joins the most recently extended
    series whose latest claim counts the same, else starts one (a lookup among the last
    `_OPEN_SERIES`, so thousands of claims of one place cost linear time)."""
    chains: list[list[Claim]] = []
    for claim in claims:
        recent = chains[-_OPEN_SERIES:]
        home = next((c for c in reversed(recent) if same_count(claim, c[-1])), None)
        if home is None:
            chains.append([claim])
        else:
            chains.remove(home)
            chains.append(home)
            home.append(claim)
    return chains


def _series(claims: list[Claim]) -> Series:
    first = claims[0]
    periods = [c.figure.period for c in claims if c.figure.period is not None]
    window = None
    if periods:
        window = Window(min(p.start for p in periods), max(p.end for p in periods))
    key = "\x1f".join(
        map(str, (first.figure.measure, unit_class(first.figure.unit), _place_id(first)))
    )
    key += "\x1f" + "\x1f".join(sorted(f"{c.article_id}:{c.figure.span.start}" for c in claims))
    return Series(
        id="s" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16],
        measure=first.figure.measure,
        unit=unit_class(first.figure.unit),
        place=first.place,
        kind=first.kind,
        window=window,
        claims=tuple(claims),
        reconciled=reconcile(claims),
    )


def reconcile(claims: Iterable[Claim]) -> Reconciled:
    """The conservative value, range, latest claim, sources and conflict of one series."""
    ordered = sorted(claims, key=_chronological)
    if not ordered:
        raise ValueError("a series needs at least one claim")
    latest = ordered[-1]
    current = tuple(c for c in ordered if _days_apart(c.as_of, latest.as_of) <= CURRENT_DAYS)
    ceilings = [c.ceiling for c in current]
    # A vague "thousands" is a floor, not an estimate: it speaks only when nothing else does.
    credible = [c for c in current if not c.figure.vague] or list(current)
    return Reconciled(
        conservative=min(c.floor for c in credible),
        low=min(c.floor for c in current),
        high=None if None in ceilings else max(c for c in ceilings if c is not None),
        latest=latest,
        sources=len({c.source for c in ordered}),
        conflict=_conflicting(current),
        current=current,
    )


def _conflicting(claims: tuple[Claim, ...]) -> bool:
    """Whether two independent sources give counts that cannot both be true."""
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.source != b.source and not _compatible(a.bounds, b.bounds):
                return True
    return False


def _compatible(a: tuple[float, float | None], b: tuple[float, float | None]) -> bool:
    (low_a, high_a), (low_b, high_b) = a, b
    return (high_a is None or low_b <= high_a) and (high_b is None or low_a <= high_b)


def _days_apart(a: dt.date | None, b: dt.date | None) -> int:
    if a is None or b is None:
        return 0 if a is b else 1 << 30
    return abs((a - b).days)


def _chronological(claim: Claim) -> tuple[dt.date, dt.date, str, int]:
    undated = dt.date.min
    return (
        claim.as_of or undated,
        claim.published or undated,
        claim.article_id,
        claim.figure.span.start,
    )


def _place_id(claim: Claim) -> str | None:
    return claim.place.id if claim.place else None


def _place_name(series: Series) -> str:
    return series.place.name if series.place else ""


def _first_day(series: Series) -> dt.date:
    return series.claims[0].as_of or dt.date.min


def _link_within(found: list[Series]) -> list[Series]:
    """Each series with the series of the same count for the area its place lies in: its
    admin area's if there is one, else its country's."""
    areas: dict[tuple[str, str, str | None, str | None], list[Series]] = {}
    for series in found:
        if series.place is not None and series.place.kind in ("admin1", "country"):
            areas.setdefault(_area_key(series, series.place), []).append(series)
    linked = []
    for series in found:
        place = series.place
        if place is not None and place.kind != "country":
            tiers = [dataclasses.replace(place, kind="country", admin1=None)]
            if place.kind != "admin1":
                tiers.insert(0, dataclasses.replace(place, kind="admin1"))
            area = next(
                (
                    other
                    for tier in tiers
                    for other in areas.get(_area_key(series, tier), ())
                    if same_count(other.claims[0], series.claims[0])
                ),
                None,
            )
            if area is not None:
                series = replace(series, within=area.id)
        linked.append(series)
    return linked


def _area_key(series: Series, area: Place) -> tuple[str, str, str | None, str | None]:
    """What an area series is found by: its count, and the admin area or country it covers."""
    admin1 = area.admin1 if area.kind == "admin1" else None
    return (series.measure, series.unit, area.country, admin1)


def place_matches(place: Place, query: str, countries: Iterable[str] = ()) -> bool:
    """Whether a place answers a place filter: its id, a name it or its admin area bears,
    or one of `countries` (codes of countries whose names matched)."""
    needle = query.casefold()
    return (
        place.id == query
        or needle in place.name.casefold()
        or (place.admin1 is not None and needle in place.admin1.casefold())
        or (place.country is not None and place.country in countries)
    )


def load_series(
    store: Store,
    *,
    measure: str | None = None,
    place: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[Series]:
    """The series of the stored figures, filtered like the figure listing; `place` also takes
    in the towns of a named admin area or country. A claim's independent source is the outlet
    of its article, or of the article that one copies."""
    figures = store.figures(measure=measure, since=since, until=until)
    places = store.resolve_places(f.place_id for f in figures if f.place_id)
    if place is not None:
        countries = _countries_named(store, place)
        figures = [
            f
            for f in figures
            if f.place_id in places and place_matches(places[f.place_id], place, countries)
        ]
    article_ids = {f.article_id for f in figures}
    canonical = store.canonical_ids(article_ids)
    articles = {a.id: a for a in store.articles(ids=article_ids | set(canonical.values()))}
    claims = [
        make_claim(
            figure,
            articles[figure.article_id],
            place=places.get(figure.place_id) if figure.place_id else None,
            source=source_key(articles[canonical.get(figure.article_id, figure.article_id)]),
        )
        for figure in figures
    ]
    return build_series(claims)


def _countries_named(store: Store, query: str) -> frozenset[str]:
    """Codes of the countries whose stored mentions match a place filter."""
    return frozenset(
        m.place.country
        for m in store.places(place=query)
        if m.place is not None and m.place.kind == "country" and m.place.country
    )
