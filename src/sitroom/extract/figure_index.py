"""What the figure finder matches once over a text, looked up by offset with `bisect`.

Numbers and "no casualties" phrases are found in the whole text; measure triggers, clause
breaks and reporting cues only in windows around them, since they matter nowhere else.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple, Protocol

from sitroom.extract.figure_lexicon import MEASURE_TRIGGERS, MeasureTrigger
from sitroom.extract.figure_sources import CUE_PATTERN, resolve_cue
from sitroom.extract.numbers import NumberMatch, find_numbers
from sitroom.extract.prefix_guard import HintedPattern, TwinPattern, guarded
from sitroom.extract.text import lower_same_length
from sitroom.model import Sentence, Span

__all__ = ["WINDOW", "WORD_RE", "FigureIndex", "TriggerHit"]

# Text copied out of PDFs loses spaces at line ends ("people weredisplacedabout 4,400"): a
# trigger may also touch one of these common words before it ...
_GLUED_BEFORE = r"(?:(?P<glued>were|was|had|have|been|newly|new|still|seek)(?=[a-z]))?"
# ... or after it: "sheltersfollowing the quake".
_GLUED_AFTER = "about|around|nearly|more|than|people|from|over|following|after|because|due|during"
_TRIGGER_ALTERNATIVES = (
    "(?:"
    + "|".join(f"(?:{t.pattern})(?P<t{i}>)" for i, t in enumerate(MEASURE_TRIGGERS))
    + rf")(?:\b|(?={_GLUED_AFTER}))"
)
# Triggers and reporting cues are found in one pass over the windows: a quarter faster than two.
# The guard covers the glued words too, so that a word starting neither is turned away at once.
_TRIGGER_OR_CUE_RE = TwinPattern(
    r"\b" + guarded(_GLUED_BEFORE + f"(?:(?P<cue>{CUE_PATTERN})|{_TRIGGER_ALTERNATIVES})")
)
# "fledShirqat": a capital inside a word shows where a lost space was. The capital comes
# first so that the engine skips fast to capitals, which are few.
_CAPITAL_SEAM_RE = re.compile(r"[A-Z](?<=[a-z][A-Z])")
_SEAM_TRIGGER_RE = re.compile(
    "|".join(f"(?:{t.pattern})(?P<t{i}>)" for i, t in enumerate(MEASURE_TRIGGERS))
)
_WORD_TAIL_RE = re.compile(r"[a-z]+$")
_TRIGGER_OF_GROUP = {f"t{i}": trigger for i, trigger in enumerate(MEASURE_TRIGGERS)}

_CLAUSE_BREAK_RE = HintedPattern(
    r";|:\s|\s[-\u2013\u2014]\s|,\s+(?:and|but|while|whereas|although|though|as|after|before"
    r"|when)\b|\s(?:while|whereas|but)\s"
)
WORD_RE = re.compile(r"[a-z0-9']+")
_WRAPPED_RE = re.compile(r"[\w,]\s*\n\s*[a-z(]")
# Led by a line break, so that a text with none of them is passed over fast.
_LINE_GOES_ON_RE = re.compile(r"\n\s*[a-z(]")
#: How far around a number its clause, triggers and cues are looked for.
WINDOW = 200
# A reporting cue this few words from the sentence end attributes the whole sentence.
_TAIL = 2

_ZERO_RE = re.compile(
    r"(?=[nwz])(?:\b(?:no|zero)\s+(?:(?:immediate|reported|known|civilian|human|further|other|serious)\s+)*"
    r"(?:(?P<killed>casualties|deaths|fatalities|dead)|(?P<injured>injuries))\b"
    r"|\bno\s+(?:immediate\s+)?reports?\s+of\s+(?:(?P<killed2>casualties|deaths)|(?P<injured2>injuries))\b"
    r"|\b(?:no\s+one|nobody|none)\s+(?:was|were|has\s+been|had\s+been|have\s+been)\s+"
    r"(?:(?P<killed3>killed|harmed)|(?P<injured3>hurt|injured|wounded))\b"
    r"|\bwithout\s+(?:any\s+)?(?P<killed4>casualties)\b)"
)


class TriggerHit(NamedTuple):
    """A measure trigger's words in the text (a tuple: thousands are made per article)."""

    start: int
    end: int
    trigger: MeasureTrigger


class FigureIndex:
    """Everything matched once over the whole text, looked up by offset with `bisect`."""

    def __init__(
        self, text: str, sentences: Sequence[Sentence], *, lowered: str | None = None
    ) -> None:
        """Index `text` (folded); `lowered` is `lower_same_length(text)` when the caller has it.

        Passing the document's own lowered text spares a copy, and lets the patterns reuse
        what they learnt about it (whether it is ASCII).
        """
        self.text = text
        self.lowered = lower_same_length(text) if lowered is None else lowered
        self.numbers = find_numbers(text, lowered=self.lowered)
        self.number_starts = [n.start for n in self.numbers]
        self.zeros = _find_zeros(self.lowered)
        self.sentences = _unwrapped(text, sentences)
        self.sentence_starts = [s.span.start for s in self.sentences]
        # Triggers, breaks and cues matter only near a number and in its sentence: most of a
        # text is never scanned.
        offsets = [n.start for n in self.numbers] + [m.start() for m in self.zeros]
        sentences_of = [self.sentence_at(offset) for offset in offsets]
        #: The sentence of each number (None outside any), in the order of `numbers`.
        self.number_sentences = sentences_of[: len(self.numbers)]
        windows = _windows(offsets, sentences_of)
        self.hits, self.cues = _find_hits_and_cues(self.lowered, windows)
        self.hit_starts = [h.start for h in self.hits]
        # ", and 1 soldier were killed" goes on a list of subjects, not a new clause.
        self.breaks = [
            m.span()
            for m in _scan(_CLAUSE_BREAK_RE, self.lowered, windows)
            if not (m.group().startswith(",") and self._number_follows(m.end()))
        ]
        self.break_starts = [b[0] for b in self.breaks]
        self.cue_starts = [c[0] for c in self.cues]
        self._sources: dict[int, str | None] = {}

    def _number_follows(self, offset: int) -> bool:
        index = bisect.bisect_left(self.number_starts, offset)
        return (
            index < len(self.numbers)
            and not self.lowered[offset : self.numbers[index].start].strip()
        )

    def sentence_at(self, offset: int) -> Span | None:
        index = bisect.bisect_right(self.sentence_starts, offset) - 1
        if index < 0 or offset >= self.sentences[index].span.end:
            return None
        return self.sentences[index].span

    def clause_at(self, sentence: Span, start: int, end: int) -> Span:
        """The part of the sentence between the clause breaks around `[start, end)`."""
        index = bisect.bisect_right(self.break_starts, start) - 1
        lo = max(sentence.start, start - WINDOW)
        while index >= 0 and self.breaks[index][1] > start:
            index -= 1
        if index >= 0:
            lo = max(lo, self.breaks[index][1])
        after = bisect.bisect_left(self.break_starts, end)
        hi = min(sentence.end, end + WINDOW)
        if after < len(self.breaks):
            hi = min(hi, self.breaks[after][0])
        return Span(lo, max(lo, hi))

    def hits_in(self, start: int, end: int) -> list[TriggerHit]:
        lo = bisect.bisect_left(self.hit_starts, start)
        hi = bisect.bisect_left(self.hit_starts, end)
        return [h for h in self.hits[lo:hi] if h.end <= end]

    def seam_hits_in(self, start: int, end: int) -> list[TriggerHit]:
        """Triggers glued to a capitalised word after them ("fledShirqat"), as in text copied
        out of PDFs; looked for only where no other trigger governs a number."""
        hits = []
        for seam in _CAPITAL_SEAM_RE.finditer(self.text, start + 1, end):
            word = _WORD_TAIL_RE.search(self.lowered, max(start, seam.start() - 40), seam.start())
            if word is None:
                continue
            match = _SEAM_TRIGGER_RE.fullmatch(self.lowered, word.start(), seam.start())
            if match is not None:
                trigger = _TRIGGER_OF_GROUP[match.lastgroup or "t0"]
                hits.append(TriggerHit(match.start(), match.end(), trigger))
        return hits

    def numbers_between(self, start: int, end: int) -> list[NumberMatch]:
        lo = bisect.bisect_left(self.number_starts, start)
        hi = bisect.bisect_left(self.number_starts, end)
        return self.numbers[lo:hi]

    def source_near(self, sentence: Span, offset: int) -> str | None:
        """The resolved source of the reporting cue in the sentence nearest to `offset`."""
        lo = bisect.bisect_left(self.cue_starts, max(sentence.start, offset - WINDOW))
        hi = bisect.bisect_left(self.cue_starts, min(sentence.end, offset + WINDOW))
        if lo == hi:
            return None  # most figures: no cue near
        cues = self.cues[lo:hi]
        if len(cues) > 1:
            cues = sorted(cues, key=lambda c: abs(c[0] - offset))[:4]
        for cue in cues:
            if not self._cue_reaches(sentence, offset, cue):
                continue
            if cue[0] not in self._sources:
                self._sources[cue[0]] = resolve_cue(self.text, sentence, cue)
            source = self._sources[cue[0]]
            if source is not None:
                return source
        return None

    def _cue_reaches(self, sentence: Span, offset: int, cue: tuple[int, int]) -> bool:
        """A cue after the figure counts only in its clause or closing the sentence ("X said.")."""
        if cue[0] < offset:
            return True
        tail_end = min(sentence.end, cue[1] + 60)
        if (
            tail_end == sentence.end
            and len(WORD_RE.findall(self.lowered, cue[1], tail_end)) <= _TAIL
        ):
            return True
        lo = bisect.bisect_left(self.break_starts, offset)
        return lo >= len(self.breaks) or self.breaks[lo][0] >= cue[0]


def _unwrapped(text: str, sentences: Sequence[Sentence]) -> Sequence[Sentence]:
    """The sentences, with lines that a hard wrap broke off joined to the sentence they go on.

    A line that ends in no punctuation and a next line that starts in lower case are one
    sentence: "2,759 people became\nhomeless".
    """
    if "\n" not in text or _LINE_GOES_ON_RE.search(text) is None:
        return sentences
    joined: list[Sentence] = []
    for sentence in sentences:
        if joined and _WRAPPED_RE.fullmatch(text, joined[-1].span.end - 1, sentence.span.start + 1):
            joined[-1] = Sentence(Span(joined[-1].span.start, sentence.span.end))
        else:
            joined.append(sentence)
    return joined


def _windows(offsets: list[int], sentences: list[Span | None]) -> list[tuple[int, int]]:
    """Merged windows of `WINDOW` characters (and a little more) around each offset.

    Each window stays inside the offset's sentence; an offset outside any sentence has none.
    """
    reach = WINDOW + 40
    windows: list[tuple[int, int]] = []
    for offset, sentence in sorted(zip(offsets, sentences, strict=True), key=lambda pair: pair[0]):
        if sentence is None:
            continue
        start = max(sentence.start, offset - reach)
        end = min(sentence.end, offset + reach)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _find_zeros(lowered: str) -> list[re.Match[str]]:
    """What `_ZERO_RE.finditer` finds, tried only where a match can start.

    Every match starts with "no", "zero" or "without", and "no" goes on with a space, "n" or
    "b": a literal search finds those few places far faster than the engine scans the text.
    """
    starts = []
    for word in ("no", "zero", "without"):
        at = lowered.find(word)
        while at >= 0:
            after = lowered[at + 2 : at + 3]
            if word != "no" or after in ("n", "b") or after.isspace():
                starts.append(at)
            at = lowered.find(word, at + 1)
    starts.sort()
    zeros: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start < end:
            continue
        match = _ZERO_RE.match(lowered, start)
        if match is not None:
            zeros.append(match)
            end = match.end()
    return zeros


class _Finder(Protocol):
    def finditer(self, text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]: ...


def _scan(pattern: _Finder, text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def _find_hits_and_cues(
    lowered: str, windows: list[tuple[int, int]]
) -> tuple[list[TriggerHit], list[tuple[int, int]]]:
    """Trigger words near the numbers, also those glued to a word before ("weredisplaced"),
    and the reporting cues there."""
    hits: list[TriggerHit] = []
    cues: list[tuple[int, int]] = []
    finditer = _TRIGGER_OR_CUE_RE.for_text(lowered).finditer
    # Loops written out, not through `_scan`: thousands of matches per text pass through here.
    for start, end in windows:
        for match in finditer(lowered, start, end):
            if match.lastgroup == "cue":
                cues.append(match.span("cue"))
            else:
                hits.append(_hit(match))
    return hits, cues


def _hit(match: re.Match[str]) -> TriggerHit:
    start = match.start() if match.start("glued") < 0 else match.end("glued")
    return TriggerHit(start, match.end(), _TRIGGER_OF_GROUP[match.lastgroup or "t0"])
