"""The app never draws a control character from a scenario (#16 class 3): what a widget
shows has them made visible. The texts are generated."""

from __future__ import annotations

import random

from engine.loader import load_scenario_text
from tests.hardening.hostile import control, small_with
from tests.tui.helpers import make_app, screen_text, settle


async def test_the_app_shows_control_characters_as_signs() -> None:
    rng = random.Random(11)
    texts = {
        "I need the report by tomorrow.": control(rng),
        "Sure, tomorrow it is.": control(rng),
        "Kim stops at your desk.": control(rng),
    }
    sc = load_scenario_text(small_with(texts), "esc.yaml")
    app = make_app(sc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
    assert not any(c in shown for c in "\x1b\x9b\x07\x08\x7f"), repr(shown)
    assert any(c in shown for c in "␛␇␈␡") or "\\x9b" in shown
