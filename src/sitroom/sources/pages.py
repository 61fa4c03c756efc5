"""Web pages: the main text, title, date, URL and site name of an HTML article, via trafilatura."""

from __future__ import annotations

import datetime as dt
import logging
import urllib.parse
from typing import Any

from sitroom.errors import EmptyInputError, InputError
from sitroom.model import Article

__all__ = ["article_from_html"]

logger = logging.getLogger(__name__)


def article_from_html(data: bytes | str, *, name: str, url: str | None = None) -> Article:
    """The article of an HTML page: its main text without menus, ads or footers.

    `url` is where the page was fetched (it wins over the page's canonical link, since that is
    where a reader finds it again). EmptyInputError naming `name` when no article text is found.
    """
    document = _extract(data, name=name, url=url) or {}
    text = (document.get("text") or "").strip()
    if not text:
        raise EmptyInputError(
            f"{name}: no article text found in the page; give the page of a single article"
        )
    page_url = url or document.get("url") or None
    published = _date(document.get("date"))
    return Article.create(
        text,
        url=page_url,
        title=document.get("title") or None,
        published=published,
        published_source="metadata" if published else None,
        source=document.get("sitename") or _host(page_url),
    )


def _extract(data: bytes | str, *, name: str, url: str | None) -> dict[str, Any] | None:
    import trafilatura

    # Dates only from the page's markup and URL: a date found in the body text is often an
    # event's, and the pipeline reads datelines itself when the markup gives none.
    date_params = {
        "original_date": True,
        "extensive_search": False,
        "max_date": dt.date.today().isoformat(),
    }
    try:
        document = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=date_params,
        )
    except Exception as exc:  # a third-party parser on untrusted bytes
        raise InputError(
            f"{name}: the HTML extractor failed ({type(exc).__name__}: {exc}); "
            f"check that this is an HTML page"
        ) from None
    if document is None:
        return None
    fields: dict[str, Any] = document if isinstance(document, dict) else document.as_dict()
    return fields


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        logger.debug("unreadable page date %r", value)
        return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    return urllib.parse.urlsplit(url).hostname or None
