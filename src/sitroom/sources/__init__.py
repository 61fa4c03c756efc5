"""Where articles come from: plain-text files, JSONL files, stdin and directories of them."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal, get_args

from sitroom.errors import EmptyInputError, InputError, MissingInputError
from sitroom.model import Article
from sitroom.sources.jsonl import article_from_record, read_jsonl
from sitroom.sources.text import (
    article_from_text,
    decode_utf8,
    parse_published,
    read_text_article,
)

__all__ = [
    "INPUT_FORMATS",
    "STDIN",
    "InputFormat",
    "ReadStats",
    "article_from_record",
    "article_from_text",
    "parse_published",
    "read_articles",
]

logger = logging.getLogger(__name__)

InputFormat = Literal["text", "jsonl"]
INPUT_FORMATS: tuple[InputFormat, ...] = get_args(InputFormat)
#: The input name that means standard input.
STDIN = "-"
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_DIRECTORY_SUFFIXES = frozenset({".txt", *_JSONL_SUFFIXES})
#: How many skipped-record messages `ReadStats` keeps; the count goes on past it.
_KEPT_PROBLEMS = 20


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
    path: Path | None  # None for stdin
    format: InputFormat

    @property
    def name(self) -> str:
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
    """The articles of every input in order: files, directories (sorted, recursive) or `-`."""
    sources = _resolve(inputs, input_format=input_format)
    if published is not None:
        _check_override(sources)
    counts = stats if stats is not None else ReadStats()
    for source in sources:
        counts.files += 1
        logger.debug("reading %s as %s", source.name, source.format)
        for article in _read_source(
            source, published=published, skip_bad=skip_bad, stats=counts, stdin=stdin
        ):
            counts.articles += 1
            yield article


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
        raise EmptyInputError("no inputs given; name files, directories, or - for stdin")
    return sources


def _expand(item: str | os.PathLike[str], *, input_format: InputFormat | None) -> list[_Source]:
    if os.fspath(item) == STDIN:
        return [_Source(None, input_format or "text")]
    path = Path(item)
    if path.is_dir():
        return _directory_sources(path)
    if not path.exists():
        raise MissingInputError(f"{path}: no such file or directory; check the path")
    return [_Source(path, input_format or _format_of(path))]


def _directory_sources(root: Path) -> list[_Source]:
    # Hidden files and folders (.git, editor backups) are never articles.
    paths = sorted(
        path
        for path in root.rglob("*")
        if path.suffix.lower() in _DIRECTORY_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )
    if not paths:
        raise EmptyInputError(
            f"{root}: the directory holds no .txt or .jsonl files; point at article files"
        )
    return [_Source(path, _format_of(path)) for path in paths]


def _format_of(path: Path) -> InputFormat:
    return "jsonl" if path.suffix.lower() in _JSONL_SUFFIXES else "text"


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
) -> Iterator[Article]:
    if source.path is None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from _read_stdin(stream, source, published=published, skip_bad=skip_bad, stats=stats)
    elif source.format == "text":
        yield read_text_article(source.path, published=published)
    else:
        yield from _read_jsonl_file(source.path, skip_bad=skip_bad, stats=stats)


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
    text = decode_utf8(data, name=source.name)
    yield article_from_text(text, name=source.name, published=published)


def _read_jsonl_file(path: Path, *, skip_bad: bool, stats: ReadStats) -> Iterator[Article]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read ({exc.strerror or exc}); check that it is a readable file"
        ) from None
    with handle:
        yield from read_jsonl(handle, name=str(path), skip_bad=skip_bad, on_skip=stats.record_skip)
