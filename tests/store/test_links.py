"""Duplicate links of a batch: the same however the input is cut, as the in-memory index makes,
read from the store or from a bulk load's memory."""

from __future__ import annotations

import pickle
import random
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, closing
from pathlib import Path
from typing import Any

import pytest

from sitroom.model import Article, Extraction
from sitroom.record.duplicates import DuplicateIndex, fingerprint
from sitroom.store import link_memory, open_store
from sitroom.store import writes as store_writes
from sitroom.store.prepare import PreparedBatch, prepare_batch
from sitroom.store.sql import SQLStore

TOWNS = ("Marib", "Taiz", "Hodeidah", "Saada", "Aden", "Ibb", "Dhamar", "Hajjah", "Lahij")
VERBS = ("shelled", "raided", "bombed", "besieged", "cut off", "stormed")
# A standard paragraph that every story carries: its band keys are shared by far more
# articles than a key keeps, as a site's boilerplate is.
STANDARD = (
    "This bulletin is compiled from field reports by our network of correspondents and is "
    "updated every morning; figures are provisional and may change as more reports arrive."
)


def _story(rng: random.Random, number: int) -> str:
    sentences = [
        f"Forces {rng.choice(VERBS)} {rng.choice(TOWNS)} on day {number}, and "
        f"{rng.randrange(2, 90)} people were reported hurt near the "
        f"{rng.choice(('market', 'school', 'bridge'))}."
        for _ in range(rng.randrange(2, 5))
    ]
    return " ".join(sentences) + "\n\n" + STANDARD


def corpus(count: int, *, seed: int = 11) -> list[Extraction]:
    """Stories, a third of them copies of an earlier one: exact, trimmed, or under a banner."""
    rng = random.Random(seed)
    texts: list[str] = []
    for number in range(count):
        if texts and rng.random() < 0.35:
            original = rng.choice(texts[-30:])
            text = rng.choice(
                (original, "UPDATED: " + original, original[: len(original) * 2 // 3])
            )
        else:
            text = _story(rng, number)
        texts.append(text)
    return [Extraction(Article.create(t, id=f"s{n:03d}")) for n, t in enumerate(texts)]


def expected_links(extractions: list[Extraction]) -> dict[str, str]:
    """The canonical article of each, by the in-memory index adding them one at a time."""
    index = DuplicateIndex()
    for extraction in extractions:
        index.add(extraction.article.id, fingerprint(extraction.article.text))
    return {e.article.id: index.canonical_of(e.article.id) for e in extractions}


STORIES = corpus(160)
EXPECTED = expected_links(STORIES)


def test_the_corpus_has_copies_and_crowded_keys() -> None:
    copies = sum(article_id != canonical for article_id, canonical in EXPECTED.items())
    assert 30 < copies < 80


@pytest.mark.parametrize("size", [1, 9, 1000])
def test_a_batch_links_as_adding_one_at_a_time_does(store_url: str, size: int) -> None:
    with open_store(store_url) as store:
        for start in range(0, len(STORIES), size):
            store.add(STORIES[start : start + size])
        assert store.canonical_ids(EXPECTED) == EXPECTED


def test_a_prepared_batch_links_as_a_plain_one(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepared = pickle.loads(pickle.dumps(prepare_batch(STORIES)))
    assert isinstance(prepared, PreparedBatch) and prepared == STORIES

    def refuse(text: str) -> None:
        raise AssertionError("a prepared batch is fingerprinted again")

    monkeypatch.setattr(store_writes, "fingerprinted", refuse)
    with open_store(store_url) as store:
        assert store.add(prepared).added == len(STORIES)
        assert store.canonical_ids(EXPECTED) == EXPECTED


def test_a_batch_copy_of_a_copy_links_to_the_first_stored(store_url: str) -> None:
    story = STORIES[0].article.text
    first, second, third = (
        Extraction(Article.create(prefix + story, id=name))
        for prefix, name in (("", "first"), ("Banner. ", "second"), ("Banner. Banner. ", "third"))
    )
    with open_store(store_url) as store:
        store.add([first])
        store.add([third, second])
        assert store.canonical_ids(["first", "second", "third"]) == {
            "first": "first",
            "second": "first",
            "third": "first",
        }


LEFT = (
    "Engineers restored power to the northern district of Taiz late on Sunday after a week "
    "of outages, and the water pumps that serve the old town started again by midnight."
)
RIGHT = (
    "Fishermen in Hodeidah said the port stayed closed for a third day on Monday, leaving "
    "dozens of boats tied up while traders waited for the fuel shipment they were promised."
)


@pytest.mark.parametrize("batches", [[["left"], ["right"], ["both"]], [["left", "right", "both"]]])
@pytest.mark.parametrize("first", ["left", "right"])
def test_a_copy_of_two_stories_links_to_the_one_stored_first(
    store_url: str, first: str, batches: list[list[str]]
) -> None:
    from sitroom.record.duplicates import is_near_duplicate

    texts = {"left": LEFT, "right": RIGHT, "both": f"{LEFT} {RIGHT}"}
    prints = {name: fingerprint(text) for name, text in texts.items()}
    assert is_near_duplicate(prints["both"], prints["left"])
    assert is_near_duplicate(prints["both"], prints["right"])
    assert not is_near_duplicate(prints["left"], prints["right"])
    order = {"left": first, "right": "left" if first == "right" else "right"}
    with open_store(store_url) as store:
        for names in batches:
            store.add([Extraction(Article.create(texts[n], id=order.get(n, n))) for n in names])
        assert store.canonical_ids(["both"]) == {"both": first}


def test_the_store_keeps_as_many_articles_per_key_as_the_index() -> None:
    from sitroom.record import duplicates
    from sitroom.store import links

    assert links.KEY_CAPACITY == duplicates.KEY_CAPACITY


def test_a_stored_signature_of_another_version_is_refused(tmp_path: Path) -> None:
    # The stored signatures are decoded together; one of another length must not shift the
    # others but be named.
    path = tmp_path / "store.db"
    first, copy = STORIES[0], Extraction(Article.create(STORIES[0].article.text, id="copy"))
    with open_store(path) as store:
        store.add([first, STORIES[1]])
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE article_fingerprints SET signature = 'AAAA' WHERE article_id = ?",
            (first.article.id,),
        )
    with open_store(path) as store:
        with pytest.raises(ValueError, match="fingerprint the texts again"):
            store.add([copy])
        assert store.canonical_ids([copy.article.id]) == {}


# -- a bulk load links in its memory (`sitroom.store.link_memory`) -----------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Callable[[], AbstractContextManager[str]]:
    """Makes fresh stores of one backend that two connections can share."""
    from test_backfill import fresh_stores

    return fresh_stores(request, tmp_path)


def opened(url: str) -> SQLStore:
    store = open_store(url)
    assert isinstance(store, SQLStore)
    return store


def band_index_held(store: SQLStore) -> bool:
    sql = "SELECT 1 FROM deferred_indexes WHERE name = 'article_bands_key'"
    return bool(store._query(sql, ()))


@pytest.mark.parametrize("merge_every", [None, 1, 40])
@pytest.mark.parametrize(("size", "stored"), [(9, 0), (25, 60)])
def test_a_bulk_load_links_in_memory_as_the_lookups_do(
    fresh_url: Callable[[], AbstractContextManager[str]],
    monkeypatch: pytest.MonkeyPatch,
    size: int,
    stored: int,
    merge_every: int | None,
) -> None:
    # Band rows merged into the memory's sorted arrays after every batch, or now and then.
    if merge_every is not None:
        monkeypatch.setattr(link_memory._Bands, "MERGE_EVERY", merge_every)
    with fresh_url() as url, closing(opened(url)) as store:
        store.add(STORIES[:stored])  # read into the memory when the load starts
        with store.bulk(after=0):
            for start in range(stored, len(STORIES), size):
                store.add(STORIES[start : start + size])
                assert store._bulk is not None and store._bulk.links is not None
                assert band_index_held(store)
        assert not band_index_held(store)
        assert store.canonical_ids(EXPECTED) == EXPECTED


def test_a_bulk_load_meets_what_another_writer_stores_meanwhile(
    fresh_url: Callable[[], AbstractContextManager[str]],
) -> None:
    # A `sitroom watch` beside an ingest: its articles, copies of the load's and originals the
    # load's copy, count as stored when they were, on both sides.
    order: list[Extraction] = []
    with (
        fresh_url() as url,
        closing(opened(url)) as loader,
        closing(opened(url)) as watcher,
    ):
        watcher.add(STORIES[:5])
        order += STORIES[:5]
        with loader.bulk(after=0):
            for start in range(5, len(STORIES), 20):
                loader.add(STORIES[start : start + 15])
                # The load holds the band key index back; the other writer builds it before
                # it links, and the load leaves it be from then on.
                assert band_index_held(loader) == (start == 5)
                watcher.add(STORIES[start + 15 : start + 20])
                assert not band_index_held(loader)
                order += STORIES[start : start + 20]
        expected = expected_links(order)
        assert loader.canonical_ids(expected) == expected


def memory_state(memory: link_memory.LinkMemory) -> tuple[Any, ...]:
    """All a memory answers with: its articles in order, their ranks, canonical articles,
    fingerprints, and the newest articles under every key it holds."""
    bands = memory._bands
    keys = {int(key) for key in bands._keys} | set(bands._recent) | set(bands._log_keys)
    return (
        memory._ids,
        list(memory._ranks),
        list(memory._origins),
        memory._exacts,
        memory._signatures.rows(list(range(len(memory)))).tolist(),
        memory.newest(keys),
        memory._seen,
    )


def test_the_newest_under_keys_packed_in_arrays_unpack_as_they_were() -> None:
    # Keys with one ordinal, a few and a full key's worth, in no order: each gets its own back.
    newest = {(-1) ** key * key**9: tuple(range(key * 10, key * 10 - key % 8 - 1, -1))
              for key in range(1, 40)}  # fmt: skip
    packed = pickle.loads(pickle.dumps(link_memory.PackedNewest.of(newest)))
    assert {len(ordinals) for ordinals in newest.values()} == set(range(1, 9))
    assert packed.unpacked() == newest
    assert link_memory.PackedNewest.of({}).unpacked() == {}


def test_band_rows_laid_end_to_end_number_each_article_from_the_first() -> None:
    rows = link_memory.BandRows.of([(5, -7), (), (9,), (2**62, 3, 4)])
    assert rows.keys.tolist() == [5, -7, 9, 2**62, 3, 4]
    assert rows.ordinals(10).tolist() == [10, 10, 12, 13, 13, 13]


class Reads:
    """Counts the articles a memory read back from the store at its catch-ups."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.articles = 0
        read = link_memory.LinkMemory._read

        def counted(memory: link_memory.LinkMemory, *args: Any) -> int:
            found = read(memory, *args)
            self.articles += found
            return found

        monkeypatch.setattr(link_memory.LinkMemory, "_read", counted)


def take_turns(
    loads: list[SQLStore], batches: list[list[Extraction]], *, between: Callable[[int], None]
) -> list[bytes]:
    """Each batch added by the loads in turn, each meeting the others' last batches as their
    memories recorded them, pickled as a Dask worker receives them; `between(n)` after the
    n-th batch. The last batches recorded, for the others to meet."""
    recorded: list[bytes] = []
    for number, batch in enumerate(batches):
        load = loads[number % len(loads)]
        load.meet(pickle.loads(linked) for linked in recorded)
        load.add(batch)
        linked = load.linked_batch()
        recorded = [*recorded, pickle.dumps(linked)][1 - len(loads) :] if linked else []
        between(number)
    return recorded


def test_loads_taking_turns_meet_each_others_batches_as_recorded_not_read_back(
    fresh_url: Callable[[], AbstractContextManager[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dask workers storing in turn: each load's memory ends as one read afresh from the store.
    reads = Reads(monkeypatch)
    batches = [STORIES[start : start + 15] for start in range(0, len(STORIES), 15)]
    with fresh_url() as url, ExitStack() as stack:
        loads = [stack.enter_context(closing(opened(url))) for _ in range(3)]
        for load in loads:
            stack.enter_context(load.bulk(after=0, part=True))
        recorded = take_turns(loads, batches, between=lambda number: None)
        for load in loads:
            assert load._bulk is not None and load._bulk.links is not None
            db = load._live()
            db.begin_write()
            try:
                load.meet(pickle.loads(linked) for linked in recorded)
                caught = link_memory.LinkMemory.caught_up(db, load._bulk.links)
                assert caught is load._bulk.links
                assert memory_state(caught) == memory_state(link_memory.LinkMemory.load(db))
            finally:
                db.rollback()
        assert reads.articles == 0
        assert loads[0].canonical_ids(EXPECTED) == EXPECTED


def test_a_batch_another_writer_stores_between_turns_is_read_back(
    fresh_url: Callable[[], AbstractContextManager[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A `sitroom watch` storing between two workers' turns: the recorded batches no longer
    # follow on, and the store is read instead.
    reads = Reads(monkeypatch)
    batches = [STORIES[start : start + 15] for start in range(0, 120, 15)]
    watched = STORIES[120:]
    order: list[Extraction] = []

    def watch(number: int) -> None:
        order.extend(batches[number])
        if number == 3:
            watcher.add(watched)
            order.extend(watched)

    with (
        fresh_url() as url,
        closing(opened(url)) as first,
        closing(opened(url)) as second,
        closing(opened(url)) as watcher,
        first.bulk(after=0, part=True),
        second.bulk(after=0, part=True),
    ):
        take_turns([first, second], batches, between=watch)
        # The second load met the watcher's articles and the first's next batch from the
        # store; the first, the watcher's articles only: the second's batch followed on.
        assert reads.articles == 2 * len(watched) + len(batches[4])
        expected = expected_links(order)
        assert first.canonical_ids(expected) == expected


def test_a_bulk_load_reads_the_store_again_after_a_failed_write(
    fresh_url: Callable[[], AbstractContextManager[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    file_incidents = store_writes.file_incidents
    failures = iter([True])

    def fail_once(*args: Any, **kwargs: Any) -> Any:
        if next(failures, False):
            raise RuntimeError("filing failed")
        return file_incidents(*args, **kwargs)

    with fresh_url() as url, closing(opened(url)) as store, store.bulk(after=0):
        store.add(STORIES[:40])
        memory = store._bulk.links if store._bulk else None
        monkeypatch.setattr(store_writes, "file_incidents", fail_once)
        # Linked in memory, then rolled back: the memory must not keep the batch.
        with pytest.raises(RuntimeError, match="filing failed"):
            store.add(STORIES[40:100])
        store.add(STORIES[40:])
        assert store._bulk is not None and store._bulk.links is not memory
        assert store.canonical_ids(EXPECTED) == EXPECTED
