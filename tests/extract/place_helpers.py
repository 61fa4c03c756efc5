"""What the place extractor finds in a text we write: helpers the place tests share."""

from __future__ import annotations

from sitroom.extract.places import PlaceExtractor
from sitroom.extract.text import Document
from sitroom.model import Article, Place, PlaceMention


def found_places(places: PlaceExtractor, text: str) -> dict[str, PlaceMention]:
    """The place mentions in `text`, by the text each one covers."""
    doc = places(Document.from_article(Article.create(text)))
    return {m.text: m for m in doc.places}


def resolved(places: PlaceExtractor, text: str, name: str) -> Place:
    """The place the mention `name` in `text` resolves to; it must resolve."""
    place = found_places(places, text)[name].place
    assert place is not None
    return place
