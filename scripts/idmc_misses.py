"""Every IDMC/IDETECT gold figure the `idmc` benchmark misses, sorted into classes and counted.

    .venv/bin/python scripts/idmc_misses.py [--show CLASS ...] [--corpus IDMC|IDETECT]

An excerpt is missed (the scorer's `main` recall) when no figure with a displacement measure
(displaced, evacuated, refugees) has a gold value. Each gold label of a missed excerpt gets one
class, first that applies:

  housing_term      the label's term is a housing one (Destroyed/Partially Destroyed/
                    Uninhabitable Housing), which the contract codes as `affected`: a miss by
                    the contract, not by the extractor.
  not_in_text       the gold number cannot be read from the text (the scorer's own reader):
                    a sum, a typo or a label that disagrees with its text (SOURCE.md).
  wrong_measure:M   a figure has the gold value but measure M, outside the displacement ones.
  range_end         a range's figure holds the gold number as its upper end; `value` is the
                    lower end (the labels take the upper end 7 times, the lower end 3 times).
  wrong_value       a figure's span covers the gold number's digits with another value
                    (scale, sum).
  not_found         no figure covers the gold number's text.

Reads the shared gold and scorer (`../shared`), extracts in-process; prints counts per class and,
with --show, each miss of the named classes with the sentence around the gold number.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sitroom.evaluate import _reference_module, find_shared_dir
from sitroom.extract import run as run_pipeline
from sitroom.model import Figure
from sitroom.sources import article_from_record

DISPLACEMENT = frozenset({"displaced", "evacuated", "refugees"})


@dataclass(frozen=True)
class Miss:
    """One gold label of a missed excerpt, with its class and where its number stands."""

    doc_id: str
    value: int
    term: str
    unit: str
    kind: str
    context: str
    figures: str


def _classify(
    label: dict[str, Any], text: str, figures: list[Figure], spans: list[tuple[int, int]], idmc: Any
) -> tuple[str, tuple[int, int] | None]:
    if label["term"] in idmc.HOUSING_TERMS:
        return "housing_term", spans[0] if spans else None
    if not spans:
        return "not_in_text", None
    same = [f for f in figures if _integral(f.value) == label["value"]]
    if same:
        return "wrong_measure:" + ",".join(sorted({f.measure for f in same})), spans[0]
    for start, end in spans:
        covering = [f for f in figures if f.span.start <= start and end <= f.span.end]
        if any(f.high == label["value"] for f in covering):
            return "range_end", (start, end)
        if covering:
            return "wrong_value", (start, end)
    return "not_found", spans[0]


def _integral(value: float) -> int | None:
    return int(value) if float(value) == int(value) else None


def _context(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return text[:200].replace("\n", " ")
    start, end = span
    return (
        text[max(0, start - 140) : start] + "[[" + text[start:end] + "]]" + text[end : end + 100]
    ).replace("\n", " ")


def find_misses(corpus: str | None) -> tuple[list[Miss], int]:
    """The labels of every missed excerpt, classified, and the number of excerpts scored."""
    shared = find_shared_dir()
    idmc = _reference_module(shared / "eval", "idmc")
    inputs, gold = idmc.build(shared / "data", None, 13)
    misses: list[Miss] = []
    scored = 0
    for record, doc in zip(inputs, gold, strict=True):
        if corpus is not None and doc["corpus"] != corpus:
            continue
        scored += 1
        extraction = run_pipeline(article_from_record(record, where=doc["id"]))
        text = extraction.article.text
        figures = list(extraction.figures)
        shown = {_integral(f.value) for f in figures if f.measure in DISPLACEMENT}
        if any(label["value"] in shown for label in doc["labels"]):
            continue
        numbers = idmc.numbers_in_text(text)
        for label in doc["labels"]:
            spans = [(s, e) for s, e, v in numbers if v == label["value"]]
            kind, span = _classify(label, text, figures, spans, idmc)
            listed = "; ".join(f"{f.value:g} {f.unit} {f.measure}" for f in figures)
            misses.append(
                Miss(
                    doc["id"],
                    label["value"],
                    label["term"],
                    label["unit"],
                    kind,
                    _context(text, span),
                    listed,
                )
            )
    return misses, scored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", nargs="*", default=[], help="classes to list (prefix match)")
    parser.add_argument("--corpus", choices=("IDMC", "IDETECT"))
    args = parser.parse_args(argv)
    misses, scored = find_misses(args.corpus)
    counts = Counter(m.kind for m in misses)
    excerpts = len({m.doc_id for m in misses})
    print(f"{excerpts} of {scored} excerpts missed; {len(misses)} gold labels in them")
    for kind, n in counts.most_common():
        print(f"  {kind:<32} {n}")
    for miss in misses:
        if any(miss.kind.startswith(prefix) for prefix in args.show):
            print(f"\n{miss.doc_id} gold {miss.value} {miss.term}/{miss.unit} -> {miss.kind}")
            print(f"  {miss.context}")
            print(f"  figures: {miss.figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
