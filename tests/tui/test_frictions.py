"""Small frictions a new user met: each one, as they would see it now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import Input

from engine.conversation import Conversation
from engine.loader import load_scenario
from simulator.markdown_export import export_markdown
from simulator.screens.help import HelpScreen
from simulator.screens.picker import PickerScreen
from tests.tui.helpers import SMALL, make_app, notices, settle


async def test_question_mark_opens_help_in_the_picker_too() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("l", "a", "t", "e", "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "late"  # no "?" typed in


async def test_the_palette_lists_quit_once() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert [title for title in titles if title.casefold() == "quit"] == ["Quit"], titles


def test_a_trust_change_reads_as_an_arrow_in_the_markdown_export(tmp_path: Path) -> None:
    conv = Conversation(load_scenario(SMALL))
    conv.choose(conv.presented()[1].id)  # trust +10
    text = export_markdown(conv, None, tmp_path).read_text(encoding="utf-8")
    assert "(50 -> 60)" in text and "-\\>" not in text, text


def _contrast(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(fg), luminance(bg)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colours_of(
    app: App[Any], words: str
) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """(text colour, background) of every drawn piece of text that contains `words`."""
    found = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if words in segment.text and style is not None and style.color and style.bgcolor:
                found.append((style.color.get_truecolor(), style.bgcolor.get_truecolor()))
    return [(tuple(fg), tuple(bg)) for fg, bg in found]  # type: ignore[misc]


async def test_the_players_own_lines_are_readable_in_both_themes() -> None:
    """What `parley serve` shows a browser is this screen: contrast at least 4.5:1 (WCAG AA)."""
    for theme in ("textual-dark", "textual-light"):
        app = make_app(SMALL)
        app.theme = theme
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            pieces = _colours_of(app, "risk log waits")
            assert pieces, "the answer is not on screen"
            for fg, bg in pieces:
                assert _contrast(fg, bg) >= 4.5, (theme, fg, bg, _contrast(fg, bg))


async def test_a_language_the_scenario_lacks_is_said_once() -> None:
    app = make_app(SMALL, lang="sv")  # the scenario has en and nl
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        said = [n for n in notices(app) if "has no 'sv' text" in n]
        assert said == ["\"The late report\" has no 'sv' text: playing in en (it has en, nl)."]
