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
it (the first side named, after whoever reports it), a withdrawal by whether another side
took the ground over (a transfer) or not (a change of activity), an attack by a mob or a
crowd as mob violence. Fire that only backs a battle or a taking of ground reports with less
confidence, and so does an agreement named as the frame of what a clause reports. A protest
is typed by the gravest way its clause says it went, though a milder reading matched the
same words first; demonstrators who clashed, threw stones or vandalised make it a riot
whatever force met them (ACLED keeps excessive force and intervention for peaceful
protesters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sitroom.extract.actors import ActorMention, find_actors
from sitroom.extract.event_lexicon import (
    ARREST_CAUSE,
    CROWD,
    DIRECT_FIRE,
    DISPERSAL,
    ESCALATED,
    EVENT_TYPES,
    EXCESSIVE_FORCE,
    GENERIC_ATTACK,
    GRIEVANCE,
    GROUND,
    OPERATION,
    ORGANISED_ARMED,
    PROTEST,
    PROTEST_GAP,
    RETAKEN,
    RIOTING,
    RIOTING_PROTEST,
    SUBTYPES,
    TAKEN,
    TRIGGER_TABLE,
    WEAPONS,
    WITHDRAWN,
)
from sitroom.extract.prefix_guard import TwinPattern, guarded
from sitroom.extract.trigger_scan import ROWS, RowMatch, clause_matches
from sitroom.extract.word_led import WordLedPattern
from sitroom.model import Span

__all__ = ["Trigger", "drop_restated_attacks", "find_triggers", "split_clauses"]


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
_PROTEST_FAMILY = frozenset({row[0] for row in _PROTEST_ROWS} | {"Peaceful protest"})
#: Markers whose sub-type the rest of the clause decides (`_subtype_of`).
_CONTEXT_TYPED = frozenset(
    {
        *(RETAKEN, TAKEN, WITHDRAWN, GENERIC_ATTACK, DIRECT_FIRE, OPERATION),
        *("Armed clash", "Arrests", "Abduction/forced disappearance"),
    }
)
# Words before a trigger that make it a possibility, a warning or a plan, not an incident.
# "may" next to a number is the month ("9 May 2020", "May 9"), not the modal.
_IRREALIS_WORDS = (
    # "would-be bombers" blew themselves up: an adjective, not the modal.
    r"\b(?:might|could|would(?!-be)|(?<!\d )may(?! \d)|threaten\w*|warn\w*|"
    # Fears of what may come, not "a feared unit", which did what follows.
    r"fear(?:s|ed|ing)?(?= (?:that|of|for|an?|more|further|renewed|new)\b)|risk of|"
    r"plans? to|planning|plott\w*|vow\w* to|call\w* (?:for|on)|calling for|urg\w*|if|unless|"
    r"prevent\w*|"
    r"avoid\w*|without)\b"
)
# What someone is accused of: the accusation, close before the trigger, not the incident
# ("accused of killing"); not a mob that punished a man accused of a crime.
_CLAIM_WORDS = r"\b(?:who (?:claim\w*|say|said|allege\w*)|accus\w* of)\b"
# What is expected or prepared for, close before the trigger, has not happened: "deployed
# in anticipation of protests", "ready to counter an airstrike", "a possible attack".
_EXPECTED_WORDS = (
    r"\b(?:in anticipation of|in preparation for|prepar\w* (?:to|for)|ready to|waiting for|"
    r"(?<!-)await\w*|possible|tasked with)\b"
)
_IRREALIS = WordLedPattern(  # searched in lower-cased text
    guarded(
        _IRREALIS_WORDS + r"[^.;]*$"
        # What someone claims, close before the trigger, is their grievance, not the incident.
        rf"|{_CLAIM_WORDS}[^.;,]{{0,40}}$|{_EXPECTED_WORDS}[^.;,]{{0,60}}$"
        # A riot named after a protest's grievance word is its cause.
        rf"|{PROTEST}[^.;]*?{GRIEVANCE}[^.;,]*$"
    )
)
#: How far before a trigger its irrealis words are looked for: a bound, so a sentence of
#: many triggers costs linear time, and wider than the clauses that carry such words.
IRREALIS_WINDOW = 240
# Words before an agreement trigger that report its end, not its making.
_AGREEMENT_ENDED_AFTER = re.compile(
    r"\s+(?:has |had |was |which )?(?:collapsed|broke down|ended|expired|violated|breached|failed)"
)
_AGREEMENT_ENDED = re.compile(
    r"\b(?:collapse\w* of|broke down|breach\w* of|violat\w*|end of|ended|expir\w*|despite)\b"
    r"[^.;]{0,30}$",
    re.IGNORECASE,
)
_ENDED_FIGHTING = re.compile(r"\b(?:end(?:ed|ing|s)?|an end to)(?: [\w-]+){0,3} $")
_CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but)\s|\s+(?:while|whereas)\s", re.IGNORECASE)
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_ARMED_TARGET = WordLedPattern(
    guarded(
        r"\b(?:soldiers?|troops|police\w*|policem[ae]n|security (?:forces|personnel|officers)|"
        r"army|military|militi\w+|militants?|fighters?|rebels?|insurgents?|check ?points?|"
        r"convoys?|bases?|"
        r"posts?|positions?|checkpoints?|forces?|arbakis?|guards?|commanders?|commandos?|officers?|"
        r"personnel|lieutenants?|colonels?|captains?|sergeants?|brigades?|battalions?|divisions?|"
        r"intelligence|gendarmes?|combatants?|terrorists?|jihadists?)\b"
    )
)
_STATE_FORCES = re.compile(
    r"\b"
    + guarded(
        r"\b(?:army|military|troops|soldiers|(?:government|security|armed) forces)\b(?! base)"
    )
)
_NON_STATE_FORCES = re.compile(
    r"\b" + guarded(r"\b(?:fighters|militants|rebels|insurgents|jihadists|guerrillas)\b")
)
_REPORTED = re.compile(r"\b(?:said|says|say|told|reported|claimed|announced)\b(?: that)?")
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
_NOT_SERVING = re.compile(r"\b" + guarded(r"\b(?:former|ex-|retired|defected|deserters?)\b"))
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
    r"\b"
    + guarded(
        r"\b(?:civilians?|residents?|villagers?|people|m[ae]n|wom[ae]n|child(?:ren)?|boys?|girls?|youths?|"
        r"farmers?|shepherds?|famil(?:y|ies)|worshippers|students|passers-by|protesters?|"
        r"demonstrators?)\b"
    )
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
_HARMED = re.compile(
    r"\b" + guarded(r"\b(?:killed|killing|wounded|wounding|injured|injuring|beheaded|executed)\b")
)
_SIDE_ACT_STRENGTH = 0.45
_SIDE_ACTS = frozenset({"Looting/property destruction", "Arrests"})
_KILLING = re.compile(r"\b" + guarded(r"\b(?:killed|beheaded|executed|murdered|found dead)\b"))
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
_FORCE = "Excessive force against protesters"
_FORCE_STRENGTH = next(s for m, _, s in TRIGGER_TABLE if m == _FORCE)
_PROTESTERS = re.compile(r"\b(?:protesters?|demonstrators?|marchers)\b")
# Fire, the words of `DIRECT_FIRE` that hit people: gunfire, rifles, shots.
_FIRED = re.compile(r"gun ?fire|gunshots?|shots|rifles?|small arms")
_PROTEST_CAUSE = re.compile(rf"\b(?:{PROTEST})[^.;]{{0,{PROTEST_GAP}}}?{GRIEVANCE}")
_RIOTING = re.compile(r"\b" + guarded(f"(?:{RIOTING})"))
_ARREST_CAUSE = re.compile(ARREST_CAUSE)
_DISRUPTED_STRENGTH = next(s for m, _, s in TRIGGER_TABLE if m == "Disrupted weapons use")
#: What a mob does that is mob violence: an attack, or rioting where no protest is named.
_MOB_DEEDS = ("Attack", "Violent demonstration")
_PROTEST_WORD = re.compile(r"\b" + guarded(PROTEST))
_PASSIVE_NEAR = re.compile(r"\b(?:was|were|been)\b[^.;]*$")
_PASSIVE_TRIGGER = re.compile(r"(?:was|were|been) ")
# Ground named before a passive verb of retaking, or the losers driven from it.
_GROUND_BEFORE = re.compile(
    rf"\b(?:{GROUND}|positions|strongholds)\b[^.;]{{0,25}}\b(?:was|were|been)\s+$"
)
# Fire that backs or surrounds a battle ("backed by air strikes", "amid shelling") is not the
# clause's main incident.
_SUPPORTING_WORDS = (
    r"\b(?:amid|under (?:the )?cover of|supported by|backed by|support of|accompanied by|"
    r"with the help of|along with|alongside|in coordination with|"
    # What went on regardless is the news: "seized the town despite a bombing campaign".
    r"despite|in spite of)\b"
)
_SUPPORTING = WordLedPattern(guarded(_SUPPORTING_WORDS + r"[^.;,]*$"))
_SUPPORT_STRENGTH = 0.45
# An agreement named as the frame of what the clause reports ("handed over as part of a
# peace deal", "protested over last month's truce", "seized two fields ahead of peace
# talks"): the deal is background, the handover or the protest the news.
_FRAMING = WordLedPattern(
    guarded(
        r"\b(?:under|as part of|ahead of|over|in line with|in accordance with|terms of)\b"
        r"[^.;,]*$"
    )
)
#: How far before its verb an attack's subject is looked for.
_SUBJECT_REACH = 80
_GROUND_TAKEN = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
_BATTLES = frozenset(EVENT_TYPES["Battles"])
#: Fire that, named after ground was taken, backed the taking.
_FIRE_BEHIND_GROUND = frozenset({"Armed clash", *EVENT_TYPES["Explosions/Remote violence"]})
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


class _Clause:
    """A clause of lower-cased text, with what its triggers ask of the whole clause found
    once: asked again per trigger, a long clause of many triggers cost quadratic time.

    A plain class with slots, each answer kept on first use: most clauses ask one question
    once, and a dataclass with cached properties cost more than it saved.
    """

    __slots__ = (
        *("_actors", "_armed", "_armed_victim", "_members", "_taken_over", "_victims"),
        *("lowered", "span"),
    )

    def __init__(self, lowered: str, span: Span) -> None:
        self.lowered = lowered
        self.span = span
        self._armed: bool | None = None
        self._members: bool | None = None
        self._taken_over: bool | None = None
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
            self._armed = _ARMED_TARGET.search(self.lowered, self.span.start, self.span.end)
        return self._armed

    @property
    def members(self) -> bool:
        """Whether the clause names members of anything: of an armed group, it may be."""
        if self._members is None:
            self._members = self.search(_MEMBER) is not None
        return self._members

    @property
    def taken_over(self) -> bool:
        """Whether the clause names a side taking over ground (`_TAKEN_OVER`)."""
        if self._taken_over is None:
            self._taken_over = self.search(_TAKEN_OVER) is not None
        return self._taken_over

    @property
    def victims(self) -> tuple[Span, ...]:
        """Whom the clause says were killed or hurt."""
        if self._victims is None:
            clause, lowered = self.span, self.lowered
            self._victims = tuple(
                _target(lowered, clause, Span(match.start(), match.end()), rest=False)
                for match in _HARMED.finditer(lowered, clause.start, clause.end)
            )
        return self._victims

    @property
    def armed_victim(self) -> bool:
        """Whether armed men in service are among the victims."""
        if self._armed_victim is None:
            self._armed_victim = any(_is_armed(self.lowered, v) for v in self.victims)
        return self._armed_victim

    def actors_before(self, offset: int) -> list[ActorMention]:
        """The clause's actors named before `offset`, as `find_actors` finds them there."""
        if self._actors is None:
            self._actors = find_actors(self.lowered, self.span.start, self.span.end)
        return [m for m in self._actors if m.span.end <= offset]


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
    context: _Clause | None = None  # made at the first trigger: most clauses have none
    for start, end, row in matches:
        marker, strength = ROWS[row]
        span = Span(start, end)
        if _is_irrealis(lowered, clause, span, marker):
            continue
        if marker in _CONTEXT_TYPED:
            context = context or _Clause(lowered, clause)
            subtype = _subtype_of(context, span, marker)
            if subtype is None:
                continue
            if subtype == "Disrupted weapons use":
                # Weapons taken: the row's strength, above the weapons' own words.
                strength = max(strength, _DISRUPTED_STRENGTH)
        else:
            subtype = marker
        if _SUPPORTING.search(lowered, max(clause.start, span.start - 30), span.start) or (
            subtype == "Agreement"
            and _FRAMING.search(lowered, max(clause.start, span.start - 40), span.start)
        ):
            strength = min(strength, _SUPPORT_STRENGTH)
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
    if generic is not None and generic.subtype not in found:
        # "killed 38 people in an attack on a military base": armed men were among the
        # targets if any bare attack in the clause hit them.
        if armed_hit:
            generic = replace(generic, subtype="Armed clash")
        found[generic.subtype] = generic
    if "Attack" in found or "Mob violence" in found:
        found = _mob_violence(lowered, clause, found)
    if "Attack" in found and "Peaceful protest" in found:
        found = _fired_on_protesters(lowered, clause, found)
    if "Arrests" in found and "Peaceful protest" in found:
        found = _arrested_for_protesting(lowered, found)
    if not _PROTEST_FAMILY.isdisjoint(found):
        found = _riot_over_force(lowered, clause, _gravest_protest(lowered, clause, found))
    if len(found) == 1:
        return list(found.values())
    if "Peaceful protest" in found and not _BATTLES.isdisjoint(found):
        found = _troops_marched(lowered, found)
    found = _weapons_of_a_clash(lowered, found)
    if not _GROUND_TAKEN.isdisjoint(found):
        found = _ground_over_fire(lowered, found)
    # Span's order keyed on plain ints: comparing two `Span`s runs Python code.
    triggers = _demote_side_acts(lowered, clause, found).values()
    return sorted(triggers, key=lambda t: (t.span.start, t.span.end))


def _gravest_protest(lowered: str, clause: Span, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """`found` with the gravest way the clause says its protest went, which a milder match
    over the same words may have hidden: looked for from the milder match on, as far as a
    protest word and its outcome may stand apart, where the graver row's words occur."""
    milder = [t.span for subtype, t in found.items() if subtype in _PROTEST_FAMILY]
    start = min(span.start for span in milder)
    end = min(clause.end, max(span.end for span in milder) + PROTEST_GAP + 40)
    for subtype, pattern, words, strength in _PROTEST_ROWS:
        if subtype in found:
            return found
        if not words.for_text(lowered).search(lowered, start, end):
            continue
        for match in pattern.for_text(lowered).finditer(lowered, start, end):
            span = Span(match.start(), match.end())
            if not _is_irrealis(lowered, clause, span, subtype):
                return {**found, subtype: Trigger(subtype, span, clause, strength)}
    return found


def _riot_over_force(lowered: str, clause: Span, found: dict[str, Trigger]) -> dict[str, Trigger]:
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
        if not _is_irrealis(lowered, clause, span, "Violent demonstration"):
            strength = max(t.strength for t in met)
            kept = {sub: t for sub, t in found.items() if sub not in _FORCE_MET}
            riot = Trigger("Violent demonstration", span, clause, strength)
            return {**kept, "Violent demonstration": riot}
    return found


def _mob_violence(lowered: str, clause: Span, found: dict[str, Trigger]) -> dict[str, Trigger]:
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
    if lowered.startswith("attack", trigger.start) or _PASSIVE_BEFORE.search(
        lowered, max(clause.start, trigger.start - 14), trigger.start
    ):
        return False  # "attacks" may be a noun; a passive verb's subject was the victim
    # The subject stands in the verb's own phrase: after the last comma before it.
    begin = max(clause.start, trigger.start - _SUBJECT_REACH)
    begin = max(begin, lowered.rfind(",", begin, trigger.start) + 1)
    if not CROWD.search(lowered, begin, trigger.start):
        return False  # most attacks: no crowd named before the verb, asked first
    # After whoever reports it: "residents said gunmen killed".
    reported = _REPORTED.finditer(lowered, begin, trigger.start)
    begin = max((said.end() for said in reported), default=begin)
    return bool(
        CROWD.search(lowered, begin, trigger.start)
        and not ORGANISED_ARMED.search(lowered, begin, trigger.start)
        and not _ARMED_TARGET.search(lowered, begin, trigger.start)
    )


def _ground_over_fire(lowered: str, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """Where ground changed hands, the strikes, shells and bombs the clause names backed the
    taking, or tell its background ("captured two villages near a town that was the scene of
    a chemical attack"): the change of hands is the event, as ACLED's codebook has it."""
    taken = max((found[sub] for sub in _GROUND_TAKEN if sub in found), key=_strength)
    if taken.strength <= _SUPPORT_STRENGTH:
        return found
    # Fire named before the taking may be an incident of its own: "air strikes hit the
    # city, as rebels captured a village"; a clash anywhere in the clause was the battle.
    return {
        sub: replace(t, strength=min(t.strength, _SUPPORT_STRENGTH))
        if sub in _FIRE_BEHIND_GROUND and (sub == "Armed clash" or t.span.start > taken.span.start)
        else t
        for sub, t in found.items()
    }


def _strength(trigger: Trigger) -> float:
    return trigger.strength


def _fired_on_protesters(
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


def _arrested_for_protesting(lowered: str, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """Men arrested for a protest, or before one, were not arrested at it: "police detained
    activists who organised the protests" reports arrests, not a protest."""
    arrest, protest = found["Arrests"], found["Peaceful protest"]
    if arrest.span.end > protest.span.start or not _ARREST_CAUSE.search(
        lowered, arrest.span.end, protest.span.start
    ):
        return found
    return {sub: t for sub, t in found.items() if sub != "Peaceful protest"}


def _troops_marched(lowered: str, found: dict[str, Trigger]) -> dict[str, Trigger]:
    """ "Marched" in a clause of battle or taken ground is troops on the move, not a protest:
    "forces captured a town and marched deeper into the city"."""
    if not lowered.startswith("march", found["Peaceful protest"].span.start):
        return found
    return {sub: t for sub, t in found.items() if sub != "Peaceful protest"}


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


def _subtype_of(clause: _Clause, span: Span, marker: str) -> str | None:
    """The sub-type a trigger reports, for markers that its context decides."""
    if marker in (RETAKEN, TAKEN):
        return _taking_kind(clause, span, retaken=marker == RETAKEN)
    if marker == GENERIC_ATTACK:
        return _attack_kind(clause, span)
    if marker == WITHDRAWN:
        return "Non-violent transfer of territory" if clause.taken_over else _MOVED
    if marker == DIRECT_FIRE:
        return _fire_kind(clause)
    if marker == OPERATION:
        return _harm_kind(clause)
    if marker == "Armed clash" and _is_crowd_clash(clause):
        return "Mob violence"
    if marker == "Arrests":
        return _arrest_kind(clause, span)
    if marker == "Abduction/forced disappearance" and clause.search(_KILLING):
        # Taken and then killed: the killing is the event, typed by its victim.
        return _attack_kind(clause, span)
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


def _taking_kind(context: _Clause, trigger: Span, *, retaken: bool) -> str | None:
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


def _territory_kind(clause: _Clause, trigger: Span, *, retaken: bool) -> str:
    """Ground taken by state forces is regained by the government; by anyone else, overtaken."""
    # Who took it is named after whoever reports it: "the army spokesman said rebels took".
    reported = _REPORTED.finditer(clause.lowered, clause.span.start, trigger.start)
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


def _arrest_kind(context: _Clause, trigger: Span) -> str:
    """Men detained by the state are arrests; by a rebel group or a militia, abductions, as
    ACLED's codebook has it ("the SDF arrested four men" is an abduction). The first group
    named in the clause is the one that took them."""
    lowered, clause = context.lowered, context.span
    if _PASSIVE_BEFORE.search(lowered, max(clause.start, trigger.start - 14), trigger.start):
        return "Arrests"  # "3 militants were arrested": the group named is the detained
    actors = context.actors_before(trigger.start)
    taker = actors[0].actor.interaction if actors else 1
    return "Abduction/forced disappearance" if taker in _NON_STATE else "Arrests"


def _attack_kind(context: _Clause, trigger: Span) -> str:
    """An attack on armed men is an armed clash; on anyone else, violence against civilians.

    The target follows an active verb ("militants shot a teacher": the attacker, named
    before it, does not make the victim armed) and precedes a passive one ("a soldier was
    killed by a sniper").
    """
    if not context.armed and not context.members:
        return "Attack"  # no armed men anywhere in the clause
    lowered = context.lowered
    if _is_armed(lowered, _target(lowered, context.span, trigger)) or context.armed_victim:
        return "Attack" if context.search(_OFF_DUTY) else "Armed clash"
    return "Attack"


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
    if not (_ARMED_TARGET.search(lowered, span.start, span.end) or _armed_member(lowered, span)):
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


def _harm_kind(clause: _Clause) -> str:
    """An operation or an ambush that killed or hurt only unarmed people is an attack on
    civilians; one that hit armed men, or hit no one named, is an armed clash."""
    lowered = clause.lowered
    if not any(_UNARMED.search(lowered, v.start, v.end) for v in clause.victims):
        return "Armed clash"
    return "Armed clash" if clause.armed_victim else "Attack"


def _fire_kind(clause: _Clause) -> str:
    """Gunfire is an armed clash unless the clause names only unarmed people as its targets."""
    return "Attack" if clause.search(_UNARMED) and not clause.armed else "Armed clash"


def _is_crowd_clash(clause: _Clause) -> bool:
    """A clash of crowds with each other or with police, no armed group in it: a riot."""
    return clause.search(CROWD) is not None and clause.search(ORGANISED_ARMED) is None


def _is_irrealis(lowered: str, clause: Span, span: Span, subtype: str) -> bool:
    """Whether words shortly before a trigger make it a possibility, a warning or a claim.

    Searched in place, within `IRREALIS_WINDOW` characters: not in a copy of all the clause
    before each trigger, which made a long clause of many triggers quadratic.
    """
    start = max(clause.start, span.start - IRREALIS_WINDOW)
    if _IRREALIS.search(lowered, start, span.start):
        return True
    if subtype == "Armed clash":
        # Fighting that a deal or a truce ended is its background: "a deal ending weeks of
        # fighting".
        return (
            _ENDED_FIGHTING.search(lowered, max(clause.start, span.start - 30), span.start)
            is not None
        )
    if subtype != "Agreement":
        return False
    return bool(
        _AGREEMENT_ENDED.search(lowered, start, span.start)
        or _AGREEMENT_ENDED_AFTER.match(lowered, span.end, min(clause.end, span.end + 40))
    )
