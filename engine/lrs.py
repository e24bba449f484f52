"""A Learning Record Store as Parley talks to it: where it is, who we are, one POST.

Statements are sent one at a time, in order (`send`): an LRS answers each one on its own,
so a statement it already holds (sent before a lost reply) is no obstacle to the next.
The answers that matter:

- 200/204: stored (or already there, identical): sent;
- 409: the LRS already holds a statement with this id and other content (an answer taken
  back and given again): sent, the LRS keeps its first copy;
- 400 and other 4xx but 401/403/404/429: this statement is refused; it is set aside with the
  LRS's reason, so one bad statement never holds up the ones after it;
- no answer, 5xx, 401/403 (credentials), 404 (wrong address), 429: the LRS is not
  available now: `LrsUnavailable`, and the statement is tried again later.

Standard library only (urllib); nothing here prints.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from engine.errors import ParleyError

XAPI_VERSION = "1.0.3"
TIMEOUT = 10.0

Outcome = Literal["sent", "exists", "refused"]


class LrsError(ParleyError):
    """An LRS address or its credentials cannot be used."""


class LrsUnavailable(Exception):
    """The LRS did not take the statement now; try again later (`reason` says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Lrs:
    """An LRS endpoint (ending in '/', e.g. https://lrs.example.org/xAPI/) and credentials."""

    endpoint: str
    user: str | None = None
    password: str | None = None

    @property
    def statements_url(self) -> str:
        return self.endpoint + "statements"

    def headers(self) -> dict[str, str]:
        out = {
            "Content-Type": "application/json",
            "X-Experience-API-Version": XAPI_VERSION,
        }
        if self.user is not None:
            token = f"{self.user}:{self.password or ''}".encode()
            out["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        return out


def endpoint_of(url: str) -> str:
    """The LRS endpoint for `url`: http(s) only; a URL naming .../statements is cut back."""
    text = url.strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme not in ("http", "https") or len(text) <= len(scheme) + 3:
        raise LrsError(
            f"'{url}' is not an LRS address",
            hint="give the xAPI endpoint, e.g. --lrs https://lrs.example.org/xAPI/",
        )
    if text.rstrip("/").endswith("/statements"):
        text = text.rstrip("/")[: -len("statements")]
    return text if text.endswith("/") else text + "/"


def read_credentials(path: str | Path) -> tuple[str, str]:
    """A credentials file: one line `user:password` (blank lines and # comments skipped)."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LrsError(
            f"cannot read the LRS credentials file {p}: {exc.strerror or exc}",
            hint="write one line `user:password` into it (readable only by you)",
        ) from None
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if sep and user:
            return user, password
        break
    raise LrsError(
        f"the LRS credentials file {p} has no `user:password` line",
        hint="write one line `user:password` into it",
    )


def lrs_from(
    url: str,
    credentials: str | Path | None = None,
    user: str | None = None,
    password: str | None = None,
) -> Lrs:
    """The LRS at `url`; credentials from the file, else `user` and `password` (the CLI's
    --lrs-user and PARLEY_LRS_PASSWORD)."""
    endpoint = endpoint_of(url)
    if credentials is not None:
        name, secret = read_credentials(credentials)
        return Lrs(endpoint, name, secret)
    if user:
        return Lrs(endpoint, user, password or "")
    return Lrs(endpoint)


def send(lrs: Lrs, statement: dict[str, Any], timeout: float = TIMEOUT) -> tuple[Outcome, str]:
    """POST one statement; (outcome, detail). Raises LrsUnavailable to try again later."""
    body = json.dumps(statement, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        lrs.statements_url, data=body, method="POST", headers=lrs.headers()
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return "sent", str(response.status)
    except urllib.error.HTTPError as exc:
        detail = _detail(exc)
        if exc.code == 409:
            return "exists", detail
        if exc.code in (401, 403):
            raise LrsUnavailable(f"the LRS refused our credentials ({exc.code})") from None
        if exc.code == 404:
            raise LrsUnavailable(f"no xAPI statements resource at {lrs.statements_url}") from None
        if exc.code == 429 or exc.code >= 500:
            raise LrsUnavailable(f"the LRS answered {exc.code}: {detail}") from None
        return "refused", f"{exc.code}: {detail}"
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LrsUnavailable(f"cannot reach {lrs.endpoint}: {reason}") from None


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", "replace")
    except OSError:
        return exc.reason if isinstance(exc.reason, str) else str(exc.code)
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()[:300]
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])[:300]
    return text.strip()[:300]
