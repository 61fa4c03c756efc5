"""Event triggers: the words in a clause that report an incident, typed in ACLED's taxonomy.

Each clause is matched against the ordered trigger table (`event_lexicon`); a trigger inside
a hypothetical, a warning, a claim or background history is not an event (`not_events`).
Some triggers are typed by their context, as ACLED's codebook does: an attack, a killing,
an operation or a detention by whom it hit (`event_clause`), a verb of taking or a
withdrawal by what changed hands (`event_territory`), a protest by how it went and a crowd's
violence by who led it (`event_protests`). Here the clause's triggers are found, typed, and
weighed against each other: heavy weapons named after a clash are its weapons, goods taken
or men detained where people were killed are a part of the violence, a bare attack after a
named kind of violence restates it, people hurt by a mine left from an old war were hurt by
no attack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from sitroom.extract.event_clause import (
    HARMED,
    OBJECT_END,
    Clause,
    Trigger,
    arrest_kind,
    attack_kind,
    fire_kind,
    harm_kind,
    is_armed,
)
from sitroom.extract.event_lexicon import (
    DIRECT_FIRE,
    EVENT_TYPES,
    GENERIC_ATTACK,
    OPERATION,
    RETAKEN,
    SUBTYPES,
    TAKEN,
    TRIGGER_TABLE,
    WAR_REMNANTS,
    WITHDRAWN,
)
from sitroom.extract.event_protests import (
    PROTEST_FAMILY,
    arrested_for_protesting,
    fired_on_protesters,
    gravest_protest,
    is_crowd_clash,
    mob_violence,
    riot_over_force,
    troops_marched,
)
from sitroom.extract.event_territory import (
    GROUND_TAKEN,
    ground_over_fire,
    taking_kind,
    withdrawal_kind,
)
from sitroom.extract.not_events import SUPPORT_STRENGTH, is_irrealis, is_supporting
from sitroom.extract.prefix_guard import guarded
from sitroom.extract.trigger_scan import ROWS, RowMatch, clause_matches
from sitroom.model import Span

__all__ = ["Trigger", "drop_restated_attacks", "find_triggers", "split_clauses"]


#: Markers whose sub-type the rest of the clause decides (`_subtype_of`).
_CONTEXT_TYPED = frozenset(
    {
        *(RETAKEN, TAKEN, WITHDRAWN, GENERIC_ATTACK, DIRECT_FIRE, OPERATION),
        *("Armed clash", "Arrests", "Abduction/forced disappearance"),
    }
)
_CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but)\s|\s+(?:while|whereas)\s", re.IGNORECASE)
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_SIDE_ACT_STRENGTH = 0.45
_SIDE_ACTS = frozenset({"Looting/property destruction", "Arrests"})
_KILLING = re.compile(r"\b" + guarded(r"\b(?:killed|beheaded|executed|murdered|found dead)\b"))
_DISRUPTED_STRENGTH = next(s for m, _, s in TRIGGER_TABLE if m == "Disrupted weapons use")
_BATTLES = frozenset(EVENT_TYPES["Battles"])
_WAR_REMNANT = re.compile(WAR_REMNANTS)
_HURT = re.compile(r"(?:killed|killing|wounded|injured|injuring)\b")
# Words that say both sides fought, whatever the weapons.
_FOUGHT = re.compile(r"clash\w*|fought|fighting|firefights?|gun ?battles?|exchang\w*")
# Small arms fired one way at homes, farms or villages beside heavy weapons: one bombardment
# from afar, shelling as ACLED codes it; fired at positions or troops, the sides engaged.
_ONE_WAY_FIRE = re.compile(r"small arms|gun ?fire|rifles?|shots")
_FIRED_AT = re.compile(r"\bat\s")
_DWELLINGS = re.compile(
    r"\b(?:residential|villages?|farms?|homes?|houses?|neighbou?rhoods?|populated)\b"
)


def split_clauses(text: str, sentence: Span, *, ascii_lowered: str | None = None) -> list[Span]:
    """The clauses of a sentence, split at semicolons and contrastive conjunctions.

    `ascii_lowered`, the lower case of an ASCII `text`, lets a sentence with none of the
    break words skip the pattern: most sentences, found by four scans for a literal.
    """
    if ascii_lowered is not None and not _may_break(ascii_lowered, sentence):
        return [sentence]
    clauses, start = [], sentence.start
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        if match.start() > start:
            clauses.append(Span(start, match.start()))
        start = match.end()
    if sentence.end > start:
        clauses.append(Span(start, sentence.end))
    return clauses


def _may_break(lowered: str, sentence: Span) -> bool:
    """Whether the sentence holds what every match of `_CLAUSE_BREAK` holds, in lower case."""
    start, end = sentence.start, sentence.end
    find = lowered.find
    # Written out, not a loop over the words: this runs for every sentence.
    return (
        find(";", start, end) >= 0
        or find("while", start, end) >= 0
        or find("whereas", start, end) >= 0
        or find("but", start, end) >= 0
    )


def find_triggers(
    lowered: str, clause: Span, *, matches: Iterable[RowMatch] | None = None
) -> list[Trigger]:
    """Event triggers in a clause of lower-cased text: one per sub-type, none in irrealis.

    `matches`, the trigger table's matches inside the clause when they are known (from
    `scan_triggers`, where none crosses the clause's ends), spare a scan of the clause.
    """
    if matches is None:
        matches = clause_matches(lowered, clause.start, clause.end)
    found: dict[str, Trigger] = {}
    generic: Trigger | None = None
    armed_hit = False
    context: Clause | None = None  # made at the first trigger: most clauses have none
    for start, end, row in matches:
        marker, strength = ROWS[row]
        span = Span(start, end)
        if is_irrealis(lowered, clause, span, marker):
            continue
        if marker in _CONTEXT_TYPED:
            context = context or Clause(lowered, clause)
            subtype = _subtype_of(context, span, marker)
            if subtype is None:
                continue
            if subtype == "Disrupted weapons use":
                # Weapons taken: the row's strength, above the weapons' own words.
                strength = max(strength, _DISRUPTED_STRENGTH)
        else:
            subtype = marker
        if is_supporting(lowered, clause, span, subtype):
            strength = min(strength, SUPPORT_STRENGTH)
        if marker == GENERIC_ATTACK:
            armed_hit = armed_hit or subtype == "Armed clash"
            # One bare attack per clause: "attacked a post, killing two" is one attack.
            if generic is None or strength > generic.strength:
                generic = Trigger(subtype, span, clause, strength, generic=True)
            continue
        seen = found.get(subtype)
        if seen is None or strength > seen.strength:
            found[subtype] = Trigger(subtype, span, clause, strength)
    if not found and generic is None:
        return []
    if generic is not None and _hurt_by_war_remnants(lowered, generic, found):
        # "killed by a landmine laid during the war": no one attacked, the war's leftovers hurt.
        generic = None
    if generic is not None and generic.subtype not in found:
        # "killed 38 people in an attack on a military base": armed men were among the
        # targets if any bare attack in the clause hit them.
        if armed_hit:
            generic = replace(generic, subtype="Armed clash")
        found[generic.subtype] = generic
    if "Attack" in found or "Mob violence" in found:
        found = mob_violence(lowered, clause, found)
    if "Attack" in found and "Peaceful protest" in found:
        found = fired_on_protesters(lowered, clause, found)
    if "Arrests" in found and "Peaceful protest" in found:
        found = arrested_for_protesting(lowered, found)
    if not PROTEST_FAMILY.isdisjoint(found):
        found = riot_over_force(lowered, clause, gravest_protest(lowered, clause, found))
    if len(found) == 1:
        return list(found.values())
    if "Peaceful protest" in found and not _BATTLES.isdisjoint(found):
        found = troops_marched(lowered, found)
    found = _weapons_of_a_clash(lowered, found)
    if "Armed clash" in found and "Shelling/artillery/missile attack" in found:
        found = _fire_on_homes(lowered, clause, found)
    if not GROUND_TAKEN.isdisjoint(found):
        found = ground_over_fire(lowered, found)
    # Span's order keyed on plain ints: comparing two `Span`s runs Python code.
    triggers = _demote_side_acts(lowered, clause, found).values()
    return sorted(triggers, key=lambda t: (t.span.start, t.span.end))


def _hurt_by_war_remnants(lowered: str, generic: Trigger, found: dict[str, Trigger]) -> bool:
    """Whether the clause's bare attack only says people were hurt, and its "Other" trigger
    is a mine or shell left from a past war: the hurt is the remnant's ("gunmen shot dead a
    farmer near unexploded ordnance" is still an attack)."""
    other = found.get("Other")
    if other is None or not _WAR_REMNANT.match(lowered, other.span.start):
        return False
    return _HURT.match(lowered, generic.span.start) is not None


def _weapons_of_a_clash(lowered: str, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """Heavy weapons named after words that say two sides fought are the clash's weapons:
    "they clashed with heavy artillery" is an armed clash, as ACLED codes it; "shells fired
    during clashes hit a market" is shelling."""
    clash, shelling = found.get("Armed clash"), found.get("Shelling/artillery/missile attack")
    if clash is None or shelling is None or shelling.span.start < clash.span.start:
        return found
    if not _FOUGHT.match(lowered, clash.span.start) or clash.strength <= SUPPORT_STRENGTH:
        return found
    return {**found, "Armed clash": replace(clash, strength=max(clash.strength, shelling.strength))}


def _fire_on_homes(lowered: str, clause: Span, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """Small arms fired beside heavy weapons at homes, farms or villages, no armed men named
    as the target and no words of both sides fighting: the fire is part of the shelling
    ("fired mortars and sniper rifles at residential areas"), not a clash."""
    clash, shelling = found["Armed clash"], found["Shelling/artillery/missile attack"]
    if not _ONE_WAY_FIRE.match(lowered, clash.span.start) or clash.strength <= SUPPORT_STRENGTH:
        return found
    if _FOUGHT.search(lowered, clause.start, clause.end):
        return found
    at = _FIRED_AT.search(lowered, min(clash.span.start, shelling.span.start), clause.end)
    if at is None:
        return found
    end = OBJECT_END.search(lowered, at.end(), clause.end)
    target = Span(at.end(), end.start() if end else clause.end)
    if not _DWELLINGS.search(lowered, target.start, target.end) or is_armed(lowered, target):
        return found
    return {**found, "Armed clash": replace(clash, strength=SUPPORT_STRENGTH)}


def _demote_side_acts(lowered: str, clause: Span, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """Goods taken or men detained where people were killed or hurt: the violence is the
    event, the looting or the arrests a part of it."""
    if len(found) < 2 or not HARMED.search(lowered, clause.start, clause.end):
        return found
    return {
        subtype: replace(t, strength=_SIDE_ACT_STRENGTH) if subtype in _SIDE_ACTS else t
        for subtype, t in found.items()
    }


def _subtype_of(clause: Clause, span: Span, marker: str) -> str | None:
    """The sub-type a trigger reports, for markers that its context decides."""
    if marker in (RETAKEN, TAKEN):
        return taking_kind(clause, span, retaken=marker == RETAKEN)
    if marker == GENERIC_ATTACK:
        return attack_kind(clause, span)
    if marker == WITHDRAWN:
        return withdrawal_kind(clause)
    if marker == DIRECT_FIRE:
        return fire_kind(clause)
    if marker == OPERATION:
        return harm_kind(clause)
    if marker == "Armed clash" and is_crowd_clash(clause):
        return "Mob violence"
    if marker == "Arrests":
        return arrest_kind(clause, span)
    if marker == "Abduction/forced disappearance" and clause.search(_KILLING):
        # Taken and then killed: the killing is the event, typed by its victim.
        return attack_kind(clause, span)
    return marker


def drop_restated_attacks(triggers: list[Trigger]) -> list[Trigger]:
    """Bare attacks in a sentence that names a more specific kind of violence, dropped.

    "The attack" after "an air strike" is the strike again; but not after fire that only
    backed it ("along with helicopters, attacked").
    """
    specific = any(
        not t.generic and SUBTYPES[t.subtype] in _VIOLENT_TYPES and t.strength > SUPPORT_STRENGTH
        for t in triggers
    )
    return [t for t in triggers if not (t.generic and specific)]
