"""Stored facts as flat rows (plain dicts at the output edge) for tables, CSV and JSON."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sitroom.model import Article, Event, Figure, PlaceMention, TimeMention, Window

__all__ = [
    "COLUMNS",
    "TABLE_COLUMNS",
    "article_rows",
    "event_rows",
    "figure_rows",
    "place_names",
    "place_rows",
    "time_rows",
]

#: Columns of each listing, in display order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("id", "published", "title", "url", "chars"),
    "places": ("article_id", "start", "end", "text", "place_id", "name", "kind", "country",
               "lat", "lon", "confidence"),
    "times": ("article_id", "start", "end", "text", "start_date", "end_date", "granularity"),
    "figures": ("article_id", "start", "end", "text", "value", "qualifier", "unit", "measure",
                "place_id", "place", "period_start", "period_end", "source"),
    "events": ("article_id", "start", "end", "type", "subtype", "date_start", "date_end",
               "place_id", "place", "actors", "fatalities", "confidence"),
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
