"""The shared document: replacing one layer keeps every other one."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.extract import text as text_module
from sitroom.extract.text import Document, split_sentences
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shelling hit Aleppo.  Two died.", ["Shelling hit Aleppo.", "Two died."]),
        ("  Gen. Smith spoke. Troops left.\n\n", ["Gen. Smith spoke.", "Troops left."]),
        ("Headline\n\u00a0Body text here.\u2009", ["Headline", "Body text here."]),
        (
            "Talks began (U.N. said) in May. 12 were hurt.",
            ["Talks began (U.N. said) in May.", "12 were hurt."],
        ),
        (" \n\t\n ", []),
    ],
)
def test_split_sentences_trims_every_kind_of_space(text: str, expected: list[str]) -> None:
    assert [s.span.of(text) for s in split_sentences(text)] == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\n\u00a0\u2009.!?ABab1\"'", max_size=60))
def test_sentences_are_trimmed_and_cover_every_visible_character(text: str) -> None:
    sentences = split_sentences(text)
    covered: set[int] = set()
    for sentence in sentences:
        piece = sentence.span.of(text)
        assert piece and piece == piece.strip()
        covered.update(range(sentence.span.start, sentence.span.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    assert [s.span.start for s in sentences] == sorted(s.span.start for s in sentences)


def _split_by_scanning_the_blocks(text: str) -> list[tuple[int, int]]:
    """Sentences as `_SENTENCE_END`'s scan over each block finds them, trimmed char by char."""
    spans, cuts = [], []
    for block_start, block_end in text_module._blocks(text):
        start = block_start
        for match in text_module._SENTENCE_END.finditer(text, block_start, block_end):
            if text[match.start()] == "." and text_module._is_abbreviation(text, match.start()):
                continue
            cuts.append((start, match.end()))
            start = match.end()
        cuts.append((start, block_end))
    for start, end in cuts:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


_SPLIT_TOKENS = ["Mr.", "Gen.", "U.S.", "x.", "!", "?", ".", ")", '"', "'", "A", "b", "7", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_SPLIT_TOKENS, " ", "\u00a0", "\t"])))
def test_sentences_are_where_the_pattern_scan_puts_them(words: list[str]) -> None:
    # Splitting tries the pattern only at each '.', '!' and '?', for speed; it must cut where
    # a scan of every block with the pattern cuts.
    text = "".join(words)
    found = [(s.span.start, s.span.end) for s in split_sentences(text)]
    assert found == _split_by_scanning_the_blocks(text)
