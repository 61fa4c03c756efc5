"""Protests, riots and mob violence: how a protest went and who a crowd's violence was."""

from __future__ import annotations

import pytest

from sitroom.extract.event_clause import Clause
from sitroom.extract.event_protests import is_crowd_clash
from sitroom.extract.event_triggers import find_triggers
from sitroom.model import Span


def _subtypes(text: str) -> set[str]:
    lowered = text.lower()
    return {t.subtype for t in find_triggers(lowered, Span(0, len(lowered)))}


@pytest.mark.parametrize(
    ("text", "crowd"),
    [
        ("Villagers clashed with police over the land.", True),
        ("Rebels clashed with the army near the river.", False),
    ],
)
def test_a_clash_of_crowds_no_armed_group_in_it(text: str, crowd: bool) -> None:
    lowered = text.lower()
    assert is_crowd_clash(Clause(lowered, Span(0, len(lowered)))) is crowd


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Police fired tear gas to disperse the protesters.", "Protest with intervention"),
        ("Protesters threw stones and police fired tear gas.", "Violent demonstration"),
        ("Police fired live rounds at peaceful protesters.", "Excessive force against protesters"),
        ("An angry mob beat a man to death.", "Mob violence"),
    ],
)
def test_a_protest_is_typed_by_the_gravest_way_it_went(text: str, subtype: str) -> None:
    assert subtype in _subtypes(text)
