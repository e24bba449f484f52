"""`parley serve` in a real headless Chromium: a served play lands in the trainer's database.

The terminal is drawn on a canvas, so the test asserts on what the app did (rows in SQLite)
and keeps a screenshot in tests/artifacts/ as evidence. It waits for conditions (the
server answering, a row appearing), never for a fixed time.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SMALL = Path(__file__).parent / "fixtures" / "records_small.yaml"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PATIENCE = 90.0  # upper bound for each wait below (a slow CI machine), not a measurement

needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (apt-get install chromium); CI installs and runs it.",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any]) -> Any:
    """Poll `check` until it returns something truthy; fail with `what` if it never does."""
    deadline = time.monotonic() + PATIENCE
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return list(conn.execute(sql))
    except sqlite3.OperationalError:
        return []  # the schema is being created right now


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    db = tmp_path / "workshop.sqlite3"
    env = {**os.environ, "PARLEY_DATA_DIR": str(tmp_path / "trainer-data")}
    # options in file order (plays shuffle them), so the keys pressed below are a known path
    unshuffled = tmp_path / "records_small.yaml"
    text = SMALL.read_text(encoding="utf-8")
    unshuffled.write_text(text.replace("language: en\n", "language: en\nshuffle: false\n"), "utf-8")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "simulator.cli.main", "serve", str(unshuffled),
            "--host", "127.0.0.1", "--port", str(port), "--cohort", "browser-day",
            "--db", str(db),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.strip() == f"parley: serving Parley at {url}", first

    def answers() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return bool(resp.status == 200)
        except (urllib.error.URLError, OSError):
            assert proc.poll() is None, "parley serve exited"
            return False

    wait_for("the server to answer", answers)
    try:
        yield url, db, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.browser
@pytest.mark.server
@pytest.mark.slow
@needs_chromium
def test_a_browser_play_lands_in_the_database(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing; CI installs it with apt-get install chromium")
    from playwright.sync_api import sync_playwright

    url, db, _ = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 750})
            # like a workshop with no internet: the page's web font request fails
            page.route("https://fonts.googleapis.com/**", lambda route: route.abort())
            page.route("https://fonts.gstatic.com/**", lambda route: route.abort())
            page.goto(url)
            # the play row appears once this browser's app has started its play
            wait_for(
                "the served app to start a play",
                lambda: query(db, "SELECT id FROM plays WHERE mode = 'served'"),
            )
            page.mouse.click(550, 380)
            page.keyboard.type("Robin")
            page.keyboard.press("Enter")  # the name prompt
            wait_for(
                "the name to be recorded",
                lambda: query(db, "SELECT id FROM plays WHERE participant = 'Robin'"),
            )
            page.keyboard.press("1")  # facts_first
            wait_for("the first answer", lambda: query(db, "SELECT id FROM steps"))
            page.keyboard.press("3")  # insist
            wait_for(
                "the play to end",
                lambda: query(db, "SELECT id FROM plays WHERE finished_at IS NOT NULL"),
            )
            page.wait_for_timeout(1500)  # evidence only: let the trust meter's glide settle
            page.screenshot(path=str(ARTIFACTS / "serve_browser.png"))
        finally:
            browser.close()

    assert query(
        db, "SELECT participant, cohort, mode, scenario_id, ending, outcome, trust FROM plays"
    ) == [("Robin", "browser-day", "served", "records-small", "end_bad", "failure", 40)]
    assert query(db, "SELECT turn, node, choice FROM steps ORDER BY turn") == [
        (1, "ask", "facts_first"),
        (2, "proposal", "insist"),
    ]
    assert (ARTIFACTS / "serve_browser.png").stat().st_size > 0


def test_serve_warns_when_not_bound_to_loopback(tmp_path: Path) -> None:
    """What `parley serve` prints first (checked without binding anything but loopback)."""
    from simulator.cli.serve import startup_lines

    db = tmp_path / "w.sqlite3"
    quiet = startup_lines("127.0.0.1", 8000, "http://127.0.0.1:8000", "Parley", "tue", db)
    assert quiet[0] == ("parley: serving Parley at http://127.0.0.1:8000", False)
    assert not any("WARNING" in line for line, _ in quiet)
    assert quiet[-1] == (f"parley: afterwards: parley report --db {db} --cohort tue", False)
    loud = startup_lines("0.0.0.0", 8000, "http://10.0.0.5:8000", "Parley", None, db)
    [(warning, to_stderr)] = [(line, err) for line, err in loud if "WARNING" in line]
    assert to_stderr
    assert "listening on every network interface" in warning
    assert "There is no login" in warning
    # off loopback with a code (the command insists on one): plain http is called out
    coded = startup_lines(
        "0.0.0.0", 8000, "http://10.0.0.5:8000", "Parley", None, db, access="a code"
    )
    assert ("parley: only browsers with a code may play", False) in coded
    [warning] = [line for line, _ in coded if "WARNING" in line]
    assert "travel in clear over http" in warning and "TLS reverse proxy" in warning
    behind_tls = startup_lines(
        "0.0.0.0", 8000, "https://w.example.org", "Parley", None, db, access="a code"
    )
    assert not any("WARNING" in line for line, _ in behind_tls)


def test_a_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [
                sys.executable, "-m", "simulator.cli.main", "serve", "--port", str(port),
                "--db", str(tmp_path / "w.sqlite3"),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )  # fmt: skip
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in out.stderr
    assert "choose another with --port" in out.stderr
