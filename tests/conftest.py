"""Shared fixtures: the contract's JSON Schema and the team's shared folder beside the repo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def contract_schema() -> dict[str, Any]:
    """The JSON Schema of sitroom.extract/v1 kept beside the tests."""
    schema: dict[str, Any] = json.loads(
        (Path(__file__).parent / "contract" / "extract-v1.schema.json").read_text("utf-8")
    )
    return schema


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared`, which CI always lays beside the clone; skipped where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not there; CI lays it beside the clone")
    return SHARED
