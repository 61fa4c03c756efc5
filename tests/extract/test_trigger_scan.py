"""The trigger scan: by stretches and first letters, the matches of the whole table."""

from __future__ import annotations

import re

import pytest

from sitroom.extract.event_lexicon import PAIRED, PROTEST, PROTEST_LETTERS, TRIGGER_TABLE
from sitroom.extract.text import fold, lower_same_length
from sitroom.extract.trigger_scan import alternatives, clause_matches, scan_triggers

TEXTS = [
    "Shelling killed 3 people in Aleppo on Monday. Police arrested 12 men; troops withdrew.",
    "Protesters gathered in the capital to demand an end to the fighting.",
    "Police fired tear gas to disperse protesters, who threw stones. Rioters torched cars.",
    "Demonstrators clashed with police; a sit-in was broken up. Gunmen attacked a convoy.",
    "Airstrikes hit the town in March. A march against the war was dispersed by police.",
    "Clashes erupted after the rally turned violent, and security forces opened fire.",
    "Killed: 4. Protest over the killings, generally peaceful, then riot police moved in",
    "The ceasefire collapsed; fighting resumed.\n\nA drone strike hit Kaya (Burkina Faso).",
    "Déplacés: thousands fled the shelling near Goma; protesters were beaten by soldiers.",
    "Rebels captured the town, residents said. No protest was reported.",
]


def _whole_table(text: str) -> list[tuple[int, int, str | None]]:
    lowered = lower_same_length(fold(text))
    return clause_matches(lowered, 0, len(lowered))


@pytest.mark.parametrize("text", TEXTS)
def test_the_scan_finds_what_the_whole_table_finds(text: str) -> None:
    lowered = lower_same_length(fold(text))
    assert scan_triggers(lowered) == _whole_table(text)


def test_the_scan_finds_protest_rows_where_a_protest_is_named_with_its_outcome() -> None:
    lowered = "police fired tear gas to disperse protesters."
    rows = {row for _, _, row in scan_triggers(lowered)}
    assert rows == {row for _, _, row in _whole_table(lowered)}
    assert rows  # the protest row that pairs "tear gas" with "protesters"


def test_alternatives_are_the_top_level_branches_as_written() -> None:
    assert alternatives(r"a|b(?:c|d)|[|]e|\|f") == ["a", "b(?:c|d)", "[|]e", r"\|f"]
    assert alternatives(r"[]|]x|y") == ["[]|]x", "y"]
    for _, pattern, _ in TRIGGER_TABLE:
        parts = alternatives(pattern)
        assert "|".join(parts) == pattern
        for part in parts:
            re.compile(part)


def test_each_protest_row_ends_with_its_paired_alternatives() -> None:
    rows = {marker: pattern for marker, pattern, _ in TRIGGER_TABLE}
    for subtype, paired in PAIRED.items():
        assert rows[subtype].endswith(paired)


@pytest.mark.parametrize(
    "text",
    ["protesters", "demonstrations", "rallied", "sit-ins", "marched", "marchers",
     "a peaceful march", "the group's march through", "a march against", "the march to"],
)  # fmt: skip
def test_every_protest_word_holds_protest_letters(text: str) -> None:
    assert re.search(PROTEST, text)
    assert any(letters in text for letters in PROTEST_LETTERS)
