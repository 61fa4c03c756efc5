"""RSS and Atom feeds: items, their plain text, dates as written, and feeds that are not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.errors import InputError
from sitroom.model import Article
from sitroom.sources.feeds import Feed, FeedItem, article_from_item, html_to_text, parse_feed

DATA = Path(__file__).parent / "data"
RSS = (DATA / "dispatch.rss.xml").read_bytes()
ATOM = (DATA / "monitor.atom").read_bytes()


def test_rss_items_keep_key_link_title_and_plain_text() -> None:
    feed = parse_feed(RSS, name="dispatch")
    assert (feed.title, feed.link) == ("Frontline Dispatch", "https://dispatch.example/")
    first = feed.items[0]
    assert first.key == "dispatch-2022-0503-kharkiv"
    assert first.url == "https://dispatch.example/2022/05/03/kharkiv-market"
    assert first.title == "Shelling hits market in Kharkiv"
    assert first.text == (
        "Shelling struck a covered market in the north of Kharkiv on Monday, killing at least "
        "seven people, the regional governor said.\n\n"
        "Around 300 residents were moved to a school gymnasium & a church hall overnight."
    )


def test_rss_full_content_wins_over_the_teaser() -> None:
    item = parse_feed(RSS, name="dispatch").items[1]
    assert item.text.startswith("Flood waters from the Shabelle river")
    assert "Some 20,000 people" in item.text
    assert "\nMore rain is forecast" in item.text  # <br> is a line break


def test_an_item_without_text_is_its_headline() -> None:
    item = parse_feed(RSS, name="dispatch").items[2]
    assert item.text == item.title == "Ceasefire talks resume in Geneva"


@pytest.mark.parametrize(
    ("index", "day"),
    [
        (0, dt.date(2022, 5, 3)),  # 09:15 +0300 is still 3 May in UTC
        (1, dt.date(2023, 11, 12)),  # 22:40 -0500 is 13 November in UTC; the publisher meant 12
        (2, dt.date(2024, 2, 20)),
    ],
)
def test_rss_dates_are_the_day_the_publisher_wrote(index: int, day: dt.date) -> None:
    assert parse_feed(RSS, name="dispatch").items[index].published == day


def test_atom_entries_resolve_links_and_prefer_content() -> None:
    feed = parse_feed(ATOM, name="monitor")
    assert feed.title == "Relief Monitor"
    first, second = feed.items
    assert first.url == "https://monitor.example/notes/2024/03/kassala-cholera"
    assert first.key == "urn:uuid:2b8e6c1a-0001"
    assert first.text.startswith("Health workers recorded 143 new cholera cases")
    assert first.published == dt.date(2024, 3, 7)  # published, as written, not updated
    assert second.published == dt.date(2024, 3, 6)  # no published: updated
    assert second.text.startswith("A convoy of 40 trucks")


def test_a_relative_link_resolves_against_the_feed_url() -> None:
    data = (
        b'<rss version="2.0"><channel><title>T</title><item><title>A</title>'
        b"<link>/news/a</link><description>Body.</description></item></channel></rss>"
    )
    (item,) = parse_feed(data, name="t", url="https://site.example/rss").items
    assert item.url == "https://site.example/news/a"


def test_a_truncated_feed_keeps_the_items_read_before_the_fault(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cut = RSS[: RSS.index(b"<item>", RSS.index(b"<item>") + 1) + 30]
    feed = parse_feed(cut, name="cut.xml")
    assert feed.items[0].key == "dispatch-2022-0503-kharkiv"
    assert "cut.xml: malformed feed" in caplog.text


def test_an_empty_feed_has_no_items() -> None:
    data = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert parse_feed(data, name="quiet") == Feed("Quiet", None, ())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02\xff\xfe garbage",
        b"<html><body><p>Not a feed.</p></body></html>",
        b'{"items": []}',
        b"<rss><channel><title>Unclosed",
    ],
)
def test_what_is_not_a_feed_is_an_input_error_naming_it(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^broken\.xml: not an RSS or Atom feed"):
        parse_feed(data, name="broken.xml")


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    markup = (
        "<div><p>First &amp; <em>foremost</em>\n  line.</p><script>var x = 1;</script>"
        "<style>p {}</style><ul><li>one</li><li>two</li></ul>last<br/>line</div>"
    )
    assert html_to_text(markup) == "First & foremost line.\n\none\n\ntwo\n\nlast\nline"


def test_html_to_text_of_plain_text_decodes_entities_only() -> None:
    assert html_to_text("  Fish &amp; chips\n\n\n\nserved  ") == "Fish & chips\n\nserved"


def _item(**fields: object) -> FeedItem:
    values: dict[str, object] = {
        "key": "k1",
        "url": "https://dispatch.example/a",
        "title": "Headline",
        "text": "Teaser text.",
        "published": dt.date(2024, 1, 2),
    } | fields
    return FeedItem(**values)  # type: ignore[arg-type]


def test_article_from_item_keeps_url_title_date_and_feed_as_source() -> None:
    feed = Feed("Frontline Dispatch", None, ())
    article = article_from_item(_item(), feed=feed)
    assert article == Article.create(
        "Teaser text.",
        url="https://dispatch.example/a",
        title="Headline",
        published=dt.date(2024, 1, 2),
        published_source="metadata",
        source="Frontline Dispatch",
    )


def test_article_from_item_takes_the_page_text_and_fills_gaps_from_the_page() -> None:
    page = Article.create(
        "The whole report.", published=dt.date(2024, 1, 1), source="The Northern Ledger"
    )
    article = article_from_item(_item(published=None), feed=Feed(None, None, ()), page=page)
    assert article.text == "The whole report."
    assert (article.published, article.published_source) == (dt.date(2024, 1, 1), "metadata")
    assert (article.source, article.url) == ("The Northern Ledger", "https://dispatch.example/a")


def test_an_item_without_a_date_has_no_date_source() -> None:
    article = article_from_item(_item(published=None), feed=Feed(None, None, ()))
    assert (article.published, article.published_source) == (None, None)


_FEEDISH = st.lists(
    st.sampled_from(
        [
            "<rss>",
            "<channel>",
            "<item>",
            "</item>",
            "<title>",
            "</title>",
            "<feed>",
            "<entry>",
            "<![CDATA[",
            "]]>",
            "&amp;",
            "&#0;",
            "&bogus;",
            "<?xml",
            "?>",
            "<link>",
            "<pubDate>",
            "Tue, 99 Foo 2022",
            "<description>",
            "<p>",
            "\x00",
            "é",
            "<",
            ">",
            "x",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=400), _FEEDISH.map(lambda s: s.encode("utf-8", "replace"))))
def test_parse_feed_never_crashes(data: bytes) -> None:
    try:
        feed = parse_feed(data, name="fuzz")
    except InputError as exc:
        assert str(exc).startswith("fuzz: ")
    else:
        assert all(item.text and item.key for item in feed.items)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300) | _FEEDISH)
def test_html_to_text_never_crashes(markup: str) -> None:
    assert isinstance(html_to_text(markup), str)
