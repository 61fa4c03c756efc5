"""Where and when a figure holds: the place and period of its clause, from the document's layers.

The *write* half of the figures layer: `write_figures` ties each candidate found in the text
to the document's resolved places and times and builds the `model.Figure` records.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from sitroom.extract.text import Document, SpanIndex
from sitroom.model import Figure, PlaceBasis, PlaceMention, Span, TimeMention, Window

if TYPE_CHECKING:
    from sitroom.extract.figures import FigureCandidate

__all__ = ["write_figures"]

_SINCE_RE = re.compile(r"\bsince\b")
_PLACE_RANK = {"city": 0, "village": 0, "admin2": 1, "admin1": 2, "region": 2, "country": 3}


def write_figures(doc: Document, candidates: Sequence[FigureCandidate]) -> tuple[Figure, ...]:
    """`model.Figure` records for the candidates, with the place and period of their clause."""
    if not candidates:
        return ()
    scopes = _Scopes(doc)
    article_id, text = doc.article.id, doc.text
    figures = []
    for c in candidates:
        places, times = scopes.facts_of(c.sentence)
        place_id, basis = _place_for(c, places) if places else scopes.unplaced(c.sentence)
        figures.append(
            Figure(
                article_id=article_id,
                span=c.span,
                text=text[c.span.start : c.span.end],
                value=c.value,
                qualifier=c.qualifier,
                unit=c.unit,
                measure=c.measure,
                sentence=c.sentence,
                low=c.low,
                high=c.high,
                place_id=place_id,
                period=_period_for(doc, c, times, scopes) if times else None,
                source=c.source,
                vague=c.vague,
                place_basis=basis,
            )
        )
    return tuple(figures)


class _Facts(NamedTuple):
    """A sentence's resolved places and its times."""

    places: list[PlaceMention]
    times: list[TimeMention]


_NO_FACTS = _Facts([], [])
_NO_PLACE: tuple[str | None, PlaceBasis | None] = (None, None)


class _Scopes:
    """The resolved places and the times of each sentence, found once per sentence.

    An article's figures share few sentences: each sentence's facts are looked up the first
    time a figure asks, and a clause's are picked from its sentence's few. Keys are plain
    offsets: hashing a `Span` runs Python code.
    """

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        places = [p for p in doc.places if p.place is not None]
        times = [t for t in doc.times if t.window is not None]
        self._places = SpanIndex(places) if places else None
        self._times = SpanIndex(times) if times else None
        self._facts: dict[tuple[int, int], _Facts] = {}
        self._reporting: dict[int, bool] = {}
        self._focus: tuple[str | None, PlaceBasis | None] | None = None
        self._named: SpanIndex[PlaceMention] | None = None

    def unplaced(self, sentence: Span) -> tuple[str | None, PlaceBasis | None]:
        """The place of a figure whose sentence has no resolved place: the article's focus.

        Not when the sentence names a place the gazetteer could not resolve: the figure is
        about that place, and the focus would put it somewhere else.
        """
        if self._named is None:
            self._named = SpanIndex(list(self._doc.places))
        if self._named.within(sentence):
            return _NO_PLACE
        if self._focus is None:
            self._focus = _article_focus(self._doc)
        return self._focus

    def facts_of(self, sentence: Span) -> _Facts:
        """The sentence's places and times, looked up the first time a figure asks."""
        key = (sentence.start, sentence.end)
        facts = self._facts.get(key)
        if facts is None:
            facts = self._facts[key] = self._find(sentence)
        return facts

    def _find(self, sentence: Span) -> _Facts:
        if self._places is None and self._times is None:
            return _NO_FACTS
        places = self._places.within(sentence) if self._places is not None else []
        times = self._times.within(sentence) if self._times is not None else []
        return _Facts(places, times)

    def is_reporting(self, time: TimeMention) -> bool:
        """Whether the time is when someone spoke ("said on Monday"), asked once per time."""
        known = self._reporting.get(time.span.start)
        if known is None:
            known = self._reporting[time.span.start] = _is_reporting_time(self._doc, time)
        return known


_Fact = TypeVar("_Fact", PlaceMention, TimeMention)


def _part(found: list[_Fact], scope: Span, sentence: Span) -> list[_Fact]:
    """Those of a sentence's facts that lie inside `scope`, a part of it."""
    if not found or (scope.start == sentence.start and scope.end == sentence.end):
        return found
    return [f for f in found if scope.start <= f.span.start and f.span.end <= scope.end]


def _place_for(
    candidate: FigureCandidate, places: list[PlaceMention]
) -> tuple[str | None, PlaceBasis | None]:
    """The most specific, then nearest, resolved place of the clause, else of the sentence.

    `places` are the sentence's.
    """
    in_clause = _part(places, candidate.clause, candidate.sentence)
    found = in_clause or places
    best = found[0]
    if len(found) > 1:
        best = min(found, key=lambda p: _place_key(p, candidate.span))
    if best.place is None:
        return _NO_PLACE
    return best.place.id, "clause" if in_clause else "sentence"


def _article_focus(doc: Document) -> tuple[str | None, PlaceBasis | None]:
    """The resolved place the article names most often, the first named among equals.

    A figure in a sentence without a place ("Some 2,000 families have fled since Monday")
    most likely counts where the article is about; the basis says it was inferred.
    """
    counts = Counter(p.place.id for p in doc.places if p.place is not None)
    if not counts:
        return _NO_PLACE
    most = max(counts.values())
    first = next(
        p.place.id for p in doc.places if p.place is not None and counts[p.place.id] == most
    )
    return first, "article"


def _place_key(mention: PlaceMention, span: Span) -> tuple[int, int]:
    kind = mention.place.kind if mention.place is not None else ""
    return _PLACE_RANK.get(kind, 2), _distance(mention.span, span)


def _distance(a: Span, b: Span) -> int:
    return max(0, a.start - b.end, b.start - a.end)


def _period_for(
    doc: Document, candidate: FigureCandidate, times: list[TimeMention], scopes: _Scopes
) -> Window | None:
    """The nearest time's window in the clause, else the sentence; "since X" ends at publication.

    `times` are the sentence's. The day a source spoke ("the UN said on Monday that ...")
    dates the statement, not the count: such a time is used only when the scope has no other,
    which matters only where the scope has several.
    """
    scope = candidate.clause
    found = _part(times, scope, candidate.sentence)
    if not found:
        scope, found = candidate.sentence, times
    if len(found) > 1:
        found = [t for t in found if not scopes.is_reporting(t)] or found
    time = found[0]
    if len(found) > 1:
        time = min(found, key=lambda t: _distance(t.span, candidate.span))
    return _extend_since(doc, scope, time)


_REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|say|reported|reports|announced|stated|added|told\s+\w+(?:\s+\w+)?)"
    r"(?:\s+(?:on|late|early|late on|earlier on))?\s*$"
)


# Words `_REPORTING_BEFORE` cannot match without: most times follow none of them.
_REPORTING_WORDS = ("sa", "report", "announced", "stated", "added", "told")


def _is_reporting_time(doc: Document, time: TimeMention) -> bool:
    """Whether the time is when someone said something: "said on Monday", "told AFP Monday"."""
    before = doc.lowered[max(0, time.span.start - 30) : time.span.start]
    if not any(word in before for word in _REPORTING_WORDS):
        return False
    return _REPORTING_BEFORE.search(before) is not None


def _extend_since(doc: Document, scope: Span, time: TimeMention) -> Window | None:
    window = time.window
    if window is None:
        return None
    lowered = doc.lowered[max(scope.start, time.span.start - 80) : time.span.end]
    if "since" not in lowered or _SINCE_RE.search(lowered) is None:
        return window
    published = doc.article.published
    if published is None or published < window.start:
        return window
    return Window(window.start, max(published, window.end))
