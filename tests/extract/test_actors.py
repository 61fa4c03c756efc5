"""The actor dictionary: surface forms to ACLED-style actors, on sentences written here."""

from __future__ import annotations

from collections import Counter

import pytest

from sitroom.data import read_table
from sitroom.extract.actors import (
    Whereabouts,
    actor_names,
    find_actors,
    find_whereabouts,
    load_actors,
)
from sitroom.extract.text import fold, lower_same_length
from sitroom.model import Span


def _names(text: str) -> list[str]:
    return [m.actor.name for m in find_actors(fold(text))]


@pytest.mark.parametrize(
    ("text", "actor", "interaction"),
    [
        ("Syrian regime forces shelled the village.", "Military Forces of Syria", 1),
        ("HTS fighters ambushed a patrol.", "HTS: Hayat Tahrir al Sham", 2),
        ("The SDF said it detained two men.", "SDF: Syrian Democratic Forces", 2),
        ("Houthi forces fired a missile.", "Houthi Movement", 2),
        (
            "The Southern Transitional Council took the port.",
            "STC: Southern Transitional Council",
            3,
        ),
        ("The ENDF entered the town.", "Military Forces of Ethiopia", 1),
        ("Two NDS officers were shot in the city.", "Military Forces of Afghanistan", 1),
        ("Fano militia clashed with the army.", "Fano Militia", 4),
        ("The Armed Forces of Ukraine repelled an assault.", "Military Forces of Ukraine", 1),
        ("The RSF looted the market.", "RSF: Rapid Support Forces", 3),
        ("Junta troops burned the village.", "Military Forces of Myanmar", 1),
        (
            "The Karen National Liberation Army attacked a camp.",
            "KNLA: Karen National Liberation Army",
            2,
        ),
        ("JNIM claimed the attack.", "JNIM: Jama'at Nusrat al-Islam wal-Muslimin", 2),
        ("VDP volunteers guarded the road.", "VDP: Volunteers for the Defense of the Homeland", 3),
        ("ISWAP fighters raided the base.", "Islamic State West Africa Province", 2),
        ("M23 rebels advanced on the town.", "M23: March 23 Movement", 2),
        ("The FARDC retook the hill.", "Military Forces of the Democratic Republic of Congo", 1),
        ("Mozambican forces patrolled the coast.", "Military Forces of Mozambique", 1),
        ("Azerbaijani forces shelled the post.", "Military Forces of Azerbaijan", 1),
        ("Armenian troops returned fire.", "Military Forces of Armenia", 1),
        ("Israeli troops raided the camp.", "Military Forces of Israel", 1),
        ("The Qassam Brigades fired rockets.", "Hamas Movement", 3),
        ("Hezbollah fired at the border post.", "Hezbollah", 3),
        ("The Haitian National Police arrested a gang leader.", "Police Forces of Haiti", 1),
        ("Viv Ansanm gangs burned houses.", "Viv Ansanm Gang Coalition", 3),
        ("Taliban militants attacked a checkpoint.", "Taliban", 2),
        ("ISKP claimed the bombing.", "Islamic State (Afghanistan)", 2),
        ("Al-Shabaab fighters stormed the hotel.", "Al Shabaab", 2),
        ("Macawisley fighters fought Al Shabaab.", "Ma'awisley Militia", 4),
        ("The PMF deployed to the border.", "PMF: Popular Mobilization Forces", 3),
        ("LNA forces shelled the airport.", "LNA: Libyan National Army", 2),
        ("The Lebanese army closed the road.", "Military Forces of Lebanon", 1),
        ("Wagner mercenaries joined the operation.", "Wagner Group", 8),
        ("Protesters gathered at the square.", "Protesters", 6),
        ("Civilians fled the fighting.", "Civilians", 7),
    ],
)
def test_each_region_has_its_state_forces_rebels_and_militias(
    text: str, actor: str, interaction: int
) -> None:
    [mention, *_] = find_actors(fold(text))
    assert (mention.actor.name, mention.actor.interaction) == (actor, interaction)


def test_the_longest_form_wins_and_its_span_is_an_offset_into_the_text() -> None:
    text = "Yesterday Syrian regime forces advanced."
    [mention] = find_actors(text)
    assert text[mention.span.start : mention.span.end] == "Syrian regime forces"


def test_a_form_inside_a_hyphenated_word_is_not_an_actor() -> None:
    assert _names("Pro-regime forces advanced.") == ["Military Forces of Syria"]
    assert _names("A non-militants zone.") == []


def test_acronyms_that_are_common_words_match_only_in_capitals() -> None:
    assert _names("IS militants attacked the post.") == ["Islamic State"]
    assert _names("The road is closed and it is quiet.") == []


def test_forms_match_in_any_case_and_across_typographic_variants() -> None:
    assert _names("TALIBAN fighters and Assad\u2019s forces") == [
        "Taliban",
        "Military Forces of Syria",
    ]


def test_a_window_of_the_text_is_searched_with_offsets_kept() -> None:
    text = "Police arrived. Rebels fled."
    [mention] = find_actors(text, text.index("Rebels"), len(text))
    assert text[mention.span.start : mention.span.end] == "Rebels"


@pytest.mark.parametrize(
    "country",
    ["SY", "YE", "ET", "UA", "SD", "MM", "ML", "BF", "CD", "MZ", "AM", "AZ", "IL", "PS", "HT",
     "AF", "SO", "NG", "IQ", "LY", "LB"],
)  # fmt: skip
def test_every_country_of_the_issue_has_actors(country: str) -> None:
    codes = {a.interaction for a in load_actors().actors.values() if a.country == country}
    assert codes, country


@pytest.mark.parametrize(
    "text",
    [
        "Syrian regime forces and HTS fighters clashed; the SDF stayed out.",
        "The RSF looted the market while regime forces watched the RSF.",
        "IS militants attacked an ENDF post.",
        "Nobody was named here.",
    ],
)
def test_actor_names_are_find_actors_names_each_once(text: str) -> None:
    folded = fold(text)
    clause = Span(0, len(folded))
    expected = tuple(dict.fromkeys(m.actor.name for m in find_actors(folded)))
    assert actor_names(lower_same_length(folded), folded, clause) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Earlier, Syrian regime forces and HTS fighters clashed; the SDF stayed out.",
        "Reports said (RSF) looted the market; x-Hamas and 'Hamas' were named.",
        "Later IS militants attacked an ENDF post, JAS said.",
        "Later is militants attacked, jas said.",
    ],
)
@pytest.mark.parametrize("start", [0, 1, 5, 6, 7, 8, 14])
def test_actor_names_of_a_span_are_find_actors_names_there(text: str, start: int) -> None:
    # A span that starts inside the text: its forms are read from the character before it.
    folded = fold(text)
    span = Span(start, len(folded))
    found = find_actors(folded, start, len(folded))
    expected = tuple(dict.fromkeys(m.actor.name for m in found))
    assert actor_names(lower_same_length(folded), folded, span) == expected


def _whereabouts(text: str) -> Whereabouts:
    folded = fold(text)
    return find_whereabouts(folded, lower_same_length(folded))


def test_a_mission_named_points_into_its_country_areas_and_region() -> None:
    # Issue 7: the OSCE SMM reported from the contact line in Donetsk and Luhansk oblasts.
    found = _whereabouts("On 3 June, the OSCE SMM recorded 12 explosions near a village.")
    assert found.countries == Counter({"UA": 1})
    assert found.areas == Counter({"UA.05": 1, "UA.14": 1})
    assert found.regions == Counter({"Donbas": 1})
    assert found.stand_in is None  # the place layer sets it


def test_an_actor_of_the_actor_table_points_into_its_country() -> None:
    found = _whereabouts("Taliban fighters attacked a checkpoint at dawn.")
    assert found.countries == Counter({"AF": 1}) and not found.areas and not found.regions


def test_a_form_inside_a_longer_one_is_not_named_again() -> None:
    found = _whereabouts("The OSCE SMM said the SMM saw a shell land.")
    assert found.countries == Counter({"UA": 2})
    assert found.areas == Counter({"UA.05": 2, "UA.14": 2})


def test_an_exact_acronym_in_lower_case_locates_nothing() -> None:
    assert not _whereabouts("Our smm budget grew this year.").countries


def test_every_area_and_region_of_the_actor_areas_table_is_known() -> None:
    admin1 = {row[0] for row in read_table("admin1.tsv")}
    regions = {row[1] for row in read_table("areas.tsv")}
    for row in read_table("actor_areas.tsv"):
        areas = [code for code in row[2].split(",") if code] if len(row) > 2 else []
        assert all(code in admin1 and code.startswith(row[1] + ".") for code in areas), row
        assert len(row) < 4 or not row[3] or row[3] in regions, row


@pytest.mark.parametrize(
    "text",
    [
        "Taliban fighters and Afghan forces clashed; the TTP denied a role.",
        "Houthi forces shelled a camp as the Saudi-led coalition struck back.",
        "JAS and ISWAP fighters attacked; IS claimed it.",
        "No armed group is named here.",
    ],
)
def test_the_actor_tables_countries_are_find_actors_countries(text: str) -> None:
    folded = fold(text)
    expected = Counter(m.actor.country for m in find_actors(folded) if m.actor.country)
    assert _whereabouts(text).countries == expected
