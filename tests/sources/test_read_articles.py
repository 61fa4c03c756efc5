"""`read_articles` over several inputs: directories, stdin, formats, and the date override."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from feed_server import FeedServer, Reply

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
    with pytest.raises(EmptyInputError, match=r"no article files \(.*\.jsonl.*\.txt"):
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


# Feeds, pages and URLs (issue 10).

DATA = Path(__file__).parent / "data"


def test_feed_and_page_files_are_read_by_suffix() -> None:
    articles = list(
        read_articles(
            [DATA / "dispatch.rss.xml", DATA / "monitor.atom", DATA / "ledger-article.html"]
        )
    )
    assert [a.source for a in articles] == [
        *["Frontline Dispatch"] * 3,
        *["Relief Monitor"] * 2,
        "The Northern Ledger",
    ]
    assert articles[0].url == "https://dispatch.example/2022/05/03/kharkiv-market"
    assert articles[-1].title == "Shelling hits market in Kharkiv"


def test_a_file_with_another_suffix_is_sniffed(tmp_path: Path) -> None:
    feed = tmp_path / "download"
    feed.write_bytes((DATA / "monitor.atom").read_bytes())
    page = tmp_path / "saved.php"
    page.write_bytes((DATA / "ledger-article.html").read_bytes())
    note = tmp_path / "note.md"
    note.write_text("Shelling hit Idlib.")
    sources = [a.source for a in read_articles([feed, page, note])]
    assert sources == ["Relief Monitor", "Relief Monitor", "The Northern Ledger", None]


def test_a_directory_holds_feeds_and_pages_but_not_other_xml(tmp_path: Path) -> None:
    (tmp_path / "a-dispatch.xml").write_bytes((DATA / "dispatch.rss.xml").read_bytes())
    (tmp_path / "b-page.htm").write_bytes((DATA / "ledger-article.html").read_bytes())
    (tmp_path / "c-sitemap.xml").write_text('<?xml version="1.0"?><urlset><url/></urlset>')
    (tmp_path / "d.txt").write_text("Shelling hit Idlib.")
    stats = ReadStats()
    articles = list(read_articles([tmp_path], stats=stats))
    assert [a.source for a in articles] == [
        *["Frontline Dispatch"] * 3,
        "The Northern Ledger",
        None,
    ]
    assert stats.files == 3


def test_an_empty_feed_file_is_an_empty_input(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text("\n")
    with pytest.raises(EmptyInputError, match=r"feed\.rss: the file is empty"):
        list(read_articles([path]))


def test_a_malformed_feed_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("<rss><channel><title>Cut off")
    with pytest.raises(InputError, match=r"feed\.xml: not an RSS or Atom feed"):
        list(read_articles([path]))


def test_stdin_as_a_feed() -> None:
    stdin = io.BytesIO((DATA / "monitor.atom").read_bytes())
    articles = list(read_articles([STDIN], stdin=stdin, input_format="feed"))
    assert [a.source for a in articles] == ["Relief Monitor"] * 2


def test_urls_of_a_feed_and_a_page_are_fetched_and_sniffed(feed_server: FeedServer) -> None:
    # Served as text/html, as some servers do with feeds: the bytes decide.
    feed = feed_server.serve(
        "/rss", Reply((DATA / "dispatch.rss.xml").read_bytes(), content_type="text/html")
    )
    page = feed_server.serve(
        "/news/kharkiv",
        Reply((DATA / "ledger-article.html").read_bytes(), content_type="text/html"),
    )
    articles = list(read_articles([feed, page]))
    assert len(articles) == 4
    assert articles[-1].url == page  # where it was fetched, not the canonical link
    assert articles[-1].source == "The Northern Ledger"


def test_a_url_that_is_neither_feed_nor_page_says_so(feed_server: FeedServer) -> None:
    url = feed_server.serve("/blob", Reply(b"\x89PNG...", content_type="image/png"))
    with pytest.raises(InputError, match=r"neither a feed nor an HTML page"):
        list(read_articles([url]))


def test_a_url_read_as_text_keeps_its_url(feed_server: FeedServer) -> None:
    url = feed_server.serve("/a.txt", Reply(b" date 2024-03-01 Shelling hit Idlib."))
    (article,) = read_articles([url], input_format="text")
    assert (article.text, article.url) == ("Shelling hit Idlib.", url)
    assert article.published == dt.date(2024, 3, 1)


def test_a_url_that_is_down_fails_with_its_address(dead_url: str) -> None:
    with pytest.raises(InputError, match=rf"^{dead_url}: cannot fetch"):
        list(read_articles([dead_url]))


def test_a_bad_url_fails_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alpha.")
    with pytest.raises(InputError, match="not an http\\(s\\) URL with a host"):
        next(read_articles([tmp_path / "a.txt", "https://"]))
