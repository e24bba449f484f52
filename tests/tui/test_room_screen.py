"""`parley room` on screen: the trainer types the room's votes, the play follows the room, the
split and the coaching appear beside the story, and the end shows the room's path."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
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
    """The rows with text of each answer's label in the vote box."""
    labels = app.screen.query("#room-vote .vote-text")
    return [[r.rstrip() for r in region_lines(app, w.region) if r.strip()] for w in labels]


async def type_in(pilot: Any, *texts: str) -> None:
    """Type each text into the focused field, then Tab to the next (as a trainer would)."""
    for i, text in enumerate(texts):
        if i:
            await pilot.press("tab")
        await pilot.press(*text)
    await pilot.pause()


def fields(app: Any) -> list[str]:
    return [w.value for w in app.screen.query("#room-vote Input").results(Input)]


async def test_a_room_plays_to_its_ending_by_counts_and_by_majority(tmp_path: Path) -> None:
    db = tmp_path / "room.sqlite3"
    app = room_app(recorder=Recorder(db, cohort="mon", mode="room"))
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        top = screen_lines(app)[:2]
        assert top[0].strip() == "Parley · room mode · Asking for one more week"
        assert " ".join(top[1].split()).startswith("Dana's trust in you 45 ")
        assert " ".join(top[1].split()).endswith("neutral · Rung service-provider 2/4")
        assert shown(app, "#room-story") == "Dana · Sponsor You wanted a word about the date?"
        assert shown(app, "#room-vote").startswith("╭─ Turn 1: the room's votes ─")
        assert [words(rows) for rows in vote_labels(app)] == [
            "1. Yes. Two minutes on what cycle two found, then a proposal.",
            "2. I need one more week.",
            "3. The vendor has let us down again.",
        ]
        assert "or only the majority's option number:" in shown(app, "#room-vote")
        assert app.focused is app.screen.query_one("#count-1")

        # turn 1: the room's counts, option by option; Enter follows the majority
        await type_in(pilot, "12", "3", "0")
        assert fields(app) == ["12", "3", "0", ""]
        await pilot.press("enter")
        await pilot.pause()
        story = shown(app, "#room-story")
        assert story.endswith(
            "The room: Yes. Two minutes on what cycle two found, then a proposal. "
            "Dana · Sponsor So what do you propose?"
        )
        assert shown(app, "#room-split-heading") == "The room's vote (turn 1)"
        split = [
            line.rstrip() for line in region_lines(app, app.screen.query_one("#room-split").region)
        ]
        rows = [" ".join(line.split()) for line in split if line.strip()]
        # one bar per answer, the room's choice marked; under each, the answer's words
        assert [re.sub("[█░]+", "BAR", row) for row in rows] == [
            "▶ 1 BAR 12 80%",
            "Yes. Two minutes on what cycle two found…",
            "2 BAR 3 20%",
            "I need one more week.",
            "3 BAR 0 0%",
            "The vendor has let us down again.",
        ]
        bars = [(row.count("█"), row.count("░")) for row in rows[::2]]
        assert len({full + empty for full, empty in bars}) == 1  # all the same length
        assert [round(100 * full / (full + empty), -1) for full, empty in bars] == [80, 20, 0]
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
        assert fields(app) == ["", "", "", ""]
        assert " ".join(screen_lines(app)[1].split()).startswith("Dana's trust in you 60 ")
        assert "open ▲ +15 · Rung" in " ".join(screen_lines(app)[1].split())

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
        assert shown(app, "#room-story") == "Dana · Sponsor You wanted a word about the date?"
        # escape clears every field and goes back to the first
        await pilot.press("escape")
        await pilot.pause()
        assert all(w.value == "" for w in app.screen.query("#room-vote Input").results(Input))
        assert app.focused is app.screen.query_one("#count-1")
        await type_in(pilot, "1", "9", "2")
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app, "#room-message") == ""
        assert "The room: I need one more week." in shown(app, "#room-story")
        assert app.play.conv.choices_made == ["just_ask"]


async def test_on_a_small_screen_every_vote_field_comes_into_view() -> None:
    """80x24 (below the projector sizes), a scenario with long answers: the vote box is
    taller than its share of the screen and scrolls to the field being typed in."""
    app = room_app(FLAGSHIP)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer_top = app.screen.query_one("Footer").region.y
        # a long answer wraps under its text, not under its number
        second = vote_labels(app)[1]
        assert second[0].startswith("2. With respect,") and len(second) > 2
        assert all(row.startswith("   ") and row[3] != " " for row in second[1:]), second
        for name in ("count-1", "count-2", "count-3", "majority"):
            field = app.screen.query_one(f"#{name}", Input)
            assert app.focused is field
            await pilot.press("2")
            await pilot.pause()
            # the focused field is on screen, above the footer, showing what was typed
            assert field.region.y >= 1 and field.region.bottom <= footer_top, field.region
            assert words(region_lines(app, field.region)) == "2"
            await pilot.press("backspace", "tab")
            await pilot.pause()
        await pilot.press("shift+tab")  # back to the majority field
        await pilot.press("3", "enter")
        await pilot.pause()
        assert app.play.conv.choices_made == ["ask_two_minutes"]


PROJECTORS = [(110, 32), (200, 50)]


@pytest.mark.parametrize("size", PROJECTORS, ids=["110x32", "200x50"])
async def test_on_a_projector_the_split_coaching_trust_and_rung_are_all_in_view(
    size: tuple[int, int],
) -> None:
    """The flagship's long answers: after a vote the split and the coaching show whole
    beside the conversation, the next answers below, trust and rung on top."""
    app = room_app(FLAGSHIP)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        # typed as fast as a facilitator does: each count lands in its own field
        await pilot.press("2", "tab", "1", "tab", "9", "enter")
        await pilot.pause()
        assert app.play.steps[0].counts == (2, 1, 9)
        height = size[1]
        for selector in ("#room-split-heading", "#room-split", "#room-coaching", "#room-standing"):
            region = app.screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= height - 1, (selector, region)
        assert "Coach: " in shown(app, "#room-coaching")
        side = app.screen.query_one("#room-side")
        assert side.max_scroll_y == 0, "the split and the coaching run on below the screen"
        top = " ".join(" ".join(screen_lines(app)[:2]).split())
        assert "Dana Okafor's trust in you 50" in top and "Rung service-provider 2/4" in top
        # the next vote's answers are on screen, each with its field
        assert shown(app, "#room-vote").startswith("╭─ Turn 2: the room's votes ─")
        for n in (1, 2, 3):
            field = app.screen.query_one(f"#count-{n}", Input).region
            assert field.height == 1 and field.bottom <= height - 1


async def test_the_conversation_reads_at_a_comfortable_measure_on_a_wide_projector() -> None:
    """200 columns: lines wrap near 90 characters, not at the screen's edge and not broken
    at 80 in advance (which the screen would then wrap again, raggedly)."""
    app = room_app(FLAGSHIP)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        story = app.screen.query_one("#room-story")
        lines = [line.rstrip() for line in region_lines(app, story.region) if line.strip()]
        longest = max(len(line) for line in lines)
        assert 84 <= longest <= 96, lines
        # a paragraph runs on to the measure: only its last line is short
        text = [line for line in lines if line.strip().startswith(("I've read", "cycle?"))]
        assert text and len(text[0].rstrip()) > 84, lines
