"""Event places: which of the places a clause names is where its event happened.

The most specific place (a town before its district, a district before its province, any
before the country), but not a place named only to compare or to date the event by ("a day
after the protest in Goma"), nor a quarter named with its town ("the Hamra district of
Beirut": a quarter's name often recurs far away), nor where people came from ("travelling
from Aden") beside where they were; among places as specific, one a locative word governs
("in", "near", "the town of") before a bare name, and before a landmark's ("outside the
Saray"). Places of another country than the article's are misreadings of a local name
(`article_country`); so is a town outside the areas the text names as holding it ("Karama
in Ar-Raqqa countryside" read as a town abroad, a town of another province than the one
named), or in another country than the province the clause is set in ("police in Al Mahrah
governorate arrested him in Hat"), or an area of another country than the areas named after
it ("Sava" in "(Mayo-Sava, Extreme-Nord)"); it gives way to what lies inside them, else to
the areas themselves. The holders follow the name, or the same name named again ("Tuzla
industrial zone in Tuzla, Istanbul"), across area words and names the gazetteer lacks ("Bara
in Jabal al-Zawiya in the southern countryside of Idleb"); a district named after its town
confirms a sizeable town ("Nawabshah city (Nawabshah, ...)").
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
# Holders whose province a town must share, unless it lies as near as a district's reach.
_PROVINCE_CHECKED = frozenset({"admin1", "city"})
_ACROSS_KM = _AREA_KM["admin2"]
# What stands between a town and the areas that hold it: "X (Y, Z)", "X town, Y",
# "X in the countryside of Y", "X village in Y district of Z", "X camp in Mashru (Y)",
# "X area west of Dara in Y countryside". Words of an area or a landmark, and words that lead
# to the next holder; a name the gazetteer lacks only after "in", "of", "at" or "(" ("in
# Jabal al-Zawiya in Y"), or before an area word ("Kolofata subdivision").
_HOLDER_GAP_MAX = 80
_GAP_TOKENS = re.compile(r"[\w']+|[^\w\s]")
_AREA_WORDS = frozenset(
    "town city village area district sub subdistrict county neighbourhood neighborhood camp "
    "sector region countryside province governorate lga state subdivision municipality "
    "outskirts center centre vicinity rural suburb suburbs zone intersection roundabout "
    "square road street highway junction bridge market checkpoint crossing base airport port "
    "station fort hill mountain valley forest frontline front "
    "north south east west northern southern eastern western".split()
)
_GAP_OPENERS = frozenset({"in", "of", "at", "on", "("})
# Links that keep a chain going, and the Arabic articles the gazetteer's names leave out
# ("Ar-Raqqa"; "at-" is an opener already).
_GAP_LINKS = frozenset({"the", ",", ")", "-", "al", "el", "an", "ar", "as", "ad", "az"})
_GAP_NAME_WORDS = 3

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
    place ("a Molotov cocktail"), a landmark's name after "the" last; else the first."""
    best = _best_precision(mentions)
    tied = [m for m in mentions if m.place and _PLACE_PRECISION.get(m.place.kind, 5) == best]
    if len(tied) == 1:
        return tied[0]
    cued = [m for m in tied if _cued(_LOCATIVE, lowered, clause, m)]
    # "outside the Saray", "near the Kali forest": a name after "the" is a building's or a
    # landmark's more often than a town's.
    return next((m for m in cued if not _after_the(lowered, m)), cued[0] if cued else tied[0])


def _after_the(lowered: str, mention: PlaceMention) -> bool:
    # Guarded: a negative start would make `startswith` look at the end of the text.
    start = mention.span.start
    return start >= 4 and lowered.startswith("the ", start - 4)


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
    """Whether a place lies outside the areas the text names as holding it, right after it
    or after the same name again ("X (Y, Z)", "X in Y countryside", "X zone in X, Y"), or
    outside the country of the province its clause was set in before it.

    A town must lie in or near its holders, an area only in their country.
    """
    place = mention.place
    if place is None:
        return False
    outside = False
    for again in mentions:
        if again.span.start < mention.span.start or not (
            again is mention or _same_name(again.text, mention.text)
        ):
            continue
        verdict = _chain_verdict(lowered, mention.text, place, again.span.end, mentions)
        if verdict is False:
            return False
        outside = outside or verdict is True
    return outside or _scene_abroad(lowered, mention, place, mentions)


def _scene_abroad(
    lowered: str, mention: PlaceMention, place: Place, mentions: list[PlaceMention]
) -> bool:
    """Whether the clause set its scene in a province of another country before naming the
    town: "police in Al Mahrah governorate arrested him in Hat" with "Hat" read abroad."""
    scenes = [
        m.place.country
        for m in mentions
        if m.place
        and m.place.kind == "admin1"
        and m.span.end <= mention.span.start
        and _LOCATIVE.search(lowered, max(0, m.span.start - 40), m.span.start)
    ]
    return bool(scenes) and place.country not in scenes


def _chain_verdict(
    lowered: str, name: str, place: Place, end: int, mentions: list[PlaceMention]
) -> bool | None:
    """What the chain of holders from `end` says of the place `name` was read as: False when
    one holds it, True when they all lie elsewhere, None when none is named."""
    verdict: bool | None = None
    for other in mentions:
        area = other.place
        if area is None or other.span.start < end:
            continue
        if other.span.start - end > _HOLDER_GAP_MAX or not _holder_gap(
            lowered[end : other.span.start]
        ):
            break  # the chain of holders ends: later places are named for another reason
        end = other.span.end
        if area.id == place.id or area.kind not in _AREA_KINDS:
            continue
        if place.kind == "city" and _same_name(other.text, name):
            # "Nawabshah city (Nawabshah, Sindh)": a district named after its town, whatever
            # reading its name got, says a sizeable town is where the text put it.
            return False
        # One holder that agrees outweighs the others: "(Mirpur Khas, Sindh)" misread as
        # Mirpur far away is a holder's misreading, not the town's.
        if _holds(area, place):
            return False
        verdict = True
    return verdict


def _holder_gap(gap: str) -> bool:
    """Whether `gap`, the text between two places, makes the second a holder of the first."""
    named = 0  # words of a name the gazetteer lacks, since the last area or leading word
    led = False  # whether those words follow "in", "of", "at" or "("
    previous = ""
    for token in _GAP_TOKENS.findall(gap):
        if token in _AREA_WORDS:
            named, led = 0, False
        elif token in _GAP_OPENERS:
            if (named and not led) or (previous == "," and token != "("):
                return False  # ", in front of the bank": a new phrase, not a holder
            named, led = 0, True
        elif token not in _GAP_LINKS:
            named += 1
            if named > _GAP_NAME_WORDS:
                return False
        previous = token
    return not named or led


def _holds(area: Place, place: Place) -> bool:
    """Whether `place` lies where an area named as holding it could hold it: in a province,
    when both know their province; else near enough to the area's point."""
    if place.country != area.country:
        return False
    if not is_specific(place.kind):
        return True  # an area is only checked for its country
    km = haversine_km(place.lat, place.lon, area.lat, area.lon)
    if area.admin1 and place.admin1 and area.kind in _PROVINCE_CHECKED:
        # A town in the named province, or just across its line (a note may name the
        # province next door, a city its own district's).
        return area.admin1 == place.admin1 or km <= _ACROSS_KM
    return km <= _AREA_KM[area.kind]


def _same_name(first: str, second: str) -> bool:
    """Whether two mentions bear one name, the shorter the first words of the longer ("Mirpur"
    and "Mirpur Khas", not "Mayo" and "Mayom")."""
    shorter, longer = sorted((first.lower(), second.lower()), key=len)
    return longer == shorter or longer.startswith(shorter + " ")
