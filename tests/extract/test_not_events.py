"""Not-an-event words: possibilities, claims, ended deals, fire that only backs a fight."""

from __future__ import annotations

import pytest

from sitroom.extract.not_events import is_irrealis, is_supporting
from sitroom.model import Span


def _at(text: str, word: str) -> tuple[str, Span, Span]:
    lowered = text.lower()
    start = lowered.index(word)
    return lowered, Span(0, len(lowered)), Span(start, start + len(word))


@pytest.mark.parametrize(
    ("text", "word", "subtype"),
    [
        ("Officials warned that rebels could attack the town.", "attack", "Attack"),
        ("The army is ready to counter an airstrike on the base.", "airstrike", "Air/drone strike"),
        ("The man was accused of killing a neighbour.", "killing", "Attack"),
        ("A deal ended weeks of fighting in the valley.", "fighting", "Armed clash"),
        ("The truce collapsed on Sunday.", "truce", "Agreement"),
    ],
)
def test_possibilities_claims_and_ended_deals_are_no_events(
    text: str, word: str, subtype: str
) -> None:
    assert is_irrealis(*_at(text, word), subtype)


@pytest.mark.parametrize(
    ("text", "word", "subtype"),
    [
        ("Rebels attacked the town on Monday.", "attacked", "Attack"),
        ("The two sides signed a truce on Sunday.", "truce", "Agreement"),
    ],
)
def test_reported_incidents_are_events(text: str, word: str, subtype: str) -> None:
    assert not is_irrealis(*_at(text, word), subtype)


def test_fire_that_backs_an_advance_is_supporting() -> None:
    assert is_supporting(*_at("Troops advanced, backed by air strikes.", "air strikes"), "x")
    assert not is_supporting(*_at("Air strikes hit the market.", "air strikes"), "x")


def test_a_deal_that_frames_a_handover_is_supporting() -> None:
    text = "The town was handed over as part of a peace deal."
    assert is_supporting(*_at(text, "peace deal"), "Agreement")
