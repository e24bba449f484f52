"""Difficulty as evidence: how a player who answers at random fares, exactly.

`measure` walks the scenario's states under the real rules (engine.fastplay.Rules) and
spreads the probability of a random player — every offered choice equally likely — turn by
turn, so the figures are exact (up to `MAX_TURNS`), not sampled:

- `random_success`: the chance that a random play ends with outcome `success`;
- `early_endings`: the share of the scenario's endings that some play reaches within
  `EARLY_ANSWERS` answers (a scenario that ends most of its routes in three answers gives
  little practice, whatever its label says).

`expected_level` turns them into the 1..3 scale by the bands documented in
docs/diagnostics.md (P228); `parley check` warns when the declared `difficulty` disagrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.diagnostics import Diagnostic
from engine.errors import Location
from engine.fastplay import DECIDE, ENDING, Rules, State, no_gc
from engine.model import Scenario

EARLY_ANSWERS = 3
MAX_TURNS = 400
EPSILON = 1e-12

# Bands: a random player wins at least GENTLE_SUCCESS of level-1 plays and less than
# HARD_SUCCESS of level-3 plays; level 2 lies between. A scenario that ends more than
# EARLY_LIMIT of its endings within EARLY_ANSWERS answers is unforgiving: one level up.
GENTLE_SUCCESS = 0.10
HARD_SUCCESS = 0.01
EARLY_LIMIT = 0.5
MIN_DECISIONS = 6  # smaller scenarios are too small to judge: no P228


@dataclass(frozen=True)
class Difficulty:
    scenario: str
    declared: int
    random_success: float
    random_partial: float
    random_failure: float
    random_unended: float  # stalls, dead ends, loops, or still going after MAX_TURNS
    endings: int
    early_endings: float  # share of endings reachable within EARLY_ANSWERS answers
    shortest: int | None  # fewest answers to any ending

    @property
    def expected(self) -> int:
        return expected_level(self.random_success, self.early_endings)

    @property
    def agrees(self) -> bool:
        return self.declared == self.expected

    def as_dict(self) -> dict[str, Any]:
        return {
            "declared": self.declared,
            "expected": self.expected,
            "random_success": round(self.random_success, 6),
            "random_partial": round(self.random_partial, 6),
            "random_failure": round(self.random_failure, 6),
            "random_unended": round(self.random_unended, 6),
            "early_endings": round(self.early_endings, 4),
            "shortest": self.shortest,
        }


def expected_level(random_success: float, early_endings: float) -> int:
    """The difficulty the evidence supports (bands above, documented under P228)."""
    if random_success >= GENTLE_SUCCESS:
        level = 1
    elif random_success >= HARD_SUCCESS:
        level = 2
    else:
        level = 3
    if early_endings > EARLY_LIMIT:
        level += 1
    return min(level, 3)


def measure(scenario: Scenario, rules: Rules | None = None) -> Difficulty:
    """Exact random-play outcome shares and early endings (see the module docstring)."""
    r = rules if rules is not None and rules.scenario is scenario else Rules(scenario)
    with no_gc():  # the tables below hold no reference cycles (see fastplay.no_gc)
        return _measure(scenario, r)


def _measure(scenario: Scenario, r: Rules) -> Difficulty:
    # states are numbered as they are met; a state's moves are worked out once, the first
    # time some probability reaches it (the layers below are keyed by number, not by the
    # state tuple: the same sums in the same order as keying by state, several times faster)
    ids: dict[State, int] = {}
    status: list[int] = []
    states: list[State] = []
    moves: list[list[int] | None] = []
    mass: list[float] = []  # the next layer's probability by state number (0.0: none yet)

    def number(state: State, st: int) -> int:
        sid = ids.get(state)
        if sid is None:
            sid = ids[state] = len(states)
            states.append(state)
            status.append(st)
            moves.append(None)
            mass.append(0.0)
        return sid

    outcome_mass = {"success": 0.0, "partial": 0.0, "failure": 0.0}
    unended = 0.0
    first_answers: dict[str, int] = {}
    arr = r.start()
    # a layer: the states some probability is at after `turn` answers, in the order
    # they were first reached (as a dict keyed by state would keep them), and how much
    layer_ids = [number(arr.state, arr.status)]
    layer_p = [1.0]
    for turn in range(MAX_TURNS + 1):
        touched: list[int] = []
        for sid, p in zip(layer_ids, layer_p, strict=True):
            st = status[sid]
            if st != DECIDE:
                if st == ENDING:
                    node = r.node_of(states[sid])
                    first_answers.setdefault(node, turn)
                    ending = scenario.nodes[node].ending
                    assert ending is not None
                    outcome_mass[ending.outcome] += p
                else:
                    unended += p
                continue
            options = moves[sid]
            if options is None:
                state = states[sid]
                options = []
                for c in r.offered(state):
                    a = r.choose(state, c)
                    options.append(number(a.state, a.status))
                moves[sid] = options
            if not options:
                unended += p
                continue
            share = p / len(options)  # > EPSILON / len > 0: a touched state is never 0.0
            for key in options:
                v = mass[key]
                if v == 0.0:
                    touched.append(key)
                mass[key] = v + share
        layer_ids = []
        layer_p = []
        for key in touched:
            v = mass[key]
            mass[key] = 0.0
            if v > EPSILON:
                layer_ids.append(key)
                layer_p.append(v)
        if not layer_ids:
            break
    unended += sum(layer_p)
    endings = [n.id for n in scenario.endings]
    early = sum(1 for e in endings if first_answers.get(e, EARLY_ANSWERS + 1) <= EARLY_ANSWERS)
    return Difficulty(
        scenario=scenario.id,
        declared=scenario.difficulty,
        random_success=outcome_mass["success"],
        random_partial=outcome_mass["partial"],
        random_failure=outcome_mass["failure"],
        random_unended=unended,
        endings=len(endings),
        early_endings=early / len(endings) if endings else 0.0,
        shortest=min(first_answers.values()) if first_answers else None,
    )


def difficulty_findings(scenario: Scenario, rules: Rules | None = None) -> list[Diagnostic]:
    """P228: the declared `difficulty` disagrees with the random-play evidence.

    Scenarios with fewer than MIN_DECISIONS decision points are not judged.
    """
    if sum(1 for n in scenario.nodes.values() if len(n.choices) >= 2) < MIN_DECISIONS:
        return []
    d = measure(scenario, rules)
    if d.agrees:
        return []
    loc = scenario.source_lines.get("difficulty") or scenario.source_lines.get("title")
    if loc is None:
        loc = Location(str(scenario.path or "<scenario>"), 1, 1)
    return [
        Diagnostic(
            "P228",
            f"declared difficulty {d.declared}, but the evidence says {d.expected}: a random "
            f"player wins {d.random_success:.2%} of plays and {d.early_endings:.0%} of the "
            f"{d.endings} endings come within {EARLY_ANSWERS} answers",
            loc,
            f"set `difficulty: {d.expected}`, or change the scenario (bands in "
            "docs/diagnostics.md, P228)",
        )
    ]
