"""docs/cli.md is what scripts/cli_reference.py renders from the commands' --help today."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest

from sitroom.cli import main

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "cli_reference.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("cli_reference", module)
    spec.loader.exec_module(module)
    return module


def test_docs_cli_md_is_up_to_date() -> None:
    script = _load_script()
    doc: Path = script.DOC
    assert doc.exists(), f"{doc} is missing; run: python scripts/cli_reference.py"
    assert doc.read_text(encoding="utf-8") == script.render(), (
        f"{doc} is stale: the command line changed. Run `python scripts/cli_reference.py` "
        f"and commit the regenerated page with the change."
    )


def test_reference_has_a_section_and_an_example_for_every_command() -> None:
    text = _load_script().render()
    assert isinstance(main, click.Group)
    for name in main.commands:
        section = text.split(f"## `sitroom {name}`", 1)[1].split("\n## ", 1)[0]
        assert f"Usage: sitroom {name} " in section, name
        assert "Example:" in section, name


def test_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    script = _load_script()
    monkeypatch.setenv("COLUMNS", "40")
    narrow = script.render()
    monkeypatch.setenv("COLUMNS", "200")
    assert script.render() == narrow
