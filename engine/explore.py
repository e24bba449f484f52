"""Every reachable state of a scenario under the real rules, and the extremes of a play.

`explore(scenario)` walks the state graph of engine.fastplay (the same rules as
`Conversation`) breadth first, never enumerating paths: a state is (node, trust, rung,
the flags conditions read, the visited()/chose() facts conditions read, turns when a
condition reads it). It stops after `max_states` states (`complete` is then False).

Best and worst framework totals are longest/shortest paths over the state graph to an
ending, by dynamic programming over its strongly connected components (Tarjan,
iterative). Inside a component with cycles the scores are settled with potentials
(every cycle scores 0) or, failing that, by Bellman-Ford; a cycle that can raise (lower)
a score and still reach an ending makes that extreme unbounded: it is then left out of
`best_scores`/`worst_scores` (None for the totals) and named in `best_unbounded` /
`worst_unbounded` ("total" or a dimension key).
"""

from __future__ import annotations

import math
import operator
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from engine.fastplay import DECIDE, ENDING, LOOP, STALL, Arrival, Rules, State, no_gc
from engine.model import Scenario

DEFAULT_MAX_STATES = 1_000_000
_BF_BUDGET = 20_000_000  # edge relaxations for one cyclic component before giving up

Value = float | None  # an int when finite; math.inf when unbounded; None: no ending reachable


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


class _Graph:
    """The explored state graph: ids, successor lists (choice index, successor id)."""

    def __init__(self) -> None:
        self.states: list[State] = []
        self.status: list[int] = []
        self.succ: list[list[tuple[int, int]]] = []
        self.expanded: list[bool] = []


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
    n_edges = 0

    def intern(arr: Arrival) -> int:
        sid = ids.get(arr.state)
        if sid is None:
            sid = len(g.states)
            ids[arr.state] = sid
            g.states.append(arr.state)
            g.status.append(arr.status)
            g.succ.append([])
            g.expanded.append(False)
        return sid

    first = rules.start()
    nodes_reached.update(first.entered)
    intern(first)
    queue: deque[int] = deque([0])
    while queue:
        sid = queue.popleft()
        g.expanded[sid] = True
        if g.status[sid] != DECIDE:
            continue
        state = g.states[sid]
        offered = rules.offered(state)
        succ = g.succ[sid]
        for ch in offered:
            offered_ids.add(ch.index)
            arr = rules.choose(state, ch)
            tid = ids.get(arr.state)
            if tid is None:
                if len(g.states) >= max_states:
                    complete = False
                    continue
                tid = intern(arr)
                queue.append(tid)
            nodes_reached.update(arr.entered)
            succ.append((ch.index, tid))
            n_edges += 1

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
    extremes = _Extremes(g, weights, 2 * (nd + 1))
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
    if extremes.gave_up:
        notes.append(
            "a cyclic part of the state graph was too large to settle; "
            "its extremes are reported as unbounded"
        )
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


class _Extremes:
    """Longest paths to an ending over the state graph, for several weights at once.

    `val[s]` is a tuple (one value per objective) of the best sum of weights from state s
    to an ending, or None when no ending is reachable from s (the same for every
    objective); a value is math.inf when a cycle can raise it without end.
    """

    def __init__(self, g: _Graph, weights: Sequence[tuple[int, ...]], k: int) -> None:
        self.g = g
        self.w = weights
        self.k = k
        self.gave_up = False
        comps = _tarjan(g.succ)  # sinks first
        comp_of = [0] * len(g.succ)
        for ci, comp in enumerate(comps):
            for s in comp:
                comp_of[s] = ci
        self.val = self._solve(comps, comp_of)

    def start_values(self) -> tuple[Value, ...]:
        v = self.val[0] if self.val else None
        return tuple([None] * self.k) if v is None else v

    def _solve(self, comps: list[list[int]], comp_of: list[int]) -> list[tuple[float, ...] | None]:
        g = self.g
        succ = g.succ
        status = g.status
        w = self.w
        zero = (0,) * self.k
        val: list[tuple[float, ...] | None] = [None] * len(succ)
        for ci, comp in enumerate(comps):
            if len(comp) == 1:
                s = comp[0]
                if status[s] == ENDING:
                    val[s] = zero
                    continue
                es = succ[s]
                if all(t != s for _, t in es):
                    best: tuple[float, ...] | None = None
                    for c, t in es:
                        vt = val[t]
                        if vt is None:
                            continue
                        cand = tuple(map(operator.add, vt, w[c]))
                        best = cand if best is None else tuple(map(max, best, cand))
                    val[s] = best
                    continue
            per = [self._cyclic(ci, comp, k, val, comp_of) for k in range(self.k)]
            for s in comp:
                col = [p[s] for p in per]
                val[s] = None if col[0] is None else tuple(x if x is not None else 0 for x in col)
        return val

    def _cyclic(
        self,
        ci: int,
        comp: list[int],
        k: int,
        val: list[tuple[float, ...] | None],
        comp_of: list[int],
    ) -> dict[int, Value]:
        """Objective k over one strongly connected component with cycles."""
        succ = self.g.succ
        w = self.w
        out: dict[int, Value] = {}
        # best way out of the component from each member (exit edges only)
        exit_best: dict[int, Value] = {}
        any_exit = False
        for s in comp:
            best: Value = None
            for c, t in succ[s]:
                if comp_of[t] == ci:
                    continue
                vt = val[t]
                if vt is None:
                    continue
                cand = vt[k] + w[c][k]
                if best is None or cand > best:
                    best = cand
            exit_best[s] = best
            if best is not None:
                any_exit = True
        if not any_exit:
            return dict.fromkeys(comp)
        if any(v == math.inf for v in exit_best.values()):
            return dict.fromkeys(comp, math.inf)
        # potentials: p[v] = p[u] + w for every internal edge means every cycle scores 0
        pot: dict[int, float] = {comp[0]: 0}
        consistent = True
        stack = [comp[0]]
        while stack and consistent:
            u = stack.pop()
            pu = pot[u]
            for c, t in succ[u]:
                if comp_of[t] != ci:
                    continue
                pt = pot.get(t)
                if pt is None:
                    pot[t] = pu + w[c][k]
                    stack.append(t)
                elif pt != pu + w[c][k]:
                    consistent = False
                    break
        if consistent:
            top: float = -math.inf
            for s in comp:
                e = exit_best[s]
                if e is not None and pot[s] + e > top:
                    top = pot[s] + e
            for s in comp:
                out[s] = top - pot[s]
            return out
        # Bellman-Ford (longest paths) inside the component; still improving after
        # |comp| rounds means a cycle that raises the score: unbounded.
        dist: dict[int, float] = {}
        for s in comp:
            e = exit_best[s]
            dist[s] = -math.inf if e is None else e
        budget = _BF_BUDGET
        internal = [(s, [(w[c][k], t) for c, t in succ[s] if comp_of[t] == ci]) for s in comp]
        size = sum(len(es) for _, es in internal)
        unbounded = False
        for _round in range(len(comp) + 1):
            changed = False
            for s, es in internal:
                ds = dist[s]
                for wc, t in es:
                    dt = dist[t]
                    if dt != -math.inf and dt + wc > ds:
                        ds = dt + wc
                        changed = True
                dist[s] = ds
            if not changed:
                break
            budget -= size
            if budget <= 0:
                self.gave_up = True
                unbounded = True
                break
        else:
            unbounded = True
        for s in comp:
            d = dist[s]
            out[s] = math.inf if unbounded else (None if d == -math.inf else d)
        return out

    def tight_path(self, k: int) -> tuple[list[int], int]:
        """Choices of one play from the start reaching the (finite) best of objective k."""
        g = self.g
        val = self.val
        w = self.w
        parent: dict[int, tuple[int, int]] = {}
        seen = {0}
        queue: deque[int] = deque([0])
        end = -1
        while queue:
            s = queue.popleft()
            if g.status[s] == ENDING:
                end = s
                break
            vs = val[s]
            for c, t in g.succ[s]:
                vt = val[t]
                if t in seen or vt is None or vs is None or vt[k] + w[c][k] != vs[k]:
                    continue
                seen.add(t)
                parent[t] = (s, c)
                queue.append(t)
        if end < 0:
            return [], 0
        path: list[int] = []
        s = end
        while s != 0:
            p, c = parent[s]
            path.append(c)
            s = p
        path.reverse()
        return path, end


def _tarjan(succ: list[list[tuple[int, int]]]) -> list[list[int]]:
    """Strongly connected components, each emitted after every component it reaches."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    comps: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, i = work[-1]
            edges = succ[v]
            if i < len(edges):
                work[-1] = (v, i + 1)
                t = edges[i][1]
                if index[t] == -1:
                    index[t] = low[t] = counter
                    counter += 1
                    stack.append(t)
                    on_stack[t] = True
                    work.append((t, 0))
                elif on_stack[t] and index[t] < low[v]:
                    low[v] = index[t]
                continue
            work.pop()
            if work:
                u = work[-1][0]
                if low[v] < low[u]:
                    low[u] = low[v]
            if low[v] == index[v]:
                comp: list[int] = []
                while True:
                    x = stack.pop()
                    on_stack[x] = False
                    comp.append(x)
                    if x == v:
                        break
                comps.append(comp)
    return comps
