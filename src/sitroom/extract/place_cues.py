"""Cues after a name the gazetteer lacks: "X village, Y district, Z province" places X in Y.

Local reports name a village by its district and province ("Qarya village, Nahrin district,
Baghlan province", "the Qarya area of Nahrin district", "Qarya village in Nahrin district",
"Qarya area (Nahrin district, Baghlan)").
The village is a place though the gazetteer has none of its name; it lies in the most specific
area the chain names that the gazetteer knows, at that area's precision: the district, or, when
the gazetteer lacks the district too, the province.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from sitroom.extract import gazetteer as gaz
from sitroom.extract import not_places as rules
from sitroom.extract.place_resolution import Candidate
from sitroom.model import Span

__all__ = ["KIND_OPENINGS", "MAX_CHAIN", "chained_area_candidates", "county_list_candidates"]

# What a name followed by its kind reads as before the area it lies in: "X village, ",
# "X area of ", "X village in the ", "X area (".
_KIND_THEN_LINK = re.compile(
    r" (?P<kind>village|town|hamlet|area|camp|neighbou?rhood|suburb|settlement|locality)"
    r"(?:,[ \t]+(?:in[ \t]+)?|[ \t]+(?:of|in)[ \t]+|[ \t]+\()(?:the[ \t]+)?"
)
_KIND_STARTS = ("vil", "tow", "ham", "are", "cam", "nei", "sub", "set", "loc")
#: How the text after a name followed by its kind opens (" village"): a phrase not followed by
#: one of these need not be passed to `chained_area_candidates`.
KIND_OPENINGS = tuple(" " + start for start in _KIND_STARTS)
_KIND_INITIALS = "vthacnsl"
_AREA_WORDS = (
    "sub-?district|district|county|municipality|township|tehsil|lga|province|governorate|state|"
    "region"
)
_AREA_WORD = re.compile(rf"[ \t]+(?P<word>{_AREA_WORDS})\b", re.IGNORECASE)
_LINK = re.compile(r"(?:,[ \t]+(?:in[ \t]+)?|[ \t]+(?:of|in)[ \t]+|[ \t]+\()(?:the[ \t]+)?")
# A name in the chain the gazetteer may lack: "Mindat" of "Mindat District".
_NAME = re.compile(rf"[A-Z][\w'’-]*(?:[ \t-](?!(?i:{_AREA_WORDS})\b)[A-Z][\w'’-]*)*")
# Second-level areas and the ones below them, named after their seats ("Paletwa Township").
_SECOND_LEVEL_WORDS = frozenset(
    {
        "district",
        "subdistrict",
        "sub-district",
        "county",
        "municipality",
        "township",
        "tehsil",
        "lga",
    }
)
_AREA_KINDS = frozenset({"admin2", "admin1", "country"})
# Kinds of place that are parts of a town: "the X area of Homs" is in the city of Homs.
_TOWN_PARTS = frozenset({"area", "neighbourhood", "neighborhood", "suburb"})

#: How many areas a chain may name after the village ("district, province, country").
MAX_CHAIN = 3


def chained_area_candidates(
    text: str, found: Sequence[Candidate], phrases: Iterable[tuple[int, int]]
) -> Iterator[Candidate]:
    """Names the gazetteer lacks, each followed by its kind and the areas it lies in.

    `found` are the names found so far, not overlapping one another, in any order."""
    taken: list[Span] | None = None  # made only when a cue needs them
    for start, end in phrases:
        # One letter, then the kinds' first letters, before the pattern: most names are
        # followed by no kind of place, and every name of every article comes here.
        if text[end + 1 : end + 2] not in _KIND_INITIALS:
            continue
        if not text.startswith(_KIND_STARTS, end + 1):
            continue
        cue = _KIND_THEN_LINK.match(text, end)
        if cue is None:
            continue
        if taken is None:
            taken = sorted((c.span for c in found), key=_span_start)
            starts = [t.start for t in taken]
            by_start = {c.span.start: c for c in found}
        if _overlaps(start, end, taken, starts) or text[start:end].lower() in rules.common_words():
            continue
        if not rules.reads_as_name(text, start, end):
            continue
        entries = _chain_area(text, cue.end(), by_start, town_part=cue["kind"] in _TOWN_PARTS)
        if entries:
            yield Candidate(Span(start, end), entries)


def _span_start(span: Span) -> int:
    return span.start


def _overlaps(start: int, end: int, taken: list[Span], starts: list[int]) -> bool:
    index = bisect.bisect_left(starts, end) - 1
    return index >= 0 and taken[index].end > start


def _chain_area(
    text: str, pos: int, by_start: dict[int, Candidate], *, town_part: bool
) -> tuple[gaz.Entry, ...]:
    """The entries of the most specific area the chain from `pos` names, inside the first-level
    areas it names after it: "Nahrin district" is the Nahrin of Baghlan province."""
    links = _read_chain(text, pos, by_start)
    for index, (candidate, word) in enumerate(links):
        entries = _as_area(candidate, word, town_part=town_part and index == 0) if candidate else ()
        codes = _admin1_codes(links[index + 1 :])
        if codes:
            entries = tuple(e for e in entries if e.admin1_code in codes)
        if entries:
            return entries
    return ()


def _read_chain(
    text: str, pos: int, by_start: dict[int, Candidate]
) -> list[tuple[Candidate | None, str | None]]:
    """Each area of the chain: its found candidate (if any) and the area word after it."""
    links: list[tuple[Candidate | None, str | None]] = []
    for _ in range(MAX_CHAIN):
        candidate = by_start.get(pos)
        name = _NAME.match(text, pos)
        if candidate is None and name is None:
            break
        end = candidate.span.end if candidate else name.end() if name else pos
        word = _AREA_WORD.match(text, end)
        links.append((candidate, word["word"].lower() if word else None))
        link = _LINK.match(text, word.end() if word else end)
        if link is None:
            break
        pos = link.end()
    return links


def _as_area(candidate: Candidate, word: str | None, *, town_part: bool) -> tuple[gaz.Entry, ...]:
    """The area `candidate` names: its area entries, or, as "Nahrin district", its seat's; the
    town it names, when what lies in it is a part of a town ("the X area of Homs")."""
    second_level = word is not None and word.replace("-", "") in _SECOND_LEVEL_WORDS
    areas = tuple(e for e in candidate.entries if e.kind in _AREA_KINDS)
    if second_level:
        districts = tuple(e for e in areas if e.kind == "admin2")
        if districts:
            return districts
        # A district is named after its seat: the town stands for it, at its precision.
        seats = tuple(e for e in candidate.entries if e.kind in ("city", "village"))
        return tuple(_as_district(e) for e in seats)
    if word is not None:
        return tuple(e for e in areas if e.kind == "admin1") or areas
    if town_part:
        return tuple(e for e in candidate.entries if e.kind == "city") or areas
    return areas


def _as_district(entry: gaz.Entry) -> gaz.Entry:
    return gaz.Entry(replace(entry.place, kind="admin2"), gaz.ADMIN2_CODE, entry.admin1_code)


def _admin1_codes(links: list[tuple[Candidate | None, str | None]]) -> set[str | None]:
    """The codes of the first-level areas `links` may name."""
    return {
        e.admin1_code
        for candidate, _ in links
        if candidate
        for e in candidate.entries
        if e.kind == "admin1"
    }


# A list of two names or more before a plural second-level word: "Becker, Clay and Otter Tail
# counties", "Rapides and Avoyelles parishes". Each is the county of its name.
_LISTED_NAME = r"[A-Z][\w'’.-]*(?:[ \t][A-Z][\w'’.-]*){0,2}"
_LIST_SEPARATOR = r"(?:,[ \t]+(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+)"
_COUNTY_LIST = re.compile(
    rf"(?<![\w'’.-])(?:{_LISTED_NAME}{_LIST_SEPARATOR}){{1,12}}{_LISTED_NAME}"
    r"[ \t]+(?P<word>[Cc]ounties|[Pp]arishes)\b"
)
_PLURAL_COUNTY_WORD = re.compile(r"[Cc]ounties|[Pp]arishes")
_COUNTY_WORD = {"counties": "County", "parishes": "Parish"}
_LIST_NAME = re.compile(_LISTED_NAME)
#: How far before its plural word a county list may start.
_LIST_REACH = 300


def county_list_candidates(
    text: str, found: list[Candidate], gazetteer: gaz.Gazetteer
) -> list[Candidate]:
    """`found` with the names of a county list read as their counties ("Douglas, Grant and
    Swift counties" names Grant County, not the town of Grant), in text order."""
    listed = list(_listed_counties(text, gazetteer))
    if not listed:
        return found
    spans = [c.span for c in listed]
    kept = [c for c in found if not any(_meet(c.span, span) for span in spans)]
    return sorted(kept + listed, key=lambda c: (c.span.start, c.span.end))


def _listed_counties(text: str, gazetteer: gaz.Gazetteer) -> Iterator[Candidate]:
    # Most articles name no counties: a plain substring search says so faster than a pattern.
    if "ounties" not in text and "arishes" not in text:
        return
    searched = 0
    for word in _PLURAL_COUNTY_WORD.finditer(text):
        # Only the text before the plural word is searched, and none of it twice.
        for match in _COUNTY_LIST.finditer(
            text, max(searched, word.start() - _LIST_REACH), word.end()
        ):
            yield from _counties_of(text, match, gazetteer)
        searched = word.end()


def _counties_of(text: str, match: re.Match[str], gazetteer: gaz.Gazetteer) -> Iterator[Candidate]:
    head = _COUNTY_WORD[match.group("word").lower()]
    for name in _LIST_NAME.finditer(text, match.start(), match.start("word")):
        start = name.start()
        # The list's first name may follow a capitalised word of the sentence ("Both Rapides").
        while start < name.end():
            counties = _counties_named(gazetteer, f"{text[start : name.end()]} {head}")
            if counties:
                yield Candidate(Span(start, name.end()), counties)
                break
            space = text.find(" ", start, name.end())
            start = name.end() if space < 0 else space + 1


def _counties_named(gazetteer: gaz.Gazetteer, name: str) -> tuple[gaz.Entry, ...]:
    return tuple(e for e in gazetteer.candidates(gaz.match_key(name)) if e.kind == "admin2")


def _meet(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
