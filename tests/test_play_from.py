"""Playing from any point: `parley play --from NODE --set …` against `--choices` plays that
reach the same state, and the label for a state no play from the start can be in."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from engine.conversation import Conversation, StartPoint
from engine.errors import PlayError, SaveError
from engine.loader import load_scenario
from engine.startpoint import can_occur, parse_set
from tests.cli import ROOT, parley

BUNDLED = sorted(p for p in (ROOT / "scenarios").glob("*.yaml"))


def _state(conv: Conversation) -> tuple[object, ...]:
    return (
        conv.node.id,
        conv.trust,
        conv.hierarchy,
        conv.trust_level,
        dict(conv.flags),
        conv.ended,
    )


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_a_from_play_continues_like_the_play_that_got_there(path: Path) -> None:
    sc = load_scenario(path)
    text = path.read_text(encoding="utf-8")
    reads_history = any(word in text for word in ("visited(", "chose(", "turns"))
    rng = random.Random(7)
    compared = 0
    for _ in range(25):
        conv = Conversation(sc)
        made: list[str] = []
        while not conv.ended and conv.offered():
            pick = rng.choice(conv.offered()).id
            conv.choose(pick)
            made.append(pick)
            if len(made) > 40:
                break
        if len(made) < 2:
            continue
        cut = rng.randrange(1, len(made))
        before = Conversation.replay(sc, made[:cut])
        if before.ended or not before.node.effects.empty:
            continue  # entering again would apply the node's effects twice
        start = StartPoint(before.node.id, before.trust, before.hierarchy, dict(before.flags))
        there = Conversation(sc, start=start)
        assert _state(there) == _state(before)
        assert can_occur(sc, there) is True  # a real play was there
        # the rest of the play: the same answers do the same things, unless a condition reads
        # the history the from-play does not have (visited(), chose(), turns)
        for ref in made[cut:]:
            if ref not in {c.id for c in there.offered()}:
                assert reads_history
                break
            before.choose(ref)
            there.choose(ref)
            if _state(there) != _state(before):
                assert reads_history
                break
        compared += 1
    assert compared >= 3


def test_the_command_line_from_play_matches_the_choices_play() -> None:
    full = parley("play", "budget-cut", "--choices", "ask_two_minutes,three_numbers", "--json")
    part = parley(
        "play",
        "budget-cut",
        "--from",
        "show_risk",
        "--set",
        "trust=50",
        "--choices",
        "three_numbers",
        "--json",
    )
    assert full.returncode == 0 and part.returncode == 0, part.stderr
    a, b = json.loads(full.stdout), json.loads(part.stdout)
    for key in ("trust", "trust_level", "hierarchy", "flags", "offered", "ended"):
        assert a[key] == b[key], key
    assert b["from"] == {
        "node": "show_risk",
        "trust": 50,
        "rung": None,
        "flags": {},
        "can_occur": True,
    }
    assert b["choices"] == ["three_numbers"] and a["path"][-1] == b["path"][-1]


def test_a_state_that_cannot_occur_is_played_and_labelled() -> None:
    r = parley("play", "budget-cut", "--from", "show_risk", "--set", "trust=5,rung=trusted-advisor")
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert first.startswith("[from 'show_risk' with trust 5, rung trusted-advisor")
    assert "cannot occur in a play from the start" in first
    assert "Two minutes. Go." in r.stdout
    sc = load_scenario(ROOT / "scenarios" / "budget-cut.yaml")
    assert (
        can_occur(sc, Conversation(sc, start=StartPoint("show_risk", 5, "trusted-advisor")))
        is False
    )


def test_from_with_flags_and_undo_keeps_the_starting_point() -> None:
    sc = load_scenario(ROOT / "scenarios" / "budget-cut.yaml")
    start = StartPoint("show_risk", *parse_set("trust=60,rung=peer,testing_cut=true"))
    conv = Conversation(sc, start=start)
    assert (conv.trust, conv.hierarchy, conv.flags["testing_cut"]) == (60, "peer", True)
    first = conv.offered()[0].id
    conv.choose(first)
    conv.undo()
    assert _state(conv) == _state(Conversation(sc, start=start))
    # a save of a from-play restores to the same place; a damaged starting point is refused
    conv.choose(first)
    again = Conversation.restore(sc, json.loads(json.dumps(conv.snapshot())))
    assert _state(again) == _state(conv) and again.start_point == start
    broken = {**conv.snapshot(), "from": {"node": 7}}
    with pytest.raises(SaveError, match="starting point is damaged"):
        Conversation.restore(sc, broken)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "nope"], "there is no node 'nope'"),
        (["--from", "show_risk", "--set", "rung=boss"], "'boss' is not a rung"),
        (["--from", "show_risk", "--set", "trust=500"], "trust must be 0..100"),
        (["--from", "show_risk", "--set", "trust"], "'trust' is not NAME=VALUE"),
        (["--set", "trust=5"], "--set needs --from NODE"),
    ],
)
def test_bad_starting_points_are_one_clear_message(args: list[str], message: str) -> None:
    r = parley("play", "budget-cut", *args)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr


def test_start_point_errors_in_the_engine() -> None:
    sc = load_scenario(ROOT / "scenarios" / "budget-cut.yaml")
    with pytest.raises(PlayError):
        Conversation(sc, start=StartPoint("nowhere"))
