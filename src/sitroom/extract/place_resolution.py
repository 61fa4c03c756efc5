"""Place resolution: the best gazetteer entry for each found toponym, with a confidence.

Each entry is scored by kind and feature (a capital, a seat), prominence (population), whether
the name is its own, the article's country and admin1 focus (a name does not vote for
itself), the area named after a comma ("Louisville, Ky."), nearness to the towns only one place
can be, a cue word ("province of", "the" before a sea), and whether a town seats the area of
its name ("Kidal"). Namesakes are then scored again with the areas the others were placed in.
Where the names leave the country or the area open, the actors the article names say where it
is, as weaker votes ("the OSCE SMM" works in Donetsk and Luhansk oblasts); a small town known
only outside their areas stands at the area or region they make up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from sitroom.extract import gazetteer as gaz
from sitroom.extract.actors import Whereabouts
from sitroom.model import Place, PlaceMention, Span

__all__ = ["Candidate", "country_focus", "is_small_town", "name_key", "resolve"]

_TOWN_KINDS = frozenset({"city", "village"})


_CONTAINER_KINDS = frozenset({"country", "admin1"})


KIND_PRIOR = {
    "country": 6.0,
    "admin1": 1.0,
    "region": 6.0,
    "admin2": 1.0,
    "city": 0.0,
    "village": -1.0,
}


FEATURE_PRIOR = {"PPLC": 2.5, "PPLA": 2.0, "PPLA2": 1.0}


LOOSE_MATCH_CONFIDENCE = 0.85


COUNTRY_FOCUS_WEIGHT = 5.0


ADMIN1_FOCUS_WEIGHT = 5.0


#: What the first-level areas the article's actors work in add, all of them together (each
#: area its share): no more than the areas its names point to.
HINTED_AREA_WEIGHT = 5.0


CONTAINER_WEIGHT = 6.0


NEAR_WEIGHT = 2.0


NEAR_KM = 150.0


PRIMARY_NAME_WEIGHT = 1.5


SEAT_WEIGHT = 2.0


#: What a town loses that bears only as another name the name of the area it lies in.
AREA_NAMESAKE_PENALTY = 10.0


#: A name that could lie in more first-level areas than this says nothing about any of them.
#: American town names lie in a dozen states and more ("Richmond", "Madison County"); each
#: area's share is weighted by how few areas the name could lie in (12 here did worse on the
#: geoparsing sets: e2e GWN 0.6873 against 0.6896, LGL 0.6593 against 0.6602).
MAX_SHARED_AREAS = 60


SHARED_AREA_WEIGHT = 2.0


#: The confidence of a name only one entry bears (a margin of 4 over no rival).
_ONLY_ENTRY_CONFIDENCE = 0.5 + 0.49 * (1 - math.exp(-2))
_ONLY_ENTRY_ROUNDED = round(_ONLY_ENTRY_CONFIDENCE, 3)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A found toponym before resolution: its span, its entries, and how it was matched."""

    span: Span
    entries: tuple[gaz.Entry, ...]
    loose: bool = False
    admin_cue: bool = False
    local_feature: bool = False

    def __init__(
        self,
        span: Span,
        entries: tuple[gaz.Entry, ...],
        loose: bool = False,
        admin_cue: bool = False,
        local_feature: bool = False,
    ) -> None:
        # Written out, as `Span`'s is: a generated frozen `__init__` sets each field through
        # `object.__setattr__`, and every name in every article is a candidate.
        _SET_CANDIDATE_SPAN(self, span)
        _SET_CANDIDATE_ENTRIES(self, entries)
        _SET_CANDIDATE_LOOSE(self, loose)
        _SET_CANDIDATE_ADMIN_CUE(self, admin_cue)
        _SET_CANDIDATE_LOCAL_FEATURE(self, local_feature)


# The slots' own setters: a frozen dataclass refuses plain assignment, even in `__init__`.
_SET_CANDIDATE_SPAN = vars(Candidate)["span"].__set__
_SET_CANDIDATE_ENTRIES = vars(Candidate)["entries"].__set__
_SET_CANDIDATE_LOOSE = vars(Candidate)["loose"].__set__
_SET_CANDIDATE_ADMIN_CUE = vars(Candidate)["admin_cue"].__set__
_SET_CANDIDATE_LOCAL_FEATURE = vars(Candidate)["local_feature"].__set__


def resolve(
    candidates: list[Candidate],
    text: str,
    *,
    article_id: str = "",
    hints: Callable[[], Whereabouts] | None = None,
) -> list[PlaceMention]:
    """The best entry for each candidate, given the article's country and admin1 focus.

    `hints` gives where the actors the article names work (`actors.find_whereabouts`): it is
    called only when an ambiguous name needs them and no name points to one country, or to
    one first-level area, or when all the names are small towns'. Their countries stand for
    the countries no name points to; their areas are weak votes beside the areas the names
    point to, and their `stand_in` the place of a small town known only outside them.
    """
    candidates = _cue_state_lists(candidates, text)
    # Each mention's own votes, reckoned once: the focus sums them, and each mention's
    # scoring takes its own back out.
    votes = [_with_dominant(_votes_of(c.entries), c, text) for c in candidates]
    countries = Counter(country for country, _ in votes if country)
    admin1 = Counter(code for _, code in votes if code)
    ambiguous = any(len(c.entries) > 1 for c in candidates)
    hinted: Counter[str] = _NO_HINTED_AREAS
    stand_in: Place | None = None
    # Small towns alone point to their areas, but may be namesakes of the towns meant.
    small = bool(candidates) and all(is_small_town(c.entries) for c in candidates)
    if hints is not None and (small or (ambiguous and not (countries and admin1))):
        whereabouts = hints()
        if not countries:
            countries.update(whereabouts.countries)
        if small or not admin1:
            hinted = whereabouts.areas
            stand_in = whereabouts.stand_in.place if whereabouts.stand_in else None
    focus = _Focus(
        countries,
        admin1,
        # Only namesakes are placed by nearness: without them, no anchor is looked at.
        _anchors(candidates) if ambiguous else _NO_ANCHORS,
        countries.total(),
        admin1.total(),
        _shared_areas(candidates, text),
        Counter(id(c.entries) for c in candidates),
        hinted,
        hinted.total(),
    )
    within = _containers(candidates, text)
    best: dict[_Choice, tuple[gaz.Entry, float]] = {}
    mentions = [
        _resolve_one(c, text, focus, within.get(i), article_id, best, votes[i])
        for i, c in enumerate(candidates)
    ]
    settled = _settled_areas(candidates, mentions, votes)
    if len(settled) > 1:
        _resolve_again(candidates, mentions, text, focus, settled, within, article_id, votes)
    for i, container in within.items():
        if container.closes:
            area = mentions[container.index]
            mentions[i] = _placed_in(candidates[i], mentions[i], area, container, focus, votes[i])
            mentions[container.index] = _as_container(area, mentions[i], candidates[i], container)
    if stand_in is not None:
        for i, candidate in enumerate(candidates):
            if mentions[i].place is not None and _known_only_outside(candidate, hinted):
                mentions[i] = replace(
                    mentions[i], place=stand_in, confidence=CONTAINER_ONLY_CONFIDENCE
                )
    if not any(c.local_feature for c in candidates):
        return [m for m in mentions if m.place is not None]
    town = _main_town(m for m, c in zip(mentions, candidates, strict=True) if not c.local_feature)
    placed = []
    for mention, candidate in zip(mentions, candidates, strict=True):
        if candidate.local_feature and town is not None:
            mention = replace(mention, place=town, confidence=0.5)
        if mention.place is not None:
            placed.append(mention)
    return placed


def is_small_town(entries: tuple[gaz.Entry, ...]) -> bool:
    """Whether a name is only small towns': no area, capital or big city bears it."""
    for entry in entries:
        if (
            entry.kind not in _TOWN_KINDS
            or entry.feature in _CAPITAL_CODES
            or entry.place.population >= DOMINANT_POPULATION
        ):
            return False
    return bool(entries)


def _known_only_outside(candidate: Candidate, areas: Counter[str]) -> bool:
    """Whether a small town's name is known only outside the areas the article's actors work
    in: "the OSCE SMM observed ... near Zhuravno" names a village by the contact line, not
    its namesake in Lviv oblast, which is all the gazetteer knows."""
    return is_small_town(candidate.entries) and not any(
        e.admin1_code in areas for e in candidate.entries
    )


#: The kinds of place whose first-level area a placed namesake lends the article's focus.
_SETTLED_KINDS = frozenset({"city", "village", "admin2", "admin1"})


def _settled_areas(
    candidates: Sequence[Candidate], mentions: Sequence[PlaceMention], votes: list[_Vote]
) -> dict[str, str]:
    """The first-level area each namesake was placed in, by name: a name counts once however
    often it is named, and not if all of its entries lie in one area (it voted already)."""
    settled: dict[str, str] = {}
    for candidate, mention, vote in zip(candidates, mentions, votes, strict=True):
        place = mention.place
        if len(candidate.entries) < 2 or vote[1] is not None or place is None:
            continue
        if place.kind not in _SETTLED_KINDS:
            continue
        for entry in candidate.entries:
            if entry.place is place and entry.admin1_code:
                settled.setdefault(name_key(mention.text), entry.admin1_code)
                break
    return settled


def _resolve_again(
    candidates: Sequence[Candidate],
    mentions: list[PlaceMention],
    text: str,
    focus: _Focus,
    settled: dict[str, str],
    within: dict[int, _Container],
    article_id: str,
    votes: list[_Vote],
) -> None:
    """Each namesake scored again with the areas the others were placed in as focus too:
    "Paris ... Henry County" is Henry County, Tennessee, once Paris is Paris, Tennessee."""
    chosen: dict[_Choice, tuple[gaz.Entry, float]] = {}
    foci: dict[str, _Focus | None] = {}
    first = list(mentions)
    for i, candidate in enumerate(candidates):
        if len(candidate.entries) < 2:
            continue
        key = name_key(mentions[i].text)
        if key not in foci:
            foci[key] = _with_settled(focus, settled, key, candidate.entries)
        name_focus = foci[key]
        if name_focus is not None:
            mentions[i] = _resolve_one(
                candidate, text, name_focus, within.get(i), article_id, chosen, votes[i]
            )
    if any(m.place is not f.place for m, f in zip(mentions, first, strict=True)):
        _keep_supported_moves(candidates, mentions, first, settled, votes)


def _keep_supported_moves(
    candidates: Sequence[Candidate],
    mentions: list[PlaceMention],
    first: list[PlaceMention],
    settled: dict[str, str],
    votes: list[_Vote],
) -> None:
    """Takes back each move into an area whose namesakes all moved away themselves: two
    names pulled each to where the other was would otherwise trade places."""
    again = _settled_areas(candidates, mentions, votes)
    stayed = {code for key, code in settled.items() if again.get(key) == code}
    for i, (mention, before) in enumerate(zip(mentions, first, strict=True)):
        if mention.place is before.place:
            continue
        code = again.get(name_key(mention.text))
        if code is None or code not in stayed:
            mentions[i] = before


def _with_settled(
    focus: _Focus, settled: dict[str, str], key: str, entries: tuple[gaz.Entry, ...]
) -> _Focus | None:
    """The focus with the areas the namesakes other than `key` were placed in; None when
    none of them could move the name (no entry but the one it took lies in those areas)."""
    others = [code for name, code in settled.items() if name != key]
    taken = settled.get(key)
    if not any(e.admin1_code in others and e.admin1_code != taken for e in entries):
        return None
    codes = Counter(others)
    return replace(
        focus, admin1=focus.admin1 + codes, admin1_total=focus.admin1_total + codes.total()
    )


@dataclass(frozen=True, slots=True)
class _Focus:
    """How often the article points into each country and each first-level area."""

    countries: Counter[str]
    admin1: Counter[str]
    #: Points of the towns the article names that can only be one place, by cell.
    anchors: _Anchors
    countries_total: int = 0
    admin1_total: int = 0
    #: Per first-level area, the share of each ambiguous name's entries that lie in it.
    shared: dict[str, _SharedArea] = field(default_factory=dict)
    #: How often each name (by its entries tuple) is named: a name named twice does not vote
    #: for itself either ("Tripoli ... Tripoli" is not in Libya for its Libyan province).
    repeats: Counter[int] = field(default_factory=Counter)
    #: How often the actors the article names point into each first-level area, when no
    #: name points to one ("the OSCE SMM observed ... near Vynohradne").
    hinted: Counter[str] = field(default_factory=Counter)
    hinted_total: int = 0


_NO_HINTED_AREAS: Counter[str] = Counter()


def _main_town(mentions: Iterable[PlaceMention]) -> Place | None:
    """The town an article names most often: where its streets and schools are."""
    # Counted by id: hashing a place hashes all its fields.
    towns = [m.place for m in mentions if m.place and m.place.kind in _TOWN_KINDS]
    if not towns:
        return None
    first: dict[str, Place] = {}
    for town in towns:
        first.setdefault(town.id, town)
    return first[Counter(town.id for town in towns).most_common(1)[0][0]]


# A smaller unit's word after its name: "Muqur district, Badghis", "Kolofata town (Far North)".
_UNIT = r"(?:[ \t]+(?i:district|sub-?district|county|municipality|town|village|city|area|lga|"
_UNIT += r"subdivision|commune|payam|tehsil))"


# What may stand between a name and the area it lies in: "Palma, Cabo Delgado", "Palma in
# Cabo Delgado", "Palma, in Cabo Delgado", "Palma (Cabo Delgado)", "Palma of Cabo Delgado
# province", each after a unit's word or not.
_CONTAINER_GAP = re.compile(
    rf"{_UNIT}?(?:[ \t]*,[ \t]*|,?[ \t]+in[ \t]+(?:the[ \t]+)?|[ \t]*\([ \t]*)"
)
_CONTAINER_OF = re.compile(rf"{_UNIT}?[ \t]+of[ \t]+")
#: "Muqur district of Badghis": after a unit's word, "of" names the area without its cue.
_UNIT_OF = re.compile(rf"{_UNIT}[ \t]+of[ \t]+")

#: Longer than any gap above with one space between its words (" subdistrict, in the ").
_LONGEST_GAP = 32
_LIST_GAP = re.compile(r",?[ \t]+(?:and|or)[ \t]+|[ \t]*,[ \t]*")


#: The confidence of a name placed only in the area named with it, none of its entries lying
#: there ("Palma in Cabo Delgado", when the gazetteer knows only other Palmas).
CONTAINER_ONLY_CONFIDENCE = 0.4


@dataclass(frozen=True, slots=True)
class _Container:
    """The area named with a toponym: the codes it can be, and which candidate names it."""

    codes: frozenset[str]
    index: int
    #: The area entries of its name, which may be a town's too ("Donetsk").
    areas: tuple[gaz.Entry, ...]
    #: Whether the area closes the name's phrase, not a list ("Lyon, Germany and Italy").
    closes: bool


def _containers(candidates: Sequence[Candidate], text: str) -> dict[int, _Container]:
    """ "Louisville, Ky.", "Ariha, Idlib", "Palma in Cabo Delgado": the area a name lies in."""
    within = {}
    for i in range(len(candidates) - 1):
        name, area = candidates[i], candidates[i + 1]
        start, end = name.span.end, area.span.start
        if end - start > _LONGEST_GAP:
            continue  # most names stand far apart: no pattern is tried
        gap = _CONTAINER_GAP.fullmatch(text, start, end)
        if not (gap or _area_after_of(text, start, end, area.admin_cue)):
            continue
        areas = [e for e in area.entries if e.kind in _CONTAINER_KINDS]
        if _same_rank(name, areas):
            continue  # "Iraq, Iran", "Arizona, California": a list of areas, not Arak in Iran
        codes = {e.admin1_code for e in areas if e.kind == "admin1" and e.admin1_code}
        codes |= {e.place.country for e in areas if e.kind == "country" and e.place.country}
        if codes:
            listed = gap is not None and "," in gap.group() and _listed(candidates, i + 1, text)
            within[i] = _Container(frozenset(codes), i + 1, tuple(areas), not listed)
    return within


def _same_rank(name: Candidate, areas: list[gaz.Entry]) -> bool:
    """Whether the name can be an area of the kind the area after it is: a country lies in no
    other country, a state in no other state."""
    kinds = {e.kind for e in areas}
    return any(e.kind in kinds for e in name.entries)


#: How many other names of a list must be states by their own names for the list to be one
#: of states.
MIN_LISTED_STATES = 2


_CAPITAL_CODES = frozenset({"PPLC", "PPLA"})


def _cue_state_lists(candidates: list[Candidate], text: str) -> list[Candidate]:
    """The candidates, a state's name in a list of states cued as an area: "Arizona,
    California, Colorado and Oregon" names four states, not the towns of California, Missouri
    and Oregon, Illinois."""
    marked = candidates
    start = 0
    end = candidates[0].span.end if candidates else 0
    for i in range(1, len(candidates) + 1):
        if i < len(candidates):
            # A list's gap is a comma or "and" with spaces: six characters at most.
            after = candidates[i].span.start
            listed = after - end <= 6 and _LIST_GAP.fullmatch(text, end, after) is not None
            end = candidates[i].span.end
            if listed:
                continue
        if i - start > MIN_LISTED_STATES:
            if marked is candidates:
                marked = list(candidates)
            _cue_states(marked, text, start, i)
        start = i
    return marked


def _cue_states(marked: list[Candidate], text: str, start: int, end: int) -> None:
    states = [_is_state(marked[i], text) for i in range(start, end)]
    count = sum(states)
    for i, state in zip(range(start, end), states, strict=True):
        others = count - state
        if state and others >= MIN_LISTED_STATES and 2 * others >= end - start - 1:
            marked[i] = replace(marked[i], admin_cue=True)


def _is_state(candidate: Candidate, text: str) -> bool:
    """Whether a first-level area bears the candidate's name as its own, and no capital does:
    "Moscow, Beijing and Berlin" are cities, though each is a first-level area too."""
    key = name_key(candidate.span.of(text))
    state = False
    for entry in candidate.entries:
        if _static(entry).key != key:
            continue
        if entry.feature in _CAPITAL_CODES:
            return False
        state = state or entry.kind == "admin1"
    return state


def _area_after_of(text: str, start: int, end: int, admin_cue: bool) -> bool:
    """ "Palma of Cabo Delgado province", "Muqur district of Badghis": an area after "of"."""
    if admin_cue:
        return _CONTAINER_OF.fullmatch(text, start, end) is not None
    return _UNIT_OF.fullmatch(text, start, end) is not None


def _listed(candidates: Sequence[Candidate], index: int, text: str) -> bool:
    """Whether a place is followed in a list by another that does not contain it: "Lyon,
    Germany and Italy" lists three places, "Ariha, Idlib, Syria" names one."""
    if index + 1 >= len(candidates):
        return False
    area, after = candidates[index], candidates[index + 1]
    if not _LIST_GAP.fullmatch(text, area.span.end, after.span.start):
        return False
    countries = {e.place.country for e in area.entries}
    return not any(e.kind == "country" and e.place.country in countries for e in after.entries)


def _lies_outside(candidate: Candidate, container: _Container) -> bool:
    """A town name none of whose entries lies in the area named with it: the gazetteer lacks
    the town ("Palma in Cabo Delgado" is not Palma de Mallorca). Names that can be an area,
    and capitals, which stand for governments ("Moscow in Ukraine"), are left to the score."""
    codes = container.codes
    for entry in candidate.entries:
        if entry.kind not in _TOWN_KINDS or entry.feature == "PPLC":
            return False
        if entry.admin1_code in codes or entry.place.country in codes:
            return False
    return bool(candidate.entries)


#: The country and the first-level area a mention alone points to, where it points to one.
_Vote = tuple[str | None, str | None]


#: What decides a name's best entry within one article: the name, its entries (by identity:
#: the gazetteer hands out one tuple per key), the areas named with it and its cue.
_Choice = tuple[str, int, frozenset[str] | None, bool, bool]


# "the Atlantic", "the eastern tropical Pacific": a sea or a region, not a town of its name.
_THE_BEFORE = re.compile(r"\b[Tt]he(?:[ \t]+[a-z-]+){0,3}[ \t]+\Z")


#: How far before a name `_THE_BEFORE` looks.
_THE_REACH = 40


#: What "the" before a name adds to its region entries.
THE_REGION_WEIGHT = 4.0


def _after_the(text: str, start: int, entries: tuple[gaz.Entry, ...]) -> bool:
    """Whether the name follows "the" and may be a region, which the word then points to."""
    if not _may_be_region(entries):
        return False
    low = max(0, start - _THE_REACH)
    return _THE_BEFORE.search(text, low, start) is not None


# Per entries tuple (kept beside it): whether one of them is a region. Few names are.
_REGIONS: dict[int, tuple[tuple[gaz.Entry, ...], bool]] = {}


def _may_be_region(entries: tuple[gaz.Entry, ...]) -> bool:
    known = _REGIONS.get(id(entries))
    if known is not None and known[0] is entries:
        return known[1]
    if len(_REGIONS) >= MAX_REMEMBERED_VOTES:
        _REGIONS.clear()
    region = any(e.kind == "region" for e in entries)
    _REGIONS[id(entries)] = (entries, region)
    return region


def _resolve_one(
    candidate: Candidate,
    text: str,
    focus: _Focus,
    container: _Container | None,
    article_id: str,
    chosen: dict[_Choice, tuple[gaz.Entry, float]],
    own: _Vote,
) -> PlaceMention:
    span, entries = candidate.span, candidate.entries
    name = text[span.start : span.end]
    if not entries:
        return PlaceMention(article_id, span, name, None, 0.0)
    if len(entries) == 1:
        if not candidate.loose:  # most names: one entry, matched exactly
            return PlaceMention(article_id, span, name, entries[0].place, _ONLY_ENTRY_ROUNDED)
        best, confidence = entries[0], _ONLY_ENTRY_CONFIDENCE
    else:
        # An article names its towns again and again: each is scored once per context.
        within = container.codes if container else None
        the = _after_the(text, span.start, entries)
        choice = (name, id(entries), within, candidate.admin_cue, the)
        if choice not in chosen:
            chosen[choice] = _best_entry(candidate, name, focus, within, own, the=the)
        best, margin = chosen[choice]
        confidence = _confidence(margin)
    if candidate.loose:
        confidence *= LOOSE_MATCH_CONFIDENCE
    return PlaceMention(article_id, span, name, best.place, round(confidence, 3))


def _confidence(margin: float) -> float:
    return 0.5 + 0.49 * (1 - math.exp(-margin / 2))


def _as_container(
    area_mention: PlaceMention, mention: PlaceMention, candidate: Candidate, container: _Container
) -> PlaceMention:
    """The area a town was placed in, as the mention naming it: "Spokane, Washington" names
    the state, not the capital that bears its name, nor the capital's namesake elsewhere."""
    area, place = area_mention.place, mention.place
    if area is None or place is None or area.kind in _CONTAINER_KINDS:
        return area_mention
    entry = next((e for e in candidate.entries if e.place is place), None)
    if entry is None:
        return area_mention
    for option in container.areas:
        if option.kind == "admin1" and option.admin1_code == entry.admin1_code:
            return replace(area_mention, place=option.place)
        if option.kind == "country" and option.place.country == place.country:
            return replace(area_mention, place=option.place)
    return area_mention


def _placed_in(
    candidate: Candidate,
    mention: PlaceMention,
    area_mention: PlaceMention,
    container: _Container,
    focus: _Focus,
    own: _Vote,
) -> PlaceMention:
    """A town named in the area that closes its phrase lies in it: the entry inside it, or,
    when the gazetteer has none there, the area itself at its precision ("Palma in Cabo
    Delgado" is not Palma de Mallorca; no point the text does not give is made up)."""
    place, area = mention.place, area_mention.place
    if place is None or area is None or any(e.kind in gaz.AREA_KINDS for e in candidate.entries):
        return mention  # "Russia, U.S. officials": an area lies in no other area
    if area.kind not in _CONTAINER_KINDS:
        # "Donetsk" the city stands for the oblast it seats; "San Fernando" the Californian
        # town ("Los Angeles, San Fernando Valley") for no area in Trinidad.
        same = [e.place for e in container.areas if e.place.country == area.country]
        if not same:
            return mention
        area = same[0]
    inside = [e for e in candidate.entries if _lies_in(e, container.codes)]
    if not inside:
        if _lies_outside(candidate, container):
            return replace(mention, place=area, confidence=CONTAINER_ONLY_CONFIDENCE)
        return mention
    if any(e.place == place for e in inside):
        return mention
    best, margin = _best_entry(candidate, mention.text, focus, container.codes, own, closed=True)
    confidence = _confidence(margin) * (LOOSE_MATCH_CONFIDENCE if candidate.loose else 1.0)
    return replace(mention, place=best.place, confidence=round(confidence, 3))


def _best_entry(
    candidate: Candidate,
    name: str,
    focus: _Focus,
    within: frozenset[str] | None,
    own: _Vote,
    *,
    closed: bool = False,
    the: bool = False,
) -> tuple[gaz.Entry, float]:
    """The highest-scoring entry and its margin over the runner-up.

    Named in an area that closes its phrase ("Zolote, Luhansk"), a name is an entry inside
    that area whenever one is: a big namesake elsewhere in the country does not outscore it.
    """
    key = name_key(name)
    # A mention does not vote for itself: "Atlantic" is a US town only beside other US places.
    votes = _Votes(focus, own, key, focus.repeats[id(candidate.entries)] or 1)
    areas = {e.admin1_code for e in candidate.entries if e.kind == "admin1"}
    scored = []
    # Nearness counts only between namesakes: a name only one place bears has no rival.
    anchors = votes.anchors if votes.anchors.cells and len(candidate.entries) > 1 else None
    for i, entry in enumerate(candidate.entries):
        static = _static(entry)
        score = _score(static, candidate.admin_cue, votes, anchors, within)
        if static.key == key:
            score += PRIMARY_NAME_WEIGHT
        elif static.code in areas and _bore_area_name(static, key):
            # "Arizona" is the state, not a town in it that once bore the state's name
            score -= AREA_NAMESAKE_PENALTY
        if static.seat:
            score += _seat_bonus(static, entry, areas, candidate.admin_cue)
        if the and static.kind == "region":
            score += THE_REGION_WEIGHT
        scored.append((score, i, entry))
    scored.sort(key=lambda item: (-item[0], item[1]))
    if closed and within:
        inside = [s for s in scored if _lies_in(s[2], within)]
        if inside and inside[0] is not scored[0]:
            rest = [s for s in scored if s is not inside[0]]
            return inside[0][2], max(0.0, inside[0][0] - rest[0][0])
    return scored[0][2], scored[0][0] - scored[1][0]


def _bore_area_name(static: _Static, key: str) -> bool:
    """Whether a town bears the name of the area it lies in only as another name ("Arizona"
    for Yuma), not inside its own ("Oklahoma City"). The area's seat is known by the area's
    name, however GeoNames spells its own ("Hamah" for Hama)."""
    return (
        static.kind in _TOWN_KINDS
        and static.entry.feature not in _CAPITAL_CODES
        and f" {key} " not in f" {static.key} "
    )


def _lies_in(entry: gaz.Entry, codes: frozenset[str]) -> bool:
    return entry.admin1_code in codes or entry.place.country in codes


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    return gaz.loose_key(name)


def _seat_bonus(
    static: _Static, entry: gaz.Entry, areas: set[str | None], admin_cue: bool
) -> float:
    """A bare "Kidal" or "Idlib" is the town that seats the area of its name; the area is
    named with a cue ("Kidal region", "Idlib province")."""
    seat = static.seat and entry.admin1_code in areas
    return SEAT_WEIGHT if seat and not admin_cue else 0.0


def country_focus(candidates: Iterable[Candidate]) -> Counter[str]:
    """How often each country is named outright or is the only country a mention could be in."""
    return Counter(vote for c in candidates if (vote := _votes_of(c.entries)[0]))


#: Entry tuples whose votes `_votes_of` remembers before it starts afresh.
MAX_REMEMBERED_VOTES = 1 << 16


# Votes by the identity of an entries tuple, the tuple kept beside them so that its id is
# not reused: the gazetteer hands out one tuple per name, and articles repeat their names.
_VOTES: dict[int, tuple[tuple[gaz.Entry, ...], _Vote]] = {}


def _votes_of(entries: tuple[gaz.Entry, ...]) -> _Vote:
    """The country and the first-level area a mention with these entries points to."""
    known = _VOTES.get(id(entries))
    if known is not None and known[0] is entries:
        return known[1]
    if len(_VOTES) >= MAX_REMEMBERED_VOTES:
        _VOTES.clear()
    vote = _country_vote(entries), _admin1_vote(entries)
    _VOTES[id(entries)] = (entries, vote)
    return vote


def _country_vote(entries: tuple[gaz.Entry, ...]) -> str | None:
    """The one country a mention points to, if it points to one."""
    countries = {e.place.country for e in entries if e.place.country}
    if len(countries) == 1:
        return countries.pop()
    if countries and entries[0].kind == "country":
        # "Georgia" in an article about Atlanta is the state: a homonym names no country
        named = {e.place.country for e in entries if e.kind in gaz.AREA_KINDS}
        return named.pop() if len(named) == 1 else None
    return None


#: A town this populous ...
DOMINANT_POPULATION = 100_000


#: ... and this many times more populous than any namesake abroad points to its country.
DOMINANT_FACTOR = 50


# Per entries tuple (kept beside it): the country of its dominant entry, if any, and that
# entry's own name. Most names have none, found with one lookup and no slicing of the text.
_DOMINANT: dict[int, tuple[tuple[gaz.Entry, ...], str | None, str]] = {}


def _with_dominant(vote: _Vote, candidate: Candidate, text: str) -> _Vote:
    """A mention's vote, with the country of its dominant entry when it points to none and
    the entry bears the name as its own."""
    entries = candidate.entries
    if vote[0] is not None or len(entries) < 2:
        return vote
    known = _DOMINANT.get(id(entries))
    if known is None or known[0] is not entries:
        if len(_DOMINANT) >= MAX_REMEMBERED_VOTES:
            _DOMINANT.clear()
        known = (entries, *_dominant_country(entries))
        _DOMINANT[id(entries)] = known
    country = known[1]
    if country is None or known[2] != name_key(candidate.span.of(text)):
        return vote
    return country, vote[1]


def _dominant_country(entries: tuple[gaz.Entry, ...]) -> tuple[str | None, str]:
    """ "Beirut" points to Lebanon though a small town abroad bears its name too; "Tripoli",
    a city in Libya and in Lebanon, points to neither; nor does "Twickenham", an alternate
    name of a big American city (the caller compares the name with the entry's own)."""
    top = max(entries, key=lambda e: e.place.population)
    population, country = top.place.population, top.place.country
    if population < DOMINANT_POPULATION or not country:
        return None, ""
    for entry in entries:
        other = entry.place
        if other.country != country and other.population * DOMINANT_FACTOR > population:
            return None, ""
    return country, _static(top).key


_Cell = tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Anchors:
    """Points of the towns only one place can be, by 2-degree cell, so that a long article's
    thousands of towns are not each compared with every other."""

    cells: dict[_Cell, list[tuple[float, float]]]
    #: Every cell from which a look at the widest reach finds an anchor: a place outside
    #: them is near none, found with one set lookup (most entries of an ambiguous name).
    reachable: frozenset[_Cell]

    def __bool__(self) -> bool:
        return bool(self.cells)


_NO_ANCHORS = _Anchors({}, frozenset())


def _anchors(candidates: Iterable[Candidate]) -> _Anchors:
    points = {
        (c.entries[0].place.lat, c.entries[0].place.lon)
        for c in candidates
        if len(c.entries) == 1 and c.entries[0].kind in _TOWN_KINDS
    }
    cells: dict[_Cell, list[tuple[float, float]]] = {}
    for lat, lon in points:
        cells.setdefault(_cell(lat, lon), []).append((lat, lon))
    reachable = frozenset(
        (row + dr, column + dc)
        for row, column in cells
        for dr in (-1, 0, 1)
        for dc in range(-_WIDEST_REACH, _WIDEST_REACH + 1)
    )
    return _Anchors(cells, reachable)


#: Cells of longitude looked across at high latitudes, where a degree of longitude is short.
_WIDEST_REACH = 2


def _cell(lat: float, lon: float) -> _Cell:
    return int(lat // 2), int(lon // 2)


def _near_an_anchor(place: Place, cell: _Cell, anchors: _Anchors) -> bool:
    """Whether a town only one place can be lies near `place`, whose cell is `cell`."""
    if cell not in anchors.reachable:
        return False
    row, column = cell
    reach = 1 if abs(place.lat) < 45 else _WIDEST_REACH
    # Plain loops: this runs for every entry of every ambiguous name, and a generator in
    # `any` cost twice as much.
    for dr in (-1, 0, 1):
        for dc in range(-reach, reach + 1):
            for lat, lon in anchors.cells.get((row + dr, column + dc), ()):
                if (lat != place.lat or lon != place.lon) and gaz.haversine_km(
                    lat, lon, place.lat, place.lon
                ) <= NEAR_KM:
                    return True
    return False


def _shared_areas(candidates: Iterable[Candidate], text: str) -> dict[str, _SharedArea]:
    """For each first-level area, the names that could lie in it, each weighted by how few
    other areas it could lie in: "Paris" and "Henry County" both could be in Tennessee."""
    shared: dict[str, _SharedArea] = {}
    seen = set()
    for candidate in candidates:
        if len(candidate.entries) < 2:
            continue
        key = name_key(candidate.span.of(text))
        if key in seen:
            continue
        seen.add(key)
        codes = {e.admin1_code for e in candidate.entries if e.admin1_code}
        if 1 < len(codes) <= MAX_SHARED_AREAS:
            weight = 1 / len(codes)
            for code in codes:
                area = shared.get(code)
                if area is None:
                    area = shared[code] = _SharedArea()
                area.names[key] = weight
                area.total += weight
    return shared


class _SharedArea:
    """The names that could lie in one first-level area, by name, with their summed weight
    (kept, so that one name's share is the sum less its own, not a sum over the others)."""

    __slots__ = ("names", "total")

    def __init__(self) -> None:
        self.names: dict[str, float] = {}
        self.total = 0.0


def _admin1_vote(entries: tuple[gaz.Entry, ...]) -> str | None:
    """The one first-level area a mention points to, if it points to one."""
    if any(e.kind == "country" for e in entries):
        return None
    named = {e.admin1_code for e in entries if e.kind == "admin1"}
    codes = named or {e.admin1_code for e in entries}
    return codes.pop() if len(codes) == 1 else None


class _Votes:
    """The article's focus less the votes of one mention and of the name's other mentions."""

    __slots__ = (
        "admin1",
        "admin1_repeats",
        "admin1_total",
        "anchors",
        "countries",
        "countries_total",
        "hinted",
        "hinted_total",
        "key",
        "own",
        "repeats",
        "shared",
    )

    def __init__(self, focus: _Focus, own: _Vote, key: str, repeats: int) -> None:
        self.countries, self.admin1, self.anchors = focus.countries, focus.admin1, focus.anchors
        self.shared, self.key = focus.shared, key
        self.hinted, self.hinted_total = focus.hinted, focus.hinted_total
        # Every mention of the name votes alike: all of their votes are taken out, but for
        # an area in a country the article's other names point to ("New York ... Brooklyn ...
        # New York" is the city in New York State).
        self.own, self.repeats = own, repeats
        self.admin1_repeats = repeats
        if own[1] is not None and self._others_in(own[1].split(".", 1)[0]):
            self.admin1_repeats = 1
        self.countries_total = focus.countries_total - repeats * (own[0] is not None)
        self.admin1_total = focus.admin1_total - self.admin1_repeats * (own[1] is not None)

    def _others_in(self, country: str) -> bool:
        """Whether another name of the article points into the country."""
        return self.countries[country] > self.repeats * (country == self.own[0])


@dataclass(frozen=True, slots=True)
class _Static:
    """What scoring reads of an entry before the article is read."""

    entry: gaz.Entry
    #: Its kind, feature and population, scored.
    prior: float
    cell: _Cell
    #: The loose key of its own name: an entry called by its own name beats one that bears
    #: the name only as a former or foreign alternate ("Manchester" is the English city, not
    #: Richmond, which absorbed a Manchester).
    key: str
    #: Whether it seats an area.
    seat: bool
    #: The place's kind and country and the entry's first-level area: read for every score.
    kind: str
    country: str | None
    code: str | None


# By the identity of the entry (kept in the value): the gazetteer's entries live on, and the
# same few are scored in article after article.
_STATIC: dict[int, _Static] = {}


def _static(entry: gaz.Entry) -> _Static:
    known = _STATIC.get(id(entry))
    if known is not None and known.entry is entry:
        return known
    if len(_STATIC) >= MAX_REMEMBERED_VOTES:
        _STATIC.clear()
    place = entry.place
    prior = KIND_PRIOR.get(place.kind, 0.0) + FEATURE_PRIOR.get(entry.feature, 0.0)
    prior += 0.5 * math.log10(place.population + 10)
    static = _Static(
        entry,
        prior,
        _cell(place.lat, place.lon),
        name_key(place.name),
        entry.feature in gaz.SEAT_CODES,
        place.kind,
        place.country,
        entry.admin1_code,
    )
    _STATIC[id(entry)] = static
    return static


def _score(
    static: _Static,
    admin_cue: bool,
    votes: _Votes,
    anchors: _Anchors | None,
    within: frozenset[str] | None,
) -> float:
    """An entry's score in the article, less the bonuses for its own name and for a seat.

    The shares of `_Votes` are written out here: this runs for every entry of every
    ambiguous name, and their calls cost as much as the arithmetic.
    """
    kind, country, code = static.kind, static.country, static.code
    score = static.prior
    if votes.countries_total and country:
        own = votes.repeats * (country == votes.own[0])
        share = (votes.countries.get(country, 0) - own) / votes.countries_total
        score += COUNTRY_FOCUS_WEIGHT * share
    if code and kind != "admin1":
        if votes.admin1_total:
            own = votes.admin1_repeats * (code == votes.own[1])
            share = (votes.admin1.get(code, 0) - own) / votes.admin1_total
            score += ADMIN1_FOCUS_WEIGHT * share
        if votes.hinted_total:
            score += HINTED_AREA_WEIGHT * votes.hinted.get(code, 0) / votes.hinted_total
        area = votes.shared.get(code)
        if area is not None:
            # How strongly the article's other ambiguous names point into the area: the sum
            # less the name's own weight (0 exactly when it is the only one).
            others = area.total - area.names.get(votes.key, 0.0)
            score += SHARED_AREA_WEIGHT * (others if others < 1.0 else 1.0)
    if (
        anchors is not None
        and static.cell in anchors.reachable
        and _near_an_anchor(static.entry.place, static.cell, anchors)
    ):
        score += NEAR_WEIGHT
    if within and (code in within or country in within):
        score += CONTAINER_WEIGHT
    if admin_cue and kind == "admin1":
        score += 6.0
    return score
