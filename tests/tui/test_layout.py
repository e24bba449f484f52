"""What the player sees of the layout: wrapped answers hang under their own text, and notices
never cover the answers, at every size the app supports."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from engine.conversation import Conversation
from engine.events import Step
from simulator.screens.play import PlayScreen
from tests.tui.helpers import FLAGSHIP, SMALL, make_app, region_lines, settle, words

SIZES = [(80, 24), (60, 20), (100, 30)]
NOTICE_SIZES = [*SIZES, (200, 50)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
ANSWER_START = re.compile(r"^( *)(\d) (\S)")


def _play(app: Any) -> PlayScreen:
    screen = app.screen
    assert isinstance(screen, PlayScreen)
    return screen


def answers_on_screen(app: Any) -> list[tuple[int, list[str]]]:
    """The answers as drawn: (column of the text, its rows) per answer, top to bottom.

    A row that starts with a number begins an answer; every other row with text continues
    the answer above and must start where that answer's text starts."""
    choices = app.screen.query_one("#choices", OptionList)
    answers: list[tuple[int, list[str]]] = []
    number_col: int | None = None
    for row in region_lines(app, choices.scrollable_content_region):
        if not row.strip():
            continue
        start = ANSWER_START.match(row)
        if start is not None:
            assert number_col in (None, start.start(2)), f"numbers not in one column: {row!r}"
            number_col = start.start(2)
            answers.append((start.start(3), [row]))
            continue
        assert answers, f"a row before the first answer: {row!r}"
        text_col, rows = answers[-1]
        indent = len(row) - len(row.lstrip(" "))
        assert indent == text_col, (
            f"continuation {row!r} starts at column {indent}, its answer's text at {text_col}:\n"
            + "\n".join(rows)
        )
        rows.append(row)
    return answers


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("path", [SMALL, FLAGSHIP], ids=["small", "budget-cut"])
async def test_wrapped_answers_continue_under_their_text(path: Path, size: tuple[int, int]) -> None:
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        conv = _play(app).conv
        assert conv is not None
        answers = answers_on_screen(app)
        assert any(len(rows) > 1 for _, rows in answers), "no answer wraps: nothing was checked"
        offered = [" ".join(c.text.get(conv.lang).split()) for c in conv.offered()]
        assert len(answers) <= len(offered)
        for n, ((col, rows), text) in enumerate(zip(answers, offered, strict=False), start=1):
            shown = words(row[col:] for row in rows)
            assert rows[0][col - 2 : col] == f"{n} "
            if n < len(answers):
                assert shown == text  # every word of the answer, in order
            else:
                assert text.startswith(shown)  # the last one may run on below the box


async def test_a_click_anywhere_on_a_wrapped_answer_takes_it() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        choices = app.screen.query_one("#choices", OptionList)
        rows = region_lines(app, choices.region)
        y = next(i for i, row in enumerate(rows) if "week. Which matters more?" in row)
        assert rows[y - 1].startswith("│ 2 I can do tomorrow")
        await pilot.click(choices, offset=(2, y))  # the blank under the number "2"
        await settle(pilot)
        assert _play(app).conv.choices_made == ["trade"]  # type: ignore[union-attr]


# ---------------------------------------------------------------- notices


def lasting_notices(app: Any) -> None:
    """Notices stay until the test has looked at them: no race with their 2-3 s timeout."""
    notify = app.notify

    def stay(*args: Any, **kwargs: Any) -> None:
        kwargs["timeout"] = 600
        notify(*args, **kwargs)

    app.notify = stay


def _toast(app: Any) -> Any:
    toasts = list(app.screen.query("Toast"))
    assert len(toasts) == 1, toasts
    return toasts[0]


@pytest.mark.parametrize("size", NOTICE_SIZES, ids=[f"{w}x{h}" for w, h in NOTICE_SIZES])
async def test_a_notice_does_not_cover_the_answers(size: tuple[int, int]) -> None:
    app = make_app(SMALL)
    lasting_notices(app)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("2", "u")  # undo: "Took back your answer. ..."
        await settle(pilot)
        toast = _toast(app)
        assert (
            words(region_lines(app, toast.content_region))
            == "Took back your answer. Back at turn 1."
        )
        choices = app.screen.query_one("#choices", OptionList)
        assert not toast.region.overlaps(choices.region), (toast.region, choices.region)
        shown = words(region_lines(app, choices.scrollable_content_region))
        assert shown == (
            "1 Sure, tomorrow it is. "
            "2 I can do tomorrow if the risk log waits a week. Which matters more? "
            "3 No. It's Friday or nothing."
        )
        # the top line stays readable above the notice, and the trust and rung it is about
        # stay in view: the side panel on wide screens, the status line on narrow ones
        assert toast.region.y >= 1
        for selector in ("#trust", "#ladder", "#status"):
            widget = app.screen.query_one(selector)
            if widget.region.area:
                assert not toast.region.overlaps(widget.region), (selector, toast.region)
        story = app.screen.query_one("#story")
        assert story.region.contains_region(toast.region), (toast.region, story.region)


class FullDisk:
    """A save hook whose disk is full: the app says so in a notice and plays on."""

    def on_start(self, conv: Conversation) -> None:
        pass

    def on_step(self, conv: Conversation, step: Step) -> None:
        raise OSError(28, "No space left on device", "/home/ana/.local/share/parley/saves/x.json")

    def on_undo(self, conv: Conversation) -> None:
        pass

    def on_end(self, conv: Conversation) -> None:
        pass


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_a_long_error_notice_does_not_cover_the_answers(size: tuple[int, int]) -> None:
    app = make_app(SMALL, hooks=[FullDisk()])
    lasting_notices(app)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        toast = _toast(app)
        shown = words(region_lines(app, toast.content_region))
        assert shown.startswith("Could not save FullDisk: [Errno 28] No space left on device")
        choices = app.screen.query_one("#choices", OptionList)
        assert not toast.region.overlaps(choices.region), (toast.region, choices.region)
        assert "1 Let me also flag the vendor delay in the report itself." in words(
            region_lines(app, choices.scrollable_content_region)
        )


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_the_rewind_notice_does_not_cover_the_turning_points(size: tuple[int, int]) -> None:
    app = make_app(FLAGSHIP)
    lasting_notices(app)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        play = _play(app)
        while not play.conv.ended:  # type: ignore[union-attr]
            await pilot.press("2")
            await settle(pilot)
        await pilot.press("enter", "r")  # the debrief, then "rewind": pick a turning point
        await settle(pilot)
        toast = _toast(app)
        assert words(region_lines(app, toast.content_region)) == (
            "Pick a turning point and press Enter."
        )
        turning = app.screen.query_one("#turning", OptionList)
        assert app.focused is turning
        assert not toast.region.overlaps(turning.region), (toast.region, turning.region)
        assert words(region_lines(app, turning.scrollable_content_region)).startswith(
            "Turn 1 trust -10,"
        )
