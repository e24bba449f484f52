"""The decisive moment of a play, read from the state graph (engine.explore.StateGraph).

The play's states are followed through the state graph by its choices. For each state the
graph knows the endings some play from there still reaches; ranking outcomes failure <
partial < success gives the best and the worst outcome still within reach.

- A failure or partial: the decisive moment is the answer after which no better outcome
  was within reach any more (the point of no return), with the answers at that same
  decision that would still have kept a better outcome within reach.
- A success: the answer after which every way on led to a success (it locked it in).

There is none when the play has not ended, when nothing better was ever within reach (or
nothing worse, for a success), or when the exploration is incomplete.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from engine.conversation import Conversation
from engine.explore import StateGraph
from engine.feedback.layout import flat
from engine.feedback.model_answer import model_choice

OUTCOME_RANK = {"failure": 0, "partial": 1, "success": 2}
RANKED = ("failure", "partial", "success")


@dataclass(frozen=True, slots=True)
class Alternative:
    """An answer at the decisive decision that kept a better outcome within reach."""

    choice: str
    text: str
    outcome: str  # the best outcome still within reach after it

    def as_dict(self) -> dict[str, Any]:
        return {"choice": self.choice, "text": self.text, "outcome": self.outcome}


@dataclass(frozen=True, slots=True)
class Decisive:
    """The turn that decided the ending reached."""

    kind: Literal["no_return", "locked_in"]
    turn: int
    node: str
    choice: str
    said: str  # the player's line at that turn
    outcome: str  # the outcome reached
    within_reach: str  # the best outcome within reach just before that answer
    alternatives: tuple[Alternative, ...]  # for no_return: answers that kept it within reach

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "turn": self.turn,
            "node": self.node,
            "choice": self.choice,
            "said": self.said,
            "outcome": self.outcome,
            "within_reach_before": self.within_reach,
            "alternatives": [a.as_dict() for a in self.alternatives],
        }


def play_states(graph: StateGraph, choices: Sequence[str]) -> list[int] | None:
    """The states of a play: where it starts, then after each choice (None: off the graph)."""
    if not len(graph):
        return None
    states = [0]
    for cid in choices:
        nxt = dict(graph.moves(states[-1])).get(cid)
        if nxt is None:
            return None
        states.append(nxt)
    return states


class OutcomeReach:
    """The best and worst outcome still within reach from a state of `graph`."""

    def __init__(self, graph: StateGraph) -> None:
        self.graph = graph
        outcomes = {
            n.id: OUTCOME_RANK[n.ending.outcome]
            for n in graph.rules.scenario.endings
            if n.ending is not None
        }
        self._outcomes = outcomes

    def ranks(self, s: int) -> list[int]:
        return [self._outcomes[e] for e in self.graph.endings_from(s)]

    def best(self, s: int) -> int | None:
        return max(self.ranks(s), default=None)

    def worst(self, s: int) -> int | None:
        return min(self.ranks(s), default=None)


def decisive_moment(conv: Conversation, graph: StateGraph | None) -> Decisive | None:
    """The decisive moment of `conv` (see the module docstring), or None."""
    if graph is None or not graph.complete or conv.ending is None:
        return None
    states = play_states(graph, conv.choices_made)
    if states is None:
        return None
    reach = OutcomeReach(graph)
    got = OUTCOME_RANK[conv.ending.outcome]
    sc = conv.scenario
    lang = conv.lang
    for k in range(1, len(states)):
        before, after = states[k - 1], states[k]
        step = conv.history[k - 1]
        said = flat(sc.choices[step.choice].text.get(lang))
        if got < OUTCOME_RANK["success"]:
            best_before, best_after = reach.best(before), reach.best(after)
            if best_before is None or best_after is None:
                return None
            if best_before > got and best_after <= got:
                alts = []
                for cid, t in graph.moves(before):
                    b = reach.best(t)
                    if cid != step.choice and b is not None and b > got:
                        alts.append((b, cid))
                top = max((b for b, _ in alts), default=got)
                keep = [sc.choices[cid] for b, cid in alts if b == top]
                first = model_choice(sc.nodes[step.node], keep)
                ordered = ([first] if first else []) + [c for c in keep if c is not first]
                return Decisive(
                    kind="no_return",
                    turn=step.turn,
                    node=step.node,
                    choice=step.choice,
                    said=said,
                    outcome=conv.ending.outcome,
                    within_reach=RANKED[best_before],
                    alternatives=tuple(
                        Alternative(c.id, flat(c.text.get(lang)), RANKED[top]) for c in ordered
                    ),
                )
        else:
            worst_before, worst_after = reach.worst(before), reach.worst(after)
            if worst_before is None or worst_after is None:
                return None
            if worst_before < got and worst_after >= got:
                return Decisive(
                    kind="locked_in",
                    turn=step.turn,
                    node=step.node,
                    choice=step.choice,
                    said=said,
                    outcome=conv.ending.outcome,
                    within_reach=RANKED[reach.best(before) or got],
                    alternatives=(),
                )
    return None
