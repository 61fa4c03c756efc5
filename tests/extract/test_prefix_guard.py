"""Prefix guards and ASCII twins: faster patterns that find exactly the same matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.extract.event_lexicon import TRIGGER_TABLE
from sitroom.extract.figure_lexicon import MEASURE_TRIGGERS, SOURCES
from sitroom.extract.prefix_guard import (
    _SPACES,
    HintedPattern,
    TwinPattern,
    guarded,
    match_prefixes,
)

# Patterns of every construct the prefix reader meets: optional groups, repeats, classes,
# look-arounds, scoped case-insensitivity and `\s`.
PATTERNS = [
    r"\b(?:(?:sulfur |sulphur )?mustard gas|chlorine)\b",
    r"\b(?:at\s+risk|in\s+need|take\s*shelter)\b",
    r"\b(?<!to\s)(?:death|fatality)\b|dead",
    r"(?i:united\s+nations)|\bUN\b",
    r"\b(?:a(?:\s|-)few|an?\s+hundred)\b",
    r"x{2,3}y|[a-c]z",
    "(?:" + "|".join(f"(?:{p})(?P<t{i}>)" for i, (_, p, _) in enumerate(TRIGGER_TABLE)) + ")",
    "(?:" + "|".join(f"(?:{t.pattern})(?P<t{i}>)" for i, t in enumerate(MEASURE_TRIGGERS)) + ")",
    "(?:" + "|".join(f"(?:{p})(?P<s{i}>)" for i, (_, p) in enumerate(SOURCES)) + ")",
]
TEXTS = [
    "Sulfur mustard gas and chlorine were found; 300 people at  risk, 20 in need of aid.",
    "They had to take shelter. No death was reported; to death row. Dead men. xxy bz.",
    "The United Nations and the UN said a few, an hundred, a-few people fled.",
    "Warplanes bombed the village; the army recaptured it while rebels looted shops.",
    "UNITED NATIONS, Unicef and the Syrian Observatory said 40 were killed or wounded.",
]


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in pattern.finditer(text)]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_guard_changes_no_match(pattern: str) -> None:
    plain, fast = re.compile(pattern), re.compile(guarded(pattern))
    for text in TEXTS:
        assert _matches(fast, text) == _matches(plain, text)
        assert _matches(fast, text.lower()) == _matches(plain, text.lower())


_WORDS = st.sampled_from(
    ["mustard", "gas", "at", "risk", "in", "need", "UN", "united", "nations", "a", "few", "dead"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(max_size=4)), max_size=12), st.sampled_from(PATTERNS))
def test_a_guard_changes_no_match_on_any_text(words: list[str], pattern: str) -> None:
    text = " ".join(words)
    assert _matches(re.compile(guarded(pattern)), text) == _matches(re.compile(pattern), text)


def _hinted(pattern: HintedPattern, text: str, pos: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, pos, end)]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_hinted_pattern_finds_what_the_pattern_finds(pattern: str) -> None:
    hinted = HintedPattern(pattern)
    assert hinted.hint is not None
    for text in TEXTS:
        for pos, end in ((0, len(text)), (5, len(text) - 7), (len(text), len(text))):
            expected = [m.span() for m in hinted.pattern.finditer(text, pos, end)]
            assert _hinted(hinted, text, pos, end) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(max_size=4)), max_size=12), st.sampled_from(PATTERNS))
def test_a_hinted_pattern_finds_what_the_pattern_finds_in_any_text(
    words: list[str], pattern: str
) -> None:
    text = " ".join(words)
    hinted = HintedPattern(pattern)
    assert _hinted(hinted, text, 0, len(text)) == [m.span() for m in re.finditer(pattern, text)]


def test_a_pattern_that_may_start_anywhere_runs_unhinted() -> None:
    hinted = HintedPattern(r"\w+ing")
    assert hinted.hint is None
    assert _hinted(hinted, "running and hiding", 0, 18) == [(0, 7), (12, 18)]


def test_prefixes_are_read_from_the_parse_tree() -> None:
    prefixes = match_prefixes(r"ab|c[de]f?", depth=2)
    assert prefixes == {(frozenset("a"), frozenset("b")), (frozenset("c"), frozenset("de"))}


def test_case_insensitive_letters_take_every_case_that_matches_them() -> None:
    (prefix,) = match_prefixes("(?i:k)", depth=1) or ()
    assert prefix == (frozenset("kK\u212a"),)
    assert re.compile(guarded("(?i:kilo)")).match("\u212aILO") is not None


def test_no_guard_where_a_match_may_be_empty_or_start_with_anything() -> None:
    assert guarded("a?") == "a?"
    assert guarded(r"\w+ing") == r"\w+ing"
    assert guarded("(?i)abc") == "(?i)abc"


def test_a_guard_of_many_first_letters_checks_them_all_at_once() -> None:
    words = "ammo bomb camp dead exit fire gunman hostage injured jet killed looted".split()
    wide = guarded(r"\b(?:" + "|".join(words) + r")\b")
    assert wide.startswith("(?=[abcdefghijkl])(?=")
    assert re.compile(wide).findall("a fire, no campfire, a jetty, the dead") == ["fire", "dead"]
    assert guarded("(?:kill|wound)ed").startswith("(?=(?:killed|wounde))")


def test_the_space_set_is_what_backslash_s_matches() -> None:
    space = re.compile(r"\s")
    spaces = {chr(code) for code in range(0x110000) if space.match(chr(code))}
    assert spaces == _SPACES


def test_an_ascii_twin_finds_the_same_matches() -> None:
    twin = TwinPattern(r"\bkilled\s+\w+")
    for text in ("3 were killed\tnear Aleppo", "killed\x1cthere", "killed \u00e9t\u00e9 here"):
        assert _matches(twin.for_text(text), text) == _matches(
            re.compile(twin.pattern.pattern), text
        )
    assert twin.for_text("plain text") is twin.ascii
    assert twin.for_text("unit\x1cseparator") is twin.pattern
    assert twin.for_text("caf\u00e9") is twin.pattern


def test_a_twin_compiles_each_form_when_first_needed_with_its_flags() -> None:
    twin = TwinPattern(r"\b killed \s+ (\w+)  # the word after", re.VERBOSE | re.IGNORECASE)
    assert twin._unicode is None and twin._ascii is None
    assert [m.group(1) for m in twin.finditer("Two KILLED there")] == ["there"]
    assert twin._unicode is None and twin.ascii.flags & re.ASCII
    assert [m.group(1) for m in twin.finditer("Two killed \u00e9lite")] == ["\u00e9lite"]
    assert twin.pattern.flags & (re.VERBOSE | re.IGNORECASE | re.UNICODE)
