"""`sitroom serve`: its options and defaults, and refusing to create a store."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitroom.web.command import serve, store_exists


def test_help_shows_a_runnable_example_and_loopback_default() -> None:
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    assert "sitroom serve --port 8000" in result.output
    assert "127.0.0.1" in result.output and "SITROOM_TOKEN" in result.output


def test_a_missing_store_is_refused_not_created(tmp_path: Path) -> None:
    db = tmp_path / "nothing.db"
    result = CliRunner().invoke(serve, ["--db", str(db)])
    assert result.exit_code == 3
    assert "sitroom: error:" in result.output and "no store there" in result.output
    assert not db.exists()


def test_store_exists_reads_paths_and_sqlite_urls(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(b"")
    assert store_exists(str(db)) and store_exists(f"sqlite:///{db}")
    assert not store_exists(str(tmp_path / "no.db"))
    assert store_exists(":memory:")
