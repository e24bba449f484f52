"""SVG snapshots of the app (pytest-textual-snapshot). Plain sync tests: snap_compare runs
its own event loop. Update with `pytest tests/tui/test_snapshots.py --snapshot-update`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from simulator.screens import picker
from tests.tui.helpers import BROKEN, FIXTURES, SMALL, make_app


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _keys(*keys: str) -> Any:
    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run


@pytest.fixture
def fixture_scenarios_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The picker lists only our fixtures, so bundled scenario edits do not move snapshots."""
    monkeypatch.setattr(picker, "list_paths", lambda dirs: [SMALL, BROKEN])


def test_picker_snapshot(snap_compare: Any, fixture_scenarios_only: None) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_keys())


def test_mid_play_with_coaching_snapshot(snap_compare: Any) -> None:
    assert snap_compare(make_app(SMALL), terminal_size=(80, 24), run_before=_keys("2"))


def test_debrief_snapshot(snap_compare: Any) -> None:
    app = make_app(SMALL)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_keys("2", "2", "enter"))


def test_narrow_60x20_snapshot(snap_compare: Any) -> None:
    assert snap_compare(make_app(SMALL), terminal_size=(60, 20), run_before=_keys("2"))


def test_light_theme_snapshot(snap_compare: Any) -> None:
    app = make_app(SMALL)
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=_keys("2"))


@pytest.mark.parametrize("size", [(110, 32), (200, 50)], ids=["110x32", "200x50"])
def test_room_on_a_projector_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    """`parley room` on 1280×720 and 1920×1080 projectors, turn 2: trust and rung on top,
    the conversation, turn 1's split as a chart with its coaching, the next vote."""
    from textual.widgets import Input

    from engine.conversation import Conversation
    from engine.loader import load_scenario
    from simulator.room import RoomPlay
    from simulator.room_app import RoomApp

    app = RoomApp(RoomPlay(Conversation(load_scenario(FIXTURES / "records_small.yaml"))))
    app.animation_level = "none"

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("1", "2", "tab", "3", "tab", "0", "enter")  # counts 12, 3, 0
        await _settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a steady cursor in the focused count
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_fixture_paths_are_not_in_snapshots() -> None:
    """Snapshots must not carry machine-dependent text (paths, clocks, versions)."""
    folder = Path(__file__).parent / "__snapshots__"
    if not folder.exists():
        pytest.skip("There are no snapshots yet to check.")
    for svg in folder.rglob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert str(FIXTURES) not in text and "/tmp/" not in text, svg


SIZES = [(60, 20), (80, 24), (120, 40), (200, 50)]


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_play_at_every_size_snapshot(snap_compare: Any, size: tuple[int, int], lang: str) -> None:
    """Turn 2 after an answer: transcript, coaching, trust and rung, the answers."""
    app = make_app(SMALL, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=_keys("2"))


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_debrief_at_every_size_snapshot(
    snap_compare: Any, size: tuple[int, int], lang: str
) -> None:
    app = make_app(SMALL, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=_keys("2", "2", "enter"))
