"""Finished JSON answers of the read API, kept by what was asked while the store is unchanged."""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:
    from sitroom.web.memo import ViewMemo

__all__ = [
    "ANSWER_CACHE_BYTES",
    "Answer",
    "AnswerCache",
    "Flights",
    "KeptAnswers",
    "answer_key",
    "encode",
    "if_none_match",
]

T = TypeVar("T")

#: Bytes of answers kept: some hundreds of list pages, a few MB of a server's memory.
ANSWER_CACHE_BYTES = 32 * 1024 * 1024
#: An answer larger than this share of the cache is sent but not kept.
_LARGEST_SHARE = 16


@dataclass(frozen=True, slots=True)
class Answer:
    """A JSON body and its content ETag."""

    body: bytes
    etag: str


def answer_key(scope: Scope) -> tuple[str, str]:
    """What an answer is kept by: the request's path and query string, as sent."""
    return scope["path"], scope["query_string"].decode("latin-1")


def encode(payload: Any) -> Answer:
    """The payload as compact UTF-8 JSON, with an ETag naming its content."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return Answer(body, '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"')


class AnswerCache:
    """The latest answers up to `max_bytes` in all, each valid for the store generation it was
    computed from (`ViewMemo.generation`): a request asked again while nothing was written is
    answered without SQL, shaping or encoding. Safe to share between threads."""

    def __init__(self, *, max_bytes: int = ANSWER_CACHE_BYTES) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, tuple[int, Answer]] = OrderedDict()

    def get(self, generation: int, key: Hashable) -> Answer | None:
        """The answer kept for `key` if it was computed from this generation of the store."""
        with self._lock:
            kept = self._answers.get(key)
            if kept is None:
                return None
            if kept[0] != generation:
                self._remove(key)
                return None
            self._answers.move_to_end(key)
            return kept[1]

    def put(self, generation: int, key: Hashable, answer: Answer) -> Answer:
        """Keep `answer` for `key` (unless it is too large to) and return it."""
        size = len(answer.body)
        if self._max_bytes <= 0 or size * _LARGEST_SHARE > self._max_bytes:
            return answer
        with self._lock:
            if key in self._answers:
                self._remove(key)
            self._answers[key] = (generation, answer)
            self._bytes += size
            while self._bytes > self._max_bytes:
                self._remove(next(iter(self._answers)))
        return answer

    def _remove(self, key: Hashable) -> None:
        _, answer = self._answers.pop(key)
        self._bytes -= len(answer.body)


class Flights:
    """Work asked for again while it runs is awaited, not started again: a hundred clients
    asking for one new page at once cost one query. Used on the event loop's thread only."""

    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Future[Any]] = {}

    async def join(self, key: Hashable, start: Callable[[], Awaitable[T]]) -> T:
        """The result of the work running for `key`, or of `start()`'s, begun now."""
        running = self._running.get(key)
        if running is None:
            running = self._running[key] = asyncio.ensure_future(start())
            running.add_done_callback(lambda _: self._running.pop(key, None))
        # Shielded: a client that goes away does not cancel the work the others wait for.
        result: T = await asyncio.shield(running)
        return result


class KeptAnswers:
    """Answers a GET whose answer is kept, and fresh, before routing: no parameter parsing, no
    thread. Anything else goes on to the app, which computes, keeps and sends the answer."""

    def __init__(self, app: ASGIApp, *, memo: ViewMemo, answers: AnswerCache) -> None:
        self.app = app
        self.memo = memo
        self.answers = answers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = self._kept(scope)
        if answer is None:
            await self.app(scope, receive, send)
            return
        headers = [(b"etag", answer.etag.encode()), (b"cache-control", b"no-cache")]
        if answer.etag in if_none_match(Headers(scope=scope)):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers += [
            (b"content-length", str(len(answer.body)).encode()),
            (b"content-type", b"application/json"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})

    def _kept(self, scope: Scope) -> Answer | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        generation = self.memo.recent_generation()
        return None if generation is None else self.answers.get(generation, answer_key(scope))


def if_none_match(headers: Headers) -> set[str]:
    """The entity tags of an If-None-Match header, weak ones as strong."""
    header = headers.get("if-none-match", "")
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
