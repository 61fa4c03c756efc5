"""The ingest engine: batches, idempotence, what survives a failure, and extract-only runs."""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest

from sitroom.engine import (
    INGEST_GC_THRESHOLD,
    IngestReport,
    collecting_less,
    extract_in_process,
    extract_paths,
    ingest,
)
from sitroom.errors import MalformedRecordError
from sitroom.model import Article, Extraction, PlaceMention, Span
from sitroom.sources import ReadStats
from sitroom.store import Counts, Store, open_store

_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
TOWNS = ("Aleppo", "Hama", "Homs", "Daraa", "Raqqa")


def capitalised_places(article: Article) -> Extraction:
    """A stand-in extractor: every capitalised word is an unresolved place mention."""
    places = tuple(
        PlaceMention(article.id, Span(m.start(), m.end()), m.group(), None, 0.1)
        for m in _CAPITALISED.finditer(article.text)
    )
    return Extraction(article=article, places=places)


class CountingExtractor:
    """The stand-in extractor, counting calls and failing on the article that says so."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls = 0
        self.fail_on = fail_on

    def __call__(self, article: Article) -> Extraction:
        self.calls += 1
        if self.fail_on is not None and self.fail_on in article.text:
            raise RuntimeError(f"extractor failed on {article.id}")
        return capitalised_places(article)


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store(":memory:") as opened:
        yield opened


def _corpus(root: Path, count: int = 5) -> Path:
    root.mkdir(exist_ok=True)
    for n in range(count):
        (root / f"{n:02}.txt").write_text(f" date 2019-12-2{n} Shelling hit Idlib and {TOWNS[n]}.")
    return root


def test_ingest_stores_every_article(tmp_path: Path, store: Store) -> None:
    report = ingest([_corpus(tmp_path / "in")], store=store, extract=capitalised_places)
    assert report == IngestReport(read=5, added=5, present=0, skipped=0, facts=15, batches=1)
    assert store.counts() == Counts(articles=5, places=15, times=0, figures=0, events=0)
    assert store.articles()[0].published == dt.date(2019, 12, 20)


def test_ingesting_twice_changes_nothing(tmp_path: Path, store: Store) -> None:
    corpus = _corpus(tmp_path / "in")
    ingest([corpus], store=store, extract=capitalised_places)
    before = store.counts()
    extractor = CountingExtractor()
    report = ingest([corpus], store=store, extract=extractor)
    assert (report.read, report.added, report.present, report.facts) == (5, 0, 5, 0)
    assert store.counts() == before
    assert extractor.calls == 0  # stored articles are not extracted again


def test_batches_and_progress(tmp_path: Path, store: Store) -> None:
    seen: list[IngestReport] = []
    report = ingest(
        [_corpus(tmp_path / "in")],
        store=store,
        extract=capitalised_places,
        batch_size=2,
        progress=seen.append,
    )
    assert report.batches == 3
    assert [r.read for r in seen] == [2, 4, 5]
    assert seen[-1] == report


def test_bad_line_keeps_earlier_batches_and_drops_the_current_one(
    tmp_path: Path, store: Store
) -> None:
    lines = [json.dumps({"text": f"Report number {n} from Idlib."}) for n in range(5)]
    lines.insert(3, "{broken")
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(MalformedRecordError, match=r"feed\.jsonl:4: not JSON"):
        ingest([path], store=store, extract=capitalised_places, batch_size=2)
    assert store.counts().articles == 2  # the first batch; the second held one good article

    report = ingest([path], store=store, extract=capitalised_places, batch_size=2, skip_bad=True)
    assert (report.read, report.added, report.present, report.skipped) == (5, 3, 2, 1)
    assert store.counts().articles == 5


def test_extractor_failure_keeps_earlier_batches(tmp_path: Path, store: Store) -> None:
    corpus = _corpus(tmp_path / "in")
    with pytest.raises(RuntimeError, match="extractor failed"):
        ingest([corpus], store=store, extract=CountingExtractor(fail_on="Daraa"), batch_size=2)
    assert [a.text for a in store.articles()] == [
        "Shelling hit Idlib and Aleppo.",
        "Shelling hit Idlib and Hama.",
    ]


def test_duplicate_articles_across_files_are_stored_once(tmp_path: Path, store: Store) -> None:
    (tmp_path / "a.txt").write_text("Same report from Idlib.")
    (tmp_path / "b.txt").write_text("Same   report from Idlib.\n")  # same normalised text
    report = ingest([tmp_path], store=store, extract=capitalised_places)
    assert (report.read, report.added, report.present) == (2, 1, 1)


def test_published_override_reaches_the_store(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Report from Idlib.")
    ingest([path], store=store, extract=capitalised_places, published=dt.date(2020, 3, 5))
    assert store.articles()[0].published == dt.date(2020, 3, 5)


def test_batch_size_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        ingest([], store=store, extract=capitalised_places, batch_size=0)


def test_extract_paths_stores_nothing(tmp_path: Path) -> None:
    stats = ReadStats()
    extractions = list(
        extract_paths([_corpus(tmp_path / "in", 3)], extract=capitalised_places, stats=stats)
    )
    assert [e.places[-1].text for e in extractions] == ["Aleppo", "Hama", "Homs"]
    assert stats.articles == 3
    assert not (tmp_path / "sitroom.db").exists()


def _jsonl(path: Path, count: int, *, bad_after: int | None = None) -> Path:
    lines = [
        json.dumps({"id": f"a{n}", "text": f"Shelling killed {n + 2} people in {TOWNS[n % 5]}."})
        for n in range(count)
    ]
    if bad_after is not None:
        lines.insert(bad_after, "{not json")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_files_are_extracted_in_batches_as_one_at_a_time(tmp_path: Path) -> None:
    from sitroom.extract import run as run_pipeline

    corpus = _jsonl(tmp_path / "in.jsonl", 70)  # more than two of the pipeline's batches
    batched = [e.to_dict() for e in extract_paths([corpus])]
    one_by_one = [e.to_dict() for e in extract_paths([corpus], extract=run_pipeline)]
    assert len(batched) == 70
    assert batched == one_by_one


def test_bad_input_in_a_batch_still_answers_what_came_before(tmp_path: Path) -> None:
    corpus = _jsonl(tmp_path / "in.jsonl", 50, bad_after=40)
    answered: list[str] = []
    with pytest.raises(MalformedRecordError):
        for extraction in extract_paths([corpus]):
            answered.append(extraction.article.id)
    assert answered == [f"a{n}" for n in range(40)]


def test_ingest_into_a_file_store_survives_reopening(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    db = tmp_path / "sitroom.db"
    with open_store(db) as store:
        ingest([corpus], store=store, extract=capitalised_places, batch_size=2)
    with open_store(db) as store:
        assert store.counts().articles == 5
        report = ingest([corpus], store=store, extract=capitalised_places)
        assert (report.added, report.present) == (0, 5)


def read_everything_first(batches: Iterable[Sequence[Article]]) -> Iterator[list[Extraction]]:
    """An engine that reads every batch before it extracts the first: the most look-ahead."""
    read = [list(batch) for batch in batches]
    for batch in read:
        yield [capitalised_places(article) for article in batch]


def test_an_engine_reading_ahead_stores_and_reports_what_the_local_one_does(
    tmp_path: Path, store: Store
) -> None:
    # The same files twice: the copies are checked before the first ones are stored, so the
    # engine extracts them again, and the store still keeps each article once.
    corpus = _corpus(tmp_path / "in")
    with open_store(":memory:") as local:
        expected = ingest([corpus, corpus], store=local, extract=capitalised_places, batch_size=2)
        report = ingest([corpus, corpus], store=store, engine=read_everything_first, batch_size=2)
        assert report == expected == IngestReport(read=10, added=5, present=5, facts=15, batches=5)
        assert store.counts() == local.counts()
        assert store.articles() == local.articles()


def test_extract_in_process_is_the_default_engine(tmp_path: Path, store: Store) -> None:
    extractor = CountingExtractor()
    report = ingest([_corpus(tmp_path / "in")], store=store, engine=extract_in_process(extractor))
    assert (report.added, extractor.calls) == (5, 5)


def test_an_ingest_collects_garbage_less_often_and_puts_the_thresholds_back(
    tmp_path: Path, store: Store
) -> None:
    before = gc.get_threshold()
    during: list[tuple[int, ...]] = []

    def extract(article: Article) -> Extraction:
        during.append(gc.get_threshold())
        return capitalised_places(article)

    ingest([_corpus(tmp_path / "in")], store=store, extract=extract)
    assert set(during) == {(INGEST_GC_THRESHOLD, *before[1:])}
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_only_when_the_last_of_overlapping_ingests_ends() -> None:
    before = gc.get_threshold()
    first, second = collecting_less(), collecting_less()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first ends while the second still runs
    assert gc.get_threshold()[0] == INGEST_GC_THRESHOLD
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), collecting_less():
        raise RuntimeError("an ingest that fails")
    assert gc.get_threshold() == before
