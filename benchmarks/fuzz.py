"""Fuzzing of the extractors and the input parsers: no crash, no hang, every span holding its text.

    python benchmarks/fuzz.py --inputs 1000000 --seed 1 --jobs 2 [--corpus /tmp/sitroom-fuzz]
    python benchmarks/fuzz.py --seed 1 --replay 4242 [--shrink]   # one input again, traceback

Input i is a pure function of (seed, i), made by `fuzz_inputs.py`: sentences in the register
of conflict news, mutated, or junk, going in through the Python API, a plain-text file's bytes,
JSONL lines, or (rarely, their parsers are slow) an RSS feed or an HTML page. Workers are
separate processes, so a hang inside a C regex or a segfault costs one input, not the run.

A crash is an exception outside `sitroom.errors`; a hang is an input that takes more than
--hang seconds of CPU in its worker, or one the watchdog kills after --kill-after seconds of
wall time; a bad span is a fact whose offsets fall outside its article's text or whose text is
not that slice; bad output is a contract object that is not valid JSON. Findings are saved
under --corpus, the first few of each kind, and the exit status is 1 when there is any.
"""

from __future__ import annotations

import argparse
import base64
import collections
import json
import multiprocessing as mp
import queue
import re
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_inputs import FuzzInput, make_input
from sitroom.model import Article, Event, Extraction, Figure, PlaceMention, TimeMention

# -- running and checking -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one input did: how many articles and facts, or which sitroom error refused it."""

    articles: int = 0
    facts: int = 0
    refused: str | None = None
    #: Bad spans and bad output: what is wrong, one line each.
    problems: tuple[str, ...] = ()


def run_input(item: FuzzInput) -> Outcome:
    """Run one input through its route; raise whatever escapes the sitroom error tree."""
    import sitroom
    from sitroom.errors import SitroomError

    try:
        if item.route == "api":
            extractions = [sitroom.extract(str(item.payload), published=item.published)]
        else:
            extractions = [sitroom.extract_article(a) for a in _articles(item)]
    except SitroomError as exc:
        return Outcome(refused=type(exc).__name__)
    problems = tuple(p for e in extractions for p in check_extraction(e))
    facts = sum(len(e.places) + len(e.times) + len(e.figures) + len(e.events) for e in extractions)
    return Outcome(articles=len(extractions), facts=facts, problems=problems)


def _articles(item: FuzzInput) -> list[Article]:
    from sitroom.sources import articles_from_bytes
    from sitroom.sources.jsonl import read_jsonl

    data = item.payload if isinstance(item.payload, bytes) else item.payload.encode("utf-8")
    if item.route == "jsonl":
        lines = data.splitlines(keepends=True)
        return list(read_jsonl(lines, name="fuzz.jsonl", skip_bad=item.skip_bad))
    route: Any = item.route  # "text", "feed" or "html": an InputFormat
    return list(articles_from_bytes(data, input_format=route, name=f"fuzz.{item.route}"))


def check_extraction(extraction: Extraction) -> list[str]:
    """What is wrong with an extraction's spans and contract output; empty when nothing is."""
    text = extraction.article.text
    problems: list[str] = []
    facts: tuple[PlaceMention | TimeMention | Figure | Event, ...] = (
        *extraction.places,
        *extraction.times,
        *extraction.figures,
        *extraction.events,
    )
    for fact in facts:
        problems.extend(_fact_problems(fact, text, extraction.article.id))
    for figure in extraction.figures:
        if not 0 <= figure.sentence.start <= figure.sentence.end <= len(text):
            problems.append(f"span: figure sentence {figure.sentence} outside the text")
    try:
        json.dumps(extraction.to_dict(), allow_nan=False)
    except ValueError as exc:
        problems.append(f"output: the contract object is not valid JSON ({exc})")
    return problems


def _fact_problems(
    fact: PlaceMention | TimeMention | Figure | Event, text: str, article_id: str
) -> list[str]:
    span, kind = fact.span, type(fact).__name__
    if fact.article_id != article_id:
        return [f"span: {kind} belongs to article {fact.article_id}, not {article_id}"]
    if not 0 <= span.start <= span.end <= len(text):
        return [f"span: {kind} {span.start}-{span.end} outside the text of {len(text)} characters"]
    if isinstance(fact, Event):
        # An event's text is its span's slice by definition; it must not be empty.
        return [] if span.start < span.end else [f"span: empty event span at {span.start}"]
    if text[span.start : span.end] != fact.text:
        return [f"span: {kind} text {fact.text!r} is not the slice {span.of(text)!r}"]
    return []


# -- workers and the watchdog -------------------------------------------------------------------

# Slots of a worker's shared counters (one float array per worker, written by it alone).
DONE, ACCEPTED, REFUSED, FACTS, CHARS, CPU, CURRENT, BUSY_SINCE, MAX_CPU, MAX_CPU_INDEX = range(10)
COUNTERS = 10
CHUNK = 1000


@dataclass(frozen=True, slots=True)
class Plan:
    """What a run covers: how many inputs from which seed, on how many workers, what limits."""

    inputs: int
    seed: int
    jobs: int
    #: CPU seconds an input may take before it counts as a hang.
    hang: float
    #: Wall seconds after which the watchdog kills a worker stuck on one input.
    kill_after: float

    def indices(self, slot: int, start: int) -> Iterator[int]:
        """The inputs of a worker slot: every `jobs`-th chunk of CHUNK, from `start` on."""
        for chunk in range(slot, (self.inputs + CHUNK - 1) // CHUNK, self.jobs):
            yield from range(max(start, chunk * CHUNK), min(self.inputs, (chunk + 1) * CHUNK))


def _worker(plan: Plan, slot: int, start: int, counters: Any, out: Any) -> None:
    """Run a slot's inputs, keeping counts in shared memory and sending findings on `out`."""
    import logging

    import sitroom

    # Warnings about skipped records and malformed feeds are expected here by the thousand.
    logging.disable(logging.WARNING)
    sitroom.extract("Shelling hit Aleppo on Monday.", published="2020-01-01")  # load the data
    refusals: collections.Counter[str] = collections.Counter()
    for index in plan.indices(slot, start):
        item = make_input(plan.seed, index)
        counters[CURRENT] = index
        counters[BUSY_SINCE] = time.monotonic()
        cpu = time.process_time()
        try:
            outcome = run_input(item)
        except Exception as exc:  # what the fuzzer is looking for
            out.put(("crash", index, _signature(exc), _short_traceback(exc)))
            outcome = Outcome()
        cpu = time.process_time() - cpu
        counters[BUSY_SINCE] = 0.0
        _count(counters, refusals, item, outcome, cpu)
        for problem in dict.fromkeys(outcome.problems):
            out.put((problem.partition(":")[0], index, problem, ""))
        if cpu > plan.hang:
            out.put(("hang", index, f"{cpu:.2f} s of CPU", ""))
        if index % CHUNK == CHUNK - 1:
            out.put(("refusals", slot, dict(refusals), ""))
            refusals.clear()
    out.put(("refusals", slot, dict(refusals), ""))


def _count(
    counters: Any, refusals: collections.Counter[str], item: FuzzInput, outcome: Outcome, cpu: float
) -> None:
    counters[DONE] += 1
    counters[CPU] += cpu
    counters[CHARS] += len(item.payload)
    if outcome.refused is not None:
        counters[REFUSED] += 1
        refusals[outcome.refused] += 1
    elif outcome.articles:
        counters[ACCEPTED] += 1
        counters[FACTS] += outcome.facts
    if cpu > counters[MAX_CPU]:
        counters[MAX_CPU], counters[MAX_CPU_INDEX] = cpu, item.index


def _signature(exc: BaseException) -> str:
    """The exception type and the innermost sitroom frame: one per bug, not per input."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "sitroom" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__} at {where}"


def _short_traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc, limit=-6))[-3000:]


# A finding's detail without the input's own values: quoted strings and numbers.
_VALUES = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\d+(?:\.\d+)?")


@dataclass(slots=True)
class Findings:
    """Everything the workers reported, by kind, with the first few inputs of each signature."""

    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    signatures: collections.Counter[str] = field(default_factory=collections.Counter)
    refusals: collections.Counter[str] = field(default_factory=collections.Counter)
    saved: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, index: int, detail: str, trace: str, *, keep: int = 5) -> None:
        """Count one finding; keep its input when its signature is still rare, or a hang."""
        self.counts[kind] += 1
        # A crash's detail is already its signature; other details carry the input's values.
        signature = f"{kind}: {detail if kind == 'crash' else _VALUES.sub('_', detail)}"
        self.signatures[signature] += 1
        # Hangs are few and each may have its own cause, which their signature does not show.
        if self.signatures[signature] <= keep or kind == "hang":
            self.saved.append({"kind": kind, "index": index, "detail": detail, "traceback": trace})


class _Pool:
    """One worker process per slot, restarted past an input that hangs or kills it."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.context = mp.get_context("spawn")
        self.out = self.context.Queue()
        self.counters = [self.context.Array("d", COUNTERS, lock=False) for _ in range(plan.jobs)]
        self.processes = [self._start(slot, 0) for slot in range(plan.jobs)]

    def _start(self, slot: int, start: int) -> Any:
        process = self.context.Process(
            target=_worker,
            args=(self.plan, slot, start, self.counters[slot], self.out),
            daemon=True,
        )
        process.start()
        return process

    def running(self) -> bool:
        """Whether a worker is still at work or a report is still on its way."""
        return any(p.is_alive() for p in self.processes) or not self.out.empty()

    def watch(self, findings: Findings) -> None:
        """Kill a worker stuck on one input, note a dead one; restart either after that input."""
        for slot, process in enumerate(self.processes):
            counters = self.counters[slot]
            busy = counters[BUSY_SINCE]
            stuck = busy > 0 and time.monotonic() - busy > self.plan.kill_after
            died = not process.is_alive() and process.exitcode not in (0, None)
            if not ((stuck and process.is_alive()) or died):
                continue
            index = int(counters[CURRENT])
            if died:
                findings.add("crash", index, f"worker died with exit code {process.exitcode}", "")
            else:
                process.kill()
                process.join()
                findings.add("hang", index, f"killed after {self.plan.kill_after:.0f} s", "")
            counters[DONE] += 1
            counters[BUSY_SINCE] = 0.0
            self.processes[slot] = self._start(slot, index + 1)

    def drain(self, findings: Findings) -> None:
        """Take in every report waiting on the queue."""
        while True:
            try:
                kind, index, detail, trace = self.out.get(timeout=0.05)
            except queue.Empty:
                return
            if kind == "refusals":
                findings.refusals.update(detail)
            else:
                findings.add(kind, index, detail, trace)

    def total(self, counter: int) -> float:
        """A counter summed over the workers."""
        return float(sum(c[counter] for c in self.counters))


def fuzz(plan: Plan) -> dict[str, Any]:
    """Run the plan's inputs on its worker processes and return the summary."""
    pool, findings = _Pool(plan), Findings()
    started = last_report = time.monotonic()
    while pool.running():
        pool.drain(findings)
        pool.watch(findings)
        if time.monotonic() - last_report > 30:
            last_report = time.monotonic()
            done = pool.total(DONE)
            print(
                f"fuzz: {done:.0f}/{plan.inputs} inputs, {done / (last_report - started):.0f}/s, "
                f"findings {dict(findings.counts)}",
                file=sys.stderr,
                flush=True,
            )
        time.sleep(0.2)
    pool.drain(findings)
    return _summary(pool, findings, seconds=time.monotonic() - started)


def _summary(pool: _Pool, findings: Findings, *, seconds: float) -> dict[str, Any]:
    done = int(pool.total(DONE))
    slowest = max(pool.counters, key=lambda c: c[MAX_CPU])
    return {
        "inputs": done,
        "seed": pool.plan.seed,
        "jobs": pool.plan.jobs,
        "seconds": round(seconds, 1),
        "inputs_per_second": round(done / seconds, 1),
        # Per second of the workers' own CPU: what the run costs on a machine it has alone.
        "inputs_per_cpu_second": round(done / max(1e-9, pool.total(CPU)), 1),
        "mean_chars": round(pool.total(CHARS) / max(1, done), 1),
        "accepted": int(pool.total(ACCEPTED)),
        "facts": int(pool.total(FACTS)),
        "refused": int(pool.total(REFUSED)),
        "refusals": dict(findings.refusals.most_common()),
        "crashes": findings.counts["crash"],
        "hangs": findings.counts["hang"],
        "bad_spans": findings.counts["span"],
        "bad_output": findings.counts["output"],
        "signatures": dict(findings.signatures.most_common()),
        "slowest_cpu_seconds": round(slowest[MAX_CPU], 3),
        "slowest_index": int(slowest[MAX_CPU_INDEX]),
        "saved": findings.saved,
    }


# -- the command --------------------------------------------------------------------------------


def _save(findings: list[dict[str, Any]], *, seed: int, corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for finding in findings:
        item = make_input(seed, finding["index"])
        record = {**finding, "seed": seed, **_describe(item)}
        name = f"{finding['kind']}-{seed}-{finding['index']}.json"
        (corpus / name).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")


def _describe(item: FuzzInput) -> dict[str, Any]:
    payload = item.payload
    described: dict[str, Any] = {
        "route": item.route,
        "published": item.published,
        "skip_bad": item.skip_bad,
        "payload_repr": repr(payload),
    }
    if isinstance(payload, bytes):
        described["payload_base64"] = base64.b64encode(payload).decode("ascii")
    return described


def replay(seed: int, index: int, *, shrink: bool) -> int:
    """Run one input in this process and print it, its outcome and its time."""
    item = make_input(seed, index)
    print(json.dumps(_describe(item), ensure_ascii=False, indent=1))
    started = time.process_time()
    try:
        outcome = run_input(item)
    except Exception as exc:
        traceback.print_exc()
        if shrink:
            print("smallest input that still fails the same way:")
            print(repr(_shrink(item, _signature(exc))))
        return 1
    print(f"{outcome} in {time.process_time() - started:.3f} s of CPU")
    return 1 if outcome.problems else 0


def _shrink(item: FuzzInput, signature: str) -> str | bytes:
    """Delta debugging: drop ever smaller pieces while the same exception still comes out."""

    def fails(payload: str | bytes) -> bool:
        try:
            run_input(FuzzInput(item.index, item.route, payload, item.published, item.skip_bad))
        except Exception as exc:
            return _signature(exc) == signature
        return False

    payload, size = item.payload, max(1, len(item.payload) // 2)
    while size >= 1:
        start, shrunk = 0, False
        while start < len(payload):
            candidate = _without(payload, start, start + size)
            if candidate and fails(candidate):
                payload, shrunk = candidate, True
            else:
                start += size
        if not shrunk:
            size //= 2
    return payload


def _without(payload: str | bytes, start: int, end: int) -> str | bytes:
    if isinstance(payload, bytes):
        return payload[:start] + payload[end:]
    return payload[:start] + payload[end:]


def main(argv: Sequence[str] | None = None) -> int:
    """Fuzz, print the summary, save findings; exit status 1 if anything was found."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--hang", type=float, default=1.0, help="CPU seconds that make a hang")
    parser.add_argument("--kill-after", type=float, default=20.0, help="wall seconds, then kill")
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/sitroom-fuzz"))
    parser.add_argument("--json", type=Path, help="also write the summary here")
    parser.add_argument("--replay", type=int, metavar="INDEX", help="run one input, verbosely")
    parser.add_argument("--shrink", action="store_true", help="with --replay: minimise a crash")
    args = parser.parse_args(argv)
    if args.replay is not None:
        return replay(args.seed, args.replay, shrink=args.shrink)
    plan = Plan(args.inputs, args.seed, args.jobs, hang=args.hang, kill_after=args.kill_after)
    summary = fuzz(plan)
    saved = summary.pop("saved")
    _save(saved, seed=args.seed, corpus=args.corpus)
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    if saved:
        print(f"fuzz: {len(saved)} finding(s) saved under {args.corpus}", file=sys.stderr)
    if args.json is not None:
        args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    found = summary["crashes"] + summary["hangs"] + summary["bad_spans"] + summary["bad_output"]
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
