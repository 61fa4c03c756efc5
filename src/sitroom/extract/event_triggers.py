"""Event triggers: the words in a clause that report an incident, typed in ACLED's taxonomy.

Each clause is matched against the ordered trigger table (`event_lexicon`); a trigger inside
a hypothetical, a warning, a claim or background history is not an event. Some triggers are
typed by their context, as ACLED's codebook does: an attack or a killing by its victims,
read as the verb's object (armed men in service: a clash; anyone else, soldiers off duty
included: an attack on civilians), an operation or an ambush by whom it harmed, men
detained by whom detained them (the state: arrests; a rebel group: an abduction), heavy
weapons named after a clash as its weapons, gunfire as a clash unless only
unarmed people were hit, a clash between crowds as mob violence, a verb of taking by what
was taken (ground, a position, goods, prisoners, civilians: an abduction) and who took
it. Fire that only backs a battle reports with less confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sitroom.extract.actors import find_actors
from sitroom.extract.event_lexicon import (
    CROWD,
    DIRECT_FIRE,
    GENERIC_ATTACK,
    GRIEVANCE,
    OPERATION,
    ORGANISED_ARMED,
    PROTEST,
    RETAKEN,
    SUBTYPES,
    TAKEN,
    TRIGGER_TABLE,
)
from sitroom.extract.prefix_guard import TwinPattern, guarded
from sitroom.model import Span

__all__ = ["Trigger", "drop_restated_attacks", "find_triggers", "split_clauses"]

# One pattern for the whole table, run once per clause over lower-cased text: three times
# faster than a pattern per row. At one position the earlier row's alternative wins. Each row
# is named by an empty group at its end, not a group around it: the regex engine rejects an
# alternative that starts with a wrong letter at once, but must enter one that starts with a
# group, and the table was a third slower so. The leading `\b` is implied by the look-behind
# but rejects the inside of a word in one step; the guard (`prefix_guard`) then turns away,
# in a few steps more, every word whose first letters start no row: four times faster.
_TRIGGERS = TwinPattern(
    r"\b(?<![\w-])"
    + guarded(
        "(?:"
        + "|".join(f"(?:{pattern})(?P<t{i}>)" for i, (_, pattern, _) in enumerate(TRIGGER_TABLE))
        + ")"
    )
    + r"(?![\w-])"
)
# Words before a trigger that make it a possibility, a warning or a plan, not an incident.
# "may" next to a number is the month ("9 May 2020", "May 9"), not the modal.
_IRREALIS = re.compile(  # searched in lower-cased text
    guarded(
        r"\b(?:might|could|would|(?<!\d )may(?! \d)|threaten\w*|warn\w*|fear\w*|risk of|"
        r"plans? to|planning to|vow\w* to|call\w* for|calling for|urg\w*|if|unless|prevent\w*|"
        r"avoid\w*|without|accus\w* of)\b[^.;]*$"
        # What someone claims, close before the trigger, is their grievance, not the incident.
        r"|\bwho (?:claim\w*|say|said|allege\w*)\b[^.;,]{0,40}$"
        # A riot named after a protest's grievance word is its cause.
        rf"|{PROTEST}[^.;]*?{GRIEVANCE}[^.;,]*$"
    )
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
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_ARMED_TARGET = re.compile(
    r"\b(?:soldiers?|troops|police\w*|policem[ae]n|security (?:forces|personnel|officers)|army|"
    r"military|militi\w+|militants?|fighters?|rebels?|insurgents?|check ?points?|convoys?|bases?|"
    r"posts?|positions?|checkpoints?|forces?|arbakis?|guards?|commanders?|commandos?|officers?|"
    r"personnel|lieutenants?|colonels?|captains?|sergeants?|brigades?|battalions?|divisions?|"
    r"intelligence|gendarmes?|combatants?|terrorists?|jihadists?)\b"
)
_SOURCE_FIRST = re.compile(r"\b(?:according to|claimed by|said by)\b[^,]*,")
# More verbs of harm before the object: "killing, injuring or capturing 2 fighters".
_VERB_RUN = re.compile(r"(?:,?\s+(?:and\s+|or\s+)?\w+ing\b)+")
# Rebel groups, political and identity militias.
_NON_STATE = frozenset({2, 3, 4})
# A soldier off duty or out of service is a civilian in ACLED's codebook.
_OFF_DUTY = re.compile(r"\boff[- ]duty\b")
_NOT_SERVING = re.compile(r"\b(?:former|ex-|retired|defected|deserters?)\b")
# The object of an active verb ends where the clause goes on to say where, when or why:
# "shot a driver at a checkpoint" hit a driver, not the checkpoint.
_OBJECT_END = re.compile(
    r";|,(?!\s+(?:mostly|mainly|most of them|many of them|including|among them)\b)|"
    r"\s(?:in|at(?! (?:least|most)\b)|near|inside|outside|around|along|during|after|before|"
    r"while|when|as(?! many\b)|because|who|which|whose|for|from|on (?:the|his|her|their) way)\s"
)
# An attack "by" or "attributed to" someone names its attacker, not its target.
_ATTACKER_NEXT = re.compile(r"\s(?:by|attributed to|blamed on|claimed by)\s")
_UNARMED = re.compile(
    r"\b(?:civilians?|residents?|villagers?|people|m[ae]n|wom[ae]n|child(?:ren)?|boys?|girls?|youths?|"
    r"farmers?|shepherds?|famil(?:y|ies)|worshippers|students|passers-by)\b"
)
# Not "is": in lower-cased text it is also the Islamic State ("IS attacked the town").
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|are)\s+$")
# People no battle takes prisoner: seized, they were abducted.
_CAPTIVES = (
    r"civilians|child(?:ren)?|students?|pupils?|schoolchildren|school ?(?:girls|boys)|"
    r"passengers|villagers|residents|workers|hostages|women|girls|boys|teachers|worshippers|"
    r"farmers|travell?ers"
)
# "the children seized from the school", "pupils were seized": captives named before a
# passive verb; not "students seized the campus", whose object follows.
_CAPTIVES_BEFORE = re.compile(
    rf"\b(?:{_CAPTIVES})\s+(?P<passive>(?:were|was|had been|have been|being)\s+)?$"
)
_NO_OBJECT = re.compile(
    r"\s*(?:[,.;)]|$)|\s+(?:from|by|in|at|on|during|near|outside|inside|last|earlier|overnight|"
    r"early|late|while|and|were|was|are)\b"
)
# The object of a verb of taking: ground changes hands; a position taken in a fight is part
# of the battle; goods taken are looting; people taken are prisoners.
_TAKEN_OBJECT = re.compile(
    r"\s+(?:of |over )?(?:[\w'-]+\s+){0,3}?(?:"
    r"(?P<ground>towns?|villages?|cit(?:y|ies)|districts?|areas?|territor\w+|regions?|"
    r"neighbou?rhoods?|hills?|localit\w+|provinces?|capital)|"
    r"(?P<position>check ?points?|posts?|bases?|positions?|points?|outposts?|units?)|"
    r"(?P<goods>vehicles?|motorbikes?|motorcycles?|cars?|trucks?|livestock|cattle|goats|"
    r"sheep|camels|goods|food|money|cash|property|equipment)|"
    rf"(?P<captives>{_CAPTIVES})|"
    r"(?P<people>militants?|fighters?|soldiers?|rebels?|insurgents?|members?|men|people|"
    r"prisoners?|suspects?|commanders?|leaders?|elements))\b"
)
_TAKEN_KIND = {
    "goods": "Looting/property destruction",
    "position": "Armed clash",
    "captives": "Abduction/forced disappearance",
}
_HARMED = re.compile(r"\b(?:killed|killing|wounded|wounding|injured|injuring|beheaded|executed)\b")
_SIDE_ACT_STRENGTH = 0.45
_SIDE_ACTS = frozenset({"Looting/property destruction", "Arrests"})
_KILLING = re.compile(r"\b(?:killed|beheaded|executed|murdered|found dead)\b")
_UNCONTESTED = re.compile(
    r"\b(?:withdr[ae]wn?|withdrawal|pulled out|pull(?:ed)? back|vacated|handover|handed over|"
    r"without (?:any )?(?:resistance|a fight|fighting))\b"
)
_PASSIVE_NEAR = re.compile(r"\b(?:was|were|been)\b[^.;]*$")
# Fire that backs or surrounds a battle ("backed by air strikes", "amid shelling") is not the
# clause's main incident.
_SUPPORTING = re.compile(
    guarded(
        r"\b(?:amid|under (?:the )?cover of|supported by|backed by|support of|accompanied by|"
        r"with the help of|along with|alongside|in coordination with)\b[^.;,]*$"
    )
)
_SUPPORT_STRENGTH = 0.45
# Words that say both sides fought, whatever the weapons.
_FOUGHT = re.compile(r"clash\w*|fought|fighting|firefights?|gun ?battles?|exchang\w*")


@dataclass(frozen=True, slots=True)
class Trigger:
    """Words in a clause that report an incident of one sub-type."""

    subtype: str
    span: Span
    clause: Span
    strength: float
    #: Typed from a bare "attack" or "killed by", not from words naming a kind of violence.
    generic: bool = False


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


def find_triggers(lowered: str, clause: Span) -> list[Trigger]:
    """Event triggers in a clause of lower-cased text: one per sub-type, none in irrealis."""
    found: dict[str, Trigger] = {}
    generic: Trigger | None = None
    armed_hit = False
    for match in _TRIGGERS.for_text(lowered).finditer(lowered, clause.start, clause.end):
        marker, _, strength = TRIGGER_TABLE[int(str(match.lastgroup)[1:])]
        span = Span(match.start(), match.end())
        if _is_irrealis(lowered, clause, span, marker):
            continue
        subtype = _subtype_of(lowered, clause, span, marker)
        if subtype is None:
            continue
        if _SUPPORTING.search(lowered, max(clause.start, span.start - 30), span.start):
            strength = min(strength, _SUPPORT_STRENGTH)
        trigger = Trigger(subtype, span, clause, strength, generic=marker == GENERIC_ATTACK)
        if trigger.generic:
            armed_hit = armed_hit or subtype == "Armed clash"
            # One bare attack per clause: "attacked a post, killing two" is one attack.
            if generic is None or strength > generic.strength:
                generic = trigger
            continue
        seen = found.get(subtype)
        if seen is None or strength > seen.strength:
            found[subtype] = trigger
    if not found and generic is None:
        return []
    if generic is not None and generic.subtype not in found:
        # "killed 38 people in an attack on a military base": armed men were among the
        # targets if any bare attack in the clause hit them.
        if armed_hit:
            generic = replace(generic, subtype="Armed clash")
        found[generic.subtype] = generic
    if len(found) > 1:
        found = _weapons_of_a_clash(lowered, found)
    return sorted(_demote_side_acts(lowered, clause, found).values(), key=lambda t: t.span)


def _weapons_of_a_clash(lowered: str, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """Heavy weapons named after words that say two sides fought are the clash's weapons:
    "they clashed with heavy artillery" is an armed clash, as ACLED codes it; "shells fired
    during clashes hit a market" is shelling."""
    clash, shelling = found.get("Armed clash"), found.get("Shelling/artillery/missile attack")
    if clash is None or shelling is None or shelling.span.start < clash.span.start:
        return found
    if not _FOUGHT.match(lowered, clash.span.start) or clash.strength <= _SUPPORT_STRENGTH:
        return found
    return {**found, "Armed clash": replace(clash, strength=max(clash.strength, shelling.strength))}


def _demote_side_acts(lowered: str, clause: Span, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """Goods taken or men detained where people were killed or hurt: the violence is the
    event, the looting or the arrests a part of it."""
    if len(found) < 2 or not _HARMED.search(lowered, clause.start, clause.end):
        return found
    return {
        subtype: replace(t, strength=_SIDE_ACT_STRENGTH) if subtype in _SIDE_ACTS else t
        for subtype, t in found.items()
    }


def _subtype_of(lowered: str, clause: Span, span: Span, marker: str) -> str | None:
    """The sub-type a trigger reports, for markers that its context decides."""
    if marker in (RETAKEN, TAKEN):
        return _taking_kind(lowered, clause, span, retaken=marker == RETAKEN)
    if marker == GENERIC_ATTACK:
        return _attack_kind(lowered, clause, span)
    if marker == DIRECT_FIRE:
        return _fire_kind(lowered, clause)
    if marker == OPERATION:
        return _harm_kind(lowered, clause)
    if marker == "Armed clash" and _is_crowd_clash(lowered, clause):
        return "Mob violence"
    if marker == "Arrests":
        return _arrest_kind(lowered, clause, span)
    if marker == "Abduction/forced disappearance" and _KILLING.search(
        lowered, clause.start, clause.end
    ):
        # Taken and then killed: the killing is the event, typed by its victim.
        return _attack_kind(lowered, clause, span)
    return marker


def drop_restated_attacks(triggers: list[Trigger]) -> list[Trigger]:
    """Bare attacks in a sentence that names a more specific kind of violence, dropped.

    "The attack" after "an air strike" is the strike again; but not after fire that only
    backed it ("along with helicopters, attacked").
    """
    specific = any(
        not t.generic and SUBTYPES[t.subtype] in _VIOLENT_TYPES and t.strength > _SUPPORT_STRENGTH
        for t in triggers
    )
    return [t for t in triggers if not (t.generic and specific)]


def _taking_kind(lowered: str, clause: Span, trigger: Span, *, retaken: bool) -> str | None:
    """What a verb of taking took: ground, a position in a battle, goods, or prisoners."""
    if _were_captives(lowered, clause, trigger):
        return "Abduction/forced disappearance"
    taken = _TAKEN_OBJECT.match(lowered, trigger.end, clause.end)
    if taken is None and _PASSIVE_NEAR.search(
        lowered, max(clause.start, trigger.start - 40), trigger.start
    ):
        return None  # "were killed or captured": prisoners
    if taken is None or taken.lastgroup == "ground":
        # Ground the other side left without a fight changed hands peacefully.
        if _UNCONTESTED.search(lowered, clause.start, clause.end):
            return "Non-violent transfer of territory"
        return _territory_kind(lowered, clause, trigger, retaken=retaken)
    return _TAKEN_KIND.get(str(taken.lastgroup))


def _were_captives(lowered: str, clause: Span, trigger: Span) -> bool:
    """Whether civilians named before a verb of taking were what it took."""
    before = _CAPTIVES_BEFORE.search(lowered, max(clause.start, trigger.start - 40), trigger.start)
    if before is None:
        return False
    return bool(before.group("passive")) or bool(_NO_OBJECT.match(lowered, trigger.end, clause.end))


def _territory_kind(lowered: str, clause: Span, trigger: Span, *, retaken: bool) -> str:
    """Ground taken by state forces is regained by the government; by anyone else, overtaken."""
    actors = find_actors(lowered, clause.start, trigger.start)
    # With no actor named, the verb decides: "recaptured" is the government's word.
    state = any(m.actor.interaction == 1 for m in actors) if actors else retaken
    return "Government regains territory" if state else "Non-state actor overtakes territory"


def _arrest_kind(lowered: str, clause: Span, trigger: Span) -> str:
    """Men detained by the state are arrests; by a rebel group or a militia, abductions, as
    ACLED's codebook has it ("the SDF arrested four men" is an abduction). The first group
    named in the clause is the one that took them."""
    if _PASSIVE_BEFORE.search(lowered, max(clause.start, trigger.start - 14), trigger.start):
        return "Arrests"  # "3 militants were arrested": the group named is the detained
    actors = find_actors(lowered, clause.start, trigger.start)
    taker = actors[0].actor.interaction if actors else 1
    return "Abduction/forced disappearance" if taker in _NON_STATE else "Arrests"


def _attack_kind(lowered: str, clause: Span, trigger: Span) -> str:
    """An attack on armed men is an armed clash; on anyone else, violence against civilians.

    The target follows an active verb ("militants shot a teacher": the attacker, named
    before it, does not make the victim armed) and precedes a passive one ("a soldier was
    killed by a sniper").
    """
    if not _ARMED_TARGET.search(lowered, clause.start, clause.end):
        return "Attack"  # no armed men anywhere in the clause
    if _is_armed(lowered, _target(lowered, clause, trigger)) or any(
        _is_armed(lowered, victim) for victim in _victims(lowered, clause)
    ):
        off_duty = _OFF_DUTY.search(lowered, clause.start, clause.end)
        return "Attack" if off_duty else "Armed clash"
    return "Attack"


def _victims(lowered: str, clause: Span) -> Iterator[Span]:
    """Whom the clause says were killed or hurt."""
    for match in _HARMED.finditer(lowered, clause.start, clause.end):
        yield _target(lowered, clause, Span(match.start(), match.end()), rest=False)


def _target(lowered: str, clause: Span, trigger: Span, *, rest: bool = True) -> Span:
    """Who an attack, a killing or a wounding was done to, as words of the clause.

    A verb with no object ("conducted raids in the town") leaves the rest of the clause to
    tell whom, with `rest`; else nobody (an empty span).
    """
    if lowered.startswith("sniper", trigger.start):
        return clause
    if _PASSIVE_BEFORE.search(lowered, max(clause.start, trigger.start - 14), trigger.start) or (
        lowered.startswith(" by", trigger.end) or lowered.endswith(" by", 0, trigger.end)
    ):
        # The subject, after any source named before it ("according to X, a man was shot").
        source = _SOURCE_FIRST.search(lowered, clause.start, trigger.start)
        return Span(source.end() if source else clause.start, trigger.start)
    start = _VERB_RUN.match(lowered, trigger.end, clause.end)
    begin = start.end() if start else trigger.end
    if _ATTACKER_NEXT.match(lowered, begin, clause.end):
        return Span(trigger.end, trigger.end)
    end = _OBJECT_END.search(lowered, begin, clause.end)
    if end is None:
        return Span(trigger.end, clause.end)
    if end.start() == begin:
        return Span(trigger.end, clause.end if rest else trigger.end)
    return Span(trigger.end, end.start())


def _is_armed(lowered: str, span: Span) -> bool:
    """Whether `target` names armed men in service, by their trade.

    Not by the group named: a clause names the attacker's group as often as the victim's.
    """
    if not _ARMED_TARGET.search(lowered, span.start, span.end):
        return False
    return not _NOT_SERVING.search(lowered, span.start, span.end)


def _harm_kind(lowered: str, clause: Span) -> str:
    """An operation or an ambush that killed or hurt only unarmed people is an attack on
    civilians; one that hit armed men, or hit no one named, is an armed clash."""
    victims = list(_victims(lowered, clause))
    if not any(_UNARMED.search(lowered, v.start, v.end) for v in victims):
        return "Armed clash"
    return "Armed clash" if any(_is_armed(lowered, v) for v in victims) else "Attack"


def _fire_kind(lowered: str, clause: Span) -> str:
    """Gunfire is an armed clash unless the clause names only unarmed people as its targets."""
    unarmed = _UNARMED.search(lowered, clause.start, clause.end)
    armed = _ARMED_TARGET.search(lowered, clause.start, clause.end)
    return "Attack" if unarmed and not armed else "Armed clash"


def _is_crowd_clash(lowered: str, clause: Span) -> bool:
    """A clash of crowds with each other or with police, no armed group in it: a riot."""
    crowd = CROWD.search(lowered, clause.start, clause.end)
    return bool(crowd) and not ORGANISED_ARMED.search(lowered, clause.start, clause.end)


def _is_irrealis(lowered: str, clause: Span, span: Span, subtype: str) -> bool:
    before = lowered[clause.start : span.start]
    if _IRREALIS.search(before):
        return True
    if subtype != "Agreement":
        return False
    after = lowered[span.end : min(clause.end, span.end + 40)]
    return bool(_AGREEMENT_ENDED.search(before) or _AGREEMENT_ENDED_AFTER.match(after))
