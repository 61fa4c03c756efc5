"""The `sitroom` command line: thin wrappers over the library; errors become exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sitroom import export
from sitroom.errors import InputError, SitroomError, StoreError
from sitroom.model import Extraction

__all__ = ["main"]

EXIT_INPUT, EXIT_STORE, EXIT_OTHER = 2, 3, 1
F = TypeVar("F", bound=Callable[..., Any])


def _stderr() -> Console:
    return Console(stderr=True)


@contextmanager
def _errors_to_exit_codes() -> Iterator[None]:
    """Print a sitroom error as one line on stderr and exit with its code."""
    try:
        yield
    except InputError as exc:
        click.echo(f"sitroom: error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except StoreError as exc:
        click.echo(f"sitroom: error: {exc}", err=True)
        sys.exit(EXIT_STORE)
    except SitroomError as exc:
        click.echo(f"sitroom: error: {exc}", err=True)
        sys.exit(EXIT_OTHER)


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a real YYYY-MM-DD date") from None


def _db_option(func: F) -> F:
    return click.option(
        "--db",
        envvar="SITROOM_DB",
        default="sitroom.db",
        show_default=True,
        help="SQLite file (or sqlite:///path, :memory:). Env: SITROOM_DB.",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sitroom")
def main() -> None:
    """Turn conflict and disaster reports into sourced, geolocated, dated facts.

    \b
    Example:
      sitroom ingest examples/ && sitroom figures --measure displaced
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--published",
    callback=_parse_date,
    help="Publication date (YYYY-MM-DD) of a single text input.",
)
@click.option(
    "--input-format",
    type=click.Choice(["text", "jsonl"]),
    help="Format of stdin ('-') or of files whose suffix says nothing.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "jsonl", "table"]),
    default="json",
    show_default=True,
    help="json: one object per article (an array for several); jsonl: one line per article.",
)
@click.option("--skip-bad", is_flag=True, help="Skip malformed JSONL lines and report how many.")
def extract(
    paths: tuple[str, ...],
    published: dt.date | None,
    input_format: str | None,
    output_format: str,
    skip_bad: bool,
) -> None:
    """Extract places, times, figures and events from articles (the v1 contract).

    PATHS are text files (optionally starting with ' date YYYY-MM-DD '), .jsonl files,
    directories of them, or - for stdin.

    \b
    Example:
      sitroom extract --format table examples/aleppo-2020-02-10.txt
    """
    from sitroom.engine import extract_paths
    from sitroom.sources import ReadStats

    stats = ReadStats()
    with _errors_to_exit_codes():
        extractions = extract_paths(
            paths,
            input_format=input_format,  # type: ignore[arg-type]
            published=published,
            skip_bad=skip_bad,
            stats=stats,
        )
        _write_extractions(extractions, output_format)
    if stats.skipped:
        click.echo(f"sitroom: skipped {stats.skipped} bad record(s)", err=True)


def _write_extractions(extractions: Iterator[Extraction], output_format: str) -> None:
    if output_format == "jsonl":
        for extraction in extractions:
            click.echo(json.dumps(extraction.to_dict(), ensure_ascii=False))
        return
    if output_format == "table":
        for extraction in extractions:
            _print_extraction_tables(extraction)
        return
    objects = [e.to_dict() for e in extractions]
    payload: object = objects[0] if len(objects) == 1 else objects
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def _print_extraction_tables(extraction: Extraction) -> None:
    console = Console()
    article = extraction.article
    published = article.published.isoformat() if article.published else "unknown"
    console.rule(f"article {article.id} · published {published}")
    listings = (
        ("places", export.place_rows(extraction.places)),
        ("times", export.time_rows(extraction.times)),
        ("figures", export.figure_rows(extraction.figures)),
        ("events", export.event_rows(extraction.events)),
    )
    for kind, rows in listings:
        columns = [c for c in export.COLUMNS[kind] if c != "article_id"]
        console.print(_table(kind, columns, rows))


def _table(title: str, columns: list[str], rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{title} ({len(rows)})", title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    return table


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option(
    "--published",
    callback=_parse_date,
    help="Publication date (YYYY-MM-DD) of a single text input.",
)
@click.option(
    "--input-format",
    type=click.Choice(["text", "jsonl"]),
    help="Format of stdin ('-') or of files whose suffix says nothing.",
)
@click.option("--skip-bad", is_flag=True, help="Skip malformed JSONL lines and report how many.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Articles per transaction.",
)
def ingest(
    paths: tuple[str, ...],
    db: str,
    published: dt.date | None,
    input_format: str | None,
    skip_bad: bool,
    batch_size: int,
) -> None:
    """Extract articles and keep them with their facts in the store.

    Ingest is idempotent (an article already stored is skipped) and each batch is one
    transaction (a failure leaves the store as it was before that batch).

    \b
    Example:
      sitroom ingest --db conflict.db examples/
    """
    from sitroom.engine import IngestReport
    from sitroom.engine import ingest as run_ingest
    from sitroom.store import open_store

    with _errors_to_exit_codes(), open_store(db) as store, _progress() as progress:
        task = progress.add_task("ingesting", total=None, read=0, added=0)

        def show(report: IngestReport) -> None:
            progress.update(task, read=report.read, added=report.added)

        report = run_ingest(
            paths,
            store=store,
            batch_size=batch_size,
            input_format=input_format,  # type: ignore[arg-type]
            published=published,
            skip_bad=skip_bad,
            progress=show,
        )
        counts = store.counts()
    _stderr().print(
        f"read {report.read} article(s): {report.added} added, {report.present} already stored, "
        f"{report.skipped} bad record(s) skipped"
    )
    summary = Table(title=f"store {db}", title_justify="left")
    for column in ("articles", "places", "times", "figures", "events"):
        summary.add_column(column, justify="right")
    summary.add_row(
        *(str(getattr(counts, c)) for c in ("articles", "places", "times", "figures", "events"))
    )
    Console().print(summary)


@contextmanager
def _progress() -> Iterator[Progress]:
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}: {task.fields[read]} read, {task.fields[added]} added"),
        TimeElapsedColumn(),
        console=_stderr(),
        transient=True,
    )
    with progress:
        yield progress


def _listing_options(func: F) -> F:
    options = [
        _db_option,
        click.option("--place", help="Place id or part of a place name."),
        click.option("--since", callback=_parse_date, help="Only facts on or after this date."),
        click.option("--until", callback=_parse_date, help="Only facts on or before this date."),
        click.option("--limit", type=click.IntRange(min=1), help="At most this many rows."),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["table", "csv", "json"]),
            default="table",
            show_default=True,
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _emit(kind: str, rows: list[dict[str, Any]], output_format: str) -> None:
    columns = list(export.COLUMNS[kind])
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        Console().print(_table(kind, columns, rows))


@main.command()
@_listing_options
def articles(
    db: str,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    output_format: str,
) -> None:
    """List stored articles.

    \b
    Example:
      sitroom articles --since 2019-12-01 --format csv
    """
    from sitroom.store import open_store

    with _errors_to_exit_codes(), open_store(db) as store:
        rows = export.article_rows(
            store.articles(place=place, since=since, until=until, limit=limit)
        )
    _emit("articles", rows, output_format)


@main.command()
@_listing_options
def places(
    db: str,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    output_format: str,
) -> None:
    """List stored place mentions with their resolved places.

    \b
    Example:
      sitroom places --place Idlib
    """
    from sitroom.store import open_store

    with _errors_to_exit_codes(), open_store(db) as store:
        rows = export.place_rows(store.places(place=place, since=since, until=until, limit=limit))
    _emit("places", rows, output_format)


@main.command()
@_listing_options
@click.option("--measure", help="Only figures of this measure (killed, displaced, ...).")
def figures(
    db: str,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    output_format: str,
    measure: str | None,
) -> None:
    """List stored figures: value, qualifier, unit, measure, place, period, source.

    \b
    Example:
      sitroom figures --measure displaced --format json
    """
    from sitroom.store import open_store

    with _errors_to_exit_codes(), open_store(db) as store:
        found = store.figures(measure=measure, place=place, since=since, until=until, limit=limit)
    _emit("figures", export.figure_rows(found), output_format)


@main.command()
@_listing_options
@click.option("--type", "event_type", help="Only events of this ACLED type or sub-type.")
def events(
    db: str,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    output_format: str,
    event_type: str | None,
) -> None:
    """List stored events with their ACLED type, date, place, actors and fatalities.

    \b
    Example:
      sitroom events --type "Air/drone strike" --since 2019-12-01
    """
    from sitroom.store import open_store

    with _errors_to_exit_codes(), open_store(db) as store:
        found = store.events(type=event_type, place=place, since=since, until=until, limit=limit)
    _emit("events", export.event_rows(found), output_format)
