"""The limits of `parley serve`: who may connect, and how many at once.

textual-serve starts one app process (~60 MB) for every WebSocket that connects, and it
does not look at where the connection comes from. `GuardedServer` adds two rules:

- **Origin**: a browser says which page opened a WebSocket (the `Origin` header). Only
  pages of this server may open one: the public URL's origin and the addresses the
  server listens on. A page on any other site (`http://evil.example`) is refused with
  403, so a web page the trainer happens to open cannot start sessions or add plays.
  A WebSocket without an Origin (not a browser) is refused too.
- **Sessions**: at most `max_sessions` play sessions run at once; one more gets a clear
  page ("the workshop is full") instead of a new process, with HTTP status 503.
"""

from __future__ import annotations

import ipaddress
import sys
from html import escape
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from rich.console import Console
from textual_serve.server import Server

DEFAULT_MAX_SESSIONS = 40
MAX_SESSIONS_LIMIT = 500

FULL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}: full</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;
line-height:1.5;color:#111;background:#fafafa}}h1{{font-size:1.4rem}}</style></head>
<body><h1>This workshop is full right now</h1>
<p>{count} of {limit} play sessions are in use on this server. Please try again in a
minute, when someone has finished (reload this page).</p>
<p>Trainer: start <code>parley serve</code> with a higher <code>--max-sessions</code> if the
machine has the memory (about 60 MB for each session).</p></body></html>
"""

FOREIGN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Refused</title></head>
<body><h1>Refused</h1><p>This Parley server only accepts connections from its own page,
{own}. Open that address instead.</p></body></html>
"""


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of a URL, lower-case, default ports dropped; None if not a URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "ws", "wss") or not parts.hostname:
        return None
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


def allowed_origins(host: str, port: int, public_url: str, extra: tuple[str, ...] = ()) -> set[str]:
    """The origins whose pages may open a session: the public URL's, and this server's own
    addresses (loopback names when it listens on loopback or everywhere)."""
    names = {host}
    loopback = host in ("localhost", "", "0.0.0.0", "::")
    try:
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if loopback:
        names |= {"localhost", "127.0.0.1", "::1"}
    out = {o for o in (origin_of(public_url), *map(origin_of, extra)) if o is not None}
    for name in names - {"", "0.0.0.0", "::"}:
        shown = f"[{name}]" if ":" in name else name
        found = origin_of(f"http://{shown}:{port}")
        if found is not None:
            out.add(found)
    return out


class GuardedServer(Server):
    """textual-serve's Server with an Origin check and a cap on concurrent sessions."""

    def __init__(
        self,
        *args: Any,
        allowed: set[str],
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        self.max_sessions = max_sessions
        self.sessions = 0
        # textual-serve's own lines are styled by rich: give it the real stdout, not the
        # CLI's guarded one (simulator.terminal), which would show the escape codes
        self.console = Console(file=getattr(sys.stdout, "inner", sys.stdout))

    def _full(self) -> web.Response:
        page = FULL_PAGE.format(
            title=escape(self.title), count=self.sessions, limit=self.max_sessions
        )
        return web.Response(
            status=503, text=page, content_type="text/html", headers={"Retry-After": "60"}
        )

    def _foreign(self, request: web.Request) -> web.Response | None:
        origin = request.headers.get("Origin")
        if origin is not None and origin_of(origin) in self.allowed:
            return None
        own = escape(self.public_url)
        return web.Response(status=403, text=FOREIGN_PAGE.format(own=own), content_type="text/html")

    async def handle_index(self, request: web.Request) -> Any:
        if self.sessions >= self.max_sessions:
            return self._full()
        return await super().handle_index(request)

    # a refusal is a plain response (aiohttp takes any), where the base returns a socket
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        refused = self._foreign(request)
        if refused is not None:
            return refused
        if self.sessions >= self.max_sessions:
            return self._full()
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1
