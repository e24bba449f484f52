"""The rules of play compiled into tables: one transition function over hashable states.

`Conversation` is the reference player (history, events, undo, machines). The explorer
(engine.explore) and autoplay (engine.autoplay) need millions of transitions, so they use
`Rules`: the same rule functions (engine.rules), the same compiled `Condition.test`
closures and the same order of effects as `Conversation`, over a small immutable state:

    State = (node, trust, rung, flags, visited, chosen, turns)

- `node`: index into `Rules.node_ids` (negative, `~index`, for an automatic-`next` loop);
- `trust`: the trust value; `rung`: index into the ladder;
- `flags`: values of the flags some condition reads (`Rules.flag_names`; unread flags
  cannot change what happens, so they are left out of the state);
- `visited` / `chosen`: the node / choice ids among those that some `visited()` / `chose()`
  reads which the play has entered / chosen;
- `turns`: choices made so far, or 0 when no condition reads `turns`.

A state is where the play waits for the player (`DECIDE`) or where it is over
(`ENDING`, `STALL`: a `next` with no branch that holds, `LOOP`: automatic `next` links
going round without a choice). A `DECIDE` state whose choices are all closed off by
their `when` is over too (`Rules.offered` returns no choices): a dead end.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from engine.conditions import Condition, Facts
from engine.conversation import MAX_AUTOMATIC_STEPS
from engine.model import Choice, Effects, FlagValue, Scenario
from engine.rules import clamp_trust, rung_allowed, rung_target

State = tuple[int, int, int, tuple[FlagValue, ...], frozenset[str], frozenset[str], int]

DECIDE = 0
ENDING = 1
STALL = 2
LOOP = 3
STATUS_NAMES = ("decide", "ending", "stall", "loop")


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cycle collector: the tables built here hold no cycles, and a full
    collection would walk all of them again and again as they grow (slower by ~3x)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _FlagView(Mapping[str, Any]):
    """The tracked flags of a state as the mapping conditions read (`flags.get(name, False)`)."""

    __slots__ = ("_index", "vals")

    def __init__(self, index: dict[str, int]) -> None:
        self._index = index
        self.vals: list[FlagValue] = [False] * len(index)

    def __getitem__(self, key: str) -> Any:
        return self.vals[self._index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        return default if i is None else self.vals[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


class _Work:
    """The mutable facts of one transition in progress; conditions read it."""

    __slots__ = ("trust", "level_index", "rung_index", "turns", "flags", "visited", "chosen")

    def __init__(self, flags: _FlagView) -> None:
        self.trust = 0
        self.level_index = 0
        self.rung_index = 0
        self.turns = 0
        self.flags = flags
        self.visited: frozenset[str] = frozenset()
        self.chosen: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CChoice:
    """A choice compiled for fast play."""

    index: int  # position in Rules.choices
    id: str
    choice: Choice
    when: Condition | None
    to: int
    effects: Effects
    fx: Effects | None  # `effects`, or None when they are empty
    track: bool  # some chose() reads it
    scores: tuple[int, ...]  # in framework dimension order
    total: int


@dataclass(frozen=True, slots=True)
class CNode:
    index: int
    id: str
    kind: str  # choices | next | ending
    stop: int  # DECIDE (choices), ENDING (ending) or -1 (next: the play moves on)
    choices: tuple[CChoice, ...]
    gated: bool  # some choice has a `when`
    next: tuple[tuple[Condition | None, int], ...]
    effects: Effects | None  # None when empty
    track: bool  # some visited() reads it


class Arrival(NamedTuple):
    """Where a move leads: the new state, how things stand there, and what it passed."""

    state: State
    status: int  # DECIDE, ENDING, STALL or LOOP
    entered: tuple[int, ...]  # node indices entered, in order (automatic ones included)
    blocked: int  # hierarchy moves that a rung's `requires` stopped


def conditions_of(scenario: Scenario) -> list[Condition]:
    """Every condition in the scenario: choice `when`s, `next` branches, rung `requires`."""
    out: list[Condition] = list(scenario.requires.values())
    for node in scenario.nodes.values():
        out.extend(c.when for c in node.choices if c.when is not None)
        out.extend(b.when for b in node.next if b.when is not None)
    return out


class Rules:
    """The scenario's rules as tables; thread-unsafe (one scratch fact record)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        conds = conditions_of(scenario)
        names: set[str] = set()
        visited: set[str] = set()
        chosen: set[str] = set()
        for c in conds:
            names |= c.names
            visited |= c.visited_nodes
            chosen |= c.chosen_ids
        self.flag_names: tuple[str, ...] = tuple(f for f in scenario.flags if f in names)
        self.flag_index: dict[str, int] = {f: i for i, f in enumerate(self.flag_names)}
        self.tracks_turns = "turns" in names
        self.tracked_nodes = frozenset(visited)
        self.tracked_choices = frozenset(chosen)
        self.dimensions: tuple[str, ...] = scenario.framework.keys
        self.node_ids: tuple[str, ...] = tuple(scenario.nodes)
        self.node_index: dict[str, int] = {n: i for i, n in enumerate(self.node_ids)}
        self.levels = tuple(scenario.level_of(t) for t in range(101))
        choices: list[CChoice] = []
        nodes: list[CNode] = []
        for i, (nid, node) in enumerate(scenario.nodes.items()):
            cchoices = []
            for ch in node.choices:
                cc = CChoice(
                    index=len(choices),
                    id=ch.id,
                    choice=ch,
                    when=ch.when,
                    to=self.node_index[ch.to],
                    effects=ch.effects,
                    fx=None if ch.effects.empty else ch.effects,
                    track=ch.id in self.tracked_choices,
                    scores=tuple(ch.scores.get(k, 0) for k in self.dimensions),
                    total=sum(ch.scores.get(k, 0) for k in self.dimensions),
                )
                choices.append(cc)
                cchoices.append(cc)
            nodes.append(
                CNode(
                    index=i,
                    id=nid,
                    kind=node.kind,
                    stop=DECIDE
                    if node.kind == "choices"
                    else ENDING
                    if node.kind == "ending"
                    else -1,
                    choices=tuple(cchoices),
                    gated=any(c.when is not None for c in cchoices),
                    next=tuple((b.when, self.node_index[b.to]) for b in node.next),
                    effects=None if node.effects.empty else node.effects,
                    track=nid in self.tracked_nodes,
                )
            )
        self.nodes: tuple[CNode, ...] = tuple(nodes)
        self.choices: tuple[CChoice, ...] = tuple(choices)
        self.choice_ids: tuple[str, ...] = tuple(c.id for c in choices)
        self._flags = _FlagView(self.flag_index)
        self._w = _Work(self._flags)

    # ---------------------------------------------------------------- facts
    def _level(self, trust: int) -> int:
        if 0 <= trust <= 100:
            return self.levels[trust]
        return self.scenario.level_of(trust)

    def _load(self, state: State) -> _Work:
        w = self._w
        _, trust, w.rung_index, flags, w.visited, w.chosen, w.turns = state
        w.trust = trust
        w.level_index = self.levels[trust] if 0 <= trust <= 100 else self._level(trust)
        self._flags.vals = list(flags)
        return w

    def facts(self, state: State) -> Facts:
        """The facts conditions read in `state` (valid until the next call on these Rules)."""
        return self._load(state)

    def _pack(self, node: int) -> State:
        w = self._w
        return (
            node,
            w.trust,
            w.rung_index,
            tuple(self._flags.vals),
            w.visited,
            w.chosen,
            w.turns,
        )

    # ---------------------------------------------------------------- moves
    def start(self) -> Arrival:
        """Enter the start node (its effects and automatic `next` links)."""
        sc = self.scenario
        w = self._w
        w.trust = sc.trust_start
        w.level_index = self._level(sc.trust_start)
        w.rung_index = sc.ladder.index(sc.hierarchy_start)
        self._flags.vals = [False] * len(self.flag_names)
        w.visited = frozenset()
        w.chosen = frozenset()
        w.turns = 0
        return self._enter(self.node_index[sc.start])

    def offered(self, state: State) -> list[CChoice]:
        """Choices offered in a DECIDE state, in node order ([] for a dead end)."""
        node = self.nodes[state[0]] if state[0] >= 0 else None
        if node is None or not node.choices:
            return []
        if not node.gated:
            return list(node.choices)
        w = self._load(state)
        return [c for c in node.choices if c.when is None or c.when.test(w)]

    def choose(self, state: State, choice: CChoice) -> Arrival:
        """Make an offered choice: turns, chose(), effects (trust, hierarchy, set), enter `to`."""
        w = self._load(state)
        if self.tracks_turns:
            w.turns += 1
        if choice.track:
            w.chosen = w.chosen | {choice.id}
        fx = choice.fx
        return self._enter(choice.to, 0 if fx is None else self._apply(fx))

    def _apply(self, effects: Effects) -> int:
        w = self._w
        blocked = 0
        if effects.trust:
            w.trust = clamp_trust(w.trust + effects.trust)
            w.level_index = self._level(w.trust)
        if effects.hierarchy is not None:
            target = rung_target(self.scenario.ladder, w.rung_index, effects.hierarchy)
            if target is not None:
                if rung_allowed(self.scenario, target, w):
                    w.rung_index = target
                else:
                    blocked = 1
        for name, value in effects.set:
            i = self.flag_index.get(name)
            if i is not None:
                self._flags.vals[i] = value
        return blocked

    def _enter(self, node_index: int, blocked: int = 0) -> Arrival:
        w = self._w
        nodes = self.nodes
        entered: list[int] = []
        for _ in range(MAX_AUTOMATIC_STEPS):
            node = nodes[node_index]
            if node.track:
                w.visited = w.visited | {node.id}
            entered.append(node_index)
            if node.effects is not None:
                blocked += self._apply(node.effects)
            if node.stop >= 0:
                fv = self._flags.vals
                state = (node_index, w.trust, w.rung_index, tuple(fv), w.visited, w.chosen, w.turns)
                return Arrival(state, node.stop, tuple(entered), blocked)
            for when, to in node.next:
                if when is None or when.test(w):
                    node_index = to
                    break
            else:
                return Arrival(self._pack(node_index), STALL, tuple(entered), blocked)
        return Arrival(self._pack(~node_index), LOOP, tuple(entered), blocked)

    # ---------------------------------------------------------------- helpers
    def node_of(self, state: State) -> str:
        """The node id a state is at (for a LOOP, the node where the loop was found)."""
        n = state[0]
        return self.node_ids[n if n >= 0 else ~n]
