"""The v1 contract: every field, offsets that hold their text, and a lossless round trip."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema

import sitroom
from sitroom.contract import CONTRACT, extraction_from_dict, extraction_to_dict

TEXT = (
    "Shelling killed at least 12 civilians in Aleppo on Monday, the health ministry said. "
    "Some 3,000 families have fled toward Idlib since last week."
)


def _check_offsets(data: dict[str, Any], text: str) -> None:
    for kind in ("places", "times", "figures"):
        for fact in data[kind]:
            assert text[fact["start"] : fact["end"]] == fact["text"], (kind, fact)
    for event in data["events"]:
        assert 0 <= event["start"] < event["end"] <= len(text)


def test_output_validates_against_the_contract(contract_schema: dict[str, Any]) -> None:
    data = sitroom.extract(TEXT, published="2020-02-11").to_dict()
    jsonschema.validate(data, contract_schema)
    assert data["contract"] == CONTRACT
    assert data["article"]["published"] == "2020-02-11"
    _check_offsets(data, TEXT)


def test_every_kind_of_fact_is_found_in_a_short_report() -> None:
    data = sitroom.extract(TEXT, published=dt.date(2020, 2, 11)).to_dict()
    assert all(data[kind] for kind in ("places", "times", "figures", "events"))


def test_round_trip_through_the_contract_is_lossless() -> None:
    extraction = sitroom.extract(TEXT, published="2020-02-11", id="rt-1")
    again = extraction_from_dict(extraction_to_dict(extraction), TEXT)
    assert extraction_to_dict(again) == extraction_to_dict(extraction)


def test_an_article_without_a_date_keeps_relative_times_unresolved() -> None:
    data = sitroom.extract("Shelling hit Aleppo on Monday.").to_dict()
    assert data["article"]["published"] is None
    monday = [t for t in data["times"] if t["text"].endswith("Monday")]
    assert monday and all(t["value"] is None for t in monday)
