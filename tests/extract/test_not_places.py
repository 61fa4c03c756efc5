"""The not-places rules: the literal search for a word agrees with the pattern it replaced."""

from __future__ import annotations

import random
import re

import pytest

from sitroom.extract import not_places

# Spaces, a tab, a newline, punctuation, an underscore (a word character to `re`), a digit and
# letters in and outside ASCII.
_ALPHABET = "  \t\n,.&-_'’5Nsſdpgrocta" + "SPGROCDTAW" + "éİ"


def _texts(count: int, *, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 12))) for _ in range(count)]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Maybe not. maybe so", "maybe"),
        ("Maybe not. maybes", "maybe"),
        ("_maybe maybe_", "maybe"),
        ("grandmaybe", "maybe"),
        ("u.s. and u.s.a", "u.s."),
        ("the u.s.x", "u.s."),
        ("", "maybe"),
    ],
)
def test_find_word_finds_what_a_word_boundary_pattern_finds(text: str, word: str) -> None:
    for low in range(len(text) + 1):
        for high in range(low, len(text) + 1):
            pattern = rf"\b{re.escape(word)}\b"
            expected = re.search(pattern, text[low:high]) is not None
            assert not_places._find_word(text, word, low, high) is expected, (low, high)


def test_find_word_agrees_with_the_pattern_on_random_text() -> None:
    for text in _texts(2000, seed=9):
        for word in ("s", "sd", "s.", "'s", "ſ"):
            expected = re.search(rf"\b{re.escape(word)}\b", text) is not None
            assert not_places._find_word(text, word, 0, len(text)) is expected, (text, word)


@pytest.mark.parametrize(
    ("text", "designation"),
    [
        ("Pack 122", True),
        ("Pack  122", True),
        ("Pack No. 5", True),
        ("Pack\t٣", True),
        ("Pack said", False),
        ("Pack 13 days later", False),
    ],
)
def test_a_number_after_a_name_makes_a_designation(text: str, designation: bool) -> None:
    assert not_places._is_designation(text, 4, ()) is designation


@pytest.mark.parametrize(
    ("text", "start", "end", "firm"),
    [
        ("Stevens & Wilkinson", 0, 7, True),
        ("Stevens &Wilkinson", 0, 7, True),
        ("Stevens         & Wilkinson", 0, 7, True),
        ("Johnson & Son", 10, 13, True),
        ("Stevens and Wilkinson", 0, 7, False),
        ("Stevens", 0, 7, False),
        ("TIJUANA & SAN DIEGO", 0, 7, False),
    ],
)
def test_partners_names_joined_make_a_firm(text: str, start: int, end: int, firm: bool) -> None:
    assert not_places._is_firm(text, start, end) is firm


@pytest.mark.parametrize(
    ("name", "shaped"),
    [("Toba tek Singh", True), ("Stratford upon Avon", True), ("Aleppo fell to Damascus", False)],
)
def test_a_long_name_may_lower_case_one_inner_word(name: str, shaped: bool) -> None:
    assert not_places.reads_as_name(name, 0, len(name)) is shaped
