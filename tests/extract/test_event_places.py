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
