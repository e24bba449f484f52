"""The flagship scenario played to each outcome in the app, by key presses alone."""

from __future__ import annotations

import pytest

from engine.loader import load_scenario
from simulator.screens.debrief import DebriefScreen
from simulator.screens.picker import PickerScreen
from simulator.screens.play import PlayScreen
from tests.tui.helpers import FLAGSHIP, keys_to, make_app, screen_text, settle

OUTCOMES = ("success", "partial", "failure")


@pytest.mark.parametrize("outcome", OUTCOMES)
async def test_flagship_to_each_outcome_by_keys(outcome: str) -> None:
    scenario = load_scenario(FLAGSHIP)
    keys = keys_to(scenario, outcome)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"budget-cut", "enter")  # from the picker, as a newcomer would
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen) and play.conv is not None
        assert play.conv.outcome == outcome
        ending = play.conv.ending
        assert ending is not None
        assert f"■ {ending.title.get('en')} ({outcome})" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert f"{ending.title.get('en')}  {outcome}" in screen_text(app)
        await pilot.press("q")
