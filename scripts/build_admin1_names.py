"""Build `admin1_names.tsv`: other names of GeoNames' first-level areas, from ISO 3166-2.

    python scripts/build_admin1_names.py && python scripts/build_gazetteer.py --index-only

GeoNames' admin1 table gives each area one name ("Vardak", "Nineveh", "Kayin"); the news also
writes "Wardak", "Ninawa", "Karen State". The `iso3166-2` package (MIT) ships each ISO 3166-2
subdivision's name, its other names with their language ("Nineveh (eng)") and a point. A
top-level subdivision is paired with the GeoNames area of the same country that shares one of
its names (loosely keyed); one left unpaired with the nearest unpaired area, when each is the
other's nearest and they lie within `MATCH_KM`. The paired subdivision's Latin names that the
area lacks are written out, filtered as city names are (`keep_alternate`), and not when they are
shorter than `MIN_LETTERS`, another area's or a country's name, the name of a place inside the
area (the news's "Beirut" is the city; GeoNames calls the area "Beyrouth"), an English word under
the loose key ("Thaa" meets "the"), or made only of English words ("City of Peace"; then the
name with its kind, "Capital Region", stands in). A name that is also a person's ("Karen") is
kept, as `name_words.tsv` makes it a place only where used as one, and comes with its kind too
("Karen State").
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from build_gazetteer import ROOT, census_names, english_words, keep_alternate
from sitroom.data import read_table
from sitroom.extract import gazetteer

#: How far apart an ISO subdivision's point and a GeoNames area's point may be to pair by place.
MATCH_KM = 150.0
#: Names of fewer letters are too ambiguous to add ("Ad", "Sud").
MIN_LETTERS = 4
#: Kinds of subdivision the news writes after a name ("Karen State", "Wardak Province").
KIND_WORDS = frozenset({"State", "Province", "Governorate", "Region"})
_OTHER_NAME = re.compile(r"^\s*(?P<name>.+?)\s*\((?P<lang>[a-z]{3})\)\s*$")


@dataclass(frozen=True)
class Area:
    """A GeoNames first-level area: its code, names and point."""

    code: str
    names: tuple[str, ...]
    lat: float
    lon: float


@dataclass(frozen=True)
class Subdivision:
    """An ISO 3166-2 subdivision: its names, kind, point (if given) and place in the tree."""

    names: tuple[str, ...]
    kind: str
    point: tuple[float, float] | None
    top_level: bool
    has_parts: bool


def read_areas() -> dict[str, list[Area]]:
    """sitroom's first-level areas by country."""
    areas: dict[str, list[Area]] = defaultdict(list)
    for code, name, ascii_name, _gid, lat, lon, _pop in read_table("admin1.tsv"):
        country = code.split(".")[0]
        names = (name, ascii_name, *gazetteer.admin1_variants(ascii_name, country))
        areas[country].append(Area(code, names, float(lat), float(lon)))
    return areas


def read_subdivisions() -> dict[str, list[Subdivision]]:
    """The package's top-level subdivisions by country."""
    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or spec.origin is None:
        raise SystemExit("admin1_names.tsv needs the `iso3166-2` package: pip install iso3166-2")
    with (Path(spec.origin).parent / "iso3166-2.json").open(encoding="utf-8") as fh:
        table = json.load(fh)
    found: dict[str, list[Subdivision]] = defaultdict(list)
    for country, subdivisions in table.items():
        parents = {sub.get("parentCode") for sub in subdivisions.values()}
        for code, sub in subdivisions.items():
            point = (
                (float(sub["latLng"][0]), float(sub["latLng"][1])) if sub.get("latLng") else None
            )
            names = (sub["name"], *other_names(sub.get("localOtherName") or ""))
            top, parts = not sub.get("parentCode"), code in parents
            found[country].append(Subdivision(names, sub.get("type") or "", point, top, parts))
    return found


def other_names(field: str) -> list[str]:
    """The names of a "localOtherName" field ("صلاح الدين (ara), Saladin (eng)")."""
    parts = re.split(r",\s*(?![^()]*\))", field)
    return [" ".join(m["name"].split()) for m in map(_OTHER_NAME.match, parts) if m]


def pair(areas: list[Area], subs: list[Subdivision]) -> list[tuple[Area, Subdivision]]:
    """Each subdivision with its area: by a shared name, else as mutual nearest points (only
    a top-level subdivision made of no others: a region that groups areas is none of them)."""
    pairs = []
    for sub in subs:
        keys = {gazetteer.loose_key(n) for n in sub.names}
        hits = [a for a in areas if keys & {gazetteer.loose_key(n) for n in a.names}]
        if len(hits) == 1:
            pairs.append((hits[0], sub))
    paired_areas = {id(a) for a, _ in pairs}
    paired_subs = {id(s) for _, s in pairs}
    left_areas = [a for a in areas if id(a) not in paired_areas]
    left_subs = [
        s for s in subs if id(s) not in paired_subs and s.point and s.top_level and not s.has_parts
    ]
    for sub in left_subs:
        area = _nearest_area(sub, left_areas)
        if area and _nearest_sub(area, left_subs) is sub:
            pairs.append((area, sub))
    return pairs


def _distance(area: Area, sub: Subdivision) -> float:
    assert sub.point is not None
    return gazetteer.haversine_km(area.lat, area.lon, *sub.point)


def _nearest_area(sub: Subdivision, areas: list[Area]) -> Area | None:
    near = min(areas, key=lambda a: _distance(a, sub), default=None)
    return near if near and _distance(near, sub) <= MATCH_KM else None


def _nearest_sub(area: Area, subs: list[Subdivision]) -> Subdivision | None:
    return min(subs, key=lambda s: _distance(area, s), default=None)


def new_names(
    gaz: gazetteer.Gazetteer,
    area: Area,
    sub: Subdivision,
    taken: set[str],
    words: set[str],
    loose_words: set[str],
    people: set[str],
) -> list[str]:
    """The subdivision's names worth adding to the area (see the module docstring)."""
    own = {gazetteer.match_key(n) for n in area.names}
    added = []
    for name in sub.names:
        key = gazetteer.match_key(name).strip()
        if not keep_alternate(name, area.names[0]) or "[" in name or key in own | taken:
            continue
        if sum(ch.isalpha() for ch in key) < MIN_LETTERS:
            continue
        if gazetteer.loose_key(name) in loose_words:  # "Thaa" would meet "the" loosely
            continue
        if _names_a_place_inside(gaz, key, area.code):  # "Beirut" the city, not the area
            continue
        own.add(key)
        single = " " not in key
        named = f"{name} {sub.kind}" if sub.kind in KIND_WORDS and single else None
        if all(word in words for word in key.split()):
            added += [named] if named else []
        else:
            added += [name, named] if named and key in people else [name]
    return added


def _names_a_place_inside(gaz: gazetteer.Gazetteer, key: str, code: str) -> bool:
    return any(
        e.admin1_code == code and e.kind not in ("admin1", "country") for e in gaz.candidates(key)
    )


def taken_names(areas: dict[str, list[Area]]) -> set[str]:
    """Keys no added name may have: every area's own names and every country's."""
    keys = {gazetteer.match_key(a.names[0]) for group in areas.values() for a in group}
    keys |= {gazetteer.match_key(a.names[1]) for group in areas.values() for a in group}
    keys |= {gazetteer.match_key(row[1]) for row in read_table("countries.tsv")}
    return keys


def person_names() -> set[str]:
    """US given names and common surnames, as `name_words.tsv` knows them."""
    return {name for name, _kind in census_names()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "sitroom" / "data")
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/american-english"))
    args = parser.parse_args()
    areas, subs = read_areas(), read_subdivisions()
    taken, words, people = taken_names(areas), english_words(args.words), person_names()
    loose = {gazetteer.loose_key(word) for word in words}
    gaz = gazetteer.load()
    rows = []
    for country in sorted(areas):
        for area, sub in pair(areas[country], subs.get(country, [])):
            names = new_names(gaz, area, sub, taken, words, loose, people)
            rows += [(area.code, name) for name in names]
    rows = sorted(set(rows))
    with (args.out / "admin1_names.tsv").open("w", encoding="utf-8") as fh:
        fh.write("code\tname\n")
        fh.write("# Other names of first-level areas, from ISO 3166-2 via the iso3166-2 package\n")
        fh.write("# (MIT). Regenerated by scripts/build_admin1_names.py; never edited by hand.\n")
        fh.writelines(f"{code}\t{name}\n" for code, name in rows)
    print(f"wrote {len(rows)} names of {len({c for c, _ in rows})} areas to {args.out}")


if __name__ == "__main__":
    main()
