"""Names the gazetteer lacks, placed by the chain of areas after them (issue 7)."""

from __future__ import annotations

import pytest
from place_helpers import found_places, resolved

from sitroom.extract.places import PlaceExtractor


@pytest.fixture(scope="module")
def places() -> PlaceExtractor:
    return PlaceExtractor()


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen attacked Qarya Wexil village, Nahrin district, Baghlan province, on Monday.",
        "Clashes were reported in the Qarya Wexil area of Nahrin district, Baghlan.",
        "A mine exploded in Qarya Wexil village in Nahrin district of Baghlan province.",
        "A shell hit the Qarya Wexil area (Nahrin district, Baghlan) at night.",
    ],
)
def test_a_village_lies_in_the_district_the_chain_names(places: PlaceExtractor, text: str) -> None:
    place = resolved(places, text, "Qarya Wexil")
    assert place.kind == "admin2" and place.admin1 == "Baghlan" and place.country == "AF"


def test_a_district_the_gazetteer_lacks_leaves_the_village_in_its_province(
    places: PlaceExtractor,
) -> None:
    text = "Militants stormed Qarya Wexil village, Zelvarnoq district, Kandahar province."
    place = resolved(places, text, "Qarya Wexil")
    assert place.kind == "admin1" and place.name == "Kandahar"


def test_a_district_is_looked_for_inside_the_province_named_after_it(
    places: PlaceExtractor,
) -> None:
    # Sinjar is a town in Iraq's Nineveh and a village in Syria's Idlib: the province decides.
    text = "A mine exploded near Dahr Wexil village in Sinjar district, Ninawa province."
    place = resolved(places, text, "Dahr Wexil")
    assert place.kind == "admin2" and place.country == "IQ"


def test_a_province_by_another_name_places_the_village(places: PlaceExtractor) -> None:
    place = resolved(places, "Airstrikes hit Kafr Wexil village in Wardak province.", "Kafr Wexil")
    assert place.kind == "admin1" and place.country == "AF"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Sunday area of Kandahar province was quiet.", "Sunday"),
        ("Qarya Wexil village was quiet.", "Qarya Wexil"),  # no area named after it
        ("The Wexil Foundation area, Kandahar, reopened.", "Wexil Foundation"),
    ],
)
def test_no_chain_of_named_areas_no_place(places: PlaceExtractor, text: str, name: str) -> None:
    assert name not in found_places(places, text)


@pytest.mark.parametrize(
    ("text", "counties"),
    [
        (
            "Road crews worked in Becker, Clay, Otter Tail and Wilkin counties overnight.",
            {
                "Becker": "Becker County",
                "Clay": "Clay County",
                "Otter Tail": "Otter Tail County",
                "Wilkin": "Wilkin County",
            },
        ),
        # the list's first name after a capitalised word of the sentence
        (
            "Both Rapides and Avoyelles parishes opened shelters.",
            {"Rapides": "Rapides Parish", "Avoyelles": "Avoyelles Parish"},
        ),
    ],
)
def test_the_names_of_a_county_list_are_counties(
    places: PlaceExtractor, text: str, counties: dict[str, str]
) -> None:
    # issue 4: "Grant" and "Clay" are towns too; before the plural they name the counties
    for name, county in counties.items():
        place = resolved(places, text, name)
        assert (place.name, place.kind) == (county, "admin2")


def test_a_lone_name_before_counties_is_no_county_list(places: PlaceExtractor) -> None:
    # "the metro Athens counties" are the counties around the city, not an Athens County
    place = resolved(places, "Jobs grew in the four metro Athens counties, Georgia said.", "Athens")
    assert place.kind == "city"
