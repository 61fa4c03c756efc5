"""The shared document: replacing one layer keeps every other one."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sitroom.extract.text import Document
from sitroom.model import Article, Span, TimeMention, Window


def test_with_layers_replaces_only_the_layers_given() -> None:
    doc = Document.from_article(Article.create("Shelling hit the town.\nIt rained on Monday."))
    monday = TimeMention(
        doc.article.id, Span(35, 41), "Monday", Window.day(dt.date(2020, 3, 2)), "day"
    )
    timed = doc.with_layers(times=(monday,))
    assert timed == dataclasses.replace(doc, times=(monday,))
    assert timed.sentence_at(36) == doc.sentence_at(36) is not None
    dated = timed.with_layers(
        article=dataclasses.replace(doc.article, published=dt.date(2020, 3, 3))
    )
    assert dated.times == (monday,) and dated.article.published == dt.date(2020, 3, 3)
    assert dated.with_layers(places=()) == dated
