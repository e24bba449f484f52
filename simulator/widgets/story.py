"""The conversation so far: one widget per turn, appended as the play goes on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from engine.conversation import Conversation
from engine.events import Step
from engine.messages import outcome_word, t


def you_name(conv: Conversation) -> str:
    sc = conv.scenario
    return sc.speaker_name("you", conv.lang) if "you" in sc.characters else t("you", conv.lang)


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
                (character.name.get(conv.lang), "bold $text-primary"),
                (f" · {character.role.get(conv.lang)}", "$foreground 60%"),
            )
        )
    parts.append(Content(node.text.get(conv.lang)))
    if node.ending is not None:
        parts.append(
            Content.assemble(
                ("■ ", "bold $accent"),
                (node.ending.title.get(conv.lang), "bold"),
                (f" ({outcome_word(node.ending.outcome, conv.lang)})", "$foreground 60%"),
            )
        )
    return Content("\n").join(parts)


def opening_nodes(conv: Conversation) -> list[str]:
    """Nodes entered before the first answer."""
    return conv.path[: len(conv.path) - sum(len(s.entered) for s in conv.history)]


def turn_content(conv: Conversation, step: Step | None, label: str | None = None) -> Content:
    """What one turn shows: the player's answer (after `label`, else the player's name),
    then every node it led to."""
    sc = conv.scenario
    parts: list[Content] = []
    if step is None:
        nodes = opening_nodes(conv)
        if sc.objectives:
            goals = [Content.styled(t("fb.objectives", conv.lang), "bold $accent")]
            goals += [Content(f"• {' '.join(o.get(conv.lang).split())}") for o in sc.objectives]
            parts.append(Content("\n").join(goals))
    else:
        choice = sc.choices.get(step.choice)
        said = choice.text.get(conv.lang) if choice is not None else step.choice
        parts.append(
            Content.assemble(
                (
                    label or t("story.you_said", conv.lang, name=you_name(conv)),
                    "bold $text-secondary",
                ),
                (said, "$text-secondary"),
            )
        )
        nodes = step.entered
    parts.extend(node_content(conv, n) for n in nodes)
    return Content("\n\n").join(parts)


class Turn(Static):
    """One turn of the transcript."""


class Story(VerticalScroll):
    """The transcript so far; the latest turn is drawn brighter than the past.

    Turn widgets are reused: after an undo the extra ones are hidden and drawn again for the
    next answers, and one spare is kept mounted, so an answer updates the screen without
    waiting for a mount (one frame, no flicker). It follows the newest turn (Textual's
    anchor) until the player scrolls up; a 1fr spacer after the turns keeps the content at
    least as tall as the view, so anchoring never scrolls above the top.
    """

    can_focus = True

    def __init__(self, *, id: str | None = None, said_key: str | None = None) -> None:
        super().__init__(id=id)
        self.said_key = said_key  # how answers are labelled (room mode: "The room: ")
        self._pool: list[Turn] = []  # every Turn widget, in order; the first `_used` are shown
        self._keys: list[tuple[object, ...]] = []  # what each shown turn draws

    def compose(self) -> ComposeResult:
        yield Static(id="story-end")

    @staticmethod
    def _turn_keys(conv: Conversation) -> list[tuple[object, ...]]:
        keys: list[tuple[object, ...]] = [("opening", conv.lang, id(conv.scenario))]
        keys += [(s.turn, s.choice, tuple(s.entered), conv.lang) for s in conv.history]
        return keys

    async def rebuild(self, conv: Conversation) -> None:
        """Draw the whole transcript again (language change, reloaded scenario)."""
        self._keys = []
        await self.sync(conv)

    async def sync(self, conv: Conversation) -> None:
        """Draw the turns of `conv`, reusing what is already drawn."""
        keys = self._turn_keys(conv)
        same = 0
        while same < min(len(keys), len(self._keys)) and keys[same] == self._keys[same]:
            same += 1
        steps: list[Step | None] = [None, *conv.history]
        fresh: list[Turn] = []
        for i in range(same, len(keys)):
            label = t(self.said_key, conv.lang) if self.said_key else None
            content = turn_content(conv, steps[i], label)
            if i < len(self._pool):
                self._pool[i].update(content)
                self._pool[i].display = True
            else:
                turn = Turn(content, classes="turn")
                self._pool.append(turn)
                fresh.append(turn)
        for turn in self._pool[len(keys) :]:
            turn.display = False
        for i, turn in enumerate(self._pool[: len(keys)]):
            turn.set_class(i < len(keys) - 1, "past")
        self._keys = keys
        if fresh:
            await self.mount_all(fresh, before="#story-end")
        self.anchor()  # follow the newest turn (until the player scrolls up)
        if len(self._pool) == len(keys):  # keep a spare for the next answer
            spare = Turn("", classes="turn")
            spare.display = False
            self._pool.append(spare)
            self.mount(spare, before="#story-end")
