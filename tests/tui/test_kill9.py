"""A real `parley play` in a pseudo-terminal, killed with SIGKILL mid-play, resumes.

No Pilot here: the app runs as a user runs it (its own process, a terminal, real keys),
and is killed the hard way after its second answer.
"""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.conversation import Conversation
from engine.loader import load_scenario
from simulator.saves import save_path

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "scenarios" / "budget-cut.yaml"


SEED = 7  # the play's option order (engine.order)


def _wait_for(predicate, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _start(data_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    master, slave = pty.openpty()
    env = {
        **os.environ,
        "PARLEY_DATA_DIR": str(data_dir),
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
    }
    env.pop("TEXTUAL_DRIVER", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli.main", "play", str(FLAGSHIP), "--seed", str(SEED)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    return proc, master


def _drain(master: int) -> None:
    """Keep the terminal's output flowing so the app never blocks writing."""
    import select

    while select.select([master], [], [], 0)[0]:
        try:
            if not os.read(master, 65536):
                return
        except OSError:
            return


@pytest.mark.pty
@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="It needs a POSIX pseudo-terminal.")
def test_kill_9_mid_play_resumes_at_the_last_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path))
    save = save_path(load_scenario(FLAGSHIP))
    proc, master = _start(tmp_path)
    try:

        def choices() -> list[str]:
            _drain(master)
            try:
                return list(json.loads(save.read_text())["choices"])
            except (OSError, ValueError, KeyError):
                return []

        time.sleep(3)  # the app starts and draws
        for key, expected in ((b"3", 1), (b"2", 2)):
            _drain(master)
            os.write(master, key)
            assert _wait_for(lambda n=expected: len(choices()) == n), f"no save after {key!r}"
        before = choices()
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(master)
    assert proc.returncode == -signal.SIGKILL
    # keys follow the order on screen: option 3, then option 2, of play SEED's order
    sc = load_scenario(FLAGSHIP)
    expect = Conversation(sc, seed=SEED)
    first = expect.presented()[2].id
    expect.choose(first)
    assert before == [first, expect.presented()[1].id]
    # what a relaunch restores: the play at its last answer, ready for answer three
    conv = Conversation.restore(load_scenario(FLAGSHIP), json.loads(save.read_text()))
    assert conv.choices_made == before and conv.turns == 2 and not conv.ended
