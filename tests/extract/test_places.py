"""Place finding and resolution, on sentences written here."""

from __future__ import annotations

import pytest

from sitroom.extract.places import PlaceExtractor
from sitroom.extract.text import Document
from sitroom.model import Article

MAARET_AL_NUMAN = "geonames:167611"


@pytest.fixture(scope="module")
def places() -> PlaceExtractor:
    return PlaceExtractor()


def _mentions(places: PlaceExtractor, text: str) -> dict[str, str | None]:
    doc = places(Document.from_article(Article.create(text)))
    for mention in doc.places:
        assert text[mention.span.start : mention.span.end] == mention.text
    return {m.text: (m.place.id if m.place else None) for m in doc.places}


@pytest.mark.parametrize(
    "spelling",
    [
        "Maaret al Numan",
        "Maarat al-Numan",
        "Ma'arrat an-Nu'man",
        "Ma`arrat an Nu`man",
        "Maarrat al-Nu'man",
    ],
)
def test_transliterations_of_one_town_resolve_to_it(places: PlaceExtractor, spelling: str) -> None:
    found = _mentions(places, f"Shells fell on {spelling} in Idlib province on Tuesday.")
    assert found[spelling] == MAARET_AL_NUMAN


def test_country_admin1_and_city_resolve_at_their_precision(places: PlaceExtractor) -> None:
    doc = places(
        Document.from_article(
            Article.create("Fighting spread from Aleppo to Idlib province in northern Syria.")
        )
    )
    kinds = {m.text: m.place.kind for m in doc.places if m.place}
    assert kinds == {"Aleppo": "city", "Idlib": "admin1", "Syria": "country"}


def test_country_focus_decides_an_ambiguous_town(places: PlaceExtractor) -> None:
    found = _mentions(places, "Air strikes hit Ariha, a town in Idlib province of Syria.")
    doc = places(Document.from_article(Article.create("Air strikes hit Ariha, Idlib, Syria.")))
    ariha = next(m for m in doc.places if m.text == "Ariha")
    assert ariha.place is not None and ariha.place.country == "SY"
    assert "Ariha" in found


@pytest.mark.parametrize(
    ("text", "not_a_place"),
    [
        ("Syrian troops advanced toward the Turkish border.", "Syrian"),
        ("Syrian troops advanced toward the Turkish border.", "Turkish"),
        ("The Syrian Observatory for Human Rights counted the dead.", "Syrian"),
        ("President Bashar al Assad visited the front.", "Bashar"),
        ("The pro-government Al Watan newspaper said the town might fall.", "Al Watan"),
        ("On Monday the convoy left at dawn.", "Monday"),
        ("Moscow said the strikes targeted militants.", "Moscow"),
    ],
)
def test_words_that_are_not_places_are_left_out(
    places: PlaceExtractor, text: str, not_a_place: str
) -> None:
    assert not_a_place not in _mentions(places, text)


def test_a_list_ending_in_a_plural_cue_makes_every_item_an_area(places: PlaceExtractor) -> None:
    text = "Shelling hit villages in northern Hama, southern Idlib and western Aleppo governorates."
    doc = places(Document.from_article(Article.create(text)))
    assert [m.place.kind for m in doc.places if m.place] == ["admin1", "admin1", "admin1"]


def test_named_areas_outside_geonames_resolve_as_regions(places: PlaceExtractor) -> None:
    doc = places(Document.from_article(Article.create("Clashes continued across the Donbas.")))
    assert [(m.text, m.place.kind if m.place else None) for m in doc.places] == [
        ("Donbas", "region")
    ]


def test_every_mention_carries_its_article_id(places: PlaceExtractor) -> None:
    article = Article.create("Damascus and Aleppo were quiet.", id="a-1")
    doc = places(Document.from_article(article))
    assert doc.places and all(m.article_id == "a-1" for m in doc.places)


def test_an_armed_group_named_like_a_village_is_not_a_place(places: PlaceExtractor) -> None:
    assert "Taliban" not in _mentions(places, "Taliban fighters attacked a post in Kunduz.")


def test_the_name_after_a_district_and_a_comma_is_its_province(places: PlaceExtractor) -> None:
    doc = places(Document.from_article(Article.create("Clashes hit Nahrin district, Baghlan.")))
    baghlan = next(m for m in doc.places if m.text == "Baghlan")
    assert baghlan.place is not None and baghlan.place.kind == "admin1"
