"""Plain-text articles: the date prefix, overrides, and every way a text file can be bad."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from sitroom.errors import EmptyInputError, EncodingError, InvalidDateError, MissingInputError
from sitroom.sources import article_from_text, parse_published, read_articles
from sitroom.sources.text import split_date_prefix

EXAMPLE = Path("/work/shared/examples/idlib-2019-12-24.txt")


def _write(tmp_path: Path, content: str | bytes, name: str = "a.txt") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example not present")
def test_example_prefix_gives_the_date_and_offsets_index_the_rest() -> None:
    article = next(read_articles([EXAMPLE]))
    raw = EXAMPLE.read_text(encoding="utf-8")
    assert article.published == dt.date(2019, 12, 24)
    assert article.published_source == "prefix"
    assert raw == " date 2019-12-24 " + article.text
    assert article.text.startswith("Syrian regime forces")


def test_text_without_prefix_is_kept_whole(tmp_path: Path) -> None:
    article = next(read_articles([_write(tmp_path, "Shelling hit Idlib.\n")]))
    assert article.text == "Shelling hit Idlib.\n"
    assert article.published is None
    assert article.published_source is None


@pytest.mark.parametrize(
    ("text", "published", "body"),
    [
        (" date 2019-12-24 Body.", dt.date(2019, 12, 24), "Body."),
        (" date 2019-12-24\nBody.", dt.date(2019, 12, 24), "\nBody."),
        (" date palms grow here.", None, " date palms grow here."),
        ("date 2019-12-24 Body.", None, "date 2019-12-24 Body."),
        ("Body.\n date 2019-12-24 x", None, "Body.\n date 2019-12-24 x"),
    ],
)
def test_split_date_prefix(text: str, published: dt.date | None, body: str) -> None:
    assert split_date_prefix(text, name="t") == (published, body)


@pytest.mark.parametrize("bad", ["2019-02-30", "2019-13-01", "24/12/2019", "2019-1-5"])
def test_impossible_prefix_date_names_the_file(tmp_path: Path, bad: str) -> None:
    path = _write(tmp_path, f" date {bad} Body.")
    with pytest.raises(InvalidDateError, match=rf"a\.txt.*{bad}"):
        next(read_articles([path]))


def test_published_override_wins_over_the_prefix(tmp_path: Path) -> None:
    path = _write(tmp_path, " date 2019-12-24 Body.")
    article = next(read_articles([path], published=dt.date(2020, 1, 2)))
    assert article.published == dt.date(2020, 1, 2)
    assert article.published_source == "metadata"
    assert article.text == "Body."


@pytest.mark.parametrize("content", [b"", b"  \n\n\t", b" date 2019-12-24 \n "])
def test_empty_file_is_an_empty_input(tmp_path: Path, content: bytes) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(EmptyInputError, match=r"a\.txt"):
        next(read_articles([path]))


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError, match=r"nope\.txt.*check the path"):
        next(read_articles([tmp_path / "nope.txt"]))


def test_binary_file_names_the_nul_offset(tmp_path: Path) -> None:
    path = _write(tmp_path, b"GIF89a\x01\x00\x00", name="picture.txt")
    with pytest.raises(EncodingError, match=r"picture\.txt.*byte offset 7"):
        next(read_articles([path]))


def test_non_utf8_file_names_the_bad_byte(tmp_path: Path) -> None:
    path = _write(tmp_path, "Aleppo café".encode("latin-1"))
    with pytest.raises(EncodingError, match=r"a\.txt.*0xe9 at byte offset 10"):
        next(read_articles([path]))


def test_utf8_bom_is_not_text(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xef\xbb\xbf date 2019-12-24 Body.")
    article = next(read_articles([path]))
    assert (article.text, article.published) == ("Body.", dt.date(2019, 12, 24))


@pytest.mark.slow
def test_fifty_megabyte_article_is_read(tmp_path: Path) -> None:
    paragraph = "Shelling hit Maaret al Numan on Monday, killing 12 people. " * 20 + "\n\n"
    copies = 50 * 1024 * 1024 // len(paragraph) + 1
    path = _write(tmp_path, " date 2019-12-24 " + paragraph * copies, name="huge.txt")
    began = time.perf_counter()
    article = next(read_articles([path]))
    assert len(article.text) >= 50 * 1024 * 1024
    assert time.perf_counter() - began < 20


def test_article_from_text_reads_the_prefix() -> None:
    article = article_from_text(" date 2019-12-24 Body.", name="<text>")
    assert (article.text, article.published_source) == ("Body.", "prefix")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2019-12-24", dt.date(2019, 12, 24)), ("2020-02-29", dt.date(2020, 2, 29))],
)
def test_parse_published_accepts_real_days(value: str, expected: dt.date) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["2019-02-30", "2019-12-24T10:00", "20191224", "", "yesterday"])
def test_parse_published_rejects_the_rest(value: str) -> None:
    with pytest.raises(InvalidDateError, match="--published"):
        parse_published(value, where="--published")
