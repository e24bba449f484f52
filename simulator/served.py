"""What changes when the app runs for one browser under `parley serve`.

`parley serve` starts one `parley` process per browser with `--mode served` (and
`--name-prompt` unless --no-name-prompt); they arrive here in the Settings. In such a process:

- saves go to a fresh private folder, so one browser never resumes another's play;
- a small prompt asks for the player's name (Enter with no name plays anonymously);
  the name goes into the records of the play.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from engine.messages import t
from simulator.localize import ui_lang
from simulator.paths import use_data_dir
from simulator.recording import Recorder
from simulator.settings import Settings

NAME_MAX = 60

_private: Path | None = None  # this served process's private data folder, once made


def prepare_served(settings: Settings) -> None:
    """In a served process: keep saves in a private folder removed at exit."""
    global _private
    if not settings.served:
        return
    if _private is None:
        _private = Path(tempfile.mkdtemp(prefix="parley-served-"))
        atexit.register(shutil.rmtree, _private, True)
    use_data_dir(_private)


class NamePrompt(ModalScreen[str | None]):
    """Ask for a name for the trainer's records; Enter with nothing plays anonymously."""

    DEFAULT_CSS = """
    NamePrompt { align: center middle; }
    NamePrompt > Vertical {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    NamePrompt Label { width: 100%; margin-bottom: 1; }
    NamePrompt #name-hint { color: $text-muted; margin: 1 0 0 0; }
    """
    BINDINGS = [("escape", "anonymous", "Play anonymously")]

    def __init__(self, cohort: str | None = None) -> None:
        super().__init__()
        self.cohort = cohort

    def compose(self) -> ComposeResult:
        lang = getattr(self.app, "lang", None)  # `parley serve --lang`, else English
        if self.cohort:
            welcome = t("served.welcome_cohort", lang, cohort=self.cohort)
        else:
            welcome = t("served.welcome", lang)
        with Vertical():
            yield Label(welcome, markup=False)
            yield Label(t("served.name", lang))
            yield Input(placeholder=t("served.placeholder", lang), max_length=NAME_MAX, id="name")
            yield Label(t("served.hint", lang), id="name-hint")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        self.dismiss(name or None)

    def action_anonymous(self) -> None:
        self.dismiss(None)


def recorder_of(app: App[Any]) -> Recorder | None:
    for hook in getattr(app, "hooks", ()):
        if isinstance(hook, Recorder):
            return hook
    return None


AppT = TypeVar("AppT", bound=App[Any])


def with_name_prompt(app_class: type[AppT], settings: Settings) -> type[AppT]:
    """The app class to run: asks for a name first when served with a name prompt."""
    if not (settings.served and settings.name_prompt):
        return app_class

    class ServedApp(app_class):  # type: ignore[valid-type,misc]
        def on_mount(self) -> None:
            recorder = recorder_of(self)
            if recorder is None or recorder.participant:
                return
            self.push_screen(NamePrompt(recorder.cohort), self._named)

        def _named(self, name: str | None) -> None:
            recorder = recorder_of(self)
            lang = ui_lang(self.screen)
            if recorder is not None and name:
                recorder.rename(name)
                if recorder.problem:
                    title = t("screen.could_not_save", lang)
                    self.notify(recorder.problem, title=title, severity="error")
            if name:
                self.notify(t("served.hello", lang, name=name), timeout=4)

    ServedApp.__name__ = app_class.__name__
    return ServedApp
