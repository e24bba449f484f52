"""Reachability under the real rules, fast: what `parley check` needs from exploring.

A *named specialisation* of the rules kernel (engine.rules): **trust sets**. `reach()`
walks the same states as `explore()` (a driver over the kernel), but carries the trust
values of states that agree on everything else as one bit set (bit t: trust t), and
applies each rule of engine.rules to the whole set at once:
- the effects order (trust, then hierarchy, then `set`) as in `rules.apply_effects`; the
  trust change is `_shift`, `rules.clamp_trust` over a set (a property test checks it);
- a hierarchy move splits the set into the values where the rung's `requires` holds
  (`rules.rung_allowed`, evaluated per trust value) and those where it is blocked;
- entering, automatic `next` (first branch that holds; the rest of the set goes on to
  the next branch) and stall (values for which no branch holds) as in `rules.enter`;
- offered choices (`when` holds) as in `rules.offered`.
It computes no best/worst plays. It is exact, never enumerates paths, and stops at
`max_states` (then `complete=False`). tests/test_check.py checks that reach and explore
agree on every bundled scenario and fixture and on generated stories with and without
loops.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from engine.budget import Budget
from engine.graph import component_ranks, scenario_graph
from engine.model import Effects, Scenario
from engine.rules import TRUST_MAX, TRUST_MIN, level_table, rung_target

assert TRUST_MIN == 0, "trust sets put trust t at bit t"

DEFAULT_MAX_STATES = 1_000_000


# trust values TRUST_MIN (= 0, bit 0) .. TRUST_MAX as the bits of an int
_TOP = TRUST_MAX  # the highest bit
FULL_TRUST = (1 << (_TOP + 1)) - 1


@dataclass(frozen=True)
class Reach:
    """What the plays of a scenario can do; the facts the checker needs from exploring."""

    states: int  # (node, trust, rung, flags, visited, chosen, turns) arrivals explored
    complete: bool
    max_states: int
    nodes_reached: frozenset[str]
    choices_offered: frozenset[str]
    endings_reachable: frozenset[str]
    stall_nodes: frozenset[str]
    stopped_by: str | None = None  # "states", "time" or "memory" when incomplete


class _Facts:
    """The facts a condition reads (engine.conditions.Facts), for one trust value."""

    __slots__ = ("trust", "level_index", "rung_index", "turns", "flags", "visited", "chosen")

    def __init__(self) -> None:
        self.trust = 0
        self.level_index = 0
        self.rung_index = 0
        self.turns = 0
        self.flags: dict[str, Any] = {}
        self.visited: frozenset[str] = frozenset()
        self.chosen: frozenset[str] = frozenset()


def _shift(mask: int, delta: int) -> int:
    """Every trust value in `mask` moved by `delta`, clamped as rules.clamp_trust does."""
    if not mask or not delta:
        return mask
    if delta >= _TOP:
        return 1 << _TOP
    if delta <= -_TOP:
        return 1
    if delta > 0:
        out = (mask << delta) & FULL_TRUST
        if mask >> (_TOP + 1 - delta):  # values above TOP - delta end at TOP
            out |= 1 << _TOP
        return out
    d = -delta
    out = mask >> d
    if mask & ((1 << d) - 1):  # values below d end at 0
        out |= 1
    return out


def reach(
    scenario: Scenario,
    max_states: int = DEFAULT_MAX_STATES,
    graph: nx.DiGraph | None = None,
    budget: Budget | None = None,
) -> Reach:
    """Every reachable state under the rules of engine.fastplay / Conversation, with the
    trust values of states that agree on everything else explored together as one bit
    set. Exact (not an approximation); never enumerates paths; stops after `max_states`
    states and then says so (`complete=False`)."""
    from engine.fastplay import conditions_of

    conds = conditions_of(scenario)
    read_names: set[str] = set()
    tracked_nodes: set[str] = set()
    tracked_choices: set[str] = set()
    for one in conds:
        read_names |= one.names
        tracked_nodes |= one.visited_nodes
        tracked_choices |= one.chosen_ids
    # only what some condition reads is part of a state (as in engine.fastplay.Rules)
    flag_names = tuple(f for f in scenario.flags if f in read_names)
    flag_index = {f: i for i, f in enumerate(flag_names)}
    tracks_turns = "turns" in read_names
    ladder = scenario.ladder
    # the trust level of each trust value as a table: conditions on trust_level are
    # evaluated per trust value of a set, on the hot path
    levels = level_table(scenario)
    facts = _Facts()

    # per condition: which parts of the context it reads (to share its truth table)
    reads: dict[int, tuple[bool, bool, tuple[int, ...], bool, frozenset[str], frozenset[str]]]
    reads = {}
    for cond in conds:
        names = cond.names
        reads[id(cond.test)] = (
            "trust" in names or "trust_level" in names,
            "hierarchy" in names,
            tuple(flag_index[n] for n in flag_names if n in names),
            "turns" in names,
            cond.visited_nodes,
            cond.chosen_ids,
        )
    truth: dict[tuple[Any, ...], list[int]] = {}  # key -> [known bits, true bits]
    direct: dict[tuple[int, Any], list[int]] = {}  # (condition, whole context) -> the same

    Ctx = tuple[int, tuple[Any, ...], frozenset[str], frozenset[str], int]
    # effects that do more than change trust: (trust, hierarchy, ((flag index, value), ...))
    Eff = tuple[int, str | None, tuple[tuple[int, Any], ...]]

    def holds(cond: Any, ctx: Ctx, mask: int) -> int:
        """The trust values in `mask` for which `cond` holds in context `ctx`."""
        test = cond.test
        uses_trust, uses_rung, flag_ix, uses_turns, vis, cho = reads[id(test)]
        rung, flags, visited, chosen, turns = ctx
        entry = direct.get((id(test), ctx))
        if entry is None:
            key = (
                id(test),
                rung if uses_rung else 0,
                tuple([flags[i] for i in flag_ix]) if flag_ix else (),
                turns if uses_turns else 0,
                visited & vis if vis else None,
                chosen & cho if cho else None,
            )
            entry = truth.get(key)
            if entry is None:
                entry = truth[key] = [0, 0]
            direct[(id(test), ctx)] = entry
        todo = (mask if uses_trust else 1) & ~entry[0]
        if todo:
            facts.rung_index = rung
            facts.flags = dict(zip(flag_names, flags, strict=True))
            facts.visited = visited
            facts.chosen = chosen
            facts.turns = turns
            if uses_trust:
                m = todo
                while m:
                    low = m & -m
                    t = low.bit_length() - 1
                    facts.trust = t
                    facts.level_index = levels[t]
                    if test(facts):
                        entry[1] |= low
                    m ^= low
                entry[0] |= todo
            else:
                facts.trust = 0
                facts.level_index = levels[0]
                if test(facts):
                    entry[1] = FULL_TRUST
                entry[0] = FULL_TRUST
        return mask & entry[1]

    def apply(effects: Eff, ctx: Ctx, mask: int) -> list[tuple[Ctx, int]]:
        """engine.rules.apply_effects over a set of trust values: trust, hierarchy, set."""
        trust, hierarchy, sets = effects
        if trust:
            mask = _shift(mask, trust)
        out: list[tuple[Ctx, int]] = [(ctx, mask)]
        if hierarchy is not None:
            rung = ctx[0]
            target = rung_target(ladder, rung, hierarchy)
            if target is not None:
                req = scenario.requires.get(ladder[target])
                allowed = mask if req is None else holds(req, ctx, mask)
                out = []
                if allowed:
                    out.append(((target, *ctx[1:]), allowed))
                if mask & ~allowed:
                    out.append((ctx, mask & ~allowed))
        if sets:
            moved: list[tuple[Ctx, int]] = []
            for c, m in out:
                flags = list(c[1])
                for i, v in sets:
                    flags[i] = v
                moved.append(((c[0], tuple(flags), c[2], c[3], c[4]), m))
            out = moved
        return out

    # nodes as tables; the work is done in topological order of the node graph's
    # strongly connected components, so the trust values arriving at a node by different
    # routes are merged before the node is expanded (each node once, in a DAG)
    rank = component_ranks(scenario_graph(scenario) if graph is None else graph)
    # per rank, the states waiting to be expanded: (node, context) -> new trust values
    waiting: list[dict[tuple[str, Ctx], int]] = [
        {} for _ in range(max(rank.values(), default=-1) + 1)
    ]

    def effects_of(effects: Effects) -> tuple[int, Eff | None]:
        """(trust change, None) when that is all `effects` does to a state, else (0, all
        of it: trust, hierarchy move, and the flags some condition reads, by index)."""
        if effects.hierarchy is None and not effects.set:
            return effects.trust, None
        sets = tuple((flag_index[n], v) for n, v in effects.set if n in flag_index)
        if effects.hierarchy is None and not sets:
            return effects.trust, None
        return 0, (effects.trust, effects.hierarchy, sets)

    table: dict[str, tuple[Any, ...]] = {}
    for nid, node in scenario.nodes.items():
        table[nid] = (
            node.ending is not None,
            tuple(
                (
                    ch.id,
                    ch.when,
                    ch.to,
                    waiting[rank[ch.to]],
                    *effects_of(ch.effects),
                    ch.id in tracked_choices,
                )
                for ch in node.choices
            ),
            tuple((br.when, br.to, waiting[rank[br.to]]) for br in node.next),
            *effects_of(node.effects),
            nid in tracked_nodes,
        )

    seen: dict[tuple[str, Ctx], int] = {}
    reached: set[str] = set()
    offered: set[str] = set()
    endings: set[str] = set()
    stalls: set[str] = set()
    states = 0
    complete = True
    stopped_by: str | None = None
    tick = 0

    start_ctx: Ctx = (
        ladder.index(scenario.hierarchy_start),
        tuple(False for _ in flag_names),
        frozenset(),
        frozenset(),
        0,
    )
    # a state arrives by joining its trust values to the waiting ones of the same (node,
    # context) at the node's rank; values already explored are dropped when it is expanded
    waiting[rank[scenario.start]][(scenario.start, start_ctx)] = 1 << scenario.trust_start
    for bucket in waiting:
        while bucket:  # (within a cycle, expanding a state can add to its own rank)
            key, mask = bucket.popitem()
            old = seen.get(key, 0)
            new = mask & ~old
            if not new:
                continue
            count = new.bit_count()
            if states + count > max_states:
                complete, stopped_by = False, "states"
                break
            tick += 1
            if budget is not None and not tick & 2047:
                stopped_by = budget.spent()
                if stopped_by is not None:
                    complete = False
                    break
            states += count
            seen[key] = old | new
            nid, ctx = key
            is_ending, choices, branches, delta, effects, track = table[nid]
            reached.add(nid)
            if is_ending:
                endings.add(nid)
                continue  # (its effects change nothing that is reported)
            if track and nid not in ctx[2]:
                ctx = (ctx[0], ctx[1], ctx[2] | {nid}, ctx[3], ctx[4])
            if effects is None:
                parts = [(ctx, _shift(new, delta) if delta else new)]
            else:
                parts = apply(effects, ctx, new)
            for c, m in parts:
                if choices:
                    for cid, when, to, to_bucket, ch_delta, ch_effects, ch_track in choices:
                        ok = m if when is None else holds(when, c, m)
                        if not ok:
                            continue
                        offered.add(cid)
                        c2 = c
                        if tracks_turns or ch_track:
                            c2 = (
                                c[0],
                                c[1],
                                c[2],
                                c[3] | {cid} if ch_track else c[3],
                                c[4] + 1 if tracks_turns else c[4],
                            )
                        if ch_effects is None:
                            dest = (to, c2)
                            to_bucket[dest] = to_bucket.get(dest, 0) | (
                                _shift(ok, ch_delta) if ch_delta else ok
                            )
                        else:
                            for c3, m3 in apply(ch_effects, c2, ok):
                                dest = (to, c3)
                                to_bucket[dest] = to_bucket.get(dest, 0) | m3
                else:
                    rest = m
                    for when, to, to_bucket in branches:
                        ok = rest if when is None else holds(when, c, rest)
                        if ok:
                            dest = (to, c)
                            to_bucket[dest] = to_bucket.get(dest, 0) | ok
                            rest &= ~ok
                        if not rest:
                            break
                    if rest:
                        stalls.add(nid)
        if not complete:
            break
    return Reach(
        states=states,
        complete=complete,
        max_states=max_states,
        nodes_reached=frozenset(reached),
        choices_offered=frozenset(offered),
        endings_reachable=frozenset(endings),
        stall_nodes=frozenset(stalls),
        stopped_by=stopped_by,
    )
