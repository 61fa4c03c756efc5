"""Build the web page's offline basemap from Natural Earth country boundaries.

    python scripts/build_basemap.py            # fetches world-atlas with `npm pack`
    python scripts/build_basemap.py --atlas /path/to/world-atlas/package

The boundaries are Natural Earth's 1:50m admin-0 countries (public domain,
www.naturalearthdata.com), as pre-built TopoJSON in the npm package `world-atlas` 2.0.2
(ISC licence, by Mike Bostock). This script decodes the TopoJSON, simplifies each shared arc
once (so neighbours keep one border), rounds coordinates to hundredths of a degree and writes
`src/sitroom/web/static/basemap.json`: `{"source", "projection", "countries": [{"name", "d"}]}`,
each `d` an SVG path in Web Mercator "degrees" (x = longitude, y = -Mercator(latitude) in
degrees, north up), so the page draws it without computing anything.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "sitroom" / "web" / "static" / "basemap.json"
PACKAGE = "world-atlas@2.0.2"
SCALE = "50m"
#: Douglas-Peucker tolerance in degrees: about 3 km, below what the page shows at its zoom.
TOLERANCE = 0.03
#: Latitudes beyond this are clipped: Mercator runs to infinity at the poles.
MAX_LAT = 85.0
PROJECTION = "web-mercator-degrees: x = lon, y = -ln(tan(pi/4 + lat/2)) * 180/pi"
SOURCE = (
    "Natural Earth 1:50m admin-0 countries (public domain, www.naturalearthdata.com), "
    f"via the npm package {PACKAGE} (ISC licence); simplified by scripts/build_basemap.py"
)

Point = tuple[float, float]


def fetch_atlas(workdir: Path) -> Path:
    """Download world-atlas with npm's own client and unpack it; the package folder."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True)
    archive = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Every arc of a quantised TopoJSON topology, in longitude and latitude."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: list[Point] = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker simplification keeping both ends (iterative, no recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = _farthest(points, first, last)
        if distance > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _farthest(points: Sequence[Point], first: int, last: int) -> tuple[int, float]:
    (ax, ay), (bx, by) = points[first], points[last]
    dx, dy = bx - ax, by - ay
    norm = (dx * dx + dy * dy) ** 0.5
    best, best_distance = first, -1.0
    for index in range(first + 1, last):
        px, py = points[index]
        if norm == 0:
            distance = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
        else:
            distance = abs(dy * px - dx * py + bx * ay - by * ax) / norm
        if distance > best_distance:
            best, best_distance = index, distance
    return best, best_distance


def project(lon: float, lat: float) -> tuple[int, int]:
    """A point in Web Mercator degrees (north up), in hundredths, as the page draws it."""
    phi = math.radians(max(-MAX_LAT, min(MAX_LAT, lat)))
    y = -math.degrees(math.log(math.tan(math.pi / 4 + phi / 2)))
    return round(lon * 100), round(y * 100)


def ring(arc_indexes: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[tuple[int, int]]:
    """One polygon ring from its arcs (a negative index ~i is arc i reversed), projected."""
    points: list[Point] = []
    for index in arc_indexes:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point.
        points.extend(arc[1:] if points else arc)
    projected: list[tuple[int, int]] = []
    for lon, lat in points:
        point = project(lon, lat)
        if not projected or projected[-1] != point:
            projected.append(point)
    return projected


def path(rings: Sequence[Sequence[tuple[int, int]]]) -> str:
    """The rings as one SVG path with relative moves, coordinates in hundredths of a degree."""
    parts: list[str] = []
    x = y = 0
    for points in rings:
        (first_x, first_y), rest = points[0], points[1:]
        parts.append(f"m{_num(first_x - x)} {_num(first_y - y)}")
        x, y = first_x, first_y
        steps = []
        for px, py in rest:
            steps.append(f"{_num(px - x)} {_num(py - y)}")
            x, y = px, py
        parts.append("l" + " ".join(steps) + "z")
        # After `z` the pen is back at the ring's first point.
        x, y = first_x, first_y
    return "".join(parts)


def _num(hundredths: int) -> str:
    text = f"{hundredths / 100:.2f}".rstrip("0").rstrip(".")
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def countries(topology: dict[str, Any], tolerance: float) -> list[dict[str, Any]]:
    """Each country's name and rings, from the topology's `countries` object."""
    arcs = [simplify(arc, tolerance) for arc in decode_arcs(topology)]
    result = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = _polygons(geometry)
        rings = [ring(r, arcs) for polygon in polygons for r in polygon]
        # A ring of fewer than three points is an island the simplification erased.
        rings = [r for r in rings if len(r) >= 3]
        if rings:
            name = geometry.get("properties", {}).get("name", "")
            result.append({"name": name, "d": path(rings)})
    return result


def _polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atlas", type=Path, help="an unpacked world-atlas package folder")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        atlas = args.atlas or fetch_atlas(Path(tmp))
        topology = json.loads((atlas / f"countries-{SCALE}.json").read_text("utf-8"))
    basemap = {
        "source": SOURCE,
        "projection": PROJECTION,
        "countries": countries(topology, args.tolerance),
    }
    args.out.write_text(json.dumps(basemap, separators=(",", ":")) + "\n", "utf-8")
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({len(basemap['countries'])} countries, {size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
