"""The words of events: ACLED's taxonomy and the trigger table that names each sub-type.

Tables and the patterns they are built from, read by `sitroom.extract.event_triggers` and the
modules it types with, which compile them. Rows are ordered: at one position the earlier
row's alternative wins, and the strongest trigger of a clause is its primary event.
"""

from __future__ import annotations

import re

from sitroom.extract.prefix_guard import guarded

__all__ = [
    "ARREST_CAUSE",
    "CROWD",
    "DEMONSTRATORS_VIOLENCE",
    "DIRECT_FIRE",
    "DISPERSAL",
    "ESCALATED",
    "EVENT_TYPES",
    "EXCESSIVE_FORCE",
    "GENERIC_ATTACK",
    "GRIEVANCE",
    "GROUND",
    "OPERATION",
    "ORGANISED_ARMED",
    "OUTCOME_WORDS",
    "PAIRED",
    "PROTEST",
    "PROTEST_ACTS",
    "PROTEST_GAP",
    "PROTEST_LETTERS",
    "RETAKEN",
    "RIOTING",
    "RIOTING_PROTEST",
    "SUBTYPES",
    "TAKEN",
    "TRIGGER_TABLE",
    "WAR_REMNANTS",
    "WEAPONS",
    "WITHDRAWN",
]

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

PROTEST = (
    r"(?:protest\w*(?:-march\w*)?|demonstrat(?:ion|ions|ors|ed|ing)|rall(?:y|ies|ied)|"
    r"sit-ins?|die-ins?|"
    # "Monday's march", "a march against": the noun, not the month ("in March", "the March 5").
    # The word before looked behind from after "march": a look-behind first is tried at
    # every character of the text a protest word is looked for in.
    r"marche[ds]\b|marchers|march(?<=peaceful march)|"
    r"march(?:(?<='s march)|(?<=\ba march)|(?<=\bthe march))(?= (?:against|for|by|"
    r"through|to|in|from|drew|was|were|took|organi[sz]ed|called)\b))"
)

# Markers for triggers whose sub-type the target decides (`_attack_kind`).
GENERIC_ATTACK = "(attack)"
#: Direct fire (small arms, machine guns): a clash between armed men unless it hit civilians.
DIRECT_FIRE = "(fire)"
RETAKEN, TAKEN, WITHDRAWN = "(retaken)", "(taken)", "(withdrawn)"
#: An armed operation named without its target: a clash unless it harmed only civilians.
OPERATION = "(operation)"

#: Ground that changes hands: what a verb of taking took when territory changed hands.
GROUND = (
    r"(?:towns?|villages?|cit(?:y|ies)|districts?|areas?|territor\w+|regions?|"
    r"neighbou?rhoods?|hills?|hilltops?|localit\w+|provinces?|capital|ground)"
)

# Weapons found, seized or made safe: "Disrupted weapons use" in ACLED's codebook.
WEAPONS = (
    r"(?:weapons?|arms|ammunitions?|ammo|explosives?|firearms?|pistols?|rifles?|guns|"
    r"(?:land ?)?mines?|ieds?|improvised explosive devices?|explosive devices?|bombs?|"
    r"grenades?|rockets?|missiles?|drones?|caches?|depots?|rounds|cartridges|magazines)"
)
_DISRUPTING_VERBS = (
    r"seiz\w*|found|discover\w*|confiscat\w*|recover\w*|defus\w*|dismantl\w*|"
    r"clear\w*|intercept\w*|uncover\w*|unearth\w*|neutrali[sz]\w*"
)
DISRUPTING = f"(?:{_DISRUPTING_VERBS})"
#: A mine or shell left from a war long over: "a landmine laid during the Iran-Iraq War",
#: "unexploded ordnance from the 1990s war", "explosive remnants of war". Not ordnance left
#: by the fighting of the war still going on ("unexploded bombs from previous fighting"):
#: ACLED codes that a remote explosive.
WAR_REMNANTS = (
    r"(?:explosive )?remnants? of (?:the )?(?:[\w-]+ ){0,2}?wars?|war remnants?|"
    r"(?:(?:land ?)?mines?|unexploded (?:ordnance|munitions?|shells?|bombs?|devices?)),? "
    r"(?:which was |that was |were |was )?(?:(?:laid|planted|left)(?: over| behind)? "
    r"(?:during|in|from)|during|from) (?:the )?(?:[\w-]+ ){0,3}?(?:war|conflict)\b"
    # Not where the mine lies: "a mine in the war zone".
    r"(?! zones?| areas?| regions?)"
)
# Explosives destroyed before they go off.
DESTROYED_EXPLOSIVES = (
    r"destroy\w* (?:\d+ |several |the |an? |hundreds of )?(?:land ?)?mines|"
    r"destroy\w* (?:[\w-]+ ){0,3}(?:ieds?|improvised explosive|explosive devices?)"
)
# People in a crowd: a clash between them, or with police, is a riot, not a battle.
CROWD = re.compile(
    r"\b"
    + guarded(
        r"\b(?:residents|villagers|locals|local people|youths?|activists|supporters|"
        r"party members|members of (?:the )?(?:\w+ ){0,3}party|shopkeepers|traders|students|"
        r"worshippers|crowds?|mobs?|"
        r"farmers|passengers|neighbou?rs|families|relatives|fans|communit(?:y|ies)|"
        # Fought with sticks and stones: a brawl, not a battle between armed groups.
        r"sticks|axes|stones|clubs|fists|batons)\b"
    )
)
ORGANISED_ARMED = re.compile(
    r"\b"
    + guarded(
        r"\b(?:militants?|fighters?|rebels?|insurgents?|militi\w+|gunmen|soldiers?|troops|army|"
        r"military|armed (?:men|groups?)|factions?|jihadists?|clans?|tribes(?:men)?)\b"
    )
)


# Words after a protest word that state its grievance: "protested against the looting" was
# not a riot.
GRIEVANCE = (
    r"\b(?:against|for|over|about|condemn\w*|denounc\w*|decr(?:y|ied|ies|ying)|demand\w*|calling|"
    # What the protest answered: "protested following the arrest of a leader".
    r"following|in the wake of|in response to|in reaction to|"
    # A protest that mourns the dead did not kill them.
    r"mourn\w*|in memory of|commemorat\w*|(?:photos|photographs|pictures|portraits) of)\b"
)


# What a crowd does to protest, when the same clause says what it demanded.
PROTEST_ACTS = (
    r"(?:gathered|assembled|took to the streets|"
    r"(?:blocked|closed|shut down) (?:[\w-]+ ){0,3}(?:roads?|highways?|streets?|entrances?))"
    r"(?=[^.;]{0,100}?\b(?:demand\w*|chant\w*|condemn\w*|denounc\w*|"
    r"voic\w* (?:their )?(?:rejection|opposition|anger|discontent)|in protest)\b)"
)

#: How far apart a protest word and the words that say how it went may stand: a bound, so
#: a long clause of many such words costs linear time ("killed" is one of them).
PROTEST_GAP = 200


def _around_protest(words: str, *, grievance: bool = True, cause: str | None = None) -> str:
    """A protest word and one of `words` in the same clause, in either order.

    With `grievance`, not as the protest's cause: "protested against the arrests". With
    `cause`, words that, between `words` named first and the protest, make the protest
    the reason for them, not their place: "arrested for organising a protest".
    """
    # A comma closes the grievance: "protesting against prices, burned tyres".
    gap = PROTEST_GAP
    between = (
        rf"(?:[^.;]{{0,{gap}}}?,)?(?:(?!{GRIEVANCE})[^.;,]){{0,{gap}}}?"
        if grievance
        else rf"[^.;]{{0,{gap}}}?"
    )
    # Guards in front of the words looked for at every character of the gap: the engine
    # tries each alternative at each character, the guard one class test (`prefix_guard`).
    inner, protest = guarded(f"(?:{words})"), guarded(PROTEST)
    after = rf"(?:(?!{cause})[^.;]){{0,{gap}}}?" if cause else rf"[^.;]{{0,{gap}}}?"
    return rf"{PROTEST}{between}{inner}|(?:{words}){after}{protest}"


def _around(first: str, second: str, gap: int = 60) -> str:
    """`first` then `second` within `gap` characters of one clause."""
    return rf"{first}[^.;]{{0,{gap}}}?\b{guarded(second)}"


EXCESSIVE_FORCE = (
    r"killed|shot dead|live (?:fire|ammunition|bullets|rounds)|crackdown|excessive force|"
    # "brutally", "a brutal crackdown"; not "police brutality", a protest's grievance.
    r"violently (?:suppress|dispers|crush|broke|break)\w*|brutal(?:ly)?|beat(?:en|ing)? up|"
    r"opened fire|fired (?:on|into)|serious(?:ly)? injur\w*|serious injuries"
)
#: What demonstrators do that makes their protest a riot in ACLED's codebook: clashes,
#: vandalism, stones thrown, roads blocked with barricades or burning tyres. Force used on
#: such a crowd does not make it peaceful protesters met with force.
DEMONSTRATORS_VIOLENCE = (
    r"stones|rocks|molotov|hurl\w*|pelt\w*|thr[eo]w\w*|smash\w*|vandal\w*|torch\w*|"
    r"clash\w*|looted|tore down|pull(?:ed|ing)? down|barricad\w*|"
    r"burn\w* (?:tyres|tires|cars|vehicles|buildings)"
)
# Not the violence of those who met the protest: "the violent dispersal of the sit-in".
RIOTING = (
    rf"{DEMONSTRATORS_VIOLENCE}|burn\w*|firecrackers|aggressive|unrest|attacked|"
    r"violen\w*\b(?! (?:dispers\w*|crackdown|suppress\w*|repress\w*|break-?ups?))"
)
#: A protest that turned into a riot: said of the protest, whatever its grievance.
ESCALATED = (
    r"turned violent|(?:descended|degenerated|erupted|escalated) into (?:[\w-]+ ){0,6}?"
    r"(?:violence|clashes|riots?|rioting|chaos|unrest)"
)
#: A protest word and its demonstrators' violence in one clause, the riot's own words.
RIOTING_PROTEST = (
    _around_protest(DEMONSTRATORS_VIOLENCE) + "|" + _around_protest(ESCALATED, grievance=False)
)
DISPERSAL = (
    r"tear ?gas|dispers\w*|water cannons?|rubber bullets|intervened|intervention|by force|"
    r"forcibly|pepper spray|batons?|broke up|break up|prevented|(?:stun|smoke) grenades?|"
    r"warning shots|shots (?:in|into) the air"
)
DISPERSAL += r"|suppress\w*|chas(?:e|ed|ing)|halt\w*|drag\w*"

# Words between an arrest and a protest named after it that make the protest what the
# detainees were held for, or a protest yet to come: arrests, not arrests at a protest.
ARREST_CAUSE = (
    r"\b(?:who|organi[sz]\w*|charge[sd]?|accus\w*|before|ahead of|in anticipation of|"
    r"for (?:organi|participat|taking part|leading|calling|joining))"
)
# How a protest went, in the words of each protest row: the words, and whether a grievance
# before them is the protest's cause ("protested against the arrests") rather than its outcome.
_OUTCOMES: dict[str, tuple[tuple[str, bool], ...]] = {
    "Excessive force against protesters": ((EXCESSIVE_FORCE, True),),
    "Violent demonstration": ((RIOTING, True), (ESCALATED, False)),
    # Not "detainees", who may be the protesters.
    "Protest with intervention": ((DISPERSAL, False), (r"arrest\w*|detain(?!ees?\b)\w*", True)),
}
#: The alternatives of the protest rows that pair a protest word with how the protest went,
#: by sub-type: each row's pattern ends with them. None can match where no protest word
#: (`PROTEST_LETTERS`) and no word of how one went (`OUTCOME_WORDS`) are named, and they are
#: the table's slowest to fail: at every word of violence they read on to the end of the
#: sentence for a protest word.
PAIRED: dict[str, str] = {
    subtype: "|".join(
        _around_protest(
            words, grievance=grievance, cause=ARREST_CAUSE if words.startswith("arrest") else None
        )
        for words, grievance in pairs
    )
    for subtype, pairs in _OUTCOMES.items()
}
#: Every word of how a protest went that `PAIRED` looks for.
OUTCOME_WORDS = "|".join(words for pairs in _OUTCOMES.values() for words, _ in pairs)
#: Letters every match of `PROTEST` holds, with what its look-behinds read before "march"
#: (not the month): a text without any of them names no protest.
PROTEST_LETTERS = (
    *("protest", "demonstrat", "rally", "rallie", "sit-in", "marche", "die-in"),
    *("peaceful march", "'s march", "a march", "the march"),
)

# (sub-type, pattern, strength): the strongest trigger of a clause is its primary event; at
# one position the earlier row's alternative wins. No row's words run over a full stop or a
# semicolon: `event_triggers` scans a text in stretches split there.
TRIGGER_TABLE: tuple[tuple[str, str, float], ...] = (
    (
        "Chemical weapon",
        r"chemical (?:weapons?|attacks?|agents?)|chlorine|sarin|(?:sulfur |sulphur )?mustard gas|"
        r"sulfur mustard|toxic gas(?:es)?|poison\w* gas(?:es)?|nerve agents?|gas attacks?",
        0.9,
    ),
    (
        "Suicide bomb",
        # A bomb its carrier died with too: "a suicide vehicle-borne IED", "explosive vests".
        r"suicide (?:bomb\w*|attack\w*|car bomb\w*|vests?|blasts?|"
        r"(?:[\w-]+ ){0,2}?(?:ieds?|improvised explosive|explosives?|devices?))|self-detonat\w+|"
        r"blew (?:himself|herself|themselves) up|"
        r"svbieds?|kamikazes?|explosive vests?|"
        + _around(r"detonat\w*", r"kill(?:ing|ed) themselves", 50),
        0.9,
    ),
    # Finding or defusing a bomb stops its use: above the bomb's own row.
    (
        "Disrupted weapons use",
        _around(DISRUPTING, WEAPONS)
        + "|"
        # Weapons that "were captured": not the ground a verb of capturing takes first.
        + _around(WEAPONS, rf"(?:were|was|been|being) (?:captured|{_DISRUPTING_VERBS})", 80)
        + rf"|{DESTROYED_EXPLOSIVES}|shot down|defus\w*|(?:weapons|arms) caches?|"
        # A bomb that went off in its makers' hands was not used on anyone.
        r"(?:exploded|detonated|went off) prematurely|prematurely (?:exploded|detonated)|"
        r"(?:stash|cache)(?:e?s)? of",
        0.87,
    ),
    (
        "Air/drone strike",
        r"air ?strikes?|air ?raids?|air attacks?|drone (?:strikes?|attacks?)|"
        r"warplanes?|fighter jets?|(?:helicopter )?gunships?|air ?force(?! intelligence)|"
        r"(?:air )?drones?|aircrafts?|helicopters?|choppers?|"
        r"aerial (?:bombardments?|bombings?|attacks?)|bombing (?:campaign|raids?)|barrel bombs?|"
        # Jets in a conflict report are warplanes: "missiles fired by Israeli jets".
        r"jets|"
        r"bombed|dropp\w* (?:\w+ )?bombs",
        0.85,
    ),
    # Launched grenades are stand-off fire (shelling); a grenade is one thrown by hand.
    # Not the smoke grenades police disperse crowds with.
    ("Grenade", r"(?<!propelled )(?<!smoke )grenades?(?! launch)", 0.8),
    # A mine or shell left from a war long over hurts someone: no armed group used it now,
    # so ACLED's codebook makes it a strategic development ("Other"), above the mine's row.
    ("Other", WAR_REMNANTS, 0.77),
    (
        "Remote explosive/landmine/IED",
        r"\bieds?\b|improvised explosive|land ?mines?|roadside bombs?|"
        r"explosive devices?|car bombs?|booby[- ]trap\w*|bomb (?:blasts?|exploded|went off)|"
        # A bombing by a vehicle or on a road is a planted bomb, as the verb "exploded" is.
        r"(?:car|truck|lorry|vehicle|motorcycle|bicycle|roadside) bombings?|bomb attacks?|"
        r"(?:exploded|detonat\w*)|planted|(?:sticky |magnetic )?bombs?|explosives|"
        # A charge set off on a target: "a remote explosive attack", "blew up a railway track".
        r"remote explosives?|explosive attacks?|(?:blew|blown|blowing) up|"
        # Not a mine that is dug: "the coal mine", "mine workers".
        r"(?<!coal )(?<!gold )(?<!salt )(?<!copper )(?<!iron )(?<!diamond )mines?"
        r"(?! (?:company|workers|owners?|sites?|shafts?))|"
        r"(?:rc|vb|pb|hb|uv|bb)ieds?|limpet (?:mines?|bombs?|blasts?)",
        0.75,
    ),
    # Small arms beside heavy weapons mean the sides engaged directly: an armed clash.
    (
        DIRECT_FIRE,
        r"small arms|gunfire|gun ?fire|rifles?|shots of (?:small arms )?fire|"
        # Fire both ways is a battle, whatever the weapons.
        r"exchanged (?:\w+ )?(?:fire|gunfire|artillery fire)|"
        r"exchanges? of (?:\w+ )?(?:fire|shelling)|"
        r"shelling exchanges?|in both directions of the front\w*|returned fire|"
        r"respond\w* (?:to|with) (?:the )?(?:[\w-]+ )?(?:fire|shelling)",
        0.86,
    ),
    (
        "Shelling/artillery/missile attack",
        # Monitors' "explosions" of unknown weapons are shelling in ACLED's coding.
        r"shell(?:s|ed|ing)?|artillery|mortars?|rockets?|grenade launchers?|"
        r"rocket-propelled grenades?|rpgs?|recoilless|ifvs?|tank fire|heavy weapons|"
        r"(?:heavy )?machine ?guns?|machineguns|"
        # Not projectiles thrown by hand: "threw rocks and other projectiles at police".
        r"missiles?|bombard\w*|(?<!other )projectiles?(?! (?:were |was )?(?:thrown|hurled))|"
        r"pound(?:ed|ing)|atgms?|anti-tank|"
        r"heavy (?:and medium )?weapons",
        0.8,
    ),
    # Below a named device: "a landmine explosion" is the landmine's.
    ("Shelling/artillery/missile attack", r"explosions?|blasts?", 0.7),
    (
        "Sexual violence",
        r"\b(?:gang-)?rap(?:e|ed|es)\b|sexual(?:ly)? (?:assault\w*|violence|abuse\w*)|"
        r"molest\w*",
        0.8,
    ),
    (
        "Abduction/forced disappearance",
        r"abduct\w*|kidnap\w*|taken hostage|forcibly disappeared",
        0.85,
    ),
    ("Excessive force against protesters", PAIRED["Excessive force against protesters"], 0.78),
    (
        "Violent demonstration",
        r"(?<!anti-)riot(?:s|ers?|ing|ed)?(?! police| gear| control| squads?| units?)|"
        + PAIRED["Violent demonstration"],
        0.76,
    ),
    ("Protest with intervention", PAIRED["Protest with intervention"], 0.74),
    # Above arrests: "protested against the arrest of" is a protest.
    ("Peaceful protest", PROTEST, 0.72),
    # A crowd that gathered or blocked a road to make a demand protested, no protest word
    # named: "residents gathered outside the hall, demanding water".
    ("Peaceful protest", PROTEST_ACTS, 0.68),
    ("Mob violence", r"\bmobs?\b|lynch\w*|vigilantes?", 0.6),
    # Who took ground decides the sub-type (`_territory_kind`); the verb is only a fallback.
    # A change of hands outranks the fighting that brought it.
    (
        RETAKEN,
        r"regain\w*|recaptur\w*|retook|retak\w+|reclaim\w*|"
        rf"recovered (?:control|(?:[\w-]+ ){{0,2}}{GROUND})|"
        # Not "liberation" in a group's name ("the Oromo Liberation Army"): only the act.
        r"liberat(?:e|ed|es|ing)\b|liberation of|established control|"
        # Enemies driven from ground: the ground is retaken.
        r"(?:pushed|drove) (?:[\w-]+ ){1,4}(?:out of|back from)|"
        r"(?:pushed|drove) (?:back|out) (?:[\w-]+ ){1,4}from|"
        r"(?:were|was|been) (?:pushed|driven) (?:back |out )?from|"
        rf"freed (?:\w+ ){{0,2}}{GROUND}",
        0.65,
    ),
    (
        TAKEN,
        r"captur\w*|seiz\w*|overr[au]n|overt[oa]ok|took (?:full )?control|wrest\w* control|"
        r"(?:taken|gained|seized|took over) (?:the )?control|(?:took|taken|taking) over|fell to|"
        # Ground gained: "advanced into the district", "had gained ground".
        r"gained ground|advanc(?:ed|ing) (?:in|into|on|to|towards?|deeper)",
        0.63,
    ),
    (
        "Attack",
        r"executed|massacre\w*|tortur\w*|beat(?:en|ing)?|stabb?\w*|"
        r"opened fire on (?:civilians|villagers|residents|worshippers|protesters|a crowd)|"
        r"attacked (?:civilians|villagers|a village)",
        0.7,
    ),
    (
        GENERIC_ATTACK,
        r"(?:shot|gunned) (?:dead|down)|shot and (?:killed|wounded|injured)|snipers?|"
        r"assassinat\w*",
        0.68,
    ),
    # Prisoners let go by one side, in no exchange (the Agreement row's): ACLED's "Other".
    # Above arrests: the "detainees" released are not an arrest. Not what was published
    # about them: "released a video of the prisoners", "released a statement on detainees".
    (
        "Other",
        r"(?:released|freed|releasing|freeing) "
        r"(?:(?!(?:of|on|about|statements?|videos?|footage|reports?|lists?|names|photos|"
        r"images|pictures|details|figures)\b)[\w-]+ ){0,4}?"
        r"(?:prisoners|detainees|inmates|captives)|"
        r"(?:prisoners|detainees|inmates|captives) (?:were|was|have been|had been|are being) "
        r"(?:released|freed|set free)|released from (?:[\w-]+ ){0,2}?(?:prisons?|jails?)",
        0.62,
    ),
    (
        "Agreement",
        r"cease-?fires?|truces?|(?:humanitarian )?pauses?|peace (?:deal|agreement|accord|talks)|"
        r"signed (?:a|an) (?:deal|agreement)|prisoner (?:exchange|swap)|"
        r"(?:exchange|swap|release)\w* (?:process )?of (?:\w+ )?prisoners|"
        r"in exchange for (?:the )?(?:release|freedom)|"
        r"(?:exchanged|swapped) (?:[\w-]+ ){0,2}?(?:prisoners|detainees|captives)|"
        r"surrender\w*|reached (?:an?|the) (?:\w+ )?(?:agreement|deal|accord|understanding)|"
        # Not the name of Libya's "Government of National Accord".
        r"agreements?|(?<!national )accords?",
        0.7,
    ),
    (
        "Looting/property destruction",
        r"loot\w*|torched|set (?:fire|ablaze) to|vandali\w*|demolish\w*|plunder\w*|arson\w*|"
        r"burn(?:ed|t) (?:down )?(?:houses|homes|shops|property|vehicles)|"
        r"(?:took|taking|carried|carrying) away|stole|stolen|stealing|razed|robbed|"
        r"(?:cut down|uprooted|felled|destroyed|burn\w*) (?:\w+ ){0,3}(?:trees|crops|fields)|"
        r"damaged (?:the|a|an|several) (?:\w+ )?(?:buildings?|offices?|houses?|homes?|shops?)|"
        # Property burned or destroyed, its destroyers unnamed: "shops were burned". The
        # verb right after the noun: read on, it cost every "houses" in a text a long try.
        r"(?:shops|houses|homes|buildings|propert(?:y|ies)) (?:were|was|have been|has been|"
        r"had been) (?:burn\w*|torched|destroyed|looted|razed|vandali[sz]ed|set ablaze|"
        r"set on fire)",
        0.6,
    ),
    # Below an armed clash: prisoners taken in a battle do not make it an arrest.
    (
        "Arrests",
        r"arrest\w*|detain\w*|taken into custody|apprehend\w*|jailed|imprison\w*|"
        r"rounded up|round-ups?",
        0.58,
    ),
    (
        "Headquarters or base established",
        _around(
            r"(?:established|establishing|set up\b|setting up\b|created|built|opened(?! fire)|"
            r"erected)",
            # Not checkpoints: ACLED codes those as a change of activity, security measures.
            r"(?:bases?|headquarters|outposts?|posts?|points?|camps?|barracks)",
            40,
        )
        + r"|(?:bases?|headquarters|outposts?|posts?|points?|camps?|barracks) "
        r"(?:was|were|has been|have been) "
        r"(?:established|set up|built|erected)",
        0.6,
    ),
    (
        "Non-violent transfer of territory",
        r"handed over|handover|"
        # Ground entered without a fight.
        + _around(
            r"entered",
            r"(?:without (?:[\w-]+ ){0,3}?(?:resistance|a fight|fighting|clash\w*|battles?)|"
            r"(?:not|no) (?:[\w-]+ ){0,2}?resistance|unopposed)",
            80,
        ),
        0.5,
    ),
    # Forces that leave ground change their activity; the ground changes hands when the
    # clause names another side taking it (`event_territory`).
    (
        WITHDRAWN,
        r"withdr(?:aw|ew|awn|awing)(?: from)?|withdrawal of|pulled out of|pull(?:ed)? back from",
        0.5,
    ),
    (
        "Armed clash",
        r"clash\w*|fighting|fought|firefights?|gun ?battles?|skirmish\w*|"
        # Armed men who battled or fought a fire fight met each other: the verb, not "a legal
        # battle".
        r"battled|battling|fire[- ]fights?|"
        r"offensive|assault|push(?:ed|ing) into|"
        r"attacked (?:positions?|a checkpoint|an army|a military|troops|soldiers|police)|"
        r"thwart\w*|repel\w*|repuls\w*|exchanged \w+(?: \w+)? with|"
        r"(?:inter-?)?(?:clan|communal|tribal|ethnic) (?:violence|fighting|clashes|conflict)|"
        r"killings between|fights? between",
        0.6,
    ),
    (
        OPERATION,
        r"ambush\w*|incursions?|(?:military|security) operations?|operations? (?:by|against)|"
        r"during an operation",
        0.6,
    ),
    (
        # An attack of no stated kind: an armed clash if it hit armed men, else an attack on
        # civilians (`_ARMED_TARGET` decides, as ACLED's codebook does by the target).
        GENERIC_ATTACK,
        r"attack(?:s|ed)?|killed by|shot|raid(?:s|ed)?|stormed|killed|killing|assaulted|"
        r"opened fire|wounded|injured|shooting|gunshots?",
        0.5,
    ),
    (
        "Change to group/activity",
        r"recruit\w*|curfew|mobili[sz]\w*|reinforcements?|defect\w*|joined|"
        r"movement of forces|security measures|military column|convoy of troops|"
        r"affiliation|deploy\w*|redeploy\w*|fortif\w*|dispatch\w*|reinforc\w*|"
        r"(?:set|setting) up (?:[\w-]+ ){0,3}?check ?points?|"
        # A new armed body: "the army formed a drone unit", "special units were formed".
        r"formed (?:an? |the )?(?:new )?(?:[\w-]+ ){0,2}(?:units?|brigades?|battalions?|"
        r"militias?|forces|organi[sz]ations?|alliances?|coalitions?|commands?)|"
        r"(?:units?|brigades?|battalions?|forces|militias?|groups) (?:[\w-]+ ){0,3}"
        r"(?:were|was|have been|has been) (?:formed|created|set up|established)",
        0.45,
    ),
    (
        "Displacement",
        # Not the victims who fled an attack as it happened: "fired on others as they fled".
        r"displac\w*|(?<!as they )(?<!while )\bfled\b|flee\w*|exodus|"
        r"forced from (?:their|his|her) homes|"
        r"uprooted|on the move",
        0.6,
    ),
)
