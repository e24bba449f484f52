"""engine.difficulty (P228): the layered random-play sums, checked against the plain
definition (layers keyed by state tuple, as the pass was first written) to the last bit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.difficulty import EPSILON, MAX_TURNS, measure
from engine.fastplay import DECIDE, ENDING, Rules, State
from engine.loader import load_scenario, load_scenario_text
from engine.model import Scenario
from tests.test_explore import _load_random

ROOT = Path(__file__).resolve().parent.parent


def _reference(sc: Scenario) -> tuple[dict[str, float], float, dict[str, int]]:
    """Outcome shares, unended share and first turn of each ending, by the definition."""
    r = Rules(sc, straight=False)
    arr = r.start()
    moves: dict[State, list[tuple[State, int]]] = {}
    mass = {"success": 0.0, "partial": 0.0, "failure": 0.0}
    unended = 0.0
    first: dict[str, int] = {}
    layer: dict[tuple[State, int], float] = {(arr.state, arr.status): 1.0}
    for turn in range(MAX_TURNS + 1):
        nxt: dict[tuple[State, int], float] = {}
        for (state, status), p in layer.items():
            if status == ENDING:
                node = r.node_of(state)
                first.setdefault(node, turn)
                ending = sc.nodes[node].ending
                assert ending is not None
                mass[ending.outcome] += p
                continue
            if status != DECIDE:
                unended += p
                continue
            options = moves.get(state)
            if options is None:
                options = [
                    (a.state, a.status) for a in (r.choose(state, c) for c in r.offered(state))
                ]
                moves[state] = options
            if not options:
                unended += p
                continue
            share = p / len(options)
            for key in options:
                nxt[key] = nxt.get(key, 0.0) + share
        layer = {k: v for k, v in nxt.items() if v > EPSILON}
        if not layer:
            break
    unended += sum(layer.values())
    return mass, unended, first


def _same(sc: Scenario) -> None:
    d = measure(sc)
    mass, unended, first = _reference(sc)
    # exactly equal floats: the same sums in the same order
    assert (d.random_success, d.random_partial, d.random_failure) == (
        mass["success"],
        mass["partial"],
        mass["failure"],
    )
    assert d.random_unended == unended
    assert d.shortest == (min(first.values()) if first else None)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("cyclic", [False, True])
def test_measure_equals_the_definition_on_random_scenarios(seed: int, cyclic: bool) -> None:
    _same(_load_random(seed, 8, cyclic))


def test_measure_equals_the_definition_on_bundled_and_generated_stories() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_scenario import generate, to_yaml

    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        _same(load_scenario(path))
    _same(load_scenario_text(to_yaml(generate(150, seed=2, loops=0.2)), "g.yaml"))
