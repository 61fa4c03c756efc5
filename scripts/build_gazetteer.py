"""Build sitroom's compact gazetteer files from a GeoNames dump (CC BY 4.0, www.geonames.org).

    python scripts/build_gazetteer.py [--geonames ../shared/data/geonames] [--out src/sitroom/data]

Writes `places.tsv.gz` (every populated place of cities500 with its Latin-script names),
`admin1.tsv` (first-level areas, each with a representative point), `countries.tsv`, and
`names.marisa`, the trie of every name's keys (see `sitroom.extract.gazetteer`). Country
points come from the `countryinfo` package when it is installed (`make gazetteer` does).
With `--index-only`, rebuilds just the trie (after editing `areas.tsv` or `aliases.tsv`).
Only facts (names, coordinates, codes, populations) are kept; the output is regenerated,
never edited by hand. Hand-written additions live in `areas.tsv` and `aliases.tsv`.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import statistics
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_NAME_LENGTH = 60


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
            seen = {col[1].casefold()}
            alts = []
            for alt in [col[2], *col[3].split(",")]:
                if keep_alternate(alt, col[1]) and alt.casefold() not in seen:
                    seen.add(alt.casefold())
                    alts.append(alt)
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


def _median(points: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def write_places(rows: list[list[str]], out: Path) -> None:
    lines = ["id\tname\tlat\tlon\tfcode\tcountry\tadmin1\tpopulation\talternates"]
    lines.extend("\t".join(row) for row in rows)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    # mtime=0 keeps the file byte-identical between rebuilds of the same data.
    (out / "places.tsv.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def write_admin1(path: Path, points: dict[str, tuple[float, float]], out: Path) -> None:
    with path.open(encoding="utf-8") as src, (out / "admin1.tsv").open("w", encoding="utf-8") as fh:
        fh.write("code\tname\tasciiname\tid\tlat\tlon\n")
        for code, name, ascii_name, gid in csv.reader(src, delimiter="\t"):
            if code in points:
                lat, lon = points[code]
                fh.write(f"{code}\t{name}\t{ascii_name}\t{gid}\t{lat:.5f}\t{lon:.5f}\n")


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
    args = parser.parse_args()
    if args.index_only:
        write_name_index(args.out)
        return
    rows = read_places(args.geonames / "cities500.txt")
    admin1_points, country_points = representative_points(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    write_places(rows, args.out)
    write_admin1(args.geonames / "admin1CodesASCII.txt", admin1_points, args.out)
    write_countries(args.geonames / "countryInfo.txt", country_points, args.out)
    print(f"wrote {len(rows)} places, {len(admin1_points)} admin1 points to {args.out}")
    write_name_index(args.out)


def write_name_index(out: Path) -> None:
    """The trie of every name's keys, numbered as sitroom's gazetteer numbers its entries."""
    from sitroom.extract import gazetteer

    keys = gazetteer.build_name_index(gazetteer.iter_names(), gazetteer.gazetteer_size(), out)
    print(f"wrote {keys} keys to {out / gazetteer.NAME_INDEX} and {gazetteer.NAME_POSTINGS}")


if __name__ == "__main__":
    main()
