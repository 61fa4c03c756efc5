"""Where and when a figure holds: the place and period of its clause, from the document's layers.

The *write* half of the figures layer: `write_figures` ties each candidate found in the text
to the document's resolved places and times and builds the `model.Figure` records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sitroom.extract.text import Document, SpanIndex
from sitroom.model import Figure, PlaceMention, Span, TimeMention, Window

if TYPE_CHECKING:
    from sitroom.extract.figures import FigureCandidate

__all__ = ["write_figures"]

_SINCE_RE = re.compile(r"\bsince\b")
_PLACE_RANK = {"city": 0, "village": 0, "admin2": 1, "admin1": 2, "region": 2, "country": 3}


def write_figures(doc: Document, candidates: Sequence[FigureCandidate]) -> tuple[Figure, ...]:
    """`model.Figure` records for the candidates, with the place and period of their clause."""
    places = SpanIndex([p for p in doc.places if p.place is not None])
    times = SpanIndex([t for t in doc.times if t.window is not None])
    reporting: dict[Span, bool] = {}
    return tuple(_figure(doc, c, places, times, reporting) for c in candidates)


def _figure(
    doc: Document,
    candidate: FigureCandidate,
    places: SpanIndex[PlaceMention],
    times: SpanIndex[TimeMention],
    reporting: dict[Span, bool],
) -> Figure:
    return Figure(
        article_id=doc.article.id,
        span=candidate.span,
        text=candidate.span.of(doc.text),
        value=candidate.value,
        qualifier=candidate.qualifier,
        unit=candidate.unit,
        measure=candidate.measure,
        sentence=candidate.sentence,
        low=candidate.low,
        high=candidate.high,
        place_id=_place_for(candidate, places),
        period=_period_for(doc, candidate, times, reporting),
        source=candidate.source,
        vague=candidate.vague,
    )


def _place_for(candidate: FigureCandidate, places: SpanIndex[PlaceMention]) -> str | None:
    """The most specific, then nearest, resolved place of the clause, else of the sentence."""
    for scope in (candidate.clause, candidate.sentence):
        found = places.within(scope)
        if found:
            best = min(found, key=lambda p: _place_key(p, candidate.span))
            return best.place.id if best.place is not None else None
    return None


def _place_key(mention: PlaceMention, span: Span) -> tuple[int, int]:
    kind = mention.place.kind if mention.place is not None else ""
    return _PLACE_RANK.get(kind, 2), _distance(mention.span, span)


def _distance(a: Span, b: Span) -> int:
    return max(0, a.start - b.end, b.start - a.end)


def _period_for(
    doc: Document,
    candidate: FigureCandidate,
    times: SpanIndex[TimeMention],
    reporting: dict[Span, bool],
) -> Window | None:
    """The nearest time's window in the clause, else the sentence; "since X" ends at publication.

    The day a source spoke ("the UN said on Monday that ...") dates the statement, not the
    count: such a time is used only when the sentence has no other. `reporting` remembers
    which times are such, for the article's other figures.
    """
    for scope in (candidate.clause, candidate.sentence):
        found = times.within(scope)
        counted = [t for t in found if not _is_reporting_time(doc, t, reporting)]
        found = counted or found
        if found:
            time = min(found, key=lambda t: _distance(t.span, candidate.span))
            return _extend_since(doc, scope, time)
    return None


_REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|say|reported|reports|announced|stated|added|told\s+\w+(?:\s+\w+)?)"
    r"(?:\s+(?:on|late|early|late on|earlier on))?\s*$"
)


def _is_reporting_time(doc: Document, time: TimeMention, seen: dict[Span, bool]) -> bool:
    """Whether the time is when someone said something: "said on Monday", "told AFP Monday"."""
    known = seen.get(time.span)
    if known is None:
        before = doc.lowered[max(0, time.span.start - 30) : time.span.start]
        known = seen[time.span] = _REPORTING_BEFORE.search(before) is not None
    return known


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
