"""Classify the place layer's misses on the geoparsing corpora and the ACLED notes, with counts.

    python scripts/place_misses.py [--corpus GWN] [--acled me] [--sample N] [--show 20]
    python scripts/place_misses.py --ceiling

Geoparsing (gold toponyms with coordinates that the scorer requires): `not detected` (no
predicted span overlaps), `unresolved` (overlapped, no place), `far` (resolved more than 161 km
off) — each split by what the prediction was (its kind) — and `wrong span` (overlapped but not
the same offsets, whatever the distance). False alarms are counted too. ACLED (one event per
note): `no place` (no coordinates at all), `gold name absent` (the row's location is not
written in the note), `other place chosen` (a mention of the note lies within 161 km of the
gold point but the event took another), `resolved wrong` (the gold location's words are
found as a mention that resolved more than 161 km off), `not found` (the gold location is
written but no mention covers it). Prints counts and a few examples of each class, to find
the general causes; the examples are for reading, never for lists of names.

`--ceiling` sorts every gold toponym with coordinates by what the contract says of it — a
demonym, a name inside a longer name (GWN's Embedded types; elsewhere a gazetteer name in a
longer capitalised phrase, "Athens Police Department"), or a plain mention — and by whether
the gazetteer knows the name, and prints how many of each sitroom gets right, far or not
at all; then GWN scored by the reference scorer with names inside longer names optional, as
demonyms already are. It shows how much of the end-to-end gap lies in mentions the contract
leaves out and in names no gazetteer holds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sitroom.evaluate import find_shared_dir
from sitroom.extract import Pipeline
from sitroom.extract import gazetteer as gaz
from sitroom.extract.gazetteer import haversine_km
from sitroom.extract.not_places import is_demonym
from sitroom.model import Extraction
from sitroom.sources import article_from_record

ACC_KM = 161.0

# Capitalised words in a row: "Athens Police Department", "Dublin Arts Council".
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.-]*(?:[ \t][A-Z][\w'’.-]*)*")


def _shared_module(shared: Path, name: str) -> Any:
    sys.path.insert(0, str(shared / "eval"))
    return __import__(name)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _extract(pipeline: Pipeline, inputs: list[dict[str, Any]]) -> dict[str, Extraction]:
    articles = [article_from_record(r, where=str(r["id"])) for r in inputs]
    return {r["id"]: x for r, x in zip(inputs, pipeline.run_many(articles), strict=True)}


def geoparsing(shared: Path, corpus: str | None, sample: int | None, show: int) -> None:
    """Miss classes per corpus."""
    module = _shared_module(shared, "geoparsing")
    inputs, gold = module.build(shared / "data", sample, 13)
    extractions = _extract(Pipeline.from_names(["places"]), inputs)
    classes: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc in gold:
        if corpus and doc["corpus"] != corpus:
            continue
        found = extractions[doc["id"]].places
        used: set[int] = set()
        role = "role"
        for g in doc["toponyms"]:
            span = (g["start"], g["end"])
            hits = [i for i, p in enumerate(found) if _overlap(span, (p.span.start, p.span.end))]
            if g.get(role) != "req":
                used.update(hits)
                continue
            used.update(hits)
            if g["lat"] is None:
                continue
            label = _classify(g, [found[i] for i in hits])
            classes[doc["corpus"]][label] += 1
            line = f"{g['text']!r} [{doc['text'][max(0, g['start'] - 50) : g['end'] + 30]!r}]"
            if hits:
                p = found[hits[0]]
                where = f"{p.place.name},{p.place.country},{p.place.kind}" if p.place else "-"
                line += f" -> {p.text!r} {where}"
            examples[(doc["corpus"], label)].append(line)
        for i, p in enumerate(found):
            if i not in used:
                kind = p.place.kind if p.place else "-"
                classes[doc["corpus"]][f"false alarm/{kind}"] += 1
                examples[(doc["corpus"], "false alarm")].append(
                    f"{p.text!r} [{doc['text'][max(0, p.span.start - 40) : p.span.end + 30]!r}]"
                )
    _print(classes, examples, show)


def _classify(g: dict[str, Any], hits: list[Any]) -> str:
    if not hits:
        return "not detected"
    p = hits[0]
    exact = (p.span.start, p.span.end) == (g["start"], g["end"])
    if p.place is None:
        return "unresolved"
    far = haversine_km(g["lat"], g["lon"], p.place.lat, p.place.lon) > ACC_KM
    if far:
        return f"far/{p.place.kind}" + ("" if exact else "/wrong span")
    return "right" if exact else "right/wrong span"


def acled(shared: Path, key: str, sample: int | None, show: int) -> None:
    """Miss classes of the event place per ACLED file."""
    module = _shared_module(shared, "acled_events")
    inputs, gold = module.build(shared / "data", sample, 13)
    wanted = {d["id"] for d in gold if d["file"] == key}
    inputs = [r for r in inputs if r["id"] in wanted]
    extractions = _extract(
        Pipeline.from_names(["publication", "times", "places", "figures", "events"]), inputs
    )
    classes: Counter[str] = Counter()
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc in gold:
        if doc["id"] not in wanted:
            continue
        data = extractions[doc["id"]].to_dict()
        places, events = data.get("places", []), data.get("events", [])
        event = module.primary_event(events)
        coords = module._event_coords(event, places) or module._mention_coords(places)
        label = _acled_class(doc, coords, extractions[doc["id"]])
        classes[label] += 1
        names = [
            f"{m.text}->{m.place.name},{m.place.country},{m.place.kind}" if m.place else m.text
            for m in extractions[doc["id"]].places
        ]
        gold_place = f"gold {doc['location']!r} ({doc['country']})"
        examples[("acled", label)].append(
            f"{gold_place} | {'; '.join(names)} | {doc['text'][:160]!r}"
        )
    _print({key: classes}, examples, show)


def _acled_class(doc: dict[str, Any], coords: Any, extraction: Extraction) -> str:
    near = [
        m
        for m in extraction.places
        if m.place and haversine_km(doc["lat"], doc["lon"], m.place.lat, m.place.lon) <= ACC_KM
    ]
    if coords and haversine_km(doc["lat"], doc["lon"], *coords) <= ACC_KM:
        return "right"
    if near:
        return "other place chosen"
    location = doc["location"].split("-")[0].split("(")[0].strip().lower()
    text = doc["text"].lower()
    if location not in text:
        return "gold name absent" + ("" if coords else "/no place")
    at = text.find(location)
    covering = [
        m
        for m in extraction.places
        if _overlap((m.span.start, m.span.end), (at, at + len(location)))
    ]
    if covering:
        m = covering[0]
        return "resolved wrong" + (f"/{m.place.kind}" if m.place else "/unresolved")
    return "not found" + ("" if coords else "/no place")


def _print(
    classes: dict[str, Counter[str]], examples: dict[tuple[str, str], list[str]], show: int
) -> None:
    rng = random.Random(7)
    for corpus, counts in classes.items():
        print(f"\n== {corpus}: {counts.total()}")
        for label, n in counts.most_common():
            print(f"  {n:5d}  {label}")
    if not show:
        return
    for (corpus, label), lines in sorted(examples.items()):
        if label.startswith("right"):
            continue
        print(f"\n-- {corpus} {label} ({len(lines)})")
        for line in rng.sample(lines, min(show, len(lines))):
            print("   ", line)


def ceiling(shared: Path) -> None:
    """Gold toponyms by what the contract says of them and whether the gazetteer knows them."""
    module = _shared_module(shared, "geoparsing")
    inputs, gold = module.build(shared / "data", None, 13)
    extractions = _extract(Pipeline.from_names(["places"]), inputs)
    gazetteer = gaz.load()
    classes: dict[str, Counter[tuple[str, str, str]]] = defaultdict(Counter)
    for doc in gold:
        found = extractions[doc["id"]].places
        for g in doc["toponyms"]:
            if g.get("role") != "req" or g["lat"] is None:
                continue
            hits = [
                p for p in found if _overlap((g["start"], g["end"]), (p.span.start, p.span.end))
            ]
            outcome = _classify(g, hits).split("/")[0].replace("not detected", "missed")
            known = "known" if gazetteer.candidates(gaz.match_key(g["text"])) else "unknown"
            classes[doc["corpus"]][(_contract_class(doc, g), known, outcome)] += 1
    for corpus, counts in classes.items():
        print(f"\n== {corpus}: {counts.total()} gold toponyms with coordinates")
        for cls in ("plain", "inside a longer name", "demonym"):
            for known in ("known", "unknown"):
                outcomes = ("right", "far", "unresolved", "missed")
                row = {o: counts[(cls, known, o)] for o in outcomes if counts[(cls, known, o)]}
                if sum(row.values()):
                    print(f"  {cls:21s} {known:8s} {sum(row.values()):5d}  {row}")
        plain = sum(n for (cls, _, _), n in counts.items() if cls == "plain")
        right = sum(n for (cls, _, o), n in counts.items() if cls == "plain" and o == "right")
        print(f"  end to end on plain mentions: {right / plain:.4f} ({right}/{plain})")
    _contract_view(shared, module, extractions, gold)


def _contract_class(doc: dict[str, Any], g: dict[str, Any]) -> str:
    """What the contract says of a gold toponym: a demonym, inside a longer name, or plain."""
    if doc["corpus"] == "GWN":
        if g["type"].startswith("Embedded"):
            return "inside a longer name"
        return "demonym" if g["type"] == "Demonym" else "plain"
    name = g["text"]
    if is_demonym(name) or (name.endswith("s") and is_demonym(name[:-1])):
        return "demonym"
    text, start, end = doc["text"], g["start"], g["end"]
    for run_ in _CAPITALISED_RUN.finditer(text, max(0, start - 80), min(len(text), end + 80)):
        if run_.start() <= start and end <= run_.end():
            longer = run_.span() != (start, end) and not run_.group().endswith(("'s", "’s"))
            return "inside a longer name" if longer else "plain"
    return "plain"


def _contract_view(
    shared: Path, module: Any, extractions: dict[str, Extraction], gold: list[dict[str, Any]]
) -> None:
    """GWN scored by the reference scorer's own view function with names inside longer names
    optional, beside its `all` and `literal` views."""
    docs = [d for d in gold if d["corpus"] == "GWN"]
    for doc in docs:
        for g in doc["toponyms"]:
            embedded = g["type"].startswith("Embedded")
            g["role_contract"] = "opt" if embedded else g["role"]
    common = _shared_module(shared, "common")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gwn.pred.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for doc in docs:
                record = extractions[doc["id"]].to_dict()
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        predictions = common.Predictions(path, docs)
        print("\n== GWN views (reference scorer)")
        for view in ("role", "role_literal", "role_contract"):
            scored = module._score_view(docs, predictions, view)
            detection = scored["detection"]
            print(
                f"  {view:14s} P {detection['p']:.4f} R {detection['r']:.4f} "
                f"F1 {detection['f1']:.4f} e2e {scored['e2e_acc161']:.4f} "
                f"({scored['n_gold_with_coords']} with coordinates)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="GWN, LGL, TR-News or GeoVirus (default: all)")
    parser.add_argument("--acled", help="'me' or 'afghanistan': the ACLED file instead")
    parser.add_argument("--sample", type=int)
    parser.add_argument("--show", type=int, default=15, help="examples per class")
    parser.add_argument("--ceiling", action="store_true", help="gold toponyms by contract class")
    args = parser.parse_args()
    shared = find_shared_dir()
    if args.ceiling:
        ceiling(shared)
    elif args.acled:
        acled(shared, args.acled, args.sample, args.show)
    else:
        geoparsing(shared, args.corpus, args.sample, args.show)


if __name__ == "__main__":
    main()
