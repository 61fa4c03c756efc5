"""Event triggers: ACLED codebook distinctions added for issue 7, on sentences written here."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.extract.event_triggers import find_triggers
from sitroom.extract.events import EventExtractor
from sitroom.extract.text import Document
from sitroom.model import Article, Span

PUBLISHED = dt.date(2021, 3, 9)


def _primary(text: str) -> str | None:
    """The sub-type of the article's strongest event, as the evaluations read it."""
    article = Article.create(text, id="t", published=PUBLISHED)
    events = EventExtractor()(Document.from_article(article)).events
    best = max(events, key=lambda e: e.confidence, default=None)
    return best.subtype if best else None


def _clause(text: str) -> dict[str, float]:
    lowered = text.lower()
    return {t.subtype: t.strength for t in find_triggers(lowered, Span(0, len(lowered)))}


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        # Forces leaving ground that nobody is named taking: a change of activity.
        ("The coalition forces withdrew from the airbase on Monday.", "Change to group/activity"),
        ("Militia units pulled back from two hills near the lake.", "Change to group/activity"),
        # Another side taking what was left: the ground changed hands without a fight.
        (
            "The rebels withdrew from the hill town, leaving it in the hands of the army.",
            "Non-violent transfer of territory",
        ),
        (
            "Government troops entered the village after the militants withdrew from it.",
            "Non-violent transfer of territory",
        ),
        (
            "Rebels took control of the valley towns without any armed clashes.",
            "Non-violent transfer of territory",
        ),
    ],
)
def test_a_withdrawal_is_a_transfer_only_when_another_side_takes_over(
    text: str, subtype: str
) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    "text",
    [
        # Fire named after the taking backed it, or is background.
        "Army units captured three hamlets, backed by heavy bombardment from the hills.",
        "Loyalist troops captured two villages near a town that was hit by a chemical attack.",
        "Rebel fighters captured the provincial capital despite a long bombing campaign.",
        # A clash that brought the capture is part of it.
        "Government troops pushed into the valley, clashing with rebels and capturing a town.",
    ],
)
def test_ground_that_changed_hands_outranks_the_fire_named_after_it(text: str) -> None:
    assert _primary(text) in {"Government regains territory", "Non-state actor overtakes territory"}


def test_strikes_named_before_a_capture_may_be_their_own_incident() -> None:
    text = "Air strikes hit the old city, killing four people, as rebels captured a village."
    assert _primary(text) == "Air/drone strike"


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("An angry mob beat a suspected thief to death in the market.", "Mob violence"),
        ("A man was lynched by villagers after a quarrel over cattle.", "Mob violence"),
        ("Angry residents stabbed two men they accused of theft.", "Mob violence"),
        # Rioters in a mob, no demonstration named: mob violence.
        ("A mob of rioters burned a car outside the police post.", "Mob violence"),
        # Crowds attacked, not attacking: the attack's victims decide.
        ("Gunmen killed three villagers in the market.", "Attack"),
        ("Residents said gunmen stabbed a shopkeeper.", "Attack"),
    ],
)
def test_an_attack_by_a_mob_or_a_crowd_is_mob_violence(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Unknown gunmen assassinated an SDF member near the bridge.", "Armed clash"),
        ("Gunmen shot dead two members of the Houthi forces at a market.", "Armed clash"),
        # Members of no armed group are civilians.
        ("Gunmen shot dead two members of the local council.", "Attack"),
    ],
)
def test_members_of_an_armed_group_are_armed_men(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        # What the protest answered is its grievance, not how it was met.
        (
            "Students protested in the capital following the arrest of their union leader.",
            "Peaceful protest",
        ),
        ("Crowds rallied in the port to decry the arrests and the violence.", "Peaceful protest"),
        ("Detainees in the city prison protested over the food.", "Peaceful protest"),
        # Projectiles thrown by hand are a crowd's violence, not artillery.
        (
            "Demonstrators threw bottles and other projectiles at the police.",
            "Violent demonstration",
        ),
        (
            "Several arrests were made at the rally after projectiles were thrown at officers.",
            "Violent demonstration",
        ),
    ],
)
def test_protests_by_their_grievance_and_by_what_demonstrators_threw(
    text: str, subtype: str
) -> None:
    assert _primary(text) == subtype


def test_troops_that_marched_are_not_a_protest() -> None:
    text = "Government troops captured a town and marched deeper into the rebel-held district."
    assert _primary(text) == "Government regains territory"


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        # An agreement as the frame of what the clause reports is its background.
        (
            "The district was handed over to the army as part of a peace deal.",
            "Non-violent transfer of territory",
        ),
        (
            "Militants seized two gas fields on Tuesday, ahead of more ceasefire talks.",
            "Non-state actor overtakes territory",
        ),
        # The fighting a deal ended is background too.
        ("A truce ending ten weeks of fighting was signed in the capital.", "Agreement"),
        # The name of Libya's government holds no accord.
        (
            "Government of National Accord forces clashed with rebels south of the city.",
            "Armed clash",
        ),
    ],
)
def test_agreements_as_background_or_names_are_not_the_event(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


def test_a_deal_ending_fighting_reports_no_clash() -> None:
    assert "Armed clash" not in _clause("They signed a deal ending months of fighting.")


@pytest.mark.parametrize(
    "text",
    [
        "Forty rifles and two thousand cartridges were captured at the border post.",
        "Troops captured rocket launchers and ammunition in the hideout.",
        "The army captured forty rifles in a raid on the farm.",
    ],
)
def test_weapons_captured_are_disrupted_weapons_use(text: str) -> None:
    assert _primary(text) == "Disrupted weapons use"


def test_what_a_man_is_accused_of_does_not_hide_what_a_mob_did_to_him() -> None:
    text = "A man accused of stealing a goat was beaten to death by an angry mob on Sunday."
    assert _primary(text) == "Mob violence"


def test_what_gunmen_are_accused_of_is_still_not_the_event() -> None:
    assert _clause("The group is accused of killing two farmers.") == {}


def test_pro_hadi_forces_named_with_their_allies_are_the_state() -> None:
    text = "Pro-Hadi and allied tribal forces captured two villages east of the dam."
    assert _primary(text) == "Government regains territory"


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Medical students staged a die-in at the main square.", "Peaceful protest"),
        ("Pupils took out a protest-march towards the town hall.", "Peaceful protest"),
    ],
)
def test_die_ins_and_protest_marches_are_protests(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


def test_would_be_bombers_who_blew_themselves_up_are_not_a_possibility() -> None:
    text = "Two would-be suicide bombers blew themselves up near the gate."
    assert _primary(text) == "Suicide bomb"


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        (
            "Army units advanced into the northern district on Friday.",
            "Government regains territory",
        ),
        (
            "Rebel fighters had gained ground in the hills east of the city.",
            "Non-state actor overtakes territory",
        ),
        (
            "The fighters entered the town at dawn and met no resistance.",
            "Non-violent transfer of territory",
        ),
    ],
)
def test_ground_gained_or_entered_unopposed(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        (
            "The army has established two new barracks near the border.",
            "Headquarters or base established",
        ),
        (
            "Dozens of relief camps have been established in the valley.",
            "Headquarters or base established",
        ),
        # Checkpoints are security measures; opening fire opens nothing.
        ("Militants set up checkpoints at the entrances of the town.", "Change to group/activity"),
        ("Guards opened fire on a car at the checkpoint, killing a man.", "Attack"),
    ],
)
def test_bases_established_but_not_checkpoints(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Police detained students who organised the sit-ins at the campus.", "Arrests"),
        ("Police arrested ten activists ahead of the planned rally.", "Arrests"),
        # Arrests at a protest are its intervention.
        (
            "Police arrested ten protesters at the rally outside the court.",
            "Protest with intervention",
        ),
    ],
)
def test_arrests_for_or_before_a_protest_are_arrests(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("The two sides exchanged prisoners near the front line.", "Agreement"),
        (
            "Dozens of shops were burned in the old market overnight.",
            "Looting/property destruction",
        ),
        ("Gunmen set upon a police post, killing two officers.", "Armed clash"),
    ],
)
def test_prisoner_swaps_burned_property_and_an_attack_set_upon(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        # Fire that hit protesters at a protest is force used on it.
        (
            "Three protesters died from gunfire during a demonstration outside the ministry.",
            "Excessive force against protesters",
        ),
        # Not when the shooting is what the protest is about.
        (
            "Protesters rallied to demand justice for a student, a young man shot by police.",
            "Peaceful protest",
        ),
        # The police's violence does not make the protest a riot.
        (
            "Soldiers carried out the violent dispersal of the sit-in outside the ministry.",
            "Protest with intervention",
        ),
        # Smoke grenades disperse; they are not thrown grenades.
        (
            "Police used smoke grenades to disperse the protesters outside the court.",
            "Protest with intervention",
        ),
        # The pictures of the dead that protesters hold do not make the protest deadly.
        (
            "Protesters marched holding pictures of those killed in last year's crackdown.",
            "Peaceful protest",
        ),
        (
            "Rival groups of protesters met in aggressive demonstrations downtown.",
            "Violent demonstration",
        ),
    ],
)
def test_force_on_protesters_and_the_words_that_are_not_force(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        (
            "Militants detonated a suicide vehicle-borne explosive device at the gate.",
            "Suicide bomb",
        ),
        ("Two kamikazes went off near the market, killing three people.", "Suicide bomb"),
        (
            "Two gunmen detonated explosives, killing themselves after police surrounded them.",
            "Suicide bomb",
        ),
        ("Shells containing poisonous gases hit the village.", "Chemical weapon"),
        (
            "A soldier was killed in a limpet mine blast near the border.",
            "Remote explosive/landmine/IED",
        ),
        ("Army choppers raided rebel hideouts in the hills.", "Air/drone strike"),
    ],
)
def test_weapons_named_by_other_words(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        (
            "Kurdish fighters regained control of three villages.",
            "Non-state actor overtakes territory",
        ),
        # Ground regained, named before a passive verb, after an assault named as its cause.
        (
            "The army counterattacked and ground was regained after a rebel assault.",
            "Government regains territory",
        ),
    ],
)
def test_who_regained_ground_by_their_trade_and_what_was_regained(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        (
            "Police were deployed downtown in anticipation of more protests on Friday.",
            "Change to group/activity",
        ),
        (
            "Militias mobilized to defend the valley against a possible attack.",
            "Change to group/activity",
        ),
        (
            "Air defence units have been reinforced and are ready to counter an airstrike.",
            "Change to group/activity",
        ),
        # A long-awaited protest took place.
        (
            "The long-awaited protest by market traders went ahead in the capital.",
            "Peaceful protest",
        ),
    ],
)
def test_what_is_expected_or_prepared_for_has_not_happened(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


def test_victims_who_fled_an_attack_are_not_displaced() -> None:
    text = "Gunmen stormed the college, killing students and firing on others as they fled."
    assert _primary(text) == "Attack"


@pytest.mark.parametrize(
    "text",
    [
        "Militiamen from two clans battled near the river crossing on Friday.",
        "Soldiers engaged in a fire fight with separatists in the market town.",
        "Police and gang members fought a fire-fight outside the depot.",
    ],
)
def test_armed_men_who_battled_or_fought_a_fire_fight_clashed(text: str) -> None:
    assert _primary(text) == "Armed clash"


def test_a_legal_battle_is_no_clash() -> None:
    assert _primary("The family began a legal battle over the land.") is None


def test_a_member_of_the_afghan_intelligence_service_is_armed() -> None:
    # Issue 7: "NDS" named no actor, so its member shot dead read as a civilian.
    assert _primary("An NDS member was shot dead by gunmen in the city.") == "Armed clash"


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        # One-way fire of heavy weapons and rifles at homes or farms: one bombardment.
        (
            "The rebels fired mortar shells and sniper rifles at residential areas of the town.",
            "Shelling/artillery/missile attack",
        ),
        (
            "Militants fired machine guns and rifles at farms and houses near the lake.",
            "Shelling/artillery/missile attack",
        ),
        # At positions, or with both sides fighting, the fire is a clash.
        (
            "The rebels fired mortar shells and sniper rifles at army positions near the town.",
            "Armed clash",
        ),
        (
            "The two sides clashed with mortars and rifles near farms outside the town.",
            "Armed clash",
        ),
    ],
)
def test_small_arms_fired_with_heavy_weapons_at_homes_are_shelling(text: str, subtype: str) -> None:
    assert _primary(text) == subtype


@pytest.mark.parametrize(
    "text",
    [
        "Dozens of nurses gathered outside the clinic, demanding their unpaid wages.",
        "Farmers blocked the main road near the mill to demand fair prices.",
        "Hundreds of residents assembled in the square and voiced their anger at the mayor.",
    ],
)
def test_a_crowd_that_gathered_to_make_a_demand_protested(text: str) -> None:
    assert _primary(text) == "Peaceful protest"


@pytest.mark.parametrize(
    "text",
    [
        "Relatives gathered at the cemetery to bury the victims.",
        "Workers blocked the road with sandbags before the flood.",
    ],
)
def test_a_gathering_with_no_demand_is_no_protest(text: str) -> None:
    assert _primary(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Separatists carried out a remote explosive attack on a warehouse in the port.",
        "Rebels blew up a bridge on the main highway overnight.",
    ],
)
def test_a_charge_set_off_on_a_target_is_a_remote_explosive(text: str) -> None:
    assert _primary(text) == "Remote explosive/landmine/IED"


def test_a_bomber_who_blew_himself_up_is_still_a_suicide_bomb() -> None:
    assert _primary("A bomber blew himself up at the market gate.") == "Suicide bomb"


def test_a_group_of_local_people_who_killed_a_man_is_a_mob() -> None:
    text = "A group of local people killed a suspected thief in the market."
    assert _primary(text) == "Mob violence"
