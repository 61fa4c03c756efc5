"""What `add` writes: fact rows under ids that never change, incidents' source counts read
once per batch, and the candidate index filing walks (issue 10)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitroom.model import (
    Article,
    Event,
    Extraction,
    Figure,
    Place,
    PlaceMention,
    Span,
    TimeMention,
    Window,
)
from sitroom.record.incidents import lookup_of, reports_of
from sitroom.store import Fact, Store, open_store
from sitroom.store.schema import COLUMNS, MIGRATIONS, fact_id, fact_row
from sitroom.store.writes import _IncidentBook

HOMS = Place("g:1", "Homs", "SY", "Homs", 34.73, 36.72, "city")
SPAN = Span(4, 11)
WEEK = Window(dt.date(2021, 3, 1), dt.date(2021, 3, 7))

#: Ids as stores already hold them (computed by the code before issue 10): a change here
#: would store every fact again under a new id.
PINNED: list[tuple[Fact, str]] = [
    (PlaceMention("a9", SPAN, "Homs", HOMS, 0.8), "34cec3fc58b444c40d363c159045ed2f"),
    (PlaceMention("a9", SPAN, "Homs", None, 0.8), "5fc744f8e679a061368181d655edbd63"),
    (TimeMention("a9", SPAN, "last week", WEEK, "week"), "60ea9d25d5c7e9d65ae228a7c2362423"),
    (TimeMention("a9", SPAN, "recently", None, "range"), "d61a9095897c0ffebaa14592155b9eb4"),
    (Figure("a9", SPAN, "half", 0.5, "approx", "people", "displaced", Span(0, 20)),
     "776ebb03a59e2dea2960c40ad0b42ee8"),
    (Figure("a9", SPAN, "30", 30, "at_least", "people", "killed", Span(0, 20)),
     "28adc41e581a1303928382f672b61656"),
    (Event("a9", SPAN, "Battles", "Armed clash", WEEK), "665cda1e66ff60ac29dc2423af6a1c94"),
]  # fmt: skip


@pytest.mark.parametrize(("fact", "expected"), PINNED)
def test_fact_ids_are_those_stores_hold(fact: Fact, expected: str) -> None:
    assert fact_id(fact) == expected


@pytest.mark.parametrize(("fact", "expected"), PINNED)
def test_a_fact_row_starts_with_its_id_and_ends_with_its_day(fact: Fact, expected: str) -> None:
    table, row = fact_row(fact, published=dt.date(2021, 3, 8))
    assert len(row) == len(COLUMNS[table]) and row[0] == expected
    assert row[COLUMNS[table].index("published")] == "2021-03-08"
    assert row[COLUMNS[table].index("article_id")] == "a9"


def _strike(article_id: str, source: str) -> Extraction:
    """An article by `source` telling of one air strike on Homs on 2 March 2021."""
    text = f"Jets struck Homs on Tuesday, {source} said."
    article = Article.create(text, id=article_id, published=dt.date(2021, 3, 3), source=source)
    at = text.index("Homs")
    mention = PlaceMention(article_id, Span(at, at + 4), "Homs", HOMS, 0.9)
    day = Window.day(dt.date(2021, 3, 2))
    event = Event(article_id, Span(0, len(text)), "Explosions/Remote violence",
                  "Air/drone strike", day, place_id=HOMS.id)  # fmt: skip
    return Extraction(article, places=(mention,), events=(event,))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


def test_sources_count_what_is_stored_and_what_the_batch_files(store: Store) -> None:
    store.add([_strike("s1", "Homs Herald")])
    # The same outlet again (any case), a new one, and that new one twice in one batch.
    store.add([_strike("s2", "homs herald"), _strike("s3", "Orontes Daily")])
    (incident,) = store.incidents()
    assert (incident.report_count, incident.source_count) == (3, 2)
    store.add([_strike("s4", "Orontes Daily"), _strike("s5", "Valley Post"),
               _strike("s6", "Valley Post")])  # fmt: skip
    (incident,) = store.incidents()
    assert (incident.report_count, incident.source_count) == (6, 3)


def test_many_incidents_joined_in_one_batch_each_count_their_sources(store: Store) -> None:
    days = [dt.date(2021, 3, 2) + dt.timedelta(days=30 * n) for n in range(3)]

    def strike(article_id: str, source: str, day: dt.date) -> Extraction:
        found = _strike(article_id, source)
        (event,) = found.events
        moved = Event(event.article_id, event.span, event.type, event.subtype, Window.day(day),
                      place_id=HOMS.id)  # fmt: skip
        return Extraction(found.article, places=found.places, events=(moved,))

    store.add([strike(f"a{n}", "Homs Herald", day) for n, day in enumerate(days)])
    store.add([strike(f"b{n}", f"Outlet {n}", day) for n, day in enumerate(days)])
    counts = [(i.report_count, i.source_count) for i in store.incidents()]
    assert counts == [(2, 2)] * 3


def test_filing_reads_no_stored_incident_dated_too_loosely_to_join(store: Store) -> None:
    # Three stored strikes on Homs around 2 March, by parties that keep them apart: over one
    # day, over a week (the longest window that can identify an incident), and over nine
    # days ("since the 22nd"), which no report can join.
    spans = {"day": (dt.date(2021, 3, 2), 1, "Military Forces of Russia"),
             "week": (dt.date(2021, 2, 26), 7, "Military Forces of Syria"),
             "nine days": (dt.date(2021, 2, 22), 9, "Military Forces of Turkey")}  # fmt: skip
    for name, (start, days, actor) in spans.items():
        found = _strike(name, f"{name} outlet")
        (event,) = found.events
        window = Window(start, start + dt.timedelta(days=days - 1))
        dated = dataclasses.replace(event, date=window, actors=(actor,))
        store.add([Extraction(found.article, places=found.places, events=(dated,))])
    stored = {i.id: (i.date.end - i.date.start).days + 1 for i in store.incidents() if i.date}
    assert sorted(stored.values()) == [1, 7, 9]
    report = next(iter(reports_of(_strike("new", "Homs Herald"), source="x", event_id=fact_id)))
    lookup = lookup_of(report)
    assert lookup is not None
    db = store._live()  # type: ignore[attr-defined]
    with db.steady_indexes():
        book = _IncidentBook(db)
        book.expect([lookup])
        read = [i.id for i in book.candidates(lookup)]
    # All three start late enough to be asked for by their start; the vague one is not read.
    assert sorted(stored[i] for i in read) == [1, 7]


def test_an_older_store_gets_the_covering_candidate_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.db"
    before = [m.name for m in MIGRATIONS].index("0012_covering_candidates")
    with monkeypatch.context() as patch:
        patch.setattr("sitroom.store.sql.SCHEMA_VERSION", before)
        with open_store(path) as store:
            store.add([_strike("s1", "Homs Herald")])
    assert _index_columns(path, "incidents_candidates") == ["family", "country", "date_start"]
    with open_store(path) as store:
        store.add([_strike("s2", "Orontes Daily")])
        (incident,) = store.incidents()
        assert (incident.report_count, incident.source_count) == (2, 2)
    assert _index_columns(path, "incidents_candidates") == [
        "family", "country", "date_start", "date_end", "lat", "kind", "place_id",
    ]  # fmt: skip


def _index_columns(path: Path, index: str) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[2] for row in connection.execute(f"PRAGMA index_info({index})")]
