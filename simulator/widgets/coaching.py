"""The coaching panel: draws engine.feedback's coaching for the last answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from engine.conversation import Conversation
from engine.events import Step
from engine.feedback import coaching_for


def coaching_lines(conv: Conversation, step: Step) -> list[str]:
    """The coaching lines for one answer, in the play's language (engine.feedback)."""
    return list(coaching_for(conv, step).lines(conv.lang))


class CoachingPanel(VerticalScroll):
    """Coaching after each answer (immediate mode) or a note that it waits for the debrief."""

    def compose(self) -> ComposeResult:
        yield Static(id="coach-text", classes="coach-text")

    def show(self, conv: Conversation, mode: str) -> None:
        text = self.query_one("#coach-text", Static)
        step = conv.history[-1] if conv.history else None
        if mode == "debrief":
            text.update(
                Content.styled(
                    "Coaching is held back until the debrief. Press f to see it after each answer.",
                    "italic $foreground 70%",
                )
            )
            return
        if step is None:
            text.update(
                Content.styled(
                    "Answer with 1–9, or ↑ ↓ and Enter, or click. Coaching on your answer "
                    "appears here.",
                    "italic $foreground 70%",
                )
            )
            return
        lines = coaching_lines(conv, step)
        parts = [Content.styled(f"On your answer (turn {step.turn})", "bold")]
        parts += [Content(line) for line in lines] or [Content("No coaching for this answer.")]
        text.update(Content("\n").join(parts))
        self.scroll_home(animate=False)
