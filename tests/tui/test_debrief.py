"""The debrief: ending, dimension bars, trust chart, turning points, rewind, play again, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Sparkline
from textual_plotext import PlotextPlot

from simulator.screens.debrief import DebriefScreen
from simulator.screens.play import PlayScreen
from tests.tui.helpers import SMALL, make_app, screen_lines, screen_text, settle


async def _to_debrief(pilot: object, *keys: str) -> None:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press(*keys)  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_debrief_shows_ending_dimensions_trust_turning_points_and_roads() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_debrief(pilot, "2", "2")
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "■ On time, half the story  partial" in text
        assert "The report is on time; the vendor surprise comes later." in text
        for label in ("Situation", "Options", "Recommendation", "Engagement", "Total"):
            assert label in text
        assert "Kim: 50 → 60 → 60" in text
        assert app.screen.query_one("#trust-chart", PlotextPlot).display
        assert "Turn 1" in text and "trust +10" in text
        assert "Turn 2" in text and "a stronger answer was on offer" in text
        assert "could have said “Let me also flag the vendor delay" in text
        assert "Endings you did not reach" in text and "A trade and a warning" in text


async def test_d_and_1_open_the_debrief_after_the_ending() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "d")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)


async def test_rewind_to_a_turning_point_and_answer_differently() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_debrief(pilot, "2", "2")
        await pilot.press("r")  # focuses the turning points
        await pilot.pause()
        turning = app.screen.query_one("#turning", OptionList)
        assert turning.has_focus
        await pilot.press("down", "enter")  # turn 2
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        assert play.conv is not None and play.conv.choices_made == ["trade"]
        assert "The risk log can wait. Anything else?" in screen_text(app)
        await pilot.press("1")  # answer differently this time
        await pilot.pause()
        assert play.conv.outcome == "success"
        assert "■ A trade and a warning (success)" in screen_text(app)


async def test_rewind_from_the_palette() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_debrief(pilot, "2", "2")
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title in (
            "Play again",
            "Rewind to a turning point",
            "Export as Markdown",
            "Back to the conversation",
            "Help",
            "Quit",
        ):
            assert title in commands
        commands["Rewind to turn 1"].callback()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.conv is not None and app.screen.conv.choices_made == []


async def test_play_again_starts_from_the_first_line() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_debrief(pilot, "3")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.conv is not None and app.screen.conv.turns == 0
        assert "Trust  50 neutral" in screen_text(app)


async def test_export_writes_markdown_and_shows_the_path() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_debrief(pilot, "2", "1")
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen) and screen.exported is not None
        path = Path(screen.exported)
        assert f"Exported to {path}" in screen_text(app)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# The late report")
    assert "## Transcript" in text
    assert "**Kim:** I need the report by tomorrow." in text
    assert "> **Ana (turn 1):** I can do tomorrow if the risk log waits a week." in text
    assert "- Coach: You offered a real trade and let Kim choose." in text
    assert "**Ending:** A trade and a warning (success)" in text
    assert "## Debrief" in text and "Recommendation" in text


async def test_narrow_debrief_draws_a_sparkline_instead_of_the_chart() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(60, 20)) as pilot:
        await _to_debrief(pilot, "2", "1")
        assert not app.screen.query_one("#trust-chart", PlotextPlot).display
        spark = app.screen.query_one("#trust-spark", Sparkline)
        assert spark.display and list(spark.data or []) == [50.0, 60.0, 65.0]


async def test_debrief_help_and_quit() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_debrief(pilot, "3")
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for words in ("Play again", "Rewind to a turning point", "Export as Markdown"):
            assert words in text
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_b_goes_back_and_f1_helps() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_debrief(pilot, "3")
        await pilot.press("f1")
        await pilot.pause()
        assert "Export as Markdown" in screen_text(app)
        await pilot.press("escape", "b")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_clicking_a_turning_point_rewinds() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_debrief(pilot, "2", "2")
        turning = app.screen.query_one("#turning", OptionList)
        turning.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(turning, offset=(4, 1))
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.conv is not None and app.screen.conv.choices_made == []


async def test_debrief_says_which_good_endings_are_equally_defensible(tmp_path: Path) -> None:
    import yaml

    from tests.test_defensible import doc

    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(doc(), sort_keys=False), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(100, 40)) as pilot:
        await _to_debrief(pilot, "2", "1")  # hold, then the fast review
        assert isinstance(app.screen, DebriefScreen)
        text = " ".join(screen_text(app).split())
        assert "These are equally defensible, and each gives something up:" in text
        assert "· Passed with conditions: Starts now; risk carried." in text
        assert "· Held a week (yours): A week late; nothing unreviewed." in text


@pytest.mark.parametrize("size", [(60, 40), (160, 40)], ids=["60x40", "160x40"])
async def test_a_long_defensible_ending_wraps_under_its_own_text(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Each trade-off's later rows start under its text, not at the edge: on a narrow screen,
    and on a wide one where the body stops at its max-width (110 columns)."""
    import yaml

    from tests.test_defensible import doc

    long = (
        "The project starts on Monday as planned, and the sponsor signs a risk acceptance "
        "that names every finding the security review would have looked at."
    )
    d = doc()
    d["nodes"]["passed"]["ending"]["trade_off"] = {"en": long, "nl": long}
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await _to_debrief(pilot, "2", "1")
        assert isinstance(app.screen, DebriefScreen)
        rows = screen_lines(app)
        first = next(i for i, r in enumerate(rows) if "· Passed with conditions:" in r)
        bullet = rows[first].index("·")
        item = [rows[first]]
        for row in rows[first + 1 :]:
            if "·" in row or not row.strip():
                break
            item.append(row)
        assert len(item) >= 2, item  # the long trade-off needs more than one row
        for row in item[1:]:
            indent = len(row) - len(row.lstrip(" "))
            assert indent == bullet + 2, f"{row!r} starts at {indent}, the text at {bullet + 2}"
        assert " ".join(" ".join(item).split()).endswith("would have looked at.")
