"""The ASGI app of `sitroom serve`: the JSON API, the page, the docs, one error shape."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from sitroom.errors import StoreError
from sitroom.web.answers import ANSWER_CACHE_BYTES, KeptAnswers
from sitroom.web.api import api_router
from sitroom.web.extraction import ExtractPool
from sitroom.web.pages import DOCS_ASSETS, STATIC, docs_assets, pages_router
from sitroom.web.security import BodyLimit, SecurityHeaders, error_body
from sitroom.web.storage import READERS, StorePool
from sitroom.web.writes import MAX_EXTRACT_BYTES, MAX_INGEST_BYTES, Settings

__all__ = ["CompressJSON", "create_app"]

logger = logging.getLogger(__name__)

#: API answers shorter than this are sent as they are: compressing them saves too little.
GZIP_MIN_BYTES = 4096
#: Requests to other routes carry no body worth more than this.
MAX_OTHER_BYTES = 16 * 1024
_CODES = {
    400: "bad_input",
    401: "unauthorized",
    403: "read_only",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_request",
    500: "internal",
    503: "unavailable",
}


def create_app(
    store_url: str,
    *,
    token: str | None = None,
    readers: int = READERS,
    extract_processes: int = 0,
    cache_bytes: int = ANSWER_CACHE_BYTES,
    warm_up: bool = False,
) -> FastAPI:
    """The app over the store at `store_url`; writes need `token`, and none are allowed without.

    Reads run on `readers` threads, each with its own connection; `POST /api/extract` runs on
    a thread of its own or in `extract_processes` worker processes; `cache_bytes` of finished
    answers are kept while the store is unchanged. With `warm_up` the extraction workers load
    what they need as the server starts, not on the first request.
    """
    store = StorePool(store_url, readers=readers, cache_bytes=cache_bytes)
    extractor = ExtractPool(processes=extract_processes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            extractor.start()
        yield
        extractor.close()
        store.close()

    app = FastAPI(
        title="sitroom",
        version=_version(),
        summary="Sourced, geolocated, dated facts from conflict and disaster reports.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.store = store
    _add_error_handlers(app)
    app.state.extractor = extractor
    app.include_router(api_router(store, extractor, Settings(token=token or None)))
    app.include_router(pages_router(store))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=docs_assets()), name="docs-assets")
    app.add_middleware(KeptAnswers, memo=store.memo, answers=store.answers)
    app.add_middleware(CompressJSON)
    limits = {"/api/extract": MAX_EXTRACT_BYTES, "/api/ingest": MAX_INGEST_BYTES}
    app.add_middleware(BodyLimit, limits=limits, default=MAX_OTHER_BYTES)
    app.add_middleware(SecurityHeaders)
    return app


class CompressJSON:
    """Gzips the API's larger JSON answers for clients that accept it; other paths pass.

    JSON shrinks five to ten times for a millisecond or two at the fastest level. The static
    files are left alone: compressing each of them again on every request costs more time than
    it saves on loopback, where the first render is measured (issue 9).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=GZIP_MIN_BYTES, compresslevel=1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _version() -> str:
    try:
        return version("sitroom")
    except PackageNotFoundError:
        return "0"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        error_body(status, _CODES.get(status, "error"), message), status_code=status
    )


def _problem(error: Any) -> str:
    """One validation error as `field: rule`; a body that is not JSON says so and what to send."""
    if error.get("type") == "json_invalid":
        at = error["loc"][-1] if len(error["loc"]) > 1 else None
        where = f" (at character {at})" if isinstance(at, int) else ""
        return f'body: not JSON{where}; send an object like {{"text": "..."}}'
    field = ".".join(str(part) for part in error["loc"][1:]) or "body"
    if error.get("type") == "string_pattern_mismatch":
        # The one pattern is PLACE_PATTERN; its regex would tell a reader nothing.
        return f"{field}: must not contain control characters (such as NUL)"
    return f"{field}: {error['msg']}"


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        response = _error(exc.status_code, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # The message names each bad field and the rule, never echoing the value sent.
        problems = [_problem(error) for error in exc.errors()]
        return _error(422, "; ".join(problems))

    @app.exception_handler(StoreError)
    async def unreadable(request: Request, exc: StoreError) -> JSONResponse:
        # Not the client's fault and perhaps passing (a locked or restarting store): 503.
        logger.error("%s %s: %s", request.method, request.url.path, exc)
        return _error(503, "the store cannot be read now; see the server log")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        # The trace goes to the server log; the client learns only that it was not its fault.
        logger.exception("%s %s failed", request.method, request.url.path)
        return _error(500, "internal error; the server log has the details")
