"""What linking reads of the store, held in a bulk load's memory: the newest articles under each
band key, and each article's fingerprint, rank and canonical article (`LinkMemory`).

`sitroom.store.links` reads these from `article_bands` and `articles` for every batch: at tens
of thousands of articles, a band key lookup is a walk down an index at a random place, 32 for
each article, and the index's random inserts weigh on every commit. A bulk load instead reads
them once, when it holds its indexes back (`sitroom.store.bulk`), and keeps them up as it
links; the band key index is then held back too. Another writer may store articles meanwhile
(a `sitroom watch` beside an ingest): at the start of each batch, inside the write lock, the
memory reads what was stored since it last looked, in the order it was stored, as the SQL
lookups would meet it. On SQLite their band keys are their band rows, read as a range of
rowids rather than computed again from their signatures, which takes a quarter off the CPU
of meeting them (`benchmarks/bench_catch_up.py`; a Dask backfill's workers meet each other's
every batch). Where the writer before was a bulk load too, its memory's record of the batch
(`LinkedBatch`), handed over, is taken in without reading the store at all, once the store's
stamps show it is all that was stored meanwhile: a third of the CPU, recording and pickling
included. The answers are the SQL lookups' own, row for row.
"""

from __future__ import annotations

import base64
import logging
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from sitroom.record.duplicates import unpack_signatures
from sitroom.store.links import KEY_CAPACITY, Fingerprinted, Stored, band_keys, decoded

if TYPE_CHECKING:
    from sitroom.store.sql import Cursor, Database

__all__ = ["BandRows", "LinkMemory", "LinkedBatch", "PackedNewest"]

logger = logging.getLogger(__name__)

#: Where the store's articles stand since the memory last looked: what another writer moves.
#: SQLite gives a new row the next rowid; PostgreSQL's identity sequence moves for each row
#: any writer tries to insert, so it may say "moved" when nothing was stored, never the reverse.
_STAMP_SQL = {
    "sqlite": "SELECT max(rowid) FROM articles",
    "postgresql": (
        "SELECT pg_sequence_last_value(pg_get_serial_sequence('articles', 'rowid')::regclass)"
    ),
}

#: Where the store's band rows stand: SQLite's rowids only grow while rows are only added, and
#: its rowid is the table's key, so the rows after one are a range. (PostgreSQL's `rowid` is
#: indexed only behind the band key: there, a range would read the whole table.)
_BAND_STAMP_SQL = {"sqlite": "SELECT max(rowid) FROM article_bands"}

#: Rows read from the store at a time.
_CHUNK = 50_000

#: Articles with their canonical article and fingerprint (none for the batch being written).
_ARTICLES_SQL = (
    "SELECT a.rowid, a.id, COALESCE(a.canonical_id, a.id), f.exact, f.signature FROM articles a "
    "LEFT JOIN article_fingerprints f ON f.article_id = a.id"
)
#: All of them in the order they were stored, which numbers them as every memory numbers them.
_ALL_SQL = f"{_ARTICLES_SQL} ORDER BY a.rowid"
#: Those stored after a rank, in the order they were stored.
_SINCE_SQL = f"{_ARTICLES_SQL} WHERE a.rowid > ? ORDER BY a.rowid"


@dataclass(frozen=True, slots=True)
class BandRows:
    """Articles' band keys laid end to end, in the order stored, and how many each has."""

    keys: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int32]

    @classmethod
    def of(cls, keys: Sequence[tuple[int, ...]]) -> BandRows:
        """The rows of each article's keys."""
        counts = np.fromiter(map(len, keys), dtype=np.int32, count=len(keys))
        total = int(counts.sum())
        return cls(np.fromiter(chain.from_iterable(keys), dtype=np.int64, count=total), counts)

    def ordinals(self, first: int) -> npt.NDArray[np.int32]:
        """Each row's article, the articles numbered from `first`."""
        articles = np.arange(first, first + len(self.counts), dtype=np.int32)
        return np.repeat(articles, self.counts)


@dataclass(frozen=True, slots=True)
class PackedNewest:
    """The newest ordinals under band keys (`LinkMemory.newest`) as three arrays: the keys,
    how many ordinals each has, and the ordinals laid end to end, newest first."""

    keys: npt.NDArray[np.int64]
    counts: npt.NDArray[np.uint8]
    ordinals: npt.NDArray[np.int32]

    @classmethod
    def of(cls, newest: dict[int, Sequence[int]]) -> PackedNewest:
        size = len(newest)
        counts = np.fromiter(map(len, newest.values()), dtype=np.uint8, count=size)
        ordinals = chain.from_iterable(newest.values())
        return cls(
            np.fromiter(newest, dtype=np.int64, count=size),
            counts,
            np.fromiter(ordinals, dtype=np.int32, count=int(counts.sum())),
        )

    def unpacked(self) -> dict[int, Sequence[int]]:
        """Key -> its newest ordinals, as `LinkMemory.newest` gives them."""
        found: dict[int, Sequence[int]] = {}
        starts = np.cumsum(self.counts, dtype=np.int64) - self.counts
        # The keys with as many ordinals at a time: their ordinals are then a 2-D take, whose
        # columns zipped give each key's tuple (half the time of a tuple made of each row).
        for count in np.flatnonzero(np.bincount(self.counts)).tolist():
            rows = np.flatnonzero(self.counts == count)
            taken = self.ordinals[starts[rows, None] + np.arange(count)]
            tuples = zip(*taken.T.tolist(), strict=True)
            found.update(zip(self.keys[rows].tolist(), tuples, strict=True))
        return found


@dataclass(frozen=True, slots=True)
class LinkedBatch:
    """One batch as the memory that linked it recorded it: what another writer's memory takes
    in, in place of reading the batch back from the store (`LinkMemory.meet`).

    Memories that met the same articles in the order stored number them alike, so the batch's
    canonical articles and the newest articles under its keys, in ordinals, hold for both.
    Its columns are arrays: a Dask worker hands it to the next pickled. For a batch of 1,000
    generated articles (31,000 band keys) into a store of 100,000, pickling, unpickling and
    taking it in took 39 ms as tuples and a dict of tuples, 24 ms as arrays, recording
    included (`benchmarks/bench_catch_up.py`: 0.037-0.041 -> 0.025-0.026 ms per article).
    """

    #: The store's stamp (`_STAMP_SQL`) before the batch and after it: the batch follows on
    #: from a memory that last looked at `before`, and is all that was stored up to `after`.
    before: object
    after: object
    #: The ordinal of the batch's first article, and the article before it (None: the first).
    first: int
    previous: str | None
    ids: tuple[str, ...]
    ranks: npt.NDArray[np.int64]
    #: Each article's canonical article, an ordinal.
    origins: npt.NDArray[np.int64]
    exacts: tuple[str | None, ...]
    #: The packed signatures laid end to end (`sitroom.record.duplicates.unpack_signatures`).
    signatures: bytes
    bands: BandRows
    #: The newest ordinals under each of the batch's keys after it.
    newest: PackedNewest
    #: The highest band row after the batch, where band rows are a range (`_BAND_STAMP_SQL`).
    bands_seen: int | None


class LinkMemory:
    """The newest articles under each band key and every article's rank and canonical one, as
    the store holds them; articles are numbered (ordinals) in the order the memory met them."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._ordinals: dict[str, int] = {}
        #: Each article's rank: its rowid, the order articles were stored in.
        self._ranks = array("q")
        #: Each article's canonical article (an ordinal), or -1 when that one is not stored.
        self._origins = array("q")
        #: Each article's fingerprint: exact hash (None without one) and unpacked signature.
        self._exacts: list[str | None] = []
        self._signatures = _Signatures()
        self._bands = _Bands()
        #: The highest rank met, and the stamp (`_STAMP_SQL`) when the memory last looked.
        self._seen = 0
        self._stamp: object = None
        #: The highest band row met, where the store's band rows are a range (`_BAND_STAMP_SQL`).
        self._bands_seen: int | None = None
        #: The last article the memory recorded linking, with its rank; and whether articles
        #: were admitted and not recorded (the link failed half-way).
        self._last: tuple[str, int] | None = None
        self._pending = False
        #: Whether the ordinals follow the ranks, as in every memory that met the same
        #: articles in the order stored: what another memory's `LinkedBatch` assumes.
        self._ranked = True
        #: The last batch this memory linked, recorded when asked for (`linked_batch`): packing
        #: it costs a single writer for nothing. And batches another writer's memory linked, to
        #: take in at the next catch-up where they follow on.
        self._linked: Callable[[], LinkedBatch] | None = None
        self._met: tuple[LinkedBatch, ...] = ()

    @classmethod
    def caught_up(cls, db: Database, memory: LinkMemory | None) -> LinkMemory:
        """`memory` brought up to what other writers stored since it last looked, or the store
        read afresh when there is none or when its last batch did not reach the store (a
        write that failed, a commit rolled back). Inside the write transaction, before the
        batch is written."""
        if memory is None or not memory._holds_its_batches(db):
            return cls.load(db)
        if caught := memory._catch_up(db):
            logger.info("%d articles stored by another writer met", caught)
        return memory

    @classmethod
    def load(cls, db: Database) -> LinkMemory:
        """The memory of the store as it stands; inside a write transaction."""
        memory = cls()
        memory._stamp = _stamp(db)
        memory._bands_seen = _band_stamp(db)
        # A chunk at a time, so that a large store's rows are never all in Python at once.
        articles = db.execute(_ALL_SQL)
        canonical: list[str] = []
        while rows := list(islice(articles, _CHUNK)):
            canonical += memory._add_articles(rows)
        memory._origins.extend(memory._ordinals.get(origin, -1) for origin in canonical)
        # In the order stored, which is SQLite's table order: `_Bands.of` sorts by key.
        bands = db.execute("SELECT key, article_id FROM article_bands ORDER BY rowid")
        memory._bands = _Bands.of(bands, memory._ordinals_of)
        return memory

    def _ordinals_of(self, article_ids: Sequence[str]) -> list[int]:
        """The ordinals of band rows' articles."""
        known = self._ordinals.get
        found = [known(article_id, -1) for article_id in article_ids]
        if -1 in found:
            # No write leaves a band row of an article not stored; read, it is numbered.
            found = [self._ordinal(article_id) for article_id in article_ids]
        return found

    def __len__(self) -> int:
        return len(self._ids)

    def _holds_its_batches(self, db: Database) -> bool:
        """Whether the batches this memory recorded are what the store holds."""
        if self._pending:
            return False
        if self._last is None:
            return True
        article_id, rank = self._last
        found = db.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        return found is not None and int(found[0]) == rank

    def meet(self, batches: Iterable[LinkedBatch]) -> None:
        """Batches other writers' memories linked and recorded, in the order stored: the next
        catch-up takes in those that follow on from what this memory met, reading the rest."""
        self._met = tuple(batches)

    def _catch_up(self, db: Database) -> int:
        """Take in what other writers stored since the memory last looked. How many articles
        that was."""
        # A batch begins: the last one's record is not what this one leaves (it may add none).
        self._linked = None
        stamp = _stamp(db)
        met, self._met = self._met, ()
        taken = 0
        for batch in met:
            if stamp == self._stamp:
                break
            if self._follows(batch):
                self._take(batch)
                taken += len(batch.ids)
        if stamp == self._stamp:
            return taken
        rows = db.execute(_SINCE_SQL, (self._seen,)).fetchall()
        return taken + self._read(db, rows, stamp)

    def _follows(self, batch: LinkedBatch) -> bool:
        """Whether `batch` is the next one stored after what this memory met, numbered alike."""
        return (
            self._ranked
            and batch.before == self._stamp
            and batch.first == len(self._ids)
            and batch.previous == (self._ids[-1] if self._ids else None)
            and (not len(batch.ranks) or int(batch.ranks[0]) > self._seen)
        )

    def _take(self, batch: LinkedBatch) -> None:
        """Take in a batch another memory linked, as its `record` took it in."""
        self._number(batch.ids, batch.ranks.tolist(), batch.exacts)
        self._origins.frombytes(batch.origins.tobytes())
        self._signatures.extend(unpack_signatures(batch.signatures, len(batch.ids)))
        self._bands.add(batch.first, batch.bands, batch.newest.unpacked())
        self._stamp = batch.after
        self._bands_seen = batch.bands_seen

    def _read(self, db: Database, rows: Sequence[Sequence[Any]], stamp: object) -> int:
        """Take in articles read from the store (`_SINCE_SQL` rows); how many."""
        first = len(self._ids)
        canonical = self._add_articles(rows)
        self._origins.extend(self._ordinals.get(origin, -1) for origin in canonical)
        keys = self._stored_keys(db, rows)
        ordinals = range(first, first + len(rows))
        newest = self.newest({key for article_keys in keys for key in article_keys})
        for ordinal, article_keys in zip(ordinals, keys, strict=True):
            for key in article_keys:
                newest[key] = (ordinal, *newest.get(key, ())[: KEY_CAPACITY - 1])
        self._bands.add(first, BandRows.of(keys), newest)
        self._stamp = stamp
        return len(rows)

    def _stored_keys(self, db: Database, rows: Sequence[Sequence[Any]]) -> list[tuple[int, ...]]:
        """The band keys of articles another writer stored (`_SINCE_SQL` rows): their band rows
        where those are a range (`_BAND_STAMP_SQL`), else computed from their signatures."""
        if self._bands_seen is None:
            return [() if row[4] is None else band_keys(base64.b64decode(row[4])) for row in rows]
        since = db.execute(
            "SELECT rowid, key, article_id FROM article_bands WHERE rowid > ? ORDER BY rowid",
            (self._bands_seen,),
        ).fetchall()
        found: dict[str, list[int]] = {}
        for _, key, article_id in since:
            found.setdefault(article_id, []).append(key)
        if since:
            self._bands_seen = int(since[-1][0])
        return [tuple(found.get(row[1], ())) for row in rows]

    def newest(self, keys: Iterable[int]) -> dict[int, Sequence[int]]:
        """The newest articles (ordinals) under each of `keys` that has any, newest first."""
        return self._bands.newest(keys)

    def admit(self, article_ids: Sequence[str]) -> range:
        """Number a batch's new articles, in order; `record` completes them."""
        first = len(self._ids)
        self._pending = True
        for ordinal, article_id in enumerate(article_ids, first):
            self._ids.append(article_id)
            self._ordinals[article_id] = ordinal
        return range(first, len(self._ids))

    def ids(self, ordinals: Iterable[int]) -> list[str]:
        """The articles these ordinals stand for."""
        return [self._ids[ordinal] for ordinal in ordinals]

    def stored(self, article_ids: Iterable[str]) -> Stored:
        """Stored articles' fingerprints, as `links._stored_candidates` reads them."""
        ordinals = [self._ordinals[article_id] for article_id in article_ids]
        ordinals = [ordinal for ordinal in ordinals if self._exacts[ordinal] is not None]
        return Stored(
            self.ids(ordinals),
            [self._exacts[ordinal] or "" for ordinal in ordinals],
            self._signatures.rows(ordinals),
        )

    def origins(self, article_ids: Iterable[str]) -> dict[str, tuple[str, int]]:
        """Stored articles' canonical articles, each with its rank, as `links._origins`: an
        article whose canonical one is not stored has none."""
        found = {}
        for article_id in article_ids:
            origin = self._origins[self._ordinals[article_id]]
            if origin >= 0:
                found[article_id] = (self._ids[origin], self._ranks[origin])
        return found

    def record(
        self,
        db: Database,
        admitted: range,
        prints: Sequence[Fingerprinted],
        ranks: dict[str, int],
        canonical: dict[str, str],
        newest: dict[int, Sequence[int]],
    ) -> None:
        """Complete the admitted articles once linked and written, with the band keys' newest
        articles after them; the stamp is then the store's own, the batch written."""
        previous = self._seen
        ids = tuple(self.ids(admitted))
        ranked = tuple(ranks[article_id] for article_id in ids)
        for article_id, rank, taken in zip(ids, ranked, prints, strict=True):
            self._ranks.append(rank)
            self._origins.append(self._ordinals[canonical[article_id]])
            self._exacts.append(taken.fp.exact)
            self._seen = max(self._seen, rank)
            self._last = (article_id, rank)
        signatures = b"".join(taken.fp.signature for taken in prints)
        self._signatures.extend(unpack_signatures(signatures, len(prints)))
        bands = BandRows.of([taken.keys for taken in prints])
        self._bands.add(admitted.start, bands, newest)
        before, self._stamp = self._stamp, _stamp(db)
        self._bands_seen = _band_stamp(db)
        self._pending = False
        # Ordinals given in the batch's order follow the ranks only if it was stored in order.
        in_order = list(ranked) == sorted(ranked) and (not ranked or ranked[0] > previous)
        self._ranked = self._ranked and in_order
        self._linked = None
        if self._ranked:
            recorded = partial(
                LinkedBatch,
                before=before,
                after=self._stamp,
                first=admitted.start,
                previous=self._ids[admitted.start - 1] if admitted.start else None,
                ids=ids,
                ranks=np.array(ranked, dtype=np.int64),
                origins=np.array(self._origins[admitted.start :], dtype=np.int64),
                exacts=tuple(taken.fp.exact for taken in prints),
                signatures=signatures,
                bands=bands,
                bands_seen=self._bands_seen,
            )
            self._linked = lambda: recorded(newest=PackedNewest.of(newest))

    def linked_batch(self) -> LinkedBatch | None:
        """The last batch this memory linked, as recorded for another writer's memory to take
        in (`meet`); None once the next begins, or when this memory's ordinals no longer
        follow the ranks."""
        return None if self._linked is None else self._linked()

    def _ordinal(self, article_id: str) -> int:
        """The ordinal of an article, numbering one the memory has not met (a band row of an
        article that is gone) as stored nowhere."""
        ordinal = self._ordinals.get(article_id)
        if ordinal is None:
            self._ranked = False
            self._add_articles([(-1, article_id, None, None, None)])
            self._origins.append(-1)
            ordinal = len(self._ids) - 1
        return ordinal

    def _add_articles(self, rows: Sequence[Sequence[Any]]) -> list[str]:
        """Add articles as (rank, id, canonical id, exact, signature) rows; their canonical
        ids, for the caller to look up once all are numbered (a canonical article need not
        come first)."""
        self._number(
            [row[1] for row in rows], [int(row[0]) for row in rows], [row[3] for row in rows]
        )
        self._signatures.extend(_unpacked([row[4] for row in rows]))
        return [row[2] for row in rows]

    def _number(
        self, article_ids: Iterable[str], ranks: Iterable[int], exacts: Iterable[str | None]
    ) -> None:
        """Number articles met in the order stored, with their ranks and exact hashes."""
        for article_id, rank, exact in zip(article_ids, ranks, exacts, strict=True):
            self._ordinals[article_id] = len(self._ids)
            self._ids.append(article_id)
            self._ranks.append(rank)
            self._exacts.append(exact)
            self._seen = max(self._seen, rank)


def _stamp(db: Database) -> object:
    return db.execute(_STAMP_SQL[db.dialect.name]).fetchone()[0]


def _band_stamp(db: Database) -> int | None:
    """The highest band row's rowid (0 for none), where band rows are read as a range."""
    sql = _BAND_STAMP_SQL.get(db.dialect.name)
    return None if sql is None else int(db.execute(sql).fetchone()[0] or 0)


def _unpacked(signatures: list[str | None]) -> npt.NDArray[np.uint32]:
    """Stored signatures, unpacked; zeros for an article without one."""
    present = [signature for signature in signatures if signature is not None]
    unpacked = decoded(present)
    if len(present) == len(signatures):
        return unpacked
    rows = np.zeros((len(signatures), unpacked.shape[1]), dtype=np.uint32)
    rows[[n for n, signature in enumerate(signatures) if signature is not None]] = unpacked
    return rows


class _Signatures:
    """Unpacked signatures, a row each, in an array that grows when full."""

    def __init__(self) -> None:
        self._rows = unpack_signatures(b"", 0)
        self._count = 0

    def extend(self, rows: npt.NDArray[np.uint32]) -> None:
        """Append rows."""
        count = self._count + len(rows)
        if count > len(self._rows):
            # A quarter more at a time: a few copies, and little held unused.
            size = max(count, len(self._rows) * 5 // 4)
            grown = np.empty((size, rows.shape[1]), dtype=np.uint32)
            grown[: self._count] = self._rows[: self._count]
            self._rows = grown
        self._rows[self._count : count] = rows
        self._count = count

    def rows(self, ordinals: list[int]) -> npt.NDArray[np.uint32]:
        """The rows of these ordinals."""
        found: npt.NDArray[np.uint32] = self._rows[ordinals]
        return found


_NO_KEYS = np.zeros(0, dtype=np.int64)
_NO_VALUES = np.zeros(0, dtype=np.int32)


class _Bands:
    """Band key -> the newest `KEY_CAPACITY` ordinals under it.

    Sorted arrays hold the band rows, a key's entries oldest first (12 bytes an entry). Rows
    added since they were last merged wait in a log, and each key they touched keeps its
    newest entries in a dict, which answers for it; every `MERGE_EVERY` rows the log is merged
    into the arrays in one linear pass and the dict emptied.
    """

    MERGE_EVERY = 1 << 16
    _BACK = np.arange(1, KEY_CAPACITY + 1)[None, :]

    def __init__(
        self,
        keys: npt.NDArray[np.int64] = _NO_KEYS,
        values: npt.NDArray[np.int32] = _NO_VALUES,
    ) -> None:
        self._keys = keys
        self._values = values
        self._recent: dict[int, Sequence[int]] = {}
        self._log_keys = array("q")
        self._log_values = array("i")

    @classmethod
    def of(cls, cursor: Cursor, ordinals: Callable[[Sequence[str]], list[int]]) -> _Bands:
        """The bands of (key, article id) rows in the order they were stored, `ordinals`
        numbering the articles of a chunk."""
        keys, values = [_NO_KEYS], [_NO_VALUES]
        while rows := list(islice(cursor, _CHUNK)):
            key_column, id_column = zip(*rows, strict=True)
            keys.append(np.array(key_column, dtype=np.int64))
            values.append(np.array(ordinals(id_column), dtype=np.int32))
        # Stable, so a key's rows stay oldest first.
        order = np.argsort(np.concatenate(keys), kind="stable")
        every = np.concatenate(keys)[order]
        # Only the newest `KEY_CAPACITY` of a key are ever read.
        ends = np.searchsorted(every, every, side="right")
        keep = ends - np.arange(len(every)) <= KEY_CAPACITY
        return cls(every[keep], np.concatenate(values)[order][keep])

    def newest(self, keys: Iterable[int]) -> dict[int, Sequence[int]]:
        """The newest ordinals under each key that has any, newest first."""
        wanted = keys if isinstance(keys, set) else set(keys)
        recent = self._recent
        found: dict[int, Sequence[int]] = {key: recent[key] for key in wanted & recent.keys()}
        older = wanted - recent.keys()
        if older and len(self._keys):
            found.update(self._stored(list(older)))
        return found

    def _stored(self, keys: list[int]) -> dict[int, Sequence[int]]:
        wanted = np.array(keys, dtype=np.int64)
        # Entries of a key are contiguous and oldest first: the newest end where the key ends.
        slots = np.searchsorted(self._keys, wanted, side="right")[:, None] - self._BACK
        hits = (slots >= 0) & (self._keys[np.maximum(slots, 0)] == wanted[:, None])
        found: dict[int, Sequence[int]] = {}
        for row in np.flatnonzero(hits[:, 0]).tolist():
            found[keys[row]] = tuple(self._values[slots[row][hits[row]]].tolist())
        return found

    def add(self, first: int, rows: BandRows, newest: dict[int, Sequence[int]]) -> None:
        """Add the band rows of articles numbered from `first`, in the order stored; `newest`
        holds the newest ordinals under each of their keys after them."""
        self._recent.update(newest)
        self._log_keys.frombytes(rows.keys.tobytes())
        self._log_values.frombytes(rows.ordinals(first).tobytes())
        if len(self._log_keys) >= self.MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        keys = np.frombuffer(self._log_keys, dtype=np.int64)
        values = np.frombuffer(self._log_values, dtype=np.int32)
        # Stable, so a key's rows stay oldest first; placed after the older rows of its key.
        order = np.argsort(keys, kind="stable")
        at = np.searchsorted(self._keys, keys[order], side="right")
        self._keys = np.insert(self._keys, at, keys[order])
        self._values = np.insert(self._values, at, values[order])
        self._recent = {}
        self._log_keys = array("q")
        self._log_values = array("i")
