"""Duplicate links of a batch of new articles, the same as adding them one at a time would make,
with the stored candidates of the whole batch read in a few statements.

One at a time, a new article looks each of its band keys up (the newest `KEY_CAPACITY` articles
under it), compares itself with those articles and links to the earliest canonical article
among the ones it matches; its own band rows then make it a candidate for the next. Here the
stored articles under every key of the batch are read at once, and the batch's own articles
are added in memory in front of them, key by key, as their rows would have been. Which
articles each one meets does not depend on the links, so every pair of the batch is compared
in one vectorised call; only choosing the canonical goes article by article. A bulk load reads
the stored candidates, their fingerprints and canonical articles from its memory instead
(`sitroom.store.link_memory`), with the same answers."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt

from sitroom.model import Article

if TYPE_CHECKING:
    from sitroom.record.duplicates import Fingerprint
    from sitroom.store.link_memory import LinkMemory
    from sitroom.store.sql import Database

__all__ = [
    "KEY_CAPACITY",
    "Fingerprinted",
    "Stored",
    "band_keys",
    "decoded",
    "fingerprinted",
    "link_batch",
]

#: Articles compared under one band key, the newest, as `sitroom.record.duplicates` does.
KEY_CAPACITY = 8

_Id = TypeVar("_Id", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Fingerprinted:
    """What linking needs of an article's text: its fingerprint and its band keys as the store
    keeps them (signed 64-bit). Computed from the text alone, so anywhere: a Dask worker."""

    fp: Fingerprint
    keys: tuple[int, ...]


def fingerprinted(text: str) -> Fingerprinted:
    """The fingerprint and the distinct store band keys of an article's text."""
    from sitroom.record.duplicates import fingerprint

    fp = fingerprint(text)
    return Fingerprinted(fp, _store_keys(fp))


def band_keys(signature: bytes) -> tuple[int, ...]:
    """The distinct store band keys of a fingerprint's signature (the text's, `fingerprinted`)."""
    from sitroom.record.duplicates import Fingerprint

    return _store_keys(Fingerprint("", signature))


def _store_keys(fp: Fingerprint) -> tuple[int, ...]:
    return tuple(dict.fromkeys(map(_band_key, fp.band_hashes())))


#: Copied for each key: a copy costs a third less than a new hasher.
_KEY_HASHER = hashlib.blake2b(digest_size=8)


def _band_key(band: int) -> int:
    # A band key as a signed 64-bit integer: what BIGINT columns hold, in both backends. It
    # hashes the band's hex form (`Fingerprint.bands()`), as stores have always been keyed.
    hasher = _KEY_HASHER.copy()
    hasher.update(b"%016x" % band)
    return int.from_bytes(hasher.digest(), "little", signed=True)


@dataclass(frozen=True, slots=True)
class _Rows:
    """The articles a batch is compared with, one row each: the stored candidates, then the
    batch's own articles; signatures unpacked into one array, exact hashes as small codes."""

    ids: list[str]
    index: dict[str, int]
    signatures: npt.NDArray[np.uint32]
    exact: npt.NDArray[np.int64]
    #: Where the batch's rows start.
    first: int


def link_batch(
    db: Database,
    articles: Sequence[Article],
    prints: Sequence[Fingerprinted],
    *,
    memory: LinkMemory | None = None,
) -> dict[str, str]:
    """Link each new (already stored) article to the canonical article it copies, write the
    links, fingerprints and band rows; id -> canonical id, in the articles' order. With
    `memory` (a bulk load's), band keys and canonical articles are read there, not in SQL."""
    fingerprints = [p.fp for p in prints]
    keys = [p.keys for p in prints]
    ids = [article.id for article in articles]
    if memory is None:
        _build_band_index(db)
        found = _found(ids, keys, _newest_stored(db, _distinct(keys)))
        rows = _rows(_stored_candidates(db, _stored_ids(found, ids)), ids, fingerprints)
    else:
        admitted, newest = memory.admit(ids), memory.newest(_distinct(keys))
        found = [memory.ids(met) for met in _found(list(admitted), keys, newest)]
        rows = _rows(memory.stored(_stored_ids(found, ids)), ids, fingerprints)
    matched, ends = _matches(*_pairs(found, rows), rows)
    # Canonical articles and their ranks, of the stored candidates that match only.
    candidates = {rows.ids[r] for r in matched if r < rows.first}
    origins = _origins(db, candidates) if memory is None else memory.origins(candidates)
    ranks = _ranks(db, ids)
    canonical = _link(rows, matched, ends, origins, ranks)
    _write(db, articles, fingerprints, keys, canonical)
    if memory is not None:
        memory.record(db, admitted, prints, ranks, canonical, newest)
    return canonical


def _distinct(keys: list[tuple[int, ...]]) -> set[int]:
    return {key for article_keys in keys for key in article_keys}


def _stored_ids(found: list[list[str]], ids: list[str]) -> set[str]:
    """The stored articles among those met."""
    batch = set(ids)
    return {i for article_found in found for i in article_found if i not in batch}


def _found(
    ids: list[_Id], keys: list[tuple[int, ...]], newest: dict[int, Sequence[_Id]]
) -> list[list[_Id]]:
    """The articles each new one is compared with: the newest under its keys when its turn
    comes, the batch's earlier articles included; distinct, in the order met. `newest` is
    left holding the newest under each key after the batch."""
    found = []
    for article_id, article_keys in zip(ids, keys, strict=True):
        met: dict[_Id, None] = {}
        # An article's keys are distinct: each is read, then its rows make the article the
        # newest under it for the articles after it.
        for key in article_keys:
            under = newest.get(key)
            if under:
                met.update(dict.fromkeys(under))
                newest[key] = (article_id, *under[: KEY_CAPACITY - 1])
            else:
                newest[key] = (article_id,)
        found.append(list(met))
    return found


def _rows(stored: Stored, ids: list[str], fingerprints: Sequence[Fingerprint]) -> _Rows:
    """The stored candidates' rows, then the batch's."""
    from sitroom.record.duplicates import unpack_signatures

    signatures = np.concatenate(
        [
            stored.signatures,
            unpack_signatures(b"".join(fp.signature for fp in fingerprints), len(ids)),
        ]
    )
    exact: dict[str, int] = {}
    codes = [exact.setdefault(e, len(exact)) for e in stored.exact]
    codes += [exact.setdefault(fp.exact, len(exact)) for fp in fingerprints]
    everyone = stored.ids + ids
    return _Rows(
        ids=everyone,
        index=dict(zip(everyone, range(len(everyone)), strict=True)),
        signatures=signatures,
        exact=np.array(codes, dtype=np.int64),
        first=len(stored.ids),
    )


def decoded(signatures: list[str]) -> npt.NDArray[np.uint32]:
    """Stored (base64) signatures, unpacked, in one decode: a signature of a whole number of
    base64 quanta has no padding, so the texts can be joined."""
    from sitroom.record.duplicates import SIGNATURE_BYTES, unpack_signatures

    whole = SIGNATURE_BYTES % 3 == 0 and all(
        len(signature) == SIGNATURE_BYTES // 3 * 4 for signature in signatures
    )
    if whole:
        joined = binascii.a2b_base64("".join(signatures), strict_mode=True)
        return unpack_signatures(joined, len(signatures))
    # One by one, so that a signature of another length cannot shift the others.
    return unpack_signatures(b"".join(map(base64.b64decode, signatures)), len(signatures))


def _link(
    rows: _Rows,
    matched: list[int],
    ends: list[int],
    origins: dict[str, tuple[str, int]],
    ranks: dict[str, int],
) -> dict[str, str]:
    """Each new article's canonical: that of the matching candidate whose canonical was stored
    first, or itself. The choice goes article by article, since it reads the canonical of the
    batch's earlier articles."""
    by_row = {rows.index[i]: origin for i, origin in origins.items()}
    canonical: dict[str, str] = {}
    start = 0
    for n, article_id in enumerate(rows.ids[rows.first :]):
        # A stored candidate whose canonical article is missing counts as none, as it did when
        # candidates were read joined to their canonical articles.
        options = [by_row[r] for r in matched[start : ends[n]] if r in by_row]
        by_row[rows.first + n] = min(
            options, key=itemgetter(1), default=(article_id, ranks[article_id])
        )
        canonical[article_id] = by_row[rows.first + n][0]
        start = ends[n]
    return canonical


def _pairs(
    found: list[list[str]], rows: _Rows
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Every pair a batch compares, as rows: each new article's, in its order, and its
    candidates', in theirs; the stored ones without a fingerprint are no candidates."""
    left: list[int] = []
    right: list[int] = []
    for n, article_found in enumerate(found):
        candidates = [rows.index[i] for i in article_found if i in rows.index]
        right += candidates
        left += [rows.first + n] * len(candidates)
    return np.array(left, dtype=np.intp), np.array(right, dtype=np.intp)


def _matches(
    lefts: npt.NDArray[np.intp], rights: npt.NDArray[np.intp], rows: _Rows
) -> tuple[list[int], list[int]]:
    """The rows that match, pair by pair, and where each new article's matches end; every
    pair of the batch is compared at once."""
    from sitroom.record.duplicates import near_pairs

    hits = rows.exact[lefts] == rows.exact[rights]
    hits |= near_pairs(rows.signatures[lefts], rows.signatures[rights])
    # An article's pairs are contiguous, so its matches are too.
    news = np.arange(rows.first, len(rows.ids))
    ends: list[int] = np.searchsorted(lefts[hits], news, side="right").tolist()
    matched: list[int] = rights[hits].tolist()
    return matched, ends


def _write(
    db: Database,
    articles: Sequence[Article],
    fingerprints: Sequence[Fingerprint],
    keys: list[tuple[int, ...]],
    canonical: dict[str, str],
) -> None:
    for article in articles:
        if canonical[article.id] != article.id:
            db.execute(
                "UPDATE articles SET canonical_id = ? WHERE id = ?",
                (canonical[article.id], article.id),
            )
    _write_fingerprints(db, articles, fingerprints)
    _write_bands(db, articles, keys)


def _write_fingerprints(
    db: Database, articles: Sequence[Article], fingerprints: Sequence[Fingerprint]
) -> None:
    rows = [
        (article.id, fp.exact, base64.b64encode(fp.signature).decode("ascii"))
        for article, fp in zip(articles, fingerprints, strict=True)
    ]
    db.executemany(
        "INSERT INTO article_fingerprints (article_id, exact, signature) VALUES (?, ?, ?) "
        "ON CONFLICT (article_id) DO NOTHING",
        sorted(rows),
    )


def _write_bands(db: Database, articles: Sequence[Article], keys: list[tuple[int, ...]]) -> None:
    # In key order, so each index page is visited once; a stable sort keeps the articles'
    # order under each key, which is all that "newest" reads.
    bands = [(key, article.id) for article, ks in zip(articles, keys, strict=True) for key in ks]
    bands.sort(key=itemgetter(0))
    db.executemany("INSERT INTO article_bands (key, article_id) VALUES (?, ?)", bands)


# `rowid` is the insertion order: SQLite's own, a generated column of that name in PostgreSQL.
# Under each key, the rows from the `KEY_CAPACITY`-th newest on: a walk down the key index
# from its end, never a scan of a key that thousands of articles share. Sorted by the
# database, newest first under each key, as cheaply as it sorts.
_NEWEST_SQL = {
    "sqlite": (
        "SELECT b.key, b.article_id FROM json_each(?) AS k "
        "JOIN article_bands b ON b.key = k.value "
        "WHERE b.rowid >= coalesce((SELECT n.rowid FROM article_bands n WHERE n.key = k.value "
        f"ORDER BY n.rowid DESC LIMIT 1 OFFSET {KEY_CAPACITY - 1}), 0) "
        "ORDER BY b.key, b.rowid DESC"
    ),
    "postgresql": (
        "SELECT k.key, n.article_id FROM unnest(?::bigint[]) AS k (key) "
        "CROSS JOIN LATERAL (SELECT b.article_id, b.rowid FROM article_bands b "
        f"WHERE b.key = k.key ORDER BY b.rowid DESC LIMIT {KEY_CAPACITY}) AS n "
        "ORDER BY k.key, n.rowid DESC"
    ),
}


def _build_band_index(db: Database) -> None:
    """Build the band key index if a bulk load holds it back: one beside this writer, linking
    in its memory, or one killed. Without it every lookup would read the whole table."""
    from sitroom.store.bulk import BAND_INDEX, build_deferred_indexes

    if db.execute("SELECT 1 FROM deferred_indexes WHERE name = ?", (BAND_INDEX,)).fetchone():
        build_deferred_indexes(db, names=(BAND_INDEX,))


def _newest_stored(db: Database, keys: set[int]) -> dict[int, Sequence[str]]:
    """The newest stored articles under each key, newest first."""
    if not keys:
        return {}
    # Sorted, the keys are looked up in index order: each page is met once, and warm.
    rows = db.execute(_NEWEST_SQL[db.dialect.name], (_list(db, sorted(keys)),))
    newest: dict[int, Sequence[str]] = {
        key: [row[1] for row in under] for key, under in groupby(rows, key=itemgetter(0))
    }
    return newest


@dataclass(frozen=True, slots=True)
class Stored:
    """Stored candidates, column by column: id, exact hash, signature (unpacked, a row each)."""

    ids: list[str]
    exact: list[str]
    signatures: npt.NDArray[np.uint32]


def _stored_candidates(db: Database, article_ids: set[str]) -> Stored:
    """Stored articles' fingerprints; those without one are no candidates."""
    from sitroom.record.duplicates import unpack_signatures

    if not article_ids:
        return Stored([], [], unpack_signatures(b"", 0))
    rows = db.execute(
        f"SELECT article_id, exact, signature FROM article_fingerprints WHERE article_id {_in(db)}",
        (_list(db, sorted(article_ids)),),
    ).fetchall()
    return Stored([r[0] for r in rows], [r[1] for r in rows], decoded([r[2] for r in rows]))


def _origins(db: Database, article_ids: set[str]) -> dict[str, tuple[str, int]]:
    """Stored articles' canonical articles, each with its rank (`_ranks`)."""
    if not article_ids:
        return {}
    rows = db.execute(
        "SELECT a.id, c.id, c.rowid FROM articles a "
        "JOIN articles c ON c.id = COALESCE(a.canonical_id, a.id) "
        f"WHERE a.id {_in(db)}",
        (_list(db, sorted(article_ids)),),
    )
    return {article_id: (canonical, int(rank)) for article_id, canonical, rank in rows}


def _ranks(db: Database, article_ids: list[str]) -> dict[str, int]:
    """Where each article stands in the order articles were stored (its rowid)."""
    sql = f"SELECT id, rowid FROM articles WHERE id {_in(db)}"
    rows = db.execute(sql, (_list(db, article_ids),))
    return {article_id: int(rank) for article_id, rank in rows}


def _in(db: Database) -> str:
    """A membership test against one parameter holding the whole list (`_list`)."""
    return "= ANY(?)" if db.dialect.arrays else "IN (SELECT value FROM json_each(?))"


def _list(db: Database, values: Iterable[object]) -> object:
    """A list as one parameter: an array where the backend binds one, else JSON text."""
    return list(values) if db.dialect.arrays else json.dumps(list(values))
