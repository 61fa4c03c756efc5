"""Incidents: the same-incident rule, one part at a time, and filing reports into incidents."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sitroom.model import Article, Event, Extraction, Place, PlaceMention, Span, Window
from sitroom.record.incidents import (
    DEFAULT_THRESHOLDS,
    MemoryBook,
    Report,
    contains,
    family_of,
    file_reports,
    incident_id_for,
    lookup_of,
    merge,
    open_incident,
    outlet_of,
    reports_of,
    same_incident,
    source_key,
)

DAY = dt.date
SARAQIB = Place("g:164816", "Saraqib", "SY", "Idlib", 35.864, 36.806, "city")
# A village 4 km east of Saraqib, and a town 19 km away (Ariha).
NEAR_SARAQIB = Place("g:1", "Tell Mardikh", "SY", "Idlib", 35.836, 36.845, "village")
ARIHA = Place("g:173", "Ariha", "SY", "Idlib", 35.813, 36.607, "city")
IDLIB = Place("g:169387", "Idlib", "SY", "Idlib", 35.827, 36.621, "admin1")
HAMA = Place("g:170015", "Hama", "SY", "Hama", 35.296, 36.826, "admin1")
SYRIA = Place("g:163843", "Syria", "SY", None, 35.0, 38.0, "country")
TURKEY_TOWN = Place("g:2", "Reyhanli", "TR", "Hatay", 36.27, 36.57, "city")
# A town 47 km south of Saraqib, in the same province, and a district town near Saraqib.
KHAN_SHAYKHUN = Place("g:3", "Khan Shaykhun", "SY", "Idlib", 35.442, 36.651, "city")
DISTRICT = Place("g:4", "Saraqib District", "SY", "Idlib", 35.87, 36.80, "admin2")
EASTERN_PLAIN = Place("g:5", "Eastern plain", "SY", "Idlib", 35.9, 37.1, "region")
MONDAY, TUESDAY = DAY(2020, 1, 13), DAY(2020, 1, 14)


def _report(
    event_id: str = "e1",
    *,
    subtype: str = "Air/drone strike",
    day: dt.date = MONDAY,
    days: int = 1,
    place: Place | None = SARAQIB,
    actors: tuple[str, ...] = (),
    fatalities: int | None = None,
    source: str = "levant wire",
    published: dt.date | None = TUESDAY,
    from_publication: bool = False,
) -> Report:
    return Report(
        event_id=event_id,
        article_id=f"a-{event_id}",
        span=Span(0, 10),
        type="Explosions/Remote violence",
        subtype=subtype,
        date=Window(day, day + dt.timedelta(days=days - 1)),
        place=place,
        actors=actors,
        fatalities=fatalities,
        source=source,
        published=published,
        date_from_publication=from_publication,
    )


def _agree(first: Report, second: Report) -> bool:
    return same_incident(second, open_incident(first))


def test_same_report_in_other_words_agrees() -> None:
    assert _agree(_report(), _report("e2", source="northern monitor", fatalities=14))


@pytest.mark.parametrize(
    ("subtype", "agrees"),
    [
        ("Air/drone strike", True),
        ("Shelling/artillery/missile attack", True),  # bombardment, told two ways
        ("Armed clash", False),
        ("Attack", False),
    ],
)
def test_types_agree_within_a_family(subtype: str, agrees: bool) -> None:
    assert _agree(_report(), _report("e2", subtype=subtype)) is agrees


def test_families_group_confusable_sub_types_only() -> None:
    assert family_of("Government regains territory") == family_of("Armed clash")
    assert family_of("Suicide bomb") == family_of("Remote explosive/landmine/IED")
    assert family_of("Peaceful protest") != family_of("Violent demonstration")
    assert family_of("Agreement") == "Agreement"


@pytest.mark.parametrize(
    ("day", "days", "from_publication", "agrees"),
    [
        (DAY(2020, 1, 13), 1, False, True),
        (DAY(2020, 1, 14), 1, False, True),  # a day off: filed after midnight
        (DAY(2020, 1, 15), 1, False, False),  # two days off: another strike
        (DAY(2020, 1, 10), 7, False, True),  # "last week" overlaps Monday
        (DAY(2019, 12, 20), 31, False, False),  # "since late December" is too vague
        (DAY(2020, 1, 15), 1, True, True),  # dated by publication: may be the day before
    ],
)
def test_dates_agree_within_the_tolerance(
    day: dt.date, days: int, from_publication: bool, agrees: bool
) -> None:
    other = _report("e2", day=day, days=days, from_publication=from_publication)
    assert _agree(_report(), other) is agrees


@pytest.mark.parametrize(
    ("place", "agrees"),
    [
        (SARAQIB, True),
        (NEAR_SARAQIB, True),  # within near_km
        (ARIHA, False),  # same province, another town
        (IDLIB, True),  # the province it lies in
        (HAMA, False),  # another province
        (SYRIA, True),  # the country it lies in
        (TURKEY_TOWN, False),
        (None, False),  # an unplaced report never merges
    ],
)
def test_places_agree_by_distance_or_containment(place: Place | None, agrees: bool) -> None:
    assert _agree(_report(), _report("e2", place=place)) is agrees


def test_admin_areas_contain_their_towns_not_each_other() -> None:
    assert contains(IDLIB, SARAQIB) and contains(SYRIA, SARAQIB) and contains(SYRIA, IDLIB)
    assert not contains(SARAQIB, IDLIB)
    assert not contains(HAMA, SARAQIB)
    assert not contains(IDLIB, dataclasses.replace(IDLIB, id="g:other"))


@pytest.mark.parametrize(
    ("first", "second", "agrees"),
    [
        (("Military Forces of Syria",), ("Military Forces of Syria", "Civilians"), True),
        (("Military Forces of Russia",), ("Military Forces of Syria",), False),
        (("Military Forces of Russia",), ("Military forces",), True),  # "soldiers": anyone
        (("Civilians",), ("Military Forces of Syria",), True),  # victims are not a party
        ((), ("Houthi Movement",), True),
    ],
)
def test_named_parties_must_share_one(
    first: tuple[str, ...], second: tuple[str, ...], agrees: bool
) -> None:
    assert _agree(_report(actors=first), _report("e2", actors=second)) is agrees


def test_merge_keeps_the_most_precise_date_and_place_and_both_tolls() -> None:
    first = _report(place=IDLIB, day=DAY(2020, 1, 14), from_publication=True, fatalities=14,
                    actors=("Civilians",), published=DAY(2020, 1, 14))  # fmt: skip
    second = _report("e2", place=SARAQIB, fatalities=11, actors=("Military Forces of Syria",),
                     published=DAY(2020, 1, 13))  # fmt: skip
    merged = merge(open_incident(first), second)
    assert merged.place == SARAQIB
    assert merged.date == Window.day(DAY(2020, 1, 13)) and not merged.date_from_publication
    assert (merged.fatalities, merged.fatalities_high) == (11, 14)
    assert merged.actors == ("Civilians", "Military Forces of Syria")
    assert (merged.first_reported, merged.last_reported) == (DAY(2020, 1, 13), DAY(2020, 1, 14))
    assert merged.report_count == 2 and merged.id == incident_id_for("e1")


def test_filing_merges_reports_and_keeps_distinct_incidents_apart() -> None:
    book = MemoryBook()
    reports = [
        _report("market-1", source="levant wire"),
        _report("market-2", source="northern monitor", day=DAY(2020, 1, 14)),
        _report("market-3", source="levant wire", place=IDLIB),  # same outlet again
        _report("houses", day=DAY(2020, 1, 16)),  # same town, three days later
        _report("ariha", place=ARIHA),  # same day, another town
    ]
    tally = file_reports(book, reports)
    assert (tally.opened, tally.joined) == (3, 2)
    market = book.incidents[book.filed["market-1"]]
    assert book.filed["market-2"] == book.filed["market-3"] == market.id
    assert (market.report_count, market.source_count) == (3, 2)
    assert len({book.filed["houses"], book.filed["ariha"], market.id}) == 3


def test_a_report_naming_only_an_area_joins_the_most_reported_incident_in_it() -> None:
    book = MemoryBook()
    reports = [
        _report("saraqib"),
        _report("ariha", place=ARIHA),
        _report("ariha-again", place=ARIHA, source="northern monitor"),
        _report("province", place=IDLIB),
    ]
    file_reports(book, reports)
    assert book.filed["province"] == book.filed["ariha"] != book.filed["saraqib"]


def test_a_point_joins_the_nearest_point() -> None:
    book = MemoryBook()
    file_reports(
        book, [_report("far", place=ARIHA), _report("near"), _report("x", place=NEAR_SARAQIB)]
    )
    assert book.filed["x"] == book.filed["near"]


def test_filing_is_stable_for_the_same_order() -> None:
    reports = [_report(f"e{n}", day=DAY(2020, 1, 10 + n % 3)) for n in range(9)]
    first, second = MemoryBook(), MemoryBook()
    file_reports(first, reports)
    file_reports(second, reports)
    assert first.filed == second.filed


def test_reports_of_resolve_places_and_skip_repeated_events() -> None:
    text = "Jets bombed Saraqib on Monday."
    article = Article.create(text, id="a1", published=DAY(2020, 1, 14), source="Levant Wire")
    event = Event("a1", Span(0, len(text)), "Explosions/Remote violence", "Air/drone strike",
                  Window.day(DAY(2020, 1, 13)), place_id=SARAQIB.id)  # fmt: skip
    mention = PlaceMention("a1", Span(12, 19), "Saraqib", SARAQIB, 0.9)
    extraction = Extraction(article, places=(mention,), events=(event, event))
    reports = list(reports_of(extraction, source="levant wire", event_id=lambda e: "same"))
    assert len(reports) == 1
    assert reports[0].place == SARAQIB and reports[0].published == DAY(2020, 1, 14)


@pytest.mark.parametrize(
    ("source", "url", "outlet", "key"),
    [
        ("Levant  Wire", None, "Levant Wire", "levant wire"),
        (None, "https://www.example.org/news/1", "example.org", "example.org"),
        (None, None, None, "a1"),
        ("  ", "not a url", None, "a1"),
    ],
)
def test_source_is_the_outlet_else_the_host_else_the_article(
    source: str | None, url: str | None, outlet: str | None, key: str
) -> None:
    article = Article.create("Text.", id="a1", source=source, url=url)
    assert outlet_of(article) == outlet
    assert source_key(article) == key


def test_thresholds_have_readable_defaults() -> None:
    assert DEFAULT_THRESHOLDS.date_tolerance_days == 1
    assert DEFAULT_THRESHOLDS.near_km == 10.0


PLACES = [SARAQIB, NEAR_SARAQIB, ARIHA, IDLIB, HAMA, SYRIA, KHAN_SHAYKHUN, DISTRICT, EASTERN_PLAIN]


@pytest.mark.parametrize("incident_place", PLACES, ids=lambda p: p.name)
@pytest.mark.parametrize("report_place", PLACES, ids=lambda p: p.name)
def test_a_lookup_reaches_every_incident_its_report_could_join(
    report_place: Place, incident_place: Place
) -> None:
    incident = open_incident(_report("first", place=incident_place))
    report = _report("second", place=report_place, day=TUESDAY)
    lookup = lookup_of(report)
    assert lookup is not None
    place = incident_place
    if same_incident(report, incident):
        assert lookup.reaches(place.id, place.kind, place.lat)


def test_a_point_lookup_leaves_out_points_far_north_or_south_only() -> None:
    lookup = lookup_of(_report(place=SARAQIB))
    assert lookup is not None and lookup.near is not None
    assert not lookup.reaches(KHAN_SHAYKHUN.id, KHAN_SHAYKHUN.kind, KHAN_SHAYKHUN.lat)
    # 19 km west but at almost the same latitude: left to the distance rule.
    assert lookup.reaches(ARIHA.id, ARIHA.kind, ARIHA.lat)
    # The province and the country may hold it wherever their centres are.
    assert lookup.reaches(HAMA.id, HAMA.kind, HAMA.lat)
    assert lookup.reaches(SYRIA.id, SYRIA.kind, SYRIA.lat)


def test_a_point_exactly_near_km_north_is_still_reached() -> None:
    # 10 km of latitude, as the distance rule measures it: rounding must not drop it.
    north = dataclasses.replace(
        SARAQIB, id="g:north", lat=SARAQIB.lat + 10 / 6371.0088 * 57.29577951308232
    )
    lookup = lookup_of(_report(place=SARAQIB))
    assert lookup is not None
    assert lookup.reaches(north.id, north.kind, north.lat)


@pytest.mark.parametrize("place", [IDLIB, SYRIA], ids=lambda p: p.name)
def test_an_area_lookup_reaches_the_whole_country(place: Place) -> None:
    lookup = lookup_of(_report(place=place))
    assert lookup is not None and lookup.near is None
    assert lookup.reaches(KHAN_SHAYKHUN.id, KHAN_SHAYKHUN.kind, KHAN_SHAYKHUN.lat)


def test_a_report_too_vague_or_without_a_country_makes_no_lookup() -> None:
    assert lookup_of(_report(days=30)) is None
    assert lookup_of(_report(place=None)) is None


@pytest.mark.parametrize("days", [1, 6, 7, 8, 9])
def test_a_lookup_asks_for_no_incident_dated_too_loosely_to_agree(days: int) -> None:
    # Windows ending on the report's day; a week is the longest that can identify an
    # incident (the default threshold), and those of 8 and 9 days start early enough to be
    # asked for by their start alone.
    start = MONDAY - dt.timedelta(days=days - 1)
    incident = open_incident(_report("first", day=start, days=days))
    report = _report("second")
    lookup = lookup_of(report)
    assert lookup is not None and lookup.longest_days == DEFAULT_THRESHOLDS.longest_window_days
    book = MemoryBook()
    book.open(incident, _report("first"))
    asked = book.candidates(lookup) == [incident]
    assert asked == (days <= 7)
    # Never one it could have joined.
    assert asked or not same_incident(report, incident)
