"""The Parley Textual app: pick a scenario, play it, rewind, resume, read the debrief.

A thin skin over the engine: every rule lives in engine/; this draws what it computes.
The app owns the Session (settings, the player's language and coaching mode, the play
hooks: autosave and records) and routes screens: the screens are registered by name in
SCREENS, post messages up (simulator/session.py) and return results with `dismiss`. It
imports the screens; no screen imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.messages import t
from engine.model import Scenario
from simulator.hooks import PlayHooks
from simulator.localize import ui_lang
from simulator.screens.help import HelpScreen
from simulator.screens.picker import PickerScreen
from simulator.session import CoachingChosen, HookRunner, LanguageChosen, OpenScenario, Session
from simulator.settings import Settings

if TYPE_CHECKING:
    from simulator.screens.play import PlayScreen


def _play_screen() -> type[PlayScreen]:
    """The play screen, imported when a play opens: the picker is up before it is loaded."""
    from simulator.screens.play import PlayScreen

    return PlayScreen


class ParleyApp(App[None]):
    """The app. `scenario` (or `scenario_path` with `watch`) opens it on that play."""

    CSS_PATH = "app.tcss"
    TITLE = "Parley"
    NOTIFICATION_TIMEOUT = 3  # notices sit over the transcript (app.tcss): keep them brief
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide"), (140, "-xwide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]
    # Screens that live as long as the app (one each); a play and its debrief are made per play.
    SCREENS: ClassVar[dict[str, Callable[[], Screen[Any]]]] = {
        "picker": PickerScreen,
        "help": HelpScreen,
    }

    def __init__(
        self,
        settings: Settings | Mapping[str, Any] | None = None,
        scenario: Scenario | None = None,
        hooks: Sequence[PlayHooks] = (),
        *,
        scenario_path: Path | None = None,
        watch: bool = False,
        resume: bool = True,
        load_error: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.settings = Settings.coerce(settings)
        self.session = Session(
            settings=self.settings,
            lang=self.settings.lang,
            feedback=self.settings.feedback,
            watch=watch or self.settings.watch,
            direct=scenario is not None or bool(load_error),
            hooks=HookRunner(hooks),
        )
        self._scenario = scenario
        self._scenario_path = scenario_path or (scenario.path if scenario else None)
        self._resume = resume
        self._load_error = tuple(load_error)
        self.crash: str | None = None  # set when an unexpected error ends the app
        self.cursor_blink = True  # tests switch it off for stable snapshots

    # ------------------------------------------------------------------ the session
    @property
    def hooks(self) -> list[PlayHooks]:
        return self.session.hooks.hooks

    @property
    def lang(self) -> str | None:
        return self.session.lang

    @property
    def feedback(self) -> str | None:
        return self.session.feedback

    @property
    def watch_file(self) -> bool:
        return self.session.watch

    @property
    def direct(self) -> bool:
        """Opened on one scenario (`parley play`), not from the picker."""
        return self.session.direct

    # ------------------------------------------------------------------ screens
    def get_default_screen(self) -> Screen[Any]:
        if self.direct:
            return _play_screen()(
                self._scenario,
                resume=self._resume,
                watch_path=self._scenario_path if self.watch_file else None,
                load_error=self._load_error,
            )
        return self.get_screen("picker")

    @on(OpenScenario)
    def _open_scenario(self, message: OpenScenario) -> None:
        """The picker chose a scenario: play it (saves are on disk before it resumes one)."""
        self.flush_hooks()
        path = message.scenario.path if self.watch_file else None
        self.push_screen(_play_screen()(message.scenario, resume=message.resume, watch_path=path))

    @on(LanguageChosen)
    def _language_chosen(self, message: LanguageChosen) -> None:
        self.session.lang = message.lang

    @on(CoachingChosen)
    def _coaching_chosen(self, message: CoachingChosen) -> None:
        self.session.feedback = message.mode

    # ------------------------------------------------------------------ hooks
    def flush_hooks(self) -> None:
        """Wait for hooks that work in the background (autosave) to finish."""
        for problem in self.session.hooks.flush():
            title = t("screen.could_not_save", ui_lang(self.screen))
            self.notify(problem, title=title, severity="error", markup=False)

    def on_unmount(self) -> None:
        self.flush_hooks()

    # ------------------------------------------------------------------ palette
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The active screen's actions (each has a key) come first, then Textual's own."""
        extra = getattr(screen, "palette_commands", None)
        ours: list[SystemCommand] = list(extra()) if callable(extra) else []
        yield from ours
        titles = {command.title.casefold() for command in ours}
        for command in super().get_system_commands(screen):
            if command.title.casefold() not in titles:  # one "Quit", not two
                yield command

    # ------------------------------------------------------------------ safety net
    def _fatal_error(self) -> None:
        """An unexpected error: leave quietly with one line, never a traceback (bugs only)."""
        if self.settings.debug:
            super()._fatal_error()
            return
        error = self._exception
        self.crash = f"{type(error).__name__}: {error}" if error else "unknown error"
        self._close_messages_no_wait()
