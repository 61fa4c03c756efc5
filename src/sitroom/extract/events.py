"""Events: clauses that report an incident, typed in ACLED's taxonomy with date, place and actors.

Finding: each clause is matched against an ordered table of trigger patterns, one per
sub-type; a trigger inside a hypothetical, a warning, a claim or background history is not an
event. Some triggers are typed by their context, as ACLED's codebook does: an attack or a
killing by its victims (armed men: a clash; anyone else: an attack on civilians), gunfire as
a clash unless only unarmed people were hit, a clash between crowds as mob violence, a verb
of taking by what was taken (ground, a position, goods, prisoners) and who took it. Fire
that only backs a battle, and later sentences, report with less confidence; a protest's next
sentences can tell how it was met.
Writing: each event takes its date from the clause's time expressions (else the publication
date, flagged), its place from the most specific place in the clause (else the nearest one
before it), its actors from the actor dictionary and its fatalities from the clause's killed
figures, summed across groups. Reports of the same sub-type, place and date in one article
are one event.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from sitroom.extract.actors import find_actors
from sitroom.extract.text import Document, SpanIndex
from sitroom.model import Event, Figure, PlaceMention, Sentence, Span, TimeMention, Window

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

# Markers for triggers whose sub-type the target decides (`_attack_kind`).
_GENERIC_ATTACK = "(attack)"
#: Direct fire (small arms, machine guns): a clash between armed men unless it hit civilians.
_DIRECT_FIRE = "(fire)"
_RETAKEN, _TAKEN = "(retaken)", "(taken)"
_GENERIC = frozenset({_GENERIC_ATTACK, _DIRECT_FIRE})

# Weapons found, seized or made safe: "Disrupted weapons use" in ACLED's codebook.
_WEAPONS = (
    r"(?:weapons?|arms|ammunitions?|ammo|explosives?|firearms?|pistols?|rifles?|guns|"
    r"(?:land ?)?mines?|ieds?|improvised explosive devices?|explosive devices?|bombs?|"
    r"grenades?|rockets?|missiles?|drones?|caches?|depots?|rounds|cartridges|magazines)"
)
_DISRUPTING = (
    r"(?:seiz\w*|found|discover\w*|confiscat\w*|recover\w*|defus\w*|dismantl\w*|"
    r"clear\w*|intercept\w*|uncover\w*|unearth\w*|neutrali[sz]\w*)"
)
# Explosives destroyed before they go off.
_DESTROYED_EXPLOSIVES = (
    r"destroy\w* (?:\d+ |several |the |an? |hundreds of )?(?:land ?)?mines|"
    r"destroy\w* (?:\w+ ){0,3}(?:ieds?|improvised explosive|explosive devices?)"
)
# People in a crowd: a clash between them, or with police, is a riot, not a battle.
_CROWD = re.compile(
    r"\b(?:residents|villagers|locals|youths?|activists|supporters|party members|members of "
    r"(?:the )?(?:\w+ ){0,3}party|shopkeepers|traders|students|worshippers|crowds?|mobs?|"
    r"farmers|passengers|neighbou?rs|families|relatives|fans|communit(?:y|ies)|"
    # Fought with sticks and stones: a brawl, not a battle between armed groups.
    r"sticks|axes|stones|clubs|fists|batons)\b"
)
_ORGANISED_ARMED = re.compile(
    r"\b(?:militants?|fighters?|rebels?|insurgents?|militi\w+|gunmen|soldiers?|troops|army|"
    r"military|armed (?:men|group)|jihadists?|clans?|tribes(?:men)?)\b"
)


# Words after a protest word that state its grievance: "protested against the looting" was
# not a riot.
_GRIEVANCE = r"\b(?:against|for|over|about|condemn\w*|denounc\w*|demand\w*|calling)\b"


def _around_protest(words: str, *, grievance: bool = True) -> str:
    """A protest word and one of `words` in the same clause, in either order.

    With `grievance`, not as the protest's cause: "protested against the arrests".
    """
    # A comma closes the grievance: "protesting against prices, burned tyres".
    between = rf"(?:[^.;]*?,)?(?:(?!{_GRIEVANCE})[^.;,])*?" if grievance else "[^.;]*?"
    return rf"{_PROTEST}{between}(?:{words})|(?:{words})[^.;]*?{_PROTEST}"


def _around(first: str, second: str, gap: int = 60) -> str:
    """`first` then `second` within `gap` characters of one clause."""
    return rf"{first}[^.;]{{0,{gap}}}?\b{second}"


_EXCESSIVE_FORCE = (
    r"killed|shot dead|live (?:fire|ammunition|bullets)|crackdown|excessive force|"
    r"violently (?:suppress|dispers|crush|broke|break)\w*|brutal\w*|beat(?:en|ing)? up"
)
_RIOTING = (
    r"burn\w*|torch\w*|stones|rocks|vandal\w*|molotov|firecrackers|hurl\w*|thr[eo]w\w*|"
    r"smash\w*|clash\w*|violen\w*|unrest|looted|attacked"
)
_DISPERSAL = (
    r"tear ?gas|dispers\w*|water cannons?|rubber bullets|intervened|intervention|by force|"
    r"forcibly|pepper spray|batons?|broke up|break up|prevented|stun grenades?|"
    r"warning shots|shots (?:in|into) the air"
)
_DISPERSAL += r"|suppress\w*|chas(?:e|ed|ing)|halt\w*|drag\w*"

# (sub-type, pattern, strength): the strongest trigger of a clause is its primary event; at
# one position the earlier row's alternative wins.
_TRIGGER_TABLE: tuple[tuple[str, str, float], ...] = (
    (
        "Chemical weapon",
        r"chemical (?:weapons?|attacks?|agents?)|chlorine|sarin|(?:sulfur |sulphur )?mustard gas|"
        r"sulfur mustard|toxic gas|poison\w* gas|nerve agents?|gas attacks?",
        0.9,
    ),
    (
        "Suicide bomb",
        r"suicide (?:bomb\w*|attack\w*|car bomb\w*|vests?|blasts?)|self-detonat\w+|"
        r"blew (?:himself|herself|themselves) up",
        0.9,
    ),
    # Finding or defusing a bomb stops its use: above the bomb's own row.
    (
        "Disrupted weapons use",
        _around(_DISRUPTING, _WEAPONS)
        + "|"
        + _around(_WEAPONS, r"(?:were|was|been|being) " + _DISRUPTING, 80)
        + rf"|{_DESTROYED_EXPLOSIVES}|shot down|defus\w*|(?:weapons|arms) caches?",
        0.87,
    ),
    (
        "Air/drone strike",
        r"air ?strikes?|air ?raids?|air attacks?|drone (?:strikes?|attacks?)|"
        r"warplanes?|fighter jets?|(?:helicopter )?gunships?|air ?force(?! intelligence)|"
        r"(?:air )?drones?|aircrafts?|helicopters?|"
        r"aerial (?:bombardment|bombing|attacks?)|bombing (?:campaign|raids?)|barrel bombs?|"
        r"bombed|dropp\w* (?:\w+ )?bombs",
        0.85,
    ),
    # Launched grenades are stand-off fire (shelling); a grenade is one thrown by hand.
    ("Grenade", r"(?<!propelled )grenades?(?! launch)", 0.8),
    (
        "Remote explosive/landmine/IED",
        r"\bieds?\b|improvised explosive|land ?mines?|roadside bombs?|"
        r"explosive devices?|car bombs?|booby[- ]trap\w*|bomb (?:blast|exploded|went off)|"
        r"(?:exploded|detonat\w*)|planted|(?:sticky |magnetic )?bombs?|mines?|explosives|"
        r"(?:rc|vb|pb|sv|hb|uv|bb)ieds?",
        0.75,
    ),
    # Small arms beside heavy weapons mean the sides engaged directly: an armed clash.
    (
        _DIRECT_FIRE,
        r"small arms|gunfire|gun ?fire|rifles?|shots of (?:small arms )?fire|"
        # Fire both ways is a battle, whatever the weapons.
        r"exchanged (?:\w+ )?(?:fire|gunfire|artillery fire)|"
        r"exchanges? of (?:\w+ )?(?:fire|shelling)|"
        r"shelling exchanges?|in both directions of the front\w*|returned fire|"
        r"responded (?:to the |with )(?:\w+ )?(?:fire|shelling)",
        0.86,
    ),
    (
        "Shelling/artillery/missile attack",
        # Monitors' "explosions" of unknown weapons are shelling in ACLED's coding.
        r"shell(?:s|ed|ing)?|artillery|mortars?|rockets?|grenade launchers?|"
        r"rocket-propelled grenades?|rpgs?|recoilless|ifvs?|tank fire|heavy weapons|"
        r"(?:heavy )?machine ?guns?|machineguns|"
        r"missiles?|bombard\w*|projectiles?|pound(?:ed|ing)|atgms?|anti-tank|"
        r"heavy (?:and medium )?weapons",
        0.8,
    ),
    # Below a named device: "a landmine explosion" is the landmine's.
    ("Shelling/artillery/missile attack", r"explosions?|blasts?", 0.7),
    ("Sexual violence", r"\brap(?:e|ed|es)\b|sexual(?:ly)? (?:assault\w*|violence|abuse\w*)", 0.8),
    (
        "Abduction/forced disappearance",
        r"abduct\w*|kidnap\w*|taken hostage|forcibly disappeared",
        0.85,
    ),
    ("Excessive force against protesters", _around_protest(_EXCESSIVE_FORCE), 0.78),
    (
        "Violent demonstration",
        r"(?<!anti-)riot(?:s|ers?|ing|ed)?(?! police| gear| control| squads?| units?)|"
        + _around_protest(_RIOTING),
        0.76,
    ),
    (
        "Protest with intervention",
        _around_protest(_DISPERSAL, grievance=False)
        + "|"
        + _around_protest(r"arrest\w*|detain\w*"),
        0.74,
    ),
    # Above arrests: "protested against the arrest of" is a protest.
    ("Peaceful protest", _PROTEST, 0.72),
    ("Mob violence", r"\bmobs?\b|lynch\w*|vigilantes?", 0.6),
    # Who took ground decides the sub-type (`_territory_kind`); the verb is only a fallback.
    # A change of hands outranks the fighting that brought it.
    (
        _RETAKEN,
        r"regain\w*|recaptur\w*|retook|retak\w+|reclaim\w*|recovered (?:territory|control)|"
        r"liberat\w*|established control|pushed (?:[\w-]+ ){1,4}out of|"
        r"freed (?:\w+ ){0,2}(?:villages?|towns?|areas?|city|district)",
        0.65,
    ),
    (
        _TAKEN,
        r"captur\w*|seiz\w*|overr[au]n|overt[oa]ok|took (?:full )?control|"
        r"(?:taken|gained|seized|took over) control|took over|fell to",
        0.63,
    ),
    (
        "Attack",
        r"executed|massacre\w*|assassinat\w*|tortur\w*|beat(?:en|ing)?|stabb?\w*|"
        r"opened fire on (?:civilians|villagers|residents|worshippers|protesters|a crowd)|"
        r"attacked (?:civilians|villagers|a village)",
        0.7,
    ),
    (
        _GENERIC_ATTACK,
        r"(?:shot|gunned) (?:dead|down)|shot and (?:killed|wounded|injured)|snipers?",
        0.68,
    ),
    (
        "Agreement",
        r"cease-?fires?|truces?|(?:humanitarian )?pauses?|peace (?:deal|agreement|accord|talks)|"
        r"signed (?:a|an) (?:deal|agreement)|prisoner (?:exchange|swap)|"
        r"(?:exchange|swap|release)\w* (?:process )?of (?:\w+ )?prisoners|"
        r"surrender\w*|reached (?:an?|the) (?:\w+ )?(?:agreement|deal|accord|understanding)|"
        r"agreements?|accords?",
        0.7,
    ),
    (
        "Looting/property destruction",
        r"loot\w*|torched|set (?:fire|ablaze) to|vandali\w*|demolish\w*|plunder\w*|arson\w*|"
        r"burn(?:ed|t) (?:down )?(?:houses|homes|shops|property|vehicles)|"
        r"(?:took|taking|carried|carrying) away|stole|stolen|stealing|razed|robbed|"
        r"(?:cut down|uprooted|felled|destroyed|burn\w*) (?:\w+ ){0,3}(?:trees|crops|fields)|"
        r"damaged (?:the|a|an|several) (?:\w+ )?(?:buildings?|offices?|houses?|homes?|shops?)",
        0.6,
    ),
    # Below an armed clash: prisoners taken in a battle do not make it an arrest.
    ("Arrests", r"arrest\w*|detain\w*|taken into custody|apprehend\w*", 0.58),
    (
        "Headquarters or base established",
        _around(
            r"(?:established|establishing|set up|setting up|created|built|opened|erected)",
            r"(?:bases?|headquarters|outposts?|posts?|points?)",
            30,
        )
        + r"|(?:bases?|headquarters|outposts?|posts?|points?) (?:was|were|has been|have been) "
        r"(?:established|set up|built|erected)",
        0.6,
    ),
    (
        "Non-violent transfer of territory",
        r"handed over|handover|withdr[ae]wn? from|pulled out of|pull(?:ed)? back from",
        0.5,
    ),
    (
        "Armed clash",
        r"clash\w*|fighting|fought|firefights?|gun ?battles?|ambush\w*|skirmish\w*|"
        r"offensive|assault|push(?:ed|ing) into|"
        r"attacked (?:positions?|a checkpoint|an army|a military|troops|soldiers|police)|"
        r"incursions?|thwart\w*|repel\w*|repuls\w*|(?:military|security) operations?|"
        r"operations? (?:by|against)|during an operation|exchanged \w+(?: \w+)? with|"
        r"(?:inter-?)?(?:clan|communal|tribal|ethnic) (?:violence|fighting|clashes|conflict)|"
        r"killings between|fights? between",
        0.6,
    ),
    (
        # An attack of no stated kind: an armed clash if it hit armed men, else an attack on
        # civilians (`_ARMED_TARGET` decides, as ACLED's codebook does by the target).
        _GENERIC_ATTACK,
        r"attack(?:s|ed)?|killed by|shot|raid(?:s|ed)?|stormed|killed|killing|assaulted|"
        r"opened fire|wounded|injured|shooting|gunshots?",
        0.5,
    ),
    (
        "Change to group/activity",
        r"recruit\w*|curfew|mobili[sz]\w*|reinforcements?|defect\w*|joined|"
        r"movement of forces|security measures|military column|convoy of troops|"
        r"affiliation|deploy\w*|redeploy\w*|fortif\w*",
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
# faster than a pattern per row. At one position the earlier row's alternative wins. Each row
# is named by an empty group at its end, not a group around it: the regex engine rejects an
# alternative that starts with a wrong letter at once, but must enter one that starts with a
# group, and the table was a third slower so. The leading `\b` is implied by the look-behind
# but rejects the inside of a word in one step.
_TRIGGERS = re.compile(
    r"\b(?<![\w-])(?:"
    + "|".join(f"(?:{pattern})(?P<t{i}>)" for i, (_, pattern, _) in enumerate(_TRIGGER_TABLE))
    + r")(?![\w-])"
)
# Words before a trigger that make it a possibility, a warning or a plan, not an incident.
# "may" next to a number is the month ("9 May 2020", "May 9"), not the modal.
_IRREALIS = re.compile(  # searched in lower-cased text
    r"\b(?:might|could|would|(?<!\d )may(?! \d)|threaten\w*|warn\w*|fear\w*|risk of|"
    r"plans? to|planning to|vow\w* to|call\w* for|calling for|urg\w*|if|unless|prevent\w*|"
    r"avoid\w*|without|accus\w* of)\b[^.;]*$"
    # What someone claims, close before the trigger, is their grievance, not the incident.
    r"|\bwho (?:claim\w*|say|said|allege\w*)\b[^.;,]{0,40}$"
    # A riot named after a protest's grievance word is its cause.
    rf"|{_PROTEST}[^.;]*?{_GRIEVANCE}[^.;,]*$"
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
LATER_SENTENCE_PENALTY = 0.05
#: How many sentences after a protest may tell how it was met.
FOLLOW_UP = 3
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_ARMED_TARGET = re.compile(
    r"\b(?:soldiers?|troops|police\w*|security (?:forces|personnel|officers)|army|military|"
    r"militi\w+|militants?|fighters?|rebels?|insurgents?|check ?points?|convoys?|bases?|posts?|"
    r"positions?|checkpoints?|forces|arbakis?|guards?|commanders?)\b"
)
_UNARMED = re.compile(
    r"\b(?:civilians?|residents?|villagers?|people|m[ae]n|wom[ae]n|child(?:ren)?|boys?|girls?|"
    r"farmers?|shepherds?|famil(?:y|ies)|worshippers|students|passers-by)\b"
)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+$")
# The object of a verb of taking: ground changes hands; a position taken in a fight is part
# of the battle; goods taken are looting; people taken are prisoners.
_TAKEN_OBJECT = re.compile(
    r"\s+(?:of |over )?(?:[\w'-]+\s+){0,3}?(?:"
    r"(?P<ground>towns?|villages?|cit(?:y|ies)|districts?|areas?|territor\w+|regions?|"
    r"neighbou?rhoods?|hills?|localit\w+|provinces?|capital)|"
    r"(?P<position>check ?points?|posts?|bases?|positions?|points?|outposts?|units?)|"
    r"(?P<goods>vehicles?|motorbikes?|motorcycles?|cars?|trucks?|livestock|cattle|goats|"
    r"sheep|camels|goods|food|money|cash|property|equipment)|"
    r"(?P<people>militants?|fighters?|soldiers?|rebels?|insurgents?|members?|men|people|"
    r"civilians|prisoners?|suspects?|commanders?|leaders?|elements))\b"
)
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
    r"\b(?:amid|under (?:the )?cover of|supported by|backed by|support of|accompanied by|"
    r"with the help of|along with|alongside|in coordination with)\b[^.;,]*$"
)
_SUPPORT_STRENGTH = 0.45
_SUBSET_BEFORE = re.compile(
    r"\b(?:including|among them|of them|of whom|incl\.?)\s+(?:at least\s+)?$"
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
        marker, _, strength = _TRIGGER_TABLE[int(str(match.lastgroup)[1:])]
        span = Span(match.start(), match.end())
        if _is_irrealis(lowered, clause, span, marker):
            continue
        subtype = _subtype_of(lowered, clause, span, marker)
        if subtype is None:
            continue
        if _SUPPORTING.search(lowered, max(clause.start, span.start - 30), span.start):
            strength = min(strength, _SUPPORT_STRENGTH)
        trigger = Trigger(subtype, span, clause, strength, generic=marker == _GENERIC_ATTACK)
        if trigger.generic:
            # One bare attack per clause: "attacked a post, killing two" is one attack.
            if generic is None or strength > generic.strength:
                generic = trigger
            continue
        seen = found.get(subtype)
        if seen is None or strength > seen.strength:
            found[subtype] = trigger
    if generic is not None and generic.subtype not in found:
        found[generic.subtype] = generic
    return sorted(_demote_side_acts(lowered, clause, found).values(), key=lambda t: t.span)


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
    if marker in (_RETAKEN, _TAKEN):
        return _taking_kind(lowered, clause, span, retaken=marker == _RETAKEN)
    if marker == _GENERIC_ATTACK:
        return _attack_kind(lowered, clause, span)
    if marker == _DIRECT_FIRE:
        return _fire_kind(lowered, clause)
    if marker == "Armed clash" and _is_crowd_clash(lowered, clause):
        return "Mob violence"
    if marker == "Abduction/forced disappearance" and _KILLING.search(
        lowered, clause.start, clause.end
    ):
        # Taken and then killed: the killing is the event, typed by its victim.
        return _attack_kind(lowered, clause, span)
    return marker


def _drop_restated_attacks(triggers: list[Trigger]) -> list[Trigger]:
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
    return {"goods": "Looting/property destruction", "position": "Armed clash"}.get(
        str(taken.lastgroup)
    )


def _territory_kind(lowered: str, clause: Span, trigger: Span, *, retaken: bool) -> str:
    """Ground taken by state forces is regained by the government; by anyone else, overtaken."""
    actors = find_actors(lowered, clause.start, trigger.start)
    # With no actor named, the verb decides: "recaptured" is the government's word.
    state = any(m.actor.interaction == 1 for m in actors) if actors else retaken
    return "Government regains territory" if state else "Non-state actor overtakes territory"


def _attack_kind(lowered: str, clause: Span, trigger: Span) -> str:
    """An attack on armed men is an armed clash; on anyone else, violence against civilians.

    The target follows an active verb ("militants shot a teacher": the attacker, named
    before it, does not make the victim armed) and precedes a passive one ("a soldier was
    killed by a sniper").
    """
    if lowered.startswith("sniper", trigger.start):
        target = clause
    elif _PASSIVE_BEFORE.search(lowered, max(clause.start, trigger.start - 14), trigger.start) or (
        lowered.startswith(" by", trigger.end) or lowered.endswith(" by", 0, trigger.end)
    ):
        target = Span(clause.start, trigger.start)
    else:
        target = Span(trigger.start, clause.end)
    armed = _ARMED_TARGET.search(lowered, target.start, target.end)
    return "Armed clash" if armed else "Attack"


def _fire_kind(lowered: str, clause: Span) -> str:
    """Gunfire is an armed clash unless the clause names only unarmed people as its targets."""
    unarmed = _UNARMED.search(lowered, clause.start, clause.end)
    armed = _ARMED_TARGET.search(lowered, clause.start, clause.end)
    return "Attack" if unarmed and not armed else "Armed clash"


def _is_crowd_clash(lowered: str, clause: Span) -> bool:
    """A clash of crowds with each other or with police, no armed group in it: a riot."""
    crowd = _CROWD.search(lowered, clause.start, clause.end)
    return bool(crowd) and not _ORGANISED_ARMED.search(lowered, clause.start, clause.end)


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
        re.compile(rf"{_STATE_AGENTS}[^.;]*?\b(?:{_EXCESSIVE_FORCE})\b"),
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
            rf"{_STATE_AGENTS}[^.;]*?\b(?:{_DISPERSAL}|"
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
