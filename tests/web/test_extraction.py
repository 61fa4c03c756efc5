"""The extraction pool of `POST /api/extract`: the contract's JSON, on a thread or a process."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import sitroom
from sitroom.errors import InputError
from sitroom.web.extraction import ExtractJob, ExtractPool, PoolBusy, extract_json

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
