"""Word-led patterns: the matches of `\\b` + pattern, found from the character before."""

from __future__ import annotations

import re

import pytest

from sitroom.extract.word_led import WordLedPattern

PATTERN = r"(?:might|could|warn\w*)\b[^.;]*$"
TEXT = "officials warned, could be; non-warning talks might go. x-could"


@pytest.mark.parametrize("start", range(len(TEXT)))
def test_search_says_what_a_pattern_led_by_a_word_boundary_says(start: int) -> None:
    word_led = WordLedPattern(PATTERN)
    plain = re.compile(r"\b" + PATTERN)
    for end in range(start, len(TEXT) + 1):
        expected = plain.search(TEXT, start, end) is not None
        assert word_led.search(TEXT, start, end) is expected, (start, end)


def test_search_reads_the_character_before_the_start() -> None:
    word_led = WordLedPattern(r"could\b")
    assert word_led.search("they could", 5, 10)
    assert not word_led.search("xcould", 1, 6)  # inside a word: no word starts there
