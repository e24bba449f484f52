"""Random and exhaustive playthroughs of a scenario, as data (the CLI draws them).

Random plays run on a memoised state graph: a `Runner` interns every state it meets
(engine.fastplay.Rules: the same rule functions and compiled conditions as
`Conversation`) and remembers, per state, the offered choices and where each leads, so a
play is a walk over small tables; a move is worked out by the rules the first time it is
made. Scores are summed as one packed integer per play and unpacked at the end.

Determinism: runs are cut into fixed chunks of `CHUNK` runs; chunk `k` draws from its own
`random.Random(f"{seed}:{k}")` and (policy `least-used`) keeps its own choice counters,
starting at zero. A chunk's result is the same whichever process runs it, and results are
merged by sums, mins and maxes, so the report is the same for any `jobs`.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any, Literal

from engine.errors import ParleyError
from engine.explore import DEFAULT_MAX_STATES, Exploration, explore
from engine.fastplay import DECIDE, ENDING, LOOP, STALL, CChoice, Rules, State, no_gc
from engine.model import Scenario
from engine.workers import Item, play_forked

Policy = Literal["random", "least-used"]
POLICIES: tuple[str, ...] = ("random", "least-used")
CHUNK = 1000
MAX_RUNS = 100_000_000  # (100,000 chunks; a longer run is refused, not planned in memory)
DEFAULT_MAX_TURNS = 1000
MEMO_LIMIT = 500_000  # states remembered by one runner before it starts afresh
_SHIFT = 20  # bits per dimension in a packed score sum
_HALF = 1 << (_SHIFT - 1)
_MASK = (1 << _SHIFT) - 1
MAX_TURNS_LIMIT = _HALF // 2 - 1  # |sum of scores| <= 2 * turns must fit in a field

# how a play finished, besides an ending
UNENDED_KINDS = ("stalled", "dead_end", "loop", "unfinished")

Progress = Callable[[int, int], None]  # (runs done, runs in all)


# ------------------------------------------------------------------ the runner


def unpack(packed: int, dims: int) -> tuple[int, ...]:
    """Per-dimension sums from a packed score sum (each field is signed, _SHIFT bits)."""
    out = []
    for _ in range(dims):
        v = packed & _MASK
        if v >= _HALF:
            v -= 1 << _SHIFT
        out.append(v)
        packed = (packed - v) >> _SHIFT
    return tuple(out)


class Runner:
    """Plays random runs of one scenario fast; remembers the states it has met."""

    def __init__(
        self, scenario: Scenario, max_turns: int = DEFAULT_MAX_TURNS, rules: Rules | None = None
    ) -> None:
        if not 1 <= max_turns <= MAX_TURNS_LIMIT:
            raise ParleyError(f"max turns must be between 1 and {MAX_TURNS_LIMIT}")
        self.scenario = scenario
        self.rules = rules if rules is not None and rules.scenario is scenario else Rules(scenario)
        self.max_turns = max_turns
        self.packed = [self._pack(c.scores) for c in self.rules.choices]
        self._reset()

    @staticmethod
    def _pack(scores: Sequence[int]) -> int:
        out = 0
        for i, v in enumerate(scores):
            out += v << (_SHIFT * i)
        return out

    def unpack(self, packed: int) -> tuple[int, ...]:
        return unpack(packed, len(self.rules.dimensions))

    def _reset(self) -> None:
        self.ids: dict[State, int] = {}
        self.states: list[State] = []
        self.status: list[int] = []
        # per state: None until expanded; then a list of [choice index, next id or -1,
        # packed scores, CChoice, source id] for the offered choices ([] when over)
        self.opts: list[list[list[Any]] | None] = []
        self.new_nodes: set[int] = set()
        arr = self.rules.start()
        self.new_nodes.update(arr.entered)
        self.start_id = self._intern(arr.state, arr.status)

    def _intern(self, state: State, status: int) -> int:
        sid = self.ids.get(state)
        if sid is None:
            sid = len(self.states)
            self.ids[state] = sid
            self.states.append(state)
            self.status.append(status)
            self.opts.append(None)
        return sid

    def _expand(self, sid: int) -> list[list[Any]]:
        if self.status[sid] != DECIDE:
            o: list[list[Any]] = []
        else:
            o = [
                [c.index, -1, self.packed[c.index], c, sid]
                for c in self.rules.offered(self.states[sid])
            ]
        self.opts[sid] = o
        return o

    def _resolve(self, entry: list[Any]) -> int:
        choice: CChoice = entry[3]
        state, status, entered, _ = self.rules.choose(self.states[entry[4]], choice)
        self.new_nodes.update(entered)
        tid = self.ids.get(state)
        if tid is None:
            tid = self._intern(state, status)
        entry[1] = tid
        return tid

    def run_chunk(self, seed: int, chunk: int, count: int, policy: str) -> ChunkResult:
        """`count` plays drawn from chunk `chunk`'s own generator (see module docstring)."""
        with no_gc():
            return self._run_chunk(seed, chunk, count, policy)

    def _run_chunk(self, seed: int, chunk: int, count: int, policy: str) -> ChunkResult:
        if len(self.states) > MEMO_LIMIT:
            self._reset()
        rng = random.Random(f"{seed}:{chunk}")
        rnd = rng.random
        counts = [0] * len(self.rules.choices)
        finals: dict[int, int] = {}  # final state id -> runs
        unfinished: dict[int, int] = {}
        sums: dict[int, int] = {}  # packed score sums -> runs
        opts = self.opts
        max_turns = self.max_turns
        least = policy == "least-used"
        turns_total = 0
        start = self.start_id
        for _ in range(count):
            s = start
            packed = 0
            turns = 0
            while True:
                o = opts[s]
                if o is None:
                    o = self._expand(s)
                    opts = self.opts
                n = len(o)
                if n == 0:
                    break
                if turns >= max_turns:
                    break
                if n == 1:
                    e = o[0]
                elif least:
                    low = min(counts[x[0]] for x in o)
                    ties = [x for x in o if counts[x[0]] == low]
                    e = ties[int(rnd() * len(ties))] if len(ties) > 1 else ties[0]
                else:
                    e = o[int(rnd() * n)]
                counts[e[0]] += 1
                packed += e[2]
                turns += 1
                s = e[1]
                if s < 0:
                    s = self._resolve(e)
                    opts = self.opts
            turns_total += turns
            if n and turns >= max_turns:
                unfinished[s] = unfinished.get(s, 0) + 1
            else:
                finals[s] = finals.get(s, 0) + 1
            sums[packed] = sums.get(packed, 0) + 1
        return self._result(counts, finals, unfinished, sums, turns_total, count)

    def _result(
        self,
        counts: list[int],
        finals: dict[int, int],
        unfinished: dict[int, int],
        sums: dict[int, int],
        turns: int,
        runs: int,
    ) -> ChunkResult:
        rules = self.rules
        ends: Counter[tuple[str, str, int]] = Counter()
        for table, forced in ((finals, None), (unfinished, "unfinished")):
            for sid, n in table.items():
                state = self.states[sid]
                st = self.status[sid]
                if forced is not None:
                    kind = forced
                elif st == ENDING:
                    kind = "ending"
                elif st == STALL:
                    kind = "stalled"
                elif st == LOOP:
                    kind = "loop"
                else:
                    kind = "dead_end"
                ends[(kind, rules.node_of(state), state[1])] += n
        nodes = frozenset(rules.node_ids[i] for i in self.new_nodes)
        self.new_nodes = set()
        return ChunkResult(runs, turns, counts, ends, Counter(sums), nodes)


@dataclass
class ChunkResult:
    """What some runs did; results merge by sums and unions (order does not matter)."""

    runs: int
    turns: int
    choice_counts: list[int]
    ends: Counter[tuple[str, str, int]]  # (kind, node, final trust) -> runs
    sums: Counter[int]  # packed score sums (see Runner.unpack) -> runs
    nodes: frozenset[str]

    def merge(self, other: ChunkResult) -> None:
        self.runs += other.runs
        self.turns += other.turns
        self.choice_counts = [
            a + b for a, b in zip(self.choice_counts, other.choice_counts, strict=True)
        ]
        self.ends.update(other.ends)
        self.sums.update(other.sums)
        self.nodes = self.nodes | other.nodes


# ------------------------------------------------------------------ reports


@dataclass(frozen=True)
class Stats:
    min: int
    mean: float
    max: int
    histogram: tuple[tuple[int, int], ...]  # (value, runs), ascending

    def as_dict(self) -> dict[str, float | int]:
        return {"min": self.min, "mean": round(self.mean, 3), "max": self.max}


def _stats(values: Counter[int]) -> Stats:
    if not values:
        return Stats(0, 0.0, 0, ())
    total = sum(values.values())
    mean = sum(v * n for v, n in values.items()) / total
    return Stats(min(values), mean, max(values), tuple(sorted(values.items())))


@dataclass(frozen=True)
class AutoplayReport:
    scenario: str
    runs: int
    seed: int
    policy: str
    max_turns: int
    endings: dict[str, int]  # ending node id -> runs, in scenario order
    outcomes: dict[str, int]
    unended: dict[str, dict[str, int]]  # stalled / dead_end / loop / unfinished -> node -> runs
    nodes_total: int
    choices_total: int
    unvisited_nodes: list[str]
    unchosen_choices: list[str]
    trust: Stats
    scores: dict[str, Stats]
    total: Stats
    choices_made: int
    seconds: float
    choice_counts: dict[str, int] = field(repr=False, default_factory=dict)

    @property
    def node_coverage(self) -> float:
        return 1.0 if not self.nodes_total else 1 - len(self.unvisited_nodes) / self.nodes_total

    @property
    def choice_coverage(self) -> float:
        if not self.choices_total:
            return 1.0
        return 1 - len(self.unchosen_choices) / self.choices_total

    @property
    def runs_per_s(self) -> float:
        return self.runs / self.seconds if self.seconds > 0 else 0.0

    @property
    def choices_per_s(self) -> float:
        return self.choices_made / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The `parley autoplay --json` contract (random plays)."""
        return {
            "scenario": self.scenario,
            "runs": self.runs,
            "seed": self.seed,
            "policy": self.policy,
            "endings": dict(self.endings),
            "outcomes": dict(self.outcomes),
            "unended": {k: dict(v) for k, v in self.unended.items()},
            "node_coverage": round(self.node_coverage, 4),
            "choice_coverage": round(self.choice_coverage, 4),
            "unvisited_nodes": list(self.unvisited_nodes),
            "unchosen_choices": list(self.unchosen_choices),
            "trust": self.trust.as_dict(),
            "scores": {k: s.as_dict() for k, s in self.scores.items()},
            "total": self.total.as_dict(),
            "choices_made": self.choices_made,
            "runs_per_s": round(self.runs_per_s, 1),
            "choices_per_s": round(self.choices_per_s, 1),
        }


def _report(
    scenario: Scenario,
    rules: Rules,
    merged: ChunkResult,
    seed: int,
    policy: str,
    max_turns: int,
    seconds: float,
) -> AutoplayReport:
    endings: Counter[str] = Counter()
    unended: dict[str, Counter[str]] = {}
    trust: Counter[int] = Counter()
    dims = rules.dimensions
    per_dim: list[Counter[int]] = [Counter() for _ in dims]
    totals: Counter[int] = Counter()
    for (kind, node, tr), n in merged.ends.items():
        if kind == "ending":
            endings[node] += n
        else:
            unended.setdefault(kind, Counter())[node] += n
        trust[tr] += n
    for packed, n in merged.sums.items():
        scores = unpack(packed, len(dims))
        for i, v in enumerate(scores):
            per_dim[i][v] += n
        totals[sum(scores)] += n
    order = {nid: i for i, nid in enumerate(rules.node_ids)}
    outcomes: Counter[str] = Counter()
    for node, n in endings.items():
        ending = scenario.nodes[node].ending
        if ending is not None:
            outcomes[ending.outcome] += n
    chosen = {rules.choice_ids[i] for i, n in enumerate(merged.choice_counts) if n}
    return AutoplayReport(
        scenario=scenario.id,
        runs=merged.runs,
        seed=seed,
        policy=policy,
        max_turns=max_turns,
        endings={k: endings[k] for k in sorted(endings, key=order.__getitem__)},
        outcomes={k: outcomes[k] for k in ("success", "partial", "failure") if k in outcomes},
        unended={
            k: {nid: c[nid] for nid in sorted(c, key=order.__getitem__)}
            for k in UNENDED_KINDS
            if (c := unended.get(k))
        },
        nodes_total=len(rules.node_ids),
        choices_total=len(rules.choice_ids),
        unvisited_nodes=[n for n in rules.node_ids if n not in merged.nodes],
        unchosen_choices=[c for c in rules.choice_ids if c not in chosen],
        trust=_stats(trust),
        scores={k: _stats(per_dim[i]) for i, k in enumerate(dims)},
        total=_stats(totals),
        choices_made=merged.turns,
        seconds=seconds,
        choice_counts={rules.choice_ids[i]: n for i, n in enumerate(merged.choice_counts)},
    )


# ------------------------------------------------------------------ running


def _chunks(runs: int) -> list[tuple[int, int]]:
    return [(k, min(CHUNK, runs - k * CHUNK)) for k in range((runs + CHUNK - 1) // CHUNK)]


_WORKER: Runner | None = None


def _init_worker(path: str, max_turns: int) -> None:
    """A pool worker in a fresh interpreter (no fork): load the scenario again."""
    global _WORKER
    # Ctrl-C is the parent's to handle (it stops the pool); a worker must not print a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # a worker lives for one autoplay; its tables hold no cycles (fastplay.no_gc)
    from engine.loader import load_scenario

    _WORKER = Runner(load_scenario(path), max_turns)


def _work(tasks: list[tuple[int, int, int, str]]) -> ChunkResult:
    """Several chunks in a row, merged here (fewer, larger messages to the parent)."""
    assert _WORKER is not None
    out: ChunkResult | None = None
    for seed, chunk, count, policy in tasks:
        res = _WORKER.run_chunk(seed, chunk, count, policy)
        if out is None:
            out = res
        else:
            out.merge(res)
    assert out is not None
    return out


def autoplay(
    scenario: Scenario,
    runs: int,
    seed: int = 0,
    policy: str = "random",
    jobs: int = 1,
    max_turns: int = DEFAULT_MAX_TURNS,
    progress: Progress | None = None,
    rules: Rules | None = None,
) -> AutoplayReport:
    """Play `runs` random plays; the same seed gives the same report for any `jobs`.

    `rules`: the scenario's compiled `Rules`, when the caller has built them already
    (building them is like compiling; the timing in the report starts after it).
    """
    if runs < 1 or runs > MAX_RUNS:
        raise ParleyError(f"--runs must be between 1 and {MAX_RUNS:,}")
    if policy not in POLICIES:
        raise ParleyError(f"unknown policy '{policy}'", hint="use random or least-used")
    if jobs < 1:
        raise ParleyError("--jobs must be at least 1")
    runner = Runner(scenario, max_turns, rules)
    chunks = _chunks(runs)
    jobs = min(jobs, len(chunks))
    t0 = time.perf_counter()
    merged = ChunkResult(0, 0, [0] * len(runner.rules.choices), Counter(), Counter(), frozenset())
    done = 0
    results = _results(runner, scenario, chunks, seed, policy, jobs, max_turns)
    # one pause of the collector for the whole run, not one per chunk (see fastplay.no_gc);
    # `closing`: stopped midway (Ctrl-C), the forked children are stopped at once
    with no_gc(), closing(results):
        for res, played in results:
            if res is not None:
                merged.merge(res)
            done += played
            if progress is not None and played:
                progress(done, runs)
    seconds = time.perf_counter() - t0
    return _report(scenario, runner.rules, merged, seed, policy, max_turns, seconds)


def _results(
    runner: Runner,
    scenario: Scenario,
    chunks: list[tuple[int, int]],
    seed: int,
    policy: str,
    jobs: int,
    max_turns: int,
) -> Generator[Item, None, None]:
    """Results to merge (or None) with the runs they add to the progress, as they come."""
    tasks = [(seed, k, n, policy) for k, n in chunks]
    if jobs <= 1:
        for t in tasks:
            res = runner.run_chunk(*t)
            yield res, res.runs
        return
    if "fork" in multiprocessing.get_all_start_methods():
        # play the first chunk here, so every forked child starts with its tables warm
        res = runner.run_chunk(*tasks[0])
        yield res, res.runs
        yield from play_forked(runner, tasks[1:], jobs)
        return
    if scenario.path is None:  # cannot hand a scenario from memory to a fresh process
        for t in tasks:
            res = runner.run_chunk(*t)
            yield res, res.runs
        return
    # no fork (Windows): fresh interpreters in a pool, each loading the scenario again
    size = max(1, len(tasks) // (jobs * 8))
    batches = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    ctx = multiprocessing.get_context()
    initargs = (os.fspath(scenario.path), max_turns)
    with ctx.Pool(jobs, initializer=_init_worker, initargs=initargs) as pool:
        for res in pool.imap_unordered(_work, batches):
            yield res, res.runs


# ------------------------------------------------------------------ exhaustive


@dataclass(frozen=True)
class ExhaustiveReport:
    scenario: str
    exploration: Exploration
    nodes_unreachable: list[str]
    choices_never_offered: list[str]
    endings_unreachable: list[str]
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """The `parley autoplay --exhaustive --json` contract."""
        ex = self.exploration
        return {
            "scenario": self.scenario,
            "states": ex.states,
            "complete": ex.complete,
            "max_states": ex.max_states,
            "endings_reachable": sorted(ex.endings_reachable),
            "endings_unreachable": list(self.endings_unreachable),
            "outcomes_reachable": sorted(ex.outcomes_reachable),
            "nodes_unreachable": list(self.nodes_unreachable),
            "choices_never_offered": list(self.choices_never_offered),
            "stall_nodes": sorted(ex.stall_nodes),
            "dead_end_nodes": sorted(ex.dead_end_nodes),
            "loop_nodes": sorted(ex.loop_nodes),
            "final_trust": (
                None
                if ex.final_trust is None
                else {"min": ex.final_trust[0], "max": ex.final_trust[1]}
            ),
            "best_scores": dict(ex.best_scores),
            "worst_scores": dict(ex.worst_scores),
            "best_total": ex.best_total,
            "worst_total": ex.worst_total,
            "best_unbounded": sorted(ex.best_unbounded),
            "worst_unbounded": sorted(ex.worst_unbounded),
            "best_play": list(ex.best_play),
            "best_final_trust": ex.best_final_trust,
        }


def exhaustive(scenario: Scenario, max_states: int = DEFAULT_MAX_STATES) -> ExhaustiveReport:
    """Every reachable state (engine.explore), summed up for the autoplay report."""
    if max_states < 1:
        raise ParleyError("--max-states must be at least 1")
    t0 = time.perf_counter()
    with no_gc():
        # the report needs no state graph: let it go while the collector is paused
        # (else the collector's first pass afterwards walks every state: ~0.1 s on
        # 100,000 states)
        ex = dataclasses.replace(explore(scenario, max_states), graph=None)
    seconds = time.perf_counter() - t0
    endings = [n.id for n in scenario.endings]
    return ExhaustiveReport(
        scenario=scenario.id,
        exploration=ex,
        nodes_unreachable=[n for n in scenario.nodes if n not in ex.nodes_reached],
        choices_never_offered=[c for c in scenario.choices if c not in ex.choices_offered],
        endings_unreachable=[e for e in endings if e not in ex.endings_reachable],
        seconds=seconds,
    )
