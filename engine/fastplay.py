"""The rules of play compiled into tables: one transition function over hashable states.

`Conversation` is the reference player (history, events, undo, machines). The explorer
(engine.explore) and autoplay (engine.autoplay) need millions of transitions, so they use
`Rules`: a driver over the rules kernel (engine.rules: answering, effects, entering,
automatic `next`, stall, loop) like `Conversation`, over a small immutable state:

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

A named specialisation of the kernel, **straight moves**: a choice whose move reads no
condition on the way — its `to` node waits for an answer or ends (no automatic `next`),
and neither the choice's nor the node's hierarchy move can be stopped by a rung's
`requires` from the current rung — is compiled once into what it does to a state
(`Straight`: a turn and `chose()`; the choice's trust change clamped by
`rules.clamp_trust`, its rung move; `visited()`; the node's trust change clamped, its rung
move; the flags set), so `Rules.choose` makes it without the kernel's driver calls
(explore, autoplay and the difficulty pass make hundreds of thousands of moves; on the
generated stories of bench/ nearly nine in ten are straight).
Every other move goes through engine.rules. tests/test_explore.py checks the two agree on
every move of every reachable state of the bundled scenarios and of generated ones.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from engine import rules as kernel
from engine.conditions import Condition, Facts
from engine.model import Choice, FlagValue, Node, Scenario
from engine.rules import DECIDE, ENDING, LOOP, STALL, clamp_trust

State = tuple[int, int, int, tuple[FlagValue, ...], frozenset[str], frozenset[str], int]

__all__ = [
    "DECIDE",
    "ENDING",
    "LOOP",
    "STALL",
    "Arrival",
    "Rules",
    "State",
    "Straight",
    "no_gc",
    "straight_state",
]
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
    """The mutable facts of one transition in progress: the kernel's driver (engine.rules
    changes it through the methods below; conditions read its attributes). Only what
    some condition reads is kept (flags, visited, chosen, turns), so states stay small."""

    __slots__ = (
        "trust",
        "level_index",
        "rung_index",
        "turns",
        "flags",
        "visited",
        "chosen",
        "blocked_moves",
        "_scenario",
        "_levels",
        "_flag_index",
        "_tracks_turns",
        "_tracked_nodes",
        "_tracked_choices",
    )

    def __init__(self, flags: _FlagView, rules: Rules) -> None:
        self.trust = 0
        self.level_index = 0
        self.rung_index = 0
        self.turns = 0
        self.flags = flags
        self.visited: frozenset[str] = frozenset()
        self.chosen: frozenset[str] = frozenset()
        self.blocked_moves = 0
        self._scenario = rules.scenario
        self._levels = rules.levels
        self._flag_index = rules.flag_index
        self._tracks_turns = rules.tracks_turns
        self._tracked_nodes = rules.tracked_nodes
        self._tracked_choices = rules.tracked_choices

    def set_trust(self, value: int) -> None:
        self.trust = value
        self.level_index = self._levels[value]

    def climb(self, target: int) -> bool:
        if kernel.rung_allowed(self._scenario, target, self):
            self.rung_index = target
            return True
        return False

    def rung_blocked(self, target: int, node: Node, choice: Choice | None) -> None:
        self.blocked_moves += 1

    def set_flag(self, name: str, value: FlagValue) -> None:
        i = self._flag_index.get(name)
        if i is not None:
            self.flags.vals[i] = value

    def visit(self, node: Node) -> None:
        if node.id in self._tracked_nodes:
            self.visited = self.visited | {node.id}

    def answered(self, choice: Choice) -> None:
        if self._tracks_turns:
            self.turns += 1
        if choice.id in self._tracked_choices:
            self.chosen = self.chosen | {choice.id}


@dataclass(frozen=True, slots=True)
class CChoice:
    """A choice compiled for fast play."""

    index: int  # position in Rules.choices
    id: str
    choice: Choice
    to: int
    scores: tuple[int, ...]  # in framework dimension order
    total: int


@dataclass(frozen=True, slots=True)
class CNode:
    """A node's choices as CChoices (what happens is engine.rules' business)."""

    index: int
    id: str
    node: Node
    choices: tuple[CChoice, ...]
    gated: bool  # some choice has a `when` (else every choice is offered, no facts needed)


class Straight(NamedTuple):
    """A straight move compiled (see the module docstring), in the kernel's order."""

    to: int  # node index entered
    status: int  # DECIDE or ENDING
    entered: tuple[int, ...]  # (to,)
    turn: int  # 1 when `turns` is tracked, else 0
    chose: frozenset[str] | None  # {choice id} when some chose() reads it
    trust1: int  # the choice's trust change (clamped after)
    rung1: tuple[int, ...] | None  # current rung -> rung after the choice's move (-1: kernel)
    trust2: int  # the node's trust change on entering (clamped after)
    rung2: tuple[int, ...] | None  # rung -> rung after the node's move (-1: kernel)
    sets: tuple[tuple[int, FlagValue], ...]  # tracked flags set (choice's, then node's)
    visit: str | None  # the node id when some visited() reads it


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

    def __init__(self, scenario: Scenario, straight: bool = True) -> None:
        """`straight=False` makes every move through the kernel (the differential tests
        compare the two)."""
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
        # trust level by trust value, as a table: a hot path looks levels up per move
        # (Conversation's TrustMachine moves between the same levels, engine.machines)
        self.levels = kernel.level_table(scenario)
        choices: list[CChoice] = []
        nodes: list[CNode] = []
        for i, (nid, node) in enumerate(scenario.nodes.items()):
            cchoices = []
            for ch in node.choices:
                cc = CChoice(
                    index=len(choices),
                    id=ch.id,
                    choice=ch,
                    to=self.node_index[ch.to],
                    scores=tuple(ch.scores.get(k, 0) for k in self.dimensions),
                    total=sum(ch.scores.get(k, 0) for k in self.dimensions),
                )
                choices.append(cc)
                cchoices.append(cc)
            nodes.append(
                CNode(
                    index=i,
                    id=nid,
                    node=node,
                    choices=tuple(cchoices),
                    gated=any(c.when is not None for c in node.choices),
                )
            )
        self.nodes: tuple[CNode, ...] = tuple(nodes)
        self.choices: tuple[CChoice, ...] = tuple(choices)
        self.choice_ids: tuple[str, ...] = tuple(c.id for c in choices)
        self._flags = _FlagView(self.flag_index)
        self._w = _Work(self._flags, self)
        self._cchoice = {id(c.choice): c for c in choices}
        self.straight: tuple[Straight | None, ...] = tuple(
            self._straight(c) if straight else None for c in choices
        )

    def _straight(self, cc: CChoice) -> Straight | None:
        """The choice as a straight move, or None when its move reads a condition."""
        sc = self.scenario
        target = sc.nodes[cc.choice.to]
        if target.next:
            return None
        rung1 = self._rung_map(cc.choice.effects.hierarchy)
        rung2 = self._rung_map(target.effects.hierarchy)
        sets = tuple(
            (self.flag_index[n], v)
            for n, v in (*cc.choice.effects.set, *target.effects.set)
            if n in self.flag_index
        )
        return Straight(
            to=cc.to,
            status=ENDING if target.ending is not None else DECIDE,
            entered=(cc.to,),
            turn=1 if self.tracks_turns else 0,
            chose=frozenset([cc.id]) if cc.id in self.tracked_choices else None,
            trust1=cc.choice.effects.trust,
            rung1=rung1,
            trust2=target.effects.trust,
            rung2=rung2,
            sets=sets,
            visit=target.id if target.id in self.tracked_nodes else None,
        )

    def _rung_map(self, move: str | None) -> tuple[int, ...] | None:
        """Rung index -> rung index after `move` (-1 where a `requires` must be asked)."""
        if move is None:
            return None
        sc = self.scenario
        out = []
        for r in range(len(sc.ladder)):
            target = kernel.rung_target(sc.ladder, r, move)
            if target is None:
                out.append(r)
            elif sc.ladder[target] in sc.requires:
                out.append(-1)
            else:
                out.append(target)
        return tuple(out)

    # ---------------------------------------------------------------- facts
    def _load(self, state: State) -> _Work:
        w = self._w
        _, trust, w.rung_index, flags, w.visited, w.chosen, w.turns = state
        w.trust = trust
        w.level_index = self.levels[trust]
        self._flags.vals = list(flags)
        return w

    def facts(self, state: State) -> Facts:
        """The facts conditions read in `state` (valid until the next call on these Rules)."""
        return self._load(state)

    # ---------------------------------------------------------------- moves
    def start(self) -> Arrival:
        """Enter the start node (its effects and automatic `next` links)."""
        sc = self.scenario
        w = self._w
        w.trust = sc.trust_start
        w.level_index = self.levels[sc.trust_start]
        w.rung_index = sc.ladder.index(sc.hierarchy_start)
        self._flags.vals = [False] * len(self.flag_names)
        w.visited = frozenset()
        w.chosen = frozenset()
        w.turns = 0
        w.blocked_moves = 0
        entered: list[Node] = []
        return self._arrive(kernel.start(sc, w, entered), entered)

    def offered(self, state: State) -> list[CChoice]:
        """Choices offered in a DECIDE state, in node order ([] for a dead end)."""
        node = self.nodes[state[0]] if state[0] >= 0 else None
        if node is None or not node.choices:
            return []
        if not node.gated:  # no `when` at all: every choice (no facts to load)
            return list(node.choices)
        w = self._load(state)
        by_choice = self._cchoice
        return [by_choice[id(c)] for c in kernel.offered(node.node, w)]

    def choose(self, state: State, choice: CChoice) -> Arrival:
        """Make an offered choice (engine.rules.answer) and say where it leads."""
        st = self.straight[choice.index]
        if st is not None:
            moved = straight_state(st, state)
            if moved is not None:
                return Arrival(moved, st.status, st.entered, 0)
        w = self._load(state)
        w.blocked_moves = 0
        entered: list[Node] = []
        node = self.nodes[state[0]].node
        return self._arrive(kernel.answer(self.scenario, node, choice.choice, w, entered), entered)

    def _arrive(self, status: int, entered: list[Node]) -> Arrival:
        w = self._w
        index = self.node_index
        here = index[entered[-1].id]
        if status == LOOP:  # the state names the node the loop would enter next
            target = kernel.next_target(entered[-1], w)
            here = ~index[target] if target is not None else ~here
        state = (here, w.trust, w.rung_index, tuple(self._flags.vals), w.visited, w.chosen, w.turns)
        return Arrival(state, status, tuple(index[n.id] for n in entered), w.blocked_moves)

    # ---------------------------------------------------------------- helpers
    def node_of(self, state: State) -> str:
        """The node id a state is at (for a LOOP, the node where the loop was found)."""
        n = state[0]
        return self.node_ids[n if n >= 0 else ~n]


def straight_state(st: Straight, state: State) -> State | None:
    """The state a straight move leads to from `state` (its status is `st.status`, the
    node entered `st.to`, nothing blocked), or None when a rung's `requires` must be
    asked: the kernel's business. The kernel's order: a turn and chose(); the choice's trust
    (clamped), rung; `visited()`; the node's trust (clamped), rung; the flags set."""
    _, trust, rung, flags, visited, chosen, turns = state
    to, _, _, turn, chose, trust1, rung1, trust2, rung2, sets, visit = st
    if trust1:
        trust = clamp_trust(trust + trust1)
    if rung1 is not None:
        rung = rung1[rung]
        if rung < 0:
            return None
    if trust2:
        trust = clamp_trust(trust + trust2)
    if rung2 is not None:
        rung = rung2[rung]
        if rung < 0:
            return None
    if sets:
        fl = list(flags)
        for i, v in sets:
            fl[i] = v
        flags = tuple(fl)
    if visit is not None and visit not in visited:
        visited = visited | {visit}
    if chose is not None:
        chosen = chosen | chose
    return (to, trust, rung, flags, visited, chosen, turns + turn)
