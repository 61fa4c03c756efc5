"""Figures: numbers governed by a measure, with qualifier, unit, place, period and source.

The *find* half (`find_candidates`) reads the text alone: which numbers count something, how
they are qualified, what they count and who reported them. The *write* half (`write_figures`)
ties each candidate to the document's places and times and builds `model.Figure` records.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from sitroom.extract.figure_lexicon import (
    ATTACK_UNITS,
    HUMAN_UNITS,
    MEASURE_TRIGGERS,
    NOT_NAMES,
    PLACE_UNITS,
    QUALIFIER_WORDS,
    SOURCES,
    STOP_WORDS,
    MeasureTrigger,
)
from sitroom.extract.numbers import NumberMatch, find_numbers
from sitroom.extract.text import Document, SpanIndex, fold, lower_same_length, split_sentences
from sitroom.model import (
    Figure,
    Measure,
    PlaceMention,
    Qualifier,
    Sentence,
    Span,
    TimeMention,
    Window,
)

__all__ = ["FigureCandidate", "FigureExtractor", "find_candidates", "is_subset", "write_figures"]


def _first_letter_pairs(patterns: Sequence[str]) -> str:
    """A guard admitting only the first two letters an alternative of `patterns` starts with.

    One word-boundary test and this guard before the alternatives: several times faster.
    """
    pairs: dict[str, set[str]] = {}
    for pattern in patterns:
        for first, second in re.findall(r"(?:^|\||\(\?:)([a-z])([a-z])", pattern):
            pairs.setdefault(first, set()).add(second)
    return "|".join(f"{a}[{''.join(sorted(b))}]" for a, b in sorted(pairs.items()))


_TRIGGER_GUARD = _first_letter_pairs([t.pattern for t in MEASURE_TRIGGERS])
# Text copied out of PDFs loses spaces at line ends ("people weredisplacedabout 4,400"): a
# trigger may also touch one of these common words.
_GLUED_PREFIX_RE = re.compile(r"\b(?:were|was|had|have|been|newly|new|still|seek)(?=[a-z])")
_GLUED_AFTER = "about|around|nearly|more|than|people|from|over"
_TRIGGER_ALTERNATIVES = (
    "(?:"
    + "|".join(rf"(?P<t{i}>{t.pattern})" for i, t in enumerate(MEASURE_TRIGGERS))
    + rf")(?:\b|(?={_GLUED_AFTER}))"
)
_TRIGGER_RE = re.compile(rf"\b(?={_TRIGGER_GUARD}){_TRIGGER_ALTERNATIVES}")
_GLUED_TRIGGER_RE = re.compile(_TRIGGER_ALTERNATIVES)

_QUALIFIER_RE = re.compile(
    "(?:" + "|".join(rf"\b(?P<{q}>{'|'.join(ps)})" for q, ps in QUALIFIER_WORDS.items()) + r")\s*$"
)
_RIGHT_QUALIFIER_RE = re.compile(
    r"(?P<at_least>\s+or\s+more\b|\s+and\s+more\b|\+|[-\u2013]plus\b)|(?P<approx>\s+or\s+so\b|[-\u2013]odd\b)"
)

_UNITS: dict[str, str] = {**HUMAN_UNITS, **PLACE_UNITS, **ATTACK_UNITS}
_PLACE_UNIT_NAMES = frozenset(PLACE_UNITS.values())
_PLACE_MEASURES = frozenset({"affected", "attacks"})
_PEOPLE_ONLY_MEASURES = frozenset(
    {"killed", "injured", "missing", "abducted", "detained", "refugees", "returned", "in_need"}
)
_STATUS_UNITS = frozenset({"IDP", "refugee", "evacuee", "returnee"})
_LOCATIVE_RE = re.compile(r"\b(?:in|across|at|into|from|to)\s+(?:the\s+)?$")
_STOP = "|".join(sorted(STOP_WORDS, key=len, reverse=True))
_UNIT_ALTERNATION = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_UNIT_RE = re.compile(
    rf"(?:\s+of(?:\s+(?:the|those|these|its|their|them|all))?)?"
    rf"(?:\s+(?!(?:{_STOP})\b)[\w'-]+){{0,3}}?\s+(?P<unit>{_UNIT_ALTERNATION})\b"
)
_TOTAL_OF_RE = re.compile(
    rf"\b(?:number|total)\s+of\s+(?:[\w-]+\s+){{0,2}}?(?P<unit>{_UNIT_ALTERNATION})\b[^.;,]{{0,50}}$"
)
_LABEL_UNIT_RE = re.compile(rf"\b(?P<unit>{_UNIT_ALTERNATION})\b")
_NEXT_WORD_RE = re.compile(r"\s+([a-z][a-z'-]*)")
_OF_RE = re.compile(r"\s+of\b")

_CLAUSE_BREAK_RE = re.compile(
    r";|:\s|\s[-\u2013\u2014]\s|,\s+(?:and|but|while|whereas|although|though|as|after|before"
    r"|when)\b|\s(?:while|whereas|but)\s"
)
# Asides a governing word reaches across: subsets ("including 8 children") and brackets
# ("310 households (about 1,600 people) were displaced").
_SUBSET_RE = re.compile(
    r"(?:,?\s*\bincluding|,\s*(?:among\s+them|among\s+whom|of\s+whom|of\s+them|mostly|mainly|"
    r"most\s+of\s+them))\b(?:(?!\b(?:were|was|are|is|have|has|had)\b)[^,;()])*,?|\([^()]{0,120}\)|,\s*or\s+[^,;()]{1,60},|,\s*according\s+to\s+[^,;()]{1,60},"
)
_WORD_RE = re.compile(r"[a-z0-9']+")
_TOKEN_RE = re.compile(r"[A-Za-z0-9']+")
_AGENT_RE = re.compile(r"\s*by\b")
_AND_RE = re.compile(r"\band\b")
_ADJUNCT_RE = re.compile(r"\b(?:during|between|near|following|after|before|against|among)\b")
# Auxiliaries and adverbs belong to the verb group: "were still displaced" is as close as
# "displaced".
_FREE_WORDS = frozenset(
    "is are was were be been being has have had still also now already newly reportedly "
    "temporarily totally completely partially fully severely badly".split()
)
_AND_BEFORE_RE = re.compile(
    r"(?:\b(?:and|or|as\s+well\s+as)|,)\s+(?:(?:at\s+least|some|about|around|over)\s+)?$"
)
# A figure in a list opened by "including" names part of an earlier one.
# The list ends at ", and": "18 fighters, including 2 commanders, and 4 civilians".
_SUBSET_LIST_RE = re.compile(
    r"\b(?:including|among\s+them|among\s+whom|of\s+whom|among\s+the\s+dead)\b"
    r"(?:(?!,\s*and\b)[^.;:()]){0,60}$"
)
# A number right after a verb is its object: "clashed with 4 men and killed 1 of them".
_OBJECT_AFTER_RE = re.compile(
    r"\s+(?:(?:at\s+least|some|about|around|over|more\s+than|nearly|up\s+to)\s+)?$"
)
_MAX_BEFORE_WORDS = 4
# A line this short that ends in its number is a label and a value: "Number of displaced: 452".
_MAX_LABEL_WORDS = 5
_MAX_AFTER_WORDS = 8
# Cheap bound checked before words are counted; room for a subset aside.
_MAX_GAP_CHARS = 160
# Longest subset aside (", including 8 children,") a gap may hold on top of its words.
_MAX_ASIDE_WORDS = 8
_WINDOW = 200
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

# Reporting cues: "according to X", "X said", "X's figures".
_CUE_RE = re.compile(
    r"(?=[acdenrstw'])(?:\baccording\s+to\b|'s\s+(?:figures|data|estimates?|count|tally|statistics)\b|"
    r"\b(?:said|says|say|told|tells|reported|reports|stated|states|announced|estimated|estimates|"
    r"confirmed|documented|recorded|counted|registered|warned|added|noted|tweeted|claimed)\b)"
)
# Every source name starts a word: one boundary test spares the alternatives elsewhere.
_SOURCE_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<s{i}>{p})" for i, (_, p) in enumerate(SOURCES)) + ")"
)
_NAME_RE = re.compile(r"(?P<name>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})\s*,?\s*$")

_SINCE_RE = re.compile(r"\bsince\b")
_PLACE_RANK = {"city": 0, "village": 0, "admin2": 1, "admin1": 2, "region": 2, "country": 3}


@dataclass(frozen=True, slots=True)
class FigureCandidate:
    """A figure found from the text alone, before it is tied to the document's places and times."""

    span: Span
    value: int | float
    qualifier: Qualifier
    unit: str
    measure: Measure
    sentence: Span
    clause: Span
    low: int | float | None = None
    high: int | float | None = None
    source: str | None = None
    vague: bool = False


class FigureExtractor:
    """Pipeline component: adds the figures layer, reading the times and places layers."""

    name = "figures"
    requires: tuple[str, ...] = ("times", "places")
    provides: tuple[str, ...] = ("figures",)

    def __call__(self, doc: Document) -> Document:
        """The document with its figures."""
        candidates = find_candidates(doc.folded, doc.sentences)
        return replace(doc, figures=write_figures(doc, candidates))


# --- find --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    trigger: MeasureTrigger


class _Index:
    """Everything matched once over the whole text, looked up by offset with `bisect`."""

    def __init__(self, text: str, sentences: Sequence[Sentence]) -> None:
        self.text = text
        self.lowered = lower_same_length(text)
        self.numbers = find_numbers(text)
        self.number_starts = [n.start for n in self.numbers]
        self.zeros = list(_ZERO_RE.finditer(self.lowered))
        self.sentences = sentences
        self.sentence_starts = [s.span.start for s in sentences]
        # Triggers, breaks and cues matter only near a number and in its sentence: most of a
        # text is never scanned.
        offsets = [n.start for n in self.numbers] + [m.start() for m in self.zeros]
        windows = _windows(offsets, [self.sentence_at(offset) for offset in offsets])
        self.hits = _find_hits(self.lowered, windows)
        self.hit_starts = [h.start for h in self.hits]
        # ", and 1 soldier were killed" goes on a list of subjects, not a new clause.
        self.breaks = [
            m.span()
            for m in _scan(_CLAUSE_BREAK_RE, self.lowered, windows)
            if not (m.group().startswith(",") and self._number_follows(m.end()))
        ]
        self.break_starts = [b[0] for b in self.breaks]
        self.cues = [m.span() for m in _scan(_CUE_RE, self.lowered, windows)]
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
        lo = max(sentence.start, start - _WINDOW)
        while index >= 0 and self.breaks[index][1] > start:
            index -= 1
        if index >= 0:
            lo = max(lo, self.breaks[index][1])
        after = bisect.bisect_left(self.break_starts, end)
        hi = min(sentence.end, end + _WINDOW)
        if after < len(self.breaks):
            hi = min(hi, self.breaks[after][0])
        return Span(lo, max(lo, hi))

    def hits_in(self, span: Span) -> list[_Hit]:
        lo = bisect.bisect_left(self.hit_starts, span.start)
        hi = bisect.bisect_left(self.hit_starts, span.end)
        return [h for h in self.hits[lo:hi] if h.end <= span.end]

    def numbers_between(self, start: int, end: int) -> list[NumberMatch]:
        lo = bisect.bisect_left(self.number_starts, start)
        hi = bisect.bisect_left(self.number_starts, end)
        return self.numbers[lo:hi]

    def source_near(self, sentence: Span, offset: int) -> str | None:
        """The resolved source of the reporting cue in the sentence nearest to `offset`."""
        lo = bisect.bisect_left(self.cue_starts, max(sentence.start, offset - _WINDOW))
        hi = bisect.bisect_left(self.cue_starts, min(sentence.end, offset + _WINDOW))
        cues = sorted(self.cues[lo:hi], key=lambda c: abs(c[0] - offset))
        for cue in cues[:4]:
            if not self._cue_reaches(sentence, offset, cue):
                continue
            if cue[0] not in self._sources:
                self._sources[cue[0]] = _resolve_cue(self.text, sentence, cue)
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
            and len(_WORD_RE.findall(self.lowered, cue[1], tail_end)) <= _TAIL
        ):
            return True
        lo = bisect.bisect_left(self.break_starts, offset)
        return lo >= len(self.breaks) or self.breaks[lo][0] >= cue[0]


def _windows(offsets: list[int], sentences: list[Span | None]) -> list[tuple[int, int]]:
    """Merged windows of `_WINDOW` characters (and a little more) around each offset.

    Each window stays inside the offset's sentence; an offset outside any sentence has none.
    """
    reach = _WINDOW + 40
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


def _scan(
    pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def _find_hits(lowered: str, windows: list[tuple[int, int]]) -> list[_Hit]:
    """Trigger words near the numbers, also those glued to a word before ("weredisplaced")."""
    hits = [_hit(m) for m in _scan(_TRIGGER_RE, lowered, windows)]
    glued = [
        _hit(m)
        for prefix in _scan(_GLUED_PREFIX_RE, lowered, windows)
        if (m := _GLUED_TRIGGER_RE.match(lowered, prefix.end())) is not None
    ]
    return sorted(hits + glued, key=lambda h: h.start) if glued else hits


def _hit(match: re.Match[str]) -> _Hit:
    name = match.lastgroup or "t0"
    return _Hit(match.start(), match.end(), MEASURE_TRIGGERS[int(name[1:])])


def find_candidates(
    text: str, sentences: Sequence[Sentence] | None = None
) -> list[FigureCandidate]:
    """Figures in `text` (folded) from the words alone: value, qualifier, unit, measure, source."""
    if sentences is None:
        sentences = split_sentences(text)
    index = _Index(text, sentences)
    candidates: list[FigureCandidate] = []
    previous: FigureCandidate | None = None
    for number in index.numbers:
        candidate = _candidate(index, number, previous)
        if candidate is not None:
            candidates.append(candidate)
            previous = candidate
    candidates.extend(_zero_candidates(index))
    candidates.sort(key=lambda c: c.span)
    return candidates


def _candidate(
    index: _Index, number: NumberMatch, previous: FigureCandidate | None
) -> FigureCandidate | None:
    sentence = index.sentence_at(number.start)
    if sentence is None:
        return None
    lowered = index.lowered
    if number.kind == "fraction" and _OF_RE.match(lowered, number.end) is None:
        return None  # "rose by 80 percent" is a change, not a share of a whole
    start, end, qualifier = _qualify(lowered, number, sentence)
    unit, unit_end, unit_found = _find_unit(lowered, end, index)
    clause = index.clause_at(sentence, start, end)
    measure = _find_measure(index, number, Span(start, unit_end), clause, unit)
    if measure not in _PLACE_MEASURES and _is_locative(lowered, start, unit):
        return None  # "513,000 people in 14 districts were evacuated": 14 counts no evacuees
    if measure is None:
        measure = _inherited_measure(lowered, start, sentence, previous)
    if measure is None and not unit_found:
        measure, unit = _label_measure(index, sentence, start, end) or (None, unit)
    if not unit_found:
        unit = _total_unit(lowered, sentence, start) or unit
    if measure is None and unit_found and unit in HUMAN_UNITS.values():
        measure = "other"
    if measure is None:
        return None
    return FigureCandidate(
        span=Span(start, end),
        value=number.value,
        qualifier=qualifier,
        unit=unit,
        measure=measure,
        sentence=sentence,
        clause=clause,
        low=number.low if number.kind == "range" else None,
        high=number.high if number.kind == "range" else None,
        source=index.source_near(sentence, start),
        vague=number.kind == "vague",
    )


def _qualify(lowered: str, number: NumberMatch, sentence: Span) -> tuple[int, int, Qualifier]:
    """The figure's span (qualifier words included) and its qualifier."""
    start, end = number.start, number.end
    lexical: str | None = None
    window_start = max(sentence.start, start - 40)
    match = _QUALIFIER_RE.search(lowered, window_start, start)
    group = match.lastgroup if match is not None else None
    if match is not None and group is not None and (group != "range" or number.kind == "range"):
        lexical, start = group, match.start()
    right = _RIGHT_QUALIFIER_RE.match(lowered, end, min(sentence.end, end + 12))
    if right is not None and right.lastgroup is not None and lexical is None:
        lexical, end = right.lastgroup, right.end()
    return start, end, _qualifier_of(number, lexical)


def _qualifier_of(number: NumberMatch, lexical: str | None) -> Qualifier:
    if number.kind == "fraction":
        return "fraction"
    if number.kind == "range":
        return "range"
    if lexical in ("at_least", "approx", "at_most"):
        return lexical  # type: ignore[return-value]
    return "at_least" if number.kind == "vague" else "exact"


def _find_unit(lowered: str, end: int, index: _Index) -> tuple[str, int, bool]:
    """The counted noun after `end` (base form), where its phrase ends, whether one was named."""
    match = _UNIT_RE.match(lowered, end, min(len(lowered), end + 80))
    if match is not None:
        return _UNITS[re.sub(r"\s+", " ", match.group("unit"))], match.end(), True
    word = _NEXT_WORD_RE.match(lowered, end, min(len(lowered), end + 40))
    if word is None or word.group(1) in STOP_WORDS or not word.group(1).endswith("s"):
        return "people", end, False
    if any(h.start == word.start(1) for h in index.hits_in(Span(word.start(1), word.end(1)))):
        return "people", end, False  # "25 dead", "12 deaths": the noun is the measure
    return _singular(word.group(1)), word.end(), False


def _singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "xes", "sses")):
        return noun[:-2]
    return noun[:-1]


def _find_measure(
    index: _Index, number: NumberMatch, phrase: Span, clause: Span, unit: str
) -> Measure | None:
    """The measure of the trigger that governs the number most closely within its clause."""
    if unit in ATTACK_UNITS.values():
        return "attacks"
    best: tuple[int, Measure] | None = None
    # Triggers further than the largest allowed gap cannot govern the number: skip them early.
    near = Span(
        max(clause.start, phrase.start - _MAX_GAP_CHARS - 40),
        max(clause.start, min(clause.end, phrase.end + _MAX_GAP_CHARS + 40)),
    )
    for hit in index.hits_in(near):
        score = _score(index, number, phrase, hit, unit)
        if score is not None and (best is None or score < best[0]):
            best = (score, hit.trigger.measure)
    return best[1] if best is not None else None


def _score(index: _Index, number: NumberMatch, phrase: Span, hit: _Hit, unit: str) -> int | None:
    """How closely `hit` governs the number (lower is closer), or None when it cannot."""
    trigger = hit.trigger
    if trigger.places_only and unit not in _PLACE_UNIT_NAMES:
        return None
    if unit in _PLACE_UNIT_NAMES and trigger.measure in _PEOPLE_ONLY_MEASURES:
        return None  # "291 people died, over 1,500 houses were destroyed"
    if unit in _STATUS_UNITS and trigger.measure == "population":
        return None  # "1.1 million IDPs live in camps" counts IDPs, not residents
    if number.start < hit.end and hit.start < number.end:
        return None
    before = hit.end <= phrase.start
    inside = not before and hit.start < phrase.end
    if trigger.where == ("after" if before else "before") and not inside:
        return None
    gap_start, gap_end = (hit.end, phrase.start) if before else (phrase.end, hit.start)
    if inside:
        gap_start = gap_end = hit.start
    if gap_end - gap_start > _MAX_GAP_CHARS:
        return None
    gap = index.lowered[gap_start:gap_end]
    limit = _MAX_BEFORE_WORDS if before else _MAX_AFTER_WORDS
    # Subjects share a verb only with no other verb between: not "1 was killed and 3 wounded".
    coordinated_ok = not before and not index.hits_in(Span(gap_start, gap_end))
    if len(_WORD_RE.findall(gap)) > limit + _MAX_ASIDE_WORDS or _blocked(
        index, gap_start, gap_end, gap, coordinated_ok=coordinated_ok
    ):
        return None
    if before and _AGENT_RE.match(gap):
        return None  # "killed by two gunmen": the number counts the agent
    if before and trigger.where != "before" and _ADJUNCT_RE.search(gap):
        return None  # "killed during clashes between two groups": the number is no object
    if not before and not inside and _has_object(index, hit):
        return None  # "clashed with 4 men and killed 1 of them"
    if coordinated_ok:
        # "3 policemen, 2 militiamen and 1 soldier were killed": count from the last one
        coordinated = index.numbers_between(gap_start, gap_end)
        if coordinated:
            gap_start = _find_unit(index.lowered, coordinated[-1].end, index)[1]
            gap = index.lowered[gap_start:gap_end]
    words, free = _count_words(gap, index.text[gap_start:gap_end])
    if words > limit:
        return None
    # "the evacuation of 60 families from their homes": the noun right before is the head.
    nominal = before and words == 0 and index.lowered.endswith("of", hit.start, hit.end)
    score = 2 * words + free + (1 if before and not nominal else 0)
    if before and _AND_RE.search(gap):
        score += 3  # "killed 5 and 12 were wounded": a coordinated clause has its own verb
    if before and "," in gap:
        score += 2  # "Of the 900 affected, 120 were evacuated": the verb closed another phrase
    if trigger.weak or inside:
        score += 3
    return score


def _has_object(index: _Index, hit: _Hit) -> bool:
    """Whether a number follows the trigger directly, as its object ("killing 9 of them")."""
    following = index.numbers_between(hit.end, hit.end + 30)
    return (
        bool(following)
        and _OBJECT_AFTER_RE.fullmatch(index.lowered, hit.end, following[0].start) is not None
    )


def _is_locative(lowered: str, start: int, unit: str) -> bool:
    """Whether the number counts places in a locative phrase: "in 14 districts"."""
    if unit not in _PLACE_UNIT_NAMES:
        return False
    return _LOCATIVE_RE.search(lowered, max(0, start - 12), start) is not None


def _count_words(gap: str, original: str) -> tuple[int, int]:
    """Words in a gap outside its asides, and how many of them are auxiliaries or adverbs.

    `gap` is lower-cased, `original` the same characters as written. A run of capitalised
    words is one name: "people in West Nusa Tenggara were displaced".
    """
    words = free = 0
    last = 0
    capitalised = False
    for aside in [*_SUBSET_RE.finditer(gap), None]:
        end = aside.start() if aside is not None else len(gap)
        for token in _TOKEN_RE.finditer(original, last, end):
            upper = token.group()[0].isupper()
            if gap[token.start() : token.end()] in _FREE_WORDS:
                free += 1
            elif not (capitalised and upper):
                words += 1
            capitalised = upper
        last = aside.end() if aside is not None else end
    return words, free


def _blocked(index: _Index, start: int, end: int, gap: str, *, coordinated_ok: bool) -> bool:
    """Whether another number stands between, outside a subset ("including 8 children").

    With `coordinated_ok`, "4 militiamen and 3 militants were killed" shares the verb.
    """
    between = index.numbers_between(start, end)
    if not between:
        return False
    asides = [(m.start() + start, m.end() + start) for m in _SUBSET_RE.finditer(gap)]
    if coordinated_ok:
        asides.extend(
            (n.start, n.end) for n in between if _AND_BEFORE_RE.search(gap, 0, n.start - start)
        )
    return any(
        not any(s <= n.start < e for s, e in asides) and not _counts_places_at(index, n)
        for n in between
    )


def _counts_places_at(index: _Index, number: NumberMatch) -> bool:
    """ "people in 14 districts were evacuated": a locative count does not block the verb."""
    if _LOCATIVE_RE.search(index.lowered, max(0, number.start - 12), number.start) is None:
        return False
    return _find_unit(index.lowered, number.end, index)[0] in _PLACE_UNIT_NAMES


def _inherited_measure(
    lowered: str, start: int, sentence: Span, previous: FigureCandidate | None
) -> Measure | None:
    """A subset ("including 8 children") counts what the figure before it counts."""
    if previous is None or previous.sentence != sentence:
        return None
    if _SUBSET_LIST_RE.search(lowered, max(sentence.start, start - 80), start) is None:
        return None
    return previous.measure


def is_subset(text: str, span: Span) -> bool:
    """Whether the figure at `span` names part of an earlier one: "21 people, including 8 children".

    Sums of victims skip such figures so that nobody is counted twice.
    """
    before = lower_same_length(fold(text[max(0, span.start - 80) : span.start]))
    return _SUBSET_LIST_RE.search(before) is not None


def _total_unit(lowered: str, sentence: Span, start: int) -> str | None:
    """The unit of "the number of displaced families is estimated at 349"."""
    match = _TOTAL_OF_RE.search(lowered, max(sentence.start, start - 120), start)
    return _UNITS[re.sub(r"\s+", " ", match.group("unit"))] if match is not None else None


def _label_measure(
    index: _Index, sentence: Span, start: int, end: int
) -> tuple[Measure, str] | None:
    """In a table row or heading ("Houses destroyed: 146") the label names what is counted."""
    if index.lowered[end : sentence.end].strip(" .;:") or index.numbers_between(
        sentence.start, start
    ):
        return None
    label = index.lowered[sentence.start : start]
    if len(_WORD_RE.findall(label)) > _MAX_LABEL_WORDS:
        return None
    hits = index.hits_in(Span(sentence.start, start))
    if not hits:
        return None
    named = _LABEL_UNIT_RE.search(label)
    unit = _UNITS[re.sub(r"\s+", " ", named.group("unit"))] if named is not None else "people"
    return hits[-1].trigger.measure, unit


def _zero_candidates(index: _Index) -> list[FigureCandidate]:
    """ "No casualties", "no one was killed": figures of zero."""
    candidates = []
    for match in index.zeros:
        sentence = index.sentence_at(match.start())
        if sentence is None or match.lastgroup is None:
            continue
        measure: Measure = "killed" if match.lastgroup.startswith("killed") else "injured"
        span = Span(*match.span())
        candidates.append(
            FigureCandidate(
                span=span,
                value=0,
                qualifier="exact",
                unit="people",
                measure=measure,
                sentence=sentence,
                clause=index.clause_at(sentence, span.start, span.end),
                source=index.source_near(sentence, span.start),
            )
        )
    return candidates


def _resolve_cue(text: str, sentence: Span, cue: tuple[int, int]) -> str | None:
    """The normalised source a reporting cue names: "according to X", "X said", "X's figures"."""
    start, end = cue
    if text[start:end].lower().startswith("according"):
        after = text[end : min(sentence.end, end + 80)]
        obj = re.split(r"[,.;:(]", after, maxsplit=1)[0]
        return _source_in(obj, last=False) or _name_in(obj.strip() + " ")
    chunk = _subject_chunk(text[max(sentence.start, start - 80) : start])
    return _source_in(chunk, last=True) or _name_in(chunk) or _inverted_source(text, sentence, end)


def _subject_chunk(before: str) -> str:
    """The words before a reporting verb back to the last break, keeping an appositive name."""
    stripped = before.rstrip().rstrip(",")
    breaks = list(re.finditer(r"[;:\"(,]", stripped))
    return stripped[breaks[-1].end() :] if breaks else stripped


def _inverted_source(text: str, sentence: Span, end: int) -> str | None:
    """ "..., said the UN" or "..., said Dujarric": the source after the verb."""
    after = text[end : min(sentence.end, end + 60)]
    match = re.match(r"\s+(?:the\s+)?", after)
    rest = after[match.end() if match else 0 :]
    source = _SOURCE_RE.match(rest)
    if source is not None and source.lastgroup is not None:
        return SOURCES[int(source.lastgroup[1:])][0]
    name = re.match(r"([A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})", rest)
    if name is None or name.group(1) in NOT_NAMES:
        return None
    return name.group(1).rstrip(".,")


def _source_in(chunk: str, *, last: bool) -> str | None:
    matches = [m for m in _SOURCE_RE.finditer(chunk) if m.lastgroup is not None]
    if not matches:
        return None
    chosen = matches[-1] if last else matches[0]
    return SOURCES[int(str(chosen.lastgroup)[1:])][0]


def _name_in(chunk: str) -> str | None:
    match = _NAME_RE.search(chunk)
    if match is None:
        return None
    words = match.group("name").split()
    while words and words[0] in NOT_NAMES:
        words = words[1:]
    return " ".join(words).rstrip(".,") or None


# --- write -------------------------------------------------------------------------------------


def write_figures(doc: Document, candidates: Sequence[FigureCandidate]) -> tuple[Figure, ...]:
    """`model.Figure` records for the candidates, with the place and period of their clause."""
    places = SpanIndex([p for p in doc.places if p.place is not None])
    times = SpanIndex([t for t in doc.times if t.window is not None])
    return tuple(_figure(doc, c, places, times) for c in candidates)


def _figure(
    doc: Document,
    candidate: FigureCandidate,
    places: SpanIndex[PlaceMention],
    times: SpanIndex[TimeMention],
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
        period=_period_for(doc, candidate, times),
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
    doc: Document, candidate: FigureCandidate, times: SpanIndex[TimeMention]
) -> Window | None:
    """The nearest time's window in the clause, else the sentence; "since X" ends at publication.

    The day a source spoke ("the UN said on Monday that ...") dates the statement, not the
    count: such a time is used only when the sentence has no other.
    """
    for scope in (candidate.clause, candidate.sentence):
        found = times.within(scope)
        counted = [t for t in found if not _is_reporting_time(doc, t)]
        found = counted or found
        if found:
            time = min(found, key=lambda t: _distance(t.span, candidate.span))
            return _extend_since(doc, scope, time)
    return None


_REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|say|reported|reports|announced|stated|added|told\s+\w+(?:\s+\w+)?)"
    r"(?:\s+(?:on|late|early|late on|earlier on))?\s*$"
)


def _is_reporting_time(doc: Document, time: TimeMention) -> bool:
    """Whether the time is when someone said something: "said on Monday", "told AFP Monday"."""
    before = doc.lowered[max(0, time.span.start - 30) : time.span.start]
    return _REPORTING_BEFORE.search(before) is not None


def _extend_since(doc: Document, scope: Span, time: TimeMention) -> Window | None:
    window = time.window
    if window is None:
        return None
    lowered = doc.lowered[max(scope.start, time.span.start - 80) : time.span.end]
    if _SINCE_RE.search(lowered) is None:
        return window
    published = doc.article.published
    if published is None or published < window.start:
        return window
    return Window(window.start, max(published, window.end))
