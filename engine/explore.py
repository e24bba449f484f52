"""Every reachable state of a scenario under the real rules, and the extremes of a play.

`explore(scenario)` walks the state graph of engine.fastplay (the same rules as
`Conversation`) breadth first, never enumerating paths: a state is (node, trust, rung,
the flags conditions read, the visited()/chose() facts conditions read, turns when a
condition reads it). It stops after `max_states` states (`complete` is then False).

Best and worst framework totals are longest/shortest paths over the state graph to an
ending (engine.extremes, which proves a score unbounded from a cycle rather than giving
up); an unbounded extreme is left out of `best_scores`/`worst_scores` (None for the
totals) and named in `best_unbounded` / `worst_unbounded` ("total" or a dimension key).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from engine.extremes import Extremes, Value, tarjan
from engine.fastplay import (
    DECIDE,
    ENDING,
    LOOP,
    STALL,
    Arrival,
    Rules,
    State,
    no_gc,
    straight_state,
)
from engine.model import FlagValue, Scenario

DEFAULT_MAX_STATES = 1_000_000


@dataclass(frozen=True)
class Exploration:
    """What every play of a scenario can do (see module docstring)."""

    states: int
    complete: bool
    max_states: int
    nodes_reached: frozenset[str]
    choices_offered: frozenset[str]
    endings_reachable: frozenset[str]
    stall_nodes: frozenset[str]  # `next` nodes where a reachable state matches no branch
    final_trust: tuple[int, int] | None  # min, max over reachable ending states
    best_total: int | None
    worst_total: int | None
    best_scores: dict[str, int]
    worst_scores: dict[str, int]
    best_play: list[str]
    best_final_trust: int | None
    # extras (beyond the shared contract)
    dead_end_nodes: frozenset[str] = frozenset()  # choice nodes where some state offers none
    loop_nodes: frozenset[str] = frozenset()  # automatic `next` loops without a choice
    best_unbounded: frozenset[str] = frozenset()  # "total" / dimension keys
    worst_unbounded: frozenset[str] = frozenset()
    outcomes_reachable: frozenset[str] = frozenset()
    edges: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    graph: StateGraph | None = field(default=None, compare=False, repr=False)


class _Graph:
    """The explored state graph: ids, successor lists (choice index, successor id)."""

    def __init__(self) -> None:
        self.states: list[State] = []
        self.status: list[int] = []
        self.succ: list[list[tuple[int, int]]] = []
        self.expanded: list[bool] = []


STATUS = ("decide", "ending", "stall", "loop")  # by DECIDE, ENDING, STALL, LOOP


class StateGraph:
    """The explored state graph, for other parts to walk (`Exploration.graph`).

    States are numbered 0 .. len(graph) - 1; 0 is where a play starts (after the start
    node's automatic links). A state is where the play waits for an answer ("decide") or
    where it is over ("ending", "stall", "loop"; a "decide" state with no offered choice
    is a dead end). `moves(s)` are the offered choices in node order with the state each
    leads to (all of them, unless the exploration stopped at its state cap: see
    `complete`). `endings_from(s)` are the ending node ids some play from `s` can still
    reach: a state where an ending drops out of reach after a choice is a point of no
    return for that ending. Nothing here restates a rule: the states and moves are those
    of engine.fastplay.Rules.
    """

    def __init__(self, rules: Rules, g: _Graph, complete: bool) -> None:
        self.rules = rules
        self.complete = complete
        self._g = g
        self._endings: list[frozenset[str]] | None = None

    def __len__(self) -> int:
        return len(self._g.states)

    def node(self, s: int) -> str:
        """The node the play is at (for a "loop", the node where the loop was found)."""
        return self.rules.node_of(self._g.states[s])

    def status(self, s: int) -> str:
        return STATUS[self._g.status[s]]

    def trust(self, s: int) -> int:
        return self._g.states[s][1]

    def rung(self, s: int) -> str:
        return self.rules.scenario.ladder[self._g.states[s][2]]

    def flags(self, s: int) -> dict[str, FlagValue]:
        """The flags that some condition reads (other flags are not part of a state)."""
        return dict(zip(self.rules.flag_names, self._g.states[s][3], strict=True))

    def moves(self, s: int) -> list[tuple[str, int]]:
        """(choice id, next state) for each choice offered in state `s`, in node order."""
        ids = self.rules.choice_ids
        return [(ids[c], t) for c, t in self._g.succ[s]]

    def endings_from(self, s: int) -> frozenset[str]:
        """Ending node ids that some play from state `s` reaches (empty: a trap)."""
        if self._endings is None:
            self._endings = self._reachable_endings()
        return self._endings[s]

    def _reachable_endings(self) -> list[frozenset[str]]:
        g = self._g
        out: list[frozenset[str]] = [frozenset()] * len(g.states)
        for comp in tarjan(g.succ):  # sinks first: successors are settled before
            here: set[str] = set()
            members = set(comp)
            for s in comp:
                if g.status[s] == ENDING:
                    here.add(self.rules.node_ids[g.states[s][0]])
                for _, t in g.succ[s]:
                    if t not in members:
                        here |= out[t]
            done = frozenset(here)
            for s in comp:
                out[s] = done
        return out


def explore(scenario: Scenario, max_states: int = DEFAULT_MAX_STATES) -> Exploration:
    """Explore every reachable state (up to `max_states`) under the real rules."""
    with no_gc():
        return _explore(scenario, max_states)


def _explore(scenario: Scenario, max_states: int) -> Exploration:
    if max_states < 1:
        max_states = 1
    rules = Rules(scenario)
    g = _Graph()
    ids: dict[State, int] = {}
    nodes_reached: set[int] = set()
    offered_ids: set[int] = set()
    complete = True

    def intern(arr: Arrival) -> int:
        sid = ids.get(arr.state)
        if sid is None:
            sid = len(g.states)
            ids[arr.state] = sid
            g.states.append(arr.state)
            g.status.append(arr.status)
            g.succ.append([])
        return sid

    first = rules.start()
    nodes_reached.update(first.entered)
    intern(first)
    states = g.states
    status = g.status
    succs = g.succ
    straight = rules.straight
    offered_of = rules.offered
    choose = rules.choose
    get = ids.get
    reached = nodes_reached.add
    queue: deque[int] = deque([0])
    pop = queue.popleft
    push = queue.append
    while queue:
        sid = pop()
        if status[sid] != DECIDE:
            continue
        state = states[sid]
        succ = succs[sid]
        for ch in offered_of(state):
            ci = ch.index
            offered_ids.add(ci)
            # a straight move (engine.fastplay) without an Arrival: the node it enters
            # is the new state's node, counted below when the state is new
            sm = straight[ci]
            if sm is not None and (moved := straight_state(sm, state)) is not None:
                tid = get(moved)
                if tid is None:
                    if len(states) >= max_states:
                        complete = False
                        continue
                    tid = ids[moved] = len(states)
                    states.append(moved)
                    status.append(sm.status)
                    succs.append([])
                    push(tid)
                    reached(sm.to)
            else:
                arr = choose(state, ch)
                tid = get(arr.state)
                if tid is None:
                    if len(states) >= max_states:
                        complete = False
                        continue
                    tid = intern(arr)
                    push(tid)
                nodes_reached.update(arr.entered)
            succ.append((ci, tid))
    # every state interned was queued, and the queue ran dry: all were expanded
    g.expanded = [True] * len(states)
    n_edges = sum(map(len, succs))

    endings: set[str] = set()
    outcomes: set[str] = set()
    stalls: set[str] = set()
    dead: set[str] = set()
    loops: set[str] = set()
    trusts: list[int] = []
    for sid, state in enumerate(g.states):
        st = g.status[sid]
        if st == ENDING:
            nid = rules.node_ids[state[0]]
            endings.add(nid)
            ending = scenario.nodes[nid].ending
            if ending is not None:
                outcomes.add(ending.outcome)
            trusts.append(state[1])
        elif st == STALL:
            stalls.add(rules.node_ids[state[0]])
        elif st == LOOP:
            loops.add(rules.node_of(state))
        elif g.expanded[sid] and not g.succ[sid] and not rules.offered(state):
            dead.add(rules.node_ids[state[0]])

    # objectives, all maximised: each dimension, the total, then their negations (worst)
    dims = rules.dimensions
    nd = len(dims)
    weights = []
    for c in rules.choices:
        up = (*c.scores, c.total)
        weights.append((*up, *(-x for x in up)))
    extremes = Extremes(g.succ, g.status, weights, 2 * (nd + 1))
    start = extremes.start_values()
    best_scores: dict[str, int] = {}
    worst_scores: dict[str, int] = {}
    best_unb: set[str] = set()
    worst_unb: set[str] = set()
    notes: list[str] = []
    for d, key in enumerate(dims):
        _put(best_scores, best_unb, key, start[d], +1)
        _put(worst_scores, worst_unb, key, start[nd + 1 + d], -1)
    hi_total = start[nd]
    lo_total = start[2 * nd + 1]
    best_total = _finite(hi_total, +1)
    worst_total = _finite(lo_total, -1)
    if hi_total == math.inf:
        best_unb.add("total")
    if lo_total == math.inf:
        worst_unb.add("total")
    best_play: list[str] = []
    best_final_trust: int | None = None
    if best_total is not None:
        path, end = extremes.tight_path(nd)
        best_play = [rules.choice_ids[c] for c in path]
        best_final_trust = g.states[end][1]
    return Exploration(
        states=len(g.states),
        complete=complete,
        max_states=max_states,
        nodes_reached=frozenset(rules.node_ids[i] for i in nodes_reached),
        choices_offered=frozenset(rules.choice_ids[i] for i in offered_ids),
        endings_reachable=frozenset(endings),
        stall_nodes=frozenset(stalls),
        final_trust=(min(trusts), max(trusts)) if trusts else None,
        best_total=best_total,
        worst_total=worst_total,
        best_scores=best_scores,
        worst_scores=worst_scores,
        best_play=best_play,
        best_final_trust=best_final_trust,
        dead_end_nodes=frozenset(dead),
        loop_nodes=frozenset(loops),
        best_unbounded=frozenset(best_unb),
        worst_unbounded=frozenset(worst_unb),
        outcomes_reachable=frozenset(outcomes),
        edges=n_edges,
        notes=tuple(notes),
        graph=StateGraph(rules, g, complete),
    )


def _finite(value: Value, sign: int) -> int | None:
    if value is None or value == math.inf:
        return None
    return int(value) * sign


def _put(target: dict[str, int], unbounded: set[str], key: str, value: Value, sign: int) -> None:
    if value == math.inf:
        unbounded.add(key)
    elif value is not None:
        target[key] = int(value) * sign
