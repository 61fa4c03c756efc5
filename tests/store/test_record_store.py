"""The store's record: incidents filed at ingest, their listing filters, duplicate links."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitroom.model import Article, Event, Extraction, Place, PlaceMention, Span, Window
from sitroom.record.incidents import (
    Incident,
    MemoryBook,
    file_reports,
    lookup_of,
    merge,
    open_incident,
    reports_of,
    source_key,
)
from sitroom.store import BBox, Store, open_store
from sitroom.store.schema import (
    DUPLICATES_VERSION,
    FACT_TABLES,
    MIGRATIONS,
    fact_id,
    incident_from_row,
    incident_row,
    stored_incident,
)
from sitroom.store.writes import _IncidentBook, record_stored_articles

DAY = dt.date
SARAQIB = Place("g:164816", "Saraqib", "SY", "Idlib", 35.864, 36.806, "city")
ARIHA = Place("g:173", "Ariha", "SY", "Idlib", 35.813, 36.607, "city")
IDLIB = Place("g:169387", "Idlib", "SY", "Idlib", 35.827, 36.621, "admin1")
SYRIA = Place("g:163843", "Syria", "SY", None, 35.0, 38.0, "country")
KHARKIV = Place("g:706483", "Kharkiv", "UA", "Kharkiv", 49.98, 36.25, "city")
STRIKE = ("Explosions/Remote violence", "Air/drone strike")
FILLER = (
    " Residents said the market had been crowded with families buying food before the "
    "weekend, and rescue teams worked through the night to reach people under the rubble."
)


def _report(
    article_id: str,
    text: str,
    *,
    place: Place,
    day: dt.date,
    source: str | None = None,
    published: dt.date | None = None,
    kind: tuple[str, str] = STRIKE,
    fatalities: int | None = None,
    url: str | None = None,
) -> Extraction:
    """An article whose first sentence reports one event at `place` on `day`."""
    article = Article.create(text, id=article_id, published=published or day, source=source,
                             url=url)  # fmt: skip
    at = text.index(place.name)
    mention = PlaceMention(article_id, Span(at, at + len(place.name)), place.name, place, 0.9)
    first = Span(0, text.index(".") + 1)
    event = Event(article_id, first, *kind, Window.day(day), place_id=place.id,
                  fatalities=fatalities)  # fmt: skip
    return Extraction(article, places=(mention,), events=(event,))


MARKET = [
    _report("wire", "An air strike hit the market in Saraqib." + FILLER, place=SARAQIB,
            day=DAY(2020, 1, 13), source="Levant Wire", fatalities=11),
    _report("monitor", "Jets bombed Saraqib market, killing 14." + " A second sentence.",
            place=SARAQIB, day=DAY(2020, 1, 13), source="Northern Monitor", fatalities=14,
            published=DAY(2020, 1, 14)),
    _report("province", "A raid in Idlib province left 12 dead." + " More later.", place=IDLIB,
            day=DAY(2020, 1, 13), url="https://www.relief.example/idlib", fatalities=12,
            published=DAY(2020, 1, 15)),
]  # fmt: skip
OTHERS = [
    _report("houses", "Saraqib was bombed again on Thursday.", place=SARAQIB,
            day=DAY(2020, 1, 16), source="Levant Wire"),
    _report("ariha", "Ariha was hit the same Monday.", place=ARIHA, day=DAY(2020, 1, 13),
            source="Daily Crescent"),
    _report("kharkiv", "Kharkiv was shelled.", place=KHARKIV, day=DAY(2022, 5, 2),
            kind=("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    _report("syria", "Talks on Syria opened.", place=SYRIA, day=DAY(2020, 1, 20),
            kind=("Strategic developments", "Agreement")),
]  # fmt: skip


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


@pytest.fixture
def filled(store: Store) -> Store:
    store.add(MARKET)
    store.add(OTHERS)
    return store


def test_reports_of_one_incident_are_filed_together(filled: Store) -> None:
    (market,) = filled.incidents(until=DAY(2020, 1, 13), place="Saraqib")
    assert [r.article_id for r in market.reports] == ["wire", "monitor", "province"]
    assert (market.report_count, market.source_count) == (3, 3)
    assert market.place == SARAQIB and market.date == Window.day(DAY(2020, 1, 13))
    assert (market.fatalities, market.fatalities_high) == (11, 14)
    assert [r.outlet for r in market.reports] == [
        "Levant Wire", "Northern Monitor", "relief.example"]  # fmt: skip
    assert market.reports[0].span == Span(0, MARKET[0].article.text.index(".") + 1)
    assert filled.counts().incidents == 5


def test_re_ingest_changes_nothing(filled: Store) -> None:
    # Issue 8: a re-ingest changes nothing.
    before = (filled.counts(), filled.incidents())
    result = filled.add([*MARKET, *OTHERS])
    assert (result.added, result.incidents, result.reports) == (0, 0, 0)
    assert (filled.counts(), filled.incidents()) == before


def test_a_batch_files_against_itself_and_earlier_batches_alike(store: Store) -> None:
    store.add([*MARKET, *OTHERS])
    with open_store(":memory:") as other:
        for extraction in [*MARKET, *OTHERS]:
            other.add([extraction])
        assert [i.report_count for i in other.incidents()] == [
            i.report_count for i in store.incidents()
        ]


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({}, {"wire", "ariha", "houses", "syria", "kharkiv"}),
        ({"place": "Idlib"}, {"wire", "ariha", "houses"}),  # the towns of the province
        ({"place": "saraq"}, {"wire", "houses"}),
        ({"place": SARAQIB.id}, {"wire", "houses"}),
        ({"place": "Syria"}, {"wire", "ariha", "houses", "syria"}),  # the country's name
        ({"since": DAY(2020, 1, 14), "until": DAY(2020, 1, 31)}, {"houses", "syria"}),
        ({"type": "Battles"}, set()),
        ({"type": "explosions/remote violence"}, {"wire", "ariha", "houses", "kharkiv"}),
        ({"type": "Agreement"}, {"syria"}),
        ({"bbox": BBox(36.7, 35.8, 36.9, 35.9)}, {"wire", "houses"}),
        ({"bbox": BBox(30, 30, 40, 40)}, {"wire", "ariha", "houses"}),  # a country has no point
        ({"reported_since": DAY(2020, 1, 16)}, {"houses", "syria", "kharkiv"}),
    ],
)
def test_incident_filters(filled: Store, filters: dict[str, object], ids: set[str]) -> None:
    found = filled.incidents(**filters)  # type: ignore[arg-type]
    assert {i.reports[0].article_id for i in found} == ids


def test_pages_and_newest_first(filled: Store) -> None:
    everything = filled.incidents()
    assert filled.incidents(limit=2, offset=1) == everything[1:3]
    assert filled.incidents(offset=3) == everything[3:]
    assert filled.incidents(newest_first=True) == everything[::-1]


def test_listing_is_ordered_by_date_then_id(filled: Store) -> None:
    keys = [(i.date.start if i.date else DAY.min, i.id) for i in filled.incidents()]
    assert keys == sorted(keys)


def test_one_incident_by_id(filled: Store) -> None:
    first = filled.incidents()[0]
    assert filled.incident(first.id) == first
    assert filled.incident(first.id).reports == first.reports  # type: ignore[union-attr]
    assert filled.incident("nope") is None


def test_bbox_refuses_a_box_inside_out() -> None:
    with pytest.raises(ValueError, match="invalid box"):
        BBox(40, 30, 30, 40)


# -- duplicates ----------------------------------------------------------------------------------


def test_a_republished_copy_is_linked_and_kept_and_is_no_new_source(store: Store) -> None:
    original = MARKET[0]
    copy = _report("copy", original.article.text + " Republished from Levant Wire.",
                   place=SARAQIB, day=DAY(2020, 1, 13), source="NewsHub")  # fmt: skip
    store.add([original])
    result = store.add([copy])
    assert (result.added, result.duplicates) == (1, 1)
    assert store.canonical_ids(["copy", "wire"]) == {"copy": "wire", "wire": "wire"}
    assert store.duplicates_of("wire") == ["copy"] and store.duplicates_of("copy") == ["wire"]
    (incident,) = store.incidents()
    assert (incident.report_count, incident.source_count) == (2, 1)
    assert store.counts().duplicates == 1 and store.counts().articles == 2


def test_an_exact_copy_within_one_batch_links_to_the_first(store: Store) -> None:
    text = MARKET[0].article.text
    twin = _report("twin", "  " + text, place=SARAQIB, day=DAY(2020, 1, 13), source="Other")
    store.add([MARKET[0], twin])
    assert store.canonical_ids(["twin"]) == {"twin": "wire"}


def test_different_stories_are_not_linked(filled: Store) -> None:
    ids = [a.id for a in filled.articles()]
    assert all(canonical == i for i, canonical in filled.canonical_ids(ids).items())
    assert filled.duplicates_of("ariha") == [] and filled.duplicates_of("missing") == []


def test_an_older_store_is_linked_and_filed_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with open_store(path) as store:
        store.add([*MARKET, *OTHERS])
        expected = [(i.id, i.report_count, i.source_count) for i in store.incidents()]
    # Take the store back to the schema before duplicates and incidents.
    with sqlite3.connect(path) as connection:
        _undo_fact_order(connection)
        for table in ("incident_reports", "incidents", "article_bands", "article_fingerprints",
                      "known_places", "deferred_indexes"):  # fmt: skip
            connection.execute(f"DROP TABLE {table}")
        connection.execute("DROP INDEX articles_canonical")
        connection.execute("ALTER TABLE articles DROP COLUMN canonical_id")
        connection.execute("DELETE FROM migrations WHERE name >= '0004'")
        connection.execute(f"PRAGMA user_version = {DUPLICATES_VERSION - 1}")
    with open_store(path) as store:
        assert [(i.id, i.report_count, i.source_count) for i in store.incidents()] == expected
        assert store.counts().incidents == len(expected)
        # A second process that also saw the old schema finds nothing left to do.
        before = (store.counts(), store.incidents())
        record_stored_articles(store._db)  # type: ignore[attr-defined]
        assert (store.counts(), store.incidents()) == before


def _undo_fact_order(connection: sqlite3.Connection) -> None:
    """Take back migrations 0010 to 0007: the figures' place basis, the articles' order index,
    the facts' copied publication dates and their indexes."""
    connection.execute("ALTER TABLE figures DROP COLUMN place_basis")
    connection.execute("DROP INDEX articles_order")
    for table in FACT_TABLES:
        indexes = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql LIKE '%published%'",
            (table,),
        ).fetchall()
        for (name,) in indexes:
            connection.execute(f"DROP INDEX {name}")
        connection.execute(f"ALTER TABLE {table} DROP COLUMN published")
    for statement in MIGRATIONS[1].statements:
        connection.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))


def test_a_vague_incident_is_listed_near_its_start_only(store: Store) -> None:
    vague = _report("vague", "Saraqib has been bombed for months.", place=SARAQIB,
                    day=DAY(2019, 9, 1))  # fmt: skip
    vague = dataclasses.replace(
        vague, events=(dataclasses.replace(vague.events[0], date=Window(DAY(2019, 9, 1),
                                                                        DAY(2020, 1, 31))),)
    )  # fmt: skip
    store.add([vague])
    assert len(store.incidents(since=DAY(2019, 9, 15), until=DAY(2019, 9, 20))) == 1
    assert store.incidents(since=DAY(2020, 1, 10), until=DAY(2020, 1, 20)) == []
    assert len(store.incidents(until=DAY(2020, 1, 20))) == 1


def test_place_ids_resolve_from_the_known_places(filled: Store) -> None:
    assert filled.resolve_places([SARAQIB.id, SYRIA.id, "nope"]) == {
        SARAQIB.id: SARAQIB, SYRIA.id: SYRIA}  # fmt: skip


def test_the_store_links_the_duplicate_set_as_the_in_memory_index_does(store: Store) -> None:
    from sitroom.data import data_path
    from sitroom.record.duplicates import DuplicateIndex, fingerprint

    lines = data_path("evalsets/duplicates.jsonl").read_text("utf-8").splitlines()
    rows = sorted((json.loads(line) for line in lines if line),
                  key=lambda row: (str(row.get("published") or ""), str(row["id"])))  # fmt: skip
    index = DuplicateIndex()
    for row in rows:
        index.add(row["id"], fingerprint(row["text"]))
    store.add([Extraction(Article.create(row["text"], id=row["id"])) for row in rows])
    expected = {row["id"]: index.canonical_of(row["id"]) for row in rows}
    assert store.canonical_ids(expected) == expected
    assert store.counts().duplicates == sum(i != c for i, c in expected.items()) > 0


# -- the store's incident book -----------------------------------------------------------------

KHAN_SHAYKHUN = Place("g:3", "Khan Shaykhun", "SY", "Idlib", 35.442, 36.651, "city", 50000)
SPREAD = [
    _report("south", "Khan Shaykhun was bombed on Monday.", place=KHAN_SHAYKHUN,
            day=DAY(2020, 1, 13), source="Daily Crescent"),
    _report("south-2", "Jets struck Khan Shaykhun.", place=KHAN_SHAYKHUN, day=DAY(2020, 1, 14),
            source="Northern Monitor", fatalities=3),
    _report("country", "Strikes across Syria killed 20.", place=SYRIA, day=DAY(2020, 1, 13),
            source="Global Desk", fatalities=20),
    _report("late", "Saraqib was bombed a week later.", place=SARAQIB, day=DAY(2020, 1, 21),
            source="Northern Monitor"),
]  # fmt: skip


def _filed_in_memory(extractions: list[Extraction]) -> MemoryBook:
    book = MemoryBook()
    reports = [
        report
        for e in extractions
        for report in reports_of(e, source=source_key(e.article), event_id=fact_id)
    ]
    file_reports(book, reports)
    return book


def test_the_store_files_a_batch_as_the_memory_book_does(store: Store) -> None:
    extractions = [*MARKET, *OTHERS, *SPREAD]
    store.add(extractions)
    book = _filed_in_memory(extractions)

    def summary(incidents: list[Incident]) -> set[tuple[object, ...]]:
        return {(i.id, i.report_count, i.source_count, i.place, i.date) for i in incidents}

    expected = summary(list(book.incidents.values()))
    assert summary(store.incidents(limit=100)) == {
        (id_, reports, sources, place and dataclasses.replace(place, population=0), date)
        for id_, reports, sources, place, date in expected
    }  # fmt: skip


@pytest.mark.parametrize("size", [1, 2, 5])
def test_incidents_joined_in_later_batches_are_stored_as_in_one(store: Store, size: int) -> None:
    # Issue 10: a stored incident a later batch joins sets only the columns that changed.
    extractions = [*MARKET, *OTHERS, *SPREAD]
    store.add(extractions)
    with open_store(":memory:") as other:
        for start in range(0, len(extractions), size):
            other.add(extractions[start : start + size])
        assert other.incidents(limit=100) == store.incidents(limit=100)
        assert [i.reports for i in other.incidents(limit=100)] == [
            i.reports for i in store.incidents(limit=100)
        ]


def test_an_incident_kept_in_memory_is_what_its_row_gives_back() -> None:
    report = next(reports_of(SPREAD[1], source="northern monitor", event_id=fact_id))
    incident = merge(open_incident(report), report)
    kept = stored_incident(incident)
    assert kept == incident_from_row(incident_row(incident))
    assert kept.place is not None and kept.place.population == 0 and kept.reports == ()
    assert stored_incident(kept) is kept


def test_the_store_answers_a_lookup_it_was_not_told_to_expect(filled: Store) -> None:
    report = next(reports_of(MARKET[0], source="levant wire", event_id=fact_id))
    lookup = lookup_of(report)
    assert lookup is not None
    book = _IncidentBook(filled._db)  # type: ignore[attr-defined]
    # The market and, 19 km away at nearly the same latitude, Ariha; the distance rule decides.
    found = {i.id: i for i in book.candidates(lookup)}
    stored = {i.id: i for i in filled.incidents(place="Idlib", until=DAY(2020, 1, 13))}
    assert found == stored and len(found) == 2
    far = dataclasses.replace(lookup, place_id="g:far", near=(10.0, 11.0))
    assert book.candidates(far) == []
