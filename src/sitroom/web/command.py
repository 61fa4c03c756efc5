"""The `sitroom serve` command: the HTTP API and the web page over one store, via uvicorn."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from sitroom.errors import StoreError
from sitroom.store import DEFAULT_PATH, ENV_VAR, open_store, redact_url

__all__ = ["SERVE_OPTIONS", "run_server", "serve", "store_exists"]

TOKEN_VAR = "SITROOM_TOKEN"
#: Exit codes as the rest of the CLI uses them: a store problem is 3, anything else 1.
EXIT_STORE, EXIT_OTHER = 3, 1
#: How `serve` makes its app: extraction in one process of its own, beside the server's, so
#: that it never holds the GIL the reads need; warmed up before the first request.
SERVE_OPTIONS: dict[str, int] = {"extract_processes": 1, "warm_up": True}


def store_exists(url: str) -> bool:
    """Whether the store URL names a database already there (serving never creates one)."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme != "sqlite":
        return True  # a server database; opening it says whether it is there
    path = rest.removeprefix("/") if sep else url
    return path == ":memory:" or Path(path).exists()


# Its own help names, since tests also run it outside the `sitroom` group.
@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar=ENV_VAR,
    metavar="PATH",
    default=DEFAULT_PATH,
    show_default=True,
    help=f"SQLite file (or sqlite:///path) or postgresql:// URL. Env: {ENV_VAR}.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--token",
    envvar=TOKEN_VAR,
    metavar="TOKEN",
    help=f"Allow POST /api/ingest with 'Authorization: Bearer TOKEN'. Env: {TOKEN_VAR}. "
    "Without it the server is read-only.",
)
def serve(db: str, host: str, port: int, token: str | None) -> None:
    """Serve the store as a JSON API (docs at /docs) and a web page (map, timeline, figures).

    \b
    Example:
      sitroom ingest examples/ && sitroom serve --port 8000
      # then open http://127.0.0.1:8000/
    """
    try:
        import uvicorn  # noqa: F401  (imported here to say it is missing before anything runs)

        import sitroom.web.app  # noqa: F401
    except ImportError as exc:
        _fail(
            f"sitroom serve needs the web extra ({exc.name} is missing); "
            "install it with: pip install 'sitroom[web]'",
            EXIT_OTHER,
        )
    if not store_exists(db):
        _fail(
            f"{db}: no store there; run `sitroom ingest --db {db} FILES` first, "
            f"or point --db or {ENV_VAR} at an existing store",
            EXIT_STORE,
        )
    if host not in {"127.0.0.1", "localhost", "::1"} and not token:
        click.echo(
            f"sitroom: serving read-only on {host}: anyone who reaches it can read", err=True
        )
    try:
        # Opened (and migrated) here, so that a store that cannot be is a clear error and exit 3.
        open_store(db).close()
    except StoreError as exc:
        _fail(str(exc), EXIT_STORE)
    click.echo(f"sitroom: serving {redact_url(db)} on http://{_url_host(host)}:{port}/", err=True)
    run_server(db, token=token, host=host, port=port)


def run_server(db: str, *, token: str | None, host: str, port: int, **options: int) -> None:
    """Serve the store with uvicorn as `sitroom serve` does, until stopped: the app of
    `create_app(db, token=token, ...)` with `SERVE_OPTIONS`, or `options` in their stead."""
    import uvicorn

    from sitroom.web.app import create_app

    settings: dict[str, Any] = {**SERVE_OPTIONS, **options}
    app = create_app(db, token=token, **settings)
    # Keep idle connections longer than clients do (httpx: 5 s), so a client never reuses
    # one the server is closing at that moment.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        timeout_keep_alive=75,
    )


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"sitroom: error: {message}", err=True)
    sys.exit(code)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
