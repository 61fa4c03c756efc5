"""`open_store`: choosing the backend by URL, the default location, and clear open errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitroom.errors import StoreError
from sitroom.store import DEFAULT_PATH, default_store_url, open_store, redact_url


@pytest.mark.parametrize("form", ["path", "pathlike", "url"])
def test_sqlite_file_by_path_or_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    monkeypatch.chdir(tmp_path)
    targets: dict[str, str | Path] = {
        "path": "s.db",
        "pathlike": Path("s.db"),
        "url": "sqlite:///s.db",
    }
    target = targets[form]
    with open_store(target) as store:
        assert store.counts().articles == 0
    assert (tmp_path / "s.db").exists()


def test_absolute_sqlite_url(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/abs.db"):
        pass
    assert (tmp_path / "abs.db").exists()


@pytest.mark.parametrize("url", [":memory:", "sqlite:///:memory:"])
def test_memory_store(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store(url) as store:
        assert store.counts().events == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgresql_urls_open_the_postgresql_store(scheme: str, postgres_url: str) -> None:
    with open_store(postgres_url.replace("postgresql://", f"{scheme}://", 1)) as store:
        assert type(store).__name__ == "PostgresStore"
        assert store.counts().articles == 0


def test_the_environment_can_name_a_postgresql_store(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITROOM_DB", postgres_url)
    with open_store() as store:
        assert type(store).__name__ == "PostgresStore"


def test_unknown_scheme() -> None:
    with pytest.raises(StoreError, match="unknown store scheme 'mysql'"):
        open_store("mysql://localhost/x")


def test_default_store_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITROOM_DB", raising=False)
    assert default_store_url() == DEFAULT_PATH == "sitroom.db"
    monkeypatch.setenv("SITROOM_DB", "/data/conflict.db")
    assert default_store_url() == "/data/conflict.db"


def test_open_store_without_a_url_uses_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITROOM_DB", str(tmp_path / "env.db"))
    open_store().close()
    assert (tmp_path / "env.db").exists()


def test_not_a_database_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match=r"notes\.db: not a SQLite database.*--db"):
        open_store(path)


def test_missing_directory_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir" / "s.db"
    with pytest.raises(StoreError, match=r"s\.db: cannot open the store.*writable"):
        open_store(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only directories")
def test_unwritable_directory_names_the_path(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(StoreError, match=r"s\.db: cannot open the store"):
            open_store(tmp_path / "s.db")
    finally:
        tmp_path.chmod(0o700)


def test_importing_opens_nothing(tmp_path: Path) -> None:
    code = "import sitroom.store, sitroom.store.sqlite, sitroom.sources, sitroom.engine"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://analyst:s3cret@db.example/conflict", "postgresql://analyst:***@db.example/conflict"),
        ("postgresql://analyst@db.example/conflict", "postgresql://analyst@db.example/conflict"),
        ("postgres://db.example/c?password=s3cret&sslmode=require", "postgres://db.example/c?password=***&sslmode=require"),
        ("sqlite:///data/s.db", "sqlite:///data/s.db"),
    ],
)  # fmt: skip
def test_redact_url_masks_passwords_only(url: str, shown: str) -> None:
    assert redact_url(url) == shown
