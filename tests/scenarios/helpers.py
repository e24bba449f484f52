"""Small helpers for the scripted plays of the bundled scenarios."""

from __future__ import annotations

from engine.conversation import Conversation

play = Conversation.replay  # (scenario, choice ids) -> the play after them


def offered(conv: Conversation) -> list[str]:
    """The ids of the choices offered now."""
    return [c.id for c in conv.offered()]
