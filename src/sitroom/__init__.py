"""sitroom: sourced, geolocated, time-resolved facts from conflict and disaster reports.

    >>> import sitroom, datetime
    >>> result = sitroom.extract("Shelling killed 3 people on Monday.", published="2019-12-24")
    >>> result.to_dict()["contract"]
    'sitroom.extract/v1'

Importing sitroom loads no data: the gazetteer is read on the first extraction.
"""

from __future__ import annotations

import datetime as dt
import importlib

from sitroom.errors import (
    EmptyInputError,
    InputError,
    InvalidDateError,
    SitroomError,
    StoreError,
)
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
from sitroom.store import Store, open_store

# The extractor subpackage `sitroom.extract` shares its name with the `extract()` function
# below. Importing the subpackage first means the function, defined after, is what the
# attribute `sitroom.extract` holds, while `from sitroom.extract import ...` still finds the
# subpackage in `sys.modules`. Importing it loads no data.
importlib.import_module("sitroom.extract")

__all__ = [
    "Article",
    "EmptyInputError",
    "Event",
    "Extraction",
    "Figure",
    "InputError",
    "InvalidDateError",
    "Place",
    "PlaceMention",
    "SitroomError",
    "Span",
    "Store",
    "StoreError",
    "TimeMention",
    "Window",
    "extract",
    "extract_article",
    "open_store",
]


def extract(
    text: str,
    *,
    published: dt.date | str | None = None,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Extraction:
    """Every place, time, figure and event in `text`; `.to_dict()` gives the v1 contract."""
    from sitroom.sources import parse_published

    if not isinstance(text, str):
        raise InputError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise EmptyInputError("text is empty; pass the article body to extract from")
    day = parse_published(published) if isinstance(published, str) else published
    article = Article.create(text, id=id, url=url, title=title, published=day)
    return extract_article(article)


def extract_article(article: Article) -> Extraction:
    """Every fact in an already-built `Article`, with the default pipeline."""
    from sitroom.extract import run

    return run(article)
