"""The `sitroom` command line: thin wrappers over the library; errors become exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import itertools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import orjson
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from sitroom import export
from sitroom.errors import InputError, InvalidDateError, SitroomError, StoreError
from sitroom.model import MEASURES, Event, Extraction, Figure
from sitroom.store import DEFAULT_PATH, ENV_VAR, Store, redact_url
from sitroom.watch import watch
from sitroom.web.command import serve

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from sitroom.engine import ExtractBatches
    from sitroom.evaluate import Evaluation
    from sitroom.record.incidents import Incident
    from sitroom.store import BBox

__all__ = ["main"]

EXIT_INPUT, EXIT_STORE, EXIT_OTHER = 2, 3, 1
F = TypeVar("F", bound=Callable[..., Any])
#: Widest table printed unfolded into a file or pipe; wider ones fold to fit.
_WIDEST = 400


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
    except OSError as exc:
        if exc.errno not in _FULL_OUTPUT:
            raise
        # Reading never fails this way (unreadable inputs are InputErrors): the output did.
        _drop_unwritten_output()
        click.echo(f"sitroom: error: cannot write the output: {exc.strerror}", err=True)
        sys.exit(EXIT_OTHER)


#: Errors only writing gives: the disk is full, the quota used up, the file too large.
_FULL_OUTPUT = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _drop_unwritten_output() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit does not fail a second time
    with a traceback over the clear message."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from sitroom.sources import parse_published

    try:
        # click names the option in its own message.
        return parse_published(value, where=None)
    except InvalidDateError as exc:
        raise click.BadParameter(str(exc)) from None


class _EventTypeChoice(click.Choice[str]):
    """ACLED event types and sub-types in any case, loaded on first use (keeps import cheap)."""

    def __init__(self) -> None:
        super().__init__((), case_sensitive=False)

    def _load(self) -> None:
        if not self.choices:
            from sitroom.extract.events import EVENT_TYPES

            names = [name for kind, subs in EVENT_TYPES.items() for name in (kind, *subs)]
            self.choices = tuple(dict.fromkeys(names))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The canonical spelling of the type or sub-type `value` names."""
        self._load()
        return super().convert(value, param, ctx)

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        """Name the bad value and list the types in their usual spelling."""
        return f"{value!r} is not an event type or sub-type; use one of: {', '.join(self.choices)}"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem[Any]]:
        """Complete type and sub-type names."""
        self._load()
        return super().shell_complete(ctx, param, incomplete)


def _db_option(func: F) -> F:
    return click.option(
        "--db",
        envvar=ENV_VAR,
        metavar="PATH",
        default=DEFAULT_PATH,
        show_default=True,
        help=f"SQLite file (or sqlite:///path, :memory:) or postgresql:// URL. Env: {ENV_VAR}.",
    )(func)


#: `sitroom evaluate` benchmarks; kept here so `--help` needs no import of the scorers' module.
#: The last two run on sets shipped with sitroom and need no shared folder.
_BENCHMARK_NAMES = (
    "geoparsing", "tempeval", "idmc", "acled", "acled-fatalities", "case2021", "incidents",
    "duplicates",
)  # fmt: skip


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sitroom")
@click.option("-v", "--verbose", is_flag=True, help="Log progress and skipped records to stderr.")
def main(verbose: bool) -> None:
    """Turn conflict and disaster reports into sourced, geolocated, dated facts.

    \b
    Example:
      sitroom ingest examples/ && sitroom figures --measure displaced
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="sitroom: %(levelname)s: %(message)s",
    )
    if not verbose:
        # The HTML extractor's helpers warn about every thin page; our own messages suffice.
        for name in ("trafilatura", "htmldate", "courlan"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--published",
    callback=_parse_date,
    metavar="YYYY-MM-DD",
    help="Publication date (YYYY-MM-DD) of a single text input.",
)
@click.option(
    "--input-format",
    type=click.Choice(["text", "jsonl", "feed", "html"]),
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
    RSS/Atom feeds, HTML pages, http(s) URLs of feeds or pages, directories of them, or -
    for stdin.

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
    _write_json(e.to_dict() for e in extractions)


def _write_json(objects: Iterator[dict[str, Any]]) -> None:
    """One object as itself, several as an array, each written as soon as it is extracted:
    a long input costs no memory for its output and shows its first article at once.

    orjson's two-space indent is byte for byte `json.dumps(..., indent=2)`'s and ten times
    faster: the standard library indents in pure Python, which took a quarter of the
    command's time on 3,000 articles. An input that fails part way still closes the array,
    so what was written before the error stays valid JSON.
    """
    first = next(objects, None)
    if first is None:
        click.echo("[]")
        return
    try:
        second = next(objects, None)
    except BaseException:
        click.echo(_indented(first))  # the article read before the input failed
        raise
    if second is None:
        click.echo(_indented(first))
        return
    click.echo("[\n  " + _indented(first, depth=1), nl=False)
    try:
        for payload in itertools.chain((second,), objects):
            click.echo(",\n  " + _indented(payload, depth=1), nl=False)
    finally:
        click.echo("\n]")


def _indented(payload: dict[str, Any], *, depth: int = 0) -> str:
    """The object in two-space indented JSON, nested `depth` levels into an array."""
    text = orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode()
    # Newlines inside strings are escaped in JSON, so every raw one is the layout's own.
    return text.replace("\n", "\n" + "  " * depth) if depth else text


def _print_extraction_tables(extraction: Extraction) -> None:
    article = extraction.article
    published = article.published.isoformat() if article.published else "unknown"
    Console().rule(Text(f"article {article.id} · published {published}"))
    names = export.place_names(extraction.places)
    listings = (
        ("places", export.place_rows(extraction.places)),
        ("times", export.time_rows(extraction.times)),
        ("figures", export.figure_rows(extraction.figures, names)),
        ("events", export.event_rows(extraction.events, names)),
    )
    for kind, rows in listings:
        columns = [c for c in export.TABLE_COLUMNS[kind] if c != "article_id"]
        _print_table(_table(kind, columns, rows))


def _print_table(table: Table) -> None:
    """Print on stdout: folded to fit a terminal, at full width into a file or a pipe."""
    console = Console()
    if not console.is_terminal:
        # Rich assumes 80 columns off a terminal, which folds every cell of a wide listing.
        natural = console.measure(table, options=console.options.update_width(_WIDEST))
        console = Console(width=max(console.width, natural.maximum))
    console.print(table)


def _table(title: str, columns: list[str], rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{title} ({len(rows)})", title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Text, not str: a title like "[/b] Aleppo" is data, not rich markup.
        table.add_row(*(Text("" if row[c] is None else str(row[c])) for c in columns))
    return table


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option(
    "--published",
    callback=_parse_date,
    metavar="YYYY-MM-DD",
    help="Publication date (YYYY-MM-DD) of a single text input.",
)
@click.option(
    "--input-format",
    type=click.Choice(["text", "jsonl", "feed", "html"]),
    help="Format of stdin ('-') or of files whose suffix says nothing.",
)
@click.option("--skip-bad", is_flag=True, help="Skip malformed JSONL lines and report how many.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=1000,  # engine.DEFAULT_BATCH_SIZE, written out: importing the engine is slow
    show_default=True,
    help="Articles per transaction.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Extract in this process, or in parallel Dask workers (needs sitroom[dask]).",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="Dask scheduler to extract on (--engine dask); a local cluster when not given.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes of the local Dask cluster.  [default: one per core]",
)
def ingest(
    paths: tuple[str, ...],
    db: str,
    published: dt.date | None,
    input_format: str | None,
    skip_bad: bool,
    batch_size: int,
    engine: str,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """Extract articles and keep them with their facts in the store.

    Ingest is idempotent (an article already stored is skipped) and each batch is one
    transaction (a failure leaves the store as it was before that batch). With --engine dask,
    this process reads the input and Dask workers extract batches in parallel; the batches are
    stored in input order, one after another, by the workers where they reach the store (a
    local cluster; a PostgreSQL server at a network address), else by this process. Either
    way the store comes out the same as with the local engine.

    \b
    Example:
      sitroom ingest --db conflict.db examples/
      sitroom ingest --engine dask --workers 4 --db conflict.db archive.jsonl
    """
    from sitroom.engine import IngestReport
    from sitroom.engine import ingest as run_ingest
    from sitroom.store import open_store

    if engine == "local" and (scheduler is not None or workers is not None):
        raise click.UsageError("--scheduler and --workers need --engine dask")
    if scheduler is not None and workers is not None:
        raise click.UsageError("--workers sizes a local cluster; a --scheduler has its own")
    stored = IngestReport()
    with (
        _errors_to_exit_codes(),
        open_store(db) as store,
        ExitStack() as cleanup,
        _progress() as progress,
    ):
        extract_batches = _ingest_engine(
            engine, scheduler=scheduler, workers=workers, cleanup=cleanup
        )
        task = progress.add_task("ingesting", total=None, read=0, added=0)

        def show(report: IngestReport) -> None:
            nonlocal stored
            stored = report
            progress.update(task, read=report.read, added=report.added)

        try:
            report = run_ingest(
                paths,
                store=store,
                batch_size=batch_size,
                input_format=input_format,  # type: ignore[arg-type]
                published=published,
                skip_bad=skip_bad,
                progress=show,
                engine=extract_batches,
            )
        except SitroomError:
            # Committed batches stay: say so, so that nobody deletes the store to start over.
            click.echo(
                f"sitroom: {stored.added} article(s) added before the error stay in "
                f"{redact_url(db)}; fix the input and run the same ingest again to add the rest",
                err=True,
            )
            raise
        counts = store.counts()
    _stderr().print(
        f"read {report.read} article(s): {report.added} added ({report.duplicates} copying a "
        f"stored one), {report.present} already stored, {report.skipped} bad record(s) "
        f"skipped; {report.incidents} new incident(s)"
    )
    summary = Table(title=Text(f"store {db}"), title_justify="left")
    columns = ("articles", "duplicates", "places", "times", "figures", "events", "incidents")
    for column in columns:
        summary.add_column(column, justify="right")
    summary.add_row(*(str(getattr(counts, c)) for c in columns))
    _print_table(summary)


def _ingest_engine(
    engine: str, *, scheduler: str | None, workers: int | None, cleanup: ExitStack
) -> ExtractBatches | None:
    """The Dask engine when asked for (its cluster closed by `cleanup`); None for local."""
    if engine == "local":
        return None
    # Imported here: dask is optional, and slow to import.
    from sitroom.backfill import dask_engine, require_dask

    require_dask()
    if not logging.getLogger().isEnabledFor(logging.INFO):
        # Importing distributed sets its loggers to INFO, which logs the cluster's every step.
        logging.getLogger("distributed").setLevel(logging.WARNING)
    return dask_engine(scheduler=scheduler, workers=workers, cleanup=cleanup)


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
        click.option(
            "--since",
            callback=_parse_date,
            metavar="YYYY-MM-DD",
            help="Only facts on or after this date.",
        ),
        click.option(
            "--until",
            callback=_parse_date,
            metavar="YYYY-MM-DD",
            help="Only facts on or before this date.",
        ),
        click.option("--limit", type=click.IntRange(min=1), help="At most this many rows."),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["table", "csv", "json"]),
            default="table",
            show_default=True,
            help="table for reading; csv and json (an array of rows) for other tools.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _open_existing(db: str) -> Store:
    """The store at `db` for reading; StoreError rather than a new empty file when it is absent."""
    from sitroom.store import open_store

    scheme, sep, rest = db.partition("://")
    path = rest.removeprefix("/") if sep and scheme == "sqlite" else None if sep else db
    if path and path != ":memory:" and not Path(path).exists():
        raise StoreError(
            f"{db}: no store there; run `sitroom ingest --db {db} FILES` first, "
            f"or point --db or SITROOM_DB at an existing store"
        )
    return open_store(db)


def _names_of_places(store: Store, facts: list[Figure] | list[Event]) -> dict[str, str]:
    """Names of the places these facts point to, from their articles' place mentions."""
    names: dict[str, str] = {}
    for article_id in dict.fromkeys(f.article_id for f in facts):
        names.update(export.place_names(store.places(article_id=article_id)))
    return names


def _emit(kind: str, rows: list[dict[str, Any]], output_format: str) -> None:
    columns = list(export.COLUMNS[kind])
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        _print_table(_table(kind, list(export.TABLE_COLUMNS[kind]), rows))


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
    with _errors_to_exit_codes(), _open_existing(db) as store:
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
    with _errors_to_exit_codes(), _open_existing(db) as store:
        rows = export.place_rows(store.places(place=place, since=since, until=until, limit=limit))
    _emit("places", rows, output_format)


@main.command()
@_listing_options
@click.option(
    "--measure",
    type=click.Choice(MEASURES),
    metavar="MEASURE",
    help=f"Only figures of this measure: {', '.join(MEASURES)}.",
)
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
    with _errors_to_exit_codes(), _open_existing(db) as store:
        found = store.figures(measure=measure, place=place, since=since, until=until, limit=limit)
        names = _names_of_places(store, found)
    _emit("figures", export.figure_rows(found, names), output_format)


@main.command()
@_listing_options
@click.option(
    "--type",
    "event_type",
    type=_EventTypeChoice(),
    metavar="TYPE",
    help="Only events of this ACLED type or sub-type, any case (Battles, Air/drone strike...).",
)
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
    with _errors_to_exit_codes(), _open_existing(db) as store:
        found = store.events(type=event_type, place=place, since=since, until=until, limit=limit)
        names = _names_of_places(store, found)
    _emit("events", export.event_rows(found, names), output_format)


def _parse_bbox(ctx: click.Context, param: click.Parameter, value: str | None) -> BBox | None:
    if value is None:
        return None
    from sitroom.store import BBox

    try:
        west, south, east, north = (float(part) for part in value.split(","))
        return BBox(west, south, east, north)
    except ValueError as exc:
        detail = str(exc) if "invalid box" in str(exc) else "need four numbers"
        raise click.BadParameter(
            f"{value!r}: {detail}; give WEST,SOUTH,EAST,NORTH in degrees, e.g. 35,35,38,37"
        ) from None


def _incident_filters(func: F) -> F:
    options = [
        click.option(
            "--type",
            "event_type",
            type=_EventTypeChoice(),
            metavar="TYPE",
            help="Only incidents of this ACLED type or sub-type, any case.",
        ),
        click.option(
            "--bbox",
            callback=_parse_bbox,
            metavar="W,S,E,N",
            help="Only incidents whose point lies in this box (country-level ones have none).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command()
@_listing_options
@_incident_filters
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many rows.")
def incidents(
    db: str,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    output_format: str,
    event_type: str | None,
    bbox: BBox | None,
    offset: int,
) -> None:
    """List incidents: events of many reports merged, with their reports and sources.

    --place also takes in the towns of a named province or country.

    \b
    Example:
      sitroom incidents --place Idlib --since 2019-12-01 --format json
    """
    with _errors_to_exit_codes(), _open_existing(db) as store:
        found = store.incidents(
            place=place,
            since=since,
            until=until,
            type=event_type,
            bbox=bbox,
            limit=limit,
            offset=offset,
        )
    _emit("incidents", export.incident_rows(found), output_format)


def _output_option(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Write here instead of to standard output.",
    )(func)


def _write_output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@main.command()
@_db_option
@click.option("--place", help="Place id or name; a province or country takes in its towns.")
@click.option("--since", callback=_parse_date, metavar="YYYY-MM-DD", help="Period start.")
@click.option("--until", callback=_parse_date, metavar="YYYY-MM-DD", help="Period end.")
@click.option(
    "--changed-since",
    callback=_parse_date,
    metavar="YYYY-MM-DD",
    help="Day 'what changed' compares with. Default: a week before the newest report.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "html"]),
    default="md",
    show_default=True,
    help="Markdown, or one self-contained HTML page.",
)
@_output_option
def report(
    db: str,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    changed_since: dt.date | None,
    output_format: str,
    output: Path | None,
) -> None:
    """Write a situation report: key figures, incidents, places, changes; every line cited.

    \b
    Example:
      sitroom report --place Idlib --since 2019-12-01 --format html -o idlib.html
    """
    from sitroom.report import render_html, render_markdown, situation

    with _errors_to_exit_codes(), _open_existing(db) as store:
        view = situation(store, place=place, since=since, until=until, changed_since=changed_since)
    render = render_html if output_format == "html" else render_markdown
    _write_output(render(view), output)


@main.command("export")
@_db_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["acled-csv", "geojson", "jsonl"]),
    required=True,
    help="acled-csv: ACLED's columns; geojson: a FeatureCollection; jsonl: one incident a line.",
)
@click.option("--place", help="Place id or name; a province or country takes in its towns.")
@click.option("--since", callback=_parse_date, metavar="YYYY-MM-DD", help="Only from this day.")
@click.option("--until", callback=_parse_date, metavar="YYYY-MM-DD", help="Only to this day.")
@_incident_filters
@_output_option
def export_incidents(
    db: str,
    output_format: str,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    event_type: str | None,
    bbox: BBox | None,
    output: Path | None,
) -> None:
    """Export incidents as ACLED-style CSV, GeoJSON or JSON Lines.

    A country-level incident gets empty coordinates in CSV and null geometry in GeoJSON.

    \b
    Example:
      sitroom export --format acled-csv --since 2019-12-01 -o incidents.csv
    """
    with _errors_to_exit_codes(), _open_existing(db) as store:
        found = store.incidents(place=place, since=since, until=until, type=event_type, bbox=bbox)
    _write_output(_export_text(found, output_format), output)


def _export_text(found: list[Incident], output_format: str) -> str:
    if output_format == "geojson":
        return json.dumps(export.incidents_geojson(found), ensure_ascii=False, indent=1) + "\n"
    if output_format == "jsonl":
        lines = (json.dumps(export.incident_json(i), ensure_ascii=False) for i in found)
        return "".join(line + "\n" for line in lines)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=export.ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export.acled_rows(found))
    return buffer.getvalue()


@main.command()
@click.argument("benchmark", type=click.Choice(["all", *_BENCHMARK_NAMES]))
@click.option(
    "--sample", type=click.IntRange(min=1), help="Fixed-seed sample of N docs per corpus."
)
@click.option("--seed", type=int, default=13, show_default=True, help="Seed of the sample.")
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SITROOM_SHARED",
    help="The team's shared folder (eval/ and data/). Default: found beside the repository.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every metric here.",
)
def evaluate(
    benchmark: str, sample: int | None, seed: int, shared: Path | None, json_path: Path | None
) -> None:
    """Score sitroom on a public gold set with the team's reference scorers.

    Prints the headline numbers beside the baseline's (full sets) and the best published.
    `incidents` and `duplicates` score same-incident merging and duplicate links (pairwise
    precision, recall, F1) on sets written for sitroom; incidents also shows each threshold
    moved from its default.

    \b
    Example:
      sitroom evaluate tempeval --sample 100
    """
    from sitroom.evaluate import run_benchmark

    names = list(_BENCHMARK_NAMES) if benchmark == "all" else [benchmark]
    everything = {}
    with _errors_to_exit_codes():
        for name in names:
            result = run_benchmark(name, shared=shared, sample=sample, seed=seed)
            _print_evaluation(result, sample)
            everything[name] = {
                "docs": result.docs,
                "sample": sample,
                "seed": seed,
                "metrics": result.metrics,
            }
    if json_path is not None:
        json_path.write_text(json.dumps(everything, indent=1, ensure_ascii=False) + "\n", "utf-8")


def _print_evaluation(result: Evaluation, sample: int | None) -> None:
    scope = f"sample of {sample} per corpus" if sample else "full sets"
    rows = []
    for corpus, scores in result.headline.items():
        rows.append({"corpus": corpus, "run": "sitroom", **scores})
        if result.baseline and corpus in result.baseline:
            rows.append({"corpus": "", "run": "baseline (full)", **result.baseline[corpus]})
    columns = ["corpus", "run", *next(iter(result.headline.values()), {}).keys()]
    _print_table(_table(f"{result.name}: {result.docs} docs, {scope}", columns, rows))
    details = result.details()
    if details:
        detail_rows = [{"corpus": corpus, **scores} for corpus, scores in details.items()]
        detail_columns = ["corpus", *next(iter(details.values())).keys()]
        _print_table(_table(f"{result.name}: precision and recall", detail_columns, detail_rows))
    click.echo(f"best published: {result.published}\n")


# Commands that live beside the features they run.
main.add_command(serve)
main.add_command(watch)
