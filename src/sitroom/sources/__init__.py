"""Where articles come from: text, JSONL, RSS/Atom and HTML files, URLs, stdin and directories."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sitroom.errors import EmptyInputError, InputError, MissingInputError
from sitroom.model import Article
from sitroom.sources.fetch import Fetched, check_url, fetch, is_url
from sitroom.sources.formats import (
    INPUT_FORMATS,
    SNIFF_BYTES,
    SUFFIX_FORMATS,
    InputFormat,
    format_of_content_type,
    format_of_path,
    sniff_format,
)
from sitroom.sources.jsonl import article_from_record, read_jsonl
from sitroom.sources.text import (
    article_from_text,
    decode_utf8,
    parse_published,
    read_bytes,
    read_text_article,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "INPUT_FORMATS",
    "STDIN",
    "InputFormat",
    "ReadStats",
    "article_from_record",
    "article_from_text",
    "articles_from_bytes",
    "parse_published",
    "read_articles",
]

logger = logging.getLogger(__name__)

#: The input name that means standard input.
STDIN = "-"
#: How many skipped-record messages `ReadStats` keeps; the count goes on past it.
_KEPT_PROBLEMS = 20
_SUFFIXES = ", ".join(sorted(SUFFIX_FORMATS))


@dataclass(slots=True)
class ReadStats:
    """Running counts of what reading the inputs yielded and skipped."""

    files: int = 0
    articles: int = 0
    skipped: int = 0
    #: The first few skipped records' messages, for a report.
    problems: list[str] = field(default_factory=list)

    def record_skip(self, error: InputError) -> None:
        """Count one skipped record and keep its message while there are few."""
        self.skipped += 1
        if len(self.problems) < _KEPT_PROBLEMS:
            self.problems.append(str(error))


@dataclass(frozen=True, slots=True)
class _Source:
    path: Path | None  # None for stdin and URLs
    format: InputFormat | None  # None for a URL until its response says
    url: str | None = None

    @property
    def name(self) -> str:
        if self.url is not None:
            return self.url
        return "<stdin>" if self.path is None else str(self.path)


def read_articles(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    input_format: InputFormat | None = None,
    published: dt.date | None = None,
    skip_bad: bool = False,
    stats: ReadStats | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Article]:
    """The articles of every input in order: files, directories (sorted, recursive), http(s)
    URLs of feeds or pages, or `-`.

    A file's suffix names its format (.txt, .jsonl, .xml/.rss/.atom feeds, .html pages); a file
    with another suffix, and a URL, is sniffed; `input_format` overrides both.
    """
    sources = _resolve(inputs, input_format=input_format)
    if published is not None:
        _check_override(sources)
    counts = stats if stats is not None else ReadStats()
    with ExitStack() as cleanup:
        client = _LazyClient(cleanup)
        for source in sources:
            counts.files += 1
            logger.debug("reading %s as %s", source.name, source.format or "sniffed")
            for article in _read_source(
                source,
                published=published,
                skip_bad=skip_bad,
                stats=counts,
                stdin=stdin,
                client=client,
            ):
                counts.articles += 1
                yield article


def articles_from_bytes(
    data: bytes,
    *,
    input_format: InputFormat,
    name: str,
    url: str | None = None,
    published: dt.date | None = None,
    skip_bad: bool = False,
    stats: ReadStats | None = None,
) -> Iterator[Article]:
    """The articles of one input's bytes read as `input_format`; `name` is used in errors."""
    counts = stats if stats is not None else ReadStats()
    if input_format == "jsonl":
        yield from read_jsonl(
            io.BytesIO(data), name=name, skip_bad=skip_bad, on_skip=counts.record_skip
        )
    elif input_format == "feed":
        yield from _feed_articles(data, name=name, url=url)
    elif input_format == "html":
        from sitroom.sources.pages import article_from_html

        yield article_from_html(data, name=name, url=url)
    else:
        if not data.strip():
            raise EmptyInputError(f"{name}: holds no text; give an article with some text")
        article = article_from_text(decode_utf8(data, name=name), name=name, published=published)
        yield article if url is None else dataclasses.replace(article, url=url)


def _feed_articles(data: bytes, *, name: str, url: str | None) -> Iterator[Article]:
    from sitroom.sources.feeds import article_from_item, parse_feed

    feed = parse_feed(data, name=name, url=url)
    if not feed.items:
        logger.warning("%s: the feed holds no items", name)
    for item in feed.items:
        yield article_from_item(item, feed=feed)


def _resolve(
    inputs: Iterable[str | os.PathLike[str]], *, input_format: InputFormat | None
) -> list[_Source]:
    # Every input is checked before any is read, so a typo in the last path fails at once.
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise InputError(f"unknown input format {input_format!r}; use one of {INPUT_FORMATS}")
    sources: list[_Source] = []
    for item in inputs:
        sources.extend(_expand(item, input_format=input_format))
    if not sources:
        raise EmptyInputError("no inputs given; name files, directories, URLs, or - for stdin")
    return sources


#: A URL of a scheme we do not read ("ftp://", "s3://"), told apart from a Windows path "C:\\".
_OTHER_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


def _expand(item: str | os.PathLike[str], *, input_format: InputFormat | None) -> list[_Source]:
    name = os.fspath(item)
    if name == STDIN:
        return [_Source(None, input_format or "text")]
    if isinstance(item, str) and (is_url(name) or _OTHER_URL.match(name)):
        # check_url names a URL of another scheme as written, rather than as a missing path.
        return [_Source(None, input_format, url=check_url(name))]
    path = Path(item)
    if path.is_dir():
        return _directory_sources(path)
    if not path.exists():
        raise MissingInputError(f"{path}: no such file or directory; check the path")
    return [_Source(path, input_format or _format_of_file(path))]


def _directory_sources(root: Path) -> list[_Source]:
    # Hidden files and folders (.git, editor backups) are never articles.
    candidates = sorted(
        path
        for path in root.rglob("*")
        if path.suffix.lower() in SUFFIX_FORMATS
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )
    sources = [_Source(path, format_of_path(path)) for path in candidates]
    # Any XML file is not a feed (sitemaps, configs): only those that look like one are read.
    sources = [s for s in sources if s.path is None or not _is_other_xml(s.path)]
    if not sources:
        raise EmptyInputError(
            f"{root}: the directory holds no article files ({_SUFFIXES}); point at article files"
        )
    return sources


def _is_other_xml(path: Path) -> bool:
    return path.suffix.lower() == ".xml" and _sniff_file(path) != "feed"


def _format_of_file(path: Path) -> InputFormat:
    return format_of_path(path) or _sniff_file(path) or "text"


def _sniff_file(path: Path) -> InputFormat | None:
    try:
        with path.open("rb") as handle:
            return sniff_format(handle.read(SNIFF_BYTES))
    except OSError:
        return None  # reading it properly later reports the problem


def _check_override(sources: list[_Source]) -> None:
    if len(sources) != 1 or sources[0].format != "text":
        raise InputError(
            "a publication date override applies to a single plain-text input only; "
            'for JSONL, set "published" in each record'
        )


def _read_source(
    source: _Source,
    *,
    published: dt.date | None,
    skip_bad: bool,
    stats: ReadStats,
    stdin: BinaryIO | None,
    client: _LazyClient,
) -> Iterator[Article]:
    if source.url is not None:
        fetched = fetch(source.url, client=client.get())
        yield from articles_from_bytes(
            fetched.body,
            input_format=source.format or _format_of_response(fetched),
            name=source.url,
            url=fetched.url,
            published=published,
            skip_bad=skip_bad,
            stats=stats,
        )
    elif source.path is None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _read_stdin(stream, source, published=published, skip_bad=skip_bad, stats=stats)
    elif source.format == "jsonl":
        yield from _read_jsonl_file(source.path, skip_bad=skip_bad, stats=stats)
    elif source.format in ("feed", "html"):
        data = read_bytes(source.path)
        if not data.strip():
            raise EmptyInputError(f"{source.path}: the file is empty; give a file with an article")
        yield from articles_from_bytes(data, input_format=source.format, name=source.name)
    else:
        yield read_text_article(source.path, published=published)


def _format_of_response(fetched: Fetched) -> InputFormat:
    # The body first: servers label feeds text/html or text/plain often enough.
    found = sniff_format(fetched.body) or format_of_content_type(fetched.content_type)
    if found is None:
        raise InputError(
            f"{fetched.url}: the response ({fetched.content_type or 'no content type'}) is "
            f"neither a feed nor an HTML page; give --input-format if you know what it is"
        )
    return found


def _read_stdin(
    stream: BinaryIO,
    source: _Source,
    *,
    published: dt.date | None,
    skip_bad: bool,
    stats: ReadStats,
) -> Iterator[Article]:
    if source.format == "jsonl":
        yield from read_jsonl(
            stream, name=source.name, skip_bad=skip_bad, on_skip=stats.record_skip
        )
        return
    data = stream.read()
    if not data.strip():
        raise EmptyInputError("<stdin>: no text was given; pipe an article into sitroom")
    yield from articles_from_bytes(
        data, input_format=source.format or "text", name=source.name, published=published
    )


def _read_jsonl_file(path: Path, *, skip_bad: bool, stats: ReadStats) -> Iterator[Article]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read ({exc.strerror or exc}); check that it is a readable file"
        ) from None
    with handle:
        yield from read_jsonl(handle, name=str(path), skip_bad=skip_bad, on_skip=stats.record_skip)


class _LazyClient:
    """One HTTP client for all the URLs of a read, opened only if there is a URL."""

    def __init__(self, cleanup: ExitStack) -> None:
        self._cleanup = cleanup
        self._client: httpx.Client | None = None

    def get(self) -> httpx.Client:
        if self._client is None:
            from sitroom.sources.fetch import open_client

            self._client = self._cleanup.enter_context(open_client())
        return self._client
