"""Actors: surface forms in the text mapped to ACLED-style actor names by `data/actors.tsv`,
and where the actors an article names work (`data/actor_areas.tsv` beside it).

Forms match whole words in any case, except those marked `exact` in the table: acronyms such
as "IS" or "AA" that are also common words.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from sitroom.data import read_table
from sitroom.extract.gazetteer import Entry
from sitroom.extract.prefix_guard import HintedPattern, TwinPattern
from sitroom.extract.text import lower_same_length
from sitroom.model import Span

__all__ = [
    "Actor",
    "ActorMention",
    "Whereabouts",
    "actor_names",
    "find_actors",
    "find_whereabouts",
    "load_actors",
]


@dataclass(frozen=True, slots=True)
class Actor:
    """An ACLED-style actor with its interaction code (1 state forces ... 8 external forces)."""

    name: str
    interaction: int
    country: str | None


@dataclass(frozen=True, slots=True)
class ActorMention:
    """Where an actor is named in the text."""

    span: Span
    actor: Actor


_Trie = dict[str, "_Trie"]
_WORD_START = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class _Dictionary:
    """The actor table compiled: one pattern for forms in any case, one for exact forms.

    The exact forms (a few acronyms) are looked for where their first letters occur, found
    by a fast scan: the text has few capitals "IS" or "JAS", and the pattern tried at every
    word was a third of the time actors took.
    """

    folded: TwinPattern
    #: `folded` led by the character before each form, the form its first group: tried only
    #: where such a character stands, not at every position (`word_led`). None when a form
    #: starts with other than a letter or a digit.
    folded_after_break: TwinPattern | None
    exact: HintedPattern | None
    #: The exact forms as written: a text holding none names none.
    exact_forms: tuple[str, ...]
    actors: dict[str, Actor]


def _trie_pattern(forms: list[str]) -> str:
    """One alternation for `forms`, nested by shared prefixes so a failed match fails fast.

    A flat alternation of hundreds of names retried every name at every word; the trie tries
    only the names that share the letters read so far. Longer forms win over their prefixes.
    """
    trie: _Trie = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: _Trie) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A form ending here may go on into a longer one: try the longer first.
    return f"(?:{body})?" if "" in node else body


@cache
def load_actors() -> _Dictionary:
    """The actor dictionary, read and compiled once."""
    actors: dict[str, Actor] = {}
    exact: list[str] = []
    folded: list[str] = []
    for row in read_table("actors.tsv"):
        surface, name, code, country = row[:4]
        if len(row) > 4 and row[4] == "exact":
            exact.append(surface)
        else:
            surface = surface.lower()
            folded.append(surface)
        actors[surface] = Actor(name, int(code), country or None)
    return _Dictionary(
        folded=_compile(folded),
        folded_after_break=_compile_after_break(folded),
        exact=HintedPattern(_compile(exact).pattern.pattern) if exact else None,
        exact_forms=tuple(exact),
        actors=actors,
    )


def _compile(forms: list[str]) -> TwinPattern:
    """Whole-word matches of `forms`, longest first.

    When every form starts with a letter or digit, a leading word boundary (implied by the
    look-behind) rejects the inside of a word in one step: a third faster.
    """
    boundary = r"\b" if all(_WORD_START.match(form) for form in forms) else ""
    return TwinPattern(rf"{boundary}(?<![\w-])(?:{_trie_pattern(forms)})(?![\w-])")


def _compile_after_break(forms: list[str]) -> TwinPattern | None:
    """`_compile(forms)` led by the character before a form, the form in group 1; None when a
    form starts with other than a letter or a digit."""
    if not all(_WORD_START.match(form) for form in forms):
        return None
    return TwinPattern(rf"[^\w-]({_trie_pattern(forms)})(?![\w-])")


def find_actors(folded: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
    """Actors named in `folded[start:end]`, leftmost-longest, in text order."""
    dictionary = load_actors()
    stop = len(folded) if end is None else end
    lowered = lower_same_length(folded[start:stop])
    found = [
        ActorMention(Span(start + m.start(), start + m.end()), dictionary.actors[m.group(0)])
        for m in dictionary.folded.for_text(lowered).finditer(lowered)
    ]
    if dictionary.exact is not None:
        found += [
            ActorMention(Span(m.start(), m.end()), dictionary.actors[m.group(0)])
            for m in dictionary.exact.finditer(folded, start, stop)
        ]
        found = _leftmost_longest(found)
    return found


def _leftmost_longest(mentions: list[ActorMention]) -> list[ActorMention]:
    """Mentions without overlaps: of two that overlap, the earlier, then the longer, stays."""
    kept: list[ActorMention] = []
    for mention in sorted(mentions, key=lambda m: (m.span.start, -m.span.end)):
        if not kept or mention.span.start >= kept[-1].span.end:
            kept.append(mention)
    return kept


#: The text last asked about by `_names_exact`, and the answer; replaced whole, never changed
#: in place, so that threads cannot see it half-written.
_last_exact: tuple[str, bool] = ("", False)


def _names_exact(dictionary: _Dictionary, folded: str) -> bool:
    """Whether `folded` holds an exact form anywhere ("IS", "JAS" in capitals), which most
    texts do not: found once per article, as events ask about its clauses in turn."""
    global _last_exact
    known, answer = _last_exact
    if known is not folded:
        answer = any(form in folded for form in dictionary.exact_forms)
        _last_exact = (folded, answer)
    return answer


def actor_names(lowered: str, folded: str, span: Span) -> tuple[str, ...]:
    """The names of the actors in `span`, each once, in text order.

    What `find_actors` finds, read from the document's own lower-cased text (`lowered`, for
    forms in any case, beside `folded` for exact ones) without building mentions: events ask
    this of every clause.
    """
    dictionary = load_actors()
    found = _folded_forms(dictionary, lowered, span)
    if dictionary.exact is not None and _names_exact(dictionary, folded):
        matches = dictionary.exact.finditer(folded, span.start, span.end)
        found += [(m.start(), -m.end(), m.group(0)) for m in matches]
        found.sort()
    names: list[str] = []
    end = -1
    for start, negative_end, form in found:
        if start >= end:  # leftmost-longest: a mention inside the one before is not another
            names.append(dictionary.actors[form].name)
            end = -negative_end
    return tuple(dict.fromkeys(names))


def _folded_forms(dictionary: _Dictionary, lowered: str, span: Span) -> list[tuple[int, int, str]]:
    """The forms in any case in `span`, as `folded.finditer` finds them: (start, -end, form)."""
    after_break = dictionary.folded_after_break
    if span.start > 0 and after_break is not None:
        # From the character before the span: what the look-behind of `folded` reads.
        matches = after_break.for_text(lowered).finditer(lowered, span.start - 1, span.end)
        return [(m.start(1), -m.end(1), m.group(1)) for m in matches]
    matches = dictionary.folded.for_text(lowered).finditer(lowered, span.start, span.end)
    return [(m.start(), -m.end(), m.group(0)) for m in matches]


@dataclass(frozen=True, slots=True)
class Whereabouts:
    """Where the actors an article names work: how often the text points, through them, into
    each country and each first-level area (GeoNames admin1 codes)."""

    countries: Counter[str]
    areas: Counter[str]
    #: The regions (by their names in `areas.tsv`) that those areas make up, where known.
    regions: Counter[str]
    #: Where a town the gazetteer knows only outside those areas stands: the one area or
    #: region they point to, set by the place layer, which holds the gazetteer.
    stand_in: Entry | None = None


@dataclass(frozen=True, slots=True)
class _Beat:
    """The country an actor works in and, where well known, its first-level areas and the
    region they make up."""

    country: str
    areas: tuple[str, ...]
    region: str


@dataclass(frozen=True, slots=True)
class _Locators:
    """The forms that locate an article compiled, as `_Dictionary` compiles the actors'."""

    folded: TwinPattern
    exact: HintedPattern | None
    exact_forms: tuple[str, ...]
    beats: dict[str, _Beat]


@cache
def load_locators() -> _Locators:
    """The forms of `actors.tsv` and those of `actor_areas.tsv`, which say more of the same
    actors (their areas) and name missions and organisations besides."""
    beats: dict[str, _Beat] = {}
    exact: set[str] = set()
    for row in read_table("actors.tsv"):
        # Kept without a country too: a longer form hides the shorter forms inside it.
        beats[_form_key(row[0], row[4:], exact)] = _Beat(row[3], (), "")
    for row in read_table("actor_areas.tsv"):
        row += [""] * (4 - len(row))
        areas = tuple(code for code in row[2].split(",") if code)
        beats[_form_key(row[0], row[4:], exact)] = _Beat(row[1], areas, row[3])
    folded = [form for form in beats if form not in exact]
    return _Locators(
        folded=_compile(folded),
        exact=HintedPattern(_compile(sorted(exact)).pattern.pattern) if exact else None,
        exact_forms=tuple(sorted(exact)),
        beats=beats,
    )


def _form_key(surface: str, case: list[str], exact: set[str]) -> str:
    """The form as matched: as written when the table marks it `exact` (noted in `exact`),
    else in lower case."""
    if case and case[0] == "exact":
        exact.add(surface)
        return surface
    return surface.lower()


def find_whereabouts(folded: str, lowered: str) -> Whereabouts:
    """Where the actors named in `folded` (`lowered` is it in lower case) work: "the OSCE SMM
    observed ... near Vynohradne" points into Donetsk and Luhansk oblasts."""
    locators = load_locators()
    found = [
        (m.start(), -m.end(), m.group(0))
        for m in locators.folded.for_text(lowered).finditer(lowered)
    ]
    if locators.exact is not None and any(form in folded for form in locators.exact_forms):
        found += [(m.start(), -m.end(), m.group(0)) for m in locators.exact.finditer(folded)]
        found.sort()
    countries: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    end = -1
    for start, negative_end, form in found:
        if start < end:
            continue  # leftmost-longest: "SMM" of "OSCE SMM" is not named twice
        end = -negative_end
        beat = locators.beats[form]
        if not beat.country:
            continue
        countries[beat.country] += 1
        areas.update(beat.areas)
        if beat.region:
            regions[beat.region] += 1
    return Whereabouts(countries, areas, regions)
