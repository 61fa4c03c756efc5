"""The gazetteer: GeoNames places, admin areas, countries and named areas, loaded lazily.

Data: `data/places.tsv.gz`, `data/admin1.tsv` and `data/countries.tsv` are built from GeoNames
(CC BY 4.0, www.geonames.org) by `scripts/build_gazetteer.py`; `data/admin1_names.tsv`, the
other names of first-level areas ("Wardak", "Ninawa"), from ISO 3166-2 by
`scripts/build_admin1_names.py`; `data/areas.tsv` and
`data/aliases.tsv` are written here. Nothing is read until `load()` is called.

Every name is indexed under two keys in one static trie (`data/names.marisa`, built by the
same script); `data/names.idx` maps each key's trie id to the entries bearing it. The
*match key* is the name folded to plain lower-case letters with hyphens as spaces: it has
the length of the text it is matched in, so a prefix search from any word start in the
folded article finds every name beginning there. The *loose key* also drops
apostrophes (ayn and hamza marks), doubled letters, vowel differences and the forms of the
Arabic article, so "Maaret al Numan" and "Ma`arrat an Nu`man" meet. First-level areas are
indexed under the names the news gives them too (`admin1_variants`: "Anbar", "Sud-Kivu"), and
towns of Arabic-speaking countries without their article (`town_variant`: "Qamishli").

Why a marisa trie and not an Aho-Corasick automaton: names only start at word starts, so a
prefix search per word start finds the same matches, and the trie is memory-mapped in
milliseconds. A pyahocorasick automaton over the same names took 1.3 s to build and 1.6 s
to load from disk (107 MB) on this 2-core machine, against a 1 s budget for the whole load;
and one pass of it over a ~2 KB article finds ~750 keys, most inside words, in 2.5 times the
time the lookups at word starts take.
"""

from __future__ import annotations

import gzip
import logging
import math
import re
import sys
import threading
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import marisa_trie

from sitroom.data import data_path, read_table
from sitroom.errors import DataError
from sitroom.extract.text import fold
from sitroom.model import Place

__all__ = [
    "AREA_KINDS",
    "Entry",
    "Gazetteer",
    "admin1_variants",
    "as_matched",
    "build_name_index",
    "fused_article_variants",
    "haversine_km",
    "iter_names",
    "load",
    "loose_key",
    "match_key",
    "names_an_area",
    "town_variant",
]

log = logging.getLogger(__name__)

#: Feature codes of populated places that are seats of government: precise, prominent points.
SEAT_CODES = frozenset({"PPLC", "PPLA", "PPLA2"})
#: Kinds of entry that name an area rather than a point: a name they bear is seldom a person's.
AREA_KINDS = frozenset({"country", "admin1", "region"})
#: Feature code of second-level areas ("Walker County"), kept among the places' rows.
ADMIN2_CODE = "ADM2"
CITY_POPULATION = 10_000
MIN_KEY_LENGTH = 3
#: Other names of first-level areas, by GeoNames admin1 code.
ADMIN1_NAMES = "admin1_names.tsv"
MAX_NAME_LENGTH = 60
#: Words whose keys `Gazetteer.prefixes` remembers: news text repeats a few thousand words.
MAX_CACHED_WORDS = 1 << 16
NAME_INDEX = "names.marisa"
NAME_POSTINGS = "names.idx"
_EXACT, _LOOSE = "=", "~"
_POSTINGS_MAGIC = 0x53524731  # "SRG1": a little-endian uint32 postings file, version 1

_APOSTROPHES = re.compile(r"['\"`]")
_SPACES = re.compile(r"\s+")
_ARABIC_ARTICLE = re.compile(r"\b(?:a|e|u)(?:l|n|d|sh|s|r|t|z|dh|th)\s")
_DOUBLED = re.compile(r"(\w)\1+")
_VOWELS = str.maketrans({"e": "a", "o": "u", "y": "i", "w": "u"})


def match_key(name: str) -> str:
    """A name as it is looked up in folded text: lower-case, hyphens as spaces."""
    return as_matched(fold(name).lower())


def as_matched(lowered: str) -> str:
    """Folded lower-case text as names are looked up in it: hyphens as spaces, same length.

    Both an article's text and every name pass through here, so the two always agree.
    """
    # Two replaces in C, where `str.translate` with a table looks up every character.
    return lowered.replace("-", " ").replace("_", " ")


def loose_key(name: str) -> str:
    """A name stripped of the spelling differences transliteration introduces."""
    key = _APOSTROPHES.sub("", match_key(name))
    key = _SPACES.sub(" ", key).strip()
    key = _ARABIC_ARTICLE.sub("al ", key + " ").strip()
    key = _DOUBLED.sub(r"\1", key)
    return key.translate(_VOWELS)


# A loose key opening with the article fused to a word of four letters or more, the word
# starting with a consonant: "aljfara", "alganaina" (from "Elgeneina").
_FUSED_ARTICLE = re.compile(r"al(?=[b-df-hj-np-tv-z][a-z]{3})")
# A word opening with two consonants, the second no part of a digraph ("kh", "sh", "th").
_OPENING_PAIR = re.compile(r"\b([b-df-hj-np-tv-z])(?=[b-df-gj-np-tv-z])")
# The feminine ending, written -a or -ah ("Jafara", "Jafarah").
_FEMININE_END = re.compile(r"a\b")


def fused_article_variants(key: str) -> list[str]:
    """The loose keys a name with a fused article may be indexed under, most alike first.

    The article is split off ("al jfara"); Libyan, Egyptian and Sudanese Arabic say q as g
    ("Margeb" for Marqab); Maghrebi spellings drop short vowels ("Jfara" for Jafara); and
    the feminine ending is written -a or -ah.
    """
    forms = [_FUSED_ARTICLE.sub("al ", key, count=1)]
    forms += [form.replace("g", "q") for form in forms if "g" in form]
    forms += [_OPENING_PAIR.sub(r"\1a", form) for form in forms]
    forms += [_FEMININE_END.sub("ah", form) for form in forms]
    return list(dict.fromkeys(form for form in forms if form != key))


@dataclass(frozen=True, slots=True)
class Entry:
    """A gazetteer record: the place, and what disambiguation needs to know about it."""

    place: Place
    feature: str
    admin1_code: str | None
    #: How precise the entry's point is: country, admin1, admin2, region, city or village (the
    #: place's kind, kept here too: scoring reads it for every entry of every name).
    kind: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", self.place.kind)


#: Entry tuples `names_an_area` remembers before it starts afresh.
MAX_REMEMBERED_TUPLES = 1 << 16


# Answers by the identity of an entries tuple, the tuple kept beside them so that its id is
# not reused: the gazetteer hands out one tuple per name, and articles repeat their names.
_AREA_TUPLES: dict[int, tuple[tuple[Entry, ...], bool]] = {}


def names_an_area(entries: tuple[Entry, ...]) -> bool:
    """Whether one of the entries is a country, a first-level area or a named region."""
    known = _AREA_TUPLES.get(id(entries))
    if known is not None and known[0] is entries:
        return known[1]
    if len(_AREA_TUPLES) >= MAX_REMEMBERED_TUPLES:
        _AREA_TUPLES.clear()
    area = any(e.kind in AREA_KINDS for e in entries)
    _AREA_TUPLES[id(entries)] = (entries, area)
    return area


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Candidate entries by name; populated places are parsed only when first asked for."""

    def __init__(
        self,
        head: list[Entry],
        place_rows: list[str],
        tail: list[Entry],
        index: NameIndex,
        admin1_names: dict[str, str],
    ) -> None:
        self._head, self._rows, self._tail = head, place_rows, tail
        self._index = index
        self._admin1_names = admin1_names
        self._parsed: dict[int, Entry] = {}
        self._by_key: dict[str, tuple[Entry, ...]] = {}
        self._words: dict[str, tuple[tuple[int, ...], bool]] = {}
        self.countries = {
            e.place.country: e for e in head if e.kind == "country" and e.place.country
        }
        self.admin1 = {e.admin1_code: e for e in head if e.kind == "admin1" and e.admin1_code}

    def __len__(self) -> int:
        return len(self._head) + len(self._rows) + len(self._tail)

    def entry(self, index: int) -> Entry:
        """The entry at `index` in the name index's numbering."""
        if index < len(self._head):
            return self._head[index]
        offset = index - len(self._head)
        if offset >= len(self._rows):
            return self._tail[offset - len(self._rows)]
        entry = self._parsed.get(index)
        if entry is None:
            entry = _parse_place(self._rows[offset], self._admin1_names)
            self._parsed[index] = entry
        return entry

    def candidates(self, key: str) -> tuple[Entry, ...]:
        """Entries whose match key is `key`."""
        return self._lookup(_EXACT + key)

    def loose_candidates(self, name: str) -> tuple[Entry, ...]:
        """Entries whose loose key equals that of `name`, or, for a name with the Arabic
        article fused to it ("Aljfara", "Elgeneina"), of one of its `fused_article_variants`."""
        key = loose_key(name)
        entries = self._lookup(_LOOSE + key)
        if entries or not _FUSED_ARTICLE.match(key):
            return entries
        for variant in fused_article_variants(key):
            entries = self._lookup(_LOOSE + variant)
            if entries:
                return entries
        return ()

    def _lookup(self, key: str) -> tuple[Entry, ...]:
        # Names recur across articles; their entries are looked up once.
        entries = self._by_key.get(key)
        if entries is None:
            if len(self._by_key) >= MAX_CACHED_WORDS:
                # Misses are kept too (loose keys of any capitalised phrase): a server reading
                # articles for months would otherwise grow this without end.
                self._by_key.clear()
            entries = tuple(self.entry(i) for i in self._index.lookup(key))
            self._by_key[key] = entries
        return entries

    def prefixes(self, lowered: str, start: int) -> list[int]:
        """Ends of every match key found in `lowered` starting at `start`, longest first."""
        return [start + length for length in self.key_lengths(lowered, start)]

    def key_lengths(self, lowered: str, start: int) -> Sequence[int]:
        """Lengths of every match key found in `lowered` starting at `start`, longest first.

        What `prefixes` gives less `start`: most words' lengths are remembered, and handed
        out as they are, not copied into a fresh list at each of an article's words.
        """
        limit = start + MAX_NAME_LENGTH
        # Most words start no key of several words ("Residents", "Aleppo"): then the keys
        # found are those inside the word, the same wherever the word stands. A word that
        # does ("The", "Khan") is looked at with the next word, and so on.
        space = lowered.find(" ", start, limit)
        remembered = self._words
        while space > start:
            words = lowered[start:space]
            # Looked up here, not in `_word_prefixes`: one call fewer for every word.
            known = remembered.get(words)
            ends, longer = known if known is not None else self._word_prefixes(words)
            if not longer:
                return ends
            space = lowered.find(" ", space + 1, limit)
        return self._key_ends(lowered[start:limit])

    def _key_ends(self, window: str) -> tuple[int, ...]:
        """Lengths of the match keys that start `window`, longest first."""
        # The trie lists prefixes shortest first; every key is longer than its marker.
        return tuple(len(k) - 1 for k in reversed(self._index.trie.prefixes(_EXACT + window)))

    def _word_prefixes(self, words: str) -> tuple[tuple[int, ...], bool]:
        """The keys inside some words (`_key_ends`) and whether a key goes on past them."""
        known = self._words.get(words)
        if known is None:
            if len(self._words) >= MAX_CACHED_WORDS:
                self._words.clear()  # a bound for long-running servers; refills at once
            longer = next(self._index.trie.iterkeys(f"{_EXACT}{words} "), None) is not None
            known = self._words[words] = (self._key_ends(words), longer)
        return known

    def country(self, code: str | None) -> Entry | None:
        """The country entry for an ISO code."""
        return self.countries.get(code) if code else None

    def admin1_of(self, entry: Entry) -> Entry | None:
        """The first-level area an entry lies in."""
        return self.admin1.get(entry.admin1_code) if entry.admin1_code else None


_LOCK = threading.Lock()
_LOADED: Gazetteer | None = None


def load() -> Gazetteer:
    """The gazetteer, read from the packaged data files on first call and shared after."""
    global _LOADED
    with _LOCK:
        if _LOADED is None:
            started = time.perf_counter()
            _LOADED = _read_gazetteer()
            log.info("gazetteer loaded in %.2f s", time.perf_counter() - started)
        return _LOADED


def _read_gazetteer() -> Gazetteer:
    try:
        head, admin1_names = _read_head()
        rows = _place_rows()
        tail = list(_read_areas())
        index = NameIndex.open(data_path(NAME_INDEX), data_path(NAME_POSTINGS))
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise DataError(
            f"sitroom's gazetteer data is missing or corrupt ({exc}); reinstall sitroom, or run "
            f"scripts/build_gazetteer.py in a source checkout"
        ) from exc
    gazetteer = Gazetteer(head, rows, tail, index, admin1_names)
    expected = index.entry_count
    if expected != len(gazetteer):
        raise DataError(
            f"{NAME_INDEX} indexes {expected} entries but the data files hold {len(gazetteer)}; "
            f"run scripts/build_gazetteer.py to rebuild it"
        )
    return gazetteer


def _place_rows() -> list[str]:
    # Decompressed whole and decoded at once: reading through a text-mode stream took twice
    # as long (0.29 s against 0.17 s), all of it on every cold start.
    data = gzip.decompress(data_path("places.tsv.gz").read_bytes())
    return data.decode("utf-8").splitlines()[1:]


def _read_head() -> tuple[list[Entry], dict[str, str]]:
    entries = [
        Entry(
            Place(f"geonames:{gid}", name, iso, None, float(lat), float(lon), "country", int(pop)),
            "PCLI",
            None,
        )
        for iso, name, gid, _capital, pop, lat, lon in read_table("countries.tsv")
    ]
    admin1_names = {}
    for code, name, _ascii, gid, lat, lon, pop in read_table("admin1.tsv"):
        country = code.split(".")[0]
        point = float(lat), float(lon)
        place = Place(f"geonames:{gid}", name, country, name, *point, "admin1", int(pop))
        entries.append(Entry(place, "ADM1", code))
        admin1_names[code] = name
    return entries, admin1_names


def _parse_place(row: str, admin1_names: dict[str, str]) -> Entry:
    gid, name, lat, lon, fcode, cc, a1, pop, _alternates = row.split("\t")
    population = int(pop)
    code = f"{cc}.{a1}"
    place = Place(
        f"geonames:{gid}" if gid.isdigit() else gid,
        name,
        cc,
        admin1_names.get(code),
        float(lat),
        float(lon),
        _kind(fcode, population),
        population,
    )
    return Entry(place, fcode, code)


def _kind(fcode: str, population: int) -> str:
    if fcode == ADMIN2_CODE:
        return "admin2"
    return "city" if fcode in SEAT_CODES or population >= CITY_POPULATION else "village"


def _read_areas() -> Iterator[Entry]:
    for area_id, name, country, lat, lon, _aliases in read_table("areas.tsv"):
        place = Place(
            f"sitroom:{area_id}", name, country or None, None, float(lat), float(lon), "region"
        )
        yield Entry(place, "AREA", None)


def iter_names() -> Iterator[tuple[str, int]]:
    """Every (name, entry index) pair the name index holds, in the gazetteer's numbering."""
    head, _ = _read_head()
    rows = _place_rows()
    yield from ((e.place.name, i) for i, e in enumerate(head))
    first_admin1 = sum(1 for e in head if e.kind == "country")
    admin1_index = {}
    for i, (code, _name, ascii_name, *_) in enumerate(read_table("admin1.tsv"), first_admin1):
        admin1_index[code] = i
        yield ascii_name, i
        yield from ((variant, i) for variant in admin1_variants(ascii_name, code.split(".")[0]))
    for code, name in read_table(ADMIN1_NAMES):
        if code not in admin1_index:
            raise DataError(
                f"{ADMIN1_NAMES}: {name!r} names unknown area {code}; rebuild it with "
                "scripts/build_admin1_names.py"
            )
        yield name, admin1_index[code]
    for offset, row in enumerate(rows):
        fields = row.split("\t")
        index = len(head) + offset
        yield fields[1], index
        if fields[8]:
            yield from ((alt, index) for alt in fields[8].split("|"))
        if fields[5] in ARABIC_ARTICLE_COUNTRIES:
            bare = town_variant(fields[1], fields[4], int(fields[7] or 0))
            if bare is not None:
                yield bare, index
    first_area = len(head) + len(rows)
    for offset, area in enumerate(read_table("areas.tsv")):
        yield area[1], first_area + offset
        yield from ((alias, first_area + offset) for alias in area[5].split("|") if alias)
    by_id = {e.place.id: i for i, e in enumerate(head)}
    for alias, place_id in read_table("aliases.tsv"):
        if place_id not in by_id:
            raise DataError(f"aliases.tsv: {alias!r} points to unknown place {place_id}")
        yield alias, by_id[place_id]


#: Countries whose first-level areas the news names in French ("Sud-Kivu", "Extrême-Nord"),
#: where GeoNames gives them in English ("South Kivu", "Far North"), or the other way round.
FRENCH_NAMED_COUNTRIES = frozenset(
    "BF BI BJ CD CF CG CI CM DJ GA GN HT KM MG ML MR NE RW SN TD TG".split()
)


# English and French compass words in area names, each way: longest phrases first.
_COMPASS_PAIRS = (
    ("far north", "extreme nord"),
    ("north west", "nord ouest"),
    ("north east", "nord est"),
    ("south west", "sud ouest"),
    ("south east", "sud est"),
    ("north", "nord"),
    ("south", "sud"),
    ("west", "ouest"),
    ("east", "est"),
    ("central", "centre"),
)


_LEADING_ARTICLE = re.compile(r"^(?:al|an|ad|ar|as|ash|at|az|ath|adh) (?=\w{3})")


def _indexed_key(name: str) -> str:
    """A name's match key as the index holds it: runs of space as one, none at the ends."""
    return _SPACES.sub(" ", match_key(name)).strip()


#: Countries whose towns' names open with the Arabic article, which the news often drops.
ARABIC_ARTICLE_COUNTRIES = frozenset(
    "AE BH DZ EG IQ JO KW LB LY MA MR OM PS QA SA SD SY TN YE".split()
)


#: A town smaller than this (and no seat) is known by its full name only.
BARE_NAME_POPULATION = 1_000


# Given names and words of organisations' names that a town's name is, once its article is
# dropped ("As Salmān", "Al Ittiḩād"): without the article, the news means the person
# ("Mohammed bin Salman") or the club ("Ittihad remain sixth").
_NOT_TOWN_WORDS = frozenset(
    "salman husayn hussein hamzah hamza khamis karimah hamdi ghanim najmah rayyan jadid "
    "hilal mahmud hasan hassan abbas qasim ahmad hamad khalid nasir mansur salim sultan "
    "rashid hamid karim jamil amin bashir majid walid tariq umar uthman yusuf ibrahim "
    "ittihad markaz".split()
)


def town_variant(name: str, fcode: str, population: int) -> str | None:
    """The name a town of an Arabic-speaking country goes by in the news without its article
    ("Qamishli" for Al Qāmishlī, "Hillah" for Al Ḩillah, "Diwaniyah" for Ad Dīwānīyah), where
    GeoNames lists none. Only for seats and towns of 1,000 people or more, and only a name of
    five letters or more: shorter ones ("Bab") are words, or other places, first."""
    if population < BARE_NAME_POPULATION and not fcode.startswith("PPLA"):
        return None
    key = _indexed_key(name)
    bare = _LEADING_ARTICLE.sub("", key)
    if bare == key or len(bare) < 5 or bare in _NOT_TOWN_WORDS:
        return None
    return bare


def admin1_variants(name: str, country: str) -> set[str]:
    """Other names a first-level area goes by in the news: without its Arabic article
    ("Anbar" for Al Anbar, "Najaf" for An Najaf), and, in French-speaking countries, with its
    compass words in the other language ("Sud Kivu" for South Kivu, "Far North" for
    Extrême-Nord). Only names of more than one word change language: "Est" alone is a word."""
    key = _indexed_key(name)
    variants = set()
    bare = _LEADING_ARTICLE.sub("", key)
    if bare != key:
        variants.add(bare)
    if country in FRENCH_NAMED_COUNTRIES and " " in key:
        for pairs in (_COMPASS_PAIRS, tuple((b, a) for a, b in _COMPASS_PAIRS)):
            swapped = _swap_words(key, dict(pairs))
            if swapped != key:
                variants.add(swapped)
    return variants


def _swap_words(key: str, words: dict[str, str]) -> str:
    """`key` with each of `words` (whole words, longest phrase first) put in the other tongue."""
    pattern = rf"\b(?:{'|'.join(words)})\b"
    return re.sub(pattern, lambda m: words[m.group()], key)


def build_name_index(names: Iterable[tuple[str, int]], entry_count: int, out: Path) -> int:
    """Write the trie of match and loose keys for `names` and its postings; returns key count."""
    postings: dict[str, set[int]] = {}
    for name, index in names:
        key = _indexed_key(name)
        if len(key) < MIN_KEY_LENGTH and not _is_short_code(name):
            continue
        for variant in (_EXACT + key, _EXACT + _APOSTROPHES.sub("", key), _LOOSE + loose_key(name)):
            postings.setdefault(variant, set()).add(index)
    trie = marisa_trie.Trie(postings)
    offsets, flat = array("I", [0] * (len(trie) + 1)), array("I")
    for key_id in range(len(trie)):
        flat.extend(sorted(postings[trie.restore_key(key_id)]))
        offsets[key_id + 1] = len(flat)
    trie.save(str(out / NAME_INDEX))
    header = array("I", [_POSTINGS_MAGIC, entry_count, len(trie)])
    with (out / NAME_POSTINGS).open("wb") as fh:
        for part in (header, offsets, flat):
            _little_endian(part).tofile(fh)
    return len(trie)


def _is_short_code(name: str) -> bool:
    """Two capitals ("US", "UK"): kept though shorter than other keys; only aliases have them."""
    return len(name) == 2 and name.isupper() and name.isalpha()


def _little_endian(values: array[int]) -> array[int]:
    if sys.byteorder == "little":
        return values
    swapped = array("I", values)
    swapped.byteswap()
    return swapped


@dataclass(frozen=True, slots=True)
class NameIndex:
    """The key trie (memory-mapped) and, per key id, the entry indices bearing that key."""

    trie: marisa_trie.Trie
    offsets: array[int]
    postings: array[int]
    entry_count: int

    @classmethod
    def open(cls, trie_path: Path, postings_path: Path) -> NameIndex:
        """Map the trie and read the postings written by `build_name_index`."""
        trie = marisa_trie.Trie()
        trie.mmap(str(trie_path))
        with postings_path.open("rb") as fh:
            header = _read_uint32(fh, 3)
            if header[0] != _POSTINGS_MAGIC or header[2] != len(trie):
                raise ValueError(f"{postings_path.name} does not match {trie_path.name}")
            offsets = _read_uint32(fh, header[2] + 1)
            postings = _read_uint32(fh, offsets[-1])
        return cls(trie, offsets, postings, header[1])

    def lookup(self, key: str) -> array[int]:
        """The entry indices of one key (empty when the key is unknown)."""
        key_id = self.trie.get(key)
        if key_id is None:
            return array("I")
        return self.postings[self.offsets[key_id] : self.offsets[key_id + 1]]


def _read_uint32(fh: BinaryIO, count: int) -> array[int]:
    values = array("I")
    values.fromfile(fh, count)
    return _little_endian(values)


def gazetteer_size() -> int:
    """How many entries the data files hold (what the name index must number)."""
    head, _ = _read_head()
    return len(head) + len(_place_rows()) + sum(1 for _ in _read_areas())
