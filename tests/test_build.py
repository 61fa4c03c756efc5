"""The mypyc-compiled build (setup.py, `make test-compiled`): compiled, and the same output.

These run only when SITROOM_COMPILED=1 says the sitroom on the path is the compiled one; the
ordinary suite runs the pure package, which is what an editable install holds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import sitroom

ROOT = Path(__file__).resolve().parents[1]
COMPILED = os.environ.get("SITROOM_COMPILED") == "1"

pytestmark = pytest.mark.skipif(not COMPILED, reason="the compiled build: make test-compiled")


def _extract_modules() -> list[str]:
    """The names of the modules under sitroom/extract that setup.py compiles."""
    folder = Path(sitroom.__file__).parent / "extract"
    return sorted(p.stem for p in folder.glob("*.py") if p.name != "__init__.py")


def test_every_extractor_module_is_loaded_compiled() -> None:
    # A build that silently fell back to pure Python would pass every other test.
    modules = _extract_modules()
    assert len(modules) > 20
    for name in modules:
        __import__(f"sitroom.extract.{name}")
        path = sys.modules[f"sitroom.extract.{name}"].__file__ or ""
        assert path.endswith(tuple(EXTENSION_SUFFIXES)), path


def _extract_json(inputs: list[Path], pythonpath: Path, out: Path) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    command = [sys.executable, "-m", "sitroom", "extract", "--format", "json", *map(str, inputs)]
    with out.open("wb") as handle:
        subprocess.run(command, stdout=handle, env=env, check=True, cwd=ROOT)
    return out.read_bytes()


def test_compiled_output_is_byte_for_byte_the_pure_output(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    generate = [sys.executable, str(ROOT / "benchmarks" / "corpus.py"), "--articles", "300"]
    subprocess.run([*generate, "--out", str(corpus)], check=True)
    inputs = [corpus, ROOT / "examples"]
    compiled_root = Path(sitroom.__file__).parents[1]
    compiled = _extract_json(inputs, compiled_root, tmp_path / "compiled.json")
    pure = _extract_json(inputs, ROOT / "src", tmp_path / "pure.json")
    assert compiled_root != ROOT / "src"
    assert len(compiled) > 1_000_000
    assert compiled == pure
