"""What the app's screens share: the session's settings and the play hooks.

The app owns one `Session` (made from the CLI's options) and screens read it through the
`session` descriptor, typed, without importing the app (so app.py imports the screens and
never the other way round). A screen changes nothing on the app directly: it posts one of
the messages below and the app, which handles them, updates the session or the screens.

The play hooks (autosave, records) run in order, at the moment a screen reports an answer,
an undo or a start (`HookRunner`): a save must be on disk before the picker reads it, which
a message queued behind a closing screen could not promise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, overload

from textual.message import Message
from textual.message_pump import MessagePump

from engine.model import Scenario
from simulator.hooks import PlayHooks
from simulator.settings import Settings

if TYPE_CHECKING:  # (a play's types: the picker starts without the rules engine)
    from engine.conversation import Conversation
    from engine.events import Step


class HookRunner:
    """Calls every play hook; a hook's trouble (disk full, ...) is returned, never raised."""

    def __init__(self, hooks: Sequence[PlayHooks] = ()) -> None:
        self.hooks: list[PlayHooks] = list(hooks)

    def _call(self, name: str, *args: Any) -> list[str]:
        problems: list[str] = []
        for hook in self.hooks:
            try:
                getattr(hook, name)(*args)
            except Exception as exc:  # never stops a play; the screen shows it
                problems.append(f"{type(hook).__name__}: {exc}")
        return problems

    def start(self, conv: Conversation) -> list[str]:
        return self._call("on_start", conv)

    def step(self, conv: Conversation, step: Step) -> list[str]:
        problems = self._call("on_step", conv, step)
        if conv.ended:
            problems += self._call("on_end", conv)
        return problems

    def undo(self, conv: Conversation) -> list[str]:
        return self._call("on_undo", conv)

    def flush(self) -> list[str]:
        """Wait for hooks that work in the background (autosave) to finish."""
        problems: list[str] = []
        for hook in self.hooks:
            flush = getattr(hook, "flush", None)
            if callable(flush):
                try:
                    flush()
                except Exception as exc:
                    problems.append(str(exc))
        return problems


@dataclass(eq=False)
class Session:
    """The CLI's settings, what the player changed since (language, coaching mode), and the
    play hooks. Only the app changes it (when it handles the messages below)."""

    settings: Settings = field(default_factory=Settings)
    lang: str | None = None  # --lang, then the language the player last switched to
    feedback: str | None = None  # --feedback, then the mode the player last chose
    watch: bool = False  # --watch: reload the scenario file when it changes
    direct: bool = False  # opened on one scenario (`parley play`), not from the picker
    hooks: HookRunner = field(default_factory=HookRunner)


class SessionOf:
    """`session = SessionOf()` on a screen: the running app's Session, typed."""

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> SessionOf: ...

    @overload
    def __get__(self, obj: MessagePump, owner: type[Any]) -> Session: ...

    def __get__(self, obj: MessagePump | None, owner: type[Any]) -> Session | SessionOf:
        if obj is None:
            return self
        found = getattr(obj.app, "session", None)
        if not isinstance(found, Session):
            raise RuntimeError(f"{type(obj).__name__} runs only inside the Parley app")
        return found


# ---------------------------------------------------------------------- messages up


class OpenScenario(Message):
    """The picker asks to play `scenario` (resuming its saved play unless `resume` is False)."""

    def __init__(self, scenario: Scenario, resume: bool = True) -> None:
        super().__init__()
        self.scenario = scenario
        self.resume = resume


class LanguageChosen(Message):
    """The player switched the play's language (`l`): later screens speak it too."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang


class CoachingChosen(Message):
    """The player switched the coaching mode (`f`): immediate or debrief."""

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode


# ---------------------------------------------------------------------- results back


class AfterDebrief(NamedTuple):
    """What the debrief screen returns with `dismiss` (None: just back to the ending)."""

    action: Literal["replay", "rewind"]
    turn: int = 0  # for "rewind": go back to just before this answer
