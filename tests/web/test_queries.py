"""The web's read functions over an in-memory store: pages, bounding boxes, article lookup."""

from __future__ import annotations

import pytest

import sitroom
from sitroom.model import Place
from sitroom.store import Store
from sitroom.web import queries
from sitroom.web.queries import (
    EventFilter,
    bbox_contains,
    event_page,
    find_article,
    opening_since,
    page_of,
    parse_bbox,
)


@pytest.fixture(scope="module")
def store() -> Store:
    store = sitroom.open_store(":memory:")
    store.add(
        [
            sitroom.extract(
                "Shelling killed 3 people in Kharkiv on Monday.", published="2022-05-03"
            ),
            sitroom.extract("Air strikes hit Idlib on Sunday.", published="2019-12-23"),
        ]
    )
    return store


def test_page_of_slices_a_listing_and_says_whether_more_follow() -> None:
    rows = list(range(7))
    calls: list[tuple[int, int]] = []

    def listing(*, limit: int, offset: int) -> list[int]:
        calls.append((limit, offset))
        return rows[offset : offset + limit]

    first = page_of(listing, offset=0, limit=3)
    last = page_of(listing, offset=6, limit=3)
    assert (first.items, first.more) == ((0, 1, 2), True)
    assert (last.items, last.more) == ((6,), False)
    # The store skips the offset itself; one row past the page tells whether more follow.
    assert calls == [(4, 0), (4, 6)]


@pytest.mark.parametrize(
    ("box", "lon", "lat", "inside"),
    [
        ("30,40,40,50", 36.2, 49.99, True),
        ("30,40,40,50", 41, 45, False),
        ("-10.5,-1,10,1", -10.5, 1, True),  # edges are inside
    ],
)
def test_bbox_contains(box: str, lon: float, lat: float, inside: bool) -> None:
    place = Place("p", "P", None, None, lat, lon, "city")
    assert bbox_contains(parse_bbox(box), place) is inside


@pytest.mark.parametrize("bad", ["1,2,3", "a,b,c,d", "0,50,10,40", "200,0,10,10", "nan,0,1,1"])
def test_bbox_refuses_bad_boxes(bad: str) -> None:
    with pytest.raises(ValueError, match="bbox"):
        parse_bbox(bad)


def test_event_pages_carry_their_places_and_filter_by_box(store: Store) -> None:
    everything = event_page(store, EventFilter(), offset=0, limit=50)
    assert everything.items and all(item.place is not None for item in everything.items)
    ukraine = event_page(store, EventFilter(bbox=parse_bbox("22,44,41,53")), offset=0, limit=50)
    assert ukraine.items
    assert {item.place.country for item in ukraine.items if item.place} == {"UA"}


def test_find_article_by_id(store: Store) -> None:
    first = store.articles()[0]
    assert find_article(store, first.id) == first
    assert find_article(store, "missing") is None


@pytest.mark.parametrize("kind", ["articles", "events", "figures", "places", "times"])
def test_pages_of_a_listing_give_the_stores_own_order(store: Store, kind: str) -> None:
    listing = getattr(store, kind)
    whole = listing()
    pages = []
    for offset in range(0, len(whole) + 2, 2):
        page = page_of(listing, offset=offset, limit=2)
        pages.extend(page.items)
        assert page.more is (offset + 2 < len(whole))
    assert pages == whole


def test_a_large_store_opens_on_its_latest_incidents(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert opening_since(store, incidents=2) is None, "a small store opens on everything"
    newest = store.incidents(newest_first=True, limit=1)[0]
    assert newest.date is not None
    monkeypatch.setattr(queries, "OPENING_INCIDENTS", 1)
    assert opening_since(store, incidents=2) == newest.date.start
    monkeypatch.setattr(queries, "OPENING_DAYS", 0)
    assert opening_since(store, incidents=2) == newest.date.end
