"""Room mode: the room's votes drive the play, the split is shown, the play is recorded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from engine.conversation import Conversation
from engine.loader import load_scenario
from simulator.recording import Recorder
from simulator.room import RoomPlay, RoomTie, Vote, VoteError, majority, parse_votes
from tests.cli import parley

ROOT = Path(__file__).resolve().parent.parent
SMALL = Path(__file__).parent / "fixtures" / "records_small.yaml"


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def test_parse_votes() -> None:
    assert parse_votes("12,3,0; 2,9 ;@2;5,5@1") == [
        Vote((12, 3, 0)),
        Vote((2, 9)),
        Vote(None, "2"),
        Vote((5, 5), "1"),
    ]
    with pytest.raises(VoteError, match="not a list of vote counts"):
        parse_votes("12,three")
    with pytest.raises(VoteError, match="cannot be negative"):
        parse_votes("1,-2")


def test_majority_tie_and_pick() -> None:
    conv = Conversation(load_scenario(SMALL))
    options = conv.offered()
    assert majority(Vote((1, 9, 2)), options) == (options[1], False)
    assert majority(Vote(None, "blame_vendor"), options) == (options[2], False)
    with pytest.raises(RoomTie) as tie:
        majority(Vote((4, 4, 1)), options)
    assert [c.id for c in tie.value.tied] == ["facts_first", "just_ask"]
    assert majority(Vote((4, 4, 1), "2"), options) == (options[1], True)
    with pytest.raises(VoteError, match="majority is option 2, not 1"):
        majority(Vote((1, 9, 2), "1"), options)
    with pytest.raises(VoteError, match="2 vote counts for 3 options"):
        majority(Vote((1, 2)), options)


def test_headless_room_play_shows_splits_and_is_recorded(tmp_path: Path) -> None:
    db = tmp_path / "room.sqlite3"
    out = parley(
        "room", str(SMALL), "--votes", "12,3,0;5,5,1@2", "--cohort", "friday",
        "--participant", "Room B", "--db", str(db),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    text = out.stdout
    # learners see the start of each option's text, never a choice id
    assert (
        "▶ 1. ████████████████····  12 ( 80%)  Yes. Two minutes on what cycle two found, then…"
        in text
    )
    assert "facts_first" not in text and "just_ask" not in text
    # nor a node id: the room's path names the turn and who spoke
    sc = load_scenario(SMALL)
    assert not [nid for nid in sc.nodes if f"'{nid}'" in text or f" {nid}:" in text]
    assert "Coach: You led with shared facts." in text
    assert "(a tie: the facilitator picked)" in text
    assert "The room's path" in text and "80% of 15 votes agreed" in text
    assert "Ending: Cut with open eyes (partial)" in text
    assert rows(db, "SELECT participant, cohort, mode, outcome FROM plays") == [
        ("Room B", "friday", "room", "partial")
    ]
    assert rows(db, "SELECT turn, choice, votes FROM steps ORDER BY turn") == [
        (1, "facts_first", '{"facts_first": 12, "just_ask": 3, "blame_vendor": 0}'),
        (2, "your_call", '{"two_options": 5, "your_call": 5, "insist": 1}'),
    ]
    report = parley("report", "--cohort", "friday", "--db", str(db), "--format", "json")
    assert report.returncode == 0, report.stderr
    import json

    [s] = json.loads(report.stdout)["scenarios"]
    ask = {o["choice"]: o["votes"] for o in s["nodes"][0]["options"]}
    assert ask == {"facts_first": 12, "just_ask": 3, "blame_vendor": 0}


def test_a_tie_without_a_pick_stops_with_a_hint(tmp_path: Path) -> None:
    out = parley("room", str(SMALL), "--votes", "4,4,0", "--db", str(tmp_path / "r.sqlite3"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "the room is tied between options 1 and 2" in out.stderr
    assert "add @N after the counts" in out.stderr


def test_majority_only_votes_are_recorded_without_counts(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    out = parley("room", str(SMALL), "--votes", "@1;@1", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "(majority only: no counts entered)" in out.stdout
    assert rows(db, "SELECT choice, votes FROM steps ORDER BY turn") == [
        ("facts_first", None),
        ("two_options", None),
    ]


async def test_room_screen_follows_the_majority_and_shows_the_split(tmp_path: Path) -> None:
    from textual.widgets import Static

    from simulator.room_app import RoomApp
    from simulator.screens.room import RoomDebrief, RoomScreen

    db = tmp_path / "room.sqlite3"
    play = RoomPlay(Conversation(load_scenario(SMALL)), Recorder(db, cohort="sat", mode="room"))
    app = RoomApp(play)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        await pilot.press("2", "tab", "9", "tab", "1", "enter")  # counts 2, 9, 1
        await pilot.pause()
        split = str(app.screen.query_one("#room-split", Static).render())
        chosen = next(line for line in split.splitlines() if line.startswith("▶"))
        assert chosen.startswith("▶ 2 █") and chosen.endswith("  9   75%")
        assert "just_ask" not in split  # learners see numbers, never choice ids
        # a tie: the facilitator picks option 1
        await pilot.press("4", "tab", "4", "tab", "0", "enter")
        await pilot.pause()
        message = str(app.screen.query_one("#room-message", Static).render())
        assert "tied between options 1 and 2" in message
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, RoomDebrief)
        debrief = str(app.screen.query_one("#debrief-text", Static).render())
        assert "The room's path" in debrief and "(a tie: the facilitator picked)" in debrief
        assert "Ending: A focused cycle (success)" in debrief
    play.close()
    assert rows(db, "SELECT mode, cohort, outcome FROM plays") == [("room", "sat", "success")]
    # the room's decisive moment is recorded with the play (the progress report shows it)
    assert rows(db, "SELECT json_extract(decisive, '$.kind'), json_extract(decisive, '$.choice') "
                "FROM plays") == [("locked_in", "two_options")]  # fmt: skip
    assert rows(db, "SELECT choice, votes FROM steps ORDER BY turn") == [
        ("just_ask", '{"facts_first": 2, "just_ask": 9, "blame_vendor": 1}'),
        ("two_options", '{"two_options": 4, "your_call": 4, "insist": 0}'),
    ]
