"""The figure finder's index: numbers, triggers, clause breaks and cues, looked up by offset."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.extract.figure_index import _ZERO_RE, FigureIndex, _find_zeros
from sitroom.extract.text import split_sentences
from sitroom.model import Span


def _index(text: str) -> FigureIndex:
    return FigureIndex(text, split_sentences(text))


def test_numbers_and_no_casualty_phrases_are_found_in_the_whole_text() -> None:
    index = _index("Shelling killed 12 people. There were no casualties in Hama.")
    assert [n.value for n in index.numbers] == [12]
    assert [m.group() for m in index.zeros] == ["no casualties"]


def test_triggers_are_found_only_near_a_number() -> None:
    text = "Thousands fled. " + "The town was quiet. " * 20 + "Nobody was hurt; 3 were killed."
    index = _index(text)
    words = [text[h.start : h.end] for h in index.hits]
    assert "killed" in words
    assert "fled" in words  # near the vague "Thousands"
    assert "hurt" in words  # near "Nobody was hurt", a figure of zero


def test_words_glued_by_a_lost_line_break_are_triggers() -> None:
    text = "About 4,400 people weredisplaced by the floods."
    index = _index(text)
    assert [(text[h.start : h.end], h.trigger.measure) for h in index.hits] == [
        ("displaced", "displaced")
    ]


def test_a_clause_ends_at_a_semicolon_but_not_at_a_list_of_subjects() -> None:
    text = "Shelling hit the town; 3 soldiers, and 1 policeman were killed."
    index = _index(text)
    sentence = Span(0, len(text))
    start = text.index("3 soldiers")
    assert index.clause_at(sentence, start, start + 1) == Span(text.index(";") + 1, len(text))


def test_the_nearest_cue_names_the_source() -> None:
    text = "At least 40 people were killed, the health ministry said."
    index = _index(text)
    assert index.source_near(Span(0, len(text)), text.index("40")) == "health ministry"


_ZERO_PIECES = (
    "no", "No", "one", "nobody", "none", "zero", "without", "any", "casualties", "was", "killed",
    "hurt", "immediate", "reports", "of", "deaths", "injuries", "known", "civilian", "were",
    "injured", "north", "nono", " ", "  ", "\n", "\u00a0", "-", ".",
    # whole phrases, each a match of its own
    "nobody was hurt", "no one was killed", "no casualties", "without any casualties",
    "zero deaths", "no immediate reports of injuries", "none were injured", "no\u00a0deaths",
)  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_ZERO_PIECES), max_size=16).map("".join))
def test_no_casualty_phrases_are_found_where_the_full_scan_finds_them(text: str) -> None:
    lowered = text.lower()
    assert [m.span() for m in _find_zeros(lowered)] == [
        m.span() for m in _ZERO_RE.finditer(lowered)
    ]
