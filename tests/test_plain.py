"""`parley play --plain`: lines only, answered by typing numbers, through a real process."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from engine.conversation import Conversation
from engine.loader import load_scenario
from tests.cli import ROOT, parley

SMALL = Path(__file__).parent / "fixtures" / "records_small.yaml"
BOX_OR_COLOUR = re.compile(r"[\u2500-\u259f]|\x1b\[")


def play(
    *args: str, stdin: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    full.pop("PARLEY_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "simulator.cli.main", "play", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full,
        timeout=120,
    )


def test_numbers_play_to_the_same_end_as_the_engine(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    seed = 3  # the options are numbered in the order play 3 shows them
    out = play(
        str(SMALL), "--plain", "--seed", str(seed), "--participant", "Ann", "--db", str(db),
        stdin="1\n2\n",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert not BOX_OR_COLOUR.search(text)
    assert "Dana: You wanted a word about the date?" in text
    conv = Conversation(load_scenario(SMALL), seed=seed)
    shown = conv.presented()
    for n, choice in enumerate(shown, start=1):
        assert f"{n}. {choice.text.get()}" in text
    assert "Type a number from 1 to 3 and press Enter" in text
    first = shown[0].id
    conv.choose(first)
    second = conv.presented()[1].id
    expected = json.loads(
        parley("play", str(SMALL), "--choices", f"{first},{second}", "--json").stdout
    )
    d = expected["debrief"]
    assert f"Ending: {d['ending']['title']} ({expected['outcome']})" in text
    total = d["total"]
    assert (
        f"Total: you {total['total']:+d}, model answer {total['model']:+d} ({total['percent']}%)."
        in text
    )
    for dim in d["dimensions"]:
        pct = "-" if dim["percent"] is None else f"{dim['percent']}%"
        assert (
            f"{dim['label']}: you {dim['total']:+d}, model answer {dim['model']:+d} ({pct})."
            in text
        )
    assert f"(final {expected['trust']}, {expected['trust_level']})" in text
    # every line is a line: nothing wider than a braille display's patience
    assert max(len(line) for line in text.splitlines()) < 200
    # the play is recorded like a play in the app
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT participant, ending, trust FROM plays").fetchone()
    assert row == ("Ann", expected["ending"], expected["trust"])


def test_a_wrong_answer_is_asked_again_and_end_of_input_stops_cleanly(tmp_path: Path) -> None:
    out = play(str(SMALL), "--plain", "--db", str(tmp_path / "w.db"), stdin="7\nabc\n1\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("Please type a number from 1 to 3, or q to stop.") == 2
    assert "Stopped." in out.stdout
    assert "Debrief" not in out.stdout and "Traceback" not in out.stderr


def test_plain_is_chosen_without_a_terminal_or_with_term_dumb(tmp_path: Path) -> None:
    # the pipe here is not a terminal: plain mode, not the app's "needs a terminal" error
    out = play(str(SMALL), "--db", str(tmp_path / "a.db"), stdin="q\n", env={"TERM": "dumb"})
    assert out.returncode == 0, out.stderr
    assert "Your options:" in out.stdout and "Stopped." in out.stdout


def test_plain_speaks_the_play_language(tmp_path: Path) -> None:
    out = play("budget-cut", "--plain", "--lang", "nl", "--db", str(tmp_path / "w.db"), stdin="q\n")
    assert out.returncode == 0, out.stderr
    assert "Je opties:" in out.stdout and "Typ een getal van 1 tot en met" in out.stdout
