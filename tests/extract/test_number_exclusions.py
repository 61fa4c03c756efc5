"""Numbers that are not counts, told apart by the words around them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitroom.extract.number_exclusions import is_age_at, is_excluded
from sitroom.extract.numbers import NumberMatch


def _number(text: str, digits: str) -> NumberMatch:
    start = text.index(digits)
    return NumberMatch(start, start + len(digits), digits, int(digits))


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("The fighting lasted 12 days.", "12"),
        ("A 12-hour curfew was imposed.", "12"),
        ("The convoy left at 9 am.", "9"),
        ("The blast was felt 30 km away.", "30"),
        ("Aid worth 300 dollars arrived.", "300"),
        ("Resolution 2254 calls for a ceasefire.", "2254"),
        ("Shelling resumed on 12 march.", "12"),
        ("The war began in 2011.", "2011"),
        ("The boy was 15 years old.", "15"),
        # A weapon's model, letters and a number written apart or joined.
        ("the guards carried ak 47 rifles.", "47"),
        ("a pkm 7 was found in the truck.", "7"),
        ("raiders armed with ak-47s fled.", "47"),
        # page furniture and frequencies
        ("the video drew 1200 views.", "1200"),
        ("the post was shared 250 times.", "250"),
    ],
)
def test_not_counts(text: str, digits: str) -> None:
    lowered = text.lower()
    assert is_excluded(lowered, _number(lowered, digits), is_age=False)


@pytest.mark.parametrize(
    ("text", "digits"),
    [("Shelling killed 12 people.", "12"), ("In 2000 people fled the town.", "2000")],
)
def test_counts(text: str, digits: str) -> None:
    lowered = text.lower()
    assert not is_excluded(lowered, _number(lowered, digits), is_age=False)


def _grouped(text: str, digits: str) -> NumberMatch:
    start = text.index(digits)
    return NumberMatch(start, start + len(digits), digits, int(digits.replace(",", "")))


def test_a_grouped_number_is_too_large_for_a_numbering_label() -> None:
    # text that lost its first letters: "(a)round 900,000 people"
    lowered = "round 900,000 people have fled."
    assert not is_excluded(lowered, _grouped(lowered, "900,000"), is_age=False)
    lowered = "round 9 of the talks ended."
    assert is_excluded(lowered, _number(lowered, "9"), is_age=False)
    lowered = "the fee was usd 1,500 a head."
    assert is_excluded(lowered, _grouped(lowered, "1,500"), is_age=False)


def test_a_number_between_commas_after_a_name_is_an_age() -> None:
    text = "Ahmed Ali, 45, was killed."
    assert is_age_at(text, _number(text, "45"))
    other = "They counted 45, then 60."
    assert not is_age_at(other, _number(other, "45"))


@given(st.text(alphabet=" -/:.a1ofkmyears old million dollars times\u00b0p", max_size=40))
def test_the_guard_on_what_follows_a_number_changes_no_match(after: str) -> None:
    """Issue 11: `_EXCLUDED_AFTER` behind its prefix guard matches as the pattern alone."""
    from sitroom.extract.number_exclusions import _EXCLUDED_AFTER, _EXCLUDED_AFTER_PATTERN

    plain = re.compile(_EXCLUDED_AFTER_PATTERN, re.VERBOSE).match(after)
    guarded = _EXCLUDED_AFTER.match(after)
    assert (plain and plain.span()) == (guarded and guarded.span())
