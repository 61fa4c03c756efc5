"""Events: clauses that report an incident, with date, place, actors and fatalities.

Finding is `event_triggers`' work: each clause's triggers, typed in ACLED's taxonomy.
Writing: each event takes its date from the clause's time expressions (else the publication
date, flagged), its place from the most specific place in the clause (not one named for
another incident, "a day after the protest in Goma", nor a quarter named with its town, nor
where people came from; among places as specific, one after "in" or "near"; else the nearest
one before it; never a place of another country than the article's), its actors from the
actor dictionary and its fatalities from the clause's killed figures, summed across groups
(a victim named without a number is one; a coder's note in square brackets restates the
toll, and one that says how the toll was coded, "Fatalities coded as 0 (one side reported 3)",
sets it). The trigger table is run once over the whole text, not clause by clause. Later
sentences report with less confidence; one with no time or other place of its own tells
more of the last violent incident (its dead, the return fire that makes shelling a clash,
the weapon a bare attack used); a protest's next sentences can tell how it was met.
Reports of the same sub-type, place and date in one article are one event.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sitroom.extract.actors import actor_names
from sitroom.extract.event_lexicon import (
    DISPERSAL,
    EVENT_TYPES,
    EXCESSIVE_FORCE,
    PROTEST_GAP,
    SUBTYPES,
)
from sitroom.extract.event_places import article_country, choose_place, is_specific
from sitroom.extract.event_triggers import (
    Trigger,
    drop_restated_attacks,
    find_triggers,
    split_clauses,
)
from sitroom.extract.prefix_guard import guarded
from sitroom.extract.text import Document, SpanIndex
from sitroom.extract.trigger_scan import RowMatch, scan_triggers
from sitroom.extract.word_led import WordLedPattern
from sitroom.model import Event, Figure, PlaceMention, Sentence, Span, TimeMention, Window

__all__ = ["EVENT_TYPES", "SUBTYPES", "EventExtractor", "Trigger", "find_triggers", "split_clauses"]

BACKGROUND_DAYS = 90
LATER_SENTENCE_PENALTY = 0.05
#: How many sentences after a protest may tell how it was met.
FOLLOW_UP = 3
_SUBSET_BEFORE = re.compile(
    r"\b(?:including|among them|of them|of whom|incl\.?)\s+(?:at least\s+)?$"
)
# Any word of death: most clauses have none, and `_ONE_DEAD` is slow to say so.
_DEATH_WORDS = ("kill", "dead", "death", "died", "assassinat", "execut", "behead", "murder",
                "stabb", "lynch")  # fmt: skip
# One victim named without a number: "shot and killed a taxi driver", "the death of a
# bystander", "a prisoner died". Not a vague count ("killing a number of fighters").
_ONE_DEAD = re.compile(
    guarded(
        # Not "tried to kill a commander": an aim, not a death.
        r"\b(?<!to )(?:killed|killing|shot dead|assassinat\w+|executed|executing|beheaded|"
        r"murdered|stabbed|lynched|death of|dead|fatally (?:shot|stabbed))"
        r"(?: and (?:injured|wounded|beheaded))?"
        # "the driver", not "the two men" (a figure) nor "the villagers"
        r" (?:an?|one|him|her|the(?! [\w-]+s\b)(?! [\w-]+ [\w-]+s\b))\b"
        r"(?! (?:number|few|total|group|dozen|series|couple|handful)\b)"
        r"|\b(?:an?|one) (?!number|few|total|group|dozen|series|couple|handful)"
        r"[^.;,]{0,60}?\b(?:was|has been) (?:\w+ )?(?:killed|shot dead|murdered|executed|"
        r"beheaded|found dead|assassinated|stabbed to death)\b"
        r"|\b(?:an?|one) (?!number|few|total|group|dozen|series|couple|handful)"
        r"[^.;,]{0,40}?\bdied\b"
        # A body found: one death.
        r"|\bbody of (?:an?|one)\b|'s body was found\b"
    )
)
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
#: Stand-off fire that, answered by fire, is an exchange: an armed clash.
_ANSWERED = frozenset(
    {"Shelling/artillery/missile attack", "Grenade", "Remote explosive/landmine/IED"}
)
_ANOTHER_INCIDENT = WordLedPattern(
    guarded(
        r"\b(?:another|separate\w*|second|third|meanwhile|elsewhere|additionally|in addition|"
        r"on the same (?:day|date)|earlier|previous\w*)\b"
    )
)
# The other side answering fire: the incident was an exchange.
_RETURNED_FIRE = re.compile(
    r"\b"
    + guarded(
        r"\b(?:respond\w*|react\w*|return\w* fire|fired back|in response|in both directions|"
        r"exchang\w*|clash\w*)\b"
    )
)
_NAMED_AGAIN = re.compile(r"\b" + guarded(r"\b(?:him|her|the victim)\b"))
_GRAVER = frozenset({"Chemical weapon", "Suicide bomb"})
_GROUND_TAKEN = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
_HANDED_OVER = "Non-violent transfer of territory"
_HARMS = frozenset({"Abduction/forced disappearance", "Sexual violence"})
# A toll that one side claims, beside a toll already reported: ACLED keeps the lower.
_CLAIMED = re.compile(r"\b" + guarded(r"\b(?:claim\w*|according to|other (?:sources|reports))\b"))
# A coder's own count of the toll (ACLED's notes end with one): "Fatalities coded as 0 (the
# group's outlet reported 3)", "Dozens of fatalities and injuries coded as 6", "Fatalities are
# split across 3 events (4)", "Unknown fatalities coded as 10 and split between the two events
# with 5 coded to each". A toll coded for several events with no share named gives no count
# for this one.
_CODED_TOLL = re.compile(
    r"\bfatalities\s+(?:and\s+injuries\s+)?(?:are\s+|were\s+)?(?:"
    r"coded\s+as\s+(\d+)\b(?!,?\s+(?:and\s+)?(?:split|spread|distributed|divided)\b)"
    r"|(?:split|spread|distributed|divided)(?:\s+up)?\s+(?:across|between|over|among)\s+"
    r"[\w-]+\s+(?:events|locations)\s+\((\d+)\)"
    r"|coded\s+as\s+\d+\s+and\s+(?:split|spread|distributed|divided)\b[^.]*?"
    r"\bwith\s+(\d+)\s+coded\s+to\s+each\b)"
)
_DEADLY = frozenset(
    sub
    for kind in ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")
    for sub in EVENT_TYPES[kind]
) | {"Excessive force against protesters"}


@dataclass(frozen=True, slots=True)
class _Facts:
    """The document's facts that events draw on, indexed once per document."""

    places: SpanIndex[PlaceMention]
    specific_places: SpanIndex[PlaceMention]
    times: SpanIndex[TimeMention]
    killed: SpanIndex[Figure]
    ascii: bool
    #: The trigger table's matches in the whole text, with where each starts and ends.
    triggers: list[RowMatch]
    trigger_starts: list[int]
    trigger_ends: list[int]

    @classmethod
    def of(cls, doc: Document) -> _Facts:
        resolved = [m for m in doc.places if m.place is not None]
        country = article_country(resolved)
        # Places of another country than the article's are misreadings of a local name
        # ("Andar district, Ghazni" read as a village in France): events do not take them.
        coherent = [
            m
            for m in resolved
            if country is None or (m.place and m.place.country in (country, None))
        ]
        specific = [m for m in coherent if m.place and is_specific(m.place.kind)]
        triggers = scan_triggers(doc.lowered)
        return cls(
            places=SpanIndex(coherent),
            specific_places=SpanIndex(specific),
            times=SpanIndex([t for t in doc.times if t.window is not None]),
            killed=SpanIndex([f for f in doc.figures if f.measure == "killed"]),
            ascii=doc.text.isascii(),
            triggers=triggers,
            trigger_starts=[start for start, _, _ in triggers],
            trigger_ends=[end for _, end, _ in triggers],
        )


def _event_place(lowered: str, facts: _Facts, clause: Span) -> str | None:
    """The most specific place in the clause, else the nearest before it, else the first."""
    inside = [m for m in facts.places.within(clause) if m.place]
    if inside:
        chosen = choose_place(lowered, clause, inside)
        return chosen.place.id if chosen.place else None
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
        first = _first_within(facts.times, scope)
        if first is not None and first.window is not None:
            return first.window, False
    return (Window.day(published), True) if published else (None, True)


def _is_background(facts: _Facts, published: dt.date | None, clause: Span) -> bool:
    """A clause whose every time lies months before publication tells history, not news."""
    if published is None or not _any_within(facts.times, clause):
        return False
    windows = [t.window for t in facts.times.within(clause) if t.window is not None]
    return bool(windows) and all((published - w.end).days > BACKGROUND_DAYS for w in windows)


def _fatalities(doc: Document, facts: _Facts, clause: Span, *, deadly: bool) -> int | None:
    """The clause's dead summed across groups, as ACLED counts them: "3 soldiers and 2
    militants were killed" is 5; a part "including 2 commanders" is already in its total.

    A victim named without a number is one death, in a violent event only: a protest over
    "the killing of a student" killed no one.
    """
    killed = facts.killed.within(clause)
    told = [f for f in killed if not _in_note(doc.lowered, clause, f.span.start)]
    # A note in square brackets ("[1 fatality split among 3 events]") restates the toll.
    killed = told or killed
    parts = [
        f.value
        for f in killed
        if not _SUBSET_BEFORE.search(
            doc.lowered, max(clause.start, f.span.start - 16), f.span.start
        )
    ]
    if parts:
        return int(sum(parts))
    if killed:
        return int(max(f.value for f in killed))
    if not deadly:
        return None
    words = doc.lowered[clause.start : clause.end]
    if not any(map(words.__contains__, _DEATH_WORDS)):
        return None
    return 1 if _ONE_DEAD.search(doc.lowered, clause.start, clause.end) else None


def _in_note(lowered: str, clause: Span, offset: int) -> bool:
    """Whether `offset` stands inside square brackets, an editor's or a coder's note."""
    opening = lowered.rfind("[", clause.start, offset)
    return opening >= 0 and lowered.find("]", opening, offset) < 0


def _sentence_triggers(
    doc: Document, facts: _Facts, sentence: Span, *, known: list[RowMatch] | None = None
) -> list[Trigger]:
    """The triggers of the sentence's clauses that report news, not background.

    `known`, the sentence's trigger matches when the caller has them (`_matches_within`).
    """
    known = _matches_within(facts, sentence) if known is None else known
    if known == []:
        return []
    triggers: list[Trigger] = []
    # The lower case of an ASCII text is the text's, letter for letter: a fast path.
    ascii_lowered = doc.lowered if facts.ascii else None
    clauses = split_clauses(doc.text, sentence, ascii_lowered=ascii_lowered)
    if len(clauses) > 1 or clauses[0].start != sentence.start or clauses[0].end != sentence.end:
        known = None  # a match may cross where the sentence splits: each clause is scanned
    for clause in clauses:
        found = find_triggers(doc.lowered, clause, matches=known)
        if found and not _is_background(facts, doc.article.published, clause):
            triggers += found
    return triggers


def _events_in_sentence(
    doc: Document,
    facts: _Facts,
    sentence: Span,
    triggers: list[Trigger],
    *,
    index: int,
    detail: bool = False,
) -> list[tuple[Event, Trigger]]:
    """The sentence's events with their triggers (`_sentence_triggers`).

    A `detail` sentence tells more of an incident before it, which takes its violent
    reports' dead and actors but not their date or place: those are not read.
    """
    published = doc.article.published
    # News leads with its main incident: later sentences add detail and context.
    later = LATER_SENTENCE_PENALTY * min(index, 2)
    reports: list[tuple[Event, Trigger]] = []
    # Triggers of one clause, which come together, share its date, place, actors and dead.
    for _, group in itertools.groupby(drop_restated_attacks(triggers), key=_clause_start):
        told = list(group)
        clause = told[0].clause
        date: Window | None = None
        from_publication, place_id = False, None
        if not (detail and all(SUBTYPES[t.subtype] in _VIOLENT_TYPES for t in told)):
            date, from_publication = _event_date(facts, published, clause, sentence)
            place_id = _event_place(doc.lowered, facts, clause)
        actors = actor_names(doc.lowered, doc.folded, clause)
        confidence = later + (0.1 if from_publication else 0.0)
        tolls: dict[bool, int | None] = {}
        for trigger in told:
            deadly = trigger.subtype in _DEADLY
            if deadly not in tolls:
                tolls[deadly] = _fatalities(doc, facts, clause, deadly=deadly)
            event = Event(
                doc.article.id,
                clause,
                SUBTYPES[trigger.subtype],
                trigger.subtype,
                date,
                place_id,
                actors,
                tolls[deadly],
                round(trigger.strength - confidence, 2),
                from_publication,
            )
            reports.append((event, trigger))
    return reports


def _matches_within(facts: _Facts, sentence: Span) -> list[RowMatch] | None:
    """The document's trigger matches inside `sentence`, which a scan of the sentence alone
    finds too; None when a match crosses its ends, and the sentence must be scanned."""
    starts, ends = facts.trigger_starts, facts.trigger_ends
    lo = bisect.bisect_left(starts, sentence.start)
    hi = bisect.bisect_left(starts, sentence.end, lo)
    if (lo > 0 and ends[lo - 1] > sentence.start) or (hi > lo and ends[hi - 1] > sentence.end):
        return None
    return facts.triggers[lo:hi]


def _clause_start(trigger: Trigger) -> int:
    return trigger.clause.start


def _tells_more(doc: Document, facts: _Facts, sentence: Span, main: Event) -> bool:
    """A sentence with no time and no other place of its own that does not open another
    incident: it tells more of the one before ("Ten soldiers were reportedly killed.")."""
    return not (
        _any_within(facts.times, sentence)
        or any(m.place and m.place.id != main.place_id for m in facts.places.within(sentence))
        or _ANOTHER_INCIDENT.search(doc.lowered, sentence.start, sentence.end)
    )


def _first_within(index: SpanIndex[TimeMention], span: Span) -> TimeMention | None:
    """The first fact that lies inside `span`: what `within` lists first, without the list."""
    at = bisect.bisect_left(index.starts, span.start)
    facts = index.facts
    while at < len(facts) and facts[at].span.start < span.end:
        if span.contains(facts[at].span):
            return facts[at]
        at += 1
    return None


def _any_within(index: SpanIndex[TimeMention], span: Span) -> bool:
    """Whether a fact starts inside `span`: what `within` says, without listing them."""
    at = bisect.bisect_left(index.starts, span.start)
    return at < len(index.starts) and index.starts[at] < span.end


def _fold_details(
    doc: Document,
    facts: _Facts,
    sentence: Span,
    main: tuple[Event, Trigger],
    reports: list[tuple[Event, Trigger]],
) -> tuple[tuple[Event, Trigger], list[Event]]:
    """The main incident with what a later sentence adds to it, and the sentence's other
    events, reported below the main one."""
    kept: list[Event] = []
    event, trigger = main
    for detail, detail_trigger in reports:
        if detail.subtype == _HANDED_OVER and event.subtype in _GROUND_TAKEN:
            # "Militants took the village. They seized it after the army withdrew.": the
            # ground changed hands without a fight, as the later sentence tells.
            event = _retyped(event, _HANDED_OVER)
            continue
        if detail.type not in _VIOLENT_TYPES:
            # Weapons seized or men detained after an attack are a part of it, not the news.
            kept.append(replace(detail, confidence=min(detail.confidence, event.confidence - 0.05)))
            continue
        if (
            detail.fatalities is not None
            and not facts.killed.within(detail.span)
            and _says(doc, detail.span, _NAMED_AGAIN)
        ):
            # A victim named again ("ambushed and killed him"), counted in the main report.
            detail = replace(detail, fatalities=None)
        claimed = detail.fatalities is not None and _says(doc, sentence, _CLAIMED)
        event = _absorb(event, detail, claimed=claimed)
        if (
            detail.subtype == "Armed clash"
            and event.subtype in _ANSWERED
            and _says(doc, sentence, _RETURNED_FIRE)
        ):
            event = _retyped(event, "Armed clash")
        elif _specifies(event, trigger, detail_trigger):
            # "Gunmen attacked the village. Twelve residents were abducted.": an abduction.
            event, trigger = _retyped(event, detail.subtype), detail_trigger
    return (event, trigger), kept


def _says(doc: Document, sentence: Span, pattern: re.Pattern[str]) -> bool:
    return pattern.search(doc.lowered, sentence.start, sentence.end) is not None


def _specifies(event: Event, main: Trigger, detail: Trigger) -> bool:
    """Whether a later sentence names the harm or the weapon that the main report left open.

    A bare attack on people turns out to be an abduction, or a bombing ("The attack was
    carried out with grenades."); a bare attack on armed men stays a battle whatever its
    weapons, unless ground changed hands in it. Shells that carried a chemical agent, or a
    bomber who blew himself up, make any attack graver.
    """
    if detail.generic:
        return False
    if detail.subtype in _GRAVER:
        return main.generic or event.type == "Explosions/Remote violence"
    if detail.subtype in _GROUND_TAKEN:
        return event.subtype == "Armed clash"
    if not main.generic:
        return False
    return detail.subtype in _HARMS or (
        event.subtype == "Attack" and SUBTYPES[detail.subtype] == "Explosions/Remote violence"
    )


def _absorb(main: Event, detail: Event, *, claimed: bool) -> Event:
    """`main` with a detail's dead and actors; a toll one side claims is not added to a toll
    already reported."""
    fatalities = main.fatalities
    if detail.fatalities is not None and not (claimed and fatalities):
        fatalities = (fatalities or 0) + detail.fatalities
    actors = tuple(dict.fromkeys(main.actors + detail.actors))
    if fatalities == main.fatalities and actors == main.actors:
        return main
    return replace(main, fatalities=fatalities, actors=actors)


def _retyped(event: Event, subtype: str) -> Event:
    return replace(event, subtype=subtype, type=SUBTYPES[subtype])


def _events_of(doc: Document, facts: _Facts) -> list[Event]:
    """Each sentence's events; a sentence that tells more of the last violent incident adds
    to it instead of reporting an incident of its own."""
    found: list[Event] = []
    main: tuple[int, Trigger] | None = None
    for index, sentence in enumerate(doc.sentences):
        known = _matches_within(facts, sentence.span)
        if known == []:
            continue  # no trigger: no event
        triggers = _sentence_triggers(doc, facts, sentence.span, known=known)
        if not triggers:
            continue
        detail = main is not None and _tells_more(doc, facts, sentence.span, found[main[0]])
        reports = _events_in_sentence(
            doc, facts, sentence.span, triggers, index=index, detail=detail
        )
        if main is not None and detail:
            at, trigger = main
            (found[at], trigger), events = _fold_details(
                doc, facts, sentence.span, (found[at], trigger), reports
            )
            main = at, trigger
            found.extend(events)
            continue
        for event, trigger in reports:
            if event.type in _VIOLENT_TYPES:
                main = len(found), trigger
            found.append(event)
    return _with_coded_tolls(doc.lowered, found)


def _with_coded_tolls(lowered: str, found: list[Event]) -> list[Event]:
    """`found` with each toll a coder states (`_CODED_TOLL`) set on the incident it follows:
    the last violent event reported before it, else the last event before it."""
    if "fatalities" not in lowered:
        return found
    for match in _CODED_TOLL.finditer(lowered):
        before = [at for at, event in enumerate(found) if event.span.start < match.start()]
        if not before:
            continue
        violent = [at for at in before if found[at].type in _VIOLENT_TYPES]
        at = (violent or before)[-1]
        toll = int(next(value for value in match.groups() if value is not None))
        found[at] = replace(found[at], fatalities=toll)
    return found


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
    # Span's order keyed on plain ints: comparing two `Span`s runs Python code.
    return sorted(merged.values(), key=lambda e: (e.span.start, e.span.end))


_STATE_AGENTS = (
    r"\b(?:police\w*|security|soldiers|troops|military|army|gendarm\w*|authorities|officers|"
    r"forces)\b"
)
_PROTESTERS = r"\b(?:protesters?|demonstrators?|marchers)\b"
# A protest's later sentences can tell how it was met: "Police dispersed the crowd." The
# demonstrators' own violence first: force used on a riot leaves it a riot (ACLED's codebook).
_PROTEST_OUTCOMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Violent demonstration",
        re.compile(
            r"\b(?:protesters|demonstrators|rioters|crowds?|participants)\b"
            rf"[^.;]{{0,{PROTEST_GAP}}}?"
            r"\b(?:hurl\w*|thr[eo]w\w*|torch\w*|burn\w*|smash\w*|clash\w*|attacked|stoned|"
            r"vandal\w*|molotov)|\b(?:rioters?|rioting|scuffles|unrest|clashes|turned violent|"
            # Not "violence" alone: "an end to police violence" is what a protest asks.
            r"violent(?:ly)? (?:clash\w*|protests?|demonstrations?|confrontations?))\b"
        ),
    ),
    (
        "Excessive force against protesters",
        re.compile(rf"{_STATE_AGENTS}[^.;]{{0,{PROTEST_GAP}}}?\b(?:{EXCESSIVE_FORCE})\b"),
    ),
    (
        "Protest with intervention",
        re.compile(
            # Arrests in a later sentence are their own event: not every detainee protested;
            # but protesters arrested were the protest met with force ("Police detained 4
            # demonstrators."), as ACLED's codebook counts arrests as intervention.
            rf"{_STATE_AGENTS}[^.;]{{0,{PROTEST_GAP}}}?\b(?:{DISPERSAL}|"
            r"stopp?ed|assault\w*|did not allow|took down|moved)\b|"
            # A verb, not "the arrest of demonstrators", which is what protesters decry.
            rf"\b(?:arrest(?:ed|ing)|detain(?:ed|ing))\b[^.;]{{0,20}}?\b{_PROTESTERS}|"
            rf"{_PROTESTERS}[^.;]{{0,20}}?\b(?:was|were) (?:\w+ )?(?:arrested|detained)\b"
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
        found = _events_of(doc, _Facts.of(doc))
        return doc.with_layers(events=tuple(_merge_reports(_escalate_protests(doc, found))))
