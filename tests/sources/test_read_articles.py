"""`read_articles` over several inputs: directories, stdin, formats, and the date override."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from sitroom.errors import EmptyInputError, InputError, MissingInputError
from sitroom.sources import STDIN, ReadStats, read_articles


def _tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text("Alpha.")
    (root / "b" / "c.txt").write_text(" date 2019-12-24 Gamma.")
    (root / "b" / "d.jsonl").write_text(
        json.dumps({"text": "Delta."}) + "\n" + json.dumps({"text": "Epsilon."}) + "\n"
    )
    (root / "notes.md").write_text("Not an article.")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "e.txt").write_text("Hidden.")


def test_directory_is_read_sorted_and_recursively(tmp_path: Path) -> None:
    _tree(tmp_path)
    stats = ReadStats()
    texts = [a.text for a in read_articles([tmp_path], stats=stats)]
    assert texts == ["Alpha.", "Gamma.", "Delta.", "Epsilon."]
    assert (stats.files, stats.articles) == (3, 4)


def test_empty_directory_is_an_empty_input(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("x")
    with pytest.raises(EmptyInputError, match=r"no \.txt or \.jsonl files"):
        list(read_articles([tmp_path]))


def test_a_missing_input_fails_before_any_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alpha.")
    articles = read_articles([tmp_path / "a.txt", tmp_path / "gone.txt"])
    with pytest.raises(MissingInputError, match=r"gone\.txt"):
        next(articles)


def test_no_inputs_is_an_error() -> None:
    with pytest.raises(EmptyInputError, match="no inputs"):
        list(read_articles([]))


def test_stdin_is_plain_text_by_default() -> None:
    stdin = io.BytesIO(b" date 2019-12-24 From a pipe.")
    (article,) = read_articles([STDIN], stdin=stdin)
    assert (article.text, article.published) == ("From a pipe.", dt.date(2019, 12, 24))


def test_stdin_as_jsonl() -> None:
    stdin = io.BytesIO(b'{"text": "one"}\n{"text": "two"}\n')
    texts = [a.text for a in read_articles([STDIN], stdin=stdin, input_format="jsonl")]
    assert texts == ["one", "two"]


def test_empty_stdin_is_an_empty_input() -> None:
    with pytest.raises(EmptyInputError, match="<stdin>"):
        list(read_articles([STDIN], stdin=io.BytesIO(b"\n")))


def test_input_format_overrides_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "feed.data"
    path.write_text('{"text": "one"}\n')
    assert [a.text for a in read_articles([path], input_format="jsonl")] == ["one"]


def test_unknown_input_format_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown input format 'xml'"):
        list(read_articles([tmp_path], input_format="xml"))  # type: ignore[arg-type]


@pytest.mark.parametrize("case", ["jsonl", "two files"])
def test_published_override_needs_one_plain_text_input(tmp_path: Path, case: str) -> None:
    (tmp_path / "a.txt").write_text("Alpha.")
    (tmp_path / "b.jsonl").write_text('{"text": "Beta."}\n')
    inputs = [tmp_path / "b.jsonl"] if case == "jsonl" else [tmp_path / "a.txt"] * 2
    with pytest.raises(InputError, match="single plain-text input"):
        list(read_articles(inputs, published=dt.date(2019, 12, 24)))
