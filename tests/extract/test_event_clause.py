"""Whom a clause's violence hit: armed men in service or civilians; who detained whom."""

from __future__ import annotations

import pytest

from sitroom.extract.event_clause import Clause, arrest_kind, attack_kind, is_armed
from sitroom.model import Span


def _context(text: str, word: str) -> tuple[Clause, Span]:
    lowered = text.lower()
    start = lowered.index(word)
    return Clause(lowered, Span(0, len(lowered))), Span(start, start + len(word))


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Gunmen killed two soldiers at a checkpoint.", "Armed clash"),
        ("Gunmen killed two farmers at a checkpoint.", "Attack"),
        ("Gunmen killed an off-duty soldier at home.", "Attack"),
        ("A policeman was killed by a sniper.", "Armed clash"),
        ("Gunmen killed a civilian night guard at the school.", "Attack"),
        ("Gunmen killed a soldier and a civilian near the school.", "Armed clash"),
    ],
)
def test_an_attack_is_typed_by_its_victims(text: str, subtype: str) -> None:
    assert attack_kind(*_context(text, "killed")) == subtype


def test_former_fighters_are_not_armed_men_in_service() -> None:
    text = "two former fighters"
    assert is_armed(text, Span(0, len(text))) is False
    assert is_armed("two fighters", Span(0, 12)) is True


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("The police arrested three men.", "Arrests"),
        ("HTS detained three men in Idlib.", "Abduction/forced disappearance"),
        ("Three HTS members were arrested.", "Arrests"),
    ],
)
def test_men_detained_by_the_state_are_arrested_by_a_rebel_group_abducted(
    text: str, subtype: str
) -> None:
    word = "arrested" if "arrested" in text else "detained"
    assert arrest_kind(*_context(text, word)) == subtype


def test_fire_aimed_at_someone_hit_them_not_the_place() -> None:
    text = "A policeman shot at a taxi driver who drove through a checkpoint."
    assert attack_kind(*_context(text, "shot")) == "Attack"
