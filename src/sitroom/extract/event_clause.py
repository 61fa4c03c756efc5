"""The clause an event trigger stands in, and whom its violence hit: armed men or civilians.

ACLED's codebook types an attack by its victims: armed men in service make it a clash, anyone
else (soldiers off duty included) an attack on civilians; men detained by the state are
arrested, by a rebel group or a militia abducted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitroom.extract.actors import ActorMention, find_actors
from sitroom.extract.prefix_guard import guarded
from sitroom.extract.word_led import WordLedPattern
from sitroom.model import Span

__all__ = [
    "ARMED_TARGET",
    "HARMED",
    "OBJECT_END",
    "PASSIVE_BEFORE",
    "REPORTED",
    "Clause",
    "Trigger",
    "arrest_kind",
    "attack_kind",
    "fire_kind",
    "harm_kind",
    "is_armed",
]


ARMED_TARGET = WordLedPattern(
    guarded(
        r"\b(?:soldiers?|troops|police\w*|policem[ae]n|security (?:forces|personnel|officers)|"
        r"army|military|militi\w+|militants?|fighters?|rebels?|insurgents?|check ?points?|"
        r"convoys?|bases?|"
        r"posts?|positions?|checkpoints?|forces?|arbakis?|guards?|commanders?|commandos?|officers?|"
        r"personnel|lieutenants?|colonels?|captains?|sergeants?|brigades?|battalions?|divisions?|"
        r"intelligence|gendarmes?|combatants?|terrorists?|jihadists?)\b"
    )
)
REPORTED = re.compile(r"\b(?:said|says|say|told|reported|claimed|announced)\b(?: that)?")
_SOURCE_FIRST = re.compile(r"\b(?:according to|claimed by|said by)\b[^,]*,")
# More verbs of harm before the object: "killing, injuring or capturing 2 fighters".
_VERB_RUN = re.compile(r"(?:,?\s+(?:and\s+|or\s+)?\w+ing\b)+")
# Rebel groups, political and identity militias.
_NON_STATE = frozenset({2, 3, 4})
# State forces, rebel groups, militias and external forces: armed men, by the group named.
_ARMED_GROUPS = frozenset({1, 2, 3, 4, 8})
_MEMBER = re.compile(r"\bmembers?\b")
# A soldier off duty or out of service is a civilian in ACLED's codebook.
_OFF_DUTY = re.compile(r"\boff[- ]duty\b")
# A civilian in a guard's job is a civilian: "a civilian school guard"; not "a soldier and a
# civilian", where one of the two was armed.
_NOT_SERVING = re.compile(
    r"\b"
    + guarded(
        r"\b(?:former|ex-|retired|defected|deserters?|"
        r"civilian (?:[\w-]+ )?(?:guards?|watchm[ae]n|employees?|staff|contractors?))\b"
    )
)
# The object of an active verb ends where the clause goes on to say where, when or why:
# "shot a driver at a checkpoint" hit a driver, not the checkpoint.
OBJECT_END = re.compile(
    r";|,(?!\s+(?:mostly|mainly|most of them|many of them|including|among them)\b)|"
    r"\s(?:in|at(?! (?:least|most)\b)|near|inside|outside|around|along|during|after|before|"
    r"while|when|as(?! many\b)|because|who|which|whose|for|from|on (?:the|his|her|their) way)\s"
)
# Fire aimed at someone names its target after "at": "shot at a driver".
_AIMED_AT = re.compile(r"\s+at(?=\s)")
_SHOOTING = ("shot", "shoot", "fire", "fired", "firing")
# An attack "by" or "attributed to" someone names its attacker, not its target.
_ATTACKER_NEXT = re.compile(r"\s(?:by|attributed to|blamed on|claimed by)\s")
_UNARMED = re.compile(
    r"\b"
    + guarded(
        r"\b(?:civilians?|residents?|villagers?|people|m[ae]n|wom[ae]n|child(?:ren)?|boys?|girls?|youths?|"
        r"farmers?|shepherds?|famil(?:y|ies)|worshippers|students|passers-by|protesters?|"
        r"demonstrators?)\b"
    )
)
# Not "is": in lower-cased text it is also the Islamic State ("IS attacked the town").
PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|are)\s+$")
HARMED = re.compile(
    r"\b" + guarded(r"\b(?:killed|killing|wounded|wounding|injured|injuring|beheaded|executed)\b")
)


@dataclass(frozen=True, slots=True)
class Trigger:
    """Words in a clause that report an incident of one sub-type."""

    subtype: str
    span: Span
    clause: Span
    strength: float
    #: Typed from a bare "attack" or "killed by", not from words naming a kind of violence.
    generic: bool = False


class Clause:
    """A clause of lower-cased text, with what its triggers ask of the whole clause found
    once: asked again per trigger, a long clause of many triggers cost quadratic time.

    A plain class with slots, each answer kept on first use: most clauses ask one question
    once, and a dataclass with cached properties cost more than it saved.
    """

    __slots__ = (
        *("_actors", "_armed", "_armed_victim", "_members", "_victims"),
        *("lowered", "span"),
    )

    def __init__(self, lowered: str, span: Span) -> None:
        self.lowered = lowered
        self.span = span
        self._armed: bool | None = None
        self._members: bool | None = None
        self._victims: tuple[Span, ...] | None = None
        self._armed_victim: bool | None = None
        self._actors: list[ActorMention] | None = None

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """`pattern`'s first match in the clause."""
        return pattern.search(self.lowered, self.span.start, self.span.end)

    @property
    def armed(self) -> bool:
        """Whether the clause names armed men anywhere."""
        if self._armed is None:
            self._armed = ARMED_TARGET.search(self.lowered, self.span.start, self.span.end)
        return self._armed

    @property
    def members(self) -> bool:
        """Whether the clause names members of anything: of an armed group, it may be."""
        if self._members is None:
            self._members = self.search(_MEMBER) is not None
        return self._members

    @property
    def victims(self) -> tuple[Span, ...]:
        """Whom the clause says were killed or hurt."""
        if self._victims is None:
            clause, lowered = self.span, self.lowered
            self._victims = tuple(
                _target(lowered, clause, Span(match.start(), match.end()), rest=False)
                for match in HARMED.finditer(lowered, clause.start, clause.end)
            )
        return self._victims

    @property
    def armed_victim(self) -> bool:
        """Whether armed men in service are among the victims."""
        if self._armed_victim is None:
            self._armed_victim = any(is_armed(self.lowered, v) for v in self.victims)
        return self._armed_victim

    def actors_before(self, offset: int) -> list[ActorMention]:
        """The clause's actors named before `offset`, as `find_actors` finds them there."""
        if self._actors is None:
            self._actors = find_actors(self.lowered, self.span.start, self.span.end)
        return [m for m in self._actors if m.span.end <= offset]


def arrest_kind(context: Clause, trigger: Span) -> str:
    """Men detained by the state are arrests; by a rebel group or a militia, abductions, as
    ACLED's codebook has it ("the SDF arrested four men" is an abduction). The first group
    named in the clause is the one that took them."""
    lowered, clause = context.lowered, context.span
    if PASSIVE_BEFORE.search(lowered, max(clause.start, trigger.start - 14), trigger.start):
        return "Arrests"  # "3 militants were arrested": the group named is the detained
    actors = context.actors_before(trigger.start)
    taker = actors[0].actor.interaction if actors else 1
    return "Abduction/forced disappearance" if taker in _NON_STATE else "Arrests"


def attack_kind(context: Clause, trigger: Span) -> str:
    """An attack on armed men is an armed clash; on anyone else, violence against civilians.

    The target follows an active verb ("militants shot a teacher": the attacker, named
    before it, does not make the victim armed) and precedes a passive one ("a soldier was
    killed by a sniper").
    """
    if not context.armed and not context.members:
        return "Attack"  # no armed men anywhere in the clause
    lowered = context.lowered
    if is_armed(lowered, _target(lowered, context.span, trigger)) or context.armed_victim:
        return "Attack" if context.search(_OFF_DUTY) else "Armed clash"
    return "Attack"


def _target(lowered: str, clause: Span, trigger: Span, *, rest: bool = True) -> Span:
    """Who an attack, a killing or a wounding was done to, as words of the clause.

    A verb with no object ("conducted raids in the town") leaves the rest of the clause to
    tell whom, with `rest`; else nobody (an empty span).
    """
    if lowered.startswith("sniper", trigger.start):
        return clause
    if PASSIVE_BEFORE.search(lowered, max(clause.start, trigger.start - 14), trigger.start) or (
        lowered.startswith(" by", trigger.end) or lowered.endswith(" by", 0, trigger.end)
    ):
        # The subject, after any source named before it ("according to X, a man was shot").
        source = _SOURCE_FIRST.search(lowered, clause.start, trigger.start)
        return Span(source.end() if source else clause.start, trigger.start)
    start = _VERB_RUN.match(lowered, trigger.end, clause.end)
    begin = start.end() if start else trigger.end
    aimed = _AIMED_AT.match(lowered, begin, clause.end)
    if aimed and lowered.startswith(_SHOOTING, trigger.start):
        begin = aimed.end()  # "shot at a bus driver": the driver, not a place
    if _ATTACKER_NEXT.match(lowered, begin, clause.end):
        return Span(trigger.end, trigger.end)
    end = OBJECT_END.search(lowered, begin, clause.end)
    if end is None:
        return Span(trigger.end, clause.end)
    if end.start() == begin:
        return Span(trigger.end, clause.end if rest else trigger.end)
    return Span(trigger.end, end.start())


def is_armed(lowered: str, span: Span) -> bool:
    """Whether `target` names armed men in service, by their trade.

    Not by the group named: a clause names the attacker's group as often as the victim's.
    """
    if not (ARMED_TARGET.search(lowered, span.start, span.end) or _armed_member(lowered, span)):
        return False
    return not _NOT_SERVING.search(lowered, span.start, span.end)


def _armed_member(lowered: str, span: Span) -> bool:
    """Whether `span` names members of an armed group or of state forces: "a QSD member",
    "two members of the Houthi forces"."""
    if _MEMBER.search(lowered, span.start, span.end) is None:
        return False
    return any(
        m.actor.interaction in _ARMED_GROUPS for m in find_actors(lowered, span.start, span.end)
    )


def harm_kind(clause: Clause) -> str:
    """An operation or an ambush that killed or hurt only unarmed people is an attack on
    civilians; one that hit armed men, or hit no one named, is an armed clash."""
    lowered = clause.lowered
    if not any(_UNARMED.search(lowered, v.start, v.end) for v in clause.victims):
        return "Armed clash"
    return "Armed clash" if clause.armed_victim else "Attack"


def fire_kind(clause: Clause) -> str:
    """Gunfire is an armed clash unless the clause names only unarmed people as its targets."""
    return "Attack" if clause.search(_UNARMED) and not clause.armed else "Armed clash"
