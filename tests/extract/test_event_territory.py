"""Ground changing hands: what a verb of taking took and who took it."""

from __future__ import annotations

import pytest

from sitroom.extract.event_clause import Clause
from sitroom.extract.event_territory import taking_kind, withdrawal_kind
from sitroom.model import Span


def _taking(text: str, verb: str, *, retaken: bool = False) -> str | None:
    lowered = text.lower()
    start = lowered.index(verb)
    clause = Clause(lowered, Span(0, len(lowered)))
    return taking_kind(clause, Span(start, start + len(verb)), retaken=retaken)


@pytest.mark.parametrize(
    ("text", "verb", "subtype"),
    [
        (
            "Rebels captured the town after a day.",
            "captured",
            "Non-state actor overtakes territory",
        ),
        ("Government troops seized the village.", "seized", "Government regains territory"),
        ("Gunmen seized four cars on the road.", "seized", "Looting/property destruction"),
        ("Militants seized ten passengers from a bus.", "seized", "Abduction/forced disappearance"),
        ("The army captured two enemy positions.", "captured", "Armed clash"),
    ],
)
def test_a_verb_of_taking_is_typed_by_what_was_taken_and_by_whom(
    text: str, verb: str, subtype: str
) -> None:
    assert _taking(text, verb) == subtype


def test_a_town_recaptured_with_no_side_named_is_the_governments() -> None:
    assert _taking("The town was recaptured.", "recaptured", retaken=True) == (
        "Government regains territory"
    )


def test_a_withdrawal_changes_hands_only_to_a_side_named() -> None:
    left = "The militia withdrew from the hill."
    handed = "The militia withdrew from the hill, and the army took control."
    assert withdrawal_kind(Clause(left, Span(0, len(left)))) == "Change to group/activity"
    assert withdrawal_kind(Clause(handed, Span(0, len(handed)))) == (
        "Non-violent transfer of territory"
    )
