"""`parley room`: the app that shows one conversation to a room (screens in screens/room.py)."""

from __future__ import annotations

from textual import on
from textual.app import App
from textual.screen import Screen

from engine.conversation import Conversation
from engine.model import Scenario
from simulator.recording import Recorder
from simulator.room import RoomPlay
from simulator.screens.room import RoomDebrief, RoomScreen


class RoomApp(App[None]):
    """The room's play on the projector; its debrief when the play ends."""

    CSS_PATH = "room.tcss"
    TITLE = "Parley room"
    # below 150 columns the trust and rung take a line of their own under the title
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]
    # from 40 lines there is room to breathe between the answers
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]

    def __init__(self, play: RoomPlay) -> None:
        super().__init__()
        self.play = play

    def get_default_screen(self) -> Screen[None]:
        return RoomScreen(self.play)

    @on(RoomScreen.Ended)
    def _ended(self) -> None:
        self.push_screen(RoomDebrief(self.play))


def run_room(
    scenario: Scenario,
    lang: str | None = None,
    recorder: Recorder | None = None,
    seed: int | None = None,
) -> None:
    """The room on a projector; `seed` orders the options (None: file order)."""
    play = RoomPlay(Conversation(scenario, lang=lang, seed=seed), recorder)
    try:
        RoomApp(play).run()
    finally:
        play.close()
