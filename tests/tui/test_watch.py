"""`parley play FILE --watch`: reload on change, replay choices by id, show load errors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from simulator.screens.play import PlayScreen
from simulator.watch import reload
from tests.tui.helpers import SMALL, make_app, notices, screen_text, settle


def _touch_later(path: Path) -> None:
    """Make sure the change is seen even on filesystems with coarse timestamps."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _touch_later(path)


async def _poll(pilot: object, app: object) -> None:
    """Run the watcher's poll now (the timer does this twice a second)."""
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, PlayScreen)
    screen._poll_file()
    await settle(pilot)  # type: ignore[arg-type]


async def test_a_change_reloads_and_replays_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    shutil.copy(SMALL, path)
    app = make_app(reload(path).scenario, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        _edit(path, "The risk log can wait. Anything else?", "Fine, the log waits. What else?")
        await _poll(pilot, app)
        text = screen_text(app)
        assert "Fine, the log waits. What else?" in text
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.conv is not None
        assert screen.conv.choices_made == ["trade"]
        assert any("Replayed 1 of 1 answers" in n for n in notices(app))


async def test_a_broken_file_shows_its_error_until_fixed(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    shutil.copy(SMALL, path)
    app = make_app(reload(path).scenario, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        _edit(path, "to: weighs", "to: nowhere")
        await _poll(pilot, app)
        banner = app.screen.query_one("#load-error")
        assert banner.display
        text = screen_text(app)
        assert "The scenario file does not load:" in text
        assert f"{path}:" in text and "nowhere" in text
        assert "Fix the file and save it: Parley reloads it." in text
        # the play so far stays on screen and playable
        assert "The risk log can wait. Anything else?" in text
        _edit(path, "to: nowhere", "to: weighs")
        await _poll(pilot, app)
        assert not app.screen.query_one("#load-error").display
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.conv is not None
        assert screen.conv.choices_made == ["trade"]


async def test_a_removed_choice_replays_as_far_as_it_can(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    shutil.copy(SMALL, path)
    app = make_app(reload(path).scenario, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        _edit(path, "id: trade", "id: swap")
        await _poll(pilot, app)
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.conv is not None
        assert screen.conv.choices_made == []
        assert any("Stopped: choice 'trade'" in n for n in notices(app))


async def test_watch_opens_on_a_file_that_does_not_load_yet(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SMALL.read_text(encoding="utf-8").replace("start: ask", "start: nowhere"))
    errors = reload(path).errors
    assert errors
    app = make_app(None, watch=True, scenario_path=path, load_error=errors)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "start names 'nowhere'" in screen_text(app)
        _edit(path, "start: nowhere", "start: ask")
        await _poll(pilot, app)
        assert "I need the report by tomorrow." in screen_text(app)
        assert not app.screen.query_one("#load-error").display
        await pilot.press("2")
        await pilot.pause()
        assert "The risk log can wait. Anything else?" in screen_text(app)


async def test_unchanged_file_is_not_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    shutil.copy(SMALL, path)
    app = make_app(reload(path).scenario, watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        conv = screen.conv
        await _poll(pilot, app)
        assert screen.conv is conv
