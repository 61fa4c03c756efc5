"""Request body limits, security headers and the write token: ASGI middleware and a check."""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "BodyLimit",
    "BodyTooLarge",
    "SecurityHeaders",
    "error_body",
    "token_matches",
]

#: Where the page may load anything from: itself only. No inline script runs, whatever a
#: stored article contains; the API docs and the report pages also need inline styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
_INLINE_STYLED = ("/docs", "/report")
HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


#: A place filter holds no control characters: SQLite's LIKE would end the pattern at a NUL
#: (matching everything before it) and PostgreSQL refuses NUL outright.
PLACE_PATTERN = r"^[^\x00-\x1f\x7f]*$"


def error_body(status: int, code: str, message: str) -> dict[str, object]:
    """The API's one error shape: `{"error": {"status", "code", "message"}}`."""
    return {"error": {"status": status, "code": code, "message": message}}


class BodyTooLarge(HTTPException):
    """A request body longer than its route allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over {limit} bytes; send less")


class BodyLimit:
    """Refuses request bodies over a per-path-prefix limit, declared or streamed."""

    def __init__(self, app: ASGIApp, *, limits: Mapping[str, int], default: int) -> None:
        self.app = app
        self.limits = limits
        self.default = default

    def _limit(self, path: str) -> int:
        return next((n for p, n in self.limits.items() if path.startswith(p)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_json(send, 413, error_body(413, "too_large", BodyTooLarge(limit).detail))
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


class SecurityHeaders:
    """Adds the content security policy and hardening headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CSP if scope["path"].startswith(_INLINE_STYLED) else CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *HEADERS]
                headers.append((b"content-security-policy", policy.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _send_json(send: Send, status: int, body: object) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def token_matches(header: str | None, token: str) -> bool:
    """Whether an `Authorization: Bearer ...` header carries the token (constant time)."""
    if not header:
        return False
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())
