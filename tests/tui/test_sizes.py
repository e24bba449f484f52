"""Every terminal size: from 60×20 to 200×50 every answer can be reached and the way to it is
visible, wide windows keep a readable measure and give the coaching room, and nothing is cut
off without an ellipsis."""

from __future__ import annotations

from typing import Any

from textual.widgets import OptionList

from tests.tui.helpers import (
    FLAGSHIP,
    ROOT,
    SMALL,
    make_app,
    region_lines,
    screen_lines,
    settle,
    words,
)

FOUR_ANSWERS = ROOT / "scenarios" / "stepping-stone.yaml"  # its opening offers four answers
LONG_NAME = ROOT / "scenarios" / "after-the-audit.yaml"  # Marta Kowalski


def bottom_border(app: Any, widget: Any) -> str:
    region = widget.region
    return screen_lines(app)[region.bottom - 1][region.x : region.right]


async def test_at_60x20_every_one_of_four_answers_is_reachable_and_says_so() -> None:
    app = make_app(FOUR_ANSWERS)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        choices = app.screen.query_one("#choices", OptionList)
        assert choices.option_count == 4
        assert "↓ more answers below" in bottom_border(app, choices)
        for _ in range(3):
            await pilot.press("down")
            await settle(pilot)
        # the fourth answer is wholly in view, and the border now points up
        last = choices.get_option_at_index(3).prompt
        shown = words(region_lines(app, choices.scrollable_content_region))
        assert words([last.plain]) in shown, shown  # type: ignore[union-attr]
        assert "↑ more answers above" in bottom_border(app, choices)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.conv.turns == 1  # type: ignore[attr-defined]


async def test_when_every_answer_fits_the_border_says_nothing() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        choices = app.screen.query_one("#choices", OptionList)
        assert "more answers" not in bottom_border(app, choices)


async def test_at_200x50_the_transcript_keeps_a_readable_measure_and_the_coaching_grows() -> None:
    app = make_app(FLAGSHIP)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        story = app.screen.query_one("#story")
        longest = max(len(row.rstrip()) for row in region_lines(app, story.region))
        assert 80 <= longest <= 102, longest  # not 165-character lines
        side = app.screen.query_one("#side")
        coach = app.screen.query_one("#coach")
        assert side.region.width >= 60 and coach.region.width >= 56, (side.region, coach.region)
        assert "Coach: " in words(region_lines(app, coach.region))


async def test_the_side_panel_never_cuts_whose_trust_it_is() -> None:
    app = make_app(LONG_NAME)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        trust = app.screen.query_one("#trust")
        assert "Marta Kowalski's trust in you" in words(region_lines(app, trust.region))


async def test_the_dutch_trust_header_keeps_its_word() -> None:
    app = make_app(FLAGSHIP, lang="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("3", "1"):  # trust falls: a long level name next to the word
            trust = app.screen.query_one("#trust")
            shown = words(region_lines(app, trust.region))
            assert shown.startswith("Vertrouwen "), shown
            assert "Vertrouwen van Dana Okafor" in shown, shown
            await pilot.press(key)
            await settle(pilot)


async def test_a_narrow_status_line_ends_in_an_ellipsis_when_it_cannot_fit() -> None:
    app = make_app(FLAGSHIP, lang="nl")
    async with app.run_test(size=(44, 20)) as pilot:
        await settle(pilot)
        status = app.screen.query_one("#status")
        row = region_lines(app, status.region)[0].rstrip()
        assert row.endswith("…") or row.endswith("/4"), row
