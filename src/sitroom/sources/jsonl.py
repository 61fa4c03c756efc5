"""JSON Lines articles: one object per line, read as a stream and checked field by field."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sitroom.errors import EmptyInputError, InputError, MalformedRecordError
from sitroom.model import Article
from sitroom.sources.text import decode_utf8, parse_published

__all__ = ["article_from_record", "read_jsonl"]

logger = logging.getLogger(__name__)

_OPTIONAL_STRINGS = ("id", "url", "title", "source")
_EXAMPLE = '{"text": "...", "id": "a1", "published": "2019-12-24"}'


def read_jsonl(
    lines: Iterable[bytes],
    *,
    name: str,
    skip_bad: bool = False,
    on_skip: Callable[[InputError], None] | None = None,
) -> Iterator[Article]:
    """The articles of a JSONL stream, one line at a time; bad lines raise or, if asked, skip."""
    offset = 0
    records = 0
    for number, raw in enumerate(lines, start=1):
        start, offset = offset, offset + len(raw)
        if not raw.strip():
            continue
        records += 1
        try:
            article = _article_from_line(raw, where=f"{name}:{number}", offset=start)
        except InputError as exc:
            if not skip_bad:
                raise
            logger.warning("skipped bad record: %s", exc)
            if on_skip is not None:
                on_skip(exc)
            continue
        yield article
    if records == 0:
        raise EmptyInputError(f"{name}: holds no JSONL records; give one JSON object per line")


def _article_from_line(raw: bytes, *, where: str, offset: int) -> Article:
    text = decode_utf8(raw, name=where, offset=offset)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRecordError(
            f"{where}: not JSON ({exc.msg} at column {exc.colno}); "
            f"each line must be one JSON object such as {_EXAMPLE}"
        ) from None
    return article_from_record(record, where=where)


def article_from_record(record: object, *, where: str) -> Article:
    """The article a decoded JSONL record describes; MalformedRecordError naming `where` if bad."""
    if not isinstance(record, dict):
        raise MalformedRecordError(
            f"{where}: expected a JSON object, got {_json_type(record)}; "
            f"each line must be one object such as {_EXAMPLE}"
        )
    text = _required_text(record, where=where)
    fields = {key: _optional_string(record, key, where=where) for key in _OPTIONAL_STRINGS}
    published = _optional_string(record, "published", where=where)
    return Article.create(
        text,
        id=fields["id"],
        url=fields["url"],
        title=fields["title"],
        source=fields["source"],
        published=None if published is None else parse_published(published, where=where),
    )


def _required_text(record: dict[str, Any], *, where: str) -> str:
    if "text" not in record:
        raise MalformedRecordError(
            f'{where}: missing the required field "text"; add the article body as "text"'
        )
    text = record["text"]
    if not isinstance(text, str):
        raise MalformedRecordError(
            f'{where}: field "text" must be a string, got {_json_type(text)}; '
            f"put the article body in it as one string"
        )
    if not text.strip():
        raise MalformedRecordError(f'{where}: field "text" is empty; give the article body')
    return text


def _optional_string(record: dict[str, Any], key: str, *, where: str) -> str | None:
    value = record.get(key)
    if value is None or (isinstance(value, str) and value):
        return value
    got = "an empty string" if isinstance(value, str) else _json_type(value)
    raise MalformedRecordError(
        f'{where}: field "{key}" must be a non-empty string or null, got {got}; '
        f"fix the value or leave the field out"
    )


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    names = {dict: "an object", list: "an array", str: "a string", type(None): "null"}
    return names.get(type(value), type(value).__name__)
