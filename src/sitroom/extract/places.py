"""Place mentions: find toponyms in the text and resolve each to a gazetteer entry.

Finding runs the gazetteer's Aho-Corasick automaton once over the folded, lower-cased text,
then keeps the matches that read as names (capitalised, whole words, not part of a person's
or an organisation's name, not a common word). Capitalised phrases the automaton missed are
looked up by their loose key, which absorbs transliteration differences. Resolution scores
each candidate by kind, prominence, the article's country focus and cue words ("province of").
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache

from sitroom.data import data_path
from sitroom.extract import gazetteer as gaz
from sitroom.extract.actors import find_actors
from sitroom.extract.text import Document
from sitroom.model import PlaceMention, Span

__all__ = ["Candidate", "PlaceExtractor", "find_candidates", "resolve"]

# Lower-case words allowed inside a place name ("Maaret al Numan", "Bosnia and Herzegovina").
_PARTICLES = frozenset(
    "al el an ad as ash ar at az ad ed es et ez adh ath and de del della der des di du da "
    "dos das do la le les los of the on upon sur en bin ibn bani y i e".split()
)
# Capitalised words that may stand before a place name without making it another name.
_MODIFIERS = frozenset(
    "north south east west northern southern eastern western northeastern northwestern "
    "southeastern southwestern central greater upper lower old rural in at from to the and "
    "near of outside across into inside".split()
)
# Words after a place name that make the whole an organisation, not a place.
_ORGANISATION_HEADS = frozenset(
    "newspaper daily agency ministry observatory times post herald tribune journal television "
    "tv radio news airlines airways university college club fc party front council government "
    "army police forces guard brigade brigades battalion regiment media network company bank "
    "institute foundation committee commission league movement group authority authorities "
    "embassy consulate federation association".split()
)
_ADMIN_CUES = re.compile(
    r"\s*(province|governorate|governorates|provinces|state|region|oblast|prefecture|county|"
    r"district|department|division|territory)\b",
    re.IGNORECASE,
)
# The rest of a list of names that ends in a plural cue: ", southern Idlib and Aleppo governorates".
_LIST_THEN_PLURAL_CUE = re.compile(
    r"(?:(?:,|,? and)[ \t]+(?:[a-z]+ern[ \t]+)?[A-Z][\w'’-]*(?:[ \t-][A-Z][\w'’-]*)*)+[ \t]+"
    r"(?:provinces|governorates|states|regions|oblasts|districts|counties)\b"
)
# "the province of Idlib"; "Nahrin district, Baghlan" names the province after the district.
_ADMIN_CUE_BEFORE = re.compile(
    r"\b(?:(?:province|governorate|state|region|oblast|prefecture|county|district)s?\s+of\s+|"
    r"(?:district|city|town|village|area|camp|subdistrict),[ \t]+)$",
    re.IGNORECASE,
)
_SPEECH_AFTER = re.compile(
    r"\s+(said|says|say|warned|denied|accused|announced|insisted|claimed|rejected|"
    r"responded|called|demanded|urged|has said|had said)\b"
)
_CAPITALISED_PHRASE = re.compile(
    r"\b[A-Z][\w'`’ʿ-]*(?:[ -](?:(?:al|el|an|ad|as|ash|ar|at|az|ed|es|ez|de|du|la|le)[ -])?"
    r"[A-Z][\w'`’ʿ-]*)*"
)
_TOKEN = re.compile(r"[^\s-]+")
# "We're", "I've", "He's": a pronoun and a verb, never a name (loose keys drop the apostrophe).
_CONTRACTION = re.compile(r"['’](?:re|ve|ll|d|m|t|s)$", re.IGNORECASE)
_AREA_KINDS = frozenset({"country", "admin1", "region"})
_PERSON_LIKE = re.compile(r"\b([A-Z][a-z]+)[ \t]+(?:[A-Z][a-z]*\.?[ \t]+)?([A-Z][a-z]{2,})\b")
# The word after a name, on the same line, skipping an article ("Bashar al Assad").
_NEXT_WORD = re.compile(
    r"[ \t]+(?:(?:al|el|an|ad|as|ash|ar|at|az|bin|ibn|abu|bint)[ -])?([A-Za-z]+)"
)
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[ \t]$")
_IRREGULAR_DEMONYMS = frozenset(
    "turkish british french dutch swiss afghan welsh scottish irish spanish danish swedish "
    "finnish polish greek thai lebanese filipino kurd kurdish arab arabian emirati saudi "
    "yemeni omani qatari bahraini kuwaiti iraqi iranian persian congolese malian burkinabe "
    "nigerien chadian sudanese somali ethiopian eritrean kenyan ugandan rwandan burundian "
    "mozambican haitian israeli palestinian syrian russian ukrainian armenian azerbaijani "
    "azeri georgian belarusian american european african asian western".split()
)
# Where a place name can begin: a capitalised word, or an Arabic article before one ("al-Bab").
_NAME_START = re.compile(
    r"(?<![\w'’`])(?:[A-ZÀ-ÞḀ-Ỿ]|(?:al|el|an|ad|as|ash|ar|at|az|ed|es|ez)[- ][A-ZÀ-ÞḀ-Ỿ])"
)
_HYPHENS_AS_SPACES = str.maketrans({"-": " ", "_": " "})
KIND_PRIOR = {"country": 6.0, "admin1": 3.0, "region": 3.5, "city": 0.0, "village": -1.0}
FEATURE_PRIOR = {"PPLC": 2.5, "PPLA": 2.0, "PPLA2": 1.0}
LOOSE_MATCH_CONFIDENCE = 0.85


@cache
def _common_words() -> frozenset[str]:
    text = data_path("not_places.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A found toponym before resolution: its span, its entries, and how it was matched."""

    span: Span
    entries: tuple[gaz.Entry, ...]
    loose: bool = False
    admin_cue: bool = False


def find_candidates(
    text: str, lowered: str, gazetteer: gaz.Gazetteer, *, exclude: Sequence[Span] = ()
) -> list[Candidate]:
    """Toponym spans in `text` with the gazetteer entries each could be.

    `lowered` is the text folded and lower-cased with its offsets kept (`Document.lowered`);
    names overlapping an `exclude` span (an armed group's name, say) are not places.
    """
    lowered = lowered.translate(_HYPHENS_AS_SPACES)
    excluded = sorted(exclude)
    starts = [span.start for span in excluded]
    found = [
        c
        for c in _exact_candidates(text, lowered, gazetteer)
        if not _overlaps_any(c.span, excluded, starts)
    ]
    taken = [c.span for c in found]
    found.extend(
        c
        for c in _loose_candidates(text, gazetteer, taken)
        if not _overlaps_any(c.span, excluded, starts)
    )
    surnames = _surnames(text, lowered, gazetteer)
    return sorted((c for c in found if not _is_surname(c, text, surnames)), key=lambda c: c.span)


def _surnames(text: str, lowered: str, gazetteer: gaz.Gazetteer) -> frozenset[str]:
    """Last words of two- and three-word capitalised names that are not places ("John Kelly").

    One sense per discourse: once "Kelly" is a person in an article, "Kelly" alone is too.
    """
    names = set()
    for phrase in _PERSON_LIKE.finditer(text):
        first, last = phrase.group(1), phrase.group(2)
        if first.lower() in _MODIFIERS or first.lower() in _common_words():
            continue
        key = lowered[phrase.start() : phrase.end()]
        if not gazetteer.candidates(key):
            names.add(last)
    return frozenset(names)


def _is_surname(candidate: Candidate, text: str, surnames: frozenset[str]) -> bool:
    if candidate.span.of(text) not in surnames:
        return False
    return not any(e.kind in _AREA_KINDS for e in candidate.entries)


def _exact_candidates(text: str, lowered: str, gazetteer: gaz.Gazetteer) -> Iterator[Candidate]:
    """Leftmost-longest names starting at each capitalised word (or article before one)."""
    resume = 0
    for word in _NAME_START.finditer(text):
        start = word.start()
        if start < resume:
            continue
        candidate = _longest_exact_match(text, lowered, start, gazetteer)
        if candidate is not None:
            resume = candidate.span.end
            yield candidate


def _longest_exact_match(
    text: str, lowered: str, start: int, gazetteer: gaz.Gazetteer
) -> Candidate | None:
    for end in gazetteer.prefixes(lowered, start):
        if not _reads_as_name(text, start, end):
            continue
        entries = tuple(gazetteer.candidates(lowered[start:end]))
        if entries and not _is_other_use(text, start, end, entries):
            return Candidate(Span(start, end), entries, admin_cue=_has_admin_cue(text, start, end))
    return None


def _loose_candidates(
    text: str, gazetteer: gaz.Gazetteer, taken: list[Span]
) -> Iterator[Candidate]:
    starts = [t.start for t in taken]  # sorted: exact matches come in text order
    for phrase in _CAPITALISED_PHRASE.finditer(text):
        span = Span(phrase.start(), phrase.end())
        if _overlaps_any(span, taken, starts):
            continue
        match = _longest_loose_match(text, span, gazetteer)
        if match is not None:
            yield match


def _overlaps_any(span: Span, taken: list[Span], starts: list[int]) -> bool:
    """Whether `span` overlaps one of the sorted, non-overlapping `taken` spans."""
    index = bisect.bisect_left(starts, span.end) - 1
    return index >= 0 and taken[index].end > span.start


def _longest_loose_match(text: str, span: Span, gazetteer: gaz.Gazetteer) -> Candidate | None:
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text, span.start, span.end)]
    for size in range(len(tokens), 0, -1):
        for i in range(len(tokens) - size + 1):
            start, end = tokens[i][0], tokens[i + size - 1][1]
            name = text[start:end]
            if len(name) < 4 or not _reads_as_name(text, start, end):
                continue
            entries = tuple(gazetteer.loose_candidates(name))
            if entries and not _is_other_use(text, start, end, entries):
                cue = _has_admin_cue(text, start, end)
                return Candidate(Span(start, end), entries, loose=True, admin_cue=cue)
    return None


def _reads_as_name(text: str, start: int, end: int) -> bool:
    """Whole words, capitalised except for particles, and not a common word."""
    if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        return False
    tokens = _TOKEN.findall(text, start, end)
    if not tokens or not any(t[0].isupper() for t in tokens):
        return False
    if not all(t[0].isupper() or t.lower().strip("'`’") in _PARTICLES for t in tokens):
        return False
    if tokens[-1].lower() in _PARTICLES or _CONTRACTION.search(tokens[-1]):
        return False
    name = text[start:end]
    return not (name.lower() in _common_words() and not (len(tokens) == 1 and name.isupper()))


def _is_other_use(text: str, start: int, end: int, entries: tuple[gaz.Entry, ...]) -> bool:
    """A demonym, part of a person's or organisation's name, or a capital for a government."""
    if _is_demonym(text[start:end]):
        return True
    after = text[end : end + 40]
    next_word = _NEXT_WORD.match(after)
    if next_word and next_word.group(1).lower() in _ORGANISATION_HEADS:
        return True
    if next_word and next_word.group(1)[0].isupper() and not _ADMIN_CUES.match(after):
        return True  # "Bashar al Assad", "Al Watan Daily": one longer name
    previous = _PREVIOUS_WORD.search(text[max(0, start - 30) : start])
    if previous and previous.group(1)[0].isupper() and previous.group(1).lower() not in _MODIFIERS:
        return not _starts_sentence(text, previous.start() + max(0, start - 30))
    if _SPEECH_AFTER.match(after) and not any(e.kind == "country" for e in entries):
        return True  # "Kelly said"; "Moscow said" is the government speaking
    return _is_acronym(text[start:end]) and not any(e.kind in _AREA_KINDS for e in entries)


def _is_acronym(name: str) -> bool:
    """All capitals ("FDA", "NATO"): such a place name must come from a country's alias."""
    return name.isupper() and " " not in name and len(name.replace(".", "")) <= 5


def _is_demonym(name: str) -> bool:
    """ "Syrian", "Iraqi", "Sudanese", "Turkish": adjectives of a country, not places."""
    word = name.lower()
    if word in _IRREGULAR_DEMONYMS:
        return True
    if " " in word or len(word) < 5:
        return False
    stems = {word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-3] + "a", word + "a"}
    if word.endswith("ese"):
        stems.add(word[:-3])
    return any(stem in _country_names() for stem in stems)


@cache
def _country_names() -> frozenset[str]:
    return frozenset(e.place.name.lower() for e in gaz.load().countries.values())


def _starts_sentence(text: str, offset: int) -> bool:
    before = text[max(0, offset - 3) : offset].strip()
    return not before or before[-1] in ".!?\"'\n"


def _has_admin_cue(text: str, start: int, end: int) -> bool:
    """ "Idlib province", "the province of Idlib", "Hama, Idlib and Aleppo governorates"."""
    before = text[max(0, start - 40) : start]
    if _ADMIN_CUES.match(text, end) or _ADMIN_CUE_BEFORE.search(before):
        return True
    return _LIST_THEN_PLURAL_CUE.match(text, end, min(len(text), end + 120)) is not None


def resolve(candidates: list[Candidate], text: str) -> list[PlaceMention]:
    """The best entry for each candidate, given the article's country focus."""
    focus = _country_focus(candidates)
    mentions = []
    for candidate in candidates:
        scored = sorted(
            ((_score(e, candidate, focus), i, e) for i, e in enumerate(candidate.entries)),
            key=lambda item: (-item[0], item[1]),
        )
        best_score, _, best = scored[0]
        margin = best_score - scored[1][0] if len(scored) > 1 else 4.0
        confidence = 0.5 + 0.49 * (1 - math.exp(-margin / 2))
        if candidate.loose:
            confidence *= LOOSE_MATCH_CONFIDENCE
        mentions.append(
            PlaceMention(
                article_id="",
                span=candidate.span,
                text=candidate.span.of(text),
                place=best.place,
                confidence=round(confidence, 3),
            )
        )
    return mentions


def _country_focus(candidates: Iterable[Candidate]) -> Counter[str]:
    """How often each country is named outright or is the only country a mention could be in."""
    focus: Counter[str] = Counter()
    for candidate in candidates:
        named = {e.place.country for e in candidate.entries if e.kind == "country"}
        focus.update(c for c in named if c)
        countries = {e.place.country for e in candidate.entries if e.place.country}
        if len(countries) == 1 and not named:
            focus.update(countries)
    return focus


def _score(entry: gaz.Entry, candidate: Candidate, focus: Counter[str]) -> float:
    place = entry.place
    score = KIND_PRIOR.get(place.kind, 0.0) + FEATURE_PRIOR.get(entry.feature, 0.0)
    score += 0.5 * math.log10(place.population + 10)
    total = sum(focus.values())
    if total and place.country:
        score += 5.0 * focus[place.country] / total
    if candidate.admin_cue and place.kind == "admin1":
        score += 6.0
    return score


class PlaceExtractor:
    """Pipeline component: adds `places`, every toponym with its resolved place."""

    name = "places"
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ("places",)

    def __init__(self, gazetteer: gaz.Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    def load(self) -> gaz.Gazetteer:
        """The gazetteer this component resolves against, loaded on first use."""
        if self._gazetteer is None:
            self._gazetteer = gaz.load()
        return self._gazetteer

    def __call__(self, doc: Document) -> Document:
        """The document with its place mentions."""
        # "Taliban" and "Arakan Army" are GeoNames names too; as actors they are not places.
        actors = [m.span for m in find_actors(doc.folded)]
        candidates = find_candidates(doc.text, doc.lowered, self.load(), exclude=actors)
        mentions = resolve(candidates, doc.text)
        article_id = doc.article.id
        return replace(doc, places=tuple(replace(m, article_id=article_id) for m in mentions))
