"""Plain-text articles: the ` date YYYY-MM-DD ` first-line prefix, UTF-8 checks, date parsing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sitroom.errors import EmptyInputError, EncodingError, InputError, InvalidDateError
from sitroom.model import Article

__all__ = [
    "article_from_text",
    "decode_utf8",
    "parse_published",
    "read_bytes",
    "read_text_article",
    "split_date_prefix",
]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The prefix ends with a space before the text, or at the end of the first line.
# A token after ` date ` that starts with a digit is meant as a date, so a bad one is an error.
_PREFIX = re.compile(r" date (\d\S*)(?: |(?=[\r\n])|\Z)")
_BOM = b"\xef\xbb\xbf"


def parse_published(
    value: str, *, where: str | None = "published", what: str = "publication date"
) -> dt.date:
    """The day `value` names in strict YYYY-MM-DD form; InvalidDateError naming `where` if not.

    `fromisoformat` alone would also take 20191224 and 2019-W52; the contract says YYYY-MM-DD.
    `where=None` leaves the input's name out, for callers that print it themselves.
    """
    subject = f"{where}: {what} {value!r}" if where else f"{value!r}"
    if not _ISO_DAY.fullmatch(value):
        raise InvalidDateError(f"{subject} is not in YYYY-MM-DD form; write it like 2019-12-24")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidDateError(
            f"{subject} is not a real day ({exc}); check the year, month and day"
        ) from None


def decode_utf8(data: bytes, *, name: str, offset: int = 0) -> str:
    """`data` as UTF-8 (BOM dropped); EncodingError naming the bad byte's offset + `offset`."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EncodingError(
            f"{name}: looks binary (NUL byte at byte offset {offset + nul}); "
            f"give a UTF-8 text file or a .jsonl file of articles"
        )
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = skip + exc.start
        raise EncodingError(
            f"{name}: not valid UTF-8 (byte 0x{data[bad]:02x} at byte offset {offset + bad}); "
            f"convert it to UTF-8, e.g. `iconv -f latin1 -t utf-8`"
        ) from None


def read_bytes(path: Path) -> bytes:
    """The bytes of the file at `path`; InputError naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read ({exc.strerror or exc}); check that it is a readable file"
        ) from None


def split_date_prefix(text: str, *, name: str) -> tuple[dt.date | None, str]:
    """The publication date of a ` date YYYY-MM-DD ` first-line prefix, and the text after it."""
    match = _PREFIX.match(text)
    if match is None:
        return None, text
    published = parse_published(match.group(1), where=f"{name}: first-line ` date ` prefix")
    return published, text[match.end() :]


def article_from_text(
    text: str,
    *,
    name: str = "<text>",
    published: dt.date | None = None,
    id: str | None = None,
) -> Article:
    """An article from plain text, reading its date prefix; `published` overrides the prefix."""
    prefix_date, body = split_date_prefix(text, name=name)
    if not body.strip():
        what = "only a date prefix" if prefix_date else "no text"
        raise EmptyInputError(f"{name}: holds {what}; give an article with some text")
    if published is not None:
        return Article.create(body, id=id, published=published, published_source="metadata")
    source = "prefix" if prefix_date is not None else None
    return Article.create(body, id=id, published=prefix_date, published_source=source)


def read_text_article(path: Path, *, published: dt.date | None = None) -> Article:
    """The article in the plain-text file at `path`."""
    data = read_bytes(path)
    if not data.strip():
        raise EmptyInputError(f"{path}: the file is empty; give a file with article text")
    text = decode_utf8(data, name=str(path))
    return article_from_text(text, name=str(path), published=published)
