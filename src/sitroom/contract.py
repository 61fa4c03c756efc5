"""The `sitroom.extract/v1` contract: `Extraction` to and from its JSON object, field for field.

See `../shared/contract/extract-v1.md`. Fields may be added; none may be renamed or dropped
without a new contract version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sitroom.model import (
    Article,
    Event,
    Extraction,
    Figure,
    Place,
    PlaceMention,
    Span,
    TimeMention,
    Window,
)

__all__ = [
    "CONTRACT",
    "extraction_from_dict",
    "extraction_to_dict",
    "place_to_dict",
    "window_to_dict",
]

CONTRACT = "sitroom.extract/v1"
COORDINATE_DIGITS = 5


def extraction_to_dict(extraction: Extraction) -> dict[str, Any]:
    """The contract's JSON object for one article."""
    article = extraction.article
    return {
        "contract": CONTRACT,
        "article": {
            "id": article.id,
            "url": article.url,
            "title": article.title,
            "published": _iso(article.published),
            "published_source": article.published_source,
            "source": article.source,
        },
        "places": [_place_mention(m) for m in extraction.places],
        "times": [_time(t) for t in extraction.times],
        "figures": [_figure(f) for f in extraction.figures],
        "events": [_event(e, article.text) for e in extraction.events],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def window_to_dict(window: Window | None) -> dict[str, str] | None:
    """A window as the contract writes it: inclusive ISO start and end days."""
    if window is None:
        return None
    return {"start": window.start.isoformat(), "end": window.end.isoformat()}


def place_to_dict(place: Place | None) -> dict[str, Any] | None:
    """A gazetteer entry as the contract writes it, coordinates to five decimals."""
    if place is None:
        return None
    return {
        "id": place.id,
        "name": place.name,
        "country": place.country,
        "admin1": place.admin1,
        "lat": round(place.lat, COORDINATE_DIGITS),
        "lon": round(place.lon, COORDINATE_DIGITS),
        "kind": place.kind,
    }


def _place_mention(mention: PlaceMention) -> dict[str, Any]:
    return {
        "text": mention.text,
        "start": mention.span.start,
        "end": mention.span.end,
        "place": place_to_dict(mention.place),
        "confidence": mention.confidence,
    }


def _time(time: TimeMention) -> dict[str, Any]:
    return {
        "text": time.text,
        "start": time.span.start,
        "end": time.span.end,
        "value": window_to_dict(time.window),
        "granularity": time.granularity,
        "fuzzy": time.fuzzy,
    }


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "text": figure.text,
        "start": figure.span.start,
        "end": figure.span.end,
        "value": figure.value,
        "low": figure.low,
        "high": figure.high,
        "qualifier": figure.qualifier,
        "unit": figure.unit,
        "measure": figure.measure,
        "place_id": figure.place_id,
        "place_basis": figure.place_basis,
        "period": window_to_dict(figure.period),
        "source": figure.source,
        "sentence": {"start": figure.sentence.start, "end": figure.sentence.end},
        "vague": figure.vague,
    }


def _event(event: Event, text: str) -> dict[str, Any]:
    return {
        "type": event.type,
        "subtype": event.subtype,
        "date": window_to_dict(event.date),
        "place_id": event.place_id,
        "actors": list(event.actors),
        "fatalities": event.fatalities,
        "start": event.span.start,
        "end": event.span.end,
        "text": event.span.of(text),
        "confidence": event.confidence,
        "date_from_publication": event.date_from_publication,
    }


def extraction_from_dict(data: dict[str, Any], text: str) -> Extraction:
    """An `Extraction` rebuilt from its contract object and the article text it indexes."""
    meta = data["article"]
    article = Article(
        id=meta["id"],
        text=text,
        url=meta.get("url"),
        title=meta.get("title"),
        published=_date(meta.get("published")),
        published_source=meta.get("published_source"),
        source=meta.get("source"),
    )
    aid = article.id
    return Extraction(
        article=article,
        places=tuple(_read_place_mention(aid, p) for p in data.get("places", [])),
        times=tuple(_read_time(aid, t) for t in data.get("times", [])),
        figures=tuple(_read_figure(aid, f) for f in data.get("figures", [])),
        events=tuple(_read_event(aid, e) for e in data.get("events", [])),
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _read_window(value: dict[str, str] | None) -> Window | None:
    if value is None:
        return None
    return Window(dt.date.fromisoformat(value["start"]), dt.date.fromisoformat(value["end"]))


def _read_place_mention(article_id: str, data: dict[str, Any]) -> PlaceMention:
    raw = data.get("place")
    place = None
    if raw is not None:
        place = Place(
            raw["id"], raw["name"], raw.get("country"), raw.get("admin1"),
            raw["lat"], raw["lon"], raw["kind"],
        )  # fmt: skip
    span = Span(data["start"], data["end"])
    return PlaceMention(article_id, span, data["text"], place, data.get("confidence", 0.0))


def _read_time(article_id: str, data: dict[str, Any]) -> TimeMention:
    span = Span(data["start"], data["end"])
    window = _read_window(data.get("value"))
    return TimeMention(
        article_id, span, data["text"], window, data["granularity"], data.get("fuzzy", False)
    )


def _read_figure(article_id: str, data: dict[str, Any]) -> Figure:
    sentence = data["sentence"]
    return Figure(
        article_id=article_id,
        span=Span(data["start"], data["end"]),
        text=data["text"],
        value=data["value"],
        qualifier=data["qualifier"],
        unit=data["unit"],
        measure=data["measure"],
        sentence=Span(sentence["start"], sentence["end"]),
        low=data.get("low"),
        high=data.get("high"),
        place_id=data.get("place_id"),
        period=_read_window(data.get("period")),
        source=data.get("source"),
        vague=data.get("vague", False),
        place_basis=data.get("place_basis"),
    )


def _read_event(article_id: str, data: dict[str, Any]) -> Event:
    return Event(
        article_id=article_id,
        span=Span(data["start"], data["end"]),
        type=data["type"],
        subtype=data["subtype"],
        date=_read_window(data.get("date")),
        place_id=data.get("place_id"),
        actors=tuple(data.get("actors", ())),
        fatalities=data.get("fatalities"),
        confidence=data.get("confidence", 0.5),
        date_from_publication=data.get("date_from_publication", False),
    )
