"""Stored facts and incidents as flat rows, ACLED-shaped CSV rows, GeoJSON and JSON objects.

Plain dicts live here only, at the output edge. Incidents export in ACLED's column layout
(`ACLED_COLUMNS`) with its precision codes: `geo_precision` 1 for a town or village, 2 for a
named part of a region, 3 for an admin area or a country; `time_precision` 1 for a known
day, 2 for a day within a week (or one taken from the report's publication), 3 for anything
vaguer, the event dated at the middle of its window. A country-level incident has no point of
its own: its latitude and longitude are left empty in CSV and its GeoJSON geometry is null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sitroom.model import Article, Event, Figure, Place, PlaceMention, TimeMention, Window
from sitroom.record.incidents import Incident, IncidentReport

__all__ = [
    "ACLED_COLUMNS",
    "COLUMNS",
    "TABLE_COLUMNS",
    "acled_rows",
    "article_rows",
    "event_rows",
    "figure_rows",
    "geo_precision",
    "incident_json",
    "incident_rows",
    "incidents_geojson",
    "place_names",
    "place_rows",
    "time_precision",
    "time_rows",
]

#: ACLED's columns, in its order, as `sitroom export --format acled-csv` writes them.
ACLED_COLUMNS = (
    "event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1", "location",
    "latitude", "longitude", "geo_precision", "time_precision", "source", "notes", "fatalities",
)  # fmt: skip

#: Columns of each listing, in display order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("id", "published", "title", "url", "chars"),
    "places": ("article_id", "start", "end", "text", "place_id", "name", "kind", "country",
               "lat", "lon", "confidence"),
    "times": ("article_id", "start", "end", "text", "start_date", "end_date", "granularity"),
    "figures": ("article_id", "start", "end", "text", "value", "qualifier", "unit", "measure",
                "place_id", "place", "place_basis", "period_start", "period_end", "source"),
    "events": ("article_id", "start", "end", "type", "subtype", "date_start", "date_end",
               "place_id", "place", "actors", "fatalities", "confidence"),
    "incidents": ("id", "date_start", "date_end", "type", "subtype", "place_id", "place",
                  "admin1", "country", "actors", "fatalities", "fatalities_high", "reports",
                  "sources", "articles"),
}  # fmt: skip
#: The columns a person reads in a terminal table; CSV and JSON keep every column.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("id", "published", "title", "chars"),
    "places": ("article_id", "text", "name", "kind", "country", "lat", "lon", "confidence"),
    "times": ("article_id", "text", "start_date", "end_date", "granularity"),
    "figures": ("article_id", "text", "value", "qualifier", "unit", "measure", "place",
                "period_start", "period_end", "source"),
    "events": ("article_id", "subtype", "date_start", "date_end", "place", "actors",
               "fatalities"),
    "incidents": ("id", "date_start", "date_end", "subtype", "place", "actors", "fatalities",
                  "reports", "sources"),
}  # fmt: skip


def place_names(mentions: Iterable[PlaceMention]) -> dict[str, str]:
    """Place id -> name, from the resolved mentions that name them."""
    return {m.place.id: m.place.name for m in mentions if m.place is not None}


def _day(window: Window | None, edge: str) -> str | None:
    if window is None:
        return None
    return (window.start if edge == "start" else window.end).isoformat()


def article_rows(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """One row per article."""
    return [
        {
            "id": a.id,
            "published": a.published.isoformat() if a.published else None,
            "title": a.title,
            "url": a.url,
            "chars": len(a.text),
        }
        for a in articles
    ]


def place_rows(mentions: Iterable[PlaceMention]) -> list[dict[str, Any]]:
    """One row per place mention."""
    return [
        {
            "article_id": m.article_id,
            "start": m.span.start,
            "end": m.span.end,
            "text": m.text,
            "place_id": m.place.id if m.place else None,
            "name": m.place.name if m.place else None,
            "kind": m.place.kind if m.place else None,
            "country": m.place.country if m.place else None,
            "lat": m.place.lat if m.place else None,
            "lon": m.place.lon if m.place else None,
            "confidence": m.confidence,
        }
        for m in mentions
    ]


def time_rows(mentions: Iterable[TimeMention]) -> list[dict[str, Any]]:
    """One row per time mention."""
    return [
        {
            "article_id": t.article_id,
            "start": t.span.start,
            "end": t.span.end,
            "text": t.text,
            "start_date": _day(t.window, "start"),
            "end_date": _day(t.window, "end"),
            "granularity": t.granularity,
        }
        for t in mentions
    ]


def figure_rows(
    figures: Iterable[Figure], names: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """One row per figure; `names` gives each place id its name."""
    names = names or {}
    return [
        {
            "article_id": f.article_id,
            "start": f.span.start,
            "end": f.span.end,
            "text": f.text,
            "value": f.value,
            "qualifier": f.qualifier,
            "unit": f.unit,
            "measure": f.measure,
            "place_id": f.place_id,
            "place": names.get(f.place_id) if f.place_id else None,
            "place_basis": f.place_basis,
            "period_start": _day(f.period, "start"),
            "period_end": _day(f.period, "end"),
            "source": f.source,
        }
        for f in figures
    ]


def event_rows(
    events: Iterable[Event], names: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """One row per event; `names` gives each place id its name."""
    names = names or {}
    return [
        {
            "article_id": e.article_id,
            "start": e.span.start,
            "end": e.span.end,
            "type": e.type,
            "subtype": e.subtype,
            "date_start": _day(e.date, "start"),
            "date_end": _day(e.date, "end"),
            "place_id": e.place_id,
            "place": names.get(e.place_id) if e.place_id else None,
            "actors": "; ".join(e.actors),
            "fatalities": e.fatalities,
            "confidence": e.confidence,
        }
        for e in events
    ]


def incident_rows(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """One row per incident for the listing: its summary and the articles reporting it."""
    return [
        {
            "id": i.id,
            "date_start": _day(i.date, "start"),
            "date_end": _day(i.date, "end"),
            "type": i.type,
            "subtype": i.subtype,
            "place_id": i.place.id if i.place else None,
            "place": i.place.name if i.place else None,
            "admin1": i.place.admin1 if i.place else None,
            "country": i.place.country if i.place else None,
            "actors": "; ".join(i.actors),
            "fatalities": i.fatalities,
            "fatalities_high": i.fatalities_high,
            "reports": i.report_count,
            "sources": i.source_count,
            "articles": "; ".join(dict.fromkeys(r.article_id for r in i.reports)),
        }
        for i in incidents
    ]


def geo_precision(place: Place | None) -> int | None:
    """ACLED's geo_precision of a place: 1 town or village, 2 part of a region, 3 larger."""
    if place is None:
        return None
    return {"city": 1, "village": 1, "region": 2}.get(place.kind, 3)


def time_precision(date: Window | None, *, from_publication: bool = False) -> int | None:
    """ACLED's time_precision of a window: 1 a known day, 2 within a week, 3 vaguer."""
    if date is None:
        return None
    days = (date.end - date.start).days + 1
    if days == 1:
        return 2 if from_publication else 1
    return 2 if days <= 7 else 3


def _event_day(date: Window | None) -> dt.date | None:
    # A window stands for its middle day, as ACLED dates an event known only to a week.
    if date is None:
        return None
    return date.start + (date.end - date.start) / 2


def _point(place: Place | None) -> tuple[float, float] | None:
    """A place's (lat, lon), or None for a country: its centre point is not where it happened."""
    if place is None or place.kind == "country":
        return None
    return place.lat, place.lon


def _outlets(reports: Iterable[IncidentReport]) -> list[str]:
    return list(dict.fromkeys(r.outlet or r.article_id for r in reports))


def _notes(incident: Incident) -> str:
    where = incident.place.name if incident.place else "an unresolved place"
    when = _day(incident.date, "start") or "an unknown day"
    articles = ", ".join(dict.fromkeys(r.article_id for r in incident.reports))
    tolls = ""
    if incident.fatalities is not None and incident.fatalities_high != incident.fatalities:
        tolls = f" Reported fatalities range from {incident.fatalities} to "
        tolls += f"{incident.fatalities_high}; the lowest is coded."
    return (
        f"On {when}, {incident.subtype.lower()} in {where}. {incident.report_count} report(s) "
        f"from {incident.source_count} independent source(s).{tolls} sitroom incident "
        f"{incident.id}; articles: {articles}."
    )


def acled_rows(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """One row per incident in ACLED's columns (`ACLED_COLUMNS`)."""
    rows = []
    for i in incidents:
        point = _point(i.place)
        day = _event_day(i.date)
        rows.append(
            {
                "event_date": day.isoformat() if day else None,
                "event_type": i.type,
                "sub_event_type": i.subtype,
                "actor1": i.actors[0] if i.actors else None,
                "actor2": i.actors[1] if len(i.actors) > 1 else None,
                "admin1": i.place.admin1 if i.place else None,
                "location": i.place.name if i.place else None,
                "latitude": point[0] if point else None,
                "longitude": point[1] if point else None,
                "geo_precision": geo_precision(i.place),
                "time_precision": time_precision(i.date, from_publication=i.date_from_publication),
                "source": "; ".join(_outlets(i.reports)),
                "notes": _notes(i),
                # ACLED codes an unknown toll as 0 and a disputed one at its lowest.
                "fatalities": i.fatalities or 0,
            }
        )
    return rows


def _place_json(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "admin1": place.admin1,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
    }


def _report_json(report: IncidentReport) -> dict[str, Any]:
    return {
        "article_id": report.article_id,
        "event_id": report.event_id,
        "start": report.span.start,
        "end": report.span.end,
        "subtype": report.subtype,
        "date_start": _day(report.date, "start"),
        "date_end": _day(report.date, "end"),
        "fatalities": report.fatalities,
        "outlet": report.outlet,
        "title": report.title,
        "url": report.url,
        "published": report.published.isoformat() if report.published else None,
    }


def incident_json(incident: Incident) -> dict[str, Any]:
    """An incident as one JSON object, with every report and its article."""
    return {
        "id": incident.id,
        "type": incident.type,
        "subtype": incident.subtype,
        "date_start": _day(incident.date, "start"),
        "date_end": _day(incident.date, "end"),
        "date_from_publication": incident.date_from_publication,
        "place": _place_json(incident.place),
        "actors": list(incident.actors),
        "fatalities": incident.fatalities,
        "fatalities_high": incident.fatalities_high,
        "report_count": incident.report_count,
        "source_count": incident.source_count,
        "first_reported": incident.first_reported.isoformat() if incident.first_reported else None,
        "last_reported": incident.last_reported.isoformat() if incident.last_reported else None,
        "reports": [_report_json(r) for r in incident.reports],
    }


def incidents_geojson(incidents: Iterable[Incident]) -> dict[str, Any]:
    """The incidents as a GeoJSON FeatureCollection; a country-level one has null geometry."""
    features = []
    for incident in incidents:
        point = _point(incident.place)
        geometry = None if point is None else {"type": "Point", "coordinates": [point[1], point[0]]}
        properties = incident_json(incident)
        properties["geo_precision"] = geo_precision(incident.place)
        properties["time_precision"] = time_precision(
            incident.date, from_publication=incident.date_from_publication
        )
        features.append(
            {"type": "Feature", "id": incident.id, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}
