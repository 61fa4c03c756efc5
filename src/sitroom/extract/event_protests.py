"""Protests, riots and mob violence: how a protest went, and when a crowd's violence is a mob's.

A protest is typed by the gravest way its clause says it went, though a milder reading matched
the same words first; demonstrators who clashed, threw stones or vandalised make it a riot
whatever force met them (ACLED keeps excessive force and intervention for peaceful
protesters); fire on peaceful protesters is excessive force; men arrested for a protest were
arrested, not protesting; an attack by a mob or a crowd no armed group leads is mob violence.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sitroom.extract.event_clause import ARMED_TARGET, PASSIVE_BEFORE, REPORTED, Clause, Trigger
from sitroom.extract.event_lexicon import (
    ARREST_CAUSE,
    CROWD,
    DISPERSAL,
    ESCALATED,
    EXCESSIVE_FORCE,
    GRIEVANCE,
    ORGANISED_ARMED,
    PROTEST,
    PROTEST_GAP,
    RIOTING,
    RIOTING_PROTEST,
    TRIGGER_TABLE,
)
from sitroom.extract.not_events import is_irrealis
from sitroom.extract.prefix_guard import TwinPattern, guarded
from sitroom.model import Span

__all__ = [
    "PROTEST_FAMILY",
    "arrested_for_protesting",
    "fired_on_protesters",
    "gravest_protest",
    "is_crowd_clash",
    "mob_violence",
    "riot_over_force",
    "troops_marched",
]


# How a protest went, gravest first. One match hides the rows it overlaps: "police fired tear
# gas in clashes with protesters" reads as an intervention from "tear gas" to "protesters",
# and the clashes inside it are never matched, so each graver row is asked alone.
_PROTEST_WORDS = {
    "Excessive force against protesters": EXCESSIVE_FORCE,
    "Violent demonstration": rf"riot\w*|{RIOTING}|{ESCALATED}",
    "Protest with intervention": rf"{DISPERSAL}|arrest\w*|detain\w*",
}
# (sub-type, its row's pattern, the words without which the row cannot match, strength)
_PROTEST_ROWS = tuple(
    (
        marker,
        TwinPattern(r"\b(?<![\w-])" + guarded(f"(?:{pattern})") + r"(?![\w-])"),
        TwinPattern(r"\b" + guarded(f"(?:{_PROTEST_WORDS[marker]})")),
        strength,
    )
    for marker, pattern, strength in TRIGGER_TABLE
    if marker in _PROTEST_WORDS
)
_RIOTING_PROTEST = TwinPattern(r"\b(?<![\w-])" + guarded(f"(?:{RIOTING_PROTEST})") + r"(?![\w-])")
_FORCE_MET = ("Excessive force against protesters", "Protest with intervention")
PROTEST_FAMILY = frozenset({row[0] for row in _PROTEST_ROWS} | {"Peaceful protest"})
_FORCE = "Excessive force against protesters"
_FORCE_STRENGTH = next(s for m, _, s in TRIGGER_TABLE if m == _FORCE)
_PROTESTERS = re.compile(r"\b(?:protesters?|demonstrators?|marchers)\b")
# Fire, the words of `DIRECT_FIRE` that hit people: gunfire, rifles, shots.
_FIRED = re.compile(r"gun ?fire|gunshots?|shots|rifles?|small arms")
_PROTEST_CAUSE = re.compile(rf"\b(?:{PROTEST})[^.;]{{0,{PROTEST_GAP}}}?{GRIEVANCE}")
_RIOTING = re.compile(r"\b" + guarded(f"(?:{RIOTING})"))
_ARREST_CAUSE = re.compile(ARREST_CAUSE)
#: What a mob does that is mob violence: an attack, or rioting where no protest is named.
_MOB_DEEDS = ("Attack", "Violent demonstration")
_PROTEST_WORD = re.compile(r"\b" + guarded(PROTEST))
#: How far before its verb an attack's subject is looked for.
_SUBJECT_REACH = 80


def gravest_protest(lowered: str, clause: Span, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """`found` with the gravest way the clause says its protest went, which a milder match
    over the same words may have hidden: looked for from the milder match on, as far as a
    protest word and its outcome may stand apart, where the graver row's words occur."""
    milder = [t.span for subtype, t in found.items() if subtype in PROTEST_FAMILY]
    start = min(span.start for span in milder)
    end = min(clause.end, max(span.end for span in milder) + PROTEST_GAP + 40)
    for subtype, pattern, words, strength in _PROTEST_ROWS:
        if subtype in found:
            return found
        if not words.for_text(lowered).search(lowered, start, end):
            continue
        for match in pattern.for_text(lowered).finditer(lowered, start, end):
            span = Span(match.start(), match.end())
            if not is_irrealis(lowered, clause, span, subtype):
                return {**found, subtype: Trigger(subtype, span, clause, strength)}
    return found


def riot_over_force(lowered: str, clause: Span, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """A protest met with force whose demonstrators clashed, threw stones or vandalised is a
    violent demonstration, as ACLED's codebook has it: excessive force and intervention are
    what peaceful protesters meet."""
    met = [found[sub] for sub in _FORCE_MET if sub in found]
    if not met:
        return found
    start = min(t.span.start for t in met)
    start = max(clause.start, start - PROTEST_GAP - 40)
    for match in _RIOTING_PROTEST.for_text(lowered).finditer(lowered, start, clause.end):
        span = Span(match.start(), match.end())
        if not is_irrealis(lowered, clause, span, "Violent demonstration"):
            strength = max(t.strength for t in met)
            kept = {sub: t for sub, t in found.items() if sub not in _FORCE_MET}
            riot = Trigger("Violent demonstration", span, clause, strength)
            return {**kept, "Violent demonstration": riot}
    return found


def mob_violence(lowered: str, clause: Span, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """An attack by a mob, or by a crowd of people no armed group leads, is mob violence in
    ACLED's codebook ("a mob beat a man", "angry villagers killed a thief"); so is rioting
    by a mob where no protest is named."""
    mob = found.get("Mob violence")
    named = mob is not None and lowered.startswith(("mob", "lynch"), mob.span.start)
    done = [found[sub] for sub in _MOB_DEEDS if sub in found]
    if named and mob is not None:
        if "Violent demonstration" in found and _names_protest(lowered, clause):
            done = [t for t in done if t.subtype != "Violent demonstration"]
    elif "Attack" in found and _crowd_attacker(lowered, clause, found["Attack"].span):
        mob = found["Attack"]
        done = [mob]
    else:
        return found
    if not done or mob is None:
        return found
    kept = {sub: t for sub, t in found.items() if t not in done}
    strength = max(mob.strength, *(t.strength for t in done))
    return {
        **kept,
        "Mob violence": replace(mob, subtype="Mob violence", strength=strength, generic=False),
    }


def _names_protest(lowered: str, clause: Span) -> bool:
    return _PROTEST_WORD.search(lowered, clause.start, clause.end) is not None


def _crowd_attacker(lowered: str, clause: Span, trigger: Span) -> bool:
    """Whether a crowd did the attack: named before its active verb, after whoever reports
    it, with no armed men among them ("angry residents killed a thief")."""
    if lowered.startswith("attack", trigger.start) or PASSIVE_BEFORE.search(
        lowered, max(clause.start, trigger.start - 14), trigger.start
    ):
        return False  # "attacks" may be a noun; a passive verb's subject was the victim
    # The subject stands in the verb's own phrase: after the last comma before it.
    begin = max(clause.start, trigger.start - _SUBJECT_REACH)
    begin = max(begin, lowered.rfind(",", begin, trigger.start) + 1)
    if not CROWD.search(lowered, begin, trigger.start):
        return False  # most attacks: no crowd named before the verb, asked first
    # After whoever reports it: "residents said gunmen killed".
    reported = REPORTED.finditer(lowered, begin, trigger.start)
    begin = max((said.end() for said in reported), default=begin)
    return bool(
        CROWD.search(lowered, begin, trigger.start)
        and not ORGANISED_ARMED.search(lowered, begin, trigger.start)
        and not ARMED_TARGET.search(lowered, begin, trigger.start)
    )


def fired_on_protesters(
    lowered: str, clause: Span, found: dict[str, Trigger]
) -> dict[str, Trigger]:
    """Fire or a bare attack that hit protesters, where a protest is named and its
    demonstrators did no violence: excessive force against protesters."""
    attack = found["Attack"]
    if not (attack.generic or _FIRED.match(lowered, attack.span.start)) or not _PROTESTERS.search(
        lowered, clause.start, clause.end
    ):
        return found
    if _RIOTING.search(lowered, clause.start, clause.end) or _PROTEST_CAUSE.search(
        lowered, clause.start, attack.span.start
    ):
        return found  # a riot, or a protest over a shooting ("to demand justice for a man shot")
    kept = {sub: t for sub, t in found.items() if sub != "Attack"}
    if _FORCE in kept:
        return kept
    # The row's strength: force on a protest outranks the protest, as the row does.
    force = replace(attack, subtype=_FORCE, strength=max(attack.strength, _FORCE_STRENGTH))
    return {**kept, _FORCE: replace(force, generic=False)}


def arrested_for_protesting(lowered: str, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """Men arrested for a protest, or before one, were not arrested at it: "police detained
    activists who organised the protests" reports arrests, not a protest."""
    arrest, protest = found["Arrests"], found["Peaceful protest"]
    if arrest.span.end > protest.span.start or not _ARREST_CAUSE.search(
        lowered, arrest.span.end, protest.span.start
    ):
        return found
    return {sub: t for sub, t in found.items() if sub != "Peaceful protest"}


def troops_marched(lowered: str, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """ "Marched" in a clause of battle or taken ground is troops on the move, not a protest:
    "forces captured a town and marched deeper into the city"."""
    if not lowered.startswith("march", found["Peaceful protest"].span.start):
        return found
    return {sub: t for sub, t in found.items() if sub != "Peaceful protest"}


def is_crowd_clash(clause: Clause) -> bool:
    """A clash of crowds with each other or with police, no armed group in it: a riot."""
    return clause.search(CROWD) is not None and clause.search(ORGANISED_ARMED) is None
