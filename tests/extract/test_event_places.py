"""Event places: which place a clause names is where its event happened, on sentences
written here (`test_events` tests the same through the extractor)."""

from __future__ import annotations

import pytest

from sitroom.extract.event_places import article_country, choose_place, is_specific
from sitroom.model import Place, PlaceMention, Span


def _mention(text: str, name: str, kind: str, country: str = "XX") -> PlaceMention:
    start = text.index(name)
    place = Place(name.lower(), name, country, None, 0.0, 0.0, kind)
    return PlaceMention("t", Span(start, start + len(name)), name, place, 0.9)


def _choose(text: str, *places: tuple[str, str]) -> str:
    mentions = [_mention(text, name, kind) for name, kind in places]
    return choose_place(text.lower(), Span(0, len(text)), mentions).text


@pytest.mark.parametrize(
    ("text", "places", "chosen"),
    [
        ("Shelling hit Ariha in Idlib province.", (("Ariha", "city"), ("Idlib", "admin1")),
         "Ariha"),
        ("Protesters met in Mukalla City in Yemen.", (("Mukalla City", "admin2"),
         ("Yemen", "country")), "Mukalla City"),
        ("A bomb went off in the Soba area of Khartoum.", (("Soba", "city"),
         ("Khartoum", "city")), "Khartoum"),
        ("Men from Deir ez-Zor clashed in the town of Jarablus.", (("Deir ez-Zor", "city"),
         ("Jarablus", "city")), "Jarablus"),
        ("The group gave up after talks in Goma, Congo said.", (("Goma", "city"),
         ("Congo", "country")), "Goma"),
    ],
)  # fmt: skip
def test_the_place_where_the_event_happened(
    text: str, places: tuple[tuple[str, str], ...], chosen: str
) -> None:
    assert _choose(text, *places) == chosen


def test_the_article_country_outvotes_a_village_abroad_but_not_a_tie() -> None:
    text = "Andar, Ghazni and Mayo"
    afghan = [_mention(text, "Andar", "village", "FR"), _mention(text, "Ghazni", "admin1", "AF")]
    assert article_country(afghan) == "AF"
    assert article_country([_mention(text, "Andar", "village", "FR"),
                            _mention(text, "Mayo", "village", "US")]) is None  # fmt: skip


def test_towns_and_regions_are_specific_provinces_are_not() -> None:
    assert is_specific("village") and is_specific("region")
    assert not is_specific("admin1") and not is_specific("country")


def _placed(text: str, name: str, kind: str, country: str, lat: float, lon: float) -> PlaceMention:
    start = text.index(name)
    place = Place(name.lower(), name, country, None, lat, lon, kind)
    return PlaceMention("t", Span(start, start + len(name)), name, place, 0.9)


@pytest.mark.parametrize(
    ("text", "town", "chosen"),
    [
        # Issue 7: a town read as a namesake far from the area named as holding it is a
        # misreading; the area is where the event was.
        ("Gunmen shot a farmer in Tel Nour village (Varo, Ostland).", (5.0, 5.0), "Varo"),
        ("An IED exploded near Tel Nour town in Varo countryside.", (5.0, 5.0), "Varo"),
        # A town near its area stays chosen.
        ("Gunmen shot a farmer in Tel Nour village (Varo, Ostland).", (30.3, 40.2), "Tel Nour"),
    ],
)
def test_a_town_far_from_the_area_holding_it_gives_way_to_the_area(
    text: str, town: tuple[float, float], chosen: str
) -> None:
    mentions = [
        _placed(text, "Tel Nour", "city", "XX", *town),
        _placed(text, "Varo", "city", "XX", 30.0, 40.0),
    ]
    if "Ostland" in text:
        mentions.append(_placed(text, "Ostland", "admin1", "XX", 30.5, 40.5))
    assert choose_place(text.lower(), Span(0, len(text)), mentions).text == chosen


def test_a_town_in_another_country_than_its_area_gives_way() -> None:
    text = "Clashes took place in the town of Amber in Varo."
    mentions = [
        _placed(text, "Amber", "city", "YY", 30.1, 40.1),
        _placed(text, "Varo", "city", "XX", 30.0, 40.0),
    ]
    assert choose_place(text.lower(), Span(0, len(text)), mentions).text == "Varo"


def test_one_holder_that_agrees_keeps_the_town() -> None:
    # "(Rim Khas, Ostland)": "Rim" misread far away does not move the town Ostland holds.
    text = "A rally was held in Sefa city (Rim, Ostland)."
    mentions = [
        _placed(text, "Sefa", "city", "XX", 30.0, 40.0),
        _placed(text, "Rim", "city", "XX", 36.0, 46.0),
        _placed(text, "Ostland", "admin1", "XX", 30.5, 40.5),
    ]
    assert choose_place(text.lower(), Span(0, len(text)), mentions).text == "Sefa"


def test_places_named_for_another_reason_are_not_holders() -> None:
    text = "Protesters in Sefa marched to demand aid for Varo."
    mentions = [
        _placed(text, "Sefa", "city", "XX", 30.0, 40.0),
        _placed(text, "Varo", "city", "XX", 36.0, 46.0),
    ]
    assert choose_place(text.lower(), Span(0, len(text)), mentions).text == "Sefa"
