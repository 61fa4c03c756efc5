"""Actors: surface forms in the text mapped to ACLED-style actor names by `data/actors.tsv`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitroom.data import read_table
from sitroom.model import Span

__all__ = ["Actor", "ActorMention", "find_actors"]


@dataclass(frozen=True, slots=True)
class Actor:
    """An ACLED-style actor with its interaction code (1 state forces ... 8 external forces)."""

    name: str
    interaction: int
    country: str | None


@dataclass(frozen=True, slots=True)
class ActorMention:
    """Where an actor is named in the text."""

    span: Span
    actor: Actor


@cache
def _dictionary() -> tuple[re.Pattern[str], dict[str, Actor]]:
    actors: dict[str, Actor] = {}
    for surface, name, code, country in read_table("actors.tsv"):
        actors[surface.lower()] = Actor(name, int(code), country or None)
    # Longest forms first, so "Syrian regime forces" wins over "regime forces".
    alternatives = "|".join(re.escape(s) for s in sorted(actors, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE), actors


def find_actors(folded: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
    """Actors named in `folded[start:end]`, leftmost-longest, in text order."""
    pattern, actors = _dictionary()
    stop = len(folded) if end is None else end
    return [
        ActorMention(Span(m.start(), m.end()), actors[m.group(0).lower()])
        for m in pattern.finditer(folded, start, stop)
    ]
