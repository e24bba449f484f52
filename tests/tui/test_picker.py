"""The picker: every scenario Parley finds, type to filter, broken files listed with errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from textual.widgets import Input, OptionList

from engine.loader import load_scenario
from simulator.paths import saves_dir, user_scenarios_dir
from simulator.saves import save_path
from simulator.screens.picker import PickerScreen
from simulator.screens.play import PlayScreen
from tests.tui.helpers import BROKEN, SMALL, make_app, notices, screen_text, settle


def _dir_with(tmp_path: Path, *files: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


async def test_lists_bundled_and_extra_scenarios_with_their_details(tmp_path: Path) -> None:
    folder = _dir_with(tmp_path, SMALL)
    app = make_app(scenario_dirs=(str(folder),))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        text = screen_text(app)
        assert "The sponsor wants to cut testing" in text  # bundled flagship
        assert "The late report" in text
        assert "Your manager wants the status report a day early." in text
        assert "★☆☆ difficulty 1" in text
        assert "manager, deadline" in text
        assert "en nl" in text
        assert "SORE" in text


async def test_lists_the_users_own_scenario_folder() -> None:
    user_scenarios_dir().mkdir(parents=True)
    shutil.copy(SMALL, user_scenarios_dir() / "mine.yaml")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert "The late report" in screen_text(app)


async def test_a_broken_file_is_listed_with_its_error_not_hidden(tmp_path: Path) -> None:
    folder = _dir_with(tmp_path, SMALL, BROKEN)
    app = make_app(scenario_dirs=(str(folder),))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "⚠ tui_broken.yaml does not load" in text
        assert "tui_broken.yaml:8:8" in text
        assert "start names 'nowhere'" in text
        assert "The late report" in text  # the others still load
        # choosing it says why, and stays on the picker
        await pilot.press(*"mistake")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_typing_filters_the_list(tmp_path: Path) -> None:
    folder = _dir_with(tmp_path, SMALL)
    app = make_app(scenario_dirs=(str(folder),))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"deadline")
        await pilot.pause()
        text = screen_text(app)
        assert "The late report" in text
        assert "The sponsor wants to cut testing" not in text
        await pilot.press(*"zzz")
        await pilot.pause()
        assert "No scenario matches your filter." in screen_text(app)
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == ""
        assert "The sponsor wants to cut testing" in screen_text(app)


async def test_enter_plays_the_highlighted_scenario_and_arrows_move(tmp_path: Path) -> None:
    folder = _dir_with(tmp_path, SMALL)
    app = make_app(scenario_dirs=(str(folder),))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        titles = [e.scenario.title.get() for e in screen.shown_entries if e.scenario]
        index = titles.index("The late report")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert "I need the report by tomorrow." in screen_text(app)
        await pilot.press("escape")  # back to the picker
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_clicking_a_scenario_plays_it(tmp_path: Path) -> None:
    folder = _dir_with(tmp_path, SMALL)
    app = make_app(scenario_dirs=(str(folder),))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"tui-small")
        await pilot.pause()
        await pilot.click("#scenarios", offset=(4, 1))
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_a_saved_play_shows_resume_and_enter_resumes_it(tmp_path: Path) -> None:
    folder = _dir_with(tmp_path, SMALL)
    app = make_app(scenario_dirs=(str(folder),))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"tui-small", "enter")
        await pilot.pause()
        await pilot.press("2")  # answer: the trade
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "⟲ resume (turn 2)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "The risk log can wait. Anything else?" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+n")  # a new play from the start
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.conv is not None and app.screen.conv.turns == 0
    save = json.loads(save_path(load_scenario(folder / SMALL.name)).read_text())
    assert save["choices"] == ["trade"]  # the old save stays until the new play answers


async def test_escape_on_an_empty_filter_quits() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0


async def test_f1_shows_every_key_of_the_picker() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        for words in ("Play", "New play", "Clear filter or quit", "Reload scenarios", "^p"):
            assert words in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_every_picker_action_is_in_the_command_palette() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for title in ("Play", "New play", "Clear filter or quit", "Reload scenarios", "Help"):
            assert title in titles
        options = app.screen.query_one("#scenarios", OptionList)
        assert options.option_count > 0


async def test_a_damaged_save_is_moved_aside_and_said_once(tmp_path: Path) -> None:
    folder = _dir_with(tmp_path, SMALL)
    saves_dir().mkdir(parents=True)
    path = save_path(load_scenario(folder / SMALL.name))
    path.write_text("{oops")
    app = make_app(scenario_dirs=(str(folder),))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        # said once, with where it went; the app starts and the file is out of the way
        notes = notices(app)
        assert any("damaged (not valid JSON)" in m and ".damaged" in m for m in notes), notes
        assert not path.exists() and path.with_name(path.name + ".damaged").exists()
        assert "saved play damaged" not in screen_text(app)
    app = make_app(scenario_dirs=(str(folder),))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert not [n for n in notices(app) if "damaged" in n]  # only once


async def test_page_keys_and_reload(tmp_path: Path) -> None:
    folder = _dir_with(tmp_path, SMALL)
    app = make_app(scenario_dirs=(str(folder),))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#scenarios", OptionList)
        await pilot.press("pagedown")
        assert options.highlighted == options.option_count - 1 or options.highlighted == 5
        await pilot.press("pageup")
        assert options.highlighted == 0
        shutil.copy(BROKEN, folder / BROKEN.name)
        await pilot.press("ctrl+r")  # reads the folders again
        await settle(pilot)
        assert "⚠ tui_broken.yaml does not load" in screen_text(app)
