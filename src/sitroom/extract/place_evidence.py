"""Place evidence: a town name that is also a word or a person's name counts only where used as one.

"Welch", "Section" and "Delta" name small towns, but in news text they are far more often a
surname, a word or a brand. Such a name (listed in `data/name_words.tsv`) whose entries are all
small towns is kept only when one of its mentions reads as a place: a preposition of place
before it ("in Welch", "north of Welch"), a residence ("Joe Hall, 34, of Welch"), an area after
a comma ("Welch, W.Va."), a dateline ("WELCH —"), a lawmaker's district ("D-Welch"), a plural
cue closing a list ("Welch and Logan counties"), a noun it qualifies ("a Welch man"), or a place
beside it in a list ("Bluefield, Welch and Princeton", "Bluefield-Welch"). One sense per
discourse: a single such use makes every mention of the name in the article a place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from sitroom.data import read_table
from sitroom.extract import gazetteer as gaz
from sitroom.extract.place_resolution import Candidate

__all__ = ["keep_attested", "name_kinds"]

#: A town at least this big is known as a place whatever else its name means.
KNOWN_TOWN_POPULATION = 100_000

# Prepositions after which a name is somewhere: "in Welch", "from Welch".
_LOCATIVES = frozenset(
    "in at near from outside across throughout inside around to into toward towards through "
    "via between within".split()
)

# Words that may stand between such a preposition and the name: "in rural Welch".
_MODIFIERS = frozenset(
    "north south east west northern southern eastern western central downtown rural suburban "
    "nearby neighboring neighbouring northeast northwest southeast southwest northeastern "
    "northwestern southeastern southwestern".split()
)

# Nouns before "of" that make the name after it a place: "the mayor of Welch".
_PLACE_OF = frozenset(
    "city town village county mayor residents resident native natives outskirts north south "
    "east west northeast northwest southeast southwest heart suburb suburbs".split()
)

# Lower-case nouns a place name qualifies: "a Welch man", "Welch residents", "Welch-based".
_QUALIFIED = frozenset(
    "man woman men women resident residents native natives teen teenager teens boy girl couple "
    "family families area city town village police officials council based community "
    "communities district township high".split()
)

_WORD_BEFORE = re.compile(r"(\S+)[ \t]+$")

_DATELINE = re.compile(r"[ \t]*(?:—|–|-|,)")

_DISTRICT = re.compile(r"\b(?:R|D|I|DFL)-$")

_NEXT_LOWER = re.compile(r"[ \t-]+([a-z]+)\b")

_PLURAL_CUE = re.compile(
    r"(?:(?:,|,? and|,? or)[ \t]+[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*)*)*[ \t]+"
    r"(?:counties|streets|roads|avenues|townships|parishes|rivers|districts|communities)\b"
)

_LIST_GAP = re.compile(r",?[ \t]+(?:and|or)[ \t]+|,[ \t]+|-")


@cache
def name_kinds() -> dict[str, str]:
    """Each listed name (lower case) with its kinds: w(ord), f(irst name), s(urname)."""
    return dict((row[0], row[1]) for row in read_table("name_words.tsv"))


def keep_attested(text: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates, less the word-like names no mention of which reads as a place."""
    doubtful: dict[str, list[int]] = {}
    for i, candidate in enumerate(candidates):
        name = candidate.span.of(text)
        if _is_doubtful(name, candidate.entries):
            doubtful.setdefault(name.lower(), []).append(i)
    if not doubtful:
        return list(candidates)
    attested = {
        name
        for name, indices in doubtful.items()
        if any(_reads_as_place(text, candidates, i) for i in indices)
        and not (
            _reads_as_person(text, candidates[indices[0]].span.of(text))
            and not any(_reads_surely_as_place(text, candidates, i) for i in indices)
        )
    }
    attested |= _listed_with_places(text, candidates, doubtful, attested)
    dropped = {i for name, indices in doubtful.items() if name not in attested for i in indices}
    return [c for i, c in enumerate(candidates) if i not in dropped]


def _is_doubtful(name: str, entries: Sequence[gaz.Entry]) -> bool:
    """A one-word name listed as a word or person's name, which only small towns bear, or
    towns of any size as another name only: "Luck" is Lutsk's Polish name, not its own."""
    if " " in name or "-" in name or name.lower() not in name_kinds():
        return False
    key = gaz.match_key(name)
    return all(
        e.kind not in gaz.AREA_KINDS
        and (e.place.population < KNOWN_TOWN_POPULATION or gaz.match_key(e.place.name) != key)
        for e in entries
    )


def _reads_as_place(text: str, candidates: Sequence[Candidate], index: int) -> bool:
    span = candidates[index].span
    return (
        _after_locative(text, span.start)
        or _is_dateline(text, span.start, span.end)
        or _DISTRICT.search(text, max(0, span.start - 5), span.start) is not None
        or _PLURAL_CUE.match(text, span.end, min(len(text), span.end + 120)) is not None
        or _qualifies_noun(text, span.end)
        or _has_container(text, candidates, index)
    )


def _reads_surely_as_place(text: str, candidates: Sequence[Candidate], index: int) -> bool:
    """A use only a place has: a dateline, a lawmaker's district, an area after a comma."""
    span = candidates[index].span
    return (
        _is_dateline(text, span.start, span.end)
        or _DISTRICT.search(text, max(0, span.start - 5), span.start) is not None
        or _has_container(text, candidates, index)
    )


# What only a person does or has: "Welch said", "Welch's lawyers", "Welch was charged",
# "Welch, 34,"; and "said Welch", "stabbed Welch".
_PERSON_AFTER = re.compile(
    r"['’]s[ \t]+(?:lawyers?|attorneys?|defen[cs]e|mother|father|wife|husband|son|daughter|"
    r"family|trial|sentencing|innocence)\b|"
    r"[ \t]+(?:said|says|told|testified|pleaded|declined|admitted|denied)\b|"
    r"[ \t]+was[ \t]+(?:charged|arrested|sentenced|convicted|indicted|placed[ \t]+under)\b|"
    r",[ \t]+\d{1,3},"
)
_PERSON_BEFORE = re.compile(
    r"\b(?:said|says|told|asked|stabbed|stabbing|killing|murdered|murdering)[ \t]+$"
)


def _reads_as_person(text: str, name: str) -> bool:
    """Whether the name reads as a person's anywhere in the text: one sense per discourse then
    makes its mere "in Welch" or "from Welch" no evidence of a place."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        # A whole word only: "Welches" is no mention of Welch.
        if not text[end : end + 1].isalnum() and _person_around(text, at, end):
            return True
        at = text.find(name, end)
    return False


def _person_around(text: str, start: int, end: int) -> bool:
    if _PERSON_AFTER.match(text, end, min(len(text), end + 40)):
        return True
    return _PERSON_BEFORE.search(text, max(0, start - 10), start) is not None


def _after_locative(text: str, start: int) -> bool:
    """ "in Welch", "in rural Welch", "north of Welch", "Joe Hall, 34, of Welch"."""
    for _ in range(3):
        before = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if before is None:
            return False
        word = before.group(1)
        lowered = word.lower()
        if lowered in _LOCATIVES:
            return True
        if lowered == "of":
            return _before_of_makes_place(text, before.start())
        if lowered not in _MODIFIERS:
            return False
        start = before.start()
    return False


def _before_of_makes_place(text: str, of_start: int) -> bool:
    """ "mayor of", "north of"; or a residence after a name, an age or a comma."""
    before = _WORD_BEFORE.search(text, max(0, of_start - 30), of_start)
    if before is None:
        return False
    word = before.group(1)
    return word.lower() in _PLACE_OF or word.endswith(",") or word[0].isupper() or word.isdigit()


def _is_dateline(text: str, start: int, end: int) -> bool:
    """ "WELCH — Police said ...": a town's name in capitals opening a report."""
    name = text[start:end]
    return len(name) > 2 and name.isupper() and _DATELINE.match(text, end) is not None


def _qualifies_noun(text: str, end: int) -> bool:
    after = _NEXT_LOWER.match(text, end, min(len(text), end + 20))
    return after is not None and after.group(1) in _QUALIFIED


def _has_container(text: str, candidates: Sequence[Candidate], index: int) -> bool:
    """ "Welch, W.Va.": a first-level area or a country right after a comma."""
    if index + 1 >= len(candidates):
        return False
    name, after = candidates[index], candidates[index + 1]
    if text[name.span.end : after.span.start].strip() != ",":
        return False
    return any(e.kind in ("admin1", "country") for e in after.entries)


def _listed_with_places(
    text: str,
    candidates: Sequence[Candidate],
    doubtful: dict[str, list[int]],
    attested: set[str],
) -> set[str]:
    """Doubtful names listed beside a sure place ("Bluefield, Welch and Princeton")."""
    found = set(attested)
    changed = True
    while changed:
        changed = False
        for name, indices in doubtful.items():
            if name not in found and any(
                _beside_sure_place(text, candidates, i, found) for i in indices
            ):
                found.add(name)
                changed = True
    return found - attested


def _beside_sure_place(
    text: str, candidates: Sequence[Candidate], index: int, attested: set[str]
) -> bool:
    for other in (index - 1, index + 1):
        if not 0 <= other < len(candidates):
            continue
        first, second = sorted(
            (candidates[index], candidates[other]), key=lambda c: (c.span.start, c.span.end)
        )
        if not _LIST_GAP.fullmatch(text, first.span.end, second.span.start):
            continue
        name = candidates[other].span.of(text)
        if not _is_doubtful(name, candidates[other].entries) or name.lower() in attested:
            return True
    return False
