"""Figures: numbers governed by a measure, with qualifier, unit, measure and source.

The *find* half (`find_candidates`) reads the text alone: which numbers count something, how
they are qualified, what they count and who reported them. The *write* half
(`figure_context.write_figures`) ties each candidate to the document's places and times.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from sitroom.extract.figure_context import write_figures
from sitroom.extract.figure_index import WORD_RE, FigureIndex, TriggerHit
from sitroom.extract.figure_lexicon import (
    ATTACK_UNITS,
    HUMAN_UNITS,
    PLACE_UNITS,
    QUALIFIER_LAST_WORDS,
    QUALIFIER_WORDS,
    STOP_WORDS,
)
from sitroom.extract.numbers import NumberMatch
from sitroom.extract.prefix_guard import guarded
from sitroom.extract.text import Document, fold, lower_same_length, split_sentences
from sitroom.model import Measure, Qualifier, Sentence, Span

__all__ = ["FigureCandidate", "FigureExtractor", "find_candidates", "is_subset", "write_figures"]

_QUALIFIER_RE = re.compile(
    guarded(
        "(?:"
        + "|".join(rf"\b(?P<{q}>{'|'.join(ps)})" for q, ps in QUALIFIER_WORDS.items())
        + r")\s*$"
    )
)
_RIGHT_QUALIFIER_RE = re.compile(
    r"(?P<at_least>\s+or\s+more\b|\s+and\s+more\b|\+|[-\u2013]plus\b)|(?P<approx>\s+or\s+so\b|[-\u2013]odd\b)"
)

_UNITS: dict[str, str] = {**HUMAN_UNITS, **PLACE_UNITS, **ATTACK_UNITS}
_PLACE_UNIT_NAMES = frozenset(PLACE_UNITS.values())
_HUMAN_UNIT_NAMES = frozenset(HUMAN_UNITS.values())
_ATTACK_UNIT_NAMES = frozenset(ATTACK_UNITS.values())
_PLACE_MEASURES = frozenset({"affected", "attacks"})
_PEOPLE_ONLY_MEASURES = frozenset(
    {"killed", "injured", "missing", "abducted", "detained", "refugees", "returned", "in_need"}
)
_ANIMALS = frozenset("livestock cattle cows sheep goats camels donkeys horses animals herd".split())
_STATUS_UNITS = frozenset({"IDP", "refugee", "evacuee", "returnee"})
_LOCATIVE_RE = re.compile(r"\b(?:in|across|at|into|from|to)\s+(?:the\s+)?$")
_STOP = "|".join(sorted(STOP_WORDS, key=len, reverse=True))
_UNIT_ALTERNATION = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
# Guards turn away at once the words that start no stop word and no unit.
_UNIT_RE = re.compile(
    rf"(?:\s+of(?:\s+(?:the|those|these|its|their|them|all))?)?"
    rf"(?:\s+(?!{guarded(f'(?:{_STOP})')}\b)[\w'-]+){{0,3}}?"
    rf"\s+(?P<unit>{guarded(_UNIT_ALTERNATION)})\b"
)
_TOTAL_OF_RE = re.compile(
    guarded(
        rf"\b(?:number|total)\s+of\s+(?:[\w-]+\s+){{0,2}}?(?P<unit>{_UNIT_ALTERNATION})\b[^.;,]{{0,50}}$"
    )
)
_LABEL_UNIT_RE = re.compile(rf"\b(?P<unit>{_UNIT_ALTERNATION})\b")
_NEXT_WORD_RE = re.compile(r"\s+([a-z][a-z'-]*)")
_OF_RE = re.compile(r"\s+of\b")
# Between a fraction and its whole: "half of the 3 million", "80 percent of its 5,000".
_WHOLE_GAP_RE = re.compile(r"\s+of(?:\s+(?:the|those|these|its|their|all|an?))?\s+")
# Asides a governing word reaches across: subsets ("including 8 children"), brackets
# ("310 households (about 1,600 people) were displaced") and appositions ("150 people, the
# whole population of the village, were displaced").
_SUBSET_RE = re.compile(
    r"(?:,?\s*\bincluding|,\s*(?:among\s+them|among\s+whom|of\s+whom|of\s+them|mostly|mainly|"
    r"most\s+of\s+them))\b(?:(?!\b(?:were|was|are|is|have|has|had)\b)[^,;()])*,?|\([^()]{0,120}\)|"
    r",\s*or\s+[^,;()]{1,60},|,\s*according\s+to\s+[^,;()]{1,60},|"
    r",\s*(?:the|a|an)\s+(?:[^,;()]|\([^()]{0,60}\)){1,100},"
)
# A hyphenated word is one word: "south-east".
_TOKEN_RE = re.compile(r"[A-Za-z0-9']+(?:-[A-Za-z0-9']+)*")
# Lower-case particles inside a name: "Pital de la Conta", "Ras al Ain".
_NAME_PARTICLES = frozenset("de la del al el le du des da do dos di van von bin ibn".split())
_AGENT_RE = re.compile(r"\s*by\b")
_AND_RE = re.compile(r"\band\b")
_COORDINATION_RE = re.compile(r"\s*(?:,\s*)?(?:and|or)\s+|\s*,\s*")
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
    guarded(
        r"\b(?:including|among\s+them|among\s+whom|of\s+whom|among\s+the\s+dead)\b"
        r"(?:(?!,\s*and\b)[^.;:()]){0,60}$"
    )
)
# A number right after a verb is its object: "clashed with 4 men and killed 1 of them".
_OBJECT_AFTER_RE = re.compile(
    r"\s+(?:(?:at\s+least|some|about|around|over|more\s+than|nearly|up\s+to)\s+)?$"
)
_MAX_BEFORE_WORDS = 4
_MAX_OF_NOUN_WORDS = 2
# A line this short that ends in its number is a label and a value: "Number of displaced: 452".
_MAX_LABEL_WORDS = 5
_MAX_AFTER_WORDS = 8
# Cheap bound checked before words are counted; room for a subset aside.
_MAX_GAP_CHARS = 160
# Longest subset aside (", including 8 children,") a gap may hold on top of its words.
_MAX_ASIDE_WORDS = 8


class FigureCandidate(NamedTuple):
    """A figure found from the text alone, before it is tied to the document's places and times.

    A tuple, not a dataclass: one is made for nearly every number of every article.
    """

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


class _Phrase(NamedTuple):
    """A number's words, qualifier and counted noun included (a tuple: one per number)."""

    start: int
    end: int
    #: The whole of a fraction ("half of the 3 million"): the clause's verb counts the fraction.
    whole: bool = False
    #: A fraction whose phrase holds its whole: a trigger inside ("of the 40,000 displaced")
    #: counts the whole.
    part: bool = False


class FigureExtractor:
    """Pipeline component: adds the figures layer, reading the times and places layers."""

    name = "figures"
    requires: tuple[str, ...] = ("times", "places")
    provides: tuple[str, ...] = ("figures",)

    def __call__(self, doc: Document) -> Document:
        """The document with its figures."""
        candidates = find_candidates(doc.folded, doc.sentences, lowered=doc.lowered)
        return doc.with_layers(figures=write_figures(doc, candidates))


# --- find --------------------------------------------------------------------------------------


def find_candidates(
    text: str, sentences: Sequence[Sentence] | None = None, *, lowered: str | None = None
) -> list[FigureCandidate]:
    """Figures in `text` (folded) from the words alone: value, qualifier, unit, measure, source.

    `lowered` is `text` in lower case (`Document.lowered`), when the caller has it.
    """
    if sentences is None:
        sentences = split_sentences(text)
    index = FigureIndex(text, sentences, lowered=lowered)
    candidates: list[FigureCandidate] = []
    previous: FigureCandidate | None = None
    for number, sentence in zip(index.numbers, index.number_sentences, strict=True):
        if sentence is None:
            continue
        candidate = _candidate(index, number, sentence, previous)
        if candidate is not None:
            candidates.append(candidate)
            previous = candidate
    candidates.extend(_zero_candidates(index))
    candidates.sort(key=lambda c: c.span)
    return candidates


def _candidate(
    index: FigureIndex, number: NumberMatch, sentence: Span, previous: FigureCandidate | None
) -> FigureCandidate | None:
    lowered = index.lowered
    if number.kind == "fraction" and _OF_RE.match(lowered, number.end) is None:
        return None  # "rose by 80 percent" is a change, not a share of a whole
    start, end, qualifier = _qualify(lowered, number, sentence)
    whole = _whole_of(index, number, sentence) if number.kind == "fraction" else None
    unit, unit_end, unit_found = _find_unit(lowered, whole.end if whole else end, index)
    if whole is not None:
        unit_end = _past_adjacent_hit(index, unit_end)
    phrase = _Phrase(start, unit_end, whole=_is_whole(index, number, start), part=whole is not None)
    clause = index.clause_at(sentence, start, end)
    measure = _find_measure(index, number, phrase, clause, unit)
    if measure not in _PLACE_MEASURES and _is_locative(lowered, start, unit):
        return None  # "513,000 people in 14 districts were evacuated": 14 counts no evacuees
    if measure is None:
        measure = _inherited_measure(lowered, start, sentence, previous)
    if measure is None and not unit_found:
        measure, unit = _label_measure(index, sentence, start, end) or (None, unit)
    if not unit_found:
        unit = _total_unit(lowered, sentence, start) or unit
    if measure is None and unit_found and unit in _HUMAN_UNIT_NAMES:
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
    stop = start
    while stop > window_start and lowered[stop - 1] == " ":
        stop -= 1
    # Most numbers follow no qualifier: a test of the last word spares them the search.
    match = None
    if lowered.endswith(QUALIFIER_LAST_WORDS, window_start, stop):
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


def _whole_of(index: FigureIndex, fraction: NumberMatch, sentence: Span) -> NumberMatch | None:
    """The number a fraction is a part of: "over half of the 3 million residents"."""
    following = index.numbers_between(fraction.end, min(sentence.end, fraction.end + 40))
    if not following:
        return None
    start = _qualify(index.lowered, following[0], sentence)[0]
    if _WHOLE_GAP_RE.fullmatch(index.lowered, fraction.end, start) is None:
        return None
    return following[0]


def _is_whole(index: FigureIndex, number: NumberMatch, start: int) -> bool:
    """Whether the number, its qualifier starting at `start`, is the whole of a fraction."""
    if index.lowered.find("of", max(0, start - 12), start) < 0:
        return False  # most numbers: no "of" just before
    earlier = index.numbers_between(max(0, start - 40), number.start)
    return (
        bool(earlier)
        and earlier[-1].kind == "fraction"
        and _WHOLE_GAP_RE.fullmatch(index.lowered, earlier[-1].end, start) is not None
    )


def _past_adjacent_hit(index: FigureIndex, offset: int) -> int:
    """`offset`, or the end of a trigger right after it: "half of the 40,000 displaced"."""
    for hit in index.hits_in(offset, offset + 40):
        if not index.lowered[offset : hit.start].strip():
            return hit.end
        break
    return offset


def _find_unit(lowered: str, end: int, index: FigureIndex) -> tuple[str, int, bool]:
    """The counted noun after `end` (base form), where its phrase ends, whether one was named."""
    match = _UNIT_RE.match(lowered, end, min(len(lowered), end + 80))
    if match is not None:
        return _UNITS[match.group("unit")], match.end(), True
    word = _NEXT_WORD_RE.match(lowered, end, min(len(lowered), end + 40))
    if word is not None and word.group(1) in _ANIMALS:
        return word.group(1), word.end(), True  # "killed 15 cattle": no people's toll
    # A plural noun has a stem: a lone "s" (or a folded "ß") would count nothing, "" as unit.
    if word is None or word.group(1) in STOP_WORDS or not _may_be_plural(word.group(1)):
        return "people", end, False
    if any(h.start == word.start(1) for h in index.hits_in(word.start(1), word.end(1))):
        return "people", end, False  # "25 dead", "12 deaths": the noun is the measure
    unhyphenated = word.group(1).replace("-", "")
    if unhyphenated in _UNITS:
        return _UNITS[unhyphenated], word.end(), True  # "fami-lies": a line-end hyphen
    return _singular(word.group(1)), word.end(), False


def _may_be_plural(word: str) -> bool:
    return len(word) > 2 and word.endswith("s")


def _singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "xes", "sses")):
        return noun[:-2]
    return noun[:-1]


def _find_measure(
    index: FigureIndex, number: NumberMatch, phrase: _Phrase, clause: Span, unit: str
) -> Measure | None:
    """The measure of the trigger that governs the number most closely within its clause."""
    if unit in _ATTACK_UNIT_NAMES:
        return "attacks"
    # Triggers further than the largest allowed gap cannot govern the number: skip them early.
    near_start = max(clause.start, phrase.start - _MAX_GAP_CHARS - 40)
    near_end = max(clause.start, min(clause.end, phrase.end + _MAX_GAP_CHARS + 40))
    hits = index.hits_in(near_start, near_end)
    # "455,573 people were affected (85,000 of which were relocated)": a number in brackets
    # takes the verb of its brackets when they have one.
    bracket = _bracket_around(index.lowered, number.start, clause)
    if bracket is not None:
        inside = [h for h in hits if bracket.start <= h.start and h.end <= bracket.end]
        best = _best_hit(index, number, phrase, inside, unit)
        if best is not None:
            return best.trigger.measure
    best = _best_hit(index, number, phrase, hits, unit)
    if best is None:
        best = _best_hit(index, number, phrase, index.seam_hits_in(near_start, near_end), unit)
    if best is None:
        return None
    return _coordinated_measure(index, best) or best.trigger.measure


def _best_hit(
    index: FigureIndex, number: NumberMatch, phrase: _Phrase, hits: list[TriggerHit], unit: str
) -> TriggerHit | None:
    best: tuple[int, TriggerHit] | None = None
    for hit in hits:
        score = _score(index, number, phrase, hit, unit)
        if score is not None and (best is None or score < best[0]):
            best = (score, hit)
    return best[1] if best is not None else None


def _bracket_around(lowered: str, offset: int, clause: Span) -> Span | None:
    """The brackets `offset` stands in, within its clause, or None."""
    opening = lowered.rfind("(", clause.start, offset)
    if opening < 0 or lowered.find(")", opening, offset) >= 0:
        return None
    closing = lowered.find(")", offset, clause.end)
    return Span(opening, closing if closing >= 0 else clause.end)


def _coordinated_measure(index: FigureIndex, hit: TriggerHit) -> Measure | None:
    """ "16,000 families were affected and evacuated": the specific verb beside "affected"."""
    if hit.trigger.measure != "affected":
        return None
    for other in index.hits_in(hit.end, hit.end + 60):
        if other.trigger.measure != "affected" and _COORDINATION_RE.fullmatch(
            index.lowered, hit.end, other.start
        ):
            return other.trigger.measure
    return None


def _score(
    index: FigureIndex, number: NumberMatch, phrase: _Phrase, hit: TriggerHit, unit: str
) -> int | None:
    """How closely `hit` governs the number (lower is closer), or None when it cannot."""
    trigger = hit.trigger
    if trigger.places_only and unit not in _PLACE_UNIT_NAMES:
        return None
    if trigger.people_only and unit in _PLACE_UNIT_NAMES:
        return None
    if (unit in _PLACE_UNIT_NAMES or unit in _ANIMALS) and trigger.measure in _PEOPLE_ONLY_MEASURES:
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
    if phrase.whole and not before and not inside and gap.strip():
        return None  # "half of the 3 million residents have fled": the verb counts the half
    if phrase.part and inside:
        return None
    limit = _MAX_BEFORE_WORDS if before else _MAX_AFTER_WORDS
    # Subjects share a verb only with no other verb between: not "1 was killed and 3 wounded".
    coordinated_ok = not before and not index.hits_in(gap_start, gap_end)
    # A gap of n characters holds at most (n + 1) // 2 words: count them only when it matters.
    too_long = len(gap) > 2 * (limit + _MAX_ASIDE_WORDS) and (
        len(WORD_RE.findall(gap)) > limit + _MAX_ASIDE_WORDS
    )
    if too_long or _blocked(index, gap_start, gap_end, gap, coordinated_ok=coordinated_ok):
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
    of_noun = before and index.lowered.endswith("of", hit.start, hit.end)
    # "the evacuation of a further 45,000 people": an "of" noun takes its number within a
    # determiner or two, not "the arrest of the culprit. [size=thousands]".
    if of_noun and words > _MAX_OF_NOUN_WORDS:
        return None
    # "the evacuation of 60 families from their homes": the noun right before is the head.
    nominal = of_noun and words == 0
    score = 2 * words + free + (1 if before and not nominal else 0)
    if before and _AND_RE.search(gap):
        score += 3  # "killed 5 and 12 were wounded": a coordinated clause has its own verb
    if before and "," in gap:
        score += 2  # "Of the 900 affected, 120 were evacuated": the verb closed another phrase
    if trigger.weak or inside:
        score += 3
    return score


def _has_object(index: FigureIndex, hit: TriggerHit) -> bool:
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
    if not gap or gap.isspace():
        return 0, 0
    may_hold_aside = _may_hold_aside(gap)
    if gap == original and not may_hold_aside:
        # Most gaps: no capital, so no name to merge, and no aside to skip.
        tokens = _TOKEN_RE.findall(gap)
        free = sum(1 for token in tokens if token in _FREE_WORDS)
        return len(tokens) - free, free
    words = free = 0
    last = 0
    capitalised = False
    asides = _SUBSET_RE.finditer(gap) if may_hold_aside else ()
    for aside in [*asides, None]:
        end = aside.start() if aside is not None else len(gap)
        for token in _TOKEN_RE.finditer(original, last, end):
            upper = token.group()[0].isupper()
            word = gap[token.start() : token.end()]
            if capitalised and word in _NAME_PARTICLES:
                continue
            if word in _FREE_WORDS:
                free += 1
            elif not (capitalised and upper):
                words += 1
            capitalised = upper
        last = aside.end() if aside is not None else end
    return words, free


def _may_hold_aside(gap: str) -> bool:
    """A cheap test that passes every gap `_SUBSET_RE` can find an aside in."""
    return "," in gap or "(" in gap or "includ" in gap


def _blocked(index: FigureIndex, start: int, end: int, gap: str, *, coordinated_ok: bool) -> bool:
    """Whether another number stands between, outside a subset ("including 8 children").

    With `coordinated_ok`, "4 militiamen and 3 militants were killed" shares the verb.
    """
    between = index.numbers_between(start, end)
    if not between:
        return False
    asides = (
        [(m.start() + start, m.end() + start) for m in _SUBSET_RE.finditer(gap)]
        if _may_hold_aside(gap)
        else []
    )
    if coordinated_ok:
        asides.extend(
            (n.start, n.end) for n in between if _AND_BEFORE_RE.search(gap, 0, n.start - start)
        )
    return any(
        not any(s <= n.start < e for s, e in asides) and not _counts_places_at(index, n)
        for n in between
    )


def _counts_places_at(index: FigureIndex, number: NumberMatch) -> bool:
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
    lo = max(sentence.start, start - 120)
    if lowered.find("number", lo, start) < 0 and lowered.find("total", lo, start) < 0:
        return None  # most numbers: a literal scan spares the pattern's search
    match = _TOTAL_OF_RE.search(lowered, lo, start)
    return _UNITS[match.group("unit")] if match is not None else None


def _label_measure(
    index: FigureIndex, sentence: Span, start: int, end: int
) -> tuple[Measure, str] | None:
    """In a table row or heading ("Houses destroyed: 146") the label names what is counted."""
    if index.lowered[end : sentence.end].strip(" .;:") or index.numbers_between(
        sentence.start, start
    ):
        return None
    label = index.lowered[sentence.start : start]
    if len(WORD_RE.findall(label)) > _MAX_LABEL_WORDS:
        return None
    hits = index.hits_in(sentence.start, start)
    if not hits:
        return None
    named = _LABEL_UNIT_RE.search(label)
    unit = _UNITS[named.group("unit")] if named is not None else "people"
    return hits[-1].trigger.measure, unit


def _zero_candidates(index: FigureIndex) -> list[FigureCandidate]:
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
