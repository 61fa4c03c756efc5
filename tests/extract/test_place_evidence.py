"""Place evidence: word-like and person-like town names count only where used as places."""

from __future__ import annotations

import pytest

from sitroom.extract import place_evidence
from sitroom.extract.places import PlaceExtractor
from sitroom.extract.text import Document
from sitroom.model import Article

WELCH_WV = "geonames:4826660"


@pytest.fixture(scope="module")
def places() -> PlaceExtractor:
    return PlaceExtractor()


def _mentions(places: PlaceExtractor, text: str) -> dict[str, str | None]:
    doc = places(Document.from_article(Article.create(text)))
    return {m.text: (m.place.id if m.place else None) for m in doc.places}


def test_the_table_lists_words_and_person_names_that_are_also_towns() -> None:
    kinds = place_evidence.name_kinds()
    assert "w" in kinds["section"]
    assert "s" in kinds["welch"]
    assert "f" in kinds["patrick"]


def test_a_surname_used_only_for_a_person_is_no_place(places: PlaceExtractor) -> None:
    text = "Police said Welch went to a house, where a man stabbed Welch twice."
    assert "Welch" not in _mentions(places, text)


@pytest.mark.parametrize(
    "text",
    [
        "A fire broke out in Welch on Monday.",
        "Joe Hall, 34, of Welch, was charged with theft.",
        "Welch, W.Va., lies in coal country.",
        "WELCH — The town council met on Monday.",
        "The bill's sponsor, Sen. Ann Lee, D-Welch, spoke first.",
        "A Welch man was hurt in the crash.",
        "Crews came from Bluefield, Welch and Princeton.",
    ],
)
def test_one_use_as_a_place_makes_the_name_a_place(places: PlaceExtractor, text: str) -> None:
    found = {name.title(): place for name, place in _mentions(places, text).items()}
    assert found["Welch"] == WELCH_WV


def test_one_sense_per_article_keeps_every_mention(places: PlaceExtractor) -> None:
    text = "A fire broke out in Welch on Monday. Welch has about 2,000 people."
    doc = places(Document.from_article(Article.create(text)))
    assert [m.place.id for m in doc.places if m.place] == [WELCH_WV, WELCH_WV]


def test_a_list_closed_by_a_plural_cue_makes_each_name_a_place(places: PlaceExtractor) -> None:
    found = _mentions(places, "Voters in Eastland and Callahan counties went to the polls.")
    assert {"Eastland", "Callahan"} <= found.keys()


def test_a_capitalised_common_word_is_no_small_town(places: PlaceExtractor) -> None:
    assert _mentions(places, "The Chamber said the Pioneer project would go ahead.") == {}


@pytest.mark.parametrize("word", ["Luck", "Soul"])
def test_a_word_a_city_bears_only_as_another_name_needs_evidence(
    places: PlaceExtractor, word: str
) -> None:
    # "Luck" is Lutsk's Polish name and "Soul" an old spelling of Seoul; neither is a city's own
    assert word not in _mentions(places, f"The band closed with All The {word} on Friday.")


def test_a_word_a_city_bears_only_as_another_name_is_that_city_where_used_as_a_place(
    places: PlaceExtractor,
) -> None:
    found = _mentions(places, "Relief flights landed in Kovel and Luck on Monday.")
    assert found["Luck"] is not None


def test_a_known_city_needs_no_evidence(places: PlaceExtractor) -> None:
    # "Lincoln" is a surname too, but a city of a quarter million is known as a place
    assert "Lincoln" in _mentions(places, "Lincoln approved the new budget on Monday.")


@pytest.mark.parametrize(
    "text",
    [
        "A teenager was charged with stabbing Welch. Police recovered property taken from Welch.",
        "The door was open, said Welch. The tools stolen from Welch were found in a creek.",
        "Welch, 48, was treated for wounds. Deputies returned the jewelry from Welch on Monday.",
    ],
)
def test_a_name_read_as_a_person_is_no_place_for_a_preposition_alone(
    places: PlaceExtractor, text: str
) -> None:
    # issue 4: "from Welch" after "stabbing Welch" is the man's property, not the town's
    assert "Welch" not in _mentions(places, text)


def test_a_person_reading_yields_to_an_area_after_a_comma(places: PlaceExtractor) -> None:
    text = "Welch said the road was closed. The crash happened near Welch, W.Va., on Monday."
    assert _mentions(places, text)["Welch"] == WELCH_WV
