"""Situation reports: the view's sections, citations on every line, safe Markdown and HTML."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitroom.engine import ingest
from sitroom.model import Article, Event, Extraction, Figure, Place, PlaceMention, Span, Window
from sitroom.report import render_html, render_markdown, situation
from sitroom.store import Store, open_store

DAY = dt.date
SARAQIB = Place("g:164816", "Saraqib", "SY", "Idlib", 35.864, 36.806, "city")
IDLIB = Place("g:169387", "Idlib", "SY", "Idlib", 35.827, 36.621, "admin1")
HOSTILE = '<script>alert("x")</script> *bold* [link](http://evil.example)'


def _article(
    article_id: str,
    text: str,
    *,
    published: dt.date,
    killed: int | None = None,
    displaced: int | None = None,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Extraction:
    """An article reporting a strike on Saraqib the day before, and a figure or two."""
    article = Article.create(text, id=article_id, published=published, source=source,
                             title=title, url=url)  # fmt: skip
    at = text.index("Saraqib")
    mentions = (PlaceMention(article_id, Span(at, at + 7), "Saraqib", SARAQIB, 0.9),)
    whole = Span(0, len(text))
    day = Window.day(DAY(2020, 1, 13))
    event = Event(article_id, whole, "Explosions/Remote violence", "Air/drone strike", day,
                  place_id=SARAQIB.id, fatalities=killed)  # fmt: skip
    figures = []
    if killed is not None:
        figures.append(Figure(article_id, Span(0, 2), str(killed), killed, "exact", "people",
                              "killed", whole, place_id=SARAQIB.id, period=day))  # fmt: skip
    if displaced is not None:
        period = Window(DAY(2019, 12, 1), published)
        figures.append(Figure(article_id, Span(3, 5), str(displaced), displaced, "approx",
                              "people", "displaced", whole, place_id=SARAQIB.id, period=period,
                              source="UN"))  # fmt: skip
    return Extraction(article, places=mentions, figures=tuple(figures), events=(event,))


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store(":memory:") as opened:
        opened.add(
            [
                _article("wire", "11 killed in Saraqib market strike.", published=DAY(2020, 1, 13),
                         killed=11, displaced=40_000, source="Levant Wire",
                         title="Strike on Saraqib", url="https://levant.example/1"),
                _article("monitor", "14 dead in Saraqib, monitor says.", published=DAY(2020, 1, 20),
                         killed=14, displaced=45_000, source="Northern Monitor",
                         title=HOSTILE, url="javascript:alert(1)"),
            ]
        )  # fmt: skip
        yield opened


def test_the_view_has_every_section(store: Store) -> None:
    view = situation(store, place="Idlib", changed_since=DAY(2020, 1, 15))
    killed = next(k for k in view.key_figures if k.series.measure == "killed")
    assert killed.series.reconciled.conflict and killed.series.reconciled.conservative == 11
    assert [len(e.incident.reports) for e in view.timeline] == [2]
    assert view.affected[0].place == SARAQIB and view.affected[0].fatalities == 11
    kinds = sorted(c.kind for c in view.changes)
    assert kinds == ["updated figure", "updated figure"]  # the incident was first seen before
    assert [c.article_id for c in view.citations] == ["wire", "monitor"]


def test_nothing_outside_the_place_or_period(store: Store) -> None:
    assert situation(store, place="Hama").timeline == ()
    assert situation(store, since=DAY(2021, 1, 1)).key_figures == ()


def _content_lines(markdown: str) -> list[str]:
    body = markdown.split("## Sources")[0]
    return [line for line in body.splitlines() if line.lstrip().startswith("- ")]


def test_every_markdown_line_cites_its_articles(store: Store) -> None:
    markdown = render_markdown(situation(store, changed_since=DAY(2020, 1, 15)))
    lines = _content_lines(markdown)
    assert len(lines) >= 6
    for line in lines:
        assert re.search(r"\[\d+\]$", line), line
    assert "[1]: Strike on Saraqib — Levant Wire, 2020-01-13 (article `wire`)" in markdown


def test_markdown_escapes_article_text(store: Store) -> None:
    markdown = render_markdown(situation(store))
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "[link](http" not in markdown
    assert "<javascript:" not in markdown


def test_html_escapes_article_text_and_links_only_web_urls(store: Store) -> None:
    page = render_html(situation(store))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="https://levant.example/1"' in page
    assert "javascript:" not in page
    assert page.count('class="cite"') >= 6


def test_report_on_the_example_report_cites_it(shared_dir: Path) -> None:
    # Issue 8: the report on the example report cites it.
    with open_store(":memory:") as store:
        ingest([shared_dir / "examples" / "idlib-2019-12-24.txt"], store=store)
        (article,) = store.articles()
        view = situation(store, place="Idlib")
        markdown = render_markdown(view)
        page = render_html(view)
    assert [c.article_id for c in view.citations] == [article.id]
    assert f"(article `{article.id}`)" in markdown
    assert f"<code>{article.id}</code>" in page
    assert any("60,000" in line and line.endswith("[1]") for line in _content_lines(markdown))
    assert view.timeline and all(entry.cites == (1,) for entry in view.timeline)
