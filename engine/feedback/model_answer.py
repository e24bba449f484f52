"""The model answer at a decision, and the model conversation of a scenario.

The model answer at a node is the choice trainers consider the model there: the node's
`model:` when that choice is on offer, else the choice on offer with the best framework
total (ties: the larger trust effect, then the earlier choice). The model conversation is
what happens when the model answer is taken at every decision from the start, played under
the real rules (a Conversation), so its counterpart lines are the ones a player would meet.

A scenario may declare several success endings equally defensible (`trade_off:` on each).
The model conversation *toward* one of them takes, at each decision, the model answer among
the choices after which a play can still reach that ending (read from the state graph).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.conversation import Conversation
from engine.explore import StateGraph
from engine.feedback.layout import flat
from engine.model import Choice, Node, Scenario

MAX_MODEL_TURNS = 200  # a model conversation that loops longer than this is cut short


def model_choice(node: Node, offered: Sequence[Choice]) -> Choice | None:
    """The model answer among `offered` at `node` (None when nothing is offered)."""
    if not offered:
        return None
    if node.model is not None:
        for c in offered:
            if c.id == node.model:
                return c
    best = offered[0]
    for c in offered[1:]:
        if (c.total, c.effects.trust) > (best.total, best.effects.trust):
            best = c
    return best


@dataclass(frozen=True, slots=True)
class ScriptLine:
    """One line of the model conversation: who says what (texts in the script's language)."""

    turn: int  # the decision it belongs to (0: before the first answer)
    speaker: str  # name
    text: str
    you: bool  # the player's (model) line
    choice: str | None = None  # the model choice's id, on the player's lines
    authored: bool = False  # the node's `model:` chose it (else: the best total on offer)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"turn": self.turn, "speaker": self.speaker, "text": self.text}
        if self.you:
            out["you"] = True
            out["choice"] = self.choice
            out["authored"] = self.authored
        return out


@dataclass(frozen=True, slots=True)
class ModelConversation:
    """The model conversation of a scenario as a script, and where it ends."""

    lines: tuple[ScriptLine, ...]
    choices: tuple[str, ...]  # choice ids, in order
    ending: str | None  # ending node id (None: it stalled or was cut short)
    ending_title: str | None
    outcome: str | None
    total: int  # framework total earned
    trust_final: int

    @property
    def turns(self) -> int:
        return len(self.choices)

    def as_dict(self) -> dict[str, Any]:
        return {
            "choices": list(self.choices),
            "ending": self.ending,
            "ending_title": self.ending_title,
            "outcome": self.outcome,
            "total": self.total,
            "trust_final": self.trust_final,
            "script": [x.as_dict() for x in self.lines],
        }


def _node_lines(conv: Conversation, node_ids: Sequence[str], turn: int) -> list[ScriptLine]:
    sc = conv.scenario
    out = []
    for nid in node_ids:
        node = sc.nodes[nid]
        who = sc.speaker_name(node.speaker, conv.lang)
        out.append(ScriptLine(turn, who, flat(node.text.get(conv.lang)), node.speaker == "you"))
    return out


def model_conversation(
    scenario: Scenario,
    lang: str | None = None,
    toward: str | None = None,
    graph: StateGraph | None = None,
) -> ModelConversation:
    """Play the model answer at every decision from the start, under the real rules.

    With `toward` (an ending node id) and a complete state `graph`, each decision takes the
    model answer among the choices that keep that ending within reach (when any does).
    """
    conv = Conversation(scenario, lang=lang)
    you = scenario.speaker_name("you", conv.lang) if "you" in scenario.characters else "You"
    lines = _node_lines(conv, conv.path, 0)
    steer = toward is not None and graph is not None and graph.complete and len(graph) > 0
    state: int | None = 0 if steer else None
    while not conv.ended and conv.turns < MAX_MODEL_TURNS:
        offered = conv.offered()
        moves: dict[str, int] = {}
        if graph is not None and state is not None:
            moves = dict(graph.moves(state))
            keep = [
                c for c in offered if c.id in moves and toward in graph.endings_from(moves[c.id])
            ]
            offered = keep or offered
        pick = model_choice(conv.node, offered)
        if pick is None:
            break
        state = moves.get(pick.id) if state is not None else None
        step = conv.choose(pick.id)
        authored = conv.scenario.nodes[step.node].model == pick.id
        said = flat(pick.text.get(conv.lang))
        lines.append(ScriptLine(step.turn, you, said, True, pick.id, authored))
        lines += _node_lines(conv, step.entered, step.turn)
    ending = conv.ending
    return ModelConversation(
        lines=tuple(lines),
        choices=tuple(conv.choices_made),
        ending=conv.node.id if conv.ended else None,
        ending_title=flat(ending.title.get(conv.lang)) if ending else None,
        outcome=ending.outcome if ending else None,
        total=sum(conv.scores.values()),
        trust_final=conv.trust,
    )
