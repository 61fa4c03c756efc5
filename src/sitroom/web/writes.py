"""The API's two writes: `POST /api/extract` (stores nothing) and `POST /api/ingest` (token)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from sitroom.errors import InputError, StoreError
from sitroom.store import Store
from sitroom.web.extraction import ExtractJob, ExtractorDied, ExtractPool, PoolBusy
from sitroom.web.security import token_matches
from sitroom.web.storage import StorePool

if TYPE_CHECKING:
    from sitroom.engine import IngestReport

__all__ = [
    "MAX_EXTRACT_BYTES",
    "MAX_INGEST_BYTES",
    "ExtractRequest",
    "Settings",
    "add_write_routes",
]

logger = logging.getLogger(__name__)

#: Largest `POST /api/extract` body: a long report is some 50 KB of text.
MAX_EXTRACT_BYTES = 256 * 1024
#: Largest `POST /api/ingest` body; bigger batches go through `sitroom ingest`.
MAX_INGEST_BYTES = 8 * 1024 * 1024
_TEXT_TYPES = ("text/plain",)


@dataclass(frozen=True, slots=True)
class Settings:
    """How the server was started: the write token (None: read-only)."""

    token: str | None = None

    @property
    def read_only(self) -> bool:
        """Whether every write is refused."""
        return not self.token


class ExtractRequest(BaseModel):
    """An article to extract facts from; nothing is stored."""

    text: str = Field(min_length=1, description="The article text.")
    published: dt.date | None = Field(None, description="Publication day, for relative dates.")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    id: str | None = Field(None, max_length=200)


def add_write_routes(
    router: APIRouter, store: StorePool, extractor: ExtractPool, settings: Settings
) -> None:
    @router.post(
        "/extract",
        tags=["write"],
        summary=f"Extract facts from one article (at most {MAX_EXTRACT_BYTES} bytes); stores none",
        responses={
            200: {
                "description": "The extraction, as contract sitroom.extract/v1 describes it",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            400: {"description": "Empty or bad text"},
            413: {"description": "Too large"},
            500: {"description": "The extraction worker died twice on this article"},
            503: {"description": "Too many extractions waiting; retry after Retry-After s"},
        },
    )
    async def extract(body: ExtractRequest) -> Response:
        job = ExtractJob(body.text, body.published, id=body.id, url=body.url, title=body.title)
        try:
            found = await extractor.extract(job)
        except InputError as exc:
            raise HTTPException(400, str(exc)) from None
        except PoolBusy as exc:
            raise HTTPException(503, str(exc), headers={"Retry-After": "1"}) from None
        except ExtractorDied as exc:
            logger.error("POST /api/extract: %s", exc)
            raise HTTPException(500, f"extraction failed: {exc}") from None
        return Response(found, media_type="application/json")

    @router.post(
        "/ingest",
        tags=["write"],
        summary="Extract and store articles: JSONL (one record a line) or one plain text",
        description=(
            "Needs `Authorization: Bearer TOKEN` with the token the server was started with; "
            "refused when it was started without one. Idempotent: stored articles are skipped."
        ),
        responses={
            401: {"description": "Missing or wrong token"},
            403: {"description": "The server is read-only"},
        },
    )
    async def ingest(
        request: Request,
        published: Annotated[
            dt.date | None, Query(description="Publication day of a plain-text body.")
        ] = None,
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        _authorise(settings, authorization)
        body = await request.body()
        kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        text = kind in _TEXT_TYPES
        return await _ingest_body(store, body, text=text, published=published)


def _authorise(settings: Settings, authorization: str | None) -> None:
    if settings.token is None:
        raise HTTPException(403, "the server is read-only; start it with --token to allow writes")
    if not token_matches(authorization, settings.token):
        raise HTTPException(401, "missing or wrong token; send Authorization: Bearer TOKEN")


async def _ingest_body(
    store: StorePool, body: bytes, *, text: bool, published: dt.date | None
) -> dict[str, Any]:
    from sitroom.engine import ingest

    # The engine reads files; the body goes through the same readers and their checks.
    handle, name = tempfile.mkstemp(suffix=".txt" if text else ".jsonl", prefix="sitroom-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)

        def run(s: Store) -> IngestReport:
            try:
                return ingest(
                    [name],
                    store=s,
                    input_format="text" if text else "jsonl",
                    published=published if text else None,
                )
            finally:
                store.memo.forget()  # the views kept so far may miss what was just stored

        report = await store.write(run)
    except InputError as exc:
        raise HTTPException(400, str(exc).replace(name, "body")) from None
    except StoreError:
        logger.exception("ingest failed")
        raise HTTPException(503, "the store cannot be written now; see the server log") from None
    finally:
        os.unlink(name)
    return {
        "read": report.read,
        "added": report.added,
        "present": report.present,
        "facts": report.facts,
    }
