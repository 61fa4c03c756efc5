"""Ground changing hands: what a verb of taking took, who took it, and the fire behind it.

A verb of taking is typed by what was taken (ground, a position in a battle, goods, weapons,
prisoners, civilians: an abduction) and who took it (the first side named, after whoever
reports it); a withdrawal by whether another side took the ground over (a transfer) or not
(a change of activity). Where ground changed hands, the strikes and shells the clause names
backed the taking, as ACLED's codebook has it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sitroom.extract.event_clause import REPORTED, Clause, Trigger
from sitroom.extract.event_lexicon import EVENT_TYPES, GROUND, WEAPONS
from sitroom.extract.not_events import SUPPORT_STRENGTH
from sitroom.extract.prefix_guard import guarded
from sitroom.model import Span

__all__ = ["GROUND_TAKEN", "ground_over_fire", "taking_kind", "withdrawal_kind"]


_STATE_FORCES = re.compile(
    r"\b"
    + guarded(
        r"\b(?:army|military|troops|soldiers|(?:government|security|armed) forces)\b(?! base)"
    )
)
_NON_STATE_FORCES = re.compile(
    r"\b" + guarded(r"\b(?:fighters|militants|rebels|insurgents|jihadists|guerrillas)\b")
)
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
    # Not across "and" nor a preposition: "12 captured and 7 weapons recovered" took men,
    # "was regained after a rebel assault" took ground, not rebels.
    r"\s+(?:of |over )?(?:(?!(?:and|or|after|before|during|following|amid|in|at|near|from|by|"
    r"with|as|while|when|since)\s)[\w'-]+\s+){0,3}?(?:"
    rf"(?P<ground>{GROUND})|"
    r"(?P<position>check ?points?|posts?|bases?|camps?|positions?|points?|outposts?|units?)|"
    rf"(?P<weapons>{WEAPONS})|"
    r"(?P<goods>vehicles?|motorbikes?|motorcycles?|cars?|trucks?|livestock|cattle|goats|"
    r"sheep|camels|goods|food|money|cash|property|equipment)|"
    rf"(?P<captives>{_CAPTIVES})|"
    r"(?P<people>militants?|fighters?|soldiers?|rebels?|insurgents?|members?|men|people|"
    r"prisoners?|suspects?|commanders?|leaders?|elements))\b"
    # Not a word that qualifies the next: "a rebel-held neighbourhood" is ground.
    r"(?!-)"
)
_TAKEN_KIND = {
    "goods": "Looting/property destruction",
    "position": "Armed clash",
    "captives": "Abduction/forced disappearance",
    "weapons": "Disrupted weapons use",
}
_UNCONTESTED = re.compile(
    r"\b"
    + guarded(
        r"\b(?:withdr[ae]wn?|withdrawal|pulled out|pull(?:ed)? back|vacated|handover|handed over|"
        r"without (?:[\w-]+ ){0,3}?(?:resistance|a fight|fighting|clash\w*|battles?)|"
        r"(?:not|no) (?:[\w-]+ ){0,2}?resistance|unopposed)\b"
    )
)
# Another side named taking the ground that forces left: it changed hands without a fight.
_TAKEN_OVER = re.compile(
    r"\b"
    + guarded(
        r"\b(?:in the hands of|(?:took|taken|taking|handed|handing) (?:over|control)|"
        r"(?:took|taken|taking|seized|gained) (?:full )?control|(?:has|have|had) controlled|"
        r"entered|advances?|"
        r"advancing|captur\w*|recaptur\w*|re-captur\w*|seiz\w*)\b"
    )
)
_MOVED = "Change to group/activity"
_PASSIVE_NEAR = re.compile(r"\b(?:was|were|been)\b[^.;]*$")
_PASSIVE_TRIGGER = re.compile(r"(?:was|were|been) ")
# Ground named before a passive verb of retaking, or the losers driven from it.
_GROUND_BEFORE = re.compile(
    rf"\b(?:{GROUND}|positions|strongholds)\b[^.;]{{0,25}}\b(?:was|were|been)\s+$"
)
GROUND_TAKEN = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
#: Fire that, named after ground was taken, backed the taking.
_FIRE_BEHIND_GROUND = frozenset({"Armed clash", *EVENT_TYPES["Explosions/Remote violence"]})


def ground_over_fire(lowered: str, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """Where ground changed hands, the strikes, shells and bombs the clause names backed the
    taking, or tell its background ("captured two villages near a town that was the scene of
    a chemical attack"): the change of hands is the event, as ACLED's codebook has it."""
    taken = max((found[sub] for sub in GROUND_TAKEN if sub in found), key=_strength)
    if taken.strength <= SUPPORT_STRENGTH:
        return found
    # Fire named before the taking may be an incident of its own: "air strikes hit the
    # city, as rebels captured a village"; a clash anywhere in the clause was the battle.
    return {
        sub: replace(t, strength=min(t.strength, SUPPORT_STRENGTH))
        if sub in _FIRE_BEHIND_GROUND and (sub == "Armed clash" or t.span.start > taken.span.start)
        else t
        for sub, t in found.items()
    }


def _strength(trigger: Trigger) -> float:
    return trigger.strength


def taking_kind(context: Clause, trigger: Span, *, retaken: bool) -> str | None:
    """What a verb of taking took: ground, a position in a battle, goods, or prisoners."""
    lowered, clause = context.lowered, context.span
    if _were_captives(lowered, clause, trigger):
        return "Abduction/forced disappearance"
    taken = _TAKEN_OBJECT.match(lowered, trigger.end, clause.end)
    if taken is None and _is_passive(lowered, clause, trigger):
        if retaken and (
            _PASSIVE_TRIGGER.match(lowered, trigger.start, trigger.end)
            or _GROUND_BEFORE.search(lowered, max(clause.start, trigger.start - 40), trigger.start)
        ):
            # "the town was recaptured", "were pushed back from": whoever took it goes
            # unnamed before the verb, which is the government's word.
            return "Government regains territory"
        return None  # "were killed or captured": prisoners
    if taken is None or taken.lastgroup == "ground":
        # Ground the other side left without a fight changed hands peacefully.
        if context.search(_UNCONTESTED):
            return "Non-violent transfer of territory"
        return _territory_kind(context, trigger, retaken=retaken)
    return _TAKEN_KIND.get(str(taken.lastgroup))


def _is_passive(lowered: str, clause: Span, trigger: Span) -> bool:
    """Whether the verb of taking is passive: its subject is what was taken, or who lost it."""
    return bool(
        _PASSIVE_NEAR.search(lowered, max(clause.start, trigger.start - 40), trigger.start)
        or _PASSIVE_TRIGGER.match(lowered, trigger.start, trigger.end)
    )


def _were_captives(lowered: str, clause: Span, trigger: Span) -> bool:
    """Whether civilians named before a verb of taking were what it took."""
    before = _CAPTIVES_BEFORE.search(lowered, max(clause.start, trigger.start - 40), trigger.start)
    if before is None:
        return False
    return bool(before.group("passive")) or bool(_NO_OBJECT.match(lowered, trigger.end, clause.end))


def _territory_kind(clause: Clause, trigger: Span, *, retaken: bool) -> str:
    """Ground taken by state forces is regained by the government; by anyone else, overtaken."""
    # Who took it is named after whoever reports it: "the army spokesman said rebels took".
    reported = REPORTED.finditer(clause.lowered, clause.span.start, trigger.start)
    begin = max((said.end() for said in reported), default=clause.span.start)
    actors = [m for m in clause.actors_before(trigger.start) if m.span.start >= begin]
    # A state's forces named by their trade, not their country ("government troops", "the
    # military"), are state forces too.
    trade = _STATE_FORCES.search(clause.lowered, begin, trigger.start)
    # Fighters named by their trade before any state force: "Kurdish fighters regained".
    rebels = _NON_STATE_FORCES.search(clause.lowered, begin, trigger.start)
    named = min((m.span.start for m in actors), default=trigger.start)
    if rebels is not None and rebels.start() < min(trade.start() if trade else named, named):
        return "Non-state actor overtakes territory"
    if not actors and trade is None:
        # With no one named, the verb decides: "recaptured" is the government's word.
        return "Government regains territory" if retaken else "Non-state actor overtakes territory"
    # The first side named is the one that took it: "militants attacked army positions and
    # captured the town" was the militants' gain.
    first = actors[0] if actors else None
    if trade is not None and (first is None or trade.start() < first.span.start):
        state = True
    else:
        state = first is not None and first.actor.interaction == 1
    return "Government regains territory" if state else "Non-state actor overtakes territory"


def withdrawal_kind(clause: Clause) -> str:
    """Forces withdrew: ground handed to another side named taking it over changed hands
    without a fight; else the forces changed their activity."""
    if clause.search(_TAKEN_OVER) is not None:
        return "Non-violent transfer of territory"
    return _MOVED
