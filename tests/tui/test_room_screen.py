"""`parley room` on screen: the trainer types the room's votes, the play follows the room, the
split and the coaching appear beside the story, and the end shows the room's path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widget import Widget
from textual.widgets import Input

from engine.conversation import Conversation
from engine.loader import load_scenario
from simulator.recording import Recorder
from simulator.room import RoomPlay
from simulator.room_app import RoomApp
from simulator.screens.room import RoomDebrief, RoomScreen
from tests.tui.helpers import FIXTURES, FLAGSHIP, region_lines, screen_lines, words

ROOM = FIXTURES / "records_small.yaml"


def room_app(path: Path = ROOM, recorder: Recorder | None = None) -> RoomApp:
    app = RoomApp(RoomPlay(Conversation(load_scenario(path)), recorder))
    app.animation_level = "none"
    return app


def shown(app: Any, selector: str) -> str:
    """The words the screen shows inside one widget (wrapped lines read as one)."""
    widget: Widget = app.screen.query_one(selector)
    return words(region_lines(app, widget.region))


def vote_labels(app: Any) -> list[list[str]]:
    """The rows with text of each option's label in the vote box (the majority field's too)."""
    labels = app.screen.query("#room-vote .vote-row Label")
    return [[r.rstrip() for r in region_lines(app, w.region) if r.strip()] for w in labels]


async def type_in(pilot: Any, *fields: str) -> None:
    """Type each text into the focused field, then Tab to the next (as a trainer would)."""
    for i, text in enumerate(fields):
        if i:
            await pilot.press("tab")
        await pilot.press(*text)
    await pilot.pause()


async def test_a_room_plays_to_its_ending_by_counts_and_by_majority(tmp_path: Path) -> None:
    db = tmp_path / "room.sqlite3"
    app = room_app(recorder=Recorder(db, cohort="mon", mode="room"))
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        top = screen_lines(app)[0]
        assert top.strip() == "Parley · room mode · Asking for one more week"
        assert shown(app, "#room-story") == "Dana: You wanted a word about the date?"
        assert shown(app, "#room-vote").startswith("╭─ Turn 1: the room's votes ─")
        assert [words(rows) for rows in vote_labels(app)] == [
            "1. Yes. Two minutes on what cycle two found, then a proposal.",
            "2. I need one more week.",
            "3. The vendor has let us down again.",
            "or only the majority's option number:",
        ]
        assert app.focused is app.screen.query_one("#count-1")

        # turn 1: the room's counts, option by option; Enter follows the majority
        await type_in(pilot, "12", "3", "0")
        assert [w.value for w in app.screen.query("#room-vote Input").results(Input)] == [
            "12",
            "3",
            "0",
            "",
        ]
        await pilot.press("enter")
        await pilot.pause()
        story = shown(app, "#room-story")
        assert story.endswith(
            "> The room: Yes. Two minutes on what cycle two found, then a proposal. "
            "Dana: So what do you propose?"
        )
        split = region_lines(app, app.screen.query_one("#room-split").region)
        assert [line.rstrip() for line in split if line.strip()] == [
            "The room's vote (turn 1)",
            "▶ 1. ████████··  12 ( 80%)",
            "  2. ██········   3 ( 20%)",
            "  3. ··········   0 (  0%)",
        ]
        coaching = shown(app, "#room-coaching")
        assert coaching.startswith("Coach: You led with shared facts.")
        assert "Trust +15 (45 -> 60); Dana is now open." in coaching
        assert shown(app, "#room-vote").startswith("╭─ Turn 2: the room's votes ─")
        assert [words(rows) for rows in vote_labels(app)][:3] == [
            "1. Two options: a focused cycle, or go live with hypercare. I advise the first.",
            "2. It's your call.",
            "3. We slip the date. There is no other way.",
        ]
        assert app.focused is app.screen.query_one("#count-1")
        assert all(w.value == "" for w in app.screen.query("#room-vote Input").results(Input))

        # turn 2: only the majority's option number, in the last field
        await type_in(pilot, "", "", "", "1")
        assert app.focused is app.screen.query_one("#majority")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RoomDebrief)
        debrief = shown(app, "#debrief-text")
        assert debrief.startswith("The room's path")
        assert "The room said: Yes. Two minutes on what cycle two found" in debrief
        assert "80% of 15 votes agreed" in debrief
        assert (
            "The room said: Two options: a focused cycle, or go live with hypercare. "
            "I advise the first." in debrief
        )
        assert "(majority only: no counts entered)" in debrief
        assert "Ending: A focused cycle (success) Dana took your advice." in debrief
    app.play.close()


async def test_mistyped_votes_are_explained_and_nothing_is_played() -> None:
    app = room_app()
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # nothing typed
        await pilot.pause()
        assert shown(app, "#room-message") == (
            "enter the room's vote counts, or the majority's option number"
        )
        # counts that name a majority, and a different option number
        await type_in(pilot, "1", "9", "2", "1")
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app, "#room-message") == "the room's majority is option 2, not 1"
        assert app.play.conv.turns == 0
        assert shown(app, "#room-story") == "Dana: You wanted a word about the date?"
        # escape clears every field and goes back to the first
        await pilot.press("escape")
        await pilot.pause()
        assert all(w.value == "" for w in app.screen.query("#room-vote Input").results(Input))
        assert app.focused is app.screen.query_one("#count-1")
        await type_in(pilot, "1", "9", "2")
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app, "#room-message") == ""
        assert "> The room: I need one more week." in shown(app, "#room-story")
        assert app.play.conv.choices_made == ["just_ask"]


async def test_on_a_small_screen_every_vote_field_comes_into_view() -> None:
    """80x24, a scenario with long answers: the vote box is taller than the screen."""
    app = room_app(FLAGSHIP)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer_top = app.screen.query_one("Footer").region.y
        # a long option wraps under its text, not under its number
        first = vote_labels(app)[1]
        assert first[0].startswith("2. With respect,") and len(first) > 2
        assert all(row.startswith("   ") and row[3] != " " for row in first[1:]), first
        for name in ("count-1", "count-2", "count-3", "majority"):
            field = app.screen.query_one(f"#{name}", Input)
            assert app.focused is field
            await pilot.press("2")
            await pilot.pause()
            # the focused field is wholly on screen, above the footer, showing what was typed
            assert field.region.y >= 1 and field.region.bottom <= footer_top, field.region
            assert words(region_lines(app, field.region)) == "▊▔▔▔▔▔▔▔▔▎ ▊ 2 ▎ ▊▁▁▁▁▁▁▁▁▎"
            await pilot.press("backspace", "tab")
            await pilot.pause()
        await pilot.press("shift+tab")  # back to the majority field
        await pilot.press("3", "enter")
        await pilot.pause()
        assert app.play.conv.choices_made == ["ask_two_minutes"]
