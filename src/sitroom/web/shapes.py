"""The HTTP API's JSON objects, built from the model at the output edge (dicts only here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

# The API writes places and windows exactly as the extract-v1 contract does.
from sitroom.contract import place_to_dict as place_json
from sitroom.contract import window_to_dict as _window
from sitroom.model import Article, Figure, Place, PlaceMention, Span, TimeMention
from sitroom.record.incidents import Incident, IncidentReport
from sitroom.record.series import Claim, Series
from sitroom.report import Change, Citation, Situation
from sitroom.store import Counts
from sitroom.web.queries import ArticleView, DayCount, MapPoint, Page, PlacedEvent

__all__ = [
    "article_json",
    "article_summary_json",
    "claim_json",
    "counts_json",
    "day_count_json",
    "event_json",
    "figure_json",
    "incident_json",
    "map_point_json",
    "page_json",
    "place_json",
    "place_mention_json",
    "series_json",
    "situation_json",
    "time_json",
]

T = TypeVar("T")
#: Characters of article text shown in a listing; the article endpoint gives all of it.
SNIPPET = 200


def page_json(page: Page[T], item: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """A page: its items, where it starts, its size, and the offset of the next page if any."""
    return {
        "items": [item(x) for x in page.items],
        "offset": page.offset,
        "limit": page.limit,
        "next_offset": page.offset + page.limit if page.more else None,
    }


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _span(span: Span) -> dict[str, int]:
    return {"start": span.start, "end": span.end}


def counts_json(counts: Counts) -> dict[str, int]:
    """How many articles and facts the store holds."""
    return {
        "articles": counts.articles,
        "places": counts.places,
        "times": counts.times,
        "figures": counts.figures,
        "events": counts.events,
        "incidents": counts.incidents,
    }


def article_summary_json(article: Article) -> dict[str, Any]:
    """An article in a listing: its metadata and the start of its text."""
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "published": _day(article.published),
        "source": article.source,
        "chars": len(article.text),
        "snippet": article.text[:SNIPPET],
    }


def place_mention_json(mention: PlaceMention) -> dict[str, Any]:
    """A place named in an article."""
    return {
        "article_id": mention.article_id,
        **_span(mention.span),
        "text": mention.text,
        "place": place_json(mention.place),
        "confidence": mention.confidence,
    }


def time_json(mention: TimeMention) -> dict[str, Any]:
    """A time expression in an article."""
    return {
        "article_id": mention.article_id,
        **_span(mention.span),
        "text": mention.text,
        "window": _window(mention.window),
        "granularity": mention.granularity,
        "fuzzy": mention.fuzzy,
    }


def figure_json(figure: Figure, places: Mapping[str, Place] | None = None) -> dict[str, Any]:
    """A figure; `places` names its place when known."""
    place = (places or {}).get(figure.place_id) if figure.place_id else None
    return {
        "article_id": figure.article_id,
        **_span(figure.span),
        "text": figure.text,
        "value": figure.value,
        "low": figure.low,
        "high": figure.high,
        "qualifier": figure.qualifier,
        "unit": figure.unit,
        "measure": figure.measure,
        "place_id": figure.place_id,
        "place": place_json(place),
        "place_basis": figure.place_basis,
        "period": _window(figure.period),
        "source": figure.source,
        "sentence": _span(figure.sentence),
        "vague": figure.vague,
    }


def event_json(item: PlacedEvent) -> dict[str, Any]:
    """An event with its place."""
    event = item.event
    return {
        "article_id": event.article_id,
        **_span(event.span),
        "type": event.type,
        "subtype": event.subtype,
        "date": _window(event.date),
        "date_from_publication": event.date_from_publication,
        "place_id": event.place_id,
        "place": place_json(item.place),
        "actors": list(event.actors),
        "fatalities": event.fatalities,
        "confidence": event.confidence,
    }


def article_json(view: ArticleView) -> dict[str, Any]:
    """An article's full text and every fact stored for it, each with its span."""
    places = {m.place.id: m.place for m in view.places if m.place is not None}
    events = (PlacedEvent(e, places.get(e.place_id) if e.place_id else None) for e in view.events)
    return {
        **article_summary_json(view.article),
        "text": view.article.text,
        "places": [place_mention_json(m) for m in view.places],
        "times": [time_json(t) for t in view.times],
        "figures": [figure_json(f, places) for f in view.figures],
        "events": [event_json(e) for e in events],
    }


def map_point_json(point: MapPoint) -> dict[str, Any]:
    """Incidents of one type at one place."""
    return {
        "place": place_json(point.place),
        "type": point.type,
        "count": point.count,
        "reports": point.reports,
        "first": _day(point.first),
        "last": _day(point.last),
    }


def day_count_json(count: DayCount) -> dict[str, Any]:
    """Incidents of one type on one day."""
    return {"day": count.day.isoformat(), "type": count.type, "count": count.count}


def _report_json(report: IncidentReport) -> dict[str, Any]:
    return {
        "event_id": report.event_id,
        "article_id": report.article_id,
        **_span(report.span),
        "subtype": report.subtype,
        "date": _window(report.date),
        "fatalities": report.fatalities,
        "source": report.source,
        "outlet": report.outlet,
        "title": report.title,
        "url": report.url,
        "published": _day(report.published),
    }


def incident_json(incident: Incident) -> dict[str, Any]:
    """One incident: what its reports agree on, and each report with its article and span."""
    return {
        "id": incident.id,
        "type": incident.type,
        "subtype": incident.subtype,
        "date": _window(incident.date),
        "date_from_publication": incident.date_from_publication,
        "place": place_json(incident.place),
        "actors": list(incident.actors),
        "fatalities": incident.fatalities,
        "fatalities_high": incident.fatalities_high,
        "report_count": incident.report_count,
        "source_count": incident.source_count,
        "first_reported": _day(incident.first_reported),
        "last_reported": _day(incident.last_reported),
        "reports": [_report_json(r) for r in incident.reports],
    }


def claim_json(claim: Claim) -> dict[str, Any]:
    """One figure as one article reported it, with the article and whose word it is."""
    places = {claim.place.id: claim.place} if claim.place else {}
    return {
        **figure_json(claim.figure, places),
        "kind": claim.kind,
        "as_of": _day(claim.as_of),
        "title": claim.title,
        "url": claim.url,
        "published": _day(claim.published),
        "outlet": claim.outlet,
        "independent_source": claim.source,
    }


def _shown_claims(series: Series, most: int | None) -> list[Claim]:
    # Every claim read as current (however many), then the latest others, in the series' order.
    claims = list(series.claims)
    if most is None or len(claims) <= most:
        return claims
    reconciled = series.reconciled
    keep = {claims.index(c) for c in (*reconciled.current, reconciled.latest) if c in claims}
    for index in reversed(range(len(claims))):
        if len(keep) >= most:
            break
        keep.add(index)
    return [claims[i] for i in sorted(keep)]


def series_json(series: Series, *, claims: int | None = None) -> dict[str, Any]:
    """The claims of one count, oldest first (at most `claims` of them: those read as current,
    then the latest), how many there are, and what they all say together."""
    reconciled = series.reconciled
    claims_shown = _shown_claims(series, claims)
    return {
        "id": series.id,
        "measure": series.measure,
        "unit": series.unit,
        "place": place_json(series.place),
        "kind": series.kind,
        "window": _window(series.window),
        "within": series.within,
        "reconciled": {
            "conservative": reconciled.conservative,
            "low": reconciled.low,
            "high": reconciled.high,
            "sources": reconciled.sources,
            "conflict": reconciled.conflict,
            "latest": _index(claims_shown, reconciled.latest),
            "current": [
                i for c in reconciled.current if (i := _index(claims_shown, c)) is not None
            ],
        },
        "claim_count": len(series.claims),
        "claims": [claim_json(c) for c in claims_shown],
    }


def _index(claims: list[Claim], claim: Claim) -> int | None:
    return claims.index(claim) if claim in claims else None


def _citation_json(citation: Citation) -> dict[str, Any]:
    return {
        "number": citation.number,
        "article_id": citation.article_id,
        "label": citation.label,
        "url": citation.url,
        "outlet": citation.outlet,
        "published": _day(citation.published),
    }


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "cites": list(change.cites),
        "incident": incident_json(change.incident) if change.incident else None,
        "series": change.series.id if change.series else None,
        "before": claim_json(change.before) if change.before else None,
        "after": claim_json(change.after) if change.after else None,
    }


def situation_json(situation: Situation) -> dict[str, Any]:
    """The situation report's sections, each line citing the articles it rests on."""
    return {
        "place": situation.place,
        "since": _day(situation.since),
        "until": _day(situation.until),
        "changed_since": _day(situation.changed_since),
        "key_figures": [
            {**series_json(k.series), "cites": list(k.cites), "claim_cites": list(k.claim_cites)}
            for k in situation.key_figures
        ],
        "timeline": [
            {**incident_json(t.incident), "cites": list(t.cites)} for t in situation.timeline
        ],
        "affected": [
            {
                "place": place_json(a.place),
                "incidents": a.incidents,
                "fatalities": a.fatalities,
                "cites": list(a.cites),
            }
            for a in situation.affected
        ],
        "changes": [_change_json(c) for c in situation.changes],
        "citations": [_citation_json(c) for c in situation.citations],
    }
