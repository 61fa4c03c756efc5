"""The extraction pool of `POST /api/extract`: the contract's JSON, on a thread or a process."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pytest

import sitroom
from sitroom.errors import InputError
from sitroom.web.extraction import ExtractJob, ExtractorDied, ExtractPool, PoolBusy, extract_json

TEXT = "Shelling killed 3 people in Kharkiv on Monday. About 2,000 people fled Izium."
JOB = ExtractJob(TEXT, dt.date(2022, 5, 3), id="k1", title="Kharkiv")


def _expected() -> object:
    found = sitroom.extract(TEXT, published=dt.date(2022, 5, 3), id="k1", title="Kharkiv")
    return found.to_dict()


def _extract(run: Any, pool: ExtractPool, job: ExtractJob) -> bytes:
    try:
        result: bytes = run(pool.extract(job))
        return result
    finally:
        pool.close()


def test_the_json_is_the_contract_of_sitroom_extract() -> None:
    assert json.loads(extract_json(JOB)) == _expected()


def test_a_thread_pool_extracts(run: Any) -> None:
    assert json.loads(_extract(run, ExtractPool(), JOB)) == _expected()


def test_a_process_pool_extracts_and_its_errors_come_back(run: Any) -> None:
    pool = ExtractPool(processes=1)
    pool.start()
    try:
        assert json.loads(run(pool.extract(JOB))) == _expected()
        with pytest.raises(InputError):
            run(pool.extract(ExtractJob("   \n ")))
    finally:
        pool.close()
        pool.close()  # twice is harmless


def test_a_full_pool_refuses_at_once(run: Any) -> None:
    with pytest.raises(PoolBusy, match="try again"):
        _extract(run, ExtractPool(max_waiting=0), JOB)


def test_a_killed_worker_is_replaced_and_the_extraction_done(run: Any) -> None:
    pool = ExtractPool(processes=1)
    try:
        assert json.loads(run(pool.extract(JOB))) == _expected()
        executor = pool._pool()
        for pid in list(getattr(executor, "_processes", {})):
            os.kill(pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        assert json.loads(run(pool.extract(JOB))) == _expected()
        assert pool._pool() is not executor
        assert json.loads(run(pool.extract(JOB))) == _expected()
    finally:
        pool.close()


class _AlwaysBroken(ThreadPoolExecutor):
    """A pool whose every worker dies at once, as on a text that crashes the extractor."""

    made = 0

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        _AlwaysBroken.made += 1

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future


def test_a_worker_dying_twice_is_a_clear_error(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = ExtractPool(processes=1)
    monkeypatch.setattr(pool, "_make", _AlwaysBroken)
    _AlwaysBroken.made = 0
    with pytest.raises(ExtractorDied, match="stopped twice"):
        _extract(run, pool, JOB)
    assert _AlwaysBroken.made == 2  # the broken pool was made anew once, not reused
