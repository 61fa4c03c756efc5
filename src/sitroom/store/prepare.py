"""Batches prepared for storing where they were extracted: what `add` computes from each
article alone (its fingerprint and band keys), computed ahead so the writes, which run one
batch at a time, only write.

A Dask worker extracts a batch and prepares it (`prepare_batch`); the store that writes it
(the client's, or a worker's) then skips that work. A `PreparedBatch` is a list of
extractions, so anything that takes extractions takes it; a store that knows nothing of it
computes the same values itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitroom.model import Extraction
from sitroom.store.links import Fingerprinted, fingerprinted

__all__ = ["PreparedBatch", "prepare_batch"]


class PreparedBatch(list[Extraction]):
    """Extractions, with each article's fingerprint and band keys by article id."""

    def __init__(self, extractions: Iterable[Extraction], prints: dict[str, Fingerprinted]) -> None:
        super().__init__(extractions)
        self.prints = prints


def prepare_batch(extractions: Iterable[Extraction]) -> PreparedBatch:
    """The extractions with their articles' fingerprints taken: the CPU-bound half of linking."""
    batch = list(extractions)
    return PreparedBatch(batch, {e.article.id: fingerprinted(e.article.text) for e in batch})
