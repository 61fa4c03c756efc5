"""Kept answers: one per question and store generation, within a byte budget."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sitroom.web.answers import AnswerCache, Flights, encode


def test_an_answer_is_compact_json_named_by_its_content() -> None:
    answer = encode({"items": ["Kharkiv", "Ħoms"], "total": 2})
    assert json.loads(answer.body) == {"items": ["Kharkiv", "Ħoms"], "total": 2}
    assert b" " not in answer.body and "Ħoms".encode() in answer.body
    assert answer.etag == encode({"items": ["Kharkiv", "Ħoms"], "total": 2}).etag
    assert answer.etag != encode({"items": [], "total": 0}).etag
    assert answer.etag.startswith('"') and answer.etag.endswith('"')


def test_an_answer_is_kept_for_the_generation_it_was_computed_from() -> None:
    cache = AnswerCache()
    answer = cache.put(1, "/api/articles?limit=5", encode([1, 2]))
    assert cache.get(1, "/api/articles?limit=5") == answer
    assert cache.get(1, "/api/articles?limit=6") is None
    assert cache.get(2, "/api/articles?limit=5") is None, "the store has changed since"
    assert cache.get(1, "/api/articles?limit=5") is None, "and a stale answer is dropped"


def test_the_oldest_answers_go_first_past_the_byte_budget() -> None:
    cache = AnswerCache(max_bytes=1600)
    for key in ("a", "b", "c", "a", "d"):  # each about 100 bytes: 16 fit
        cache.put(0, key, encode("x" * 98))
    for key in range(20):
        cache.put(0, key, encode("y" * 98))
    assert cache.get(0, "a") is None and cache.get(0, 19) is not None
    assert sum(cache.get(0, key) is not None for key in range(20)) == 16


def test_an_answer_too_large_for_the_budget_is_sent_but_not_kept() -> None:
    cache = AnswerCache(max_bytes=1600)
    large = encode("z" * 500)
    assert cache.put(0, "large", large) is large
    assert cache.get(0, "large") is None


def test_no_budget_keeps_nothing() -> None:
    cache = AnswerCache(max_bytes=0)
    cache.put(0, "a", encode([]))
    assert cache.get(0, "a") is None


def test_work_asked_for_while_it_runs_is_awaited_not_begun_again(run: Any) -> None:
    flights = Flights()
    begun: list[str] = []

    async def work(key: str) -> str:
        begun.append(key)
        await asyncio.sleep(0.05)
        return key.upper()

    async def ask() -> list[str]:
        asked = [flights.join(key, lambda key=key: work(key)) for key in ("a", "a", "b", "a")]
        return list(await asyncio.gather(*asked))

    assert run(ask()) == ["A", "A", "B", "A"]
    assert begun == ["a", "b"]
    assert run(ask()) == ["A", "A", "B", "A"]
    assert begun == ["a", "b", "a", "b"], "finished work is begun again when asked again"


def test_work_that_fails_fails_for_everyone_waiting(run: Any) -> None:
    flights = Flights()

    async def fail() -> str:
        await asyncio.sleep(0.01)
        raise ValueError("no store")

    async def ask() -> list[object]:
        return list(
            await asyncio.gather(
                flights.join("a", fail), flights.join("a", fail), return_exceptions=True
            )
        )

    assert [type(result) for result in run(ask())] == [ValueError, ValueError]
