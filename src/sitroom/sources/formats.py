"""Which reader an input needs: by file suffix, by HTTP content type, or by its first bytes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, get_args

__all__ = [
    "INPUT_FORMATS",
    "SUFFIX_FORMATS",
    "InputFormat",
    "format_of_content_type",
    "format_of_path",
    "sniff_format",
]

InputFormat = Literal["text", "jsonl", "feed", "html"]
INPUT_FORMATS: tuple[InputFormat, ...] = get_args(InputFormat)

SUFFIX_FORMATS: dict[str, InputFormat] = {
    ".txt": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
#: How much of the start of an input sniffing looks at: enough for a prolog and a long doctype.
SNIFF_BYTES = 2048
# The first element decides: a feed's <rss>/<feed>/<rdf:RDF>, or a page's doctype or <html>,
# after nothing but a byte-order mark, space, XML declarations, comments or another doctype.
_FIRST_ELEMENT = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->|<!doctype(?!\s+html)[^>]*>)*"
    rb"<(rss|feed|rdf:rdf|!doctype\s+html|html|head)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)


def sniff_format(data: bytes) -> InputFormat | None:
    """ "feed" or "html" when the first bytes show a feed's or a page's root element, else None."""
    match = _FIRST_ELEMENT.match(data[:SNIFF_BYTES])
    if match is None:
        return None
    return "feed" if match.group(1).lower() in {b"rss", b"feed", b"rdf:rdf"} else "html"


def format_of_path(path: Path) -> InputFormat | None:
    """The format a file's suffix names, or None when the suffix says nothing."""
    return SUFFIX_FORMATS.get(path.suffix.lower())


def format_of_content_type(content_type: str | None) -> InputFormat | None:
    """The format an HTTP Content-Type names, or None when it says nothing useful."""
    media = (content_type or "").partition(";")[0].strip().lower()
    if media in {"text/html", "application/xhtml+xml"}:
        return "html"
    if media.endswith(("rss+xml", "atom+xml", "rdf+xml", "/xml")):
        return "feed"
    if media in {"application/jsonl", "application/x-ndjson", "application/jsonlines"}:
        return "jsonl"
    if media == "text/plain":
        return "text"
    return None
