"""Longest paths to an ending over an explored state graph, for several objectives at once.

engine.explore builds the graph (successor lists of (choice index, state id), and each
state's status); `Extremes` answers, per objective (each framework dimension and the
total, maximised, then their negations), the best sum of choice weights from the start to
an ending. It works by dynamic programming over the strongly connected components
(`tarjan`, iterative, sinks first). Inside a component with cycles the scores are settled
with potentials (every cycle scores 0) or, failing that, by an exact label-correcting
search that finds a score-raising cycle when there is one (`Extremes._longest`: a proof,
never a give-up); a cycle that can raise a score and still reach an ending makes it
unbounded (math.inf). Before solving, a short search of each component with cycles looks
for such cycles (`Extremes._all_unbounded`: first the cycles a depth-first walk of each
component closes, then a few rounds of `_longest`); when it proves every objective
unbounded, the solution over the other states is skipped (the answer is the same: a test
compares the two on random and generated stories).
"""

from __future__ import annotations

import math
import operator
from collections import deque
from collections.abc import Iterator, Sequence

from engine.fastplay import ENDING

Value = float | None  # an int when finite; math.inf when unbounded; None: no ending reachable


class Extremes:
    """Longest paths to an ending over the state graph, for several weights at once.

    `val[s]` is a tuple (one value per objective) of the best sum of weights from state s
    to an ending, or None when no ending is reachable from s (the same for every
    objective); a value is math.inf when a cycle can raise it without end.
    """

    def __init__(
        self,
        succ: list[list[tuple[int, int]]],
        status: list[int],
        weights: Sequence[tuple[int, ...]],
        k: int,
    ) -> None:
        self.succ = succ
        self.status = status
        self.w = weights
        self.k = k
        comps = tarjan(succ)  # sinks first
        comp_of = [-1] * len(succ)  # component index, for members of a component with cycles
        for ci, comp in enumerate(comps):
            if len(comp) > 1:
                for s in comp:
                    comp_of[s] = ci
        if self._all_unbounded(comps, comp_of):
            # every objective is proved unbounded from the start (the only values read
            # then: the best play is asked for only when the best total is finite)
            self.val: list[tuple[float, ...] | None] = [None] * len(succ)
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
        succ = self.succ
        status = self.status
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
        succ = self.succ
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
        succ = self.succ
        status = self.status
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
        succ = self.succ
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
                        cycle = find_cycle(via)
                        if cycle is not None:
                            return dist, cycle
                        if rounds:
                            rounds -= 1
                            if not rounds:
                                return dist, None
        return dist, None

    def tight_path(self, k: int) -> tuple[list[int], int]:
        """Choices of one play from the start reaching the (finite) best of objective k."""
        val = self.val
        w = self.w
        parent: dict[int, tuple[int, int]] = {}
        seen = {0}
        queue: deque[int] = deque([0])
        end = -1
        while queue:
            s = queue.popleft()
            if self.status[s] == ENDING:
                end = s
                break
            vs = val[s]
            for c, t in self.succ[s]:
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


def find_cycle(via: dict[int, tuple[int, int]]) -> list[int] | None:
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


def tarjan(succ: list[list[tuple[int, int]]]) -> list[list[int]]:
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
