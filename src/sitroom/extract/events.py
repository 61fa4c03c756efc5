"""Events: clauses that report an incident, with date, place, actors and fatalities.

Finding is `event_triggers`' work: each clause's triggers, typed in ACLED's taxonomy.
Writing: each event takes its date from the clause's time expressions (else the publication
date, flagged), its place from the most specific place in the clause (else the nearest one
before it), its actors from the actor dictionary and its fatalities from the clause's killed
figures, summed across groups. Later sentences report with less confidence; a protest's next
sentences can tell how it was met. Reports of the same sub-type, place and date in one
article are one event.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from sitroom.extract.actors import find_actors
from sitroom.extract.event_lexicon import DISPERSAL, EVENT_TYPES, EXCESSIVE_FORCE, SUBTYPES
from sitroom.extract.event_triggers import (
    Trigger,
    drop_restated_attacks,
    find_triggers,
    split_clauses,
)
from sitroom.extract.text import Document, SpanIndex
from sitroom.model import Event, Figure, PlaceMention, Sentence, Span, TimeMention, Window

__all__ = ["EVENT_TYPES", "SUBTYPES", "EventExtractor", "Trigger", "find_triggers", "split_clauses"]

BACKGROUND_DAYS = 90
LATER_SENTENCE_PENALTY = 0.05
#: How many sentences after a protest may tell how it was met.
FOLLOW_UP = 3
_SUBSET_BEFORE = re.compile(
    r"\b(?:including|among them|of them|of whom|incl\.?)\s+(?:at least\s+)?$"
)
_PLACE_PRECISION = {"village": 0, "city": 0, "region": 1, "admin1": 2, "country": 3}


@dataclass(frozen=True, slots=True)
class _Facts:
    """The document's facts that events draw on, indexed once per document."""

    places: SpanIndex[PlaceMention]
    specific_places: SpanIndex[PlaceMention]
    times: SpanIndex[TimeMention]
    killed: SpanIndex[Figure]

    @classmethod
    def of(cls, doc: Document) -> _Facts:
        resolved = [m for m in doc.places if m.place is not None]
        specific = [m for m in resolved if m.place and _is_specific(m.place.kind)]
        return cls(
            places=SpanIndex(resolved),
            specific_places=SpanIndex(specific),
            times=SpanIndex([t for t in doc.times if t.window is not None]),
            killed=SpanIndex([f for f in doc.figures if f.measure == "killed"]),
        )


def _is_specific(kind: str) -> bool:
    return _PLACE_PRECISION.get(kind, 4) <= 1


def _event_place(facts: _Facts, clause: Span) -> str | None:
    """The most specific place in the clause, else the nearest before it, else the first."""
    inside = [m.place for m in facts.places.within(clause) if m.place]
    if inside:
        return min(inside, key=lambda p: _PLACE_PRECISION.get(p.kind, 4)).id
    nearest = facts.specific_places.nearest_before(clause.start) or facts.places.nearest_before(
        clause.start
    )
    fallback = nearest or facts.specific_places.first() or facts.places.first()
    return fallback.place.id if fallback and fallback.place else None


def _event_date(
    facts: _Facts, published: dt.date | None, clause: Span, sentence: Span
) -> tuple[Window | None, bool]:
    """The clause's (else the sentence's) first resolved time window, else the publication day."""
    for scope in (clause, sentence):
        windows = [t.window for t in facts.times.within(scope) if t.window is not None]
        if windows:
            return windows[0], False
    return (Window.day(published), True) if published else (None, True)


def _is_background(facts: _Facts, published: dt.date | None, clause: Span) -> bool:
    """A clause whose every time lies months before publication tells history, not news."""
    windows = [t.window for t in facts.times.within(clause) if t.window is not None]
    if published is None or not windows:
        return False
    return all((published - w.end).days > BACKGROUND_DAYS for w in windows)


def _fatalities(doc: Document, facts: _Facts, clause: Span) -> int | None:
    """The clause's dead summed across groups, as ACLED counts them: "3 soldiers and 2
    militants were killed" is 5; a part "including 2 commanders" is already in its total."""
    killed = facts.killed.within(clause)
    parts = [
        f.value
        for f in killed
        if not _SUBSET_BEFORE.search(
            doc.lowered, max(clause.start, f.span.start - 16), f.span.start
        )
    ]
    return int(sum(parts)) if parts else (int(max(f.value for f in killed)) if killed else None)


def _actors(doc: Document, clause: Span) -> tuple[str, ...]:
    names = [m.actor.name for m in find_actors(doc.folded, clause.start, clause.end)]
    return tuple(dict.fromkeys(names))


def _events_in_sentence(
    doc: Document, facts: _Facts, sentence: Span, *, index: int
) -> Iterator[Event]:
    published = doc.article.published
    # News leads with its main incident: later sentences add detail and context.
    later = LATER_SENTENCE_PENALTY * min(index, 2)
    clauses = [
        c for c in split_clauses(doc.text, sentence) if not _is_background(facts, published, c)
    ]
    triggers = [t for c in clauses for t in find_triggers(doc.lowered, c)]
    for trigger in drop_restated_attacks(triggers):
        clause = trigger.clause
        date, from_publication = _event_date(facts, published, clause, sentence)
        yield Event(
            article_id=doc.article.id,
            span=clause,
            type=SUBTYPES[trigger.subtype],
            subtype=trigger.subtype,
            date=date,
            place_id=_event_place(facts, clause),
            actors=_actors(doc, clause),
            fatalities=_fatalities(doc, facts, clause),
            confidence=round(trigger.strength - later - (0.1 if from_publication else 0.0), 2),
            date_from_publication=from_publication,
        )


def _merge_reports(events: Iterable[Event]) -> list[Event]:
    """One event per sub-type, place and date: the headline and the body report one incident."""
    merged: dict[tuple[str, str | None, Window | None], Event] = {}
    for event in events:
        key = (event.subtype, event.place_id, event.date)
        first = merged.get(key)
        if first is None:
            merged[key] = event
            continue
        fatalities = max(
            (f for f in (first.fatalities, event.fatalities) if f is not None), default=None
        )
        actors = tuple(dict.fromkeys(first.actors + event.actors))
        confidence = max(first.confidence, event.confidence)
        merged[key] = replace(first, fatalities=fatalities, actors=actors, confidence=confidence)
    return sorted(merged.values(), key=lambda e: e.span)


_STATE_AGENTS = (
    r"\b(?:police\w*|security|soldiers|troops|military|army|gendarm\w*|authorities|officers|"
    r"forces)\b"
)
# A protest's later sentences can tell how it was met: "Police dispersed the crowd."
_PROTEST_OUTCOMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Excessive force against protesters",
        re.compile(rf"{_STATE_AGENTS}[^.;]*?\b(?:{EXCESSIVE_FORCE})\b"),
    ),
    (
        "Violent demonstration",
        re.compile(
            r"\b(?:protesters|demonstrators|rioters|crowds?|participants)\b[^.;]*?"
            r"\b(?:hurl\w*|thr[eo]w\w*|torch\w*|burn\w*|smash\w*|clash\w*|attacked|stoned|"
            r"vandal\w*|molotov)|\b(?:violen\w*|rioters?|rioting|scuffles|unrest|clashes)\b"
        ),
    ),
    (
        "Protest with intervention",
        re.compile(
            # Arrests in a later sentence are their own event: not every detainee protested.
            rf"{_STATE_AGENTS}[^.;]*?\b(?:{DISPERSAL}|"
            r"stopp?ed|assault\w*|did not allow|took down|moved)\b"
        ),
    ),
)


def _escalate_protests(doc: Document, events: list[Event]) -> list[Event]:
    """Peaceful protests that the next sentences show were dispersed, violent or fired on."""
    if not any(e.subtype == "Peaceful protest" for e in events):
        return events
    starts = [s.span.start for s in doc.sentences]
    escalated = []
    for event in events:
        outcome = None
        if event.subtype == "Peaceful protest":
            following = bisect.bisect_left(starts, event.span.end)
            outcome = _protest_outcome(doc, doc.sentences[following : following + FOLLOW_UP])
        escalated.append(
            replace(event, subtype=outcome, type=SUBTYPES[outcome]) if outcome else event
        )
    return escalated


def _protest_outcome(doc: Document, sentences: Iterable[Sentence]) -> str | None:
    """The gravest way `sentences` say a protest was met, if they say so."""
    spans = [s.span for s in sentences]
    for subtype, pattern in _PROTEST_OUTCOMES:
        if any(pattern.search(doc.lowered, span.start, span.end) for span in spans):
            return subtype
    return None


class EventExtractor:
    """Pipeline component: adds `events`, one per incident the article reports."""

    name = "events"
    requires: tuple[str, ...] = ("times", "places", "figures")
    provides: tuple[str, ...] = ("events",)

    def __call__(self, doc: Document) -> Document:
        """The document with its events."""
        facts = _Facts.of(doc)
        found = [
            event
            for index, sentence in enumerate(doc.sentences)
            for event in _events_in_sentence(doc, facts, sentence.span, index=index)
        ]
        return replace(doc, events=tuple(_merge_reports(_escalate_protests(doc, found))))
