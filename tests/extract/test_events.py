"""Event typing, attributes and merging, on sentences written here."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sitroom.extract.events import SUBTYPES, EventExtractor, find_triggers, split_clauses
from sitroom.extract.text import Document
from sitroom.model import Article, Figure, Place, PlaceMention, Span, TimeMention, Window

PUBLISHED = dt.date(2021, 3, 9)


def _doc(text: str, **layers: object) -> Document:
    article = Article.create(text, id="t", published=PUBLISHED)
    return replace(Document.from_article(article), **layers)  # type: ignore[arg-type]


def _subtypes(text: str) -> list[str]:
    doc = EventExtractor()(_doc(text))
    return [e.subtype for e in doc.events]


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Warplanes pounded the market, residents said.", "Air/drone strike"),
        ("A drone strike hit a car near the checkpoint.", "Air/drone strike"),
        ("Artillery shelling hit three villages.", "Shelling/artillery/missile attack"),
        ("A roadside bomb exploded under a bus.", "Remote explosive/landmine/IED"),
        ("A suicide bomber blew himself up at a wedding.", "Suicide bomb"),
        ("Someone threw a grenade into the crowd.", "Grenade"),
        ("Rebels and soldiers clashed for hours outside the town.", "Armed clash"),
        ("The army recaptured the town after a week.", "Government regains territory"),
        ("Gunmen kidnapped four aid workers.", "Abduction/forced disappearance"),
        ("Police arrested twelve people after the raid.", "Arrests"),
        ("Both sides agreed to a truce brokered by the UN.", "Agreement"),
        ("Hundreds of protesters marched peacefully to parliament.", "Peaceful protest"),
        ("Police fired tear gas to disperse protesters.", "Protest with intervention"),
        ("Rioters torched cars and shops downtown.", "Violent demonstration"),
        ("Thousands fled their homes as the fighting neared.", "Displacement"),
        ("Gunmen looted the market.", "Looting/property destruction"),
    ],
)
def test_each_family_of_trigger_gives_its_acled_subtype(text: str, subtype: str) -> None:
    assert subtype in _subtypes(text)


def test_every_subtype_has_its_acled_type() -> None:
    assert SUBTYPES["Air/drone strike"] == "Explosions/Remote violence"
    assert SUBTYPES["Agreement"] == "Strategic developments"
    assert len([s for s in SUBTYPES if SUBTYPES[s] != "Displacement"]) == 25


@pytest.mark.parametrize(
    "text",
    [
        "The UN warned that air strikes could kill thousands.",
        "Officials fear renewed shelling if talks fail.",
        "The town might surrender without fighting.",
    ],
)
def test_threats_warnings_and_possibilities_are_not_events(text: str) -> None:
    assert _subtypes(text) == []


def test_a_ceasefire_that_collapsed_is_not_an_agreement() -> None:
    assert "Agreement" not in _subtypes("The offensive resumed after the collapse of a ceasefire.")


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


def test_one_clause_can_report_two_kinds_of_attack() -> None:
    assert _subtypes("Under cover of air strikes and heavy shelling, troops advanced.")[:2] == [
        "Air/drone strike",
        "Shelling/artillery/missile attack",
    ]


def test_clauses_split_at_semicolons_and_while() -> None:
    text = "Shelling hit Hama; clashes erupted in Idlib, while protesters gathered in Daraa."
    clauses = [text[c.start : c.end] for c in split_clauses(text, Span(0, len(text)))]
    assert clauses == [
        "Shelling hit Hama",
        " clashes erupted in Idlib",
        "protesters gathered in Daraa.",
    ]


def test_the_month_march_is_not_a_protest() -> None:
    text = "On 21 March 2020 the council met."
    assert find_triggers(text.lower(), Span(0, len(text))) == []


def test_the_month_may_is_not_the_modal_may() -> None:
    assert _subtypes("On 9 May 2020, teachers held a protest in the capital.") == [
        "Peaceful protest"
    ]
    assert _subtypes("Rebels may attack the town.") == []


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Militants attacked a police check point, killing two.", "Armed clash"),
        ("A teacher was killed by unknown gunmen in the city.", "Attack"),
        ("Russian warplanes struck the town; the attack killed 9.", "Air/drone strike"),
    ],
)
def test_an_attack_of_no_stated_kind_is_typed_by_its_target(text: str, subtype: str) -> None:
    assert _subtypes(text) == [subtype]


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


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Government forces captured the town on Saturday.", "Government regains territory"),
        ("Rebels captured the town on Saturday.", "Non-state actor overtakes territory"),
        ("The army recaptured the village.", "Government regains territory"),
        ("Insurgents retook the village.", "Non-state actor overtakes territory"),
    ],
)
def test_who_took_ground_decides_the_territory_subtype(text: str, subtype: str) -> None:
    assert _subtypes(text) == [subtype]


def test_a_ceasefire_that_collapsed_after_its_name_is_not_an_agreement() -> None:
    assert "Agreement" not in _subtypes("A brief ceasefire collapsed on Sunday.")


def test_gunmen_looting_is_looting_not_an_attack() -> None:
    assert _subtypes("Gunmen looted the main market.") == ["Looting/property destruction"]


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        (
            "Monitors recorded four explosions near the village.",
            "Shelling/artillery/missile attack",
        ),
        ("Soldiers repelled an incursion on the northern front.", "Armed clash"),
        ("The two militias exchanged fire with each other overnight.", "Armed clash"),
        ("Militants shot and killed a shopkeeper in the market.", "Attack"),
        ("Fighters raided homes, taking away cattle and grain.", "Looting/property destruction"),
        ("Forty soldiers defected to the rebels.", "Change to group/activity"),
        ("Hundreds protested against the arrest of a journalist.", "Peaceful protest"),
    ],
)
def test_acled_codebook_cases(text: str, subtype: str) -> None:
    found = EventExtractor()(_doc(text)).events
    primary = max(found, key=lambda e: e.confidence)
    assert primary.subtype == subtype
