"""The cores this process may use."""

from __future__ import annotations

import os

import pytest

from sitroom import cores


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity here")
def test_counts_the_cores_of_the_process_affinity() -> None:
    assert cores.usable_cores() == len(os.sched_getaffinity(0))


def test_without_affinity_counts_the_machine_s_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert cores.usable_cores() == 6


def test_an_unknown_core_count_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert cores.usable_cores() == 1
