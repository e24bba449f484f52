"""The conversation so far: one widget per turn, appended as the play goes on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from engine.conversation import Conversation
from engine.events import Step


def you_name(conv: Conversation) -> str:
    sc = conv.scenario
    return sc.speaker_name("you", conv.lang) if "you" in sc.characters else "You"


def node_content(conv: Conversation, node_id: str) -> Content:
    """Narration, speaker name and role, and the line, for one node."""
    sc = conv.scenario
    node = sc.nodes[node_id]
    parts: list[Content] = []
    if node.narration is not None:
        parts.append(Content.styled(node.narration.get(conv.lang), "italic $foreground 70%"))
    character = sc.characters.get(node.speaker)
    if character is not None:
        parts.append(
            Content.assemble(
                (character.name.get(conv.lang), "bold $primary"),
                (f" · {character.role.get(conv.lang)}", "$foreground 60%"),
            )
        )
    parts.append(Content(node.text.get(conv.lang)))
    if node.ending is not None:
        parts.append(
            Content.assemble(
                ("■ ", "bold $accent"),
                (node.ending.title.get(conv.lang), "bold"),
                (f" ({node.ending.outcome})", "$foreground 60%"),
            )
        )
    return Content("\n").join(parts)


def opening_nodes(conv: Conversation) -> list[str]:
    """Nodes entered before the first answer."""
    return conv.path[: len(conv.path) - sum(len(s.entered) for s in conv.history)]


def turn_content(conv: Conversation, step: Step | None) -> Content:
    """What one turn shows: the player's answer, then every node it led to."""
    sc = conv.scenario
    parts: list[Content] = []
    if step is None:
        nodes = opening_nodes(conv)
    else:
        choice = sc.choices.get(step.choice)
        said = choice.text.get(conv.lang) if choice is not None else step.choice
        parts.append(
            Content.assemble((f"{you_name(conv)} (you): ", "bold $secondary"), (said, "$secondary"))
        )
        nodes = step.entered
    parts.extend(node_content(conv, n) for n in nodes)
    return Content("\n\n").join(parts)


class Turn(Static):
    """One turn of the transcript."""


class Story(VerticalScroll):
    """The transcript so far; the latest turn is drawn brighter than the past.

    It follows the newest turn (Textual's anchor) until the player scrolls up. A 1fr spacer
    after the turns keeps the content at least as tall as the view, so anchoring never
    scrolls above the top when the transcript is still short.
    """

    can_focus = True

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown_turns = -1  # number of steps currently drawn (-1: nothing)

    def compose(self) -> ComposeResult:
        yield Static(id="story-end")

    async def rebuild(self, conv: Conversation) -> None:
        """Draw the whole transcript again (after undo, language change, reload)."""
        await self.query(Turn).remove()
        widgets = [Turn(turn_content(conv, None), classes="turn opening")]
        widgets += [Turn(turn_content(conv, s), classes="turn") for s in conv.history]
        for w in widgets[:-1]:
            w.add_class("past")
        self._shown_turns = len(conv.history)
        await self.mount_all(widgets, before="#story-end")
        self.anchor()  # follow the newest turn (until the player scrolls up)

    async def sync(self, conv: Conversation) -> None:
        """Append the turns not drawn yet; rebuild when history got shorter."""
        if self._shown_turns < 0 or len(conv.history) < self._shown_turns:
            await self.rebuild(conv)
            return
        new = conv.history[self._shown_turns :]
        if not new:
            return
        for w in self.query(Turn):
            w.add_class("past")
        widgets = [Turn(turn_content(conv, s), classes="turn") for s in new]
        self._shown_turns = len(conv.history)
        await self.mount_all(widgets, before="#story-end")
        self.anchor()  # follow the newest turn (until the player scrolls up)
