"""The event lexicon: ACLED's taxonomy and the trigger table built on it."""

from __future__ import annotations

import re

from sitroom.extract.event_lexicon import EVENT_TYPES, SUBTYPES, TRIGGER_TABLE

_MARKERS = {"(attack)", "(fire)", "(operation)", "(retaken)", "(taken)", "(withdrawn)"}


def test_every_row_names_a_subtype_or_a_marker_its_context_resolves() -> None:
    for subtype, pattern, strength in TRIGGER_TABLE:
        assert subtype in SUBTYPES or subtype in _MARKERS, subtype
        assert 0 < strength < 1
        re.compile(pattern)


def test_the_taxonomy_has_acleds_six_types_and_displacement() -> None:
    assert len(EVENT_TYPES) == 7
    assert "Displacement" in EVENT_TYPES


def test_every_subtype_has_its_acled_type() -> None:
    assert SUBTYPES["Air/drone strike"] == "Explosions/Remote violence"
    assert SUBTYPES["Agreement"] == "Strategic developments"
    assert len([s for s in SUBTYPES if SUBTYPES[s] != "Displacement"]) == 25
