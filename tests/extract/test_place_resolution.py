"""Place resolution: nearness to the towns only one place can be, repeated names, and the
areas the actors an article names work in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import pytest

from sitroom.extract import gazetteer
from sitroom.extract.actors import Whereabouts
from sitroom.extract.place_resolution import (
    Candidate,
    _anchors,
    _cell,
    _near_an_anchor,
    _with_dominant,
    resolve,
)
from sitroom.model import Place, Span


def _town(lat: float, lon: float, name: str = "Town") -> Candidate:
    place = Place(f"test:{name}", name, "NO", None, lat, lon, "village", 800)
    return Candidate(Span(0, len(name)), (gazetteer.Entry(place, "PPL", "NO.01"),))


@pytest.mark.parametrize(
    ("lat", "lon", "near"),
    [
        (60.0, 12.1, True),  # two cells of longitude east, 122 km away at this latitude
        (60.0, 13.0, False),  # 172 km
        (61.0, 9.9, True),  # the cell above
        (10.0, 12.1, False),  # near the equator two degrees are 244 km
    ],
)
def test_near_an_anchor_looks_across_cells_at_its_latitude(
    lat: float, lon: float, near: bool
) -> None:
    anchors = _anchors([_town(60.0, 9.9, "Anchor"), _town(10.0, 9.9, "South")])
    place = Place("test:p", "P", "NO", None, lat, lon, "village", 800)
    assert _near_an_anchor(place, _cell(lat, lon), anchors) is near


def test_an_anchor_is_not_near_itself() -> None:
    anchors = _anchors([_town(60.0, 9.9)])
    assert not _near_an_anchor(_town(60.0, 9.9).entries[0].place, _cell(60.0, 9.9), anchors)


def test_a_name_named_again_resolves_alike() -> None:
    # Scored once per context and reused: each mention gets the same place and confidence.
    gaz = gazetteer.load()
    text = "Shelling hit Ariha. Later Ariha was calm, and Ariha reopened."
    entries = gaz.candidates("ariha")
    assert len(entries) > 1
    starts = [i for i in range(len(text)) if text.startswith("Ariha", i)]
    candidates = [Candidate(Span(s, s + 5), entries) for s in starts]
    mentions = resolve(candidates, text)
    assert len({(m.place, m.confidence) for m in mentions}) == 1


def _area(name: str, code: str, start: int) -> Candidate:
    place = Place(f"test:{name}", name, code.split(".")[0], name, 0.0, 0.0, "admin1", 0)
    return Candidate(Span(start, start + len(name)), (gazetteer.Entry(place, "ADM1", code),))


@pytest.mark.parametrize("gap", [", ", " in ", ", in ", " in the "])
def test_a_town_none_of_whose_entries_lies_in_its_area_takes_the_area(gap: str) -> None:
    text = f"Townia{gap}Areana"
    town = _town(60.0, 9.9, "Townia")
    mentions = resolve([town, _area("Areana", "MZ.01", len(text) - 6)], text)
    assert mentions[0].place == mentions[1].place
    assert mentions[0].confidence < 0.5


def test_a_town_inside_its_area_keeps_its_entry() -> None:
    text = "Townia in Areana"
    mentions = resolve([_town(60.0, 9.9, "Townia"), _area("Areana", "NO.01", 10)], text)
    assert mentions[0].place is not None and mentions[0].place.name == "Townia"


def test_an_area_after_of_needs_its_cue() -> None:
    text = "Townia of Areana"
    mentions = resolve([_town(60.0, 9.9, "Townia"), _area("Areana", "MZ.01", 10)], text)
    assert mentions[0].place is not None and mentions[0].place.name == "Townia"


def test_a_name_in_a_closing_area_is_its_entry_inside_it() -> None:
    # The article's other towns lie where the big namesake does; the area named wins.
    big = Place("test:big", "Townia", "NO", None, 59.9, 10.7, "city", 900_000)
    small = Place("test:small", "Townia", "NO", None, 69.6, 18.9, "village", 600)
    entries = (gazetteer.Entry(big, "PPLA", "NO.02"), gazetteer.Entry(small, "PPL", "NO.01"))
    text = "Townia, Areana. Bodo. Moss."
    others = [_town(59.0, 10.0, "Bodo"), _town(59.0, 10.0, "Moss")]
    others = [
        Candidate(Span(start, start + 4), (replace(c.entries[0], admin1_code="NO.02"),))
        for start, c in zip((16, 22), others, strict=True)
    ]
    mentions = resolve([Candidate(Span(0, 6), entries), _area("Areana", "NO.01", 8), *others], text)
    assert mentions[0].place == small


def test_a_name_listed_before_places_is_not_placed_in_the_next() -> None:
    text = "Townia, Areana and Otheria"
    other = _area("Otheria", "SE.01", 19)
    mentions = resolve([_town(60.0, 9.9, "Townia"), _area("Areana", "MZ.01", 8), other], text)
    assert mentions[0].place is not None and mentions[0].place.name == "Townia"


@pytest.mark.parametrize("gap", [" district, ", " District of ", " town in ", " (", " village ("])
def test_a_unit_word_may_stand_between_a_town_and_its_area(gap: str) -> None:
    text = f"Townia{gap}Areana"
    mentions = resolve([_town(60.0, 9.9, "Townia"), _area("Areana", "MZ.01", len(text) - 6)], text)
    assert mentions[0].place == mentions[1].place


def _namesakes(*places: tuple[str, str, int]) -> tuple[gazetteer.Entry, ...]:
    return tuple(
        gazetteer.Entry(
            Place(f"test:{name}{country}", name, country, None, 1.0, 1.0, "city", n),
            "PPL",
            f"{country}.01",
        )
        for name, country, n in places
    )


@pytest.mark.parametrize(
    ("entries", "country"),
    [
        (_namesakes(("Bigton", "LB", 2_000_000), ("Bigton", "PL", 5_000)), "LB"),
        # two cities of some size: the name says nothing about its country
        (_namesakes(("Bigton", "LB", 2_000_000), ("Bigton", "GR", 200_000)), None),
        # a small town's name: too little known to point anywhere
        (_namesakes(("Bigton", "LB", 20_000), ("Bigton", "PL", 50)), None),
        # the big city bears the name only as an alternate
        (_namesakes(("Otherton", "LB", 2_000_000), ("Bigton", "PL", 50)), None),
    ],
)
def test_a_dominant_entry_points_to_its_country(
    entries: tuple[gazetteer.Entry, ...], country: str | None
) -> None:
    text = "Bigton"
    vote = _with_dominant((None, None), Candidate(Span(0, 6), entries), text)
    assert vote[0] == country


def test_a_name_named_twice_does_not_vote_for_its_own_area() -> None:
    # Tripoli is a capital in Libya, inside a Libyan area of its name, and a smaller city in
    # Lebanon; Beirut points to Lebanon. The Libyan area's votes, one per Tripoli, must not.
    gaz = gazetteer.load()
    text = "Tripoli and Tripoli and Beirut"
    spans = [(0, 7), (12, 19), (24, 30)]
    candidates = [
        Candidate(Span(a, b), gaz.candidates(gazetteer.match_key(text[a:b]))) for a, b in spans
    ]
    mentions = resolve(candidates, text)
    assert [m.place.country for m in mentions if m.place] == ["LB", "LB", "LB"]


def test_a_candidate_is_frozen_and_equal_by_its_fields() -> None:
    # Its `__init__` is written out for speed; it must still behave as the dataclass's would.
    candidate = Candidate(Span(0, 4), (), admin_cue=True)
    assert candidate == Candidate(Span(0, 4), (), False, True, False)
    assert replace(candidate, span=Span(1, 4)).span == Span(1, 4)
    assert replace(candidate, span=Span(1, 4)).admin_cue
    with pytest.raises(AttributeError):
        candidate.loose = True  # type: ignore[misc]


def _us_town(name: str, code: str, lat: float, lon: float, population: int) -> gazetteer.Entry:
    place = Place(f"test:{name}{code}", name, "US", code, lat, lon, "city", population)
    return gazetteer.Entry(place, "PPL", code)


def test_a_namesake_follows_the_area_another_namesake_was_placed_in() -> None:
    # Issue 4: "Parisa" lies beside a town only one place can be, so it is the small Parisa
    # in area TN; "Henrya", with nothing beside it, is then the Henrya in TN too, not the
    # bigger one in GA.
    text = "Parisa and Anchorville and Henrya"
    parisa = (
        _us_town("Parisa", "US.TX", 33.6, -95.5, 100_000),
        _us_town("Parisa", "US.TN", 36.3, -88.3, 10_000),
        _us_town("Parisa", "US.OH", 40.0, -82.0, 50_000),
    )
    anchor = (_us_town("Anchorville", "US.KY", 36.8, -88.5, 5_000),)
    henrya = (
        _us_town("Henrya", "US.GA", 33.4, -84.1, 300_000),
        _us_town("Henrya", "US.TN", 35.0, -85.5, 10_000),
    )
    spans = [Span(0, 6), Span(11, 22), Span(27, 33)]
    candidates = [Candidate(s, e) for s, e in zip(spans, (parisa, anchor, henrya), strict=True)]
    mentions = resolve(candidates, text)
    assert [m.place.admin1 for m in mentions if m.place] == ["US.TN", "US.KY", "US.TN"]


def test_a_lone_namesake_is_not_pulled_by_its_own_placement() -> None:
    text = "Henrya"
    henrya = (
        _us_town("Henrya", "US.GA", 33.4, -84.1, 60_000),
        _us_town("Henrya", "US.TN", 35.0, -85.5, 10_000),
    )
    mentions = resolve([Candidate(Span(0, 6), henrya)], text)
    assert mentions[0].place is not None and mentions[0].place.admin1 == "US.GA"


def test_two_namesakes_do_not_trade_places() -> None:
    # Each is pulled to where the other was placed at first; neither move has a namesake
    # left to stand on, so both keep their first places.
    text = "Alpha and Betta"
    alpha = (
        _us_town("Alpha", "US.GA", 33.4, -84.1, 60_000),
        _us_town("Alpha", "US.TN", 35.0, -85.5, 10_000),
    )
    betta = (
        _us_town("Betta", "US.TN", 36.1, -86.8, 60_000),
        _us_town("Betta", "US.GA", 32.1, -81.1, 10_000),
    )
    candidates = [Candidate(Span(0, 5), alpha), Candidate(Span(10, 15), betta)]
    mentions = resolve(candidates, text)
    assert [m.place.admin1 for m in mentions if m.place] == ["US.GA", "US.TN"]


def test_a_country_before_another_is_a_list_not_a_town_inside_it() -> None:
    # issue 4: "Iraq, Iran" lists two countries; Arak, a town of Iran, bears "Iraq" as a name
    iraq = _country("IQ", "Iraq", 33.0, 44.0)
    arak = Candidate(Span(0, 4), (iraq.entries[0], _entry("Arak", "IR", "IR.01", 34.1, 49.7)))
    iran = _country("IR", "Iran", 32.0, 53.0)
    text = "Iraq, Iran"
    first, second = replace(arak, span=Span(0, 4)), replace(iran, span=Span(6, 10))
    mentions = resolve([first, second], text)
    assert mentions[0].place is not None and mentions[0].place.kind == "country"


def _country(code: str, name: str, lat: float, lon: float) -> Candidate:
    place = Place(f"test:{code}", name, code, None, lat, lon, "country", 30_000_000)
    return Candidate(Span(0, len(name)), (gazetteer.Entry(place, "PCLI", None),))


def _entry(name: str, country: str, admin1: str, lat: float, lon: float) -> gazetteer.Entry:
    place = Place(f"test:{name}", name, country, None, lat, lon, "city", 500_000)
    return gazetteer.Entry(place, "PPLA", admin1)


def _namesakes(name: str, *towns: tuple[str, int]) -> Candidate:
    entries = tuple(
        gazetteer.Entry(
            Place(f"test:{name}-{code}", name, "NO", None, 60.0, 10.0, "village", population),
            "PPL",
            code,
        )
        for code, population in towns
    )
    return Candidate(Span(0, len(name)), entries)


def _hints(*areas: str, stand_in: gazetteer.Entry | None = None) -> Callable[[], Whereabouts]:
    found = Whereabouts(Counter({"NO": 1}), Counter(areas), Counter(), stand_in)
    return lambda: found


def test_the_areas_an_articles_actors_work_in_decide_among_namesakes() -> None:
    # Issue 7: "the OSCE SMM observed ... near X" is the X in the mission's areas.
    text = "Varby"
    candidate = _namesakes(text, ("NO.01", 5000), ("NO.02", 800))
    assert resolve([candidate], text)[0].place == candidate.entries[0].place
    hinted = resolve([candidate], text, hints=_hints("NO.02"))
    assert hinted[0].place == candidate.entries[1].place


def test_a_small_town_known_only_outside_the_actors_areas_takes_their_stand_in() -> None:
    text = "Varby"
    candidate = _namesakes(text, ("NO.01", 800))
    region = Place("sitroom:test", "Test Region", "NO", None, 61.0, 11.0, "region")
    stand_in = gazetteer.Entry(region, "AREA", None)
    mention = resolve([candidate], text, hints=_hints("NO.02", "NO.03", stand_in=stand_in))[0]
    assert mention.place == region and mention.confidence < 0.5
    inside = resolve([candidate], text, hints=_hints("NO.01", stand_in=stand_in))[0]
    assert inside.place == candidate.entries[0].place
