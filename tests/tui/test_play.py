"""The conversation screen: answering by key, arrows or mouse; trust, ladder, coaching; keys."""

from __future__ import annotations

import json

from textual.widgets import OptionList

from engine.loader import load_scenario
from simulator.paths import saves_dir
from simulator.saves import save_path
from simulator.screens.help import HelpScreen
from simulator.screens.play import PlayScreen
from simulator.widgets.story import Story
from tests.tui.helpers import SMALL, make_app, notices, screen_text, settle, text_of


def _play(app: object) -> PlayScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, PlayScreen)
    return screen


async def test_shows_speaker_role_narration_line_and_numbered_choices() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Kim stops at your desk." in text
        assert "Kim · Manager" in text
        assert "I need the report by tomorrow." in text
        assert "1 Sure, tomorrow it is." in text
        assert "2 I can do tomorrow if the risk log waits a week." in text
        assert "3 No. It's Friday or nothing." in text
        assert "Trust  50 neutral" in text
        assert "▶ service-provider" in text


async def test_number_key_answers_and_trust_ladder_coaching_follow() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert "Ana (you): I can do tomorrow if the risk log waits a week." in text
        assert "The risk log can wait. Anything else?" in text
        assert "Trust  60 open ▲ +10" in text
        assert "▶ peer ▲" in text
        assert "Coach: You offered a real trade and let Kim choose." in text
        assert "Kim is now open" in text
        # a climb that the ladder's `requires` stops is explained, never with its condition
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)
        assert "trusted-advisor: Kim was not ready to give you that standing yet." in text
        assert ">=" not in text
        assert "▸ See the debrief" in text


async def test_arrows_and_enter_answer() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert "Then I'll ask someone else." in screen_text(app)
        assert _play(app).conv.outcome == "failure"  # type: ignore[union-attr]


async def test_a_click_answers() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        choices = app.screen.query_one("#choices", OptionList)
        # the first answer is on the first line inside the border
        await pilot.click(choices, offset=(4, 1))
        await pilot.pause()
        assert _play(app).conv.choices_made == ["agree"]  # type: ignore[union-attr]
        assert "Great." in screen_text(app)


async def test_undo_takes_back_any_number_of_answers() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "2")
        await pilot.pause()
        assert "On time, half the story" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert _play(app).conv.choices_made == ["trade"]  # type: ignore[union-attr]
        assert "The risk log can wait. Anything else?" in screen_text(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert _play(app).conv.choices_made == []  # type: ignore[union-attr]
        assert "Trust  50 neutral" in screen_text(app)
        await pilot.press("u")  # nothing left: a message, no change
        await pilot.pause()
        assert _play(app).conv.choices_made == []  # type: ignore[union-attr]


async def test_l_switches_language_when_the_scenario_has_translations() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        assert "Ik heb het rapport morgen nodig." in text
        assert "1 Prima, morgen dan." in text
        assert "Kim · Manager" in text
        await pilot.press("l")
        await pilot.pause()
        assert "I need the report by tomorrow." in screen_text(app)


async def test_l_is_not_offered_for_a_one_language_scenario(tmp_path: object) -> None:
    one = load_scenario(SMALL)
    app = make_app(one)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play = _play(app)
        assert play.check_action("language", ()) is True
    # the flagship has three languages; a fixture without translations hides the key
    from tests.tui.helpers import FIXTURES

    plain = FIXTURES / "records_small.yaml"
    if plain.exists() and len(load_scenario(plain).languages) == 1:
        app = make_app(plain)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert _play(app).check_action("language", ()) is False


async def test_f_switches_coaching_to_the_debrief_and_back() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "2")
        await pilot.pause()
        text = screen_text(app)
        assert "Coaching is held back until the debrief." in text
        assert "You offered a real trade" not in text
        await pilot.press("f")
        await pilot.pause()
        assert "Coach: You offered a real trade and let Kim choose." in screen_text(app)


async def test_feedback_option_debrief_holds_coaching_back() -> None:
    app = make_app(SMALL, feedback="debrief")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert "Coaching is held back until the debrief." in screen_text(app)


async def test_question_mark_shows_every_key() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for keys, words in (
            ("1-9", "Answer"),
            ("u / ^z", "Undo"),
            ("l", "Language"),
            ("f", "Coaching mode"),
            ("d", "Debrief"),
            ("?", "Help"),
            ("q", "Quit"),
            ("^p", "Command palette"),
        ):
            assert keys in text and words in text, (keys, words)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_every_action_is_in_the_command_palette() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for title in ("Undo", "Language", "Coaching mode", "Transcript", "Help", "Quit"):
            assert title in titles
        assert "Answer 2: I can do tomorrow if the risk log waits a week. Which matte…" in titles
        # running a palette command does what the key does
        answer = next(
            c for c in app.get_system_commands(app.screen) if c.title.startswith("Answer 2")
        )
        await answer.callback()
        await pilot.pause()
        assert _play(app).conv.choices_made == ["trade"]  # type: ignore[union-attr]
        undo = next(c for c in app.get_system_commands(app.screen) if c.title == "Undo")
        await undo.callback()
        await pilot.pause()
        assert _play(app).conv.choices_made == []  # type: ignore[union-attr]


async def test_the_palette_opens_with_ctrl_p_and_runs_a_command() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Coaching mode")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert _play(app).mode == "debrief"


async def test_q_quits() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_transcript_scrolls_and_keeps_every_turn() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("2", "1")
        await pilot.pause()
        story = app.screen.query_one("#story", Story)
        turns = [text_of(t) for t in story.children]
        assert "I need the report by tomorrow." in turns[0]
        assert "The risk log can wait." in turns[1]
        assert "Yes, good call." in turns[2]
        await pilot.press("t", "home")
        await pilot.pause()
        assert story.scroll_y == 0


async def test_at_60x20_the_side_panel_folds_into_a_status_line() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert not app.screen.query_one("#side").display
        status = text_of(app.screen.query_one("#status"))
        assert "Trust 60 open" in status and "▲ +10" in status
        assert "· peer 3/4" in status
        inline = app.screen.query_one("#coach-inline")
        assert inline.display
        assert "You offered a real trade" in screen_text(app)


async def test_autosave_after_every_answer_and_undo() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        path = save_path(load_scenario(SMALL))
        assert not path.exists()
        await pilot.press("2")
        await settle(pilot)
        assert json.loads(path.read_text())["choices"] == ["trade"]
        await pilot.press("u")
        await settle(pilot)
        assert not path.exists()  # back at the start: nothing to resume
        await pilot.press("2", "2")
        await settle(pilot)
        assert not path.exists()  # ended: the finished play is not offered for resume
    assert not list(saves_dir().glob("*.tmp"))  # atomic writes leave no debris


async def test_relaunch_resumes_at_the_last_answer() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
    # as after `kill -9`: the save was written when the answer was given
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "The risk log can wait. Anything else?" in text
        assert "Trust  60 open" in text
        assert _play(app).conv.choices_made == ["trade"]  # type: ignore[union-attr]


async def test_a_corrupt_save_gives_a_message_and_a_fresh_start() -> None:
    path = save_path(load_scenario(SMALL))
    saves_dir().mkdir(parents=True)
    path.write_text("{not json")
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes = notices(app)
        assert any("damaged" in m and "fresh" in m for m in notes), notes
        assert _play(app).conv.choices_made == []  # type: ignore[union-attr]
        assert path.with_name(path.name + ".damaged").exists()  # set aside, not deleted
        await pilot.press("2")
        await settle(pilot)
    assert json.loads(path.read_text())["choices"] == ["trade"]


async def test_an_outdated_or_foreign_save_gives_a_message_and_a_fresh_start() -> None:
    saves_dir().mkdir(parents=True)
    for bad in (
        {"parley_save": 99, "scenario": "tui-small", "choices": []},
        {"parley_save": 1, "scenario": "tui-small", "hash": "x", "choices": ["gone"]},
        [1, 2, 3],
    ):
        save_path(load_scenario(SMALL)).write_text(json.dumps(bad))
        app = make_app(SMALL)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            notes = " ".join(notices(app))
            assert "Starting a fresh play" in notes
            assert _play(app).conv.choices_made == []  # type: ignore[union-attr]


async def test_a_failing_hook_is_reported_and_the_play_goes_on() -> None:
    class Broken:
        def on_start(self, conv: object) -> None: ...
        def on_step(self, conv: object, step: object) -> None:
            raise OSError("disk full")

        def on_undo(self, conv: object) -> None: ...
        def on_end(self, conv: object) -> None: ...

    app = make_app(SMALL, hooks=[Broken()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert "The risk log can wait." in screen_text(app)
        assert any("disk full" in n for n in notices(app))


async def test_hooks_hear_start_step_undo_and_end() -> None:
    heard: list[str] = []

    class Listen:
        def on_start(self, conv: object) -> None:
            heard.append("start")

        def on_step(self, conv: object, step: object) -> None:
            heard.append("step")

        def on_undo(self, conv: object) -> None:
            heard.append("undo")

        def on_end(self, conv: object) -> None:
            heard.append("end")

    app = make_app(SMALL, hooks=[Listen()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "u", "1")
        await pilot.pause()
    assert heard == ["start", "step", "undo", "step", "end"]


async def test_f1_is_help_too_and_t_focuses_the_transcript() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "t")
        await pilot.pause()
        assert app.screen.query_one("#story", Story).has_focus
        await pilot.press("1")  # answer keys still work from the transcript
        await pilot.pause()
        assert _play(app).conv.choices_made == ["agree"]  # type: ignore[union-attr]
