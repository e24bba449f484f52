"""Who may play on `parley serve`: a join code per cohort, or a token per learner.

Off loopback `parley serve` does not start without one of them (see simulator/cli/serve.py).
With access control on:

- a browser without a valid access cookie gets a page that asks for the code (HTTP 401) and
  no app process; the WebSocket that would start one is refused (401) too;
- the code is posted to ``/join``; it is compared with every known code in constant time
  (``hmac.compare_digest``, all of them, no early exit), and a match sets an access cookie
  (a random ticket the server keeps in memory; HttpOnly, SameSite=Strict, Secure over https);
- failed attempts are rate-limited per client address: after ``MAX_FAILURES`` within
  ``WINDOW`` seconds, further attempts get HTTP 429 until the window has passed;
- what a code grants is decided here, on the server: the cohort (and, for a learner token,
  the participant) the app process records under. A browser cannot choose them, so one
  cohort's code never writes into another cohort's records, and the served app has no
  screen that reads anyone's records.

Join codes: ``--join-code CODE`` (the cohort is --cohort) or, for several cohorts on one
server, ``--join-code COHORT=CODE`` repeated. Learner tokens: ``--tokens FILE``, a CSV file
with the header ``token,participant,cohort`` (cohort may be empty: --cohort is used).
"""

from __future__ import annotations

import contextvars
import csv
import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from aiohttp import web

from engine.errors import ParleyError
from simulator.serve_guard import GuardedServer

MIN_CODE = 6  # characters: with the rate limit below, guessing takes years
MAX_FAILURES = 5
WINDOW = 60.0  # seconds
COOKIE = "parley_access"


@dataclass(frozen=True, slots=True)
class Grant:
    """What one code lets a browser do: play, recorded under this cohort (and name)."""

    cohort: str | None
    participant: str | None = None


@dataclass
class AccessPolicy:
    """The codes this server accepts and what each grants."""

    codes: list[tuple[str, Grant]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.codes)

    def check(self, given: str) -> Grant | None:
        """The grant of `given`, compared with every code in constant time."""
        found: Grant | None = None
        candidate = given.strip().encode("utf-8")
        for code, grant in self.codes:
            if hmac.compare_digest(candidate, code.encode("utf-8")) and found is None:
                found = grant
        return found

    @property
    def cohorts(self) -> list[str | None]:
        return sorted({g.cohort for _, g in self.codes}, key=lambda c: c or "")


def _valid_code(code: str, where: str) -> str:
    code = code.strip()
    if len(code) < MIN_CODE or any(ch.isspace() for ch in code):
        raise ParleyError(
            f"{where}: a code must be at least {MIN_CODE} characters without spaces",
            hint="make one up, e.g. with: python -c 'import secrets; print(secrets.token_urlsafe(8))'",
        )
    return code


def policy_from(join_codes: Iterable[str], tokens: Path | None, cohort: str | None) -> AccessPolicy:
    """The policy of `--join-code` values (CODE or COHORT=CODE) and a `--tokens` file."""
    policy = AccessPolicy()
    for value in join_codes:
        group, sep, code = value.partition("=")
        if not sep:
            group, code = cohort or "", value
        policy.codes.append((_valid_code(code, "--join-code"), Grant(group.strip() or None)))
    if tokens is not None:
        policy.codes += _read_tokens(tokens, cohort)
    seen: set[str] = set()
    for code, _ in policy.codes:
        if code in seen:
            raise ParleyError(
                "the same code is given twice (--join-code / --tokens)",
                hint="every cohort and learner needs a code of their own",
            )
        seen.add(code)
    return policy


def _read_tokens(path: Path, cohort: str | None) -> list[tuple[str, Grant]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParleyError(f"cannot read the tokens file {path}: {exc}") from None
    rows = list(csv.reader(text.splitlines()))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if header[:2] != ["token", "participant"]:
        raise ParleyError(
            f"{path}:1: a tokens file starts with the header token,participant,cohort",
            hint="one learner per line after it, e.g. k7Qm2xPa,Ann,tuesday-pm",
        )
    out = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[1].strip():
            raise ParleyError(f"{path}:{line}: a line needs a token and a participant name")
        token = _valid_code(row[0], f"{path}:{line}")
        group = row[2].strip() if len(row) > 2 and row[2].strip() else cohort
        out.append((token, Grant(group, row[1].strip())))
    if not out:
        raise ParleyError(f"{path}: no tokens in the file", hint="add one line per learner")
    return out


class RateLimiter:
    """At most `limit` failures per client address within `window` seconds."""

    def __init__(
        self,
        limit: int = MAX_FAILURES,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, who: str) -> deque[float]:
        now = self.clock()
        times = self._failures.setdefault(who, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, who: str) -> float:
        """Seconds until `who` may try again (0: now)."""
        times = self._recent(who)
        if len(times) < self.limit:
            return 0.0
        return max(0.0, self.window - (self.clock() - times[0]))

    def failed(self, who: str) -> None:
        self._recent(who).append(self.clock())
        if len(self._failures) > 10_000:  # forget the quiet ones rather than grow
            for key in [k for k, v in self._failures.items() if not v][:5000]:
                del self._failures[key]


JOIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}: join</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:30rem;margin:4rem auto;padding:0 1rem;
line-height:1.5;color:#111;background:#fafafa}}h1{{font-size:1.4rem}}
input{{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box}}
button{{font-size:1.1rem;margin-top:.8rem;padding:.4rem 1.2rem}}
.problem{{color:#a00;font-weight:600}}</style></head>
<body><h1>{title}</h1>
<p>Your trainer gave you a code for this workshop. Type it to start playing.</p>
{problem}
<form method="post" action="/join">
<label for="code">Workshop code</label>
<input id="code" name="code" autocomplete="off" autofocus required>
<button type="submit">Join</button>
</form></body></html>
"""

_grant: contextvars.ContextVar[Grant | None] = contextvars.ContextVar("grant", default=None)


class AccessServer(GuardedServer):
    """GuardedServer (Origin check, session cap) that lets in only browsers with a code.

    textual-serve reads ``self.command`` when it starts a session; here that is a property
    that builds the command for the grant of the request being handled (a context variable:
    each request runs in its own task, so concurrent sessions never mix their grants)."""

    def __init__(
        self,
        *args: Any,
        policy: AccessPolicy,
        command_for: Callable[[Grant], str],
        limiter: RateLimiter | None = None,
        **kwargs: Any,
    ) -> None:
        self._base_command = ""
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.command_for = command_for
        self.limiter = limiter or RateLimiter()
        self.tickets: dict[str, Grant] = {}

    @property
    def command(self) -> str:
        grant = _grant.get()
        return self.command_for(grant) if grant is not None else self._base_command

    @command.setter
    def command(self, value: str) -> None:
        self._base_command = value

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_post("/join", self.handle_join)
        return app

    def _grant_of(self, request: web.Request) -> Grant | None:
        ticket = request.cookies.get(COOKIE, "")
        return self.tickets.get(ticket) if ticket else None

    def _join_page(self, problem: str = "", status: int = 401) -> web.Response:
        note = f'<p class="problem" role="alert">{escape(problem)}</p>' if problem else ""
        page = JOIN_PAGE.format(title=escape(self.title), problem=note)
        return web.Response(status=status, text=page, content_type="text/html",
                            headers={"Cache-Control": "no-store"})  # fmt: skip

    async def handle_index(self, request: web.Request) -> Any:
        if self._grant_of(request) is None:
            return self._join_page()
        return await super().handle_index(request)

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        who = request.remote or "?"
        wait = self.limiter.blocked(who)
        if wait > 0:
            response = self._join_page(
                f"Too many wrong codes. Wait {int(wait) + 1} seconds, then try again.", 429
            )
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        form = await request.post()
        given = form.get("code", "")
        grant = self.policy.check(given if isinstance(given, str) else "")
        if grant is None:
            self.limiter.failed(who)
            return self._join_page("That code is not right. Check it with your trainer.")
        ticket = secrets.token_urlsafe(32)
        self.tickets[ticket] = grant
        response = web.Response(status=303, headers={"Location": "/"})
        response.set_cookie(COOKIE, ticket, httponly=True, samesite="Strict",
                            secure=self.public_url.startswith("https://"), path="/")  # fmt: skip
        return response

    # a refusal is a plain response (aiohttp takes any), where the base returns a socket
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        grant = self._grant_of(request)
        if grant is None:
            return web.Response(status=401, text="a workshop code is needed: open / first")
        token = _grant.set(grant)
        try:
            return await super().handle_websocket(request)
        finally:
            _grant.reset(token)
