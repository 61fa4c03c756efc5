"""`sitroom evaluate`: the team's reference scorers run on sitroom's own extractions.

The converters and scorers live in the team's shared folder (`../shared/eval`, or
`$SITROOM_EVAL`), next to the gold data (`../shared/data`, or `$SITROOM_DATA`). They are
loaded from there at evaluation time, never copied, so the numbers printed here are the
numbers `../shared/eval/run_all.sh` prints for the same sample: only the extraction runs
in-process instead of through `sitroom extract --format jsonl`.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from sitroom.errors import InputError, SitroomError
from sitroom.model import Extraction
from sitroom.sources import article_from_record

__all__ = [
    "BENCHMARKS",
    "PUBLISHED",
    "Evaluation",
    "find_shared_dir",
    "run_benchmark",
]

#: Benchmark name -> the reference module in `../shared/eval` that converts and scores it.
BENCHMARKS: dict[str, str] = {
    "geoparsing": "geoparsing",
    "tempeval": "tempeval",
    "idmc": "idmc",
    "acled": "acled_events",
    "case2021": "case2021",
}

#: The best published numbers beside each benchmark (sources as in ../shared/eval/README.md).
PUBLISHED: dict[str, str] = {
    "geoparsing": "Mordecai3 end to end (own harness): acc@161 pooled 60.7; exact id TR 61.3, "
    "LGL 57.2, GWN 60.0; detection P 75.5 R 68.1 F1 71.6",
    "tempeval": "TempEval-3 task A value F1: HeidelTime 77.61, SUTime 67.38",
    "idmc": "no published score on this set (Mahamoud et al. 2018: '81% retrieval', undefined)",
    "acled": "none on these rows; GDELT hand check (Sudan, n=50): 81.2% event code, 75.4% place",
    "case2021": "CASE 2021 task 2 best weighted F1: 83.9 / 79.7 / 77.1 (subtasks 1/2/3)",
}

ExtractFn = Callable[[Any], Extraction]


class EvaluationError(SitroomError):
    """The shared scorers or gold data cannot be found or run."""


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One benchmark's scores: the headline table, the full metrics, and the baseline's.

    `baseline` is the baseline's headline on the full sets, whatever `docs` sampled here.
    """

    name: str
    docs: int
    headline: dict[str, dict[str, Any]]
    metrics: dict[str, Any] = field(repr=False)
    baseline: dict[str, dict[str, Any]] | None
    published: str

    def details(self) -> dict[str, dict[str, Any]]:
        """Precision and recall behind the headline's F1 where the benchmark has them."""
        if self.name != "tempeval":
            return {}
        return {
            corpus: {
                f"{match}{part}": scores[match][part.lower()]
                for match in ("relaxed", "strict")
                for part in ("P", "R", "F1")
            }
            for corpus, scores in self.metrics["corpora"].items()
        }


def find_shared_dir(start: Path | None = None) -> Path:
    """The team's shared folder: `$SITROOM_SHARED`, else a `shared/` beside a parent folder."""
    env = os.environ.get("SITROOM_SHARED")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    package_root = Path(__file__).resolve().parents[2]
    for folder in (here, *here.parents, package_root, *package_root.parents):
        candidate = folder.parent / "shared"
        if (candidate / "eval" / "common.py").is_file():
            return candidate
    raise EvaluationError(
        "cannot find the shared folder with eval/ and data/ (looked beside "
        f"{here} and its parents); set SITROOM_SHARED=/path/to/shared"
    )


def _reference_module(eval_dir: Path, name: str) -> ModuleType:
    # The scorers import their helpers as top-level `common`, so their folder goes on the path.
    if str(eval_dir) not in sys.path:
        sys.path.insert(0, str(eval_dir))
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise EvaluationError(f"{eval_dir / name}.py cannot be imported: {exc}") from exc


def _extract_records(records: Iterable[dict[str, Any]], extract: ExtractFn) -> Iterator[str]:
    for index, record in enumerate(records):
        article = article_from_record(record, where=f"benchmark record {index + 1}")
        yield json.dumps(extract(article).to_dict(), ensure_ascii=False)


def _default_extract() -> ExtractFn:
    from sitroom.extract import run

    return run


def _baseline(shared: Path, name: str) -> dict[str, dict[str, Any]] | None:
    """The baseline's headline from the newest results file, when it was run in full."""
    for path in sorted((shared / "eval" / "results").glob("baseline-*.json"), reverse=True):
        runs = json.loads(path.read_text(encoding="utf-8")).get("runs", {})
        entry = runs.get("baseline", {}).get("benchmarks", {}).get(name)
        if entry and entry.get("headline"):
            headline: dict[str, dict[str, Any]] = entry["headline"]
            return headline
    return None


def run_benchmark(
    name: str,
    *,
    shared: Path | None = None,
    sample: int | None = None,
    seed: int = 13,
    extract: ExtractFn | None = None,
    work: Path | None = None,
) -> Evaluation:
    """Convert a public set, extract every document, and score it with the reference scorer."""
    if name not in BENCHMARKS:
        raise InputError(f"unknown benchmark {name!r}; choose one of {', '.join(BENCHMARKS)}")
    shared_dir = shared or find_shared_dir()
    module = _reference_module(shared_dir / "eval", BENCHMARKS[name])
    inputs, gold = module.build(shared_dir / "data", sample, seed)
    run = extract if extract is not None else _default_extract()
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        predictions = Path(tmp) / f"{name}.pred.jsonl"
        with predictions.open("w", encoding="utf-8") as fh:
            for line in _extract_records(inputs, run):
                fh.write(line + "\n")
        common = _reference_module(shared_dir / "eval", "common")
        scored = common.Predictions(predictions, gold)
        metrics = module.score(gold, scored)
    metrics["contract_checks"] = scored.report()
    return Evaluation(
        name=name,
        docs=len(inputs),
        headline=module.headline(metrics),
        metrics=metrics,
        baseline=_baseline(shared_dir, BENCHMARKS[name]),
        published=PUBLISHED[name],
    )
