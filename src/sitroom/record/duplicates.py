"""Exact and near-duplicate articles: fingerprints, LSH band keys, links to a canonical article.

A duplicate is the same story republished: under another headline, trimmed, with a dateline,
banner, footer or an agency's standard paragraph added, copy-edited, or with a figure updated in
a later edition. Not duplicates: different stories that share a site blurb or a standard
paragraph, a story and its follow-up (even one opening with the first story's lede), the same
event reported independently, and bulletins from one template about other places or weeks.

Fingerprint (`fingerprint(text)`, the same in every process and on every machine):
- words: NFKC, case-folded, word characters only (spacing, quotes, punctuation vanish); digits
  are kept, since template bulletins differ mostly in their numbers while an updated figure
  touches a few shingles of a republished story. `exact` is sha256 of the words, space-joined.
- shingles: word 5-grams hashed to 64 bits (crc32 per word, combined and mixed in numpy;
  Python's `hash()` is salted per process and never used).
- `signature`: 744 bytes, little-endian u32: shingle count, lead count, the MinHash (120
  minima over the distinct shingles), then the lead: the first 64 distinct shingles in text
  order (high 32 bits), zero-padded.

Rule (`is_near_duplicate`): exact, or estimated Jaccard >= `JACCARD_THRESHOLD` (0.6: copy
edits, figures, boilerplate added to a whole story), or the leads agree
(>= `LEAD_THRESHOLD`, 0.7) and the shorter text is mostly inside the longer
(containment >= `CONTAINMENT_THRESHOLD`, 0.5; containment is derived from the Jaccard estimate
and the two shingle counts). Lead agreement is the share of one text's first 28 shingles found
among the other's first 64, in the better direction, so a dateline or banner in front of
either text does not break it. Jaccard alone cannot tell a story cut to its first third from
two short stories sharing a standard paragraph (both near 0.35-0.45 on the labelled set); the
lead can, as a copy keeps the opening and a standard paragraph sits elsewhere; containment
stops a follow-up that reuses the lede. Measured on the labelled set's dev split and on 10,000
generated articles (20 % duplicates), moving one threshold at a time: F1 is flat for Jaccard
0.5-0.8 (0.4 links template bulletins), lead 0.6-0.8 (0.5 links same-place weekly bulletins,
0.9 loses copies with an updated figure in the lede), containment 0.4-0.6 (0.3 links short
stories sharing a long standard paragraph); each chosen value sits inside its flat range.
Missed by design: a copy whose lede was rewritten and that keeps less than 60 % of the
shingles (two such rows in the labelled set).

Band keys (`Fingerprint.bands()`, 32 short strings): 24 bands of 5 minima of the whole-text
MinHash (a pair becomes a candidate with probability 0.53 at Jaccard 0.5, 0.86 at 0.6, 0.99 at
0.7, 0.06 at 0.3), then 4 bands of 2 minima over the lead's first 28 shingles (trimmed copies,
however short) and 4 over all 64 (copies with something put in front). `DuplicateIndex` keeps,
per key, the newest `KEY_CAPACITY` articles: a key shared by more is a template or boilerplate,
and copies follow a story within days. A new article is compared with those candidates only and
linked to the earliest canonical article among the ones it matches. A store does the same:
keep `signature` and one row per band key, look a new article's keys up (newest
`KEY_CAPACITY` per key), test `is_near_duplicate` against those articles, and link to the
canonical article of the earliest match.

The MinHash is written here in numpy rather than taken from `datasketch`: permutations are
multiply-mod-2^32 over well-mixed shingle hashes (measured: the same bias and spread as 64-bit
permutations, 3.5x faster), one vectorised expression per article; on the same generated texts
datasketch's `MinHash.update_batch` alone took about twice the time of this whole `fingerprint`,
and it would bring scipy along.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import unicodedata
import zlib
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "CONTAINMENT_THRESHOLD",
    "FULL_BANDS",
    "JACCARD_THRESHOLD",
    "KEY_CAPACITY",
    "LEAD_BANDS",
    "LEAD_CORE",
    "LEAD_SHINGLES",
    "LEAD_THRESHOLD",
    "PERMUTATIONS",
    "SHINGLE_WORDS",
    "SIGNATURE_BYTES",
    "DuplicateIndex",
    "Fingerprint",
    "PairScores",
    "containment",
    "evaluate_pairs",
    "fingerprint",
    "is_near_duplicate",
    "lead_similarity",
    "near_duplicates",
    "near_pairs",
    "normalise",
    "score_clusters",
    "similarity",
    "unpack_signatures",
]

SHINGLE_WORDS = 5
PERMUTATIONS = 120
FULL_BANDS = 24
LEAD_SHINGLES = 64
LEAD_CORE = 28
LEAD_BANDS = 8
LEAD_ROWS = 2
CORE_BANDS = 4

JACCARD_THRESHOLD = 0.6
LEAD_THRESHOLD = 0.7
CONTAINMENT_THRESHOLD = 0.5

# Per band key, a lookup answers the newest articles only: a key shared by more articles than
# this is a template or boilerplate, and copies of a story follow it within days.
KEY_CAPACITY = 8

_U64 = npt.NDArray[np.uint64]
_U32 = npt.NDArray[np.uint32]
_TOKEN = re.compile(r"\w+")
_HEADER = 2  # u32 words before the MinHash: shingle count, lead count
_EMPTY = 0xFFFFFFFF


def _constants(label: str, count: int) -> _U64:
    """`count` odd 64-bit constants from sha256: the same on every machine and in every process."""
    digests = (hashlib.sha256(f"sitroom-{label}-{i}".encode()).digest() for i in range(count))
    return np.array([int.from_bytes(d[:8], "little") | 1 for d in digests], dtype=np.uint64)


_POSITION = _constants("shingle-position", SHINGLE_WORDS)
_PERM_A = (_constants("minhash-a", PERMUTATIONS) >> np.uint64(32)).astype(np.uint32) | np.uint32(1)
_PERM_B = (_constants("minhash-b", PERMUTATIONS) >> np.uint64(32)).astype(np.uint32)
#: One keyed blake2b per band, copied for each key: a copy costs a third less than a new one.
_BAND_HASHERS = [
    hashlib.blake2b(digest_size=8, salt=i.to_bytes(16, "little"))
    for i in range(FULL_BANDS + LEAD_BANDS)
]
_SIGNATURE_WORDS = _HEADER + PERMUTATIONS + LEAD_SHINGLES
#: The length of `Fingerprint.signature`.
SIGNATURE_BYTES = 4 * _SIGNATURE_WORDS


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup keeps of an article: a hash of its normalised text and a packed signature."""

    exact: str
    signature: bytes = field(repr=False)
    # Band keys as integers, computed once: a worker that fingerprints can pay for them.
    _keys: tuple[int, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def bands(self) -> tuple[str, ...]:
        """LSH band keys: articles sharing any key are candidate near duplicates."""
        return tuple(f"{key:016x}" for key in self.band_hashes())

    def band_hashes(self) -> tuple[int, ...]:
        """The band keys as 64-bit integers (`bands()` is their hex form)."""
        if self._keys is None:
            object.__setattr__(self, "_keys", tuple(_band_keys(self.signature)))
        assert self._keys is not None
        return self._keys


def normalise(text: str) -> list[str]:
    """The words of `text`: Unicode-compatible, case-folded, without punctuation or spacing."""
    if text.isascii():
        return _TOKEN.findall(text.lower())
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of an article's text; the same on every machine and in every process."""
    words = normalise(text)
    exact = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
    ordered = _shingle_hashes(words)
    # One sort gives both the distinct shingles and where each first occurs.
    distinct, first = np.unique(ordered, return_index=True)
    lead = _lead(ordered, first)
    header = np.array([len(distinct), np.count_nonzero(lead)], dtype=np.uint32)
    packed = np.concatenate([header, _minhash(distinct, PERMUTATIONS), lead])
    return Fingerprint(exact=exact, signature=packed.astype("<u4").tobytes())


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """The estimated Jaccard similarity of the two articles' shingle sets."""
    if a.exact == b.exact:
        return 1.0
    return float(_jaccard_containment(*_pair(a, b))[0][0])


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """The estimated share of the smaller article's shingles that the larger one also has."""
    if a.exact == b.exact:
        return 1.0
    return float(_jaccard_containment(*_pair(a, b))[1][0])


def lead_similarity(a: Fingerprint, b: Fingerprint) -> float:
    """The share of one lead's first shingles found near the start of the other, at best."""
    return float(_lead_overlap(*_pair(a, b))[0])


def is_near_duplicate(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether two articles are the same story (the rule is in the module docstring)."""
    return a.exact == b.exact or bool(_near(*_pair(a, b))[0])


def near_duplicates(fp: Fingerprint, others: Sequence[Fingerprint]) -> list[bool]:
    """Which of `others` the fingerprinted article is the same story as: `is_near_duplicate`
    against each, in one vectorised comparison."""
    if not others:
        return []
    rows = unpack_signatures(b"".join(other.signature for other in others), len(others))
    near = _near(_unpack(fp.signature), rows)
    return [fp.exact == other.exact or bool(hit) for other, hit in zip(others, near, strict=True)]


def _pair(a: Fingerprint, b: Fingerprint) -> tuple[_U32, _U32]:
    return _unpack(a.signature)[None, :], _unpack(b.signature)[None, :]


def near_pairs(left: _U32, right: _U32) -> npt.NDArray[np.bool_]:
    """Whether each row of `left` is the same story as the same row of `right` (unpacked
    signatures, `unpack_signatures`): the rule of `is_near_duplicate`, all but the exact
    hashes, which the caller compares."""
    jaccard, contained = _jaccard_containment(left, right)
    near: npt.NDArray[np.bool_] = jaccard >= JACCARD_THRESHOLD
    # The lead is the dearest feature: only rows that containment leaves open need it.
    open_rows = ~near & (contained >= CONTAINMENT_THRESHOLD)
    if open_rows.any():
        near[open_rows] = _lead_overlap(left[open_rows], right[open_rows]) >= LEAD_THRESHOLD
    return near


def unpack_signatures(signatures: bytes, count: int) -> _U32:
    """`count` packed signatures laid end to end, one row each."""
    if len(signatures) != count * 4 * _SIGNATURE_WORDS:
        raise ValueError(
            f"signatures of {len(signatures)} bytes for {count} fingerprints, expected "
            f"{4 * _SIGNATURE_WORDS} each: made by another version of "
            "sitroom.record.duplicates; fingerprint the texts again"
        )
    rows: _U32 = np.frombuffer(signatures, dtype="<u4").astype(np.uint32)
    return rows.reshape(count, _SIGNATURE_WORDS)


def _near(signature: _U32, rows: _U32) -> npt.NDArray[np.bool_]:
    """The decision rule of the module docstring, for one signature against many rows."""
    return near_pairs(np.broadcast_to(signature, rows.shape), rows)


def _jaccard_containment(
    left: _U32, right: _U32
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Estimated Jaccard similarity and containment of each row against the same row."""
    minhash = slice(_HEADER, _HEADER + PERMUTATIONS)
    jaccard = np.count_nonzero(left[:, minhash] == right[:, minhash], axis=1) / PERMUTATIONS
    sizes = right[:, 0].astype(np.float64)
    size = left[:, 0].astype(np.float64)
    # |A & B| = J (|A| + |B|) / (1 + J), from the definition of J.
    shared = jaccard * (sizes + size) / (1.0 + jaccard)
    contained = np.minimum(1.0, shared / np.maximum(np.minimum(sizes, size), 1.0))
    return jaccard, contained


def _lead_overlap(left: _U32, right: _U32) -> npt.NDArray[np.float64]:
    """How much of one lead's core is found in the other's lead window, the better direction,
    row by row.

    The core (first `LEAD_CORE` shingles) looked up in the window (first `LEAD_SHINGLES`)
    survives a dateline, byline or banner put in front of either text.
    """
    lead = slice(_HEADER + PERMUTATIONS, _SIGNATURE_WORDS)
    ours, theirs = left[:, lead], right[:, lead]
    our_core, their_core = ours[:, :LEAD_CORE], theirs[:, :LEAD_CORE]
    # Windows are zero-padded and no shingle is 0 (`_lead`), so padding is never found.
    ours_in_theirs = (
        (our_core[:, :, None] == theirs[:, None, :]).any(axis=2) & (our_core != 0)
    ).sum(axis=1)
    theirs_in_ours = (
        (their_core[:, :, None] == ours[:, None, :]).any(axis=2) & (their_core != 0)
    ).sum(axis=1)
    our_core_size = np.minimum(left[:, 1], LEAD_CORE)
    their_core_size = np.maximum(np.minimum(right[:, 1], LEAD_CORE), 1)
    overlap: npt.NDArray[np.float64] = np.maximum(
        ours_in_theirs / np.maximum(our_core_size, 1), theirs_in_ours / their_core_size
    )
    # Two empty leads agree; an empty one agrees with no other.
    empty = np.where(right[:, 1] == 0, 1.0, 0.0)
    return np.where(our_core_size == 0, empty, overlap)


class DuplicateIndex:
    """In-memory index linking each new article to the canonical article it duplicates.

    Adding an article looks its band keys up (a binary search in sorted arrays plus a small
    buffer) and compares it with the articles found there only, all at once: never a scan.
    Re-adding an id changes nothing and answers as the first time.
    """

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._ordinals: dict[str, int] = {}
        self._canonical = array("q")
        self._exact: dict[int, int] = {}
        self._signatures = _SignatureStore()
        self._keys = _KeyIndex()

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: str, fp: Fingerprint) -> str | None:
        """Index an article; return the canonical id it duplicates, or None if it is new."""
        ordinal = self._ordinals.get(article_id)
        if ordinal is None:
            ordinal = self._insert(article_id, fp)
        canonical = self._canonical[ordinal]
        return None if canonical == ordinal else self._ids[canonical]

    def canonical_of(self, article_id: str) -> str:
        """The canonical id of an indexed article (itself if it duplicates no earlier one)."""
        return self._ids[self._canonical[self._ordinals[article_id]]]

    def _insert(self, article_id: str, fp: Fingerprint) -> int:
        ordinal = len(self._ids)
        signature = _unpack(fp.signature)
        # The first 128 bits of sha256 identify a text well enough, in a third of the memory.
        exact = int(fp.exact[:32], 16)
        candidates = self._keys.find_and_add(fp.band_hashes(), ordinal)
        match = self._exact.get(exact)
        if match is None and candidates:
            match = self._first_match(signature, candidates)
        self._ids.append(article_id)
        self._ordinals[article_id] = ordinal
        self._canonical.append(ordinal if match is None else self._canonical[match])
        self._exact.setdefault(exact, ordinal)
        self._signatures.append(signature)
        return ordinal

    def _first_match(self, signature: _U32, candidates: list[int]) -> int | None:
        """The candidate with the earliest canonical article among those the new one matches."""
        ordinals = np.array(sorted(set(candidates)), dtype=np.int64)
        near = _near(signature, self._signatures.rows(ordinals))
        if not near.any():
            return None
        matched: list[int] = ordinals[near].tolist()
        return min(self._canonical[ordinal] for ordinal in matched)


class _SignatureStore:
    """Unpacked signatures, one row each, in an array that doubles when full."""

    def __init__(self) -> None:
        self._rows: _U32 = np.empty((1024, _SIGNATURE_WORDS), dtype=np.uint32)
        self._count = 0

    def append(self, signature: _U32) -> None:
        if self._count == len(self._rows):
            grown = np.empty((2 * len(self._rows), _SIGNATURE_WORDS), dtype=np.uint32)
            grown[: self._count] = self._rows
            self._rows = grown
        self._rows[self._count] = signature
        self._count += 1

    def rows(self, ordinals: npt.NDArray[np.int64]) -> _U32:
        """The signatures of `ordinals`, one row each."""
        return self._rows[ordinals]


class _KeyIndex:
    """A multimap from 64-bit band keys to article ordinals: sorted arrays plus a recent buffer.

    Recent entries sit in a dict (and in two flat arrays for merging); every `MERGE_EVERY`
    entries they are merged into the sorted arrays in one linear pass, so memory stays at 12
    bytes an entry and a lookup is a binary search whatever the size. A lookup answers the
    newest `KEY_CAPACITY` articles of each key.
    """

    MERGE_EVERY = 1 << 19
    _BACK = np.arange(1, KEY_CAPACITY + 1)[None, :]

    def __init__(self) -> None:
        self._keys: _U64 = np.zeros(0, dtype=np.uint64)
        self._values: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._recent: dict[int, tuple[int, ...]] = {}
        self._recent_keys = array("Q")
        self._recent_values = array("l")

    def find_and_add(self, keys: Sequence[int], ordinal: int) -> list[int]:
        """The newest ordinals under each of `keys`; then `ordinal` is added under each."""
        found: list[int] = []
        older: list[int] = []  # keys with room left for entries from the sorted arrays
        for key in keys:
            recent = self._recent.get(key)
            if recent is None:
                self._recent[key] = (ordinal,)
                older.append(key)
            else:
                found += recent
                if len(recent) < KEY_CAPACITY:
                    older.append(key)
                # Tuples of ints, unlike lists, drop out of the garbage collector's sight.
                self._recent[key] = (*recent[1 - KEY_CAPACITY :], ordinal)
        if older and len(self._keys):
            # Sorted needles let each binary search start where the previous one ended.
            found += self._stored(np.sort(np.array(older, dtype=np.uint64)))
        self._recent_keys.extend(keys)
        self._recent_values.extend([ordinal] * len(keys))
        if len(self._recent_keys) >= self.MERGE_EVERY:
            self._merge()
        return found

    def _stored(self, wanted: _U64) -> list[int]:
        # Entries of a key are contiguous and oldest first: the newest end where the key ends.
        ends = np.searchsorted(self._keys, wanted, side="right")
        slots = np.maximum(ends[:, None] - self._BACK, 0)
        hits = self._keys[slots] == wanted[:, None]
        found: list[int] = self._values[slots[hits]].tolist()
        return found

    def _merge(self) -> None:
        keys = np.frombuffer(self._recent_keys, dtype=np.uint64)
        values = np.frombuffer(self._recent_values, dtype=np.int64).astype(np.int32)
        # Stable, so entries of one key stay oldest first; placed after equal older keys.
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        at = np.searchsorted(self._keys, keys, side="right")
        self._keys = np.insert(self._keys, at, keys)
        self._values = np.insert(self._values, at, values[order])
        del order
        self._recent.clear()
        self._recent_keys = array("Q")
        self._recent_values = array("l")


@dataclass(frozen=True, slots=True)
class PairScores:
    """Pairwise precision, recall and F1 of a predicted clustering against the gold one."""

    items: int
    gold_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        """Correct pairs among predicted ones (1.0 when nothing is predicted)."""
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """Correct pairs among gold ones (1.0 when there are none)."""
        return self.correct_pairs / self.gold_pairs if self.gold_pairs else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def row(self, count: str = "items") -> dict[str, int | float]:
        """The scores as a table row, the number of clustered items under `count`."""
        return {
            count: self.items,
            "goldPairs": self.gold_pairs,
            "P": round(self.precision, 4),
            "R": round(self.recall, 4),
            "F1": round(self.f1, 4),
        }


def evaluate_pairs(path: Path | str, *, split: str | None = None) -> PairScores:
    """Score `DuplicateIndex` on a labelled JSONL set (id, published, title, text, duplicate_of).

    Articles are added in publication order (then by id), as a store would receive them.
    `split` keeps only the rows whose `split` field has that value (the shipped set has `dev`,
    used to choose the thresholds, and `test`, written afterwards and scored once).
    """
    rows = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line]
    rows = [row for row in rows if split is None or row.get("split") == split]
    rows.sort(key=lambda row: (str(row.get("published") or ""), str(row["id"])))
    index = DuplicateIndex()
    predicted = {}
    for row in rows:
        article_id = str(row["id"])
        predicted[article_id] = index.add(article_id, fingerprint(str(row["text"]))) or article_id
    gold = {str(row["id"]): str(row.get("duplicate_of") or row["id"]) for row in rows}
    return score_clusters(predicted, _roots(gold))


def score_clusters(predicted: Mapping[str, str], gold: Mapping[str, str]) -> PairScores:
    """Pairwise scores of two clusterings, each given as article id -> cluster id."""
    predicted_pairs, gold_pairs = _pairs(predicted), _pairs(gold)
    return PairScores(
        items=len(gold),
        gold_pairs=len(gold_pairs),
        predicted_pairs=len(predicted_pairs),
        correct_pairs=len(predicted_pairs & gold_pairs),
    )


def _roots(parent: Mapping[str, str]) -> dict[str, str]:
    """Follow `duplicate_of` chains to the first article of each cluster."""
    roots = {}
    for article_id in parent:
        root, seen = article_id, {article_id}
        while parent.get(root, root) != root and parent[root] not in seen:
            root = parent[root]
            seen.add(root)
        roots[article_id] = root
    return roots


def _pairs(clusters: Mapping[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = {}
    for article_id, cluster in clusters.items():
        bisect.insort(members.setdefault(cluster, []), article_id)
    return {(a, b) for ids in members.values() for i, a in enumerate(ids) for b in ids[i + 1 :]}


class _WordHashes(dict[str, int]):
    """crc32 of each word met, computed once: most words of news recur from article to article,
    and a dict lookup through `map` costs half of an encode and a crc32 per word."""

    #: Words kept before starting over: a few tens of MB at most, for texts of any vocabulary.
    LIMIT = 200_000

    def __missing__(self, word: str) -> int:
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


_WORD_HASHES = _WordHashes()


def _shingle_hashes(words: list[str]) -> _U64:
    """64-bit hashes of the word `SHINGLE_WORDS`-grams in text order (one if fewer words)."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    tokens = np.fromiter(map(_WORD_HASHES.__getitem__, words), np.uint64, len(words))
    width = min(SHINGLE_WORDS, len(words))
    count = len(words) - width + 1
    hashes = tokens[:count] * _POSITION[0]
    for offset in range(1, width):
        hashes += tokens[offset : offset + count] * _POSITION[offset]
    return _mix(hashes)


def _mix(values: _U64) -> _U64:
    """splitmix64's finaliser: every input bit reaches every output bit."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _minhash(shingles: _U64, permutations: int) -> _U32:
    """The minimum of each multiply-mod-2^32 permutation over the shingles' high 32 bits."""
    if len(shingles) == 0:
        return np.full(permutations, _EMPTY, dtype=np.uint32)
    high = (shingles >> np.uint64(32)).astype(np.uint32)
    permuted = np.multiply.outer(high, _PERM_A[:permutations])
    permuted += _PERM_B[:permutations]  # in place: one shingles-by-permutations array, not two
    minima: _U32 = permuted.min(axis=0)
    return minima


def _lead(ordered: _U64, first: npt.NDArray[np.intp]) -> _U32:
    """The high 32 bits of the first `LEAD_SHINGLES` distinct shingles, in text order, 0-padded;
    `first` is where each distinct shingle first occurs."""
    lead = (ordered[np.sort(first)[:LEAD_SHINGLES]] >> np.uint64(32)).astype(np.uint32)
    lead = lead[lead != 0]  # 0 pads; a real 0 is a 2^-32 chance and only drops a shingle
    return np.concatenate([lead, np.zeros(LEAD_SHINGLES - len(lead), dtype=np.uint32)])


def _unpack(signature: bytes) -> _U32:
    if len(signature) != 4 * _SIGNATURE_WORDS:
        raise ValueError(
            f"signature of {len(signature)} bytes, expected {4 * _SIGNATURE_WORDS}: "
            "made by another version of sitroom.record.duplicates; fingerprint the text again"
        )
    values: _U32 = np.frombuffer(signature, dtype="<u4").astype(np.uint32)
    return values


def _lead_values(signature: _U32) -> _U32:
    start = _HEADER + PERMUTATIONS
    return signature[start : start + int(signature[1])]


def _band_keys(signature: bytes) -> list[int]:
    """One 64-bit key per band: the whole-text bands, then the lead bands."""
    window = _lead_values(_unpack(signature)).astype(np.uint64) << np.uint64(32)
    # Core bands find trimmed copies however short; window bands survive a banner in front.
    core_rows, window_rows = CORE_BANDS * LEAD_ROWS, (LEAD_BANDS - CORE_BANDS) * LEAD_ROWS
    lead_minima = np.concatenate(
        [
            _minhash(window[:LEAD_CORE], core_rows),
            _minhash(window, core_rows + window_rows)[core_rows:],
        ]
    )
    lead = lead_minima.astype("<u4").tobytes()
    full_width, lead_width = 4 * PERMUTATIONS // FULL_BANDS, 4 * LEAD_ROWS
    start = 4 * _HEADER
    bands = [
        signature[start + i * full_width : start + (i + 1) * full_width] for i in range(FULL_BANDS)
    ]
    bands += [lead[i * lead_width : (i + 1) * lead_width] for i in range(LEAD_BANDS)]
    # blake2b of a few bytes costs less than a numpy call, and the band number salts each key.
    keys = []
    for hasher, band in zip(_BAND_HASHERS, bands, strict=True):
        band_hasher = hasher.copy()
        band_hasher.update(band)
        keys.append(int.from_bytes(band_hasher.digest(), "little"))
    return keys
