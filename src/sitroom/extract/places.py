"""Place mentions: find toponyms in the text and resolve each to a gazetteer entry.

Finding looks every capitalised word up in the gazetteer's name trie (leftmost-longest),
then keeps the matches that read as names (`not_places` says which do not: demonyms, people,
organisations, common words). Capitalised phrases the trie missed are looked up by their loose
key, which absorbs transliteration differences; cues find names the gazetteer lacks ("Royal
Street", "the village of X, Idlib", and, in `place_cues`, "X village, Y district").
`place_resolution` then picks each name's entry.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache, partial

from sitroom.data import read_table
from sitroom.extract import gazetteer as gaz
from sitroom.extract import not_places as rules
from sitroom.extract import place_evidence
from sitroom.extract.actors import Whereabouts, find_actors, find_whereabouts
from sitroom.extract.place_cues import (
    KIND_OPENINGS,
    chained_area_candidates,
    county_list_candidates,
)
from sitroom.extract.place_resolution import Candidate, country_focus, is_small_town, resolve
from sitroom.extract.text import Document
from sitroom.model import Span

__all__ = ["Candidate", "PlaceExtractor", "find_candidates", "resolve"]

# The rest of a list of names that ends in a plural cue: ", southern Idlib and Aleppo governorates".
_PLURAL_CUES = (
    "provinces",
    "governorates",
    "states",
    "regions",
    "oblasts",
    "districts",
    "counties",
)
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


# The capitals of the Latin alphabets names are spelled in: ASCII, Latin-1 ("Ávila"),
# Extended-A and -B ("Łódź", "Şanlıurfa", "Žilina", "İzmir"), Extended Additional ("Ḩamāh",
# as a range). Names opening with a capital outside ASCII and Latin-1 went unread before.
_LATIN_CAPITALS = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper()) + "Ḁ-Ỿ"


# `[A-Z](?<!\w[A-Z])` is `\b[A-Z]`: a pattern opening with a character class is scanned for
# in C, where one opening with `\b` is tried at every offset.
_CAPITALISED_PHRASE = re.compile(
    rf"[{_LATIN_CAPITALS}](?<!\w[{_LATIN_CAPITALS}])[\w'`’ʿ-]*"
    r"(?:[ -](?:(?:al|el|er|an|ad|as|ash|ar|at|az|ed|es|ez|de|du|la|le)[ -])?"
    rf"[{_LATIN_CAPITALS}][\w'`’ʿ-]*)*"
)


# Words that end the name of a local feature ("Royal Street", "Meydan Racecourse", "Woodman
# Point", "New Bilibid Prison"). Not "Hospital", "Church", "School", "University", "Center",
# "Hall" or "Bridge": such names read as the institution more often than as the place
# (measured on the geoparsing sets, each added more false alarms than toponyms). Not
# "Island", "Mountains", "Castle" or "Tower" either: those lie outside the article's town
# as often as in it ("Ural Mountains", "Windsor Castle" in an article about another town).
_FEATURE_HEADS = (
    "Street St. Road Rd. Avenue Ave. Drive Lane Boulevard Blvd. Highway County Township Parish "
    "River Creek Airport Park Square Cathedral Stadium Racecourse Estate Lagoon Beach Valley "
    "Canyon Lake Bay Dam Canal Point Prison Theatre Theater Centre"
).split()


_CUE_AREAS = frozenset({"admin1", "country"})


# "the village of X", "in X, Idlib": a name missing from the gazetteer is still a place.
_CUE_BEFORE = re.compile(
    r"\b(?:(?P<kind>village|town|city|hamlet|camp|neighbourhood|neighborhood|suburb|"
    r"settlement|community)[ \t]+of|[Ii]n|[Aa]t|[Nn]ear|[Oo]utside)[ \t]+$"
)


# The words `_CUE_BEFORE` can end with, before the name's spaces.
_CUE_WORDS = ("of", "in", "In", "at", "At", "near", "Near", "outside", "Outside")


# How the text before a cued name ends: a cue word's last two letters and a space, or more
# space before that space.
_CUE_TAILS = tuple(sorted({word[-2:] + " " for word in _CUE_WORDS} | {"  ", "\t "}))


_FEATURE_WORDS = frozenset(head.rstrip(".") for head in _FEATURE_HEADS)


# "The European Centre for Law and Justice": a feature's head followed by "for" names a body.
_INSTITUTION_AFTER = re.compile(r"[ \t]+for\b")


_POSSESSIVES = ("'s", "’s")


_FEATURE_PHRASE = re.compile(
    r"\b([A-Z][a-z'’]+(?:[ \t][A-Z][a-z'’]+){0,2})[ \t]"
    rf"(?:{'|'.join(re.escape(head) for head in _FEATURE_HEADS)})(?![\w-])"
)


_ARTICLES = frozenset("al el an ad as ash ar at az ed es ez".split())
_ENGLISH_ARTICLES = frozenset("an ad as at".split())
# A capital not inside a word ("McDonald", "O'Brien"): the look back is `_continues_word`.
_CAPITAL = re.compile(rf"[{_LATIN_CAPITALS}](?<![\w'’`][{_LATIN_CAPITALS}])")


#: A cued name with no area beside it may lie in one of the article's most named areas.
MAX_CUE_AREAS = 5


#: A one-word near miss shorter than this must be spelled as its place is.
MIN_LOOSE_WORD = 5


#: Below this population a village is named in a report only beside its country's places.
SMALL_VILLAGE = 1_000


def find_candidates(
    text: str,
    lowered: str,
    gazetteer: gaz.Gazetteer,
    *,
    exclude: Sequence[Span] = (),
    hints: Callable[[], Whereabouts] | None = None,
) -> list[Candidate]:
    """Toponym spans in `text` with the gazetteer entries each could be.

    `lowered` is the text folded and lower-cased with its offsets kept (`Document.lowered`);
    names overlapping an `exclude` span (an armed group's name, say) are not places.
    `hints` gives the countries the article names otherwise (its actors'), asked for only
    when no name points to one country.
    """
    lowered = gaz.as_matched(lowered)
    excluded = sorted(exclude)
    phrases = [m.span() for m in _CAPITALISED_PHRASE.finditer(text)]
    sorted_phrases = _sort_phrases(text, phrases)
    exact = _exact_candidates(text, lowered, gazetteer, sorted_phrases.capitals)
    found = _outside(_with_lower_case_leads(lowered, gazetteer, exact), excluded)
    taken = [c.span for c in found]
    loose = _outside(_loose_candidates(text, gazetteer, taken, phrases), excluded)
    focus = country_focus(found)
    kept = _plausible(found, loose, text, focus)
    turned_away = len(kept) < len(found) + len(loose)
    if hints is not None and turned_away and (not focus or _small_towns_only(found)):
        # A name turned away for want of a country the article is about: its actors may say,
        # or name the area it lies in ("the OSCE SMM observed ... near Drobysheve").
        whereabouts = hints()
        focus = focus or whereabouts.countries
        if focus:
            kept = _plausible(found, loose, text, focus, whereabouts.areas)
    found = kept
    taken = sorted((c.span for c in found), key=_span_order)
    features = _feature_candidates(text, lowered, gazetteer, taken, sorted_phrases.spaced)
    found.extend(_outside(features, excluded))
    found.extend(
        _cue_candidates(text, sorted(found, key=_candidate_order), sorted_phrases.cued, hints)
    )
    # Reads `found` as it goes.
    found += list(chained_area_candidates(text, found, sorted_phrases.kinded))
    surnames = rules.surnames(text, lowered, gazetteer)
    if surnames:
        found = [c for c in found if not rules.is_surname(c.span.of(text), c.entries, surnames)]
    # A name after another name's particle ("Ponta do Ouro") is dropped below anyway: it must
    # not vouch for a word-like name listed beside it ("Ouro and Lula") first.
    found = _drop_particle_fragments(text, sorted(found, key=_candidate_order))
    found = place_evidence.keep_attested(text, found)
    # After the word-like names are weighed one by one: "Lula da Silva" is no place.
    found = _join_particle_names(text, found)
    return county_list_candidates(text, found, gazetteer)


# A capitalised word and the particle after it: "Mocimboa da ", "Ponta do ", "Ciudad del ".
_NAME_THEN_PARTICLE = re.compile(
    r"(?<![\w'’-])([A-Z][\w'’-]*)[ \t]+(?:da|de|di|do|du|dos|das|del|della|al|el)[ \t]+\Z"
)


_JOINING_PARTICLES = frozenset("da de di do du dos das del della al el".split())


def _name_before_particle(text: str, start: int) -> re.Match[str] | None:
    """The capitalised word and particle right before `start` ("Ponta do "), if any."""
    # The word before is sought only after a space, and only if it is a particle.
    space = text.rfind(" ", max(0, start - 8), start - 1)
    if space < 0 or text[space + 1 : start - 1] not in _JOINING_PARTICLES:
        return None
    before = _NAME_THEN_PARTICLE.search(text, max(0, start - 40), start)
    if before is None or before.group(1).lower() in rules.FUNCTION_WORDS:
        return None
    return before


def _drop_particle_fragments(text: str, found: list[Candidate]) -> list[Candidate]:
    """The candidates less those after a particle that follows no candidate: the "Ouro" of
    "Ponta do Ouro" when the gazetteer knows no Ponta."""
    ends = {c.span.end for c in found}
    return [
        c
        for c in found
        if (before := _name_before_particle(text, c.span.start)) is None or before.end(1) in ends
    ]


def _join_particle_names(text: str, found: list[Candidate]) -> list[Candidate]:
    """A name continued by a particle and a capitalised word is one name: "Mocimboa da Praia"
    is the town the gazetteer knows as Mocimboa, and its "Praia" no place of its own."""
    joined: list[Candidate] = []
    for candidate in found:
        before = _name_before_particle(text, candidate.span.start)
        if before is None:
            joined.append(candidate)
            continue
        first = joined[-1] if joined else None
        if first is not None and first.span.end == before.end(1) and not first.local_feature:
            joined[-1] = replace(first, span=Span(first.span.start, candidate.span.end))
    return joined


def _outside(candidates: Iterable[Candidate], excluded: list[Span]) -> list[Candidate]:
    """The candidates overlapping none of the sorted `excluded` spans."""
    if not excluded:
        return list(candidates)
    starts = [span.start for span in excluded]
    return [c for c in candidates if not _overlaps_any(c.span, excluded, starts)]


def _span_order(span: Span) -> tuple[int, int]:
    return span.start, span.end


_NO_AREAS: Counter[str] = Counter()


def _candidate_order(candidate: Candidate) -> tuple[int, int]:
    return candidate.span.start, candidate.span.end


def _plausible(
    exact: list[Candidate],
    loose: list[Candidate],
    text: str,
    focus: Counter[str],
    areas: Counter[str] = _NO_AREAS,
) -> list[Candidate]:
    """The exact and loose candidates that read as places in an article with this focus, and
    with these first-level areas its actors work in."""
    kept = [
        c
        for c in exact
        if _plausible_village(c, text, focus, areas) and _plausible_compass(c, text, focus)
    ]
    kept.extend(c for c in loose if _plausible_loose(c, text, focus))
    return kept


def _plausible_village(
    candidate: Candidate, text: str, focus: Counter[str], areas: Counter[str]
) -> bool:
    """A one-word name that only small villages bear must lie in a country the article is
    about, or in an area its actors work in ("the OSCE SMM observed ... near Drobysheve"):
    "Welch" or "Ripley" in a report from elsewhere is a person."""
    entries = candidate.entries
    if " " in candidate.span.of(text) or any(
        e.kind != "village" or e.place.population >= SMALL_VILLAGE for e in entries
    ):
        return True
    return any(focus[e.place.country or ""] > 1 or e.admin1_code in areas for e in entries)


def _plausible_compass(candidate: Candidate, text: str, focus: Counter[str]) -> bool:
    """ "Ouest" or "Oriental" alone is an area only with a cue ("Ouest department") or in an
    article about its country: elsewhere it says where in another country something is."""
    if candidate.admin_cue or candidate.span.of(text).lower() not in rules.COMPASS_WORDS:
        return True
    return any(focus[e.place.country or ""] > 1 for e in candidate.entries)


def _plausible_loose(candidate: Candidate, text: str, focus: Counter[str]) -> bool:
    """A one-word near miss ("Saraqeb" for Saraqib) counts only in a country the article is
    about: in English text most one-word near misses are names and words, not places. Never
    an English word or a person's name ("Moose" for Muse, "Brian" for Bryan), nor a short word
    spelled unlike every entry ("Keep" for Kep)."""
    name = candidate.span.of(text)
    if " " in name:
        return True
    if name.lower() in place_evidence.name_kinds():
        return False
    key = gaz.match_key(name)
    if len(name) < MIN_LOOSE_WORD and all(
        gaz.match_key(e.place.name) != key for e in candidate.entries
    ):
        return False
    return any(
        e.kind in gaz.AREA_KINDS or focus[e.place.country or ""] > 0 for e in candidate.entries
    )


@cache
def _lower_case_leads() -> tuple[str, ...]:
    """The lower-case words that open a named area before its place name, as matched:
    "northwest " of "northwest Syria", "sub saharan " of "sub-Saharan Africa"."""
    leads = set()
    for row in read_table("areas.tsv"):
        for name in (row[1], *row[5].split("|")):
            key = gaz.match_key(name)
            if name[:1].islower() and " " in key and not key.startswith("the "):
                leads.add(key.rsplit(" ", 1)[0] + " ")
    return tuple(sorted(leads, key=len, reverse=True))


def _with_lower_case_leads(
    lowered: str, gazetteer: gaz.Gazetteer, candidates: Iterable[Candidate]
) -> Iterator[Candidate]:
    """The candidates, each taking in the lower-case words before it that make a longer
    named area with it: "northwest Syria" is the region, not the country. Names are found at
    capitals only, so such an area would otherwise never be reached."""
    leads = _lower_case_leads()
    longest = len(leads[0]) if leads else 0
    for candidate in candidates:
        start, end = candidate.span.start, candidate.span.end
        if lowered.endswith(leads, max(0, start - longest), start):
            for lead in leads:
                begin = start - len(lead)
                if begin < 0 or not lowered.startswith(lead, begin):
                    continue
                if begin and lowered[begin - 1].isalnum():
                    continue
                entries = gazetteer.candidates(lowered[begin:end])
                if entries:
                    candidate = replace(candidate, span=Span(begin, end), entries=entries)
                    break
        yield candidate


def _exact_candidates(
    text: str, lowered: str, gazetteer: gaz.Gazetteer, capitals: Iterable[int]
) -> Iterator[Candidate]:
    """Leftmost-longest names starting at each capitalised word (or article before one);
    `capitals` are the words' first letters (`_Phrases.capitals`)."""
    resume, size = 0, len(text)
    key_lengths = gazetteer.key_lengths
    for start in _name_starts(text, capitals):
        if start < resume:
            continue
        # Most capitalised words start no name, or only names ending inside the word
        # ("Residents" holds "Res"): those are passed over here, with no call.
        lengths = key_lengths(lowered, start)
        for length in lengths:
            end = start + length
            # Most names end before a space or a stop, some at a quote.
            if end >= size or not (
                text[end].isalnum() or (text[end] in _QUOTES and _mark_inside_word(text, end))
            ):
                break
        else:
            continue
        ends = [start + length for length in lengths]
        candidate = _longest_exact_match(text, lowered, start, ends, gazetteer)
        if candidate is None:
            continue
        if _ARTICLE_CONTINUES.match(text, candidate.span.end):
            # "Ain al Arab" is one name the trie lacks, not Ain and then "al Arab": the
            # whole phrase is left to the loose pass.
            phrase = _CAPITALISED_PHRASE.match(text, start)
            resume = phrase.end() if phrase is not None else candidate.span.end
            continue
        resume = candidate.span.end
        yield candidate


# A name going on with an Arabic article and a capitalised word ("Ain al Arab", "Ain er
# Roummaneh"): the article joins both into one name. English words spelled like articles
# ("as", "at", "an") do not.
_ARTICLE_CONTINUES = re.compile(r"[ \t-](?:al|el|er|ar|ash|ech|ed|es|ez|az)[ -][A-Z]")


def _mark_inside_word(text: str, end: int) -> bool:
    """Whether the quote at `end` is an ayn or hamza mark inside a word ("Dar'a" is one word,
    not Dar), not a possessive ("Syria's") or a closing quote."""
    if not text[end + 1 : end + 2].isalpha():
        return False
    return not (text[end + 1] in "sS" and not text[end + 2 : end + 3].isalnum())


@dataclass(frozen=True, slots=True)
class _Phrases:
    """An article's capitalised phrases, sorted in one pass for the passes that read them:
    each of those passes over every phrase cost as much as all its tests."""

    #: Where `_CAPITAL` matches: the first letter of each capitalised word.
    capitals: list[int]
    #: The phrases of more than one word: only they can name a feature ("Royal Street").
    spaced: list[tuple[int, int]]
    #: The phrases after a cue word's last letters ("in ", "of "; `_cue_candidates`).
    cued: list[tuple[int, int]]
    #: The phrases followed by a kind of place ("X village"; `chained_area_candidates`).
    kinded: list[tuple[int, int]]


def _sort_phrases(text: str, phrases: Sequence[tuple[int, int]]) -> _Phrases:
    """The phrases (`_CAPITALISED_PHRASE`, in text order) each later pass needs.

    In ASCII text the capitals are read off the phrases: every capital not inside a word opens
    a phrase or a word of one (after a space or a hyphen). Other text is scanned for them
    (`_CAPITAL`, whose inside-a-word test differs; a scan with a character class costs about
    80 instructions a character).
    """
    read_capitals = text.isascii()
    capitals = [] if read_capitals else [m.start() for m in _CAPITAL.finditer(text)]
    spaced, cued, kinded = [], [], []
    for phrase in phrases:
        start, end = phrase
        # A phrase's words are joined by single spaces or hyphens.
        many_words = text.find(" ", start, end) >= 0
        if many_words:
            spaced.append(phrase)
        if read_capitals:
            # A phrase may open after a quote, which `_CAPITAL` takes for part of a word.
            if text[start - 1 : start] not in _QUOTES:
                capitals.append(start)
            if many_words or text.find("-", start, end) >= 0:
                inner = _INNER_CAPITAL.finditer(text, start, end)
                capitals.extend(separator.start() + 1 for separator in inner)
        if text.endswith(_CUE_TAILS, 0, start):
            cued.append(phrase)
        if text.startswith(KIND_OPENINGS, end):
            kinded.append(phrase)
    return _Phrases(capitals, spaced, cued, kinded)


# Before a capital, what `_CAPITAL` reads as inside a word and `_CAPITALISED_PHRASE` does not.
_QUOTES = frozenset("'’`")


# A capital after a space or a hyphen inside a capitalised phrase: "Saudi Arabia", "Al-Bab".
_INNER_CAPITAL = re.compile(r"[ -][A-Z]")


def _name_starts(text: str, capitals: Iterable[int]) -> Iterator[int]:
    """Where a place name can begin: a capitalised word (`capitals`), or an Arabic article
    before one ("al-Bab")."""
    for start in capitals:
        # Most capitals follow no article: two letters before the space say so at once.
        if text[start - 3 : start - 1] in _ARTICLE_ENDS and text[start - 1] in "- ":
            article = _article_start(text, start)
            if article is not None:
                yield article
                if not _english_word_before(text, article, start):
                    continue  # "Maaret al Numan", "al-Bab": the article is part of the name
        yield start


# The last two letters of every article: "al", "sh" (of "ash"), ...
_ARTICLE_ENDS = frozenset(article[-2:] for article in _ARTICLES)


def _article_start(text: str, start: int) -> int | None:
    """Where the article before the name at `start` begins, if a whole word is one."""
    for size in (2, 3):
        article = start - 1 - size
        if (
            article >= 0
            and text[article : start - 1] in _ARTICLES
            and not (article and _continues_word(text[article - 1]))
        ):
            return article
    return None


def _english_word_before(text: str, article: int, start: int) -> bool:
    """ "such as France", "at Aleppo": an English word spelled like an article, after a
    lower-case word, and so no part of the name after it."""
    if text[article : start - 1] not in _ENGLISH_ARTICLES or text[start - 1] != " ":
        return False
    words = text[max(0, article - 30) : article].split()
    return not words or not words[-1][0].isupper()


def _continues_word(char: str) -> bool:
    return char.isalnum() or char in "_'’`"


def _longest_exact_match(
    text: str, lowered: str, start: int, ends: list[int], gazetteer: gaz.Gazetteer
) -> Candidate | None:
    """The longest of the names ending at `ends` (longest first) that reads as a place."""
    size = len(text)
    for end in ends:
        # Most keys found end inside a word ("Residents" holds "Res"): turned away here,
        # before the full test, as `reads_as_name` would turn them away.
        if end < size and (
            text[end].isalnum() or (text[end] in _QUOTES and _mark_inside_word(text, end))
        ):
            continue
        if not rules.reads_as_name(text, start, end):
            continue
        entries = gazetteer.candidates(lowered[start:end])
        if not entries or rules.is_other_use(text, start, end, entries):
            continue
        if rules.in_compound(text, start, end, entries, gazetteer):
            return None
        return _candidate(text, start, end, entries, gazetteer, loose=False)
    return None


def _candidate(
    text: str,
    start: int,
    end: int,
    entries: tuple[gaz.Entry, ...],
    gazetteer: gaz.Gazetteer,
    *,
    loose: bool,
) -> Candidate:
    """The candidate for a name, widened to "X Street" when a local feature bears the name."""
    # A feature word follows after one space, capitalised: only then is the word read.
    spaced = text[end : end + 1] in (" ", "\t") and text[end + 1 : end + 2].isupper()
    feature = spaced and rules.NEXT_WORD.match(text, end, min(len(text), end + 40))
    if (
        feature
        and feature.start(1) == end + 1
        and feature.group(1)[0].isupper()
        and feature.group(1).lower() in rules.LOCAL_FEATURES
    ):
        span = Span(start, feature.end(1))
        counties = _counties(gazetteer, span.of(text))
        if counties:  # "Walker County" is the county, whatever else "Walker" names
            return Candidate(span, counties, loose)
        return Candidate(span, entries, loose, local_feature=True)
    cue = _has_admin_cue(text, start, end)
    return Candidate(Span(start, end), entries, loose, admin_cue=cue)


def _counties(gazetteer: gaz.Gazetteer, name: str) -> tuple[gaz.Entry, ...]:
    """The second-level areas a name like "Walker County" can be."""
    return tuple(e for e in gazetteer.candidates(gaz.match_key(name)) if e.kind == "admin2")


def _loose_candidates(
    text: str, gazetteer: gaz.Gazetteer, taken: list[Span], phrases: Iterable[tuple[int, int]]
) -> Iterator[Candidate]:
    # `taken` is sorted: exact matches come in text order
    for start, end in _free_phrases(phrases, taken):
        if end - start < _SHORTEST_LOOSE_NAME:
            continue  # as `_loose_names` would find
        names = _loose_names(gazetteer, text[start:end])
        if names:  # most phrases have no loose match at all
            match = _longest_loose_match(text, start, names, gazetteer)
            if match is not None:
                yield match


def _free_phrases(
    phrases: Iterable[tuple[int, int]], taken: Sequence[Span]
) -> Iterator[tuple[int, int]]:
    """The phrases that overlap none of the `taken` spans; both lists in text order, and the
    spans not overlapping one another."""
    index, size = 0, len(taken)
    for start, end in phrases:
        # Spans ending before this phrase are behind every later phrase too.
        while index < size and taken[index].end <= start:
            index += 1
        if index < size and taken[index].start < end:
            continue
        yield start, end


def _feature_candidates(
    text: str,
    lowered: str,
    gazetteer: gaz.Gazetteer,
    taken: list[Span],
    phrases: Iterable[tuple[int, int]],
) -> Iterator[Candidate]:
    """ "Royal Street", "Freestone County": local features the gazetteer lacks, placed later
    in the article's main town. A county the gazetteer has ("Walker County Fair") is that
    county, even inside a longer name that kept it from matching as a place."""
    starts = [t.start for t in taken]
    for start, end in phrases:
        if _FEATURE_WORDS.isdisjoint(text[start:end].split()[1:]):
            continue  # only a capitalised phrase with "Street" or "County" in it can hold one
        phrase = _FEATURE_PHRASE.search(text, start, min(len(text), end + 1))
        if phrase is None or _INSTITUTION_AFTER.match(text, phrase.end()):
            continue
        span = Span(_past_owner(text, phrase.start(), phrase.end(1)), phrase.end())
        if phrase.group(1).lower() in rules.common_words() or _overlaps_any(span, taken, starts):
            continue
        if not rules.reads_as_name(text, span.start, phrase.end(1)):
            continue
        areas = tuple(
            e for e in gazetteer.candidates(lowered[span.start : span.end]) if e.kind == "admin2"
        )
        yield Candidate(span, areas) if areas else Candidate(span, (), local_feature=True)


def _past_owner(text: str, start: int, end: int) -> int:
    """Where a feature's name starts: past a clause word before it ("The Walker County Fair")
    and past the town that owns it ("Seoul's Jamsil Stadium"), but not past a possessive
    right before the head, which is part of the name itself."""
    words = text[start:end].split()
    skip = 0
    if len(words) > 1 and words[0].lower() in rules.FUNCTION_WORDS:
        skip = 1
    for i in range(skip, len(words) - 1):
        if words[i].endswith(_POSSESSIVES):
            skip = i + 1
    for word in words[:skip]:
        start = text.index(word, start) + len(word) + 1
    return start


def _cue_candidates(
    text: str,
    found: list[Candidate],
    phrases: Iterable[tuple[int, int]],
    hints: Callable[[], Whereabouts] | None = None,
) -> Iterator[Candidate]:
    """Names the gazetteer lacks that a cue marks as places, placed in the area named with them:
    "the village of Kafr Tal, Idlib" is in Idlib, "in Harwinton, Conn." in Connecticut; else,
    in a short note that names no area or big town, in the one area or region its actors work
    in (`hints`): "the OSCE SMM observed ... near Stepove Pole" is in Donbas."""
    taken = [c.span for c in found]
    starts = [t.start for t in taken]
    areas: tuple[gaz.Entry, ...] | None = None  # counted only when a cue needs them
    small: bool | None = None  # likewise
    for start, end in phrases:
        if not text.endswith(_CUE_TAILS, 0, start):
            continue  # "in ", "of ", "near ": a cue word's last letters and a space
        before = max(0, start - 40)
        if not text[before:start].rstrip(" \t").endswith(_CUE_WORDS):
            continue  # no cue word can end right here: spare the regex its search
        if _overlaps(start, end, taken, starts):
            continue
        cue = _CUE_BEFORE.search(text, before, start)
        if cue is None or text[start:end].lower() in rules.common_words():
            continue
        span = Span(start, end)
        index = bisect.bisect_left(starts, span.end)
        after = found[index] if index < len(found) else None
        if after and text[span.end : after.span.start] == ", ":
            within = tuple(e for e in after.entries if e.kind in _CUE_AREAS)
            if within:
                yield Candidate(span, within)
                continue
        if cue.group("kind"):
            if areas is None:
                areas = _most_named_areas(found)
            if areas:
                yield Candidate(span, areas)
        elif hints is not None:
            if small is None:
                small = _small_towns_only(found)
            stand_in = hints().stand_in if small else None
            if stand_in is not None:
                yield Candidate(span, (stand_in,))


def _small_towns_only(candidates: Iterable[Candidate]) -> bool:
    """Whether the names are all small towns' (or none): a short note, whose names may each
    vote for its country only once, and may be namesakes of the towns meant."""
    return all(is_small_town(c.entries) for c in candidates)


def _most_named_areas(found: list[Candidate]) -> tuple[gaz.Entry, ...]:
    """The countries and first-level areas the found names most often could be."""
    counts = Counter(e for c in found for e in c.entries if e.kind in _CUE_AREAS)
    return tuple(entry for entry, _ in counts.most_common(MAX_CUE_AREAS))


def _overlaps_any(span: Span, taken: list[Span], starts: list[int]) -> bool:
    """Whether `span` overlaps one of the sorted, non-overlapping `taken` spans."""
    return _overlaps(span.start, span.end, taken, starts)


def _overlaps(start: int, end: int, taken: list[Span], starts: list[int]) -> bool:
    index = bisect.bisect_left(starts, end) - 1
    return index >= 0 and taken[index].end > start


def _longest_loose_match(
    text: str,
    phrase_start: int,
    names: tuple[tuple[int, int, tuple[gaz.Entry, ...]], ...],
    gazetteer: gaz.Gazetteer,
) -> Candidate | None:
    """The first of a phrase's loose names (`_loose_names`) that reads as a place here."""
    for start, end, entries in names:
        start, end = start + phrase_start, end + phrase_start
        if not rules.is_other_use(text, start, end, entries) and not rules.in_compound(
            text, start, end, entries, gazetteer
        ):
            return _candidate(text, start, end, entries, gazetteer, loose=True)
    return None


#: Fewer characters than a name looked up by its loose key has.
_SHORTEST_LOOSE_NAME = 4


#: More words than a place name has ("Democratic Republic of the Congo" has five).
_LONGEST_NAME_WORDS = 8


@lru_cache(maxsize=1 << 16)
def _loose_names(
    gazetteer: gaz.Gazetteer, phrase: str
) -> tuple[tuple[int, int, tuple[gaz.Entry, ...]], ...]:
    """Runs of a capitalised phrase's words that read as names and have loose matches, longest
    first. Only the phrase decides them, and capitalised phrases recur, so they are cached."""
    tokens = [(m.start(), m.end()) for m in rules.TOKEN.finditer(phrase)]
    found = []
    # Runs longer than any place name are never looked up: a line of 200 capitalised names
    # would otherwise cost every one of its 20,000 runs, each a fresh key.
    for size in range(min(len(tokens), _LONGEST_NAME_WORDS), 0, -1):
        for i in range(len(tokens) - size + 1):
            start, end = tokens[i][0], tokens[i + size - 1][1]
            if end - start < _SHORTEST_LOOSE_NAME or not rules.reads_as_name(phrase, start, end):
                continue
            entries = gazetteer.loose_candidates(phrase[start:end])
            if entries:
                found.append((start, end, entries))
    return tuple(found)


def _has_admin_cue(text: str, start: int, end: int) -> bool:
    """ "Idlib province", "the province of Idlib", "Hama, Idlib and Aleppo governorates"."""
    # A name ends where no letter follows: a cue after it starts with a space.
    if text[end : end + 1].isspace() and rules.ADMIN_CUES.match(text, end):
        return True
    before = text[max(0, start - 40) : start]
    tail = before.rstrip()
    # The cue before a name ends in "of" or a comma, then space: only then is it sought.
    cued = len(tail) < len(before) and (tail[-2:].lower() == "of" or tail.endswith(","))
    if cued and _ADMIN_CUE_BEFORE.search(before, _last_words_start(tail)):
        return True
    # A list goes on with a comma or "and"; its plural cue is one of a few words.
    if text[end : end + 1] != "," and not text.startswith(" and", end):
        return False
    window = min(len(text), end + 120)
    if not any(text.find(plural, end, window) >= 0 for plural in _PLURAL_CUES):
        return False
    return _LIST_THEN_PLURAL_CUE.match(text, end, window) is not None


def _last_words_start(tail: str) -> int:
    """Where the last two words of `tail` begin ("province of", "district,"): a cue before a
    name lies in them, and the pattern is tried from there, not at every offset of `tail`."""
    space = len(tail)
    for _ in range(2):
        # Past the word, then past the whitespace before it.
        while space > 0 and not tail[space - 1].isspace():
            space -= 1
        while space > 0 and tail[space - 1].isspace():
            space -= 1
    return space


@cache
def _actor_words() -> tuple[frozenset[str], int]:
    """Every word of an actor's surface form, and the longest form's length."""
    surfaces = [row[0].lower() for row in read_table("actors.tsv")]
    words = frozenset(w for surface in surfaces for w in rules.TOKEN.findall(surface))
    return words, max(map(len, surfaces), default=0)


@lru_cache(maxsize=1 << 14)
def _may_name_an_actor(name: str) -> bool:
    """Whether a word of the name is a word of some actor's name ("Arakan" of Arakan Army)."""
    words = _actor_words()[0]
    return any(w in words for w in rules.TOKEN.findall(name.lower()))


def _actor_spans(folded: str, candidates: Sequence[Candidate]) -> list[Span]:
    """Actors' names overlapping a candidate, sought only near candidates that could be one.

    Scanning the whole text for every actor's name cost more than finding the places.
    """
    longest = _actor_words()[1]
    windows: list[list[int]] = []
    for candidate in candidates:
        if not _may_name_an_actor(folded[candidate.span.start : candidate.span.end]):
            continue
        start, end = max(0, candidate.span.start - longest), candidate.span.end + longest
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    spans = [m.span for start, end in windows for m in find_actors(folded, start, end)]
    spans += [
        c.span
        for c in candidates
        if folded.startswith("-", c.span.end) and _actor_before_hyphen(folded, c.span)
    ]
    return sorted(set(spans))


@cache
def _actor_forms() -> frozenset[str]:
    return frozenset(row[0].lower() for row in read_table("actors.tsv"))


def _actor_before_hyphen(folded: str, span: Span) -> bool:
    """ "a Taliban-planted bomb": an actor's name joined by a hyphen (at `span.end`) to a
    lower-case word, which the actors' matcher, keeping hyphenated words whole, does not find."""
    if not folded[span.end + 1 : span.end + 2].islower():
        return False
    return folded[span.start : span.end].lower() in _actor_forms()


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
        # Found once, if at all, for both finding and resolving.
        hints = cache(partial(_whereabouts, doc.folded, doc.lowered, self.load()))
        candidates = find_candidates(doc.text, doc.lowered, self.load(), hints=hints)
        # "Taliban" and "Arakan Army" are GeoNames names too; as actors they are not places.
        actors = _actor_spans(doc.folded, candidates)
        if actors:
            starts = [span.start for span in actors]
            candidates = [c for c in candidates if not _overlaps_any(c.span, actors, starts)]
        mentions = resolve(candidates, doc.text, article_id=doc.article.id, hints=hints)
        return doc.with_layers(places=tuple(mentions))


def _whereabouts(folded: str, lowered: str, gazetteer: gaz.Gazetteer) -> Whereabouts:
    """Where the actors the article names work ("GNA forces shelled Sirt" is in Libya, not
    Turkey's Siirt), with the place that stands for their areas. Asked for only when the
    places leave the country or the area open (a short note with one ambiguous name):
    scanning every article for actors would cost more than finding its places."""
    found = find_whereabouts(folded, lowered)
    stand_in = _stand_in(found, gazetteer)
    return found if stand_in is None else replace(found, stand_in=stand_in)


def _stand_in(whereabouts: Whereabouts, gazetteer: gaz.Gazetteer) -> gaz.Entry | None:
    """The one first-level area the actors work in, or the one region their areas make up
    ("Donbas" for Donetsk and Luhansk oblasts)."""
    areas = whereabouts.areas
    if len(areas) == 1:
        return gazetteer.admin1.get(next(iter(areas)))
    if len(whereabouts.regions) != 1:
        return None
    name = next(iter(whereabouts.regions))
    for entry in gazetteer.candidates(gaz.match_key(name)):
        place = entry.place
        if entry.kind == "region" and place.name == name:
            inside = all(code.split(".", 1)[0] == place.country for code in areas)
            return entry if inside else None
    return None
