"""A local HTTP server on 127.0.0.1 serving scripted replies, counting requests and 304s."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    """One scripted response; a 200 with validators answers 304 to a request that matches them."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None


class FeedServer:
    """Serves scripted replies per path, counting requests and 304s."""

    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = {}
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), daemon=True
        )
        self._thread.start()

    def serve(self, path: str, *replies: Reply) -> str:
        """Answer `path` with `replies` in turn, the last one from then on; its URL."""
        self.replies[path] = list(replies)
        return self.url(path)

    def url(self, path: str) -> str:
        """The address of `path` on this server."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def next_reply(self, path: str) -> Reply | None:
        """The reply due for `path` now."""
        queue = self.replies.get(path)
        if not queue:
            return None
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler_for(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests[self.path] += 1
            reply = server.next_reply(self.path)
            if reply is None:
                reply = Reply(b"not here", status=404, content_type="text/plain")
            if reply.status == 200 and self._unchanged(reply):
                server.not_modified[self.path] += 1
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            if reply.etag:
                self.send_header("ETag", reply.etag)
            if reply.last_modified:
                self.send_header("Last-Modified", reply.last_modified)
            self.end_headers()
            self.wfile.write(reply.body)

        def _unchanged(self, reply: Reply) -> bool:
            etag = self.headers.get("If-None-Match")
            if etag is not None and reply.etag is not None:
                return etag == reply.etag
            since = self.headers.get("If-Modified-Since")
            return since is not None and since == reply.last_modified

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler
