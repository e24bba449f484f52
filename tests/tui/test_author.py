"""`parley play FILE --author`: jump to any node (ctrl+j), set the state (ctrl+e), see the
node's links in and out, and whether a play from the start can be in that state."""

from __future__ import annotations

from pathlib import Path

from engine.loader import load_scenario
from simulator.screens.author import EdgesPanel, NodeJump, StateEditor
from tests.cli import parley
from tests.tui.helpers import FLAGSHIP, make_app, screen_text, settle, text_of


async def test_jump_edit_state_and_see_the_edges(tmp_path: Path) -> None:
    sc = load_scenario(FLAGSHIP)
    app = make_app(sc, author=True, data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        edges = app.screen.query_one("#edges", EdgesPanel)
        assert "opening" in text_of(edges) and "→ show_risk (ask_two_minutes)" in text_of(edges)

        await pilot.press("ctrl+j")
        await settle(pilot)
        assert isinstance(app.screen, NodeJump)
        for key in "show_risk":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot)
        assert "Two minutes. Go." in screen_text(app)
        panel = text_of(app.screen.query_one("#edges", EdgesPanel))
        assert "← opening (ask_two_minutes)" in panel and "→ weighs_it (three_numbers)" in panel
        assert "cannot occur" in panel  # trust 45 at show_risk: no play from the start is there

        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, StateEditor)
        trust = app.screen.query_one("#state-trust")
        trust.value = "50"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.conv.trust == 50  # type: ignore[attr-defined]
        assert "cannot occur" not in text_of(app.screen.query_one("#edges", EdgesPanel))

        # a trust the scenario cannot have is refused in the editor, with the reason
        await pilot.press("ctrl+e")
        await settle(pilot)
        app.screen.query_one("#state-trust").value = "500"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StateEditor)
        assert "trust must be 0..100" in text_of(app.screen.query_one("#state-error"))
        await pilot.press("escape")
        await settle(pilot)

        # answering goes on from there as in any play
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.conv.choices_made == ["three_numbers"]  # type: ignore[attr-defined]


async def test_without_author_the_keys_do_nothing(tmp_path: Path) -> None:
    app = make_app(load_scenario(FLAGSHIP), data_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert not isinstance(app.screen, NodeJump)
        assert not app.screen.query("#edges")


def test_author_is_for_the_app() -> None:
    r = parley("play", "budget-cut", "--author", "--json")
    assert r.returncode == 2 and "--author is for the app" in r.stderr
