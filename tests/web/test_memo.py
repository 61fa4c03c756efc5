"""The view memo: one computation per question while the store is unchanged, none after it."""

from __future__ import annotations

import sitroom
from sitroom.web.memo import ViewMemo


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _article(text: str) -> sitroom.Extraction:
    return sitroom.extract(text, published="2022-05-03")


def test_a_view_is_computed_once_until_the_store_is_seen_changed() -> None:
    store = sitroom.open_store(":memory:")
    clock = Clock()
    memo = ViewMemo(recheck=1.0, clock=clock)
    calls: list[str] = []

    def compute() -> str:
        calls.append("a")
        return "A"

    assert memo.get(store, "a", compute) == memo.get(store, "a", compute) == "A"
    assert len(calls) == 1
    store.add([_article("Shelling killed 3 people in Kharkiv.")])
    memo.get(store, "a", compute)
    assert len(calls) == 1, "the counts are read again only after `recheck` seconds"
    clock.now = 1.0
    memo.get(store, "a", compute)
    assert len(calls) == 2, "another writer's articles drop what was kept"
    memo.forget()
    memo.get(store, "a", compute)
    assert len(calls) == 3, "this server's own writes drop it at once"


def test_the_memo_keeps_only_the_latest_few_views() -> None:
    store = sitroom.open_store(":memory:")
    memo = ViewMemo(size=2)
    calls: list[str] = []
    for key in ("a", "b", "a", "c", "b", "a"):
        memo.get(store, key, lambda key=key: calls.append(key) or key)
    # "a", asked for again, outlives "b"; then "c" and "b" push it out.
    assert calls == ["a", "b", "c", "b", "a"]
