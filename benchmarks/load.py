"""Load test of `sitroom serve`: many concurrent clients mixing list queries and POST /api/extract.

    python benchmarks/load.py                               # 20,000 articles, 200 clients, 60 s
    python benchmarks/load.py --db /tmp/load.db --clients 50 --seconds 10    # a quick run
    python benchmarks/load.py --think 1 --processes 2       # paced clients, two client processes
    python benchmarks/load.py --think 1 --app-option cache_bytes=0    # no answers kept

The store is built from `benchmarks/corpus.py` (seeded), or `--db` names one to build or,
when it exists, to use as it is. `sitroom serve` runs as a child process on 127.0.0.1 (an
ephemeral port) and is stopped at the end; the clients start once it has answered
`/api/meta` and one extraction (what a server loads as it starts is not measured). With
`--app-option NAME=INT` one setting of `sitroom.web.command.run_server` or `create_app` is
changed, to compare them. Each client is a loop on asyncio sharing one `aiohttp` session (a
connection each): it sends a list query of `bench_serve.LIST_QUERIES` or, with probability
`--extract-share`, a `POST /api/extract` of about 2 KB of text, waits for the whole answer,
waits `--think` seconds and goes again.

The load model. With `--think 0` the clients are a closed loop that saturates the machine:
by Little's law a request's mean latency is clients / throughput, so 200 clients meet a
250 ms p99 only at well over 1,000 requests/s, whatever the server does. With `--think 1`
each client is a person at a page asking about once a second (exponential pauses): 200 of
them offer some 200 requests/s, and the latency is the server's. Issue 11's bar is claimed on
the paced model; the closed loop is reported for the server's throughput.

Clients can be spread over `--processes` processes when one cannot keep up: each process
reports its CPU use and how late its event loop wakes up (a latency here includes that
lateness). A request that takes over `--timeout` seconds in all is an error. Clients keep
idle connections `--keepalive` seconds, less than the server's 75, so a client never reuses
one the server is closing.

Reported: p50/p95/p99/max per kind (list, extract) and per list query, requests per second,
errors by cause (HTTP status, timeout, connection), the CPU of the server (its extraction
workers included) and of the clients, the machine's load, and the seconds of the run whose
slowest list query was slowest (one stall, or a slow server throughout). Bars (issue 11): no
errors; p99 <= 250 ms for list queries. The exit status is 1 when a bar is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_serve import LIST_QUERIES, build_store
from corpus import generate_corpus

#: The issue's bar for list queries under load, in milliseconds.
LIST_P99_BAR = 250.0
#: Size the extract texts are built up to, in characters: a typical wire report.
EXTRACT_CHARS = 2048


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """How the clients behave: how many, for how long, what they ask and how often."""

    clients: int
    seconds: float
    extract_share: float
    think: float
    timeout: float
    seed: int
    #: Seconds a client keeps an idle connection (uvicorn's default is 5; `serve` keeps 75).
    keepalive: float = 5.0


@dataclasses.dataclass(frozen=True, slots=True)
class Sample:
    """One request: its kind and path, its latency, and what came of it ("ok" or the error)."""

    kind: str
    path: str
    ms: float
    outcome: str
    #: When it was sent (wall clock, comparable between client processes).
    at: float = 0.0


@dataclasses.dataclass(frozen=True, slots=True)
class ClientRun:
    """What one client process saw: its samples, its CPU seconds and its event loop's lag."""

    samples: tuple[Sample, ...]
    wall: float
    cpu: float
    lag_ms: tuple[float, ...]


# -- the clients --------------------------------------------------------------------------------


def extract_texts(count: int, *, seed: int = 11) -> list[str]:
    """About 2 KB of article text each, from the benchmark corpus, cut at a paragraph."""
    articles = [str(a["text"]) for a in generate_corpus(count * 2, seed=seed)]
    texts = []
    for i in range(count):
        paragraphs = (articles[2 * i] + "\n\n" + articles[2 * i + 1]).split("\n\n")
        text = ""
        for paragraph in paragraphs:
            if len(text) >= EXTRACT_CHARS:
                break
            text = f"{text}\n\n{paragraph}" if text else paragraph
        texts.append(text)
    return texts


def _outcome(status: int) -> str:
    return "ok" if 200 <= status < 300 else f"HTTP {status}"


def _failure(exc: aiohttp.ClientError) -> str:
    if isinstance(exc, aiohttp.ClientConnectionError):
        return f"connection ({type(exc).__name__})"
    return type(exc).__name__


async def _one_request(
    http: aiohttp.ClientSession, rng: random.Random, plan: Plan, texts: Sequence[str]
) -> Sample:
    extract = rng.random() < plan.extract_share
    kind, path = ("extract", "/api/extract") if extract else ("list", rng.choice(LIST_QUERIES))
    at, started = time.time(), time.perf_counter()
    try:
        async with asyncio.timeout(plan.timeout):
            if extract:
                body = {"text": rng.choice(texts), "published": "2021-03-04"}
                asked = http.post(path, json=body)
            else:
                asked = http.get(path)
            async with asked as response:
                await response.read()  # the whole answer, as a page would wait for it
        outcome = _outcome(response.status)
    except TimeoutError:
        outcome = f"timeout (over {plan.timeout:g} s)"
    except aiohttp.ClientError as exc:
        outcome = _failure(exc)
    return Sample(kind, path, (time.perf_counter() - started) * 1000, outcome, at)


async def _client(
    http: aiohttp.ClientSession,
    plan: Plan,
    rng: random.Random,
    texts: Sequence[str],
    deadline: float,
    samples: list[Sample],
) -> None:
    # Clients start spread over the first think time (or 100 ms) rather than all at once.
    await _sleep_until(rng.random() * max(plan.think, 0.1), deadline)
    while time.perf_counter() < deadline:
        samples.append(await _one_request(http, rng, plan, texts))
        if plan.think:
            await _sleep_until(rng.expovariate(1 / plan.think), deadline)


async def _sleep_until(seconds: float, deadline: float) -> None:
    # A think time never carries a client past the end of the run.
    await asyncio.sleep(max(0.0, min(seconds, deadline - time.perf_counter())))


async def _lag_probe(deadline: float, lags: list[float]) -> None:
    """How late a 10 ms sleep wakes up: a busy client loop shows here before anywhere else."""
    while time.perf_counter() < deadline:
        asked = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append((time.perf_counter() - asked - 0.01) * 1000)


async def _run_clients(base: str, plan: Plan, clients: int, seed: int, start_at: float) -> Any:
    texts = extract_texts(40)
    await asyncio.sleep(max(0.0, start_at - time.time()))
    started = time.perf_counter()
    deadline = started + plan.seconds
    samples: list[Sample] = []
    lags: list[float] = []
    # aiohttp, not httpx: httpx costs about 1.2 ms of CPU a request (5 ms with one pool of
    # 200 connections), aiohttp 0.2 ms, and the client shares the server's two cores.
    connector = aiohttp.TCPConnector(limit=clients, keepalive_timeout=plan.keepalive)
    timeout = aiohttp.ClientTimeout(total=None)  # asyncio.timeout bounds each request whole
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as http:
        rngs = [random.Random(seed * 100_003 + i) for i in range(clients)]
        await asyncio.gather(
            _lag_probe(deadline, lags),
            *(_client(http, plan, rng, texts, deadline, samples) for rng in rngs),
        )
    return samples, lags, time.perf_counter() - started


def run_clients(base: str, plan: Plan, clients: int, seed: int, start_at: float) -> ClientRun:
    """Run `clients` client loops in this process from wall time `start_at` for the plan."""
    cpu = time.process_time()
    samples, lags, wall = asyncio.run(_run_clients(base, plan, clients, seed, start_at))
    return ClientRun(tuple(samples), wall=wall, cpu=time.process_time() - cpu, lag_ms=tuple(lags))


def run_load(base: str, plan: Plan, *, processes: int) -> list[ClientRun]:
    """The plan's clients, split over `processes` processes that start together."""
    start_at = time.time() + (3.0 if processes > 1 else 0.5)
    shares = [plan.clients // processes + (i < plan.clients % processes) for i in range(processes)]
    if processes == 1:
        return [run_clients(base, plan, plan.clients, plan.seed, start_at)]
    with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(run_clients, base, plan, share, plan.seed + i, start_at)
            for i, share in enumerate(shares)
        ]
        return [f.result() for f in futures]


# -- the server ---------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(
    db: Path, *, options: dict[str, int] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`sitroom serve` over `db` on 127.0.0.1 in a child process, once it has answered
    `/api/meta` and an extraction; the process and its URL. With `options`, it is served as
    `sitroom serve` serves it but with these settings of `run_server` and `create_app`.
    """
    port = _free_port()
    if options is None:
        command = [sys.executable, "-m", "sitroom", "serve", "--db", str(db)]
        command += ["--port", str(port), "--host", "127.0.0.1"]
    else:
        code = (
            "import json, sys; from sitroom.web.command import run_server; "
            "run_server(sys.argv[1], token=None, host='127.0.0.1', port=int(sys.argv[2]), "
            "**json.loads(sys.argv[3]))"
        )
        command = [sys.executable, "-c", code, str(db), str(port), json.dumps(options)]
    env = {k: v for k, v in os.environ.items() if k != "SITROOM_TOKEN"}  # read-only
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"{base}/api/meta", timeout=5).read()
            _extract_once(base)
            # Measured from here: a server long started, not one loading what it needs.
            time.sleep(1.0)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start within 60 s")


def _extract_once(base: str) -> None:
    body = json.dumps({"text": "Shelling killed 3 people in Kharkiv on Monday."}).encode()
    headers = {"content-type": "application/json"}
    asked = urllib.request.Request(f"{base}/api/extract", data=body, headers=headers)
    urllib.request.urlopen(asked, timeout=60).read()


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds so far of a process and its children, such as the server's
    extraction workers (Linux /proc; None elsewhere)."""
    own = _own_cpu_seconds(pid)
    if own is None:
        return None
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        kids = [int(kid) for kid in children.read_text().split()]
    except OSError:
        kids = []
    return own + sum(cpu_seconds(kid) or 0.0 for kid in kids)


def _own_cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the report ---------------------------------------------------------------------------------


def percentile(ordered: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of sorted values (0 when there are none)."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def latency(ms: Sequence[float], seconds: float) -> dict[str, float]:
    """Count, requests/s and p50/p95/p99/max milliseconds of some requests."""
    ordered = sorted(ms)
    return {
        "requests": len(ordered),
        "per_second": round(len(ordered) / seconds, 1),
        "p50": round(percentile(ordered, 0.50), 1),
        "p95": round(percentile(ordered, 0.95), 1),
        "p99": round(percentile(ordered, 0.99), 1),
        "max": round(ordered[-1], 1) if ordered else 0.0,
    }


def summarise(runs: Sequence[ClientRun], plan: Plan, *, server_cpu: float | None) -> dict[str, Any]:
    """The numbers of a run: latency by kind and list query, errors by cause, CPU, the bars."""
    samples = [s for run in runs for s in run.samples]
    wall = max(run.wall for run in runs)
    ok = [s for s in samples if s.outcome == "ok"]
    by_kind = {kind: [s.ms for s in ok if s.kind == kind] for kind in ("list", "extract")}
    by_path = collections.defaultdict(list)
    for sample in ok:
        if sample.kind == "list":
            by_path[sample.path].append(sample.ms)
    errors = collections.Counter(f"{s.kind}: {s.outcome}" for s in samples if s.outcome != "ok")
    lags = sorted(lag for run in runs for lag in run.lag_ms)
    list_p99 = latency(by_kind["list"], wall)["p99"]
    return {
        "plan": {**dataclasses.asdict(plan), "processes": len(runs)},
        "seconds": round(wall, 1),
        "requests": len(samples),
        "per_second": round(len(samples) / wall, 1),
        "kinds": {kind: latency(ms, wall) for kind, ms in by_kind.items()},
        "lists": {path: latency(by_path[path], wall) for path in LIST_QUERIES},
        "errors": dict(errors.most_common()),
        "server_cpu_percent": None if server_cpu is None else round(100 * server_cpu / wall),
        # What a request costs the server whatever the machine's load: its capacity per core.
        "server_cpu_ms_per_request": (
            None if server_cpu is None else round(1000 * server_cpu / max(1, len(samples)), 2)
        ),
        "client_cpu_percent": [round(100 * run.cpu / run.wall) for run in runs],
        "client_loop_lag_ms": {"p50": percentile(lags, 0.5), "p99": percentile(lags, 0.99)},
        "slowest_seconds": slowest_seconds(ok),
        "bars": {
            "no_errors": not errors,
            "list_p99_ms": list_p99,
            "list_p99_ok": list_p99 <= LIST_P99_BAR,
        },
    }


def slowest_seconds(samples: Sequence[Sample], *, count: int = 3) -> list[dict[str, float]]:
    """The seconds of the run (from its first request) whose slowest list query was slowest:
    a tail made of one stall shows as one bad second, a slow server as many."""
    if not samples:
        return []
    first = min(s.at for s in samples)
    worst: dict[int, float] = {}
    for sample in samples:
        if sample.kind == "list":
            second = int(sample.at - first)
            worst[second] = max(worst.get(second, 0.0), sample.ms)
    ranked = sorted(worst.items(), key=lambda item: -item[1])[:count]
    return [{"second": second, "max_ms": round(ms, 1)} for second, ms in ranked]


def _print(result: dict[str, Any]) -> None:
    plan = result["plan"]
    print(
        f"{plan['clients']} clients in {plan['processes']} process(es), think {plan['think']} s, "
        f"{plan['extract_share']:.0%} extract, {result['seconds']} s; "
        f"load average {result['load_before']} -> {result['load_after']}"
    )
    print(f"server: {result.get('server', 'sitroom serve')}")
    print(f"{'':<64}{'n':>7} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    rows = [*result["kinds"].items(), *((f"  {p}", t) for p, t in result["lists"].items())]
    for name, t in rows:
        print(
            f"{name:<64}{t['requests']:7d} {t['per_second']:7.1f} {t['p50']:7.1f} "
            f"{t['p95']:7.1f} {t['p99']:7.1f} {t['max']:7.1f}"
        )
    print(f"all: {result['requests']} requests, {result['per_second']} req/s")
    print(f"errors: {result['errors'] or 'none'}")
    lag = result["client_loop_lag_ms"]
    print(
        f"CPU: server {result['server_cpu_percent']}% of a core "
        f"({result['server_cpu_ms_per_request']} ms a request), clients "
        f"{result['client_cpu_percent']}%; client loop lag p50 {lag['p50']:.1f} ms, "
        f"p99 {lag['p99']:.1f} ms"
    )
    slowest = ", ".join(
        f"{w['max_ms']:.0f} ms at {w['second']} s" for w in result["slowest_seconds"]
    )
    print(f"slowest list query in the worst seconds: {slowest}")
    bars = result["bars"]
    print(
        f"bars: errors {'0 (ok)' if bars['no_errors'] else 'FAIL'}; list p99 "
        f"{bars['list_p99_ms']} ms ({'ok' if bars['list_p99_ok'] else 'FAIL'}, bar 250 ms)"
    )


def _option(text: str) -> tuple[str, int]:
    name, _, value = text.partition("=")
    return name.strip(), int(value)


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    """Build or reuse the store, serve it, load it, print the numbers; 1 if a bar is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--db", type=Path, help="store to reuse, or to build if not there")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--extract-share", type=float, default=0.1, help="share of POST /extract")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between requests")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a request may take")
    parser.add_argument("--processes", type=int, default=1, help="client processes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keepalive", type=float, default=5.0, help="client keep-alive seconds")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument(
        "--app-option",
        action="append",
        default=[],
        metavar="NAME=INT",
        help="serve with this setting of run_server or create_app changed "
        "(e.g. workers=1, cache_bytes=0, extract_processes=0, readers=1)",
    )
    args = parser.parse_args(argv)
    plan = Plan(
        args.clients,
        args.seconds,
        args.extract_share,
        args.think,
        args.timeout,
        args.seed,
        keepalive=args.keepalive,
    )
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.db"
        if not db.exists():  # a store given with --db is used as it is
            build_store(db, args.articles)
        options = dict(_option(text) for text in args.app_option) if args.app_option else None
        server, base = start_server(db, options=options)
        try:
            before, load_before = cpu_seconds(server.pid), _load_average()
            runs = run_load(base, plan, processes=args.processes)
            after = cpu_seconds(server.pid)
            server_cpu = None if before is None or after is None else after - before
            result = summarise(runs, plan, server_cpu=server_cpu)
            result.update(articles=args.articles, load_before=load_before)
            result["server"] = options or "sitroom serve"
            result["load_after"] = _load_average()
        finally:
            server.terminate()
            server.wait(timeout=30)
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0 if result["bars"]["no_errors"] and result["bars"]["list_p99_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
