"""The web page, the API docs page and the situation report page, all served from here."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from sitroom.report import render_html, situation
from sitroom.web.security import PLACE_PATTERN
from sitroom.web.storage import StorePool

__all__ = ["DOCS_ASSETS", "STATIC", "TEMPLATES", "docs_assets", "pages_router"]

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
#: Where the docs page finds Swagger UI's script and styles, served from this process.
DOCS_ASSETS = "/docs/assets"


def docs_assets() -> Path:
    """Swagger UI's files as the `fastapi-offline` package ships them (no CDN)."""
    return Path(str(resources.files("fastapi_offline") / "static"))


def _html(name: str) -> HTMLResponse:
    text = (TEMPLATES / name).read_text("utf-8")
    return HTMLResponse(text, headers={"Cache-Control": "no-cache"})


def pages_router(store: StorePool) -> APIRouter:
    """The page at `/` (filters in its query string), the docs, and the report at `/report`."""
    router = APIRouter(include_in_schema=False)

    @router.get("/report")
    async def report(
        place: Annotated[str | None, Query(max_length=200, pattern=PLACE_PATTERN)] = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        changed_since: dt.date | None = None,
    ) -> HTMLResponse:
        # The report's renderer escapes every piece of article text (sitroom.report).
        found = await store.run(
            lambda s: situation(
                s, place=place, since=since, until=until, changed_since=changed_since
            )
        )
        return HTMLResponse(render_html(found), headers={"Cache-Control": "no-cache"})

    @router.get("/")
    async def index() -> HTMLResponse:
        return _html("index.html")

    @router.get("/docs")
    async def docs() -> HTMLResponse:
        return _html("docs.html")

    @router.get("/favicon.ico")
    async def favicon() -> Response:
        return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml")

    return router
