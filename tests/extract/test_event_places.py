"""Event places: which place a clause names is where its event happened, on sentences
written here (`test_events` tests the same through the extractor)."""

from __future__ import annotations

import pytest

from sitroom.extract.event_places import _after_the, article_country, choose_place, is_specific
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


def _in_province(
    text: str,
    name: str,
    kind: str,
    province: str,
    *,
    at: tuple[float, float] = (30.0, 40.0),
    country: str = "XX",
    nth: int = 0,
) -> PlaceMention:
    """A mention of the `nth` occurrence of `name`, read as a place of `province`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    place = Place(f"{name.lower()}-{kind}-{country}", name, country, province, *at, kind)
    return PlaceMention("t", Span(start, start + len(name)), name, place, 0.9)


def _chosen(text: str, *mentions: PlaceMention) -> str:
    found = sorted(mentions, key=lambda m: m.span.start)
    chosen = choose_place(text.lower(), Span(0, len(text)), found)
    assert chosen.place is not None
    return f"{chosen.text}/{chosen.place.kind}"


@pytest.mark.parametrize(
    "text",
    [
        # Issue 7: the holders lie past names the gazetteer lacks, after "in" or "(".
        "Gunmen attacked fighters at the Hamza camp in Mashru Tal (Varo).",
        "Troops shelled the town of Hamza in Jabal Zawi in the southern countryside of Varo.",
        "Gunmen raided a farm in the area of Hamza (Sabir Dol, Varo).",
        "A mine exploded in Hamza area west of Tel Nour in Varo countryside.",
        "Rioters damaged a bank at the Hamza intersection in Varo.",
    ],
)
def test_a_town_abroad_gives_way_to_holders_past_unknown_names(text: str) -> None:
    hamza = _in_province(text, "Hamza", "city", "Far", at=(40.0, 70.0), country="YY")
    varo = _in_province(text, "Varo", "city", "Ostland")
    assert _chosen(text, hamza, varo) == "Varo/city"


@pytest.mark.parametrize(
    "text",
    [
        # A new phrase, not a holder: the town stays where the text put it.
        "Rioters blocked a road in Hamza, in front of the Bank of Varo building.",
        "Protesters in Hamza marched to demand aid for Varo.",
        "Gunmen in Hamza were later seen on the road to Varo.",
    ],
)
def test_places_named_in_another_phrase_are_not_holders(text: str) -> None:
    hamza = _in_province(text, "Hamza", "city", "Far", at=(40.0, 70.0), country="YY")
    varo = _in_province(text, "Varo", "city", "Ostland")
    assert _chosen(text, hamza, varo) == "Hamza/city"


def test_a_town_of_another_province_than_the_one_named_gives_way() -> None:
    # Issue 7: "Ar Rubat" read as a town of another province, 200 km from the named one's
    # point and its district's.
    text = "Gunmen seized a farm in Tel Nour village (Kilo district, Ostland)."
    town = _in_province(text, "Tel Nour", "city", "Westland", at=(32.0, 42.0))
    district = _in_province(text, "Kilo", "city", "Ostland", at=(30.4, 40.4))
    province = _in_province(text, "Ostland", "admin1", "Ostland", at=(30.5, 40.5))
    assert _chosen(text, town, district, province) == "Kilo/city"


@pytest.mark.parametrize(
    ("text", "town_name", "district_name", "chosen"),
    [
        # Issue 7: the note names the wrong province; the town's own district says it is
        # right, also when only the first word of its name was read ("Mirpur khas").
        ("Journalists held a protest in Sefa city (Sefa, Ostland).", "Sefa", "Sefa", "Sefa/city"),
        ("Journalists held a rally in Sefa Khas city (Sefa khas, Ostland).", "Sefa Khas", "Sefa",
         "Sefa Khas/city"),
        # Another name that begins alike is not the town's district.
        ("Journalists held a rally in Sefa city (Sefani, Ostland).", "Sefa", "Sefani",
         "Sefani/admin1"),
    ],
)  # fmt: skip
def test_a_district_named_after_its_town_confirms_a_sizeable_town(
    text: str, town_name: str, district_name: str, chosen: str
) -> None:
    town = _in_province(text, town_name, "city", "Westland", at=(25.0, 68.0))
    nth = 1 if town_name.startswith(district_name) else 0
    district = _in_province(text, district_name, "admin1", "Ostland", at=(31.0, 73.0), nth=nth)
    province = _in_province(text, "Ostland", "admin1", "Ostland", at=(31.0, 73.0))
    assert _chosen(text, town, district, province) == chosen


def test_the_holders_of_a_name_named_again_count() -> None:
    # Issue 7: a village namesake, read before the name comes again with its province.
    text = "Arsonists hit a plant in Sefa industrial zone in Sefa, Ostland."
    first = _in_province(text, "Sefa", "village", "Westland", at=(38.0, 30.0))
    again = _in_province(text, "Sefa", "admin1", "Ostland", at=(41.0, 29.0), nth=1)
    city = _in_province(text, "Ostland", "city", "Ostland", at=(41.0, 29.0))
    assert _chosen(text, first, again, city) == "Ostland/city"


def test_an_area_of_another_country_than_the_areas_after_it_gives_way() -> None:
    # Issue 7: "Mayo-Sava" read as a town abroad and a province abroad, before the province.
    text = "Militants looted a house in Kerawa village (Mayo-Sava, Ostland)."
    mayo = _in_province(text, "Mayo", "city", "Far", at=(40.0, -80.0), country="YY")
    sava = _in_province(text, "Sava", "admin1", "Sava", at=(-14.0, 50.0), country="ZZ")
    ostland = _in_province(text, "Ostland", "admin1", "Ostland", at=(11.0, 14.0))
    assert _chosen(text, mayo, sava, ostland) == "Ostland/admin1"


def test_a_name_after_the_is_a_landmark_before_a_town() -> None:
    # Issue 7: "outside the Saray" names a building; the town is the one "in" governs.
    text = "Rioters gathered outside the Sefa and a bank in Varo."
    sefa = _in_province(text, "Sefa", "city", "Far", at=(40.0, 49.0), country="YY")
    varo = _in_province(text, "Varo", "city", "Ostland")
    assert _chosen(text, sefa, varo) == "Varo/city"


def test_a_town_abroad_gives_way_to_the_province_the_clause_is_set_in() -> None:
    # Issue 7: the province names the scene before the town, whose reading lies abroad.
    text = "Police in Ostland governorate arrested a man in Hat district."
    ostland = _in_province(text, "Ostland", "admin1", "Ostland")
    hat = _in_province(text, "Hat", "village", "Far", at=(49.0, 17.0), country="YY")
    assert _chosen(text, ostland, hat) == "Ostland/admin1"
    # Named from elsewhere, the province does not set the scene.
    text = "Traders from Ostland governorate protested in Hat district."
    ostland = _in_province(text, "Ostland", "admin1", "Ostland")
    hat = _in_province(text, "Hat", "village", "Far", at=(49.0, 17.0), country="YY")
    assert _chosen(text, ostland, hat) == "Hat/village"


def test_a_town_just_across_the_named_provinces_line_stays() -> None:
    # A note may name the province next door: a town 60 km from its point is still held.
    text = "Militants shelled an army post in Goni (Gujo district, Ostland)."
    town = _in_province(text, "Goni", "city", "Westland", at=(30.5, 40.0))
    province = _in_province(text, "Ostland", "admin1", "Ostland", at=(30.0, 40.3))
    assert _chosen(text, town, province) == "Goni/city"


def test_after_the_looks_only_before_the_name() -> None:
    text = "ariha was shelled from the "
    assert not _after_the(text, _mention(text, "ariha", "city"))
    text = "a bomb hit the saray"
    assert _after_the(text, _mention(text, "saray", "city"))
