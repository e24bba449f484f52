"""`parley play` and the command's error handling, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import parley

MINI = Path(__file__).parent / "fixtures" / "core_mini.yaml"


def test_version_and_help() -> None:
    out = parley("--version")
    assert out.returncode == 0 and out.stdout.startswith("parley, version ")
    out = parley("--help")
    assert out.returncode == 0 and "play" in out.stdout


def test_play_json_contract() -> None:
    out = parley("play", str(MINI), "--choices", "push,advise", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["ending"] == "good_end" and data["outcome"] == "success"
    assert data["blocked"] == [
        {"node": "middle", "choice": "advise", "from": "peer", "to": "trusted-advisor"}
    ]


def test_choices_that_run_out_exit_zero_not_ended() -> None:
    out = parley("play", str(MINI), "--choices", "push", "--json")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert data["ended"] is False and data["offered"] == ["advise", "again"]


def test_transcript_shows_lines_answers_coaching_and_ending() -> None:
    out = parley("play", str(MINI), "--choices", "cave", "--lang", "nl")
    assert out.returncode == 0
    assert "Dana: Schrap het testen." in out.stdout
    assert "> Sam: Goed." in out.stdout
    assert "Dana hoort het risico nooit." in out.stdout
    assert "Half" in out.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["play", "no-such-scenario", "--choices", "a"], "no scenario file or bundled scenario"),
        (
            ["play", str(MINI), "--choices", "escalate"],
            "'escalate' is not offered at node 'opening'",
        ),
        (["play", str(MINI), "--choices", "push", "--bogus"], "No such option"),
        (["frobnicate"], "No such command"),
        (["play"], "Missing argument"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_message(args: list[str], words: str) -> None:
    out = parley(*args)
    assert out.returncode == 2
    assert words in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_broken_scenario_prints_file_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text().replace("to: middle", "to: midle"))
    out = parley("play", str(bad), "--choices", "push")
    assert out.returncode == 2
    assert f"{bad}:24:13: error[P123]: choice goes to 'midle'" in out.stderr
    assert "did you mean 'middle'?" in out.stderr
    assert "Traceback" not in out.stderr


def test_the_app_without_a_terminal_says_so_instead_of_hanging() -> None:
    out = parley()  # stdin/stdout are pipes here, not a terminal
    assert out.returncode == 2
    assert "needs a terminal" in out.stderr and "--choices" in out.stderr
    # `parley play` without a terminal plays in plain lines (tests/test_plain.py)
    out = parley("play", str(MINI), stdin="")
    assert out.returncode == 0 and "Stopped." in out.stdout
