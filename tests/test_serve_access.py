"""Access control on `parley serve`: off loopback it needs a join code or learner tokens;
a browser without a code gets a page asking for it and no app process; wrong codes are
refused and rate-limited; a code decides the cohort (and, for a token, the learner) a play
is recorded under, so one cohort's code never writes into another's records.

Real `parley serve` processes, real HTTP and WebSocket (aiohttp, as a browser's page talks),
real app processes and a real records file.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from simulator.serve_access import AccessPolicy, Grant, RateLimiter, policy_from
from tests.cli import parley
from tests.served_client import play_served

ROOT = Path(__file__).resolve().parent.parent
SMALL = Path(__file__).parent / "fixtures" / "records_small.yaml"


def unshuffled(folder: Path) -> Path:
    """records_small with its options in file order, so keys 1, 1 are a known path."""
    copy = folder / "records_small.yaml"
    text = SMALL.read_text(encoding="utf-8")
    copy.write_text(text.replace("language: en\n", "language: en\nshuffle: false\n"), "utf-8")
    return copy


PATIENCE = 120.0  # upper bound for a wait on a loaded machine, not a measurement
pytestmark = pytest.mark.server

TUE, WED = "tue-7Hq2Lx", "wed-9Pz4Kc"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(t) for t in text]
    return found


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    db = tmp_path / "workshop.sqlite3"
    tokens = tmp_path / "tokens.csv"
    tokens.write_text("token,participant,cohort\nann-Qw8rT3,Ann,tue\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli.main", "serve", str(unshuffled(tmp_path)), "--host", "127.0.0.1",
         "--port", str(port), "--db", str(db), "--join-code", f"tue={TUE}",
         "--join-code", f"wed={WED}", "--tokens", str(tokens), "--no-name-prompt"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PARLEY_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "parley serve did not start"
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}", db, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    if not db.exists():
        return []
    with sqlite3.connect(db, timeout=10) as conn:
        return list(conn.execute(sql))


async def fetch(url: str, method: str = "GET", **kw: Any) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.request(method, url, allow_redirects=False, **kw) as r:
            return r.status, await r.text(), dict(r.headers)


def test_off_loopback_serve_refuses_to_start_without_a_code(tmp_path: Path) -> None:
    out = parley("serve", str(unshuffled(tmp_path)), "--host", "0.0.0.0", "--port", str(free_port()),
                 "--db", str(tmp_path / "r.sqlite3"))  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "needs a code: --join-code CODE" in out.stderr and "--tokens FILE" in out.stderr
    assert not (tmp_path / "r.sqlite3").exists()
    out = parley("serve", "--host", "0.0.0.0", "--join-code", "abc")
    assert out.returncode == 2 and "at least 6 characters" in out.stderr
    bad = tmp_path / "tokens.csv"
    bad.write_text("name,token\nAnn,abcdefgh\n", encoding="utf-8")
    out = parley("serve", "--host", "0.0.0.0", "--tokens", str(bad))
    assert out.returncode == 2 and f"{bad}:1: a tokens file starts with the header" in out.stderr


def test_no_code_gets_the_join_page_and_no_app_process(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    url, db, proc = served
    status, page, _ = asyncio.run(fetch(url + "/"))
    assert status == 401 and "Workshop code" in page and 'action="/join"' in page
    status, text, _ = asyncio.run(fetch(url + "/ws", headers={"Origin": url}))
    assert status == 401 and "code is needed" in text
    with pytest.raises(aiohttp.WSServerHandshakeError):
        asyncio.run(play_served(url, ["1"]))
    assert children(proc.pid) == []  # no app process was started
    assert rows(db, "SELECT COUNT(*) FROM plays") in ([], [(0,)])


def test_wrong_code_is_refused_and_brute_force_is_rate_limited(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    url, db, proc = served
    for attempt in range(5):
        status, page, _ = asyncio.run(
            fetch(url + "/join", "POST", data={"code": f"guess{attempt}x"})
        )
        assert status == 401 and "That code is not right" in page
    # the sixth attempt in a minute is refused before it is checked, even the right code
    status, page, headers = asyncio.run(fetch(url + "/join", "POST", data={"code": TUE}))
    assert status == 429 and "Too many wrong codes" in page
    assert int(headers["Retry-After"]) > 0
    assert children(proc.pid) == []
    assert rows(db, "SELECT COUNT(*) FROM plays") in ([], [(0,)])


def test_the_code_decides_the_cohort_and_a_token_the_learner(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    url, db, _ = served
    asyncio.run(play_served(url, ["1", "1"], code=TUE))
    asyncio.run(play_served(url, ["1", "1"], code="ann-Qw8rT3"))
    deadline = time.monotonic() + PATIENCE
    while len(rows(db, "SELECT id FROM plays WHERE finished_at IS NOT NULL")) < 2:
        assert time.monotonic() < deadline, rows(db, "SELECT * FROM plays")
        time.sleep(0.3)
    got = rows(db, "SELECT cohort, participant, mode, outcome FROM plays ORDER BY id")
    assert got == [("tue", None, "served", "success"), ("tue", "Ann", "served", "success")]
    # nothing was written under the other cohort through these codes
    assert rows(db, "SELECT COUNT(*) FROM plays WHERE cohort = 'wed'") == [(0,)]


def test_codes_are_compared_in_constant_time_against_every_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy = policy_from([f"tue={TUE}", f"wed={WED}"], None, None)
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    assert policy.check(TUE) == Grant("tue")  # the first code matches...
    assert len(calls) == 2  # ...and the second is still compared (no early exit)
    assert policy.check("nope-nope") is None and len(calls) == 4
    assert AccessPolicy().check(TUE) is None


def test_the_rate_limit_forgets_after_its_window() -> None:
    now = [0.0]
    limiter = RateLimiter(limit=2, window=60, clock=lambda: now[0])
    limiter.failed("1.2.3.4")
    assert limiter.blocked("1.2.3.4") == 0
    limiter.failed("1.2.3.4")
    assert limiter.blocked("1.2.3.4") == 60 and limiter.blocked("5.6.7.8") == 0
    now[0] = 61.0
    assert limiter.blocked("1.2.3.4") == 0
