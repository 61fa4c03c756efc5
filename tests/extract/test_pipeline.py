"""The pipeline run over many articles at once gives what it gives one article at a time.

`sitroom.extract_articles`, the public batch, is tested here beside `Pipeline.run_many`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import sitroom
from sitroom.errors import InputError
from sitroom.extract import default_pipeline
from sitroom.model import Article

TEXTS = (
    "Shelling killed 3 people in Saraqib, Idlib province, on Monday, residents said.",
    "About 2,000 families fled Kharkiv last week as Russian artillery pounded the city.",
    "Protesters gathered in Goma on Friday to demand an end to the fighting.",
    "Aid agencies said convoys had not reached the camps since early December.",
    "Gunmen attacked a market near Djibo, killing 12 civilians and wounding 20 others.",
)


@pytest.mark.parametrize("batch_size", [1, 2, 32])
def test_run_many_equals_one_article_at_a_time(batch_size: int) -> None:
    pipeline = default_pipeline()
    articles = [Article.create(text, published=dt.date(2020, 2, 11)) for text in TEXTS]
    one_by_one = [pipeline(article) for article in articles]
    assert list(pipeline.run_many(articles, batch_size=batch_size)) == one_by_one
    assert any(e.places for e in one_by_one) and any(e.figures for e in one_by_one)


def test_run_many_of_nothing_is_nothing() -> None:
    assert list(default_pipeline().run_many([])) == []


def test_run_many_answers_what_it_read_before_its_input_failed() -> None:
    def failing_input() -> Iterator[Article]:
        for text in TEXTS[:3]:
            yield Article.create(text, published=dt.date(2020, 2, 11))
        raise InputError("line 4: not JSON")

    answered = []
    with pytest.raises(InputError, match="line 4"):
        for extraction in default_pipeline().run_many(failing_input(), batch_size=32):
            answered.append(extraction.article.text)
    assert answered == list(TEXTS[:3])


def test_extract_articles_is_the_public_batch_of_extract_article() -> None:
    articles = [Article.create(text, published=dt.date(2020, 2, 11)) for text in TEXTS * 8]
    batched = list(sitroom.extract_articles(iter(articles)))
    assert batched == [sitroom.extract_article(article) for article in articles]


def test_extract_articles_refuses_text_that_cannot_be_written_as_utf8() -> None:
    broken = Article(id="a-broken", text="Shelling in Aleppo \ud800 on Monday.")
    with pytest.raises(InputError, match="unpaired surrogate"):
        list(sitroom.extract_articles([broken]))
