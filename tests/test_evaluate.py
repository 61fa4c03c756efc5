"""`sitroom evaluate` agrees with the team's reference harness run on `sitroom extract`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitroom.errors import InputError
from sitroom.evaluate import BENCHMARKS, find_shared_dir, run_benchmark

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
