"""The store on each backend: round trips, idempotent, transactional adds, every listing filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from sitroom.errors import StoreError
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
from sitroom.store import Counts, Store, open_store

IDLIB = Place("geonames:169304", "Idlib", "SY", "Idlib", 35.93, 36.63, "city", 165000)
MAARET = Place("geonames:167611", "Ma`arrat an Nu`man", "SY", "Idlib", 35.648, 36.677, "city")
DAY = dt.date


def _extraction(
    text: str,
    *,
    id: str,
    published: dt.date | None = None,
    place: Place | None = None,
    measure: str = "killed",
    period: Window | None = None,
    event_type: tuple[str, str] = ("Explosions/Remote violence", "Air/drone strike"),
    event_date: Window | None = None,
) -> Extraction:
    """One article whose first word is a place, with one time, one figure and one event."""
    article = Article.create(text, id=id, published=published)
    word = Span(0, text.index(" "))
    whole = Span(0, len(text))
    place_id = place.id if place else None
    return Extraction(
        article=article,
        places=(PlaceMention(id, word, word.of(text), place, 0.9),),
        times=(TimeMention(id, word, word.of(text), period, "range", fuzzy=True),),
        figures=(
            Figure(id, word, word.of(text), 12, "exact", "people", measure, whole,  # type: ignore[arg-type]
                   place_id=place_id, period=period, source="UN",
                   place_basis="clause" if place_id else None),
            Figure(id, whole, text, 0.5, "fraction", "people", "displaced", whole, low=0.5,
                   high=1),
        ),
        events=(
            Event(id, whole, *event_type, event_date, place_id=place_id,
                  actors=("Syrian government", "Rebels"), fatalities=3, confidence=0.7),
        ),
    )  # fmt: skip


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


@pytest.fixture
def filled(store: Store) -> Store:
    store.add(
        [
            _extraction("Idlib was hit.", id="a1", published=DAY(2019, 12, 24), place=IDLIB,
                        period=Window(DAY(2019, 11, 21), DAY(2019, 11, 30)),
                        event_date=Window.day(DAY(2019, 12, 23))),
            _extraction("Maaret was shelled.", id="a2", published=DAY(2020, 1, 5), place=MAARET,
                        measure="displaced",
                        event_type=("Explosions/Remote violence",
                                    "Shelling/artillery/missile attack")),
            _extraction("Somewhere unnamed.", id="a3", published=None, measure="injured",
                        event_type=("Strategic developments", "Agreement")),
        ]
    )  # fmt: skip
    return store


def test_store_satisfies_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)


def test_facts_come_back_equal(store: Store) -> None:
    extraction = _extraction("Idlib was hit.", id="a1", published=DAY(2019, 12, 24), place=IDLIB,
                             period=Window(DAY(2019, 11, 21), DAY(2019, 11, 30)),
                             event_date=Window.day(DAY(2019, 12, 23)))  # fmt: skip
    result = store.add([extraction])
    assert (result.added, result.present, result.facts) == (1, 0, 5)
    assert store.articles() == [extraction.article]
    assert tuple(store.places()) == extraction.places
    assert tuple(store.times()) == extraction.times
    assert tuple(store.figures()) == extraction.figures
    assert tuple(store.events()) == extraction.events
    assert isinstance(store.figures()[0].value, int)
    assert isinstance(store.figures()[1].value, float)


def test_unresolved_place_round_trips(store: Store) -> None:
    extraction = _extraction("Nowhere town.", id="a9")
    store.add([extraction])
    assert store.places()[0].place is None
    assert store.places()[0] == extraction.places[0]


def test_adding_twice_stores_once(filled: Store) -> None:
    before = filled.counts()
    again = _extraction("Idlib was hit.", id="a1", published=DAY(2019, 12, 24))
    result = filled.add([again, again])
    assert (result.added, result.present, result.facts) == (0, 2, 0)
    assert (
        filled.counts()
        == before
        == Counts(articles=3, places=3, times=3, figures=6, events=3, incidents=3)
    )


def test_same_article_twice_in_one_batch_is_stored_once(store: Store) -> None:
    extraction = _extraction("Idlib was hit.", id="a1")
    result = store.add([extraction, extraction])
    assert (result.added, result.present) == (1, 1)
    assert store.counts().articles == 1


def test_present_ids(filled: Store) -> None:
    assert filled.present_ids(["a1", "zz", "a3", "a1"]) == {"a1", "a3"}
    assert filled.present_ids([f"x{n}" for n in range(1200)] + ["a2"]) == {"a2"}


def test_invalid_third_extraction_rolls_the_whole_batch_back(filled: Store) -> None:
    before = (filled.counts(), filled.articles(), filled.figures())
    stray = Figure("other", Span(0, 5), "Stray", 1, "exact", "people", "killed", Span(0, 5))
    bad = Extraction(Article.create("Stray fact here.", id="b3"), figures=(stray,))
    batch = [_extraction("New one.", id="b1"), _extraction("New two.", id="b2"), bad]
    with pytest.raises(StoreError, match=r"article b3: a Figure at 0-5 belongs to article other"):
        filled.add(batch)
    assert (filled.counts(), filled.articles(), filled.figures()) == before


def test_span_past_the_text_is_refused(store: Store) -> None:
    extraction = _extraction("Idlib was hit.", id="a1")
    broken = Extraction(extraction.article, places=(
        PlaceMention("a1", Span(0, 99), "Idlib", None, 0.5),))  # fmt: skip
    with pytest.raises(StoreError, match="ends past the text"):
        store.add([broken])
    assert store.counts().articles == 0


def test_failure_raised_by_the_batch_itself_rolls_back(filled: Store) -> None:
    before = filled.counts()

    def batch() -> Iterator[Extraction]:
        yield _extraction("New one.", id="b1")
        yield _extraction("New two.", id="b2")
        raise RuntimeError("extractor crashed")

    with pytest.raises(RuntimeError, match="extractor crashed"):
        filled.add(batch())
    assert filled.counts() == before
    assert filled.present_ids(["b1", "b2"]) == frozenset()


def test_store_still_works_after_a_rolled_back_batch(filled: Store) -> None:
    article = Article.create("x y", id="c1")
    stray = PlaceMention("zz", Span(0, 1), "x", None, 1.0)
    with pytest.raises(StoreError):
        filled.add([Extraction(article, places=(stray,))])
    assert filled.add([_extraction("Fresh article.", id="c2")]).added == 1


@pytest.mark.parametrize(
    ("measure", "ids"), [("killed", ["a1"]), ("displaced", ["a3", "a1", "a2", "a2"]), ("other", [])]
)
def test_figures_by_measure(filled: Store, measure: str, ids: list[str]) -> None:
    assert [f.article_id for f in filled.figures(measure=measure)] == ids


@pytest.mark.parametrize(
    ("place", "ids"),
    [
        ("geonames:169304", ["a1"]),  # an id
        ("idl", ["a1"]),  # a substring of the resolved name, any case
        ("MAARET", ["a2"]),  # a substring of the mention text
        ("arrat an", ["a2"]),
        ("%", []),  # LIKE wildcards are matched literally
        ("nowhere", []),
    ],
)
def test_place_filter_on_every_listing(filled: Store, place: str, ids: list[str]) -> None:
    assert [m.article_id for m in filled.places(place=place)] == ids
    assert [a.id for a in filled.articles(place=place)] == ids
    assert sorted({f.article_id for f in filled.figures(place=place)}) == ids
    assert [e.article_id for e in filled.events(place=place)] == ids


@pytest.mark.parametrize(
    ("type_", "ids"),
    [
        ("Explosions/Remote violence", ["a1", "a2"]),
        ("air/drone strike", ["a1"]),
        ("Shelling/artillery/missile attack", ["a2"]),
        ("Agreement", ["a3"]),
        ("Battles", []),
    ],
)
def test_events_by_type_or_subtype(filled: Store, type_: str, ids: list[str]) -> None:
    assert [e.article_id for e in filled.events(type=type_)] == ids


def test_dates_use_the_fact_window_else_the_publication(filled: Store) -> None:
    # a1's figures cover 2019-11-21..30 (the first) or fall back to 2019-12-24 (the second).
    assert [f.text for f in filled.figures(since=DAY(2019, 11, 25), until=DAY(2019, 11, 26))] == [
        "Idlib"
    ]
    assert [f.article_id for f in filled.figures(since=DAY(2019, 12, 1))] == ["a1", "a2", "a2"]
    assert [e.article_id for e in filled.events(until=DAY(2019, 12, 23))] == ["a1"]
    assert [e.article_id for e in filled.events(since=DAY(2019, 12, 24))] == ["a2"]
    assert [t.article_id for t in filled.times(since=DAY(2020, 1, 1))] == ["a2"]
    assert [a.id for a in filled.articles(since=DAY(2019, 12, 24), until=DAY(2019, 12, 24))] == [
        "a1"
    ]
    assert [m.article_id for m in filled.places(until=DAY(2019, 12, 31))] == ["a1"]


def test_filters_combine(filled: Store) -> None:
    assert filled.figures(measure="killed", place="maaret") == []
    assert len(filled.figures(measure="displaced", place="maaret", since=DAY(2020, 1, 1))) == 1


def test_article_id_and_limit(filled: Store) -> None:
    assert {f.article_id for f in filled.figures(article_id="a2")} == {"a2"}
    assert len(filled.places(limit=2)) == 2
    assert len(filled.events(article_id="a3", limit=5)) == 1
    assert filled.times(article_id="missing") == []


def test_listings_are_ordered_by_publication_then_text(filled: Store) -> None:
    assert [a.id for a in filled.articles()] == ["a3", "a1", "a2"]  # unknown dates first
    spans = [(f.article_id, f.span.start, f.span.end) for f in filled.figures()]
    assert spans == sorted(spans, key=lambda s: ({"a3": 0, "a1": 1, "a2": 2}[s[0]], s[1], s[2]))


def test_closed_store_says_so(store: Store) -> None:
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.counts()
