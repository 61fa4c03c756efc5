"""Place mentions: find toponyms in the text and resolve each to a gazetteer entry.

Finding looks every capitalised word up in the gazetteer's name trie (leftmost-longest),
then keeps the matches that read as names (capitalised, whole words, not part of a person's
or an organisation's name, not a common word). Capitalised phrases the trie missed are
looked up by their loose key, which absorbs transliteration differences; cues find names the
gazetteer lacks ("Royal Street", "the village of X, Idlib"). Resolution scores each entry by
kind, prominence, whether the name is its own, the article's country and admin1 focus, the
area named after a comma ("Louisville, Ky."), nearness to the towns only one place can be,
and cue words ("province of").
"""

from __future__ import annotations

import bisect
import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from sitroom.data import data_path, read_table
from sitroom.extract import gazetteer as gaz
from sitroom.extract.actors import find_actors
from sitroom.extract.text import Document
from sitroom.model import Place, PlaceMention, Span

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
# Bodies of a place that, written in lower case, leave the place a place ("London police").
_PLACE_BODIES = frozenset(
    "police government army forces authorities authority council guard army".split()
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
_ASCII_LETTERS = frozenset(string.ascii_letters)
_SPEAKER_VERBS = frozenset("said says recalled added explained asked wrote".split())
# Words before a name that make it a person's: "Mrs. Lincoln", "Pope Francis", "coach Ripley".
_PERSON_TITLES = frozenset(
    "mr mrs ms miss dr pope coach sen senator rep gov judge justice officer const constable "
    "sgt sergeant lt capt captain cpt col colonel gen general maj major rev reverend father "
    "sister brother prof professor sir lady lord king queen prince princess sheikh imam "
    "president minister detective det deputy chancellor mayor governor".split()
)
_SPEECH_AFTER = re.compile(
    r"\s+(said|says|say|warned|denied|accused|announced|insisted|claimed|rejected|"
    r"responded|called|demanded|urged|has said|had said)\b"
)
_CAPITALISED_PHRASE = re.compile(
    r"\b[A-Z][\w'`’ʿ-]*(?:[ -](?:(?:al|el|an|ad|as|ash|ar|at|az|ed|es|ez|de|du|la|le)[ -])?"
    r"[A-Z][\w'`’ʿ-]*)*"
)
_FEATURE_HEADS = (
    "Street St. Road Rd. Avenue Ave. Drive Lane Boulevard Blvd. Highway County Township Parish "
    "River Creek"
).split()
_AREA_WORDS = frozenset(
    "county township parish river creek province governorate state region oblast district "
    "prefecture municipality city town village camp valley hills heights market complex "
    "hall estate area".split()
)
_CUE_AREAS = frozenset({"admin1", "country"})
# "the village of X", "in X, Idlib": a name missing from the gazetteer is still a place.
_CUE_BEFORE = re.compile(
    r"\b(?:(?P<kind>village|town|city|hamlet|camp|neighbourhood|neighborhood|suburb|"
    r"settlement|community)[ \t]+of|[Ii]n|[Aa]t|[Nn]ear|[Oo]utside)[ \t]+$"
)
_FEATURE_WORDS = frozenset(head.rstrip(".") for head in _FEATURE_HEADS)
_FEATURE_PHRASE = re.compile(
    r"\b([A-Z][a-z'’]+(?:[ \t][A-Z][a-z'’]+){0,2})[ \t]"
    rf"(?:{'|'.join(re.escape(head) for head in _FEATURE_HEADS)})(?![\w-])"
)
_TOKEN = re.compile(r"[^\s-]+")
# "We're", "I've", "He's": a pronoun and a verb, never a name (loose keys drop the apostrophe).
_CONTRACTION = re.compile(r"['’](?:re|ve|ll|d|m|t|s)$", re.IGNORECASE)
_CONTRACTED = re.compile(r"(?:t|re|ve|ll|d|m)\b", re.IGNORECASE)
_AREA_KINDS = frozenset({"country", "admin1", "region"})
_TOWN_KINDS = frozenset({"city", "village"})
# English words that open a clause but never a person's name.
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor so yet if because though although while whereas when where why "
    "how what which who whom whose whether that this these those there here then now once "
    "also even only just still already always never often sometimes soon perhaps maybe "
    "indeed thus hence therefore however meanwhile instead otherwise overall anyway later "
    "earlier today yesterday tomorrow tonight another other every each both all many most "
    "much more less few several some any no none such same own last next first second "
    "third is are was were be been has have had do does did will would can could should "
    "may might must not than too very about above across after against along amid among "
    "around before behind below beneath beside besides between beyond by despite down "
    "during except following for from in inside into like near of off on onto outside over "
    "past per since through throughout toward towards under unlike until up upon via with "
    "within without i we you he she it they my our your his her its their me us him them "
    "let please thanks thank yes".split()
)
_PERSON_LIKE = re.compile(r"\b([A-Z][a-z]+)[ \t]+(?:[A-Z][a-z]*\.?[ \t]+)?([A-Z][a-z]{2,})\b")
# The word after a name, on the same line, skipping an article ("Bashar al Assad").
_NEXT_WORD = re.compile(
    r"[ \t]+(?:(?:al|el|an|ad|as|ash|ar|at|az|bin|ibn|abu|bint)[ -])?([A-Za-z]+)"
)
_IRREGULAR_DEMONYMS = frozenset(
    "turkish british french dutch swiss afghan welsh scottish irish spanish danish swedish "
    "finnish polish greek thai lebanese filipino kurd kurdish arab arabian emirati saudi "
    "yemeni omani qatari bahraini kuwaiti iraqi iranian persian congolese malian burkinabe "
    "nigerien chadian sudanese somali ethiopian eritrean kenyan ugandan rwandan burundian "
    "mozambican haitian israeli palestinian syrian russian ukrainian armenian azerbaijani "
    "azeri georgian belarusian american european african asian western".split()
)
_DEMONYM_ENDINGS = ("an", "ian", "ean", "ese", "i", "ish", "ic")
# Words after a place name that make it a modifier of a person or office, not part of a name:
# "U.S. President Donald Trump", "Kentucky Attorney General", "Gainesville Mayor".
_TITLES = frozenset(
    "president vice senator sen rep representative congressman congresswoman governor gov "
    "lieutenant lt attorney mayor sheriff secretary minister prime chancellor ambassador envoy "
    "officials official authorities lawmakers leader leaders delegation democrat democrats "
    "republican republicans".split()
)
# Local features named after a place, found inside it: "Gainesville Road" is in Gainesville's
# city, not in Gainesville wherever the gazetteer's entry is.
_LOCAL_FEATURES = frozenset(
    "street st road rd avenue ave drive boulevard blvd lane highway hwy square park bridge "
    "airport station mall centre center stadium school hospital church mosque county parish "
    "township".split()
)
_CAPITAL = re.compile(r"[A-ZÀ-ÞḀ-Ỿ]")
_ARTICLES = frozenset("al el an ad as ash ar at az ed es ez".split())
KIND_PRIOR = {"country": 6.0, "admin1": 3.0, "region": 6.0, "city": 0.0, "village": -1.0}
FEATURE_PRIOR = {"PPLC": 2.5, "PPLA": 2.0, "PPLA2": 1.0}
LOOSE_MATCH_CONFIDENCE = 0.85
COUNTRY_FOCUS_WEIGHT = 5.0
ADMIN1_FOCUS_WEIGHT = 5.0
CONTAINER_WEIGHT = 6.0
NEAR_WEIGHT = 2.0
NEAR_KM = 150.0
PRIMARY_NAME_WEIGHT = 1.5
#: The confidence of a name only one entry bears (a margin of 4 over no rival).
_ONLY_ENTRY_CONFIDENCE = 0.5 + 0.49 * (1 - math.exp(-2))
#: How far around a sentence-opening word its lower-case use is sought.
COMMON_WORD_REACH = 5_000
#: A cued name with no area beside it may lie in one of the article's most named areas.
MAX_CUE_AREAS = 5
#: Below this population a village is named in a report only beside its country's places.
SMALL_VILLAGE = 1_000
#: A town this big is not dropped for sharing a person's first name in the article.
PROMINENT_POPULATION = 100_000


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
    local_feature: bool = False


def find_candidates(
    text: str, lowered: str, gazetteer: gaz.Gazetteer, *, exclude: Sequence[Span] = ()
) -> list[Candidate]:
    """Toponym spans in `text` with the gazetteer entries each could be.

    `lowered` is the text folded and lower-cased with its offsets kept (`Document.lowered`);
    names overlapping an `exclude` span (an armed group's name, say) are not places.
    """
    lowered = gaz.as_matched(lowered)
    excluded = sorted(exclude)
    starts = [span.start for span in excluded]
    found = [
        c
        for c in _exact_candidates(text, lowered, gazetteer)
        if not _overlaps_any(c.span, excluded, starts)
    ]
    taken = [c.span for c in found]
    phrases = [m.span() for m in _CAPITALISED_PHRASE.finditer(text)]
    focus = _country_focus(found)
    found = [c for c in found if _plausible_village(c, text, focus)]
    found.extend(
        c
        for c in _loose_candidates(text, gazetteer, taken, phrases)
        if not _overlaps_any(c.span, excluded, starts) and _plausible_loose(c, text, focus)
    )
    taken = sorted((c.span for c in found), key=_span_order)
    found.extend(
        c
        for c in _feature_candidates(text, taken, phrases)
        if not _overlaps_any(c.span, excluded, starts)
    )
    found.extend(_cue_candidates(text, sorted(found, key=_candidate_order), phrases))
    surnames = _surnames(text, lowered, gazetteer)
    kept = (c for c in found if not _is_surname(c, text, surnames))
    return sorted(kept, key=_candidate_order)


def _span_order(span: Span) -> tuple[int, int]:
    return span.start, span.end


def _candidate_order(candidate: Candidate) -> tuple[int, int]:
    return candidate.span.start, candidate.span.end


def _plausible_village(candidate: Candidate, text: str, focus: Counter[str]) -> bool:
    """A one-word name that only small villages bear must lie in a country the article is
    about: "Welch" or "Ripley" in a report from elsewhere is a person."""
    entries = candidate.entries
    if " " in candidate.span.of(text) or any(
        e.kind != "village" or e.place.population >= SMALL_VILLAGE for e in entries
    ):
        return True
    return any(focus[e.place.country or ""] > 1 for e in entries)


def _plausible_loose(candidate: Candidate, text: str, focus: Counter[str]) -> bool:
    """A one-word near miss ("Saraqeb" for Saraqib) counts only in a country the article is
    about: in English text most one-word near misses are names and words, not places."""
    if " " in candidate.span.of(text):
        return True
    return any(e.kind in _AREA_KINDS or focus[e.place.country or ""] > 0 for e in candidate.entries)


def _surnames(text: str, lowered: str, gazetteer: gaz.Gazetteer) -> frozenset[str]:
    """Words of two- and three-word capitalised names that are not places ("Kristina Kelly").

    One sense per discourse: once "Kelly" is a person in an article, "Kelly" alone is too, and
    so is "Kristina" unless it is a town too big to be only someone's first name.
    """
    names = set()
    for phrase in _PERSON_LIKE.finditer(text):
        first, last = phrase.group(1), phrase.group(2)
        lowered_first = first.lower()
        if lowered_first in _MODIFIERS or lowered_first in _FUNCTION_WORDS:
            continue  # "Though London's total", "Another Gainesville business": no person
        if lowered_first in _common_words() or gazetteer.candidates(
            lowered[phrase.start() : phrase.end()]
        ):
            continue
        names.add(last)
        rest = phrase.group(0)[len(first) :].split()
        if all(map(_reads_as_surname, rest)) and not _is_prominent(
            gazetteer.candidates(lowered_first)
        ):
            names.add(first)
    return frozenset(names)


def _reads_as_surname(word: str) -> bool:
    """Not a word that makes the phrase a thing rather than a person ("Aleppo Airport")."""
    lowered = word.lower().rstrip(".")
    return not (
        lowered in _common_words()
        or lowered in _ORGANISATION_HEADS
        or lowered in _TITLES
        or lowered in _LOCAL_FEATURES
        or lowered in _AREA_WORDS
    )


def _is_prominent(entries: Sequence[gaz.Entry]) -> bool:
    return any(e.kind in _AREA_KINDS or e.place.population >= PROMINENT_POPULATION for e in entries)


def _is_surname(candidate: Candidate, text: str, surnames: frozenset[str]) -> bool:
    if candidate.span.of(text) not in surnames:
        return False
    return not any(e.kind in _AREA_KINDS for e in candidate.entries)


def _exact_candidates(text: str, lowered: str, gazetteer: gaz.Gazetteer) -> Iterator[Candidate]:
    """Leftmost-longest names starting at each capitalised word (or article before one)."""
    resume = 0
    for start in _name_starts(text):
        if start < resume:
            continue
        candidate = _longest_exact_match(text, lowered, start, gazetteer)
        if candidate is not None:
            resume = candidate.span.end
            yield candidate


def _name_starts(text: str) -> Iterator[int]:
    """Where a place name can begin: a capitalised word, or an Arabic article before one
    ("al-Bab"). One scan for capitals, then a look back, costs a fifth of one regex for both."""
    for capital in _CAPITAL.finditer(text):
        start = capital.start()
        if start and _continues_word(text[start - 1]):
            continue  # "McDonald", "O'Brien": inside a word
        if start >= 3 and text[start - 1] in "- ":
            article = start - 1
            while article > 0 and start - 1 - article < 3 and text[article - 1].isalpha():
                article -= 1
            if text[article : start - 1] in _ARTICLES and not (
                article and _continues_word(text[article - 1])
            ):
                yield article
                continue
        yield start


def _continues_word(char: str) -> bool:
    return char.isalnum() or char in "_'’`"


def _longest_exact_match(
    text: str, lowered: str, start: int, gazetteer: gaz.Gazetteer
) -> Candidate | None:
    for end in gazetteer.prefixes(lowered, start):
        if not _reads_as_name(text, start, end):
            continue
        entries = gazetteer.candidates(lowered[start:end])
        if entries and not _is_other_use(text, start, end, entries):
            return _candidate(text, start, end, entries, loose=False)
    return None


def _candidate(
    text: str, start: int, end: int, entries: tuple[gaz.Entry, ...], *, loose: bool
) -> Candidate:
    """The candidate for a name, widened to "X Street" when a local feature bears the name."""
    feature = _NEXT_WORD.match(text, end, min(len(text), end + 40))
    if (
        feature
        and feature.start(1) == end + 1
        and feature.group(1)[0].isupper()
        and feature.group(1).lower() in _LOCAL_FEATURES
    ):
        return Candidate(Span(start, feature.end(1)), entries, loose, local_feature=True)
    cue = _has_admin_cue(text, start, end)
    return Candidate(Span(start, end), entries, loose, admin_cue=cue)


def _loose_candidates(
    text: str, gazetteer: gaz.Gazetteer, taken: list[Span], phrases: Iterable[tuple[int, int]]
) -> Iterator[Candidate]:
    starts = [t.start for t in taken]  # sorted: exact matches come in text order
    for start, end in phrases:
        if _overlaps(start, end, taken, starts):
            continue
        match = _longest_loose_match(text, Span(start, end), gazetteer)
        if match is not None:
            yield match


def _feature_candidates(
    text: str, taken: list[Span], phrases: Iterable[tuple[int, int]]
) -> Iterator[Candidate]:
    """ "Royal Street", "Freestone County": local features the gazetteer lacks, placed later
    in the article's main town."""
    starts = [t.start for t in taken]
    for start, end in phrases:
        if _FEATURE_WORDS.isdisjoint(text[start:end].split()[1:]):
            continue  # only a capitalised phrase with "Street" or "County" in it can hold one
        phrase = _FEATURE_PHRASE.search(text, start, min(len(text), end + 1))
        if phrase is None:
            continue
        span = Span(phrase.start(), phrase.end())
        if phrase.group(1).lower() in _common_words() or _overlaps_any(span, taken, starts):
            continue
        if _reads_as_name(text, span.start, phrase.end(1)):
            yield Candidate(span, (), local_feature=True)


def _cue_candidates(
    text: str, found: list[Candidate], phrases: Iterable[tuple[int, int]]
) -> Iterator[Candidate]:
    """Names the gazetteer lacks that a cue marks as places, placed in the area named with them:
    "the village of Kafr Tal, Idlib" is in Idlib, "in Harwinton, Conn." in Connecticut."""
    taken = [c.span for c in found]
    starts = [t.start for t in taken]
    areas = tuple(
        entry
        for entry, _ in Counter(
            e for c in found for e in c.entries if e.kind in _CUE_AREAS
        ).most_common(MAX_CUE_AREAS)
    )
    for start, end in phrases:
        if _overlaps(start, end, taken, starts) or text[start - 1 : start] != " ":
            continue
        cue = _CUE_BEFORE.search(text, max(0, start - 40), start)
        if cue is None or text[start:end].lower() in _common_words():
            continue
        span = Span(start, end)
        index = bisect.bisect_left(starts, span.end)
        after = found[index] if index < len(found) else None
        if after and text[span.end : after.span.start] == ", ":
            within = tuple(e for e in after.entries if e.kind in _CUE_AREAS)
            if within:
                yield Candidate(span, within)
                continue
        if cue.group("kind") and areas:
            yield Candidate(span, areas)


def _overlaps_any(span: Span, taken: list[Span], starts: list[int]) -> bool:
    """Whether `span` overlaps one of the sorted, non-overlapping `taken` spans."""
    return _overlaps(span.start, span.end, taken, starts)


def _overlaps(start: int, end: int, taken: list[Span], starts: list[int]) -> bool:
    index = bisect.bisect_left(starts, end) - 1
    return index >= 0 and taken[index].end > start


def _longest_loose_match(text: str, span: Span, gazetteer: gaz.Gazetteer) -> Candidate | None:
    for start, end, entries in _loose_names(gazetteer, span.of(text)):
        start, end = start + span.start, end + span.start
        if not _is_other_use(text, start, end, entries):
            return _candidate(text, start, end, entries, loose=True)
    return None


@lru_cache(maxsize=1 << 16)
def _loose_names(
    gazetteer: gaz.Gazetteer, phrase: str
) -> tuple[tuple[int, int, tuple[gaz.Entry, ...]], ...]:
    """Runs of a capitalised phrase's words that read as names and have loose matches, longest
    first. Only the phrase decides them, and capitalised phrases recur, so they are cached."""
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(phrase)]
    found = []
    for size in range(len(tokens), 0, -1):
        for i in range(len(tokens) - size + 1):
            start, end = tokens[i][0], tokens[i + size - 1][1]
            if end - start < 4 or not _reads_as_name(phrase, start, end):
                continue
            entries = gazetteer.loose_candidates(phrase[start:end])
            if entries:
                found.append((start, end, entries))
    return tuple(found)


def _reads_as_name(text: str, start: int, end: int) -> bool:
    """Whole words, capitalised except for particles, and not a common word."""
    if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        return False
    if end < len(text) and text[end] in "'’" and _CONTRACTED.match(text, end + 1):
        return False  # "Don't", "Won’t": a verb, not Don or Won
    name = text[start:end]
    tokens = name.replace("-", " ").split()
    if not tokens or not any(t[0].isupper() for t in tokens):
        return False
    if not all(t[0].isupper() or t.lower().strip("'`’") in _PARTICLES for t in tokens):
        return False
    last = tokens[-1]
    if last.lower() in _PARTICLES or (("'" in last or "’" in last) and _CONTRACTION.search(last)):
        return False
    return not (name.lower() in _common_words() and not (len(tokens) == 1 and name.isupper()))


def _is_other_use(text: str, start: int, end: int, entries: tuple[gaz.Entry, ...]) -> bool:
    """A demonym, part of a person's or organisation's name, or a capital for a government."""
    name = text[start:end]
    if _is_demonym(name):
        return True
    after = text[end : end + 40]
    if _is_part_of_longer_name(text, start, after):
        return True
    area = any(e.kind in _AREA_KINDS for e in entries)
    if not area and (_reads_as_person(text, start, end) or _is_common_word_here(text, start, name)):
        return True
    if _SPEECH_AFTER.match(after) and not any(e.kind == "country" for e in entries):
        return True  # "Kelly said"; "Moscow said" is the government speaking
    return _is_acronym(name) and not area


def _is_part_of_longer_name(text: str, start: int, after: str) -> bool:
    """ "Bashar al Assad", "Al Watan Daily", "Abraham Lincoln": one longer name."""
    next_word = _NEXT_WORD.match(after)
    if next_word and _is_organisation_head(next_word.group(1)):
        return True
    if next_word and next_word.group(1)[0].isupper() and not _ADMIN_CUES.match(after):
        word = next_word.group(1).lower()
        if word not in _TITLES and word not in _common_words():
            return True
    previous = _previous_word(text, start)
    if previous and previous[0].isupper() and previous.lower() not in _MODIFIERS:
        return not _starts_sentence(text, start - 1 - len(previous))
    return False


def _previous_word(text: str, start: int) -> str:
    """The word just before `start`, one space or tab away, when it is all ASCII letters."""
    if start < 2 or text[start - 1] not in " \t":
        return ""
    end = begin = start - 1
    while begin > 0 and begin > start - 30 and text[begin - 1] in _ASCII_LETTERS:
        begin -= 1
    return text[begin:end]


def _is_organisation_head(word: str) -> bool:
    """ "Toronto Police" names a force and "Al Watan newspaper" a paper; "London police" are
    the police of a place."""
    lowered = word.lower()
    if lowered not in _ORGANISATION_HEADS:
        return False
    return word[0].isupper() or lowered not in _PLACE_BODIES


def _reads_as_person(text: str, start: int, end: int) -> bool:
    """ "Mrs. Lincoln", "Pope Francis", "coach Ripley", '," said Georgia.': a person."""
    if start < 2 or text[start - 1] not in " \t":
        return False
    words = text[max(0, start - 20) : start].split()
    previous = words[-1].lower() if words else ""
    if previous.rstrip(".") in _PERSON_TITLES:
        return True
    return previous in _SPEAKER_VERBS and text[end : end + 1] in (".", ",")


def _is_common_word_here(text: str, start: int, name: str) -> bool:
    """ "Maybe" opening a sentence, in an article that writes "maybe" elsewhere."""
    if " " in name or not _starts_sentence(text, start):
        return False
    # Only the neighbourhood is searched: a whole book would make this quadratic.
    window = max(0, start - COMMON_WORD_REACH), start + COMMON_WORD_REACH
    return re.search(rf"\b{re.escape(name.lower())}\b", text[window[0] : window[1]]) is not None


def _is_acronym(name: str) -> bool:
    """All capitals ("FDA", "NATO"): such a place name must come from a country's alias."""
    return name.isupper() and " " not in name and len(name.replace(".", "")) <= 5


@lru_cache(maxsize=1 << 14)
def _is_demonym(name: str) -> bool:
    """ "Syrian", "Iraqi", "Sudanese", "Turkish": adjectives of a country, not places.

    Only words with a demonym's ending: "Nigeria" holds "Niger" and "Indiana" holds "India",
    yet both are places.
    """
    word = name.lower()
    if word in _IRREGULAR_DEMONYMS:
        return True
    if " " in word or len(word) < 5 or not word.endswith(_DEMONYM_ENDINGS):
        return False
    stems = {word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-3] + "a", word + "a"}
    stems.add(word + "y")  # "German" for Germany
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


def resolve(candidates: list[Candidate], text: str, *, article_id: str = "") -> list[PlaceMention]:
    """The best entry for each candidate, given the article's country and admin1 focus."""
    countries, admin1 = _country_focus(candidates), _admin1_focus(candidates)
    focus = _Focus(countries, admin1, _anchors(candidates), countries.total(), admin1.total())
    within = _containers(candidates, text)
    mentions = [
        _resolve_one(c, text, focus, within.get(i), article_id) for i, c in enumerate(candidates)
    ]
    town = _main_town(m for m, c in zip(mentions, candidates, strict=True) if not c.local_feature)
    placed = []
    for mention, candidate in zip(mentions, candidates, strict=True):
        if candidate.local_feature and town is not None:
            mention = replace(mention, place=town, confidence=0.5)
        if mention.place is not None:
            placed.append(mention)
    return placed


@dataclass(frozen=True, slots=True)
class _Focus:
    """How often the article points into each country and each first-level area."""

    countries: Counter[str]
    admin1: Counter[str]
    #: Points of the towns the article names that can only be one place, by cell.
    anchors: dict[tuple[int, int], list[tuple[float, float]]]
    countries_total: int = 0
    admin1_total: int = 0


def _main_town(mentions: Iterable[PlaceMention]) -> Place | None:
    """The town an article names most often: where its streets and schools are."""
    towns = Counter(m.place for m in mentions if m.place and m.place.kind in _TOWN_KINDS)
    return towns.most_common(1)[0][0] if towns else None


def _containers(candidates: Sequence[Candidate], text: str) -> dict[int, frozenset[str]]:
    """ "Louisville, Ky.", "Ariha, Idlib": codes of the areas the name after a comma can be."""
    within = {}
    for i in range(len(candidates) - 1):
        name, area = candidates[i], candidates[i + 1]
        if text[name.span.end : area.span.start].strip() != ",":
            continue
        codes = {e.admin1_code for e in area.entries if e.kind == "admin1" and e.admin1_code}
        codes |= {e.place.country for e in area.entries if e.kind == "country" and e.place.country}
        if codes:
            within[i] = frozenset(codes)
    return within


def _resolve_one(
    candidate: Candidate,
    text: str,
    focus: _Focus,
    within: frozenset[str] | None,
    article_id: str,
) -> PlaceMention:
    name = candidate.span.of(text)
    if not candidate.entries:
        return PlaceMention(article_id, candidate.span, name, None, 0.0)
    if len(candidate.entries) == 1:
        best, confidence = candidate.entries[0], _ONLY_ENTRY_CONFIDENCE
    else:
        best, margin = _best_entry(candidate, name, focus, within)
        confidence = 0.5 + 0.49 * (1 - math.exp(-margin / 2))
    if candidate.loose:
        confidence *= LOOSE_MATCH_CONFIDENCE
    return PlaceMention(
        article_id=article_id,
        span=candidate.span,
        text=name,
        place=best.place,
        confidence=round(confidence, 3),
    )


def _best_entry(
    candidate: Candidate, name: str, focus: _Focus, within: frozenset[str] | None
) -> tuple[gaz.Entry, float]:
    """The highest-scoring entry and its margin over the runner-up."""
    key = _name_key(name)
    # A mention does not vote for itself: "Atlantic" is a US town only beside other US places.
    votes = _Votes(focus, candidate)
    scored = sorted(
        (
            (_score(e, candidate, votes, within) + _primary_bonus(e, key), i, e)
            for i, e in enumerate(candidate.entries)
        ),
        key=lambda item: (-item[0], item[1]),
    )
    return scored[0][2], scored[0][0] - scored[1][0]


@lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> str:
    return gaz.loose_key(name)


def _primary_bonus(entry: gaz.Entry, key: str) -> float:
    """An entry called by its own name beats one that bears the name only as a former or
    foreign alternate: "Manchester" is the English city, not Richmond, which absorbed a
    Manchester."""
    return PRIMARY_NAME_WEIGHT if _name_key(entry.place.name) == key else 0.0


def _country_focus(candidates: Iterable[Candidate]) -> Counter[str]:
    """How often each country is named outright or is the only country a mention could be in."""
    return Counter(vote for vote in map(_country_vote, candidates) if vote)


def _country_vote(candidate: Candidate) -> str | None:
    """The one country a mention points to, if it points to one."""
    countries = {e.place.country for e in candidate.entries if e.place.country}
    if len(countries) == 1:
        return countries.pop()
    if countries and candidate.entries[0].kind == "country":
        # "Georgia" in an article about Atlanta is the state: a homonym names no country
        named = {e.place.country for e in candidate.entries if e.kind in _AREA_KINDS}
        return named.pop() if len(named) == 1 else None
    return None


def _anchors(candidates: Iterable[Candidate]) -> dict[tuple[int, int], list[tuple[float, float]]]:
    """Points of the towns only one place can be, by 2-degree cell, so that a long article's
    thousands of towns are not each compared with every other."""
    points = {
        (c.entries[0].place.lat, c.entries[0].place.lon)
        for c in candidates
        if len(c.entries) == 1 and c.entries[0].kind in _TOWN_KINDS
    }
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for lat, lon in points:
        cells.setdefault(_cell(lat, lon), []).append((lat, lon))
    return cells


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(lat // 2), int(lon // 2)


def _near_an_anchor(
    place: Place, anchors: dict[tuple[int, int], list[tuple[float, float]]]
) -> bool:
    if not anchors:
        return False
    row, column = _cell(place.lat, place.lon)
    reach = 1 if abs(place.lat) < 45 else 2  # a degree of longitude shrinks toward the poles
    return any(
        (lat, lon) != (place.lat, place.lon)
        and gaz.haversine_km(lat, lon, place.lat, place.lon) <= NEAR_KM
        for dr in (-1, 0, 1)
        for dc in range(-reach, reach + 1)
        for lat, lon in anchors.get((row + dr, column + dc), ())
    )


def _admin1_focus(candidates: Iterable[Candidate]) -> Counter[str]:
    """How often each first-level area is named, or is the only one a mention could be in."""
    return Counter(vote for vote in map(_admin1_vote, candidates) if vote)


def _admin1_vote(candidate: Candidate) -> str | None:
    """The one first-level area a mention points to, if it points to one."""
    if any(e.kind == "country" for e in candidate.entries):
        return None
    named = {e.admin1_code for e in candidate.entries if e.kind == "admin1"}
    codes = named or {e.admin1_code for e in candidate.entries}
    return codes.pop() if len(codes) == 1 else None


class _Votes:
    """The article's focus less one mention's own votes."""

    __slots__ = ("admin1", "admin1_total", "anchors", "countries", "countries_total", "own")

    def __init__(self, focus: _Focus, candidate: Candidate) -> None:
        self.countries, self.admin1, self.anchors = focus.countries, focus.admin1, focus.anchors
        self.own = (_country_vote(candidate), _admin1_vote(candidate))
        self.countries_total = focus.countries_total - (self.own[0] is not None)
        self.admin1_total = focus.admin1_total - (self.own[1] is not None)

    def country_share(self, country: str) -> float:
        return (self.countries[country] - (country == self.own[0])) / self.countries_total

    def admin1_share(self, code: str) -> float:
        return (self.admin1[code] - (code == self.own[1])) / self.admin1_total


def _score(
    entry: gaz.Entry, candidate: Candidate, votes: _Votes, within: frozenset[str] | None
) -> float:
    place = entry.place
    score = KIND_PRIOR.get(place.kind, 0.0) + FEATURE_PRIOR.get(entry.feature, 0.0)
    score += 0.5 * math.log10(place.population + 10)
    if votes.countries_total and place.country:
        score += COUNTRY_FOCUS_WEIGHT * votes.country_share(place.country)
    if votes.admin1_total and entry.admin1_code and place.kind != "admin1":
        score += ADMIN1_FOCUS_WEIGHT * votes.admin1_share(entry.admin1_code)
    if len(candidate.entries) > 1 and _near_an_anchor(place, votes.anchors):
        score += NEAR_WEIGHT
    if within and (entry.admin1_code in within or place.country in within):
        score += CONTAINER_WEIGHT
    if candidate.admin_cue and place.kind == "admin1":
        score += 6.0
    return score


@cache
def _actor_words() -> tuple[frozenset[str], int]:
    """Every word of an actor's surface form, and the longest form's length."""
    surfaces = [row[0].lower() for row in read_table("actors.tsv")]
    words = frozenset(w for surface in surfaces for w in _TOKEN.findall(surface))
    return words, max(map(len, surfaces), default=0)


def _actor_spans(folded: str, candidates: Sequence[Candidate]) -> list[Span]:
    """Actors' names overlapping a candidate, sought only near candidates that could be one.

    Scanning the whole text for every actor's name cost more than finding the places.
    """
    words, longest = _actor_words()
    windows: list[list[int]] = []
    for candidate in candidates:
        name = folded[candidate.span.start : candidate.span.end].lower()
        if not any(w in words for w in _TOKEN.findall(name)):
            continue
        start, end = max(0, candidate.span.start - longest), candidate.span.end + longest
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    spans = [m.span for start, end in windows for m in find_actors(folded, start, end)]
    return sorted(set(spans))


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
        candidates = find_candidates(doc.text, doc.lowered, self.load())
        # "Taliban" and "Arakan Army" are GeoNames names too; as actors they are not places.
        actors = _actor_spans(doc.folded, candidates)
        if actors:
            starts = [span.start for span in actors]
            candidates = [c for c in candidates if not _overlaps_any(c.span, actors, starts)]
        mentions = resolve(candidates, doc.text, article_id=doc.article.id)
        return replace(doc, places=tuple(mentions))
