"""A real LRS for the tests: Ralph (ralph-malph 5.1.0, fs backend) on loopback.

Ralph lives in its own virtual environment (its pins stay apart from ours): `.ci/run`
creates it at .venv-ralph; PARLEY_RALPH names another `ralph` executable (its interpreter
sits beside it). Users are made with `ralph auth`; the server is Ralph's own app run by
tests/ralph_server.py (one process; its fs backend appends, see there why), started by a
session-scoped fixture and stopped with its process group. `RalphServer.stop()` / `start()`
take it down and bring it back on the same port and data folder (LRS down, then up).
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
RALPH = Path(os.environ.get("PARLEY_RALPH", ROOT / ".venv-ralph" / "bin" / "ralph"))
SERVER = Path(__file__).with_name("ralph_server.py")
USER, PASSWORD = "parley-test", "not-a-secret"
PORTS = range(18800, 18850)  # this work's port range (the LMS side uses 18850-)
PATIENCE = 120.0  # upper bound for Ralph to answer (a slow CI machine), not a measurement


def _free_port() -> int:
    # each pytest-xdist worker starts its own Ralph: give each its own slice of the range,
    # so two workers never both find the same port free and race for it
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    offset = (int(worker) if worker.isdigit() else 0) * 5 % len(PORTS)
    for port in (*PORTS[offset:], *PORTS[:offset]):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18800-18849")


class RalphServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "lrs"),
        }
        subprocess.run(
            [str(RALPH), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
             "-M", "mailto:parley-test@example.org", "-w"],
            env=self.env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self) -> None:
        log = open(self.folder / "ralph.log", "ab")  # noqa: SIM115 (kept open for the server)
        self.proc = subprocess.Popen(
            [str(RALPH.parent / "python"), str(SERVER), str(self.port)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            cwd=self.folder,
        )  # fmt: skip
        deadline = time.monotonic() + PATIENCE
        while not self.up():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                text = (self.folder / "ralph.log").read_text(errors="replace")[-2000:]
                self.stop()
                pytest.fail(f"Ralph did not start:\n{text}")
            time.sleep(0.3)

    def up(self) -> bool:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2
            ) as r:
                return bool(r.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.proc = None
        deadline = time.monotonic() + PATIENCE
        while self.up() and time.monotonic() < deadline:
            time.sleep(0.2)

    def statements(self, registration: str | None = None) -> list[dict[str, Any]]:
        """Every statement the LRS holds (for one registration), following `more` links."""
        url = f"http://127.0.0.1:{self.port}/xAPI/statements?limit=500"
        if registration:
            url += f"&registration={registration}"
        out: list[dict[str, Any]] = []
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        while url:
            req = urllib.request.Request(
                url,
                headers={"Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3"},
            )
            with urllib.request.urlopen(req, timeout=30) as r:
                data = json.loads(r.read())
            out += data["statements"]
            more = data.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return out


def _need_ralph() -> None:
    if RALPH.exists():
        return
    message = (
        f"Ralph (the LRS) is not installed at {RALPH}: python3 -m venv .venv-ralph && "
        '.venv-ralph/bin/pip install "ralph-malph[backend-lrs,lrs,cli]==5.1.0" requests '
        "(.ci/run does)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RalphServer]:
    """A running Ralph LRS for the whole session."""
    _need_ralph()
    server = RalphServer(tmp_path_factory.mktemp("ralph"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
