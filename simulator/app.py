"""The Parley Textual app: pick a scenario, play it, rewind, resume, read the debrief.

A thin skin over the engine: every rule lives in engine/; this draws what it computes.
Autosave and records plug in as PlayHooks (simulator/hooks.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.conversation import Conversation
from engine.events import Step
from engine.messages import t
from engine.model import Scenario
from simulator.hooks import PlayHooks
from simulator.localize import key_description, palette_entry, ui_lang
from simulator.settings import Settings


class ParleyApp(App[None]):
    """The app. `scenario` (or `scenario_path` with `watch`) opens it on that play."""

    CSS_PATH = "app.tcss"
    TITLE = "Parley"
    NOTIFICATION_TIMEOUT = 3  # notices sit over the transcript (app.tcss): keep them brief
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

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
        self.hooks: list[PlayHooks] = list(hooks)
        self.lang: str | None = self.settings.lang
        self.feedback: str | None = self.settings.feedback
        self.watch_file = watch or self.settings.watch
        self._scenario = scenario
        self._scenario_path = scenario_path or (scenario.path if scenario else None)
        self._resume = resume
        self._load_error = tuple(load_error)
        self.crash: str | None = None  # set when an unexpected error ends the app
        self.cursor_blink = True  # tests switch it off for stable snapshots

    # ------------------------------------------------------------------ screens
    @property
    def direct(self) -> bool:
        """Opened on one scenario (`parley play`), not from the picker."""
        return self._scenario is not None or bool(self._load_error)

    def get_default_screen(self) -> Screen[Any]:
        if self.direct:
            from simulator.screens.play import PlayScreen

            return PlayScreen(
                self._scenario,
                resume=self._resume,
                watch_path=self._scenario_path if self.watch_file else None,
                load_error=self._load_error,
            )
        from simulator.screens.picker import PickerScreen

        return PickerScreen()

    def start_play(self, scenario: Scenario, resume: bool = True) -> None:
        """Open the conversation screen on `scenario` (from the picker)."""
        from simulator.screens.play import PlayScreen

        path = scenario.path if self.watch_file else None
        self.push_screen(PlayScreen(scenario, resume=resume, watch_path=path))

    # ------------------------------------------------------------------ hooks
    def _call_hooks(self, name: str, *args: Any) -> None:
        for hook in self.hooks:
            try:
                getattr(hook, name)(*args)
            except Exception as exc:  # a hook's trouble (disk full, ...) never stops a play
                what = type(hook).__name__
                title = t("screen.could_not_save", ui_lang(self.screen))
                self.notify(f"{what}: {exc}", title=title, severity="error", markup=False)

    def flush_hooks(self) -> None:
        """Wait for hooks that work in the background (autosave) to finish."""
        for hook in self.hooks:
            flush = getattr(hook, "flush", None)
            if callable(flush):
                try:
                    flush()
                except Exception as exc:
                    title = t("screen.could_not_save", ui_lang(self.screen))
                    self.notify(f"{exc}", title=title, severity="error", markup=False)

    def on_unmount(self) -> None:
        self.flush_hooks()

    def hook_start(self, conv: Conversation) -> None:
        self._call_hooks("on_start", conv)

    def hook_step(self, conv: Conversation, step: Step) -> None:
        self._call_hooks("on_step", conv, step)
        if conv.ended:
            self._call_hooks("on_end", conv)

    def hook_undo(self, conv: Conversation) -> None:
        self._call_hooks("on_undo", conv)

    # ------------------------------------------------------------------ palette
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The active screen's actions (each has a key) come first, then Textual's own."""
        extra = getattr(screen, "palette_commands", None)
        if callable(extra):
            yield from extra()
        yield from super().get_system_commands(screen)

    # ------------------------------------------------------------------ safety net
    def _fatal_error(self) -> None:
        """An unexpected error: leave quietly with one line, never a traceback (bugs only)."""
        if self.settings.debug:
            super()._fatal_error()
            return
        error = self._exception
        self.crash = f"{type(error).__name__}: {error}" if error else "unknown error"
        self._close_messages_no_wait()


def binding_commands(screen: Screen[Any], skip: Collection[str] = ()) -> list[SystemCommand]:
    """A palette entry for every described key binding of `screen` the screen allows now
    (except the actions named in `skip`), in the screen's language."""
    out: list[SystemCommand] = []
    seen: set[str] = set()
    lang = ui_lang(screen)
    words = getattr(screen, "WORDS", "")
    for binding in getattr(screen, "BINDINGS", []):
        if not isinstance(binding, Binding) or not binding.description:
            continue
        action = binding.action
        name, _, _ = action.partition("(")
        if action in seen or name in skip or screen.check_action(name, ()) is False:
            continue
        seen.add(action)
        keys = binding.key_display or ", ".join(
            screen.app.get_key_display(Binding(k, action)) for k in binding.key.split(",")
        )
        entry = palette_entry(screen, action)
        title, help_text = entry or (key_description(words, binding, lang), "")
        out.append(
            SystemCommand(
                title,
                t("palette.with_key", lang, help=help_text, keys=keys)
                if help_text
                else t("palette.key_only", lang, keys=keys),
                partial(screen.run_action, action),
            )
        )
    return out
