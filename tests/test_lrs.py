"""Statements sent to a real LRS (Ralph) through the records store's outbox.

A play's statements go to the LRS as they happen; when the LRS goes down mid-play the play
goes on, the rest wait in the outbox, and `parley records push` sends them once it is back:
nothing lost, nothing twice.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.conversation import Conversation
from engine.loader import load_scenario
from engine.lrs import Lrs, LrsError, endpoint_of, lrs_from, read_credentials
from engine.records import open_store
from engine.records.outbox import counts, enqueue
from engine.xapi import PlayStatements
from tests.cli import ROOT, parley
from tests.lrs_ralph import PASSWORD, USER, RalphServer, ralph  # noqa: F401

SMALL = Path(__file__).parent / "fixtures" / "records_small.yaml"
PATIENCE = 120.0  # upper bound for a wait below, not a measurement
VERBS = ["initialized", "answered", "answered", "completed", "passed", "terminated"]


SEED = 3  # plain mode shows the options in a play's order: this play's


def answers(*choice_ids: str) -> str:
    """What to type in plain mode (play SEED) to make these choices."""
    conv = Conversation(load_scenario(SMALL), seed=SEED)
    out = []
    for cid in choice_ids:
        out.append(str([c.id for c in conv.presented()].index(cid) + 1))
        conv.choose(cid)
    return "".join(f"{n}\n" for n in out)


def wait_for(what: str, check: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + PATIENCE
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


def lrs_env(password: str = PASSWORD) -> dict[str, str]:
    return {**os.environ, "PARLEY_LRS_USER": USER, "PARLEY_LRS_PASSWORD": password}


def outbox(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT statement_id, sent_at IS NOT NULL, last_error FROM xapi_outbox ORDER BY id"
        ).fetchall()


def registration(db: Path) -> str | None:
    if not db.exists():
        return None
    with sqlite3.connect(db) as conn:
        try:
            row = conn.execute("SELECT uuid FROM plays").fetchone()
        except sqlite3.OperationalError:
            return None
    return None if row is None else str(row[0])


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    ordered = sorted(
        statements, key=lambda s: (s["timestamp"], VERBS.index(s["verb"]["display"]["en-US"]))
    )
    return [s["verb"]["display"]["en-US"] for s in ordered]


@pytest.mark.server
@pytest.mark.slow
def test_a_play_is_sent_as_it_happens(ralph: RalphServer, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "w.sqlite3"
    out = subprocess.run(
        [sys.executable, "-m", "simulator.cli.main", "play", str(SMALL), "--plain",
         "--seed", str(SEED), "--participant", "Ann", "--cohort", "tuesday", "--db", str(db),
         "--lrs", ralph.url],
        input=answers("facts_first", "two_options"), capture_output=True, text=True, cwd=ROOT, env=lrs_env(), timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    reg = registration(db)
    assert reg is not None
    stored = ralph.statements(reg)
    assert verbs(stored) == VERBS
    assert all(sent for _, sent, _ in outbox(db))
    # the same statements as the trainer's export, ids included
    exported = parley("report", "--db", str(db), "--format", "xapi")
    assert sorted(s["id"] for s in stored) == sorted(
        json.loads(line)["id"] for line in exported.stdout.splitlines()
    )
    cohort = stored[0]["context"]["contextActivities"]["grouping"][0]["id"]
    assert cohort.endswith("/cohorts/tuesday")


@pytest.mark.server
@pytest.mark.slow
def test_lrs_down_mid_play_then_up_nothing_lost_or_twice(
    ralph: RalphServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli.main", "play", str(SMALL), "--plain",
         "--seed", str(SEED), "--db", str(db), "--lrs", ralph.url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, env=lrs_env(),
    )  # fmt: skip
    assert proc.stdin is not None
    try:
        first, second = answers("facts_first", "two_options").splitlines()
        proc.stdin.write(first + "\n")
        proc.stdin.flush()
        reg = wait_for("the play in the records", lambda: registration(db))
        wait_for("the first answer at the LRS", lambda: len(ralph.statements(reg)) >= 2)
        ralph.stop()
        stdout, stderr = proc.communicate(second + "\n", timeout=PATIENCE)
    finally:
        if proc.poll() is None:
            proc.kill()
        if not ralph.up():  # the LRS is shared by the session's other tests
            ralph.start()
    assert proc.returncode == 0, stderr
    assert "Debrief: Asking for one more week" in stdout  # the play went on to its end
    assert "wait in the outbox" in stderr
    waiting = [sid for sid, sent, _ in outbox(db) if not sent]  # the LRS is back up now
    assert len(waiting) == 4  # answered, completed, passed, terminated
    pushed = parley("records", "push", "--db", str(db), "--lrs", ralph.url, env=lrs_env())
    assert pushed.returncode == 0, pushed.stderr
    assert "sent 4 statement(s)" in pushed.stdout
    stored = ralph.statements(reg)
    assert verbs(stored) == VERBS
    assert len({s["id"] for s in stored}) == len(stored) == 6
    again = parley("records", "push", "--db", str(db), "--lrs", ralph.url, env=lrs_env())
    assert again.returncode == 0 and "sent 0 statement(s)" in again.stdout
    assert len(ralph.statements(reg)) == 6


@pytest.mark.server
@pytest.mark.slow
def test_wrong_credentials_keep_statements_waiting(
    ralph: RalphServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.sqlite3"
    out = parley(
        "play", str(SMALL), "--choices", "facts_first,two_options", "--db", str(db),
        "--lrs", ralph.url, env=lrs_env("wrong"),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "refused our credentials (401)" in out.stderr
    assert not any(sent for _, sent, _ in outbox(db))
    creds = tmp_path / "lrs.txt"
    creds.write_text(f"# the academy's LRS\n{USER}:{PASSWORD}\n", encoding="utf-8")
    pushed = parley(
        "records", "push", "--db", str(db), "--lrs", ralph.url, "--lrs-credentials", str(creds)
    )
    assert pushed.returncode == 0, pushed.stderr
    assert "sent 6 statement(s)" in pushed.stdout
    reg = registration(db)
    assert reg is not None and verbs(ralph.statements(reg)) == VERBS


def test_enqueue_is_idempotent_and_ordered(tmp_path: Path) -> None:
    sc = load_scenario(SMALL)
    conv = Conversation(sc)
    maker = PlayStatements(sc, "0f8fad5b-d9cb-469f-a165-70867728950e")
    first = [maker.initialized("2026-12-02T10:00:00.000Z")]
    step = conv.choose("facts_first")
    second = maker.answered(
        "1/facts_first", turn=1, node=step.node, choice=step.choice, scores=step.scores,
        trust_before=step.trust_before, trust_after=step.trust_after, level="open",
        rung="peer", at="2026-12-02T10:00:01.000Z",
    )  # fmt: skip
    lrs = Lrs("http://127.0.0.1:9/xAPI/")
    with open_store(tmp_path / "w.sqlite3") as store:
        assert enqueue(store, lrs, first) == 1
        assert enqueue(store, lrs, [*first, second]) == 1
        assert enqueue(store, Lrs("http://other.example/xAPI/"), first) == 1
        assert counts(store, lrs) == {"pending": 2, "sent": 0, "refused": 0}
    ids = [row[0] for row in outbox(tmp_path / "w.sqlite3")]
    assert ids == [first[0]["id"], second["id"], first[0]["id"]]


def test_lrs_addresses_and_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert endpoint_of("https://lrs.example.org/xAPI") == "https://lrs.example.org/xAPI/"
    assert endpoint_of("https://lrs.example.org/xAPI/statements") == "https://lrs.example.org/xAPI/"
    with pytest.raises(LrsError, match="is not an LRS address"):
        endpoint_of("lrs.example.org")
    lrs = lrs_from("http://x.example/xAPI/", user="ann", password="secret")
    assert lrs.headers()["Authorization"] == "Basic YW5uOnNlY3JldA=="
    empty = tmp_path / "c.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(LrsError, match="has no `user:password` line"):
        read_credentials(empty)
    out = parley("play", str(SMALL), "--choices", "facts_first", "--lrs", "ftp://x")
    assert out.returncode == 2 and "is not an LRS address" in out.stderr
    assert "Traceback" not in out.stderr
    out = parley("records", "push")
    assert out.returncode == 2 and "name the LRS" in out.stderr


@pytest.mark.server
@pytest.mark.slow
def test_room_mode_sends_the_room_play(ralph: RalphServer, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "r.sqlite3"
    out = parley(
        "room", str(SMALL), "--votes", "12,3,0;9,1,1", "--db", str(db), "--lrs", ralph.url,
        env=lrs_env(),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    reg = registration(db)
    assert reg is not None
    stored = ralph.statements(reg)
    assert verbs(stored) == VERBS
    votes = [
        s["result"]["extensions"]["https://parley.example/xapi/extensions/room-votes"]
        for s in stored
        if s["verb"]["display"]["en-US"] == "answered"
    ]
    assert {"facts_first": 12, "just_ask": 3, "blame_vendor": 0} in votes


def test_serve_passes_the_lrs_to_each_browser_process(tmp_path: Path) -> None:
    from simulator.cli.serve import build_command

    cmd = build_command(
        tmp_path / "w.db", "tue", (), None, None, lrs="https://lrs.example.org/xAPI/",
        lrs_credentials="lrs.txt",
    )  # fmt: skip
    assert "--lrs https://lrs.example.org/xAPI/" in cmd
    assert f"--lrs-credentials {Path('lrs.txt').resolve()}" in cmd
