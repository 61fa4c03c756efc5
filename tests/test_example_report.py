"""End to end on the shared example report: every fact the foundation issue (#3) asks for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from sitroom.cli import main

MAARET_AL_NUMAN = ("geonames:167611", 35.648, 36.677)


@pytest.fixture(scope="module")
def report(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "examples" / "idlib-2019-12-24.txt"
    result = CliRunner().invoke(main, ["extract", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def _times(report: dict[str, Any]) -> dict[str, tuple[str, str] | None]:
    return {
        t["text"]: (t["value"]["start"], t["value"]["end"]) if t["value"] else None
        for t in report["times"]
    }


def _figure(report: dict[str, Any], needle: str) -> dict[str, Any]:
    found = [f for f in report["figures"] if needle in f["text"]]
    assert found, f"no figure with {needle!r} in {[f['text'] for f in report['figures']]}"
    return found[0]


def test_output_is_the_contract(report: dict[str, Any], contract_schema: dict[str, Any]) -> None:
    jsonschema.validate(report, contract_schema)


def test_publication_date_comes_from_the_prefix(report: dict[str, Any]) -> None:
    assert report["article"]["published"] == "2019-12-24"


def test_times_resolve_against_publication(report: dict[str, Any]) -> None:
    times = _times(report)
    assert times["Monday"] == ("2019-12-23", "2019-12-23")
    assert times["late last month"] == ("2019-11-21", "2019-11-30")
    assert times["Over the past three days"] == ("2019-12-22", "2019-12-24")


def test_figures_carry_qualifier_measure_and_period(report: dict[str, Any]) -> None:
    passage = _figure(report, "2,500")
    assert (passage["value"], passage["qualifier"], passage["measure"]) == (
        2500,
        "at_least",
        "evacuated",
    )
    displaced = _figure(report, "60,000")
    assert (displaced["qualifier"], displaced["measure"]) == ("approx", "displaced")
    assert displaced["period"] == {"start": "2019-11-21", "end": "2019-12-24"}
    for communities in ("39", "47"):
        figure = _figure(report, communities)
        assert (figure["measure"], figure["unit"]) == ("affected", "community")
    population = _figure(report, "3 million")
    assert (population["value"], population["measure"]) == (3_000_000, "population")
    half = _figure(report, "half")
    assert (half["qualifier"], half["measure"]) == ("fraction", "displaced")


def test_places_resolve_and_demonyms_do_not(report: dict[str, Any]) -> None:
    resolved = {p["text"]: p["place"] for p in report["places"] if p["place"]}
    town = resolved["Maaret al Numan"]
    assert (town["id"], round(town["lat"], 3), round(town["lon"], 3)) == MAARET_AL_NUMAN
    assert resolved["Idlib"]["country"] == "SY"
    assert resolved["Syria"]["kind"] == "country"
    assert not {"Turkish", "Syrian"} & {p["text"] for p in report["places"]}


def test_events_are_typed_in_acled_terms(report: dict[str, Any]) -> None:
    subtypes = {e["subtype"] for e in report["events"]}
    assert {"Air/drone strike", "Shelling/artillery/missile attack", "Agreement"} <= subtypes
    pause = next(e for e in report["events"] if e["subtype"] == "Agreement")
    assert "humanitarian pause" in pause["text"]
    assert pause["type"] == "Strategic developments"
