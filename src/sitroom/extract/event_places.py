"""Event places: which of the places a clause names is where its event happened.

The most specific place (a town before its district, a district before its province, any
before the country), but not a place named only to compare or to date the event by ("a day
after the protest in Goma"), nor a quarter named with its town ("the Hamra district of
Beirut": a quarter's name often recurs far away), nor where people came from ("travelling
from Aden") beside where they were; among places as specific, one a locative word governs
("in", "near", "the town of") before a bare name. Places of another country than the
article's are misreadings of a local name (`article_country`); so is a town far from the
areas the text names as holding it ("Karama in Ar-Raqqa countryside" read as a town abroad),
which gives way to what lies inside them, else to the areas themselves.
"""

from __future__ import annotations

import re

from sitroom.extract.gazetteer import haversine_km
from sitroom.extract.prefix_guard import guarded
from sitroom.model import Place, PlaceMention, Span

__all__ = ["article_country", "choose_place", "is_specific"]

# Words that open a phrase about another incident, up to the place: "a day after the
# protest in", "similar demonstrations in", "following last week's attack on".
_REFERENCE_WORDS = r"\b(?:after|since|following|before|like|similar|than|earlier|previous\w*)\b"
_REFERENCE = re.compile(r"\b" + guarded(_REFERENCE_WORDS + r"[^,;.]*$"))
# Most clauses have no such word: one search says so for all their places.
_REFERENCE_WORD = re.compile(r"\b" + guarded(_REFERENCE_WORDS))
# A quarter or a district named with the town it lies in: "the town's Y district", or
# "X village of the town".
_QUARTER_WORDS = r"neighbou?rhoods?|quarters?|districts?|areas?|camps?|sectors?|suburbs?"
_QUARTER = re.compile(rf"\s+(?:{_QUARTER_WORDS})\b")
_PART_OF = re.compile(rf"\s+(?:{_QUARTER_WORDS}|villages?)\s+(?:of|in)\s+(?:the\s+)?")
_CONTAINERS = frozenset({"city", "village", "admin2"})
# How far from an area's point a town it holds may lie: a town's district keeps within
# ACLED's own tolerance; a city's name often stands for its province, which may be wide.
_AREA_KM = {"city": 250.0, "admin2": 161.0, "admin1": 400.0}
_AREA_KINDS = frozenset(_AREA_KM)
# What stands between a town and the areas that hold it: "X (Y, Z)", "X town, Y",
# "X in the countryside of Y", "X village in Y district of Z".
_HOLDER_GAP_MAX = 60
_HOLDER_GAP = re.compile(
    r"[\s,()]*(?:(?:the\s+)?(?:[\w'-]+\s+){0,3}?"
    r"(?:town|city|village|area|district|sub-?district|county|neighbou?rhood|camp|sector|"
    r"region|countryside|province|governorate|lga|state|subdivision|municipality|outskirts|"
    r"cent(?:er|re))[\s,()]*)*?"
    r"(?:(?:in|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:countryside\s+of\s+)?)?"
    # The Arabic article the gazetteer's name leaves out: "Ar-Raqqa".
    r"(?:a[lnrsdtz]-|el-)?"
)
# A locative word at most two words before a name: "in", "near Aleppo", "in PD10 of", "the
# town of".
_LOCATIVE = re.compile(
    r"\b"
    + guarded(
        r"\b(?:in|at|near|around|outside|inside|across|along|between|into|within|"
        r"(?:town|city|village|district|province|governorate|area|outskirts|vicinity|countryside|"
        r"suburbs?|neighbou?rhood|county|municipality|region) of)\s+(?:[^\s.;,()]+\s+){0,2}$"
    )
)
# Where people came from or went to, not where the event was.
_MOVEMENT = re.compile(r"\b" + guarded(r"\b(?:from|to|towards|for)\s+(?:[^\s.;,()]+\s+){0,1}$"))
# A district's name recurs in other provinces (there are two Muqurs), a province's rarely:
# a district named beside its province is the less sure reading of the two.
_PLACE_PRECISION = {"village": 0, "city": 0, "region": 1, "admin1": 2, "admin2": 3, "country": 4}
# A province named in the text is rarely a wrong reading; a village's name often
# is one in another country. They outvote it when the article's country is decided.
_COUNTRY_VOTE = {"admin1": 2}


def article_country(mentions: list[PlaceMention]) -> str | None:
    """The country most of the article's places lie in, provinces weighing more; None on a
    tie, or when all lie in one, since then no place needs outvoting."""
    votes: dict[str, int] = {}
    for mention in mentions:
        place = mention.place
        if place and place.country:
            votes[place.country] = votes.get(place.country, 0) + _COUNTRY_VOTE.get(place.kind, 1)
    if len(votes) < 2:
        return None
    first, second = sorted(votes.values(), reverse=True)[:2]
    return max(votes, key=votes.__getitem__) if first > second else None


def is_specific(kind: str) -> bool:
    """Whether a place of this kind is a point an event can stand on: a town or a region."""
    return _PLACE_PRECISION.get(kind, 5) <= 1


def _own_places(lowered: str, clause: Span, inside: list[PlaceMention]) -> list[PlaceMention]:
    """The clause's places that say where its event happened.

    Not a place named only to compare or to date the event by ("a day after the protest in
    Goma"), when another as specific is named; not a neighbourhood where the city it lies in
    is named ("Hamra district of Beirut"), as a quarter's name often recurs far away; not
    where people came from or went to ("travelling from Aden") beside where they were.
    """
    if len(inside) < 2:
        return inside
    if _REFERENCE_WORD.search(lowered, clause.start, inside[-1].span.start):
        own = [m for m in inside if not _REFERENCE.search(lowered, clause.start, m.span.start)]
        if own and _best_precision(own) <= _best_precision(inside):
            inside = own
    inside = [m for m in inside if not _part_of_named(lowered, m, inside)] or inside
    moved = [m for m in inside if _cued(_MOVEMENT, lowered, clause, m)]
    if moved and len(moved) < len(inside):
        there = [m for m in inside if m not in moved]
        if any(_cued(_LOCATIVE, lowered, clause, m) for m in there):
            inside = there
    return inside


def _most_specific(lowered: str, clause: Span, mentions: list[PlaceMention]) -> PlaceMention:
    """The most precise of `mentions`; of several as precise, the first that a locative word
    governs ("in", "near", "the town of"), as a bare name is as often a word misread as a
    place ("a Molotov cocktail"); else the first."""
    best = _best_precision(mentions)
    tied = [m for m in mentions if m.place and _PLACE_PRECISION.get(m.place.kind, 5) == best]
    if len(tied) == 1:
        return tied[0]
    return next((m for m in tied if _cued(_LOCATIVE, lowered, clause, m)), tied[0])


def _cued(cue: re.Pattern[str], lowered: str, clause: Span, mention: PlaceMention) -> bool:
    """Whether `cue` ends the words just before `mention`."""
    start = mention.span.start
    return cue.search(lowered, max(clause.start, start - 40), start) is not None


def _best_precision(mentions: list[PlaceMention]) -> int:
    return min(_PLACE_PRECISION.get(m.place.kind, 5) for m in mentions if m.place)


def _part_of_named(lowered: str, mention: PlaceMention, others: list[PlaceMention]) -> bool:
    """Whether `mention` is a quarter of a town or a district that the text names with it:
    "X neighbourhood of Y", "X district in Y", "Y's X district"."""
    after = _PART_OF.match(lowered, mention.span.end)
    before = lowered.startswith("'s ", mention.span.start - 3) and _QUARTER.match(
        lowered, mention.span.end
    )
    if not (after or before):
        return False
    for other in others:
        if other.place is None or other.place.kind not in _CONTAINERS:
            continue
        if after and other.span.start == after.end():
            return True
        if before and other.span.end + 3 == mention.span.start:
            return True
    return False


def choose_place(lowered: str, clause: Span, inside: list[PlaceMention]) -> PlaceMention:
    """Where the clause's event happened, of the resolved places `inside` it (not empty)."""
    own = _own_places(lowered, clause, inside)
    chosen = _most_specific(lowered, clause, own)
    if not _outside_its_area(lowered, chosen, own):
        return chosen
    # A namesake far from the area the text puts it in ("Karama in Ar-Raqqa countryside"
    # read as a town abroad): what lies inside the named areas, else the areas themselves.
    kept = [m for m in own if m is not chosen and not _outside_its_area(lowered, m, own)]
    return _most_specific(lowered, clause, kept) if kept else chosen


def _outside_its_area(lowered: str, mention: PlaceMention, mentions: list[PlaceMention]) -> bool:
    """Whether a town lies far from the areas the text names as holding it, right after
    it: "X (Y, Z)", "X in Y countryside", "X village, Y district"."""
    place = mention.place
    if place is None or not is_specific(place.kind):
        return False
    end, outside = mention.span.end, False
    for other in mentions:
        area = other.place
        if area is None or other.span.start < end:
            continue
        if other.span.start - end > _HOLDER_GAP_MAX or not _HOLDER_GAP.fullmatch(
            lowered, end, other.span.start
        ):
            break  # the chain of holders ends: later places are named for another reason
        end = other.span.end
        if area.id == place.id or area.kind not in _AREA_KINDS:
            continue
        # One holder that agrees outweighs the others: "(Mirpur Khas, Sindh)" misread as
        # Mirpur far away is a holder's misreading, not the town's.
        if _holds(area, place):
            return False
        outside = True
    return outside


def _holds(area: Place, place: Place) -> bool:
    """Whether `place` lies where an area named as holding it could hold it."""
    if place.country != area.country:
        return False
    return haversine_km(place.lat, place.lon, area.lat, area.lon) <= _AREA_KM[area.kind]
