"""The app's own words follow the play's language: play screen, coaching, debrief, help,
footer, picker and room mode in Dutch and Swedish, and `l` switching them mid-play."""

from __future__ import annotations

from typing import Any

import pytest
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from engine.conversation import Conversation
from engine.loader import load_scenario
from engine.messages import t
from simulator.room import RoomPlay
from simulator.room_app import RoomApp
from simulator.screens.debrief import DebriefScreen
from simulator.screens.help import HelpScreen
from simulator.screens.picker import FilterInput, PickerScreen
from simulator.screens.play import PlayScreen
from simulator.screens.room import RoomDebrief, RoomScreen
from tests.tui.helpers import (
    FIXTURES,
    FLAGSHIP,
    SMALL,
    keys_to,
    make_app,
    notices,
    screen_text,
    settle,
)

MINI = FIXTURES / "core_mini.yaml"

# what an English screen says that a Dutch or Swedish one must not
ENGLISH_CHROME = [
    "Trust",
    "trust in you",
    "Your rung",
    "On your answer",
    "Scores:",
    "You moved",
    "(you)",
    "Answer with",
    "Debrief",
    "See the debrief",
    "Turning points",
    "The road not taken",
    "answers",
    "you said",
]


def footer(app: Any) -> list[str]:
    """The footer's keys as shown: 'key description'."""
    return [f"{k.key_display} {k.description}".strip() for k in app.screen.query(FooterKey)]


def bottom_row(app: Any) -> str:
    """The last row of the terminal as the user sees it."""
    return app.screen._compositor.render_strips()[-1].text  # type: ignore[no-any-return]


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH_CHROME if phrase in text]


async def test_a_dutch_play_screen_and_coaching_panel() -> None:
    app = make_app(SMALL, lang="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        for dutch in [
            "beurt 1 · nl",
            "Vertrouwen  50 neutraal",
            "Vertrouwen van Kim",
            "Jouw plek op de ladder",
            "Antwoord met 1–9, of ↑ ↓ en Enter, of klik.",
        ]:
            assert dutch in text
        assert english_in(text) == []
        assert footer(app)[:2] == ["1-9 antwoord", "u terug"]
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        for dutch in [
            "Ana (jij): Morgen lukt als het risicolog een week wacht.",
            "Op je antwoord (beurt 1)",
            "Coach: Je bood een echte ruil aan en liet Kim kiezen.",
            "Punten: Situatie +1, Opties +2, Advies +1, Betrokkenheid +1",
            "Vertrouwen +10 (50 -> 60); Kim is nu open.",
            "Je klom op de ladder: dienstverlener -> gelijkwaardige partner.",
        ]:
            assert dutch in text
        assert english_in(text) == []
        await pilot.press("1")  # the climb to trusted-advisor is blocked; the play ends
        await pilot.pause()
        text = screen_text(app)
        assert "vertrouwde adviseur: Kim was er nog niet aan toe" in text
        assert ">=" not in text
        assert "▸ Naar de nabespreking" in text and "afgelopen · nl" in text
        assert "d nabespreking" in footer(app)


async def test_a_dutch_debrief_screen() -> None:
    app = make_app(SMALL, lang="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "2", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        for dutch in [
            "Nabespreking  Het late rapport",
            "2 antwoorden",
            "deels geslaagd",
            "Het beslissende moment",
            'Beurt 2 besliste het: nadat je zei "Nee, bedankt. Morgen dan.", was een geslaagd',
            "SORE  je score van het zwakste antwoord (0%) tot het modelantwoord (100%)",
            "Totaal",
            "Vertrouwen in de loop van het gesprek",
            "Kim: 50 → 60 → 60  (nu open)",
            "Keerpunten  Enter: ga daarheen terug",
            "Beurt 1  vertrouwen +10",
            "Beurt 2  een geslaagd einde raakte buiten bereik, er was een sterker antwoord",
            "je zei: Nee, bedankt. Morgen dan.",
            "De weg die je niet nam",
            "had kunnen zeggen “Laat me de vertraging van de leverancier",
            "Eindes die je niet bereikte",
            "Het modelgesprek (wat je had kunnen zeggen, beurt voor beurt):",
        ]:
            assert dutch in text
        assert english_in(text) == []
        assert footer(app)[:3] == ["p opnieuw", "r keerpunt", "e export"]


async def test_l_switches_the_chrome_with_the_text() -> None:
    app = make_app(SMALL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert "Scores: Situation +1" in screen_text(app) and "l lang" in footer(app)
        await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        assert "Het risicolog kan wachten. Nog iets?" in text  # the scenario's text
        assert "Punten: Situatie +1, Opties +2" in text  # and Parley's own words
        assert "Jouw plek op de ladder" in text and "beurt 2 · nl" in text
        assert english_in(text) == []
        assert "l taal" in footer(app)
        assert "Taal: nl" in notices(app)
        await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        assert "Scores: Situation +1" in text and "Your rung" in text and "turn 2 · en" in text
        assert "l lang" in footer(app)


async def test_help_and_the_palette_speak_the_plays_language() -> None:
    app = make_app(SMALL, lang="nl")
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Terugnemen", "Coachingmodus", "Hulp"} <= titles
        assert any(title.startswith("Antwoord 2: Morgen lukt") for title in titles)
        assert "Undo" not in titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Toetsen" in text
        assert "Terugnemen: Neem je laatste antwoord terug" in text
        assert "Nabespreking: Open de nabespreking van dit afgelopen gesprek (nu niet" in text
        assert "Druk op Escape om te sluiten." in text
        assert "Keys" not in text and "Undo" not in text


async def test_the_picker_speaks_the_lang_option_or_english(monkeypatch: Any) -> None:
    from simulator.screens import picker

    monkeypatch.setattr(picker, "list_paths", lambda dirs: [SMALL])
    app = make_app(lang="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        text = screen_text(app)
        assert "Parley  kies een gesprek om te oefenen" in text
        assert "★☆☆ moeilijkheid 1" in text and "1 van 1 scenario's" in text
        assert app.screen.query_one(FilterInput).placeholder.startswith("Typ om te filteren")
        assert footer(app)[:2] == ["⏎ spelen", "^n nieuw"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "★☆☆ difficulty 1" in screen_text(app)
        assert footer(app)[:2] == ["⏎ play", "^n new play"]


@pytest.mark.parametrize("lang", ["en", "nl", "sv"])
async def test_the_footer_fits_60_columns_in_every_language(lang: str) -> None:
    app = make_app(FLAGSHIP, lang=lang)
    keys = keys_to(load_scenario(FLAGSHIP), "success")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        shown = [k for k in footer(app) if k]
        assert all(k in bottom_row(app) for k in shown), bottom_row(app)
        await pilot.press(*keys)
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.screen.conv.ended  # type: ignore[union-attr]
        shown = footer(app)
        assert all(k in bottom_row(app) for k in shown), bottom_row(app)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert all(k in bottom_row(app) for k in footer(app)), bottom_row(app)


def test_english_footer_words_are_the_bindings_own() -> None:
    """The catalogue's English for each key is the binding's description: English stays."""
    for screen in (PlayScreen, DebriefScreen, PickerScreen, RoomScreen, RoomDebrief):
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.description:
                action = binding.action.partition("(")[0].rpartition(".")[2]
                key = f"key.{screen.WORDS}.{action}"
                assert t(key, "en") == binding.description, (screen.__name__, key)


async def test_room_mode_in_dutch() -> None:
    app = RoomApp(RoomPlay(Conversation(load_scenario(MINI), lang="nl")))
    app.animation_level = "none"
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        text = screen_text(app)  # type: ignore[arg-type]
        assert "Parley · groepsmodus · Het mini-overleg" in text
        assert "of alleen het nummer van de meerderheid:" in text
        box = app.screen.query_one("#room-vote")
        assert box.border_title == "Beurt 1: de stemmen van de groep"
        assert box.border_subtitle == "Aantal per antwoord (Tab: volgende), Enter: volg de groep"
        await pilot.press("2", "tab", "2", "enter")  # a tie
        await pilot.pause()
        message = screen_text(app)  # type: ignore[arg-type]
        assert (
            "de stemmen staken tussen opties 1 en 2 (2 stemmen elk). "
            "Facilitator: druk op 1 of 2 om te kiezen." in message
        )
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)  # type: ignore[arg-type]
        assert "De groep: Ik laat je het risico zien." in text
        assert "De stemming van de groep (beurt 1)" in text
        assert "(gelijke stand: de facilitator koos)" in text
        assert "Punten: Situatie +2, Betrokkenheid +1" in text
        app.screen.query_one("#count-1", Input).focus()
        await pilot.press("5", "tab", "0", "enter")  # advise: the play ends
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, RoomDebrief)
        text = screen_text(app)  # type: ignore[arg-type]
        assert "Parley · groepsmodus · nabespreking" in text
        assert "Het pad van de groep" in text and "Einde: Akkoord (geslaagd)" in text
        assert "The room" not in text and "Ending" not in text


async def test_the_workshop_name_prompt_speaks_the_lang_option() -> None:
    from simulator.served import NamePrompt

    app = make_app(SMALL, lang="sv")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(NamePrompt("fredag"))
        await pilot.pause()
        text = screen_text(app)
        assert "Välkommen till workshoppen (fredag)." in text
        assert "Ditt namn, för utbildarens rapport:" in text
        assert app.screen.query_one("#name", Input).placeholder == "ditt namn (valfritt)"
        assert "Welcome" not in text
