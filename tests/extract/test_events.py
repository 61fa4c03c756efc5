"""Event attributes, confidence and merging, on sentences written here.

Typing and the not-an-event rules are tested in `test_event_triggers`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sitroom.extract.events import EventExtractor
from sitroom.extract.text import Document
from sitroom.model import Article, Figure, Place, PlaceMention, Span, TimeMention, Window

PUBLISHED = dt.date(2021, 3, 9)


def _doc(text: str, **layers: object) -> Document:
    article = Article.create(text, id="t", published=PUBLISHED)
    return replace(Document.from_article(article), **layers)  # type: ignore[arg-type]


def _subtypes(text: str) -> list[str]:
    doc = EventExtractor()(_doc(text))
    return [e.subtype for e in doc.events]


def _primary(text: str) -> str:
    found = EventExtractor()(_doc(text)).events
    return max(found, key=lambda e: e.confidence).subtype if found else "(none)"


def test_history_months_before_publication_is_background() -> None:
    text = "The war began with shelling in 2011."
    old = TimeMention("t", Span(text.index("2011"), text.index("2011") + 4), "2011",
                      Window(dt.date(2011, 1, 1), dt.date(2011, 12, 31)), "year")  # fmt: skip
    doc = EventExtractor()(_doc(text, times=(old,)))
    assert doc.events == ()


def test_event_takes_date_place_fatalities_and_actors_from_its_clause() -> None:
    text = "Russian warplanes struck Ariha on Monday, killing 9 civilians."
    monday = TimeMention("t", Span(text.index("Monday"), text.index("Monday") + 6), "Monday",
                         Window.day(dt.date(2021, 3, 8)), "day")  # fmt: skip
    town = Place("geonames:172994", "Arihah", "SY", "Idlib", 35.81, 36.61, "city")
    ariha = PlaceMention("t", Span(25, 30), "Ariha", town, 0.9)
    killed = Figure("t", Span(48, 49), "9", 9, "exact", "civilian", "killed", Span(0, len(text)))
    doc = EventExtractor()(_doc(text, times=(monday,), places=(ariha,), figures=(killed,)))
    [event] = doc.events
    assert (event.subtype, event.type) == ("Air/drone strike", "Explosions/Remote violence")
    assert event.date == Window.day(dt.date(2021, 3, 8)) and not event.date_from_publication
    assert event.place_id == "geonames:172994"
    assert event.fatalities == 9
    assert event.actors == ("Military Forces of Russia", "Civilians")
    assert text[event.span.start : event.span.end].startswith("Russian warplanes")


def test_without_a_time_the_event_falls_back_to_publication_and_says_so() -> None:
    [event] = EventExtractor()(_doc("Shelling hit the town.")).events
    assert event.date == Window.day(PUBLISHED) and event.date_from_publication


def test_reports_of_one_incident_in_an_article_are_one_event() -> None:
    text = "Air strikes hit the town. The air strikes destroyed a school."
    assert _subtypes(text) == ["Air/drone strike"]


def test_a_long_article_takes_linear_time_per_clause() -> None:
    """Regression (#3): events once scanned every fact per clause, quadratic in length."""
    sentence = "Shelling hit the town on Monday, killing 4 people. "
    text = sentence * 3000
    step = len(sentence)
    times = tuple(
        TimeMention("t", Span(i * step + 25, i * step + 31), "Monday",
                    Window.day(dt.date(2021, 3, 8)), "day")
        for i in range(3000)
    )  # fmt: skip
    doc = EventExtractor()(_doc(text, times=times))
    # Every report is the same incident (same sub-type, place and date): one event.
    assert [e.subtype for e in doc.events] == ["Shelling/artillery/missile attack"]


def test_a_later_sentence_tells_how_a_protest_was_met() -> None:
    text = "Hundreds protested outside the ministry. Police later dispersed the crowd."
    assert _subtypes(text) == ["Protest with intervention"]
    violent = "Traders demonstrated in the capital. The protesters then torched a bank."
    assert _primary(violent) == "Violent demonstration"


def test_arrests_in_a_later_sentence_stay_their_own_event() -> None:
    text = "Teachers held a protest in the capital. Police detained 30 people in another town."
    assert _subtypes(text) == ["Peaceful protest", "Arrests"]


@pytest.mark.parametrize(
    "follow_up",
    [
        "Police arrested nine demonstrators at the gate.",
        "At least two protesters were arrested.",
        "Soldiers cleared the square and detained five marchers.",
    ],
)
def test_protesters_arrested_in_a_later_sentence_make_an_intervention(follow_up: str) -> None:
    # Issue 7: arrests are intervention in ACLED's codebook when the protesters were arrested.
    text = f"Nurses held a rally outside the hospital. {follow_up}"
    assert _primary(text) == "Protest with intervention"


def test_the_arrest_protesters_decry_is_no_intervention() -> None:
    text = "Students marched in the city. They chanted against the arrest of demonstrators."
    assert _primary(text) == "Peaceful protest"


def test_ground_taken_after_the_other_side_withdrew_changed_hands_without_a_fight() -> None:
    text = (
        "Rebels took control of a hill village near the lake. "
        "The rebels seized the area following the withdrawal of army units."
    )
    assert _primary(text) == "Non-violent transfer of territory"
    fought = "Rebels took control of a hill village near the lake. Two soldiers were killed."
    assert _primary(fought) != "Non-violent transfer of territory"


def test_later_sentences_report_with_less_confidence() -> None:
    alone = EventExtractor()(_doc("Protesters gathered in the capital.")).events
    text = "Officials met. Ministers spoke. Protesters gathered in the capital."
    later = EventExtractor()(_doc(text)).events
    assert later[0].confidence < alone[0].confidence


def _killed(text: str, number: str, value: int) -> Figure:
    start = text.index(number)
    return Figure("t", Span(start, start + len(number)), number, value, "exact", "people",
                  "killed", Span(0, len(text)))  # fmt: skip


def test_fatalities_sum_the_dead_of_each_group() -> None:
    text = "Three soldiers and two militants were killed in clashes."
    figures = (_killed(text, "Three", 3), _killed(text, "two", 2))
    [event] = EventExtractor()(_doc(text, figures=figures)).events
    assert event.fatalities == 5


def test_fatalities_do_not_add_a_part_to_its_total() -> None:
    text = "Clashes killed 10 people, including 4 rebels."
    figures = (_killed(text, "10", 10), _killed(text, "4", 4))
    [event] = EventExtractor()(_doc(text, figures=figures)).events
    assert event.fatalities == 10


def test_a_victim_named_without_a_number_is_one_death() -> None:
    [event] = EventExtractor()(_doc("Gunmen shot and killed a shopkeeper in the market.")).events
    assert event.fatalities == 1
    [vague] = EventExtractor()(_doc("Shelling killed a number of fighters.")).events
    assert vague.fatalities is None


def test_a_protest_over_a_killing_has_no_fatalities() -> None:
    text = "Hundreds of residents protested in the town; a gendarme had shot and killed a driver."
    protest = [e for e in EventExtractor()(_doc(text)).events if e.subtype == "Peaceful protest"]
    assert protest and protest[0].fatalities is None


def test_a_later_sentence_adds_its_dead_to_the_incident() -> None:
    """Issue 7: "Rebels shelled the base. Ten soldiers were killed." is one shelling."""
    text = "Rebels shelled the army base. Ten soldiers were reportedly killed."
    doc = EventExtractor()(_doc(text, figures=(_killed(text, "Ten", 10),)))
    [event] = doc.events
    assert (event.subtype, event.fatalities) == ("Shelling/artillery/missile attack", 10)


def test_deaths_told_in_two_sentences_are_summed_but_a_claimed_toll_is_not_added() -> None:
    text = "Militants ambushed a convoy, killing 2 policemen. 3 militants were also killed."
    figures = (_killed(text, "2", 2), _killed(text, "3", 3))
    assert [e.fatalities for e in EventExtractor()(_doc(text, figures=figures)).events] == [5]
    claimed = "Militants ambushed a convoy, killing 2 policemen. The militants claimed 9 killed."
    figures = (_killed(claimed, "2", 2), _killed(claimed, "9", 9))
    assert [e.fatalities for e in EventExtractor()(_doc(claimed, figures=figures)).events] == [2]


def test_shelling_answered_with_fire_is_an_armed_clash() -> None:
    assert _subtypes("Rebels fired mortars at army positions. The army responded with fire.") == [
        "Armed clash"
    ]
    assert _subtypes("Militants threw a grenade at a checkpoint. Police reacted with gunfire.") == [
        "Armed clash"
    ]


def test_a_later_sentence_names_what_a_bare_attack_was() -> None:
    text = "Gunmen attacked the village at night. Twelve residents were abducted."
    assert _subtypes(text) == ["Abduction/forced disappearance"]
    grave = "Rebels fired shells into the district. The shells carried chlorine gas."
    assert _subtypes(grave) == ["Chemical weapon"]


def test_a_bare_attack_on_armed_men_stays_a_battle_whatever_its_weapons() -> None:
    text = "Militants attacked an army post. They fired mortar rounds at the soldiers."
    assert _primary(text) == "Armed clash"


def test_another_incident_in_a_later_sentence_is_its_own_event() -> None:
    text = "Rebels shelled the army base. In another attack, a roadside bomb hit a bus."
    assert _subtypes(text) == ["Shelling/artillery/missile attack", "Remote explosive/landmine/IED"]


def test_weapons_seized_after_an_attack_report_below_it() -> None:
    text = "Militants attacked a police post, killing two officers. Police seized their rifles."
    assert _primary(text) == "Armed clash"


def _place(text: str, name: str, place_id: str, country: str, kind: str) -> PlaceMention:
    start = text.index(name)
    place = Place(place_id, name, country, None, 0.0, 0.0, kind)
    return PlaceMention("t", Span(start, start + len(name)), name, place, 0.9)


def test_an_event_does_not_take_a_village_of_another_country_than_the_articles() -> None:
    """A local name read as a village abroad ("Andar" in France) loses to its province."""
    text = "Two soldiers were killed in an attack in Andar district, Ghazni."
    village = _place(text, "Andar", "abroad", "FR", "village")
    province = _place(text, "Ghazni", "ghazni", "AF", "admin1")
    [event] = EventExtractor()(_doc(text, places=(village, province))).events
    assert event.place_id == "ghazni"


def test_with_no_article_country_the_most_specific_place_stays() -> None:
    text = "Shelling hit Ariha and Idlib."
    town = _place(text, "Ariha", "ariha", "SY", "city")
    other = _place(text, "Idlib", "idlib", "TR", "city")
    [event] = EventExtractor()(_doc(text, places=(town, other))).events
    assert event.place_id == "ariha"


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("Gunmen shot and killed the driver of a minibus.", 1),
        ("The body of a man was found near the river, killed by gunmen.", 1),
        ("Clashes erupted after gunmen tried to assassinate the commander.", None),
    ],
)
def test_one_death_without_a_number(text: str, fatalities: int | None) -> None:
    assert EventExtractor()(_doc(text)).events[0].fatalities == fatalities


def test_a_victim_named_again_in_a_later_sentence_is_not_counted_twice() -> None:
    text = "Militants shot and killed a soldier near the town. They ambushed and killed him."
    assert [e.fatalities for e in EventExtractor()(_doc(text)).events] == [1]


@pytest.mark.parametrize(
    "text",
    [
        "A week after the rally in Kalemie, students marched in Uvira on Friday.",
        "Traders in Uvira protested on Friday, days after similar protests in Kalemie.",
    ],
)
def test_a_place_named_for_another_incident_does_not_place_the_event(text: str) -> None:
    places = (
        _place(text, "Kalemie", "kalemie", "CD", "city"),
        _place(text, "Uvira", "uvira", "CD", "city"),
    )
    [event] = EventExtractor()(_doc(text, places=places)).events
    assert event.place_id == "uvira"


def _event_place(text: str, *places: tuple[str, str]) -> str | None:
    """The place id the event takes among `places`, each (name, kind), all in one country."""
    mentions = tuple(_place(text, name, name.lower(), "XX", kind) for name, kind in places)
    [event] = EventExtractor()(_doc(text, places=mentions)).events
    return event.place_id


def test_a_place_named_for_another_incident_still_beats_the_country() -> None:
    # Issue 7: "after meeting ... in Goma" left only the country, far from the event.
    text = "The militia surrendered after meeting the governor in Goma, Congo said."
    assert _event_place(text, ("Goma", "city"), ("Congo", "country")) == "goma"


def test_a_district_beats_the_country() -> None:
    text = "Crowds in Ar Raydah district demonstrated against the government of Yemen."
    assert _event_place(text, ("Ar Raydah", "admin2"), ("Yemen", "country")) == "ar raydah"


def test_a_province_beats_a_district_whose_name_recurs() -> None:
    text = "A policeman was killed in an attack in Muqur district, Badghis."
    assert _event_place(text, ("Muqur", "admin2"), ("Badghis", "admin1")) == "badghis"


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen torched a shop in the Hamra neighbourhood of Beirut on Monday.",
        "Gunmen torched a shop in Beirut's Hamra district on Monday.",
        "Gunmen torched a shop in the Hamra area in Beirut on Monday.",
    ],
)
def test_a_quarter_named_with_its_town_takes_the_town(text: str) -> None:
    assert _event_place(text, ("Hamra", "village"), ("Beirut", "city")) == "beirut"


def test_where_people_came_from_does_not_place_the_event() -> None:
    text = "Police arrested a journalist in Shabwah as he was travelling from Aden."
    assert _event_place(text, ("Shabwah", "admin1"), ("Aden", "city")) == "shabwah"


def test_a_journey_with_no_place_of_its_own_keeps_its_start() -> None:
    text = "Protesters drove from Sidon to Tyre to demonstrate against prices."
    assert _event_place(text, ("Sidon", "city"), ("Tyre", "city")) == "sidon"


def test_of_places_as_specific_the_one_after_in_wins() -> None:
    # A bare name before the place "in" governs is as often a word misread as a place.
    text = "Rioters hurled a Molotov cocktail at a bank in Tripoli."
    assert _event_place(text, ("Molotov", "city"), ("Tripoli", "city")) == "tripoli"


def test_a_toll_in_a_coders_note_is_not_added_to_the_sentences_toll() -> None:
    text = "Rebels killed 3 soldiers in an ambush [2 fatalities split among 4 events]."
    figures = (_killed(text, "3", 3), _killed(text, "2", 2))
    [event] = EventExtractor()(_doc(text, figures=figures)).events
    assert event.fatalities == 3


def _pipeline_events(text: str) -> list[tuple[str, int | None]]:
    from sitroom.extract import DEFAULT_ORDER, Pipeline

    article = Article.create(text, id="t", published=PUBLISHED)
    extraction = Pipeline.from_names(DEFAULT_ORDER)(article)
    return [(e.subtype, e.fatalities) for e in extraction.events]


_RAID = "On 3 March 2021, rebels attacked a checkpoint and killed 4 soldiers in Kandahar."


@pytest.mark.parametrize(
    ("note", "toll"),
    [
        ("Fatalities coded as 0 (the group's radio reported 4 fatalities).", 0),
        ("Total fatalities coded as 2.", 2),
        ("Dozens of fatalities and injuries coded as 6.", 6),
        ("Fatalities are split across 2 events (2).", 2),
        ("Fatalities coded as 0. Fatalities are split across 3 events (1).", 1),
        (
            "Unknown fatalities coded as 10 and split between the two events with 5 coded to each.",
            5,
        ),
    ],
)
def test_a_coders_count_of_the_toll_sets_the_incidents_fatalities(note: str, toll: int) -> None:
    text = f"{_RAID} {note}"
    assert _pipeline_events(text) == [("Armed clash", toll)]


@pytest.mark.parametrize(
    "note",
    [
        # Coded for several events with no share named: no count for this one.
        "Unknown fatalities coded as 10 and spread between 3 locations.",
        "Fatalities and injuries coded as 9, split between three locations.",
        # Not a coder's count.
        "Officials said fatalities could rise.",
    ],
)
def test_a_toll_coded_for_many_events_or_a_remark_leaves_the_toll(note: str) -> None:
    text = f"{_RAID} {note}"
    assert _pipeline_events(text) == [("Armed clash", 4)]


def test_a_coders_count_follows_its_own_incident() -> None:
    text = (
        "On 3 March 2021, a roadside bomb killed 2 civilians in Kandahar. Fatalities coded as 1. "
        "On 4 March 2021, rebels attacked a checkpoint and killed 4 soldiers in Helmand."
    )
    assert [toll for _, toll in _pipeline_events(text)] == [1, 4]
