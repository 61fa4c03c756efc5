"""Events: clauses that report an incident, typed in ACLED's taxonomy with date, place and actors.

Finding: each clause is matched against an ordered table of trigger patterns, one per
sub-type; a trigger inside a hypothetical, a warning or background history is not an event.
Writing: each event takes its date from the clause's time expressions (else the publication
date, flagged), its place from the most specific place in the clause (else the nearest one
before it), its actors from the actor dictionary and its fatalities from the clause's killed
figures. Reports of the same sub-type, place and date in one article are one event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from sitroom.extract.actors import find_actors
from sitroom.extract.text import Document, SpanIndex
from sitroom.model import Event, Figure, PlaceMention, Span, TimeMention, Window

__all__ = ["EVENT_TYPES", "SUBTYPES", "EventExtractor", "Trigger", "find_triggers", "split_clauses"]

#: ACLED's six event types and their 25 sub-types, plus sitroom's Displacement.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
    "Displacement": ("Displacement",),
}
SUBTYPES: dict[str, str] = {sub: kind for kind, subs in EVENT_TYPES.items() for sub in subs}

_PROTEST = (
    r"(?:protest\w*|demonstrat(?:ion|ions|ors|ed|ing)|rall(?:y|ies|ied)|sit-ins?|"
    r"marche[ds]\b|marchers)"
)


_GENERIC_ATTACK = "(attack)"
_RETAKEN, _TAKEN = "(retaken)", "(taken)"


def _around_protest(words: str) -> str:
    """A protest word and one of `words` in the same clause, in either order."""
    return rf"{_PROTEST}[^.;]*?(?:{words})|(?:{words})[^.;]*?{_PROTEST}"


# (sub-type, pattern, strength): earlier rows win when two triggers cover the same words.
_TRIGGER_TABLE: tuple[tuple[str, str, float], ...] = (
    (
        "Chemical weapon",
        r"chemical (?:weapons?|attacks?|agents?)|chlorine|sarin|mustard gas|toxic gas",
        0.9,
    ),
    (
        "Suicide bomb",
        r"suicide (?:bomb\w*|attack\w*|car bomb\w*|vests?|blasts?)|self-detonat\w+|"
        r"blew (?:himself|herself|themselves) up",
        0.9,
    ),
    (
        "Air/drone strike",
        r"air ?strikes?|air ?raids?|air attacks?|drone (?:strikes?|attacks?)|"
        r"warplanes?|fighter jets?|(?:helicopter )?gunships?|"
        r"aerial (?:bombardment|bombing|attacks?)|bombing (?:campaign|raids?)|barrel bombs?|"
        r"bombed",
        0.85,
    ),
    ("Grenade", r"grenades?", 0.8),
    (
        "Remote explosive/landmine/IED",
        r"\bieds?\b|improvised explosive|land ?mines?|roadside bombs?|"
        r"explosive devices?|car bombs?|booby[- ]trap\w*|bomb (?:blast|exploded|went off)|"
        r"(?:exploded|detonated)",
        0.75,
    ),
    (
        "Shelling/artillery/missile attack",
        # Monitors' "explosions" of unknown weapons are shelling in ACLED's coding.
        r"shell(?:ed|ing)|artillery|mortars?|rockets?|"
        r"missiles?|bombard\w*|explosions?|projectiles?",
        0.8,
    ),
    ("Sexual violence", r"\brap(?:e|ed|es)\b|sexual(?:ly)? (?:assault\w*|violence|abuse\w*)", 0.8),
    (
        "Abduction/forced disappearance",
        r"abduct\w*|kidnap\w*|taken hostage|forcibly disappeared",
        0.85,
    ),
    (
        "Excessive force against protesters",
        _around_protest(r"killed|shot dead|live (?:fire|ammunition)"),
        0.75,
    ),
    (
        "Violent demonstration",
        r"riot\w*|" + _around_protest(r"burn\w*|torch\w*|stones|rocks|vandal\w*|molotov"),
        0.7,
    ),
    (
        "Protest with intervention",
        _around_protest(r"tear ?gas|dispers\w*|arrested|detained|water cannon|rubber bullets"),
        0.7,
    ),
    # Above arrests: "protested against the arrest of" is a protest.
    ("Peaceful protest", _PROTEST, 0.72),
    ("Mob violence", r"\bmobs?\b|lynch\w*|vigilantes?", 0.6),
    # Who took ground decides the sub-type (`_territory_kind`); the verb is only a fallback.
    (_RETAKEN, r"regain\w*|recaptur\w*|retook|retak\w+|reclaim\w*", 0.6),
    (_TAKEN, r"captur\w*|seiz\w*|overr[au]n|took control of|taken control of|fell to", 0.55),
    (
        "Attack",
        r"(?:shot|stabbed|gunned) (?:dead|down)|executed|massacre\w*|assassinat\w*|"
        r"opened fire on (?:civilians|villagers|residents|worshippers|protesters|a crowd)|"
        r"attacked (?:civilians|villagers|a village)",
        0.7,
    ),
    ("Arrests", r"arrest\w*|detain\w*|taken into custody|apprehend\w*", 0.7),
    (
        "Agreement",
        r"cease-?fires?|truces?|(?:humanitarian )?pauses?|peace (?:deal|agreement|accord|talks)|"
        r"signed (?:a|an) (?:deal|agreement)|prisoner (?:exchange|swap)",
        0.7,
    ),
    (
        "Looting/property destruction",
        r"loot\w*|torched|set (?:fire|ablaze) to|vandali\w*|demolish\w*|plunder\w*|"
        r"burn(?:ed|t) (?:down )?(?:houses|homes|shops|property|vehicles)|"
        r"(?:took|taking|carried|carrying) away|stole|stolen|stealing|razed|"
        r"damaged (?:the|a|an|several) (?:\w+ )?(?:buildings?|offices?|houses?|homes?|shops?)",
        0.6,
    ),
    (
        "Disrupted weapons use",
        r"defus\w*|dismantl\w*|(?:weapons|arms) caches?|shot down|intercept\w*",
        0.6,
    ),
    (
        "Headquarters or base established",
        r"(?:established|set up) (?:a |an |new )?(?:base|headquarters|outposts?)",
        0.6,
    ),
    ("Non-violent transfer of territory", r"handed over|withdr[ae]w from|pulled out of", 0.5),
    (
        "Armed clash",
        r"clash\w*|fighting|fought|firefights?|exchanges? of fire|exchanged fire|"
        r"gun ?battles?|ambush\w*|skirmish\w*|offensive|assault|push(?:ed|ing) into|"
        r"attacked (?:positions?|a checkpoint|an army|a military|troops|soldiers|police)|"
        r"incursions?|thwart\w*|repel\w*|repuls\w*|(?:military|security) operations?|"
        r"during an operation|exchanged \w+(?: \w+)? with|"
        r"(?:shots|bursts) of fire|small arms fire|exchanged (?:gun)?fire",
        0.6,
    ),
    (
        # An attack of no stated kind: an armed clash if it hit armed men, else an attack on
        # civilians (`_ARMED_TARGET` decides, as ACLED's codebook does by the target).
        _GENERIC_ATTACK,
        r"attack(?:s|ed)?|killed by|shot|snipers?|raid(?:s|ed)?|stormed|"
        r"opened fire|wounded by|killed in an attack",
        0.5,
    ),
    (
        "Change to group/activity",
        r"recruit\w*|curfew|mobili[sz]\w*|reinforcements?|defect\w*|joined the|"
        r"movement of forces|security measures|military column|convoy of troops",
        0.45,
    ),
    (
        "Displacement",
        r"displac\w*|\bfled\b|flee\w*|exodus|forced from (?:their|his|her) homes|"
        r"uprooted|on the move",
        0.6,
    ),
)
# One pattern for the whole table, run once per clause over lower-cased text: three times
# faster than a pattern per row. At one position the earlier row's alternative wins.
_TRIGGERS = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<t{i}>{pattern})" for i, (_, pattern, _) in enumerate(_TRIGGER_TABLE))
    + r")(?![\w-])"
)
# Words before a trigger that make it a possibility, a warning or a plan, not an incident.
# "may" next to a number is the month ("9 May 2020", "May 9"), not the modal.
_IRREALIS = re.compile(  # searched in lower-cased text
    r"\b(?:might|could|would|(?<!\d )may(?! \d)|threaten\w*|warn\w*|fear\w*|risk of|"
    r"plans? to|planning to|vow\w* to|call\w* for|calling for|urg\w*|if|unless|prevent\w*|"
    r"avoid\w*|without)\b[^.;]*$"
)
# Words before an agreement trigger that report its end, not its making.
_AGREEMENT_ENDED_AFTER = re.compile(
    r"\s+(?:has |had |was |which )?(?:collapsed|broke down|ended|expired|violated|breached|failed)"
)
_AGREEMENT_ENDED = re.compile(
    r"\b(?:collapse\w* of|broke down|breach\w* of|violat\w*|end of|ended|expir\w*|despite)\b"
    r"[^.;]{0,30}$",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but)\s|\s+(?:while|whereas)\s", re.IGNORECASE)
BACKGROUND_DAYS = 90
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_ARMED_TARGET = re.compile(
    r"\b(?:soldiers?|troops|police\w*|security (?:forces|personnel|officers)|army|military|"
    r"militi\w+|militants?|fighters?|rebels?|insurgents?|check ?points?|convoys?|bases?|posts?|"
    r"positions?|checkpoints?|forces|arbakis?|guards?|commanders?)\b"
)
_PLACE_PRECISION = {"village": 0, "city": 0, "region": 1, "admin1": 2, "country": 3}


@dataclass(frozen=True, slots=True)
class Trigger:
    """Words in a clause that report an incident of one sub-type."""

    subtype: str
    span: Span
    clause: Span
    strength: float
    #: Typed from a bare "attack" or "killed by", not from words naming a kind of violence.
    generic: bool = False


def split_clauses(text: str, sentence: Span) -> list[Span]:
    """The clauses of a sentence, split at semicolons and contrastive conjunctions."""
    clauses, start = [], sentence.start
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        if match.start() > start:
            clauses.append(Span(start, match.start()))
        start = match.end()
    if sentence.end > start:
        clauses.append(Span(start, sentence.end))
    return clauses


def find_triggers(lowered: str, clause: Span) -> list[Trigger]:
    """Event triggers in a clause of lower-cased text: one per sub-type, none in irrealis."""
    found: dict[str, Trigger] = {}
    generic: Trigger | None = None
    for match in _TRIGGERS.finditer(lowered, clause.start, clause.end):
        subtype, _, strength = _TRIGGER_TABLE[int(str(match.lastgroup)[1:])]
        span = Span(match.start(), match.end())
        if subtype in found or _is_irrealis(lowered, clause, span, subtype):
            continue
        if subtype in (_RETAKEN, _TAKEN):
            subtype = _territory_kind(lowered, clause, span, retaken=subtype == _RETAKEN)
        if subtype == _GENERIC_ATTACK:
            kind = _attack_kind(lowered, Span(span.start, clause.end))
            generic = generic or Trigger(kind, span, clause, strength, generic=True)
            continue
        found[subtype] = Trigger(subtype, span, clause, strength)
    if generic is not None and generic.subtype not in found:
        found[generic.subtype] = generic
    return sorted(found.values(), key=lambda t: t.span)


def _drop_restated_attacks(triggers: list[Trigger]) -> list[Trigger]:
    """Bare attacks in a sentence that names a more specific kind of violence, dropped.

    "The attack" after "an air strike" is the strike again.
    """
    specific = any(not t.generic and SUBTYPES[t.subtype] in _VIOLENT_TYPES for t in triggers)
    return [t for t in triggers if not (t.generic and specific)]


def _territory_kind(lowered: str, clause: Span, trigger: Span, *, retaken: bool) -> str:
    """Ground taken by state forces is regained by the government; by anyone else, overtaken."""
    actors = find_actors(lowered, clause.start, trigger.start)
    # With no actor named, the verb decides: "recaptured" is the government's word.
    state = any(m.actor.interaction == 1 for m in actors) if actors else retaken
    return "Government regains territory" if state else "Non-state actor overtakes territory"


def _attack_kind(lowered: str, target: Span) -> str:
    """An attack on armed men is an armed clash; on anyone else, violence against civilians.

    `target` runs from the attack word to the end of its clause: the attacker, named before
    it ("militants shot a teacher"), does not make the victim armed.
    """
    armed = _ARMED_TARGET.search(lowered, target.start, target.end)
    return "Armed clash" if armed else "Attack"


def _is_irrealis(lowered: str, clause: Span, span: Span, subtype: str) -> bool:
    before = lowered[clause.start : span.start]
    if _IRREALIS.search(before):
        return True
    if subtype != "Agreement":
        return False
    after = lowered[span.end : min(clause.end, span.end + 40)]
    return bool(_AGREEMENT_ENDED.search(before) or _AGREEMENT_ENDED_AFTER.match(after))


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


def _fatalities(facts: _Facts, clause: Span) -> int | None:
    killed = [f.value for f in facts.killed.within(clause)]
    return int(max(killed)) if killed else None


def _actors(doc: Document, clause: Span) -> tuple[str, ...]:
    names = [m.actor.name for m in find_actors(doc.folded, clause.start, clause.end)]
    return tuple(dict.fromkeys(names))


def _events_in_sentence(doc: Document, facts: _Facts, sentence: Span) -> Iterator[Event]:
    published = doc.article.published
    clauses = [
        c for c in split_clauses(doc.text, sentence) if not _is_background(facts, published, c)
    ]
    triggers = [t for c in clauses for t in find_triggers(doc.lowered, c)]
    for trigger in _drop_restated_attacks(triggers):
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
            fatalities=_fatalities(facts, clause),
            confidence=round(trigger.strength - (0.1 if from_publication else 0.0), 2),
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


class EventExtractor:
    """Pipeline component: adds `events`, one per incident the article reports."""

    name = "events"
    requires: tuple[str, ...] = ("times", "places", "figures")
    provides: tuple[str, ...] = ("events",)

    def __call__(self, doc: Document) -> Document:
        """The document with its events."""
        facts = _Facts.of(doc)
        found = [e for s in doc.sentences for e in _events_in_sentence(doc, facts, s.span)]
        return replace(doc, events=tuple(_merge_reports(found)))
