"""Duplicate links of a batch of new articles, the same as adding them one at a time would make,
with the stored candidates of the whole batch read in a few statements.

One at a time, a new article looks each of its band keys up (the newest `KEY_CAPACITY` articles
under it), compares itself with those articles and links to the earliest canonical article
among the ones it matches; its own band rows then make it a candidate for the next. Here the
stored articles under every key of the batch are read at once, and the batch's own articles
are added in memory in front of them, key by key, as their rows would have been.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING

from sitroom.model import Article

if TYPE_CHECKING:
    from sitroom.record.duplicates import Fingerprint
    from sitroom.store.sql import Database

__all__ = ["KEY_CAPACITY", "Fingerprinted", "fingerprinted", "link_batch"]

#: Articles compared under one band key, the newest, as `sitroom.record.duplicates` does.
KEY_CAPACITY = 8


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
    return Fingerprinted(fp, tuple(dict.fromkeys(map(_band_key, fp.band_hashes()))))


#: Copied for each key: a copy costs a third less than a new hasher.
_KEY_HASHER = hashlib.blake2b(digest_size=8)


def _band_key(band: int) -> int:
    # A band key as a signed 64-bit integer: what BIGINT columns hold, in both backends. It
    # hashes the band's hex form (`Fingerprint.bands()`), as stores have always been keyed.
    hasher = _KEY_HASHER.copy()
    hasher.update(b"%016x" % band)
    return int.from_bytes(hasher.digest(), "little", signed=True)


class _Candidate:
    """An article a new one may copy: its fingerprint and its canonical article, which links
    are ordered by (`rank`, the canonical's place in the order articles were stored)."""

    __slots__ = ("_fp", "_signature", "canonical", "exact", "rank")

    def __init__(self, exact: str, signature: str | bytes, canonical: str, rank: int) -> None:
        self.exact = exact
        #: A stored signature stays base64 until it is compared: most never are.
        self._signature = signature
        self._fp: Fingerprint | None = None
        self.canonical = canonical
        self.rank = rank

    @property
    def fp(self) -> Fingerprint:
        """The candidate's fingerprint."""
        if self._fp is None:
            from sitroom.record.duplicates import Fingerprint

            signature = self._signature
            if isinstance(signature, str):
                signature = base64.b64decode(signature)
            self._fp = Fingerprint(self.exact, signature)
        return self._fp


def link_batch(
    db: Database, articles: Sequence[Article], prints: Sequence[Fingerprinted]
) -> dict[str, str]:
    """Link each new (already stored) article to the canonical article it copies, write the
    links, fingerprints and band rows; id -> canonical id, in the articles' order."""
    fingerprints = [p.fp for p in prints]
    keys = [p.keys for p in prints]
    newest = _newest_stored(db, {key for article_keys in keys for key in article_keys})
    stored = _stored_candidates(db, {i for ids in newest.values() for i in ids})
    ranks = _ranks(db, [article.id for article in articles])
    batch: dict[str, _Candidate] = {}
    canonical: dict[str, str] = {}
    for article, fp, article_keys in zip(articles, fingerprints, keys, strict=True):
        found: dict[str, None] = {}
        for key in article_keys:
            under = newest.get(key)
            if under:
                found.update(dict.fromkeys(under))
        candidates = [c for i in found if (c := batch.get(i) or stored.get(i)) is not None]
        original = _original(fp, candidates)
        canonical[article.id] = original.canonical if original else article.id
        rank = original.rank if original else ranks[article.id]
        batch[article.id] = _Candidate(fp.exact, fp.signature, canonical[article.id], rank)
        # Its rows make it the newest under its keys for the articles after it.
        for key in article_keys:
            newest[key] = [article.id, *newest.get(key, ())][:KEY_CAPACITY]
    _write(db, articles, fingerprints, keys, canonical)
    return canonical


def _original(fp: Fingerprint, candidates: list[_Candidate]) -> _Candidate | None:
    """The matching candidate whose canonical article was stored first, if any matches."""
    from sitroom.record.duplicates import near_duplicates

    near = near_duplicates(fp, [c.fp for c in candidates])
    matches = [c for c, hit in zip(candidates, near, strict=True) if hit]
    return min(matches, key=lambda c: c.rank, default=None)


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
    rows = [
        (article.id, fp.exact, base64.b64encode(fp.signature).decode("ascii"))
        for article, fp in zip(articles, fingerprints, strict=True)
    ]
    # In key order, so each index page is visited once; a stable sort keeps the articles'
    # order under each key, which is all that "newest" reads.
    bands = [(key, article.id) for article, ks in zip(articles, keys, strict=True) for key in ks]
    bands.sort(key=itemgetter(0))
    db.executemany(
        "INSERT INTO article_fingerprints (article_id, exact, signature) VALUES (?, ?, ?) "
        "ON CONFLICT (article_id) DO NOTHING",
        sorted(rows),
    )
    db.executemany("INSERT INTO article_bands (key, article_id) VALUES (?, ?)", bands)


# `rowid` is the insertion order: SQLite's own, a generated column of that name in PostgreSQL.
# Under each key, the rows from the `KEY_CAPACITY`-th newest on: a walk down the key index
# from its end, never a scan of a key that thousands of articles share.
_NEWEST_SQL = {
    "sqlite": (
        "SELECT b.key, b.article_id, b.rowid FROM json_each(?) AS k "
        "JOIN article_bands b ON b.key = k.value "
        "WHERE b.rowid >= coalesce((SELECT n.rowid FROM article_bands n WHERE n.key = k.value "
        f"ORDER BY n.rowid DESC LIMIT 1 OFFSET {KEY_CAPACITY - 1}), 0)"
    ),
    "postgresql": (
        "SELECT k.key, n.article_id, n.rowid FROM unnest(?::bigint[]) AS k (key) "
        "CROSS JOIN LATERAL (SELECT b.article_id, b.rowid FROM article_bands b "
        f"WHERE b.key = k.key ORDER BY b.rowid DESC LIMIT {KEY_CAPACITY}) AS n"
    ),
}


def _newest_stored(db: Database, keys: set[int]) -> dict[int, list[str]]:
    """The newest stored articles under each key, newest first."""
    if not keys:
        return {}
    rows = sorted(db.execute(_NEWEST_SQL[db.dialect.name], (_list(db, keys),)), key=_newest_first)
    newest: dict[int, list[str]] = {}
    for key, article_id, _ in rows:
        newest.setdefault(key, []).append(article_id)
    return newest


def _newest_first(row: tuple[int, str, int]) -> tuple[int, int]:
    return row[0], -row[2]


def _stored_candidates(db: Database, article_ids: set[str]) -> dict[str, _Candidate]:
    """Stored articles' fingerprints and canonical articles; those without a fingerprint
    are no candidates."""
    if not article_ids:
        return {}
    rows = db.execute(
        "SELECT f.article_id, f.exact, f.signature, c.id, c.rowid FROM article_fingerprints f "
        "JOIN articles a ON a.id = f.article_id "
        "JOIN articles c ON c.id = COALESCE(a.canonical_id, a.id) "
        f"WHERE f.article_id {_in(db)}",
        (_list(db, article_ids),),
    )
    return {
        article_id: _Candidate(exact, signature, canonical, rank)
        for article_id, exact, signature, canonical, rank in rows
    }


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
