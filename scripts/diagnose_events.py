"""Diagnose the event layer on the shared gold sets: place choice, sub-type confusion, tolls.

    python scripts/diagnose_events.py places [--file me] [--show 40]
    python scripts/diagnose_events.py confusion {acled,case2021} [--file me] [--examples 3]
    python scripts/diagnose_events.py fatalities [--file afghanistan] [--show 40]

`places` lists ACLED rows whose primary event took a place more than 161 km from the coded
one while another place the article names lies within 161 km, with the pattern of each
(where the two stand against the event's clause, the word before each, their kinds).
`confusion` prints gold x predicted sub-type counts (largest off-diagonal cells first), with
`--examples` the first texts of each cell and the clause its primary event came from.
Reads the gold with the team's converters in ../shared/eval; evaluates only, trains nothing.
"""

from __future__ import annotations

import argparse
import collections
import math
import sys
from collections.abc import Iterator
from typing import Any

from sitroom.evaluate import find_shared_dir
from sitroom.extract import run
from sitroom.model import Extraction, PlaceMention
from sitroom.sources import article_from_record

ACC_KM = 161.0


def _gold(name: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    eval_dir = find_shared_dir() / "eval"
    sys.path.insert(0, str(eval_dir))
    module = __import__(name)
    inputs, gold = module.build(find_shared_dir() / "data", None, 13)
    return list(zip(inputs, gold, strict=True))


def _extractions(name: str, file: str | None) -> Iterator[tuple[dict[str, Any], Extraction]]:
    for record, gold in _gold(name):
        if file is None or gold.get("file") == file:
            yield gold, run(article_from_record(record, where=gold["id"]))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _gold_km(gold: dict[str, Any], mention: PlaceMention) -> float:
    place = mention.place
    return _km(gold["lat"], gold["lon"], place.lat, place.lon) if place else math.inf


def _primary(extraction: Extraction) -> Any:
    return max(extraction.events, key=lambda e: e.confidence, default=None)


def _word_before(text: str, mention: PlaceMention) -> str:
    words = text[max(0, mention.span.start - 30) : mention.span.start].split()
    return words[-1].lower().strip(",(") if words else "^"


def _where(mention: PlaceMention, clause: Any) -> str:
    if mention.span.start < clause.start:
        return "before"
    return "inside" if mention.span.start < clause.end else "after"


def diagnose_places(file: str, show: int) -> None:
    """Rows whose event chose another place than the one near the coded point."""
    patterns: collections.Counter[str] = collections.Counter()
    shown = misses = 0
    for gold, extraction in _extractions("acled_events", file):
        event = _primary(extraction)
        resolved = [(m, m.place) for m in extraction.places if m.place]
        chosen, chosen_place = next(
            ((m, p) for m, p in resolved if event and p.id == event.place_id), (None, None)
        )
        if chosen is None or chosen_place is None or event is None:
            continue
        near = [(m, p) for m, p in resolved if _gold_km(gold, m) <= ACC_KM]
        if not near or _gold_km(gold, chosen) <= ACC_KM:
            continue
        misses += 1
        right, right_place = near[0]
        text = extraction.article.text
        order = "first" if right.span.start < chosen.span.start else "later"
        key = (
            f"chosen {_where(chosen, event.span)}/{chosen_place.kind}/{_word_before(text, chosen)}"
            f" | gold {_where(right, event.span)}/{right_place.kind}/{_word_before(text, right)}"
            f" | gold {order}"
        )
        patterns[key] += 1
        if shown < show:
            shown += 1
            text = extraction.article.text
            print(
                f"--- {gold['id']} gold={gold['location']} chose={chosen_place.name}"
                f" ({chosen_place.kind}) right={right_place.name} ({right_place.kind})"
            )
            print("   clause:", text[event.span.start : event.span.end][:300])
            print("   note:  ", text[:400])
    print(f"\n{misses} rows chose a far place while a near one was named")
    for key, count in patterns.most_common(40):
        print(f"{count:4d}  {key}")


def confusion(name: str, file: str | None, examples: int = 0) -> None:
    """Gold x predicted sub-type counts, largest off-diagonal first, with `examples` texts
    of each cell."""
    cells: collections.Counter[tuple[str, str]] = collections.Counter()
    texts: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for gold, extraction in _extractions(name, file):
        event = _primary(extraction)
        predicted = event.subtype if event else "(none)"
        label = gold.get("subtype") or gold.get("label") or gold.get("SubType")
        cells[(str(label), predicted)] += 1
        if len(texts[(str(label), predicted)]) < examples:
            text = extraction.article.text
            clause = text[event.span.start : event.span.end] if event else ""
            texts[(str(label), predicted)].append(f"{text[:300]}\n      clause: {clause[:200]}")
    total = sum(cells.values())
    right = sum(c for (g, p), c in cells.items() if g == p or _case_match(g, p))
    print(f"{total} docs, {right} right")
    for (g, p), c in cells.most_common():
        if g != p and not _case_match(g, p) and c >= 2:
            print(f"{c:4d}  {g:40s} -> {p}")
            for text in texts[(g, p)]:
                print("    ", text)


def _case_match(gold: str, predicted: str) -> bool:
    try:
        import case2021  # type: ignore[import-not-found]
    except ImportError:
        return False
    return bool(case2021.CASE_TO_ACLED.get(gold) == predicted)


def diagnose_fatalities(file: str, show: int) -> None:
    """Rows whose primary event's toll differs from the coded one."""
    kinds: collections.Counter[str] = collections.Counter()
    shown = 0
    for gold, extraction in _extractions("acled_events", file):
        event = _primary(extraction)
        got = (event.fatalities or 0) if event else 0
        if got == gold["fatalities"]:
            continue
        kinds["too few" if got < gold["fatalities"] else "too many"] += 1
        if shown < show:
            shown += 1
            print(
                f"--- {gold['id']} gold={gold['fatalities']} got={got}"
                f" {event.subtype if event else None}"
            )
            print("   ", extraction.article.text[:500])
    print(kinds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["places", "confusion", "fatalities"])
    parser.add_argument("set", nargs="?", default="acled", choices=["acled", "case2021"])
    parser.add_argument("--file", default=None)
    parser.add_argument("--show", type=int, default=30)
    parser.add_argument("--examples", type=int, default=0, help="texts per confusion cell")
    args = parser.parse_args()
    if args.what == "places":
        diagnose_places(args.file or "me", args.show)
    elif args.what == "fatalities":
        diagnose_fatalities(args.file or "afghanistan", args.show)
    else:
        name = "case2021" if args.set == "case2021" else "acled_events"
        confusion(name, args.file, args.examples)


if __name__ == "__main__":
    main()
