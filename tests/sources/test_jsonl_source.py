"""JSONL articles: fields, streaming, and a `file:line` error (or a skip) for each bad line."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitroom.errors import (
    EmptyInputError,
    EncodingError,
    InputError,
    InvalidDateError,
    MalformedRecordError,
)
from sitroom.model import article_id_for
from sitroom.sources import ReadStats, read_articles
from sitroom.sources.jsonl import read_jsonl


def _jsonl(tmp_path: Path, *lines: str | bytes, name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join((x.encode() if isinstance(x, str) else x) + b"\n" for x in lines))
    return path


def _record(**fields: object) -> str:
    return json.dumps(fields)


def test_records_become_articles(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path,
        _record(text="One.", id="idlib-031", url="https://x.test/1", title="T",
                source="Wire", published="2019-12-24"),
        "",
        _record(text="Two.", published=None),
    )  # fmt: skip
    first, second = read_articles([path])
    assert (first.id, first.url, first.title) == ("idlib-031", "https://x.test/1", "T")
    assert (first.source, second.source) == ("Wire", None)
    assert (first.published, first.published_source) == (dt.date(2019, 12, 24), "metadata")
    assert second.id == article_id_for("Two.")
    assert (second.published, second.published_source) == (None, None)


BAD_LINES = [
    ("{not json", MalformedRecordError, "not JSON"),
    ("[1, 2]", MalformedRecordError, "expected a JSON object, got an array"),
    ('"text"', MalformedRecordError, "got a string"),
    (_record(title="x"), MalformedRecordError, 'missing the required field "text"'),
    (_record(text=12), MalformedRecordError, '"text" must be a string, got a number'),
    (_record(text="  "), MalformedRecordError, '"text" is empty'),
    (_record(text="x", url=5), MalformedRecordError, '"url" must be a non-empty string'),
    (_record(text="x", id=""), MalformedRecordError, '"id" .* got an empty string'),
    (_record(text="x", title=["a"]), MalformedRecordError, "got an array"),
    (_record(text="x", published=20191224), MalformedRecordError, "got a number"),
    (_record(text="x", published=True), MalformedRecordError, "got a boolean"),
    (_record(text="x", published="2019-02-30"), InvalidDateError, "not a real day"),
    (_record(text="x", published="Dec 24"), InvalidDateError, "YYYY-MM-DD"),
]


@pytest.mark.parametrize(("line", "error", "reason"), BAD_LINES)
def test_bad_line_names_file_and_line(
    tmp_path: Path, line: str, error: type[InputError], reason: str
) -> None:
    path = _jsonl(tmp_path, _record(text="fine"), line)
    with pytest.raises(error, match=rf"in\.jsonl:2: .*{reason}"):
        list(read_articles([path]))


def test_non_utf8_line_names_line_and_byte_offset(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, _record(text="fine"), b'{"text": "caf\xe9"}')
    with pytest.raises(EncodingError, match=r"in\.jsonl:2: .*byte offset 30"):
        list(read_articles([path]))


def test_binary_jsonl_is_an_encoding_error(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, b"\x00\x01\x02binary")
    with pytest.raises(EncodingError, match=r"in\.jsonl:1: looks binary"):
        list(read_articles([path]))


def test_skip_bad_counts_and_goes_on(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, _record(text="one"), "{bad", "[]", _record(text="two"), b"\xff")
    stats = ReadStats()
    articles = list(read_articles([path], skip_bad=True, stats=stats))
    assert [a.text for a in articles] == ["one", "two"]
    assert (stats.articles, stats.skipped) == (2, 3)
    assert [p.split(":")[1] for p in stats.problems] == ["2", "3", "5"]


def test_empty_jsonl_is_an_empty_input(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, "", "   ")
    with pytest.raises(EmptyInputError, match=r"in\.jsonl.*no JSONL records"):
        list(read_articles([path]))


def test_jsonl_is_streamed_not_read_whole() -> None:
    def endless() -> Iterator[bytes]:
        for n in itertools.count():
            yield _record(text=f"article {n}").encode() + b"\n"

    first = list(itertools.islice(read_jsonl(endless(), name="endless"), 3))
    assert [a.text for a in first] == ["article 0", "article 1", "article 2"]
