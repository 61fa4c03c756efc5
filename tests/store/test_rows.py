"""An extraction as the rows the store writes: worked out before the transaction or elsewhere."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import pytest

from sitroom.errors import StoreError
from sitroom.model import Article, Event, Extraction, Figure, Place, PlaceMention, Span, Window
from sitroom.record.duplicates import fingerprint
from sitroom.store import Store, open_store
from sitroom.store.rows import ArticleRows, band_key, rows_of
from sitroom.store.schema import fact_id

TEXT = "Shelling hit Saraqib on Monday, killing 3 people. Saraqib was quiet by night."
SARAQIB = Place("g:164816", "Saraqib", "SY", "Idlib", 35.864, 36.806, "city")


def _extraction(article_id: str = "a1", *, source: str | None = "Levant Wire") -> Extraction:
    import datetime as dt

    article = Article(id=article_id, text=TEXT, published=dt.date(2020, 1, 14), source=source)
    first = Span(13, 20)
    return Extraction(
        article,
        places=(
            PlaceMention(article_id, first, "Saraqib", SARAQIB, 0.9),
            PlaceMention(article_id, Span(51, 58), "Saraqib", SARAQIB, 0.9),
        ),
        figures=(
            Figure(article_id, Span(40, 41), "3", 3, "exact", "people", "killed", Span(0, 50)),
        ),
        events=(
            Event(article_id, Span(0, 50), "Explosions/Remote violence",
                  "Shelling/artillery/missile attack", Window.day(dt.date(2020, 1, 13)),
                  place_id=SARAQIB.id, fatalities=3),
        ),
    )  # fmt: skip


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


def test_rows_hold_the_facts_the_fingerprint_and_the_reports() -> None:
    extraction = _extraction()
    rows = rows_of(extraction)
    assert rows.article_id == "a1"
    assert [len(table) for table in rows.facts] == [2, 0, 1, 1]
    assert rows.fact_count == 4
    assert rows.known_places == ((SARAQIB.id, "Saraqib", "SY", "Idlib", 35.864, 36.806, "city",
                                  0),)  # fmt: skip
    fp = fingerprint(TEXT)
    assert (rows.exact, rows.band_keys[0]) == (fp.exact, band_key(fp.bands()[0]))
    assert len(set(rows.band_keys)) == len(rows.band_keys)
    [report] = rows.reports
    assert (report.event_id, report.source, report.place) == (
        fact_id(extraction.events[0]),
        "levant wire",
        SARAQIB,
    )


def test_rows_are_cheaper_to_send_than_the_extraction() -> None:
    extraction = _extraction()
    rows = rows_of(extraction)
    assert pickle.loads(pickle.dumps(rows)) == rows
    assert isinstance(pickle.loads(pickle.dumps(rows)), ArticleRows)


def test_a_fact_of_another_article_is_refused_before_anything_is_written() -> None:
    extraction = _extraction()
    stray = PlaceMention("other", Span(0, 8), "Shelling", None, 0.1)
    with pytest.raises(StoreError, match="belongs to article other"):
        rows_of(Extraction(extraction.article, places=(stray,)))


def test_rows_store_what_the_extraction_stores(store: Store) -> None:
    store.add([_extraction("a1"), _extraction("a2", source="Northern Monitor")])
    with open_store(":memory:") as reference:
        reference.add([rows_of(_extraction("a1")), _extraction("a2", source="Northern Monitor")])
        assert store.counts() == reference.counts()
        assert store.figures() == reference.figures()
        assert store.places() == reference.places()
        assert store.incidents() == reference.incidents()
        assert store.canonical_ids(["a1", "a2"]) == reference.canonical_ids(["a1", "a2"])
