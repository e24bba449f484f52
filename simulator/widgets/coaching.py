"""The coaching panel: draws engine.feedback's coaching for the last answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from engine.conversation import Conversation
from engine.events import Step
from engine.feedback import coaching_for
from engine.messages import t


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
        lang = conv.lang
        if mode == "debrief":
            text.update(Content.styled(t("panel.held", lang), "italic $foreground 70%"))
            return
        if step is None:
            text.update(Content.styled(t("panel.hint", lang), "italic $foreground 70%"))
            return
        lines = coaching_lines(conv, step)
        parts = [Content.styled(t("panel.head", lang, turn=step.turn), "bold")]
        parts += [Content(line) for line in lines] or [Content(t("panel.none", lang))]
        text.update(Content("\n").join(parts))
        self.scroll_home(animate=False)
