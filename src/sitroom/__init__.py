"""sitroom: sourced, geolocated, time-resolved facts from conflict and disaster reports.

    >>> import sitroom, datetime
    >>> result = sitroom.extract("Shelling killed 3 people on Monday.", published="2019-12-24")
    >>> result.to_dict()["contract"]
    'sitroom.extract/v1'

Importing sitroom loads no data: the gazetteer is read on the first extraction.
"""

from __future__ import annotations

import collections.abc
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
    "extract_articles",
    "open_store",
]


def extract(
    text: str,
    *,
    published: dt.date | str | None = None,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Extraction:
    """Every place, time, figure and event in `text`; `.to_dict()` gives the v1 contract."""
    if not isinstance(text, str):
        raise InputError(f"text must be a str, got {type(text).__name__}")
    if not text or text.isspace():
        raise EmptyInputError("text is empty; pass the article body to extract from")
    for name, value in (("id", id), ("url", url), ("title", title), ("source", source)):
        if value is not None and not isinstance(value, str):
            raise InputError(f"{name} must be a str or None, got {type(value).__name__}")
    _check_encodable(text)
    article = Article.create(
        text, id=id, url=url, title=title, source=source, published=_day(published)
    )
    return _run(article)


def extract_article(article: Article) -> Extraction:
    """Every fact in an already-built `Article`, with the default pipeline."""
    _check_encodable(article.text)
    return _run(article)


def extract_articles(
    articles: collections.abc.Iterable[Article],
) -> collections.abc.Iterator[Extraction]:
    """Every fact in each article, in order, as `extract_article` gives it, only faster.

    Each extractor runs over a batch of articles before the next one starts, which keeps its
    patterns and tables in the processor's caches.
    """
    from sitroom.extract import default_pipeline

    return default_pipeline().run_many(_checked(article) for article in articles)


def _checked(article: Article) -> Article:
    _check_encodable(article.text)
    return article


def _run(article: Article) -> Extraction:
    from sitroom.extract import run

    return run(article)


def _day(published: object) -> dt.date | None:
    from sitroom.sources import parse_published

    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()  # the day it names, as written; no time zone arithmetic
    if isinstance(published, dt.date):
        return published
    if isinstance(published, str):
        return parse_published(published)
    raise InputError(
        f"published must be a date, a YYYY-MM-DD string or None, got {type(published).__name__}"
    )


def _check_encodable(text: str) -> None:
    # A lone surrogate (from a careless decode) can be held in a str but never written as
    # UTF-8, so the article could be neither hashed nor stored nor returned as JSON.
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"text has an unpaired surrogate {text[exc.start]!r} at offset {exc.start}; "
            f"decode the input as UTF-8 (errors='replace' keeps the rest)"
        ) from None
