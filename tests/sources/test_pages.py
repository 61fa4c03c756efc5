"""Web pages: the main text without the page's furniture, and its title, date, URL and site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.errors import EmptyInputError, InputError
from sitroom.sources.pages import article_from_html

PAGE = (Path(__file__).parent / "data" / "ledger-article.html").read_bytes()
BOILERPLATE = (
    "Subscribe now",
    "cookies",
    "Most read",
    "Ten recipes",
    "All rights reserved",
    "Home",
)


def test_main_text_is_the_article_without_menus_banners_or_footers() -> None:
    article = article_from_html(PAGE, name="ledger-article.html")
    assert "Shelling struck a covered market in the north of Kharkiv" in article.text
    assert "more than 2,000 buildings have been damaged." in article.text
    for furniture in BOILERPLATE:
        assert furniture not in article.text, furniture


def test_title_date_canonical_url_and_site_name_come_from_the_markup() -> None:
    article = article_from_html(PAGE, name="ledger-article.html")
    assert article.title == "Shelling hits market in Kharkiv"
    assert (article.published, article.published_source) == (dt.date(2022, 5, 3), "metadata")
    assert article.url == "https://ledger.example/world/2022/05/03/kharkiv-market"
    assert article.source == "The Northern Ledger"


def test_the_url_a_page_was_fetched_from_wins_and_names_the_site_when_nothing_else_does() -> None:
    page = (
        b"<html><head><title>Aid convoy</title></head><body><article>"
        b"<p>A convoy of forty trucks carrying flour reached the crossing on Wednesday, "
        b"the relief agency said in a statement.</p>"
        b"<p>A second convoy is expected next week if the road stays open.</p>"
        b"</article></body></html>"
    )
    article = article_from_html(page, name="p", url="https://relief.example/notes/convoy")
    assert article.url == "https://relief.example/notes/convoy"
    assert article.source == "relief.example"
    assert (article.published, article.published_source) == (None, None)


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", b"\x00\xff\xfe\x01", b"<html></html>", b"<html><body><p></p></body></html>"],
)
def test_a_page_without_article_text_is_an_empty_input_naming_it(data: bytes) -> None:
    with pytest.raises(EmptyInputError, match=r"^blank\.html: no article text found"):
        article_from_html(data, name="blank.html")


@settings(max_examples=60, deadline=None)
@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))
    | st.lists(
        st.sampled_from(
            [
                "<html>",
                "<body>",
                "<p>",
                "</p>",
                "<article>",
                "<script>",
                "&nbsp;",
                "<meta charset='x-bogus'>",
                "<!--",
                "Kharkiv was shelled. ",
                "\x00",
            ]
        ),
        max_size=30,
    ).map(lambda parts: "".join(parts).encode("utf-8"))
)
def test_article_from_html_never_crashes(data: bytes) -> None:
    try:
        article = article_from_html(data, name="fuzz")
    except InputError as exc:
        assert str(exc).startswith("fuzz: ")
    else:
        assert article.text.strip()
