"""Hooks the app calls as a play goes on: autosave and records plug in here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # (a play's types: the picker starts without the rules engine)
    from engine.conversation import Conversation
    from engine.events import Step


class PlayHooks(Protocol):
    def on_start(self, conv: Conversation) -> None: ...

    def on_step(self, conv: Conversation, step: Step) -> None: ...

    def on_undo(self, conv: Conversation) -> None: ...

    def on_end(self, conv: Conversation) -> None: ...


class NoHooks:
    """A hook that does nothing; subclass and override what you need."""

    def on_start(self, conv: Conversation) -> None:
        return None

    def on_step(self, conv: Conversation, step: Step) -> None:
        return None

    def on_undo(self, conv: Conversation) -> None:
        return None

    def on_end(self, conv: Conversation) -> None:
        return None
