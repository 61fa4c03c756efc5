"""Figure series: claims grouped by measure, place and window; the reconciled reading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from sitroom.model import Article, Extraction, Figure, Place, PlaceMention, Span, Window
from sitroom.record.series import (
    Claim,
    build_series,
    claim_kind,
    load_series,
    make_claim,
    reconcile,
    same_count,
    unit_class,
)
from sitroom.store import Store, open_store

DAY = dt.date
IDLIB = Place("g:169387", "Idlib", "SY", "Idlib", 35.827, 36.621, "admin1")
SARAQIB = Place("g:164816", "Saraqib", "SY", "Idlib", 35.864, 36.806, "city")
SYRIA = Place("g:163843", "Syria", "SY", None, 35.0, 38.0, "country")
PUBLISHED = DAY(2020, 2, 14)
SINCE_DECEMBER = Window(DAY(2019, 12, 1), PUBLISHED)
THIS_WEEK = Window(DAY(2020, 2, 10), PUBLISHED)


def _claim(
    value: float,
    *,
    qualifier: str = "exact",
    period: Window | None = SINCE_DECEMBER,
    place: Place | None = IDLIB,
    source: str = "levant wire",
    published: dt.date = PUBLISHED,
    measure: str = "displaced",
    unit: str = "people",
    vague: bool = False,
    low: float | None = None,
    high: float | None = None,
    article_id: str = "a1",
) -> Claim:
    figure = Figure(
        article_id, Span(0, 5), str(value), value, qualifier, unit, measure,  # type: ignore[arg-type]
        Span(0, 20), low=low, high=high, place_id=place.id if place else None, period=period,
        vague=vague,
    )  # fmt: skip
    article = Article.create("x" * 30, id=article_id, published=published, source=source)
    return make_claim(figure, article, place=place)


@pytest.mark.parametrize(
    ("period", "kind"),
    [
        (SINCE_DECEMBER, "total"),  # "900,000 since December"
        (THIS_WEEK, "increment"),  # "60,000 this week"
        (Window(DAY(2020, 1, 1), DAY(2020, 1, 31)), "increment"),  # "in January"
        (None, "stock"),  # "3 million people live in Idlib"
    ],
)
def test_kind_is_told_by_the_window(period: Window | None, kind: str) -> None:
    assert _claim(1, period=period).kind == kind


def test_a_total_and_an_increment_are_not_one_count() -> None:
    total, week = _claim(900_000), _claim(60_000, period=THIS_WEEK)
    assert not same_count(total, week)
    assert len(build_series([total, week])) == 2


def test_totals_since_the_same_start_are_one_count_as_they_grow() -> None:
    early = _claim(800_000, period=Window(DAY(2019, 12, 1), DAY(2020, 2, 1)),
                   published=DAY(2020, 2, 1))  # fmt: skip
    later = _claim(900_000, period=Window(DAY(2019, 12, 3), PUBLISHED))
    since_2011 = _claim(6_000_000, period=Window(DAY(2011, 3, 15), PUBLISHED))
    assert same_count(early, later) and not same_count(later, since_2011)
    (grown,) = [s for s in build_series([early, later, since_2011]) if len(s.claims) == 2]
    assert grown.reconciled.latest is later
    # Read as of the latest day: the earlier, smaller total is history, not a conflict.
    assert grown.reconciled.conservative == 900_000 and not grown.reconciled.conflict


def test_reconciled_view_of_disagreeing_sources() -> None:
    claims = [
        _claim(12, measure="killed", period=Window.day(DAY(2020, 2, 13)), source="levant wire"),
        _claim(
            16,
            measure="killed",
            period=Window.day(DAY(2020, 2, 13)),
            source="monitor",
            article_id="a2",
        ),
    ]
    (series,) = build_series(claims)
    r = series.reconciled
    assert (r.conservative, r.low, r.high, r.sources, r.conflict) == (12, 12, 16, 2, True)
    assert r.latest.article_id == "a2"


@pytest.mark.parametrize(
    ("second", "conflict"),
    [
        ({"value": 16, "source": "levant wire"}, False),  # one outlet correcting itself
        ({"value": 10, "qualifier": "at_least"}, False),
        ({"value": 16, "qualifier": "at_least"}, True),  # "at least 16" is not 12
        ({"value": 12, "qualifier": "at_least"}, False),
        ({"value": 13, "qualifier": "approx"}, False),  # "about 13" allows 12
        ({"value": 20, "qualifier": "approx"}, True),
        ({"value": 10, "qualifier": "range", "low": 10, "high": 14}, False),
        ({"value": 50, "vague": True}, True),  # "dozens" cannot be 12
    ],
)
def test_conflict_is_two_sources_that_cannot_both_be_true(
    second: dict[str, object], conflict: bool
) -> None:
    day = Window.day(DAY(2020, 2, 13))
    first = _claim(12, measure="killed", period=day)
    options: dict[str, object] = {"source": "monitor", "article_id": "a2", **second}
    other = _claim(measure="killed", period=day, **options)  # type: ignore[arg-type]
    assert reconcile([first, other]).conflict is conflict


def test_a_vague_floor_does_not_set_the_conservative_value() -> None:
    day = Window.day(DAY(2020, 2, 13))
    r = reconcile([_claim(40, period=day), _claim(10, period=day, vague=True, source="m")])
    assert r.conservative == 40 and r.low == 10 and r.high is None


def test_fractions_are_not_counts_and_units_stay_apart() -> None:
    claims = [
        _claim(0.5, qualifier="fraction"),
        _claim(100, unit="family"),
        _claim(500, unit="resident"),
        _claim(520, unit="people", source="m"),
    ]
    series = build_series(claims)
    assert sorted((s.unit, len(s.claims)) for s in series) == [("family", 1), ("people", 2)]
    assert unit_class("civilian") == "people" and unit_class("child") == "child"


def test_a_towns_count_lies_within_its_provinces_not_against_it() -> None:
    province = _claim(60_000)
    town = _claim(5_000, place=SARAQIB, source="m")
    country = _claim(900_000, place=SYRIA, source="n")
    by_place = {s.place.name: s for s in build_series([province, town, country]) if s.place}
    assert by_place["Saraqib"].within == by_place["Idlib"].id
    assert by_place["Idlib"].within == by_place["Syria"].id
    assert not any(s.reconciled.conflict for s in by_place.values())


def test_claims_stay_in_order_with_their_sources() -> None:
    older = _claim(50_000, published=DAY(2020, 2, 10), period=Window(DAY(2019, 12, 1),
                   DAY(2020, 2, 10)), article_id="old")  # fmt: skip
    newer = _claim(60_000, article_id="new", source="m")
    (series,) = build_series([newer, older])
    assert [c.article_id for c in series.claims] == ["old", "new"]
    assert [c.outlet for c in series.claims] == ["levant wire", "m"]


def test_reconcile_needs_a_claim() -> None:
    with pytest.raises(ValueError, match="at least one claim"):
        reconcile([])


def test_kind_of_a_figure_without_publication() -> None:
    figure = Figure("a", Span(0, 1), "1", 1, "exact", "people", "killed", Span(0, 1),
                    period=SINCE_DECEMBER)  # fmt: skip
    assert claim_kind(figure, None) == "total"


# -- through the store ---------------------------------------------------------------------------


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store(":memory:") as opened:
        yield opened


def _report(article_id: str, source: str, text: str, value: int, place: Place) -> Extraction:
    article = Article.create(text, id=article_id, published=PUBLISHED, source=source)
    start = text.index(str(value // 1000))
    mention_start = text.index(place.name)
    mention = PlaceMention(article_id, Span(mention_start, mention_start + len(place.name)),
                           place.name, place, 0.9)  # fmt: skip
    figure = Figure(article_id, Span(start, start + 6), text[start : start + 6], value, "exact",
                    "people", "displaced", Span(0, len(text)), place_id=place.id,
                    period=SINCE_DECEMBER, source="UN")  # fmt: skip
    return Extraction(article, places=(mention,), figures=(figure,))


def test_the_same_figure_from_two_sources_is_two_claims_in_one_series(store: Store) -> None:
    # Issue 8: the same figure ingested from two sources shows as two claims in one series.
    store.add([
        _report("wire", "Levant Wire", "The UN says 60,000 people fled Idlib since December.",
                60_000, IDLIB),
        _report("monitor", "Northern Monitor", "Some 60,000 have left Idlib since December, "
                "the UN said.", 60_000, IDLIB),
    ])  # fmt: skip
    (series,) = load_series(store)
    assert [c.article_id for c in series.claims] == ["monitor", "wire"]
    assert [c.outlet for c in series.claims] == ["Northern Monitor", "Levant Wire"]
    assert series.reconciled.sources == 2 and not series.reconciled.conflict


def test_a_republished_copy_is_not_a_second_source(store: Store) -> None:
    text = "The UN says 60,000 people fled Idlib since December, aid workers in the area said."
    store.add([_report("wire", "Levant Wire", text, 60_000, IDLIB)])
    store.add([_report("copy", "NewsHub", text + " Republished.", 60_000, IDLIB)])
    assert store.canonical_ids(["copy"]) == {"copy": "wire"}
    (series,) = load_series(store)
    assert len(series.claims) == 2 and series.reconciled.sources == 1


def test_the_place_filter_takes_in_the_towns_of_a_province(store: Store) -> None:
    store.add([
        _report("p", "A", "In Idlib, 60,000 fled since December.", 60_000, IDLIB),
        _report("t", "B", "In Saraqib, 5,000 fled since December.", 5_000, SARAQIB),
    ])  # fmt: skip
    assert {s.place.name for s in load_series(store, place="idlib") if s.place} == {
        "Idlib", "Saraqib"}  # fmt: skip
    assert [s.place.name for s in load_series(store, place="Saraqib") if s.place] == ["Saraqib"]
    assert load_series(store, place="Hama") == []
