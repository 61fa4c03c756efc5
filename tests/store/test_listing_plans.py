"""Fact listings read through their order indexes give what a plain filter and sort would.

Each listing picks a plan by how many facts pass its filter (sort the few, or walk the order
until the page is full) and starts date walks at the longest lead; both plans, and pages cut
anywhere, must give the same facts in the same order. Guards issue 9 (fast list endpoints).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

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
from sitroom.store import Fact, Store, fact_id, open_store

DAY = dt.date
START = DAY(2020, 1, 1)
TOWNS = (
    Place("geonames:1", "Northtown", "SY", "Idlib", 35.9, 36.6, "city"),
    Place("geonames:2", "Southvale", "UA", "Kharkiv", 49.9, 36.2, "city"),
)
TYPES = (
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Protests", "Peaceful protest"),
)
MEASURES = ("killed", "displaced", "injured")


def _window(rng: random.Random, published: dt.date | None) -> Window | None:
    """None, a window around publication (some ending after it), or a long total."""
    anchor = published or START + dt.timedelta(days=rng.randrange(200))
    match rng.randrange(4):
        case 0:
            return None
        case 1:
            start = anchor - dt.timedelta(days=rng.randrange(0, 5))
            return Window(start, start + dt.timedelta(days=rng.randrange(0, 12)))
        case 2:
            return Window(anchor - dt.timedelta(days=rng.randrange(30, 400)), anchor)
        case _:
            return Window.day(anchor - dt.timedelta(days=rng.randrange(3)))


def _article(rng: random.Random, number: int) -> Extraction:
    undated = number % 17 == 0
    published = None if undated else START + dt.timedelta(days=rng.randrange(200))
    text = "Reported fighting near the town, officials said. " * 3
    article = Article.create(text, id=f"art{number:04d}", published=published)
    aid = article.id
    places, times, figures, events = [], [], [], []
    for k in range(rng.randrange(1, 4)):
        span = Span(k * 10, k * 10 + 8)
        town = rng.choice((*TOWNS, None))
        places.append(PlaceMention(aid, span, span.of(text), town, 0.9))
        times.append(TimeMention(aid, span, span.of(text), _window(rng, published), "range"))
        figures.append(
            Figure(aid, span, span.of(text), rng.randrange(1, 900), "exact", "people",
                   rng.choice(MEASURES), Span(0, 48),  # type: ignore[arg-type]
                   place_id=town.id if town else None, period=_window(rng, published))
        )  # fmt: skip
        events.append(
            Event(aid, span, *rng.choice(TYPES), _window(rng, published),
                  place_id=town.id if town else None, actors=("Army",), confidence=0.7)
        )  # fmt: skip
    return Extraction(article, tuple(places), tuple(times), tuple(figures), tuple(events))


@pytest.fixture(scope="module")
def corpus() -> list[Extraction]:
    rng = random.Random(9)
    return [_article(rng, n) for n in range(300)]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, corpus: list[Extraction]) -> Iterator[Store]:
    """The corpus stored once per backend for the module's many read-only listings."""
    with ExitStack() as stack:
        url = ":memory:"
        if request.param == "postgres":
            url = stack.enter_context(request.getfixturevalue("postgres_schemas")())
        opened = stack.enter_context(open_store(url))
        opened.add(corpus)
        yield opened


def _published(corpus: list[Extraction]) -> dict[str, dt.date | None]:
    return {e.article.id: e.article.published for e in corpus}


def _expected(
    corpus: list[Extraction], kind: str, keep: Callable[[Any, dt.date | None], bool]
) -> list[Any]:
    """The facts of a kind that `keep` accepts, in the listing order, computed in Python."""
    published = _published(corpus)
    facts = [f for e in corpus for f in getattr(e, kind) if keep(f, published[f.article_id])]

    def order(fact: Fact) -> tuple[object, ...]:
        day = published[fact.article_id]
        return (day is not None, day or DAY.min, fact.article_id, fact.span.start,
                fact.span.end, fact_id(fact))  # fmt: skip

    return sorted(facts, key=order)


def _overlaps(
    window: Window | None, published: dt.date | None, since: dt.date | None, until: dt.date | None
) -> bool:
    start = window.start if window else published
    end = window.end if window else published
    if since is not None and (end is None or end < since):
        return False
    return until is None or (start is not None and start <= until)


SINCE_UNTIL = [
    (None, None),
    (DAY(2020, 3, 1), None),
    (None, DAY(2020, 2, 1)),
    (DAY(2020, 4, 1), DAY(2020, 4, 10)),
    (DAY(2021, 1, 1), None),
]


@pytest.fixture(params=[2, 2_000], ids=["walks", "sorts"])
def few(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many matches count as few: tiny makes every filtered listing walk its order."""
    value: int = request.param
    monkeypatch.setattr("sitroom.store.sql._FEW", value)
    return value


@pytest.mark.parametrize(("since", "until"), SINCE_UNTIL)
@pytest.mark.parametrize("kind", ["places", "times", "figures", "events"])
def test_date_filters_match_a_plain_filter(
    store: Store, corpus: list[Extraction], few: int, kind: str, since: Any, until: Any
) -> None:
    def keep(fact: Any, published: dt.date | None) -> bool:
        window = {"places": None, "times": "window", "figures": "period", "events": "date"}[kind]
        return _overlaps(getattr(fact, window) if window else None, published, since, until)

    expected = _expected(corpus, kind, keep)
    listing = getattr(store, kind)
    assert listing(since=since, until=until) == expected
    assert listing(since=since, until=until, limit=7) == expected[:7]
    # A deep page is skipped inside the query, across the undated and dated parts alike.
    for offset in (1, 5, max(0, len(expected) - 1), len(expected) + 3):
        assert listing(since=since, until=until, limit=7, offset=offset) == expected[offset:][:7]
    assert listing(since=since, until=until, offset=4) == expected[4:]


@pytest.mark.parametrize("type_", ["Battles", "air/DRONE strike", "Protests", "Riots"])
@pytest.mark.parametrize(("since", "until"), SINCE_UNTIL[:4])
def test_event_types_with_dates_match_a_plain_filter(
    store: Store, corpus: list[Extraction], few: int, type_: str, since: Any, until: Any
) -> None:
    def keep(event: Event, published: dt.date | None) -> bool:
        named = type_.lower() in (event.type.lower(), event.subtype.lower())
        return named and _overlaps(event.date, published, since, until)

    expected = _expected(corpus, "events", keep)
    assert store.events(type=type_, since=since, until=until) == expected
    assert store.events(type=type_, since=since, until=until, limit=5) == expected[:5]
    assert store.events(type=type_, since=since, until=until, limit=5, offset=3) == expected[3:8]


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize(("since", "until"), SINCE_UNTIL[:4])
def test_figure_measures_with_dates_match_a_plain_filter(
    store: Store, corpus: list[Extraction], few: int, measure: str, since: Any, until: Any
) -> None:
    def keep(figure: Figure, published: dt.date | None) -> bool:
        return figure.measure == measure and _overlaps(figure.period, published, since, until)

    expected = _expected(corpus, "figures", keep)
    assert store.figures(measure=measure, since=since, until=until) == expected
    assert store.figures(measure=measure, since=since, until=until, limit=3) == expected[:3]
    page = store.figures(measure=measure, since=since, until=until, limit=3, offset=2)
    assert page == expected[2:5]


def test_a_name_that_is_both_a_type_and_a_subtype_matches_either(store: Store) -> None:
    article = Article.create("Battles and more battles.", id="both", published=DAY(2020, 2, 2))
    both = Event("both", Span(0, 7), "Strategic developments", "Battles", None, actors=())
    with open_store(":memory:") as other:
        other.add([Extraction(article, events=(both,))])
        other.add([_article(random.Random(1), 1)])
        found = other.events(type="battles")
    assert both in found
    assert all("battles" in (e.type.lower(), e.subtype.lower()) for e in found)


def _plans(connection: sqlite3.Connection, sql: str, params: Sequence[object]) -> str:
    rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(row[3] for row in rows)


def test_pages_walk_an_index_and_never_sort_the_table(corpus: list[Extraction]) -> None:
    # SQLite takes the hints; PostgreSQL plans by cost, and the listings' answers (above) are
    # what both must agree on.
    with open_store(":memory:") as store:
        store.add(corpus)
        _assert_plans(store._db.connection)  # type: ignore[attr-defined]


def _assert_plans(connection: sqlite3.Connection) -> None:
    from sitroom.store.sql import _EVENTS, _Where
    from sitroom.store.sqlite import SQLITE

    where = _Where()
    where.add("lower(e.subtype) = lower(?)", "Armed clash")
    walked = _plans(connection, _EVENTS.sql(where, walk=True, dialect=SQLITE), where.params)
    assert "USING INDEX events_order" in walked and "TEMP B-TREE" not in walked
    sorted_ = _plans(connection, _EVENTS.sql(where, walk=False, dialect=SQLITE), where.params)
    assert "events_subtype_order" in sorted_


def test_an_existing_store_gets_the_copied_dates(tmp_path: Path, corpus: list[Extraction]) -> None:
    path = tmp_path / "old.db"
    with open_store(path) as fresh:
        fresh.add(corpus[:40])
        killed = fresh.figures(measure="killed", since=DAY(2020, 3, 1))
        # Schema 6 kept no place basis: the migrated figures have none.
        expected = (fresh.events(), [dataclasses.replace(f, place_basis=None) for f in killed])
    with sqlite3.connect(path) as connection:
        # The store as schema 6 wrote it: no copied dates, no order indexes.
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%published%' "
            "AND tbl_name <> 'articles'"
        ).fetchall():
            connection.execute(f"DROP INDEX {name}")
        for table in ("places", "times", "figures", "events"):
            connection.execute(f"ALTER TABLE {table} DROP COLUMN published")
        connection.execute("ALTER TABLE figures DROP COLUMN place_basis")
        connection.execute("DROP INDEX articles_order")
        connection.execute("DROP TABLE deferred_indexes")
        connection.execute("DELETE FROM migrations WHERE name >= '0007'")
        connection.execute("PRAGMA user_version = 6")
    with open_store(path) as migrated:
        assert (migrated.events(), migrated.figures(measure="killed", since=DAY(2020, 3, 1))) == (
            expected
        )
    with sqlite3.connect(path) as connection:
        undated = connection.execute(
            "SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id "
            "WHERE e.published IS NOT a.published"
        ).fetchone()[0]
        assert undated == 0


@pytest.mark.parametrize("kind", ["articles", "places", "figures", "events", "incidents"])
def test_a_nul_in_a_place_filter_is_refused_not_matched_to_everything(
    store: Store, kind: str
) -> None:
    # SQLite's LIKE would end the pattern at the NUL; PostgreSQL refuses NUL in any text.
    with pytest.raises(ValueError, match="NUL"):
        getattr(store, kind)(place="Kharkiv\x00junk")
