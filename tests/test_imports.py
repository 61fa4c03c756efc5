"""Importing sitroom does no work: no data loaded, no database opened (STYLE: nothing at import)."""

from __future__ import annotations

import subprocess
import sys

import sitroom


def test_import_loads_no_gazetteer_and_no_heavy_modules() -> None:
    code = (
        "import sys, sitroom, sitroom.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sitroom', 'dask', "
        "'distributed', 'psycopg'}))\n"
        "from sitroom.extract import gazetteer\n"
        "print(gazetteer._LOADED)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    modules, loaded = result.stdout.splitlines()
    assert loaded == "None", "the gazetteer was loaded at import"
    heavy_modules = (
        "sitroom.store.sqlite",
        "sitroom.store.postgres",
        "sitroom.extract.places",
        "sitroom.engine",
        "sitroom.backfill",
        "dask",
        "distributed",
        "psycopg",
    )
    for heavy in heavy_modules:
        assert heavy not in modules, heavy


def test_public_api_is_sorted_and_complete() -> None:
    assert sitroom.__all__ == sorted(sitroom.__all__)
    for name in sitroom.__all__:
        assert hasattr(sitroom, name), name
    public = {n for n in vars(sitroom) if not n.startswith("_") and n[0].isupper()}
    assert public <= set(sitroom.__all__)


def test_extract_is_the_function_and_the_subpackage_still_imports() -> None:
    from sitroom.extract import places

    assert callable(sitroom.extract) and not isinstance(sitroom.extract, type(places))
    assert sitroom.extract.__module__ == "sitroom"
