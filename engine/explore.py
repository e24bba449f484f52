"""Every reachable state of a scenario under the real rules, and the extremes of a play.

`explore(scenario)` walks the state graph of engine.fastplay (the same rules as
`Conversation`) breadth first, never enumerating paths: a state is (node, trust, rung,
the flags conditions read, the visited()/chose() facts conditions read, turns when a
condition reads it). It stops after `max_states` states (`complete` is then False).

Best and worst framework totals are longest/shortest paths over the state graph to an
ending, by dynamic programming over its strongly connected components (Tarjan,
iterative). Inside a component with cycles the scores are settled with potentials
(every cycle scores 0) or, failing that, by an exact label-correcting search that finds
a score-raising cycle when there is one (see `_Extremes._longest`: a proof, never a
give-up); a cycle that can raise (lower) a score and still reach an ending makes that
extreme unbounded: it is then left out of
`best_scores`/`worst_scores` (None for the totals) and named in `best_unbounded` /
`worst_unbounded` ("total" or a dimension key). Before solving, a short search of each
component with cycles looks for such cycles (`_Extremes._all_unbounded`: first the
cycles a depth-first walk of each component closes, then a few rounds of `_longest`);
when it proves every objective unbounded, the solution over the other states is skipped
(the answer is the same: a test compares the two on random and generated stories).
"""

from __future__ import annotations

import math
import operator
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

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
        for comp in _tarjan(g.succ):  # sinks first: successors are settled before
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
        comps = _tarjan(g.succ)  # sinks first
        comp_of = [-1] * len(g.succ)  # component index, for members of a component with cycles
        for ci, comp in enumerate(comps):
            if len(comp) > 1:
                for s in comp:
                    comp_of[s] = ci
        if self._all_unbounded(comps, comp_of):
            # every objective is proved unbounded from the start (the only values read
            # then: the best play is asked for only when the best total is finite)
            self.val: list[tuple[float, ...] | None] = [None] * len(g.succ)
            if self.val:
                self.val[0] = (math.inf,) * k
            return
        self.val = self._solve(comps, comp_of)

    def _all_unbounded(self, comps: list[list[int]], comp_of: list[int]) -> bool:
        """Whether a score-raising cycle that can still end is found for every objective
        before any dynamic programming (a shortcut, never a guess).

        Every state was reached from the start, so one such cycle anywhere makes the
        objective unbounded from the start. Each component with cycles from which an
        ending can be reached is searched (`_longest` from zero at its exits, for a few
        rounds only: the values do not matter, only a cycle among the pointers does); the
        first objective for which no cycle turns up ends the shortcut, and the full
        solution decides (it finds the same cycles, or exact values)."""
        g = self.g
        succ = g.succ
        status = g.status
        k_all = self.k
        can = [False] * len(succ)  # an ending can be reached from the state
        cyclic: list[tuple[int, list[int]]] = []
        for ci, comp in enumerate(comps):
            if len(comp) == 1:
                s = comp[0]
                if status[s] == ENDING:
                    can[s] = True
                    continue
                ok = looped = False
                for _, t in succ[s]:
                    if t == s:
                        looped = True
                    elif can[t]:
                        ok = True
                can[s] = ok
                if looped and ok:
                    cyclic.append((ci, comp))
                continue
            ok = any(comp_of[t] != ci and can[t] for s in comp for _, t in succ[s])
            if ok:
                for s in comp:
                    can[s] = True
                cyclic.append((ci, comp))
        if not cyclic or not can[0]:
            return False
        cyclic.sort(key=lambda item: -len(item[1]))
        if self._cycles_prove_all(cyclic, comp_of):
            return True
        zero = [0.0] * k_all
        shapes: list[tuple[list[int], list[tuple[int, int, int]], dict[int, list[float]]]] = []
        for _ci, comp in cyclic:
            members = set(comp)
            inside: list[tuple[int, int, int]] = []
            exits: dict[int, list[float]] = {}
            for s in comp:
                for c, t in succ[s]:
                    if t in members:
                        inside.append((s, c, t))
                    elif can[t]:
                        exits[s] = zero
            shapes.append((comp, inside, exits))
        proved: set[int] = set()
        for k in range(k_all):
            if k in proved:
                continue
            for comp, inside, exits in shapes:
                _, cycle = self._longest(comp, inside, k, exits, rounds=3)
                if cycle is not None:
                    proved.update(j for j in range(k_all) if sum(self.w[c][j] for c in cycle) > 0)
                    break
            if k not in proved:
                return False
        return True

    def _cycles_prove_all(self, cyclic: list[tuple[int, list[int]]], comp_of: list[int]) -> bool:
        """Whether the cycles a depth-first walk of each component meets (a move back to a
        state on the walk's current path) raise every objective, some cycle each: a
        proof for `_all_unbounded` (every such component can still end), cheaper than
        its label-correcting probe; False leaves the question to that probe."""
        succ = self.g.succ
        w = self.w
        k_all = self.k
        add = operator.add
        sub = operator.sub
        left = set(range(k_all))  # objectives no cycle has raised yet
        for ci, comp in cyclic:
            if len(comp) == 1:  # a move back to itself
                s = comp[0]
                for c, t in succ[s]:
                    if t == s:
                        left.difference_update([j for j in left if w[c][j] > 0])
                if not left:
                    return True
                continue
            root = comp[0]
            pos: dict[int, tuple[int, ...]] = {root: (0,) * k_all}  # on the path: its sum
            seen = {root}
            work: list[tuple[int, Iterator[tuple[int, int]]]] = [(root, iter(succ[root]))]
            while work:
                v, edges = work[-1]
                for c, t in edges:
                    if comp_of[t] != ci:
                        continue
                    pt = pos.get(t)
                    if pt is not None:  # round a cycle: its sum is p[v] + w - p[t]
                        gain = tuple(map(sub, map(add, pos[v], w[c]), pt))
                        raised = [j for j in left if gain[j] > 0]
                        if raised:
                            left.difference_update(raised)
                            if not left:
                                return True
                    elif t not in seen:
                        seen.add(t)
                        pos[t] = tuple(map(add, pos[v], w[c]))
                        work.append((t, iter(succ[t])))
                        break
                else:
                    work.pop()
                    del pos[v]
        return False

    def start_values(self) -> tuple[Value, ...]:
        v = self.val[0] if self.val else None
        return tuple([None] * self.k) if v is None else v

    def _solve(self, comps: list[list[int]], comp_of: list[int]) -> list[tuple[float, ...] | None]:
        g = self.g
        succ = g.succ
        status = g.status
        w = self.w
        zero = (0,) * self.k
        add = operator.add
        val: list[tuple[float, ...] | None] = [None] * len(succ)
        for ci, comp in enumerate(comps):
            if len(comp) == 1:
                s = comp[0]
                if status[s] == ENDING:
                    val[s] = zero
                    continue
                best: tuple[float, ...] | None = None
                for c, t in succ[s]:
                    if t == s:  # a move back to itself: a component with a cycle
                        comp_of[s] = ci
                        break
                    vt = val[t]
                    if vt is None:
                        continue
                    cand = tuple(map(add, vt, w[c]))
                    best = cand if best is None else tuple(map(max, best, cand))
                else:
                    val[s] = best
                    continue
            for s, v in self._component(ci, comp, val, comp_of).items():
                val[s] = v
        return val

    def _component(
        self,
        ci: int,
        comp: list[int],
        val: list[tuple[float, ...] | None],
        comp_of: list[int],
    ) -> dict[int, tuple[float, ...] | None]:
        """Every objective over one strongly connected component with cycles.

        One pass over the component finds its exits (the best way out of each member)
        and its potentials: p[t] = p[s] + w on every internal edge, for all objectives at
        once. An objective whose potentials agree scores 0 round every cycle, and its
        values follow in closed form; the others are settled exactly by `_longest`.
        """
        succ = self.g.succ
        w = self.w
        k_all = self.k
        add = operator.add
        inside: list[tuple[int, int, int]] = []  # (state, choice, successor) in the component
        exits: dict[int, list[float]] = {}  # member -> best value leaving from it, per objective
        for s in comp:
            best: list[float] | None = None
            for c, t in succ[s]:
                if comp_of[t] == ci:
                    inside.append((s, c, t))
                    continue
                vt = val[t]
                if vt is None:
                    continue
                cand = list(map(add, vt, w[c]))
                best = cand if best is None else list(map(max, best, cand))
            if best is not None:
                exits[s] = best
        if not exits:  # no ending can be reached from here
            return dict.fromkeys(comp)
        # objectives an exit already makes unbounded need nothing from inside
        inf = math.inf
        open_k = [k for k in range(k_all) if all(e[k] != inf for e in exits.values())]
        pot: dict[int, tuple[float, ...]] = {}
        consistent = [False] * k_all
        if open_k:
            # potentials of the open objectives: p[t] = p[s] + w on every internal edge
            pick = operator.itemgetter(*open_k) if len(open_k) < k_all else None
            wo = (
                w
                if pick is None
                else [tuple(pick(x)) if len(open_k) > 1 else (pick(x),) for x in w]
            )
            adj: dict[int, list[tuple[int, int]]] = {s: [] for s in comp}
            for s, c, t in inside:
                adj[s].append((c, t))
            n_open = len(open_k)
            pot[comp[0]] = (0,) * n_open
            agree = [True] * n_open
            stack = [comp[0]]
            while stack:
                u = stack.pop()
                pu = pot[u]
                for c, t in adj[u]:
                    moved = tuple(map(add, pu, wo[c]))
                    pt = pot.get(t)
                    if pt is None:
                        pot[t] = moved
                        stack.append(t)
                    elif pt != moved:
                        for i in range(n_open):
                            if pt[i] != moved[i]:
                                agree[i] = False
            for i, k in enumerate(open_k):
                consistent[k] = agree[i]
        cols: list[list[float]] = []
        rising: set[int] = set()  # objectives a cycle found so far raises: unbounded
        unbounded = [inf] * len(comp)
        for k in range(k_all):
            if k in rising or k not in open_k:
                cols.append(unbounded)
            elif consistent[k]:
                i = open_k.index(k)
                top = max(pot[s][i] + e[k] for s, e in exits.items())
                cols.append([top - pot[s][i] for s in comp])
            else:
                dist, cycle = self._longest(comp, inside, k, exits)
                if cycle is None:
                    cols.append([dist[s] for s in comp])
                    continue
                cols.append(unbounded)
                # the same cycle proves every other objective it raises unbounded too
                for j in range(k + 1, k_all):
                    if sum(w[c][j] for c in cycle) > 0:
                        rising.add(j)
        return dict(zip(comp, zip(*cols, strict=True), strict=True))

    def _longest(
        self,
        comp: list[int],
        inside: list[tuple[int, int, int]],
        k: int,
        exits: dict[int, list[float]],
        rounds: int = 0,
    ) -> tuple[dict[int, float], list[int] | None]:
        """Objective k's best value from each member of a component, exactly; or, when a
        cycle raises it, that cycle (its choices) and the objective is unbounded. With
        `rounds`, the search gives up (no cycle, values unfinished) after that many
        checks of the pointers: a probe for `_all_unbounded`.

        A label-correcting search (Bellman-Ford's relaxations, in queue order) over the
        component's edges, from the members' exits, records per member the successor its
        value came through. A cycle among those pointers is a cycle whose score rises each
        time round (each pointer was set by a strict gain, so its weights sum above 0):
        then every member can go round it and still leave, and the objective is unbounded
        (math.inf), a proof rather than a give-up. Without one the search ends with the
        exact values. The pointers are checked once per |comp| gains, so checking costs no
        more than the gains themselves.
        """
        w = self.w
        pred: dict[int, list[tuple[int, int, int]]] = {s: [] for s in comp}
        for s, c, t in inside:
            pred[t].append((s, w[c][k], c))
        dist: dict[int, float] = dict.fromkeys(comp, -math.inf)
        for s, e in exits.items():
            dist[s] = e[k]
        via: dict[int, tuple[int, int]] = {}  # member -> (successor, choice) its value came by
        queue: deque[int] = deque(exits)
        queued = set(queue)
        gains = 0
        n = len(comp)
        while queue:
            t = queue.popleft()
            queued.discard(t)
            dt = dist[t]
            for s, wc, c in pred[t]:
                if dt + wc > dist[s]:
                    dist[s] = dt + wc
                    via[s] = (t, c)
                    if s not in queued:
                        queued.add(s)
                        queue.append(s)
                    gains += 1
                    if gains >= n:
                        gains = 0
                        cycle = _find_cycle(via)
                        if cycle is not None:
                            return dist, cycle
                        if rounds:
                            rounds -= 1
                            if not rounds:
                                return dist, None
        return dist, None

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


def _find_cycle(via: dict[int, tuple[int, int]]) -> list[int] | None:
    """The choices of a cycle among the `via` pointers (member -> (successor, choice)), or
    None when following them never goes round."""
    done: set[int] = set()
    for first in via:
        if first in done:
            continue
        order: dict[int, int] = {}  # member -> position on this walk
        walk: list[int] = []
        s: int | None = first
        while s is not None and s not in done:
            if s in order:
                return walk[order[s] :]
            step = via.get(s)
            if step is None:
                break
            order[s] = len(walk)
            walk.append(step[1])
            s = step[0]
        done |= order.keys()
        if s is not None:
            done.add(s)
    return None


def _tarjan(succ: list[list[tuple[int, int]]]) -> list[list[int]]:
    """Strongly connected components, each emitted after every component it reaches.

    Iterative, one iterator over a state's moves per level of the search (no tuple per
    edge visited). A state whose component is emitted gets index n, above every low
    link: it is then left out of the low links without an on-stack flag."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    stack: list[int] = []
    comps: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        work: list[tuple[int, Iterator[tuple[int, int]]]] = [(root, iter(succ[root]))]
        while work:
            v, edges = work[-1]
            for _, t in edges:
                it = index[t]
                if it == -1:
                    index[t] = low[t] = counter
                    counter += 1
                    stack.append(t)
                    work.append((t, iter(succ[t])))
                    break
                if it < low[v]:
                    low[v] = it
            else:
                work.pop()
                lv = low[v]
                if work:
                    u = work[-1][0]
                    if lv < low[u]:
                        low[u] = lv
                if lv == index[v]:
                    x = stack.pop()
                    index[x] = n
                    if x == v:
                        comps.append([v])
                        continue
                    comp = [x]
                    while x != v:
                        x = stack.pop()
                        index[x] = n
                        comp.append(x)
                    comps.append(comp)
    return comps
