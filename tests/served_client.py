"""A served session without a browser: speaks textual-serve's websocket protocol (what its
page's script does) to a running `parley serve`, so the real app process starts, plays and
records exactly as for a browser. Used by the several-hosts test and bench/records_load.py.

Messages to the server are JSON arrays: ["resize", {"width", "height"}] and ["stdin", keys];
the server answers with the app's terminal output (binary frames).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import aiohttp
import yarl

PATIENCE = 120.0  # upper bound for one wait (a loaded machine), not a measurement


async def _quiet(ws: aiohttp.ClientWebSocketResponse, calm: float, deadline: float) -> int:
    """Read output until the app has drawn something and then stayed quiet for `calm` s."""
    received = 0
    while time.monotonic() < deadline:
        try:
            msg = await asyncio.wait_for(ws.receive(), timeout=calm)
        except TimeoutError:
            if received:
                return received
            continue
        if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            raise ConnectionError("the server closed the session")
        if msg.type == aiohttp.WSMsgType.BINARY:
            received += len(msg.data)
    raise TimeoutError("the app did not settle")


async def play_served(
    url: str,
    keys: Sequence[str],
    calm: float = 1.5,
    size: tuple[int, int] = (110, 36),
    code: str | None = None,
) -> None:
    """Open a session at `url` (http://host:port), press `keys` one at a time, each after
    the screen has settled, then close (the app process ends). With `code`, join first as
    the join page's form does (the access cookie then goes with the WebSocket)."""
    deadline = time.monotonic() + PATIENCE
    ws_url = url.replace("http://", "ws://").rstrip("/") + f"/ws?width={size[0]}&height={size[1]}"
    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: keep cookies of an IP address host
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        if code is not None:
            async with session.post(url.rstrip("/") + "/join", data={"code": code}) as r:
                if r.status != 200 or not jar.filter_cookies(yarl.URL(url)).get("parley_access"):
                    raise PermissionError(f"join refused: HTTP {r.status}")
        # a browser sends its page's origin; parley serve refuses a websocket without it
        async with session.ws_connect(ws_url, origin=url.rstrip("/")) as ws:
            await ws.send_json(["resize", {"width": size[0], "height": size[1]}])
            await ws.send_json(["focus"])
            await _quiet(ws, calm, deadline)
            for key in keys:
                await ws.send_json(["stdin", key])
                await _quiet(ws, calm, deadline)


async def play_many(
    urls: Sequence[str], keys: Sequence[str], code: str | None = None
) -> list[BaseException | None]:
    """One session per url, all at once; the exception of each that failed (else None)."""
    results = await asyncio.gather(
        *(play_served(u, keys, code=code) for u in urls), return_exceptions=True
    )
    return [r if isinstance(r, BaseException) else None for r in results]
