"""Several hosts, one store: two `parley serve` processes on different ports record into one
PostgreSQL database while sessions play on both at once. Each session is a real served app
process, driven over textual-serve's websocket (tests/served_client.py) as a browser's page
drives it. Counts decide: every play and every answer once, nothing lost, no lock errors.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.records import open_store
from tests.pgserver import PostgresServer
from tests.served_client import play_many

ROOT = Path(__file__).resolve().parent.parent
SMALL = Path(__file__).parent / "fixtures" / "records_small.yaml"


def unshuffled(folder: Path) -> Path:
    """records_small with its options in file order, so keys 1, 1 are a known path."""
    copy = folder / "records_small.yaml"
    text = SMALL.read_text(encoding="utf-8")
    copy.write_text(text.replace("language: en\n", "language: en\nshuffle: false\n"), "utf-8")
    return copy


PATIENCE = 180.0  # upper bound for each wait (a loaded CI machine), not a measurement
SESSIONS_PER_HOST = 3

pytestmark = [pytest.mark.slow, pytest.mark.server]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answering(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def two_hosts(
    postgres_server: PostgresServer, tmp_path: Path
) -> Iterator[tuple[str, list[str], list[subprocess.Popen[str]]]]:
    url = postgres_server.new_database("hosts")
    procs: list[subprocess.Popen[str]] = []
    urls: list[str] = []
    for host in range(2):
        port = free_port()
        log = open(tmp_path / f"serve{host}.log", "w")  # noqa: SIM115 (closed below)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "simulator.cli.main", "serve", str(unshuffled(tmp_path)),
                 "--host", "127.0.0.1", "--port", str(port), "--cohort", "two-hosts",
                 "--db", url, "--no-name-prompt"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True,
                env={**os.environ, "PARLEY_DATA_DIR": str(tmp_path / f"data{host}")},
            )
        )  # fmt: skip
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + PATIENCE
    for proc, u in zip(procs, urls, strict=True):
        port = int(u.rsplit(":", 1)[1])
        while not answering(port):
            assert proc.poll() is None, (tmp_path / "serve0.log").read_text()
            assert time.monotonic() < deadline, "parley serve did not start"
            time.sleep(0.2)
    try:
        yield url, urls, procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def counts(url: str) -> tuple[Any, ...]:
    with open_store(url) as store:
        [row] = store.query(
            "SELECT (SELECT COUNT(*) FROM plays WHERE cohort = 'two-hosts'), "
            "(SELECT COUNT(*) FROM plays WHERE finished_at IS NOT NULL), "
            "(SELECT COUNT(*) FROM steps WHERE undone_at IS NULL)"
        )
        return tuple(row)


def test_two_serve_hosts_record_into_one_postgres_without_loss(
    two_hosts: tuple[str, list[str], list[subprocess.Popen[str]]], tmp_path: Path
) -> None:
    url, hosts, procs = two_hosts
    sessions = [h for h in hosts for _ in range(SESSIONS_PER_HOST)]
    # "1", "1": facts_first then two_options, which ends the play (success)
    errors = asyncio.run(play_many(sessions, ["1", "1"]))
    assert errors == [None] * len(sessions)
    n = len(sessions)
    deadline = time.monotonic() + PATIENCE
    while counts(url) != (n, n, 2 * n) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert counts(url) == (n, n, 2 * n)
    with open_store(url) as store:
        dupes = list(
            store.query(
                "SELECT play_id, turn, COUNT(*) FROM steps WHERE undone_at IS NULL "
                "GROUP BY play_id, turn HAVING COUNT(*) > 1"
            )
        )
        assert dupes == []
        plays = store.plays(cohort="two-hosts")
    assert {(p.mode, p.outcome, p.turns) for p in plays} == {("served", "success", 2)}
    logs = "".join((tmp_path / f"serve{i}.log").read_text() for i in range(2))
    assert "locked" not in logs and "Traceback" not in logs
    assert all(p.poll() is None for p in procs)  # both hosts still serving
