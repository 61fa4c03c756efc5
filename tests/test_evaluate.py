"""`sitroom evaluate` agrees with the team's reference harness run on `sitroom extract`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sitroom.errors import InputError
from sitroom.evaluate import (
    BENCHMARKS,
    find_shared_dir,
    run_benchmark,
    states_death_toll,
    states_fatality_coding,
)

SAMPLE = 30


def _reference_headline(shared: Path, module: str, tmp_path: Path) -> dict[str, object]:
    """The headline run_all.py prints, driving the installed `sitroom extract` as a command."""
    sitroom = Path(sys.executable).parent / "sitroom"
    command = [
        sys.executable, str(shared / "eval" / "run_all.py"),
        "--cmd", f"{sitroom} extract --format jsonl",
        "--only", module, "--sample", str(SAMPLE), "--label", "agree",
        "--data", str(shared / "data"), "--work", str(tmp_path), "--results", str(tmp_path),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, cwd=shared / "eval")
    [results] = tmp_path.glob("*.json")
    runs = json.loads(results.read_text())["runs"]
    headline: dict[str, object] = runs[f"agree@sample{SAMPLE}"]["benchmarks"][module]["headline"]
    return headline


@pytest.mark.parametrize("name", ["idmc", "acled", "tempeval"])
def test_in_process_scores_equal_the_reference_harness(
    name: str, shared_dir: Path, tmp_path: Path
) -> None:
    ours = run_benchmark(name, shared=shared_dir, sample=SAMPLE)
    assert ours.headline == _reference_headline(shared_dir, BENCHMARKS[name], tmp_path)
    assert ours.metrics["contract_checks"].get("offset_mismatches", 0) == 0


def test_the_baseline_and_the_published_numbers_come_along(shared_dir: Path) -> None:
    result = run_benchmark("idmc", shared=shared_dir, sample=5)
    assert result.baseline is not None and "pooled" in result.baseline
    assert result.published


def test_an_unknown_benchmark_names_the_known_ones(shared_dir: Path) -> None:
    with pytest.raises(InputError, match="geoparsing"):
        run_benchmark("nope", shared=shared_dir)


def test_the_shared_folder_is_found_from_the_repository(shared_dir: Path) -> None:
    assert find_shared_dir(Path(__file__).parent) == shared_dir.resolve()


def test_tempeval_details_give_precision_and_recall_behind_f1(shared_dir: Path) -> None:
    result = run_benchmark("tempeval", shared=shared_dir, sample=10)
    for corpus, scores in result.details().items():
        assert scores["relaxedF1"] == result.headline[corpus]["relaxedF1"]
        assert 0.0 <= scores["strictP"] <= 1.0 and 0.0 <= scores["relaxedR"] <= 1.0


@pytest.mark.parametrize(
    ("note", "stated"),
    [
        ("On 3 June, 4 guards were killed in an ambush.", True),
        ("Gunmen attacked the post, killing two.", True),
        ("Six fatalities reported.", True),
        ("The clash resulted in 1 military fatality.", True),
        ("Gunmen attacked the post. Several were killed.", False),
        ("Gunmen attacked the post on 12 May; no one was hurt.", False),
        ("On 4 May 2020, a man was killed.", False),
    ],
)
def test_a_note_states_a_death_toll_when_a_number_governs_a_death_word(
    note: str, stated: bool
) -> None:
    assert states_death_toll(note) is stated


@pytest.mark.parametrize(
    ("note", "coded"),
    [
        ("2 soldiers were killed. Fatalities coded as 0 (the outlet reported 2).", True),
        ("Unknown fatalities coded as 10.", True),
        ("1 soldier was killed [1 fatality split among 3 events].", True),
        ("Fatalities distributed across two events.", True),
        ("2 soldiers were killed in the attack.", False),
    ],
)
def test_notes_on_acled_coding_are_recognised(note: str, coded: bool) -> None:
    assert states_fatality_coding(note) is coded


def test_acled_fatalities_scores_each_file_with_and_without_coding_notes(
    shared_dir: Path,
) -> None:
    result = run_benchmark("acled-fatalities", shared=shared_dir, sample=60)
    assert result.baseline is None and result.published
    assert set(result.headline) == {"me", "afghanistan", "pooled"}
    for scores in result.headline.values():
        assert 0 < scores["rowsUncoded"] <= scores["rows"] <= 120
        for key in ("accSum", "accMax", "accSumUncoded", "accMaxUncoded"):
            assert 0.0 <= scores[key] <= 1.0


# --- incidents and duplicates, on sets shipped with sitroom -------------------------------------


@pytest.fixture(scope="module")
def incident_set() -> tuple[list[object], list[object]]:
    from sitroom.data import data_path
    from sitroom.evaluate import incident_units

    extractions, units = incident_units(data_path("evalsets/incidents.jsonl"))
    return extractions, units  # type: ignore[return-value]


def test_incident_set_has_groups_and_distractors(incident_set: tuple[list[Any], list[Any]]) -> None:
    _, units = incident_set
    labels = [u.label for u in units]
    sizes = sorted({labels.count(label) for label in labels})
    assert sizes[0] == 1 and sizes[-1] >= 4 and len(set(labels)) >= 30
    assert {u.split for u in units} == {"dev", "test"}


def test_incident_merging_scores_stay_where_they_were_measured(
    incident_set: tuple[list[Any], list[Any]],
) -> None:
    from sitroom.evaluate import score_incidents

    extractions, units = incident_set
    scores = score_incidents(extractions, units)
    # Measured 2026-11-25: P 0.959, R 0.810; the misses are extraction errors (noEvent,
    # otherType, wrong places), listed in the closing note of issue 8.
    assert scores.pairs.precision >= 0.95 and scores.pairs.f1 >= 0.85


def test_the_store_files_the_incident_set_as_the_memory_book_does(
    incident_set: tuple[list[Any], list[Any]],
) -> None:
    import datetime as dt

    from sitroom.record.incidents import MemoryBook, file_reports, reports_of, source_key
    from sitroom.store import open_store
    from sitroom.store.schema import fact_id

    extractions, _ = incident_set
    ordered = sorted(extractions, key=lambda e: (e.article.published or dt.date.min, e.article.id))
    book = MemoryBook()
    reports = [r for e in ordered for r in reports_of(e, source=source_key(e.article),
                                                      event_id=fact_id)]  # fmt: skip
    file_reports(book, reports)
    with open_store(":memory:") as store:
        store.add(ordered)
        stored = {r.event_id: i.id for i in store.incidents() for r in i.reports}
    assert stored == book.filed
