"""`sitroom evaluate` agrees with the team's reference harness run on `sitroom extract`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
