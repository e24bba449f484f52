"""A small LMS side for the package tests, on loopback: serves a folder over HTTP (an LMS
frame page, the unpacked package), and for cmi5 answers the fetch URL and LMS.LaunchData and
forwards statements to a real LRS (Ralph), so the page talks to one origin."""

from __future__ import annotations

import base64
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PORTS = range(18850, 18900)


class _Handler(SimpleHTTPRequestHandler):
    lrs: str | None = None  # Ralph's xAPI endpoint ("http://127.0.0.1:P/xAPI/")
    credentials: tuple[str, str] = ("", "")
    launch_data: dict[str, Any] = {}

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _json(self, code: int, data: Any) -> None:
        body = json.dumps(data).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if path == "/fetch":
            token = base64.b64encode(":".join(self.credentials).encode()).decode()
            self._json(200, {"auth-token": token})
        elif path == "/xAPI/statements" and self.lrs:
            self._forward("POST", "statements", body)
        else:
            self._json(404, {"detail": "not here"})

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/xAPI/activities/state":
            if parse_qs(parts.query).get("stateId") == ["LMS.LaunchData"]:
                self._json(200, self.launch_data)
            else:
                self._json(404, {"detail": "no such state"})
            return
        super().do_GET()

    def _forward(self, method: str, resource: str, body: bytes) -> None:
        assert self.lrs is not None
        req = urllib.request.Request(
            self.lrs + resource,
            data=body,
            method=method,
            headers={
                "Authorization": self.headers.get("Authorization", ""),
                "Content-Type": "application/json",
                "X-Experience-API-Version": self.headers.get("X-Experience-API-Version", "1.0.3"),
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                self._json(r.status, json.loads(r.read() or b"null"))
        except urllib.error.HTTPError as exc:
            self._json(exc.code, {"detail": exc.read().decode(errors="replace")})


@contextmanager
def lms_server(
    folder: Path,
    lrs: str | None = None,
    credentials: tuple[str, str] = ("", ""),
    launch_data: dict[str, Any] | None = None,
) -> Iterator[str]:
    """Serve `folder` on a loopback port from 18850-18899; yields the base URL."""
    handler = type(
        "Handler",
        (_Handler,),
        {"lrs": lrs, "credentials": credentials, "launch_data": launch_data or {}},
    )
    server = None
    for port in PORTS:
        try:
            server = ThreadingHTTPServer(
                ("127.0.0.1", port), partial(handler, directory=str(folder))
            )
            break
        except OSError:
            continue
    assert server is not None, "no free port in 18850-18899"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
