"""`parley serve` refuses foreign origins and caps concurrent sessions (#16 class 8).

A real `parley serve` process and a real WebSocket client (aiohttp) that sends the
`Origin` header a web page on another site would send.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "records_small.yaml"
PATIENCE = 90.0  # upper bound for waiting on the server, not a measurement

pytestmark = [pytest.mark.server, pytest.mark.slow]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int, Path]]:
    port = free_port()
    db = tmp_path / "workshop.sqlite3"
    env = {**os.environ, "PARLEY_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "simulator.cli.main", "serve", str(SMALL), "--port", str(port),
            "--db", str(db), "--max-sessions", "2", "--no-name-prompt",
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert proc.poll() is None, "parley serve exited"
            assert time.monotonic() < deadline, "parley serve never answered"
            time.sleep(0.2)
    try:
        yield url, port, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def foreign_origins(port: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = ["evil", "example", "attacker", "localhost", "127", "parley"]
    out = [
        "http://evil.example",
        "null",
        f"http://127.0.0.1:{port + 1}",
        f"https://127.0.0.1:{port}",
    ]
    for _ in range(6):
        host = ".".join(rng.choice(words) for _ in range(rng.randint(2, 3)))
        out.append(f"http://{host}:{rng.choice([port, 80, 8080])}")
    out.append(f"http://localhost.{rng.choice(words)}.example:{port}")
    return out


async def _handshake(url: str, origin: str | None) -> int:
    headers = {"Origin": origin} if origin is not None else {}
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(f"{url}/ws?width=80&height=24", headers=headers):
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


def test_a_foreign_origin_gets_no_session_and_no_play(server: tuple[str, int, Path]) -> None:
    url, port, db = server
    for origin in [*foreign_origins(port, 8), None]:
        assert asyncio.run(_handshake(url, origin)) == 403, origin
    plays = sqlite3.connect(db).execute("SELECT COUNT(*) FROM plays").fetchone()[0]
    assert plays == 0
    for own in (url, f"http://localhost:{port}"):  # the server's own page may connect
        assert asyncio.run(_handshake(url, own)) == 101


async def _over_the_cap(url: str) -> tuple[list[int], int, str, int]:
    origin = {"Origin": url}
    async with aiohttp.ClientSession() as session:
        first = await session.ws_connect(f"{url}/ws?width=80&height=24", headers=origin)
        second = await session.ws_connect(f"{url}/ws?width=80&height=24", headers=origin)
        statuses = [101, 101]
        try:
            async with session.ws_connect(f"{url}/ws", headers=origin):
                statuses.append(101)
        except aiohttp.WSServerHandshakeError as exc:
            statuses.append(exc.status)
        async with session.get(url) as page:
            full_status, full_text = page.status, await page.text()
        await first.close()
        await second.close()
        after = 0
        for _ in range(int(PATIENCE * 5)):  # the server notices the closed sessions
            async with session.get(url) as page:
                after = page.status
            if after == 200:
                break
            await asyncio.sleep(0.2)
        return statuses, full_status, full_text, after


def test_sessions_over_the_cap_get_a_clear_page(server: tuple[str, int, Path]) -> None:
    url, _, _ = server
    statuses, full_status, text, after = asyncio.run(_over_the_cap(url))
    assert statuses == [101, 101, 503]
    assert full_status == 503
    assert "This workshop is full right now" in text and "2 of 2 play sessions" in text
    assert after == 200  # a place frees up when a session ends
