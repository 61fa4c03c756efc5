"""Incident exports: ACLED's columns and precision codes, GeoJSON, JSON objects."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sitroom import export
from sitroom.model import Place, Span, Window
from sitroom.record.incidents import Incident, IncidentReport

DAY = dt.date
SARAQIB = Place("g:164816", "Saraqib", "SY", "Idlib", 35.864, 36.806, "city")
IDLIB = Place("g:169387", "Idlib", "SY", "Idlib", 35.827, 36.621, "admin1")
NW_SYRIA = Place("area:nw", "northwest Syria", "SY", None, 35.9, 36.6, "region")
SYRIA = Place("g:163843", "Syria", "SY", None, 35.0, 38.0, "country")
MONDAY = Window.day(DAY(2020, 1, 13))


def _incident(
    place: Place | None = SARAQIB,
    date: Window | None = MONDAY,
    *,
    fatalities: tuple[int | None, int | None] = (11, 14),
) -> Incident:
    reports = tuple(
        IncidentReport(f"e{n}", article, Span(0, 10), "Air/drone strike", date, toll, key,
                       title=f"Report {n}", url=f"https://x.example/{n}",
                       published=DAY(2020, 1, 14), outlet=outlet)
        for n, (article, toll, key, outlet) in enumerate(
            [("wire", 11, "levant wire", "Levant Wire"), ("mon", 14, "nm", "Northern Monitor"),
             ("copy", 11, "levant wire", "NewsHub")]
        )
    )  # fmt: skip
    return Incident(
        id="i1",
        type="Explosions/Remote violence",
        subtype="Air/drone strike",
        date=date,
        place=place,
        actors=("Military Forces of Syria", "Civilians"),
        fatalities=fatalities[0],
        fatalities_high=fatalities[1],
        report_count=3,
        source_count=2,
        first_reported=DAY(2020, 1, 14),
        last_reported=DAY(2020, 1, 14),
        reports=reports,
    )


def test_acled_row_has_acleds_columns_in_order() -> None:
    (row,) = export.acled_rows([_incident()])
    assert tuple(row) == export.ACLED_COLUMNS
    assert row["event_date"] == "2020-01-13" and row["sub_event_type"] == "Air/drone strike"
    assert (row["actor1"], row["actor2"]) == ("Military Forces of Syria", "Civilians")
    assert (row["admin1"], row["location"], row["latitude"], row["longitude"]) == (
        "Idlib", "Saraqib", 35.864, 36.806)  # fmt: skip
    assert (row["geo_precision"], row["time_precision"]) == (1, 1)
    assert row["source"] == "Levant Wire; Northern Monitor; NewsHub"
    assert row["fatalities"] == 11  # the lowest reported
    assert "11 to 14" in row["notes"] and "wire, mon, copy" in row["notes"]


@pytest.mark.parametrize(
    ("place", "precision"), [(SARAQIB, 1), (NW_SYRIA, 2), (IDLIB, 3), (SYRIA, 3), (None, None)]
)
def test_geo_precision(place: Place | None, precision: int | None) -> None:
    assert export.geo_precision(place) == precision


@pytest.mark.parametrize(
    ("window", "from_publication", "precision", "day"),
    [
        (Window.day(DAY(2020, 1, 13)), False, 1, "2020-01-13"),
        (Window.day(DAY(2020, 1, 13)), True, 2, "2020-01-13"),
        (Window(DAY(2020, 1, 6), DAY(2020, 1, 12)), False, 2, "2020-01-09"),  # mid-week
        (Window(DAY(2019, 12, 1), DAY(2019, 12, 31)), False, 3, "2019-12-16"),
    ],
)
def test_time_precision_and_the_day_coded(
    window: Window, from_publication: bool, precision: int, day: str
) -> None:
    assert export.time_precision(window, from_publication=from_publication) == precision
    (row,) = export.acled_rows([_incident(date=window)])
    assert row["event_date"] == day


def test_a_country_level_incident_gets_no_made_up_point() -> None:
    (row,) = export.acled_rows([_incident(place=SYRIA)])
    assert row["latitude"] is None and row["longitude"] is None and row["geo_precision"] == 3
    (feature,) = export.incidents_geojson([_incident(place=SYRIA)])["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["place"]["name"] == "Syria"


def test_unknown_toll_is_coded_zero() -> None:
    (row,) = export.acled_rows([_incident(fatalities=(None, None))])
    assert row["fatalities"] == 0


def test_geojson_is_a_feature_collection_of_points() -> None:
    collection = export.incidents_geojson([_incident(), _incident(place=IDLIB)])
    assert collection["type"] == "FeatureCollection"
    first, second = collection["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [36.806, 35.864]}
    assert second["properties"]["geo_precision"] == 3
    json.dumps(collection)  # serialisable as is


def test_incident_json_keeps_every_report() -> None:
    obj = export.incident_json(_incident())
    assert [r["article_id"] for r in obj["reports"]] == ["wire", "mon", "copy"]
    assert obj["reports"][1]["fatalities"] == 14 and obj["source_count"] == 2
    assert json.loads(json.dumps(obj)) == obj


def test_listing_rows_name_the_articles() -> None:
    (row,) = export.incident_rows([_incident()])
    assert tuple(row) == export.COLUMNS["incidents"]
    assert row["articles"] == "wire; mon; copy" and row["sources"] == 2
