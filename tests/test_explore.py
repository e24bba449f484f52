"""The explorer: every reachable state under the real rules, checked against Conversation."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.conversation import Conversation
from engine.errors import PlayError
from engine.explore import explore
from engine.fastplay import DECIDE, LOOP, Rules
from engine.loader import load_scenario, load_scenario_text
from engine.model import Scenario

FIX = Path(__file__).parent / "fixtures"
DIMS = ("situation", "options", "recommendation", "engagement")


def scenario_from(nodes: dict[str, Any], start: str = "n0", **top: Any) -> Scenario:
    doc = {
        "format": 1,
        "id": "gen",
        "title": "Generated",
        "summary": "Generated for a test.",
        "characters": {"you": {"name": "Sam"}, "dana": {"name": "Dana"}},
        "start": start,
        "nodes": nodes,
        **top,
    }
    return load_scenario_text(yaml.safe_dump(doc, sort_keys=False), "gen.yaml")


# ---------------------------------------------------------------- fixed scenarios


def test_mini_scenario_extremes_and_unbounded_loop() -> None:
    sc = load_scenario(FIX / "core_mini.yaml")
    ex = explore(sc)
    assert ex.complete
    assert ex.endings_reachable == {"good_end", "meh_end", "bad_end"}
    assert ex.choices_offered == {"push", "cave", "escalate", "advise", "again"}
    assert ex.stall_nodes == frozenset()
    # push -> again -> opening scores +2 a round and can be repeated, then still end
    assert ex.best_total is None and "total" in ex.best_unbounded
    assert "options" in ex.worst_unbounded and "options" not in ex.worst_scores
    # worst: cave at once (-2); escalate after a push round scores -1 engagement
    assert ex.worst_total == -2
    assert ex.worst_scores["engagement"] == -1
    assert ex.final_trust == (25, 100)


def test_never_offered_choice_and_stall_found() -> None:
    sc = load_scenario(FIX / "never_offered.yaml")
    ex = explore(sc)
    assert ex.complete
    assert set(sc.choices) - ex.choices_offered == {"demand_budget"}
    assert ex.stall_nodes == {"weigh"}
    assert "unreached_end" not in ex.endings_reachable
    assert ex.best_total == 5 and ex.worst_total == -3
    assert ex.best_play == ["listen", "propose"]
    assert ex.best_final_trust == 70
    # the best play really scores that, played the ordinary way
    conv = Conversation.replay(sc, ex.best_play)
    assert conv.ended and sum(conv.scores.values()) == ex.best_total
    assert conv.trust == ex.best_final_trust


def test_best_and_worst_per_dimension_are_independent() -> None:
    nodes = {
        "n0": {
            "text": "Start",
            "choices": [
                {"id": "a", "text": "A", "to": "end", "sore": {"situation": 2, "options": -2}},
                {"id": "b", "text": "B", "to": "end", "sore": {"situation": -1, "options": 2}},
            ],
        },
        "end": {"text": "E", "ending": {"outcome": "success", "title": "E", "debrief": "E"}},
    }
    ex = explore(scenario_from(nodes))
    assert ex.best_scores["situation"] == 2 and ex.best_scores["options"] == 2
    assert ex.worst_scores["situation"] == -1 and ex.worst_scores["options"] == -2
    assert ex.best_total == 1 and ex.worst_total == 0
    assert ex.best_play == ["b"]


def test_zero_score_cycle_is_bounded() -> None:
    # a loop that scores +1 then -1: every cycle scores 0, so the extremes are finite
    nodes = {
        "n0": {
            "text": "Start",
            "choices": [
                {"id": "up", "text": "U", "to": "n1", "sore": {"situation": 1}},
                {"id": "done", "text": "D", "to": "end", "sore": {"options": 1}},
            ],
        },
        "n1": {
            "text": "Back",
            "choices": [
                {"id": "down", "text": "Dn", "to": "n0", "sore": {"situation": -1}},
                {"id": "out", "text": "O", "to": "end", "sore": {"engagement": 2}},
            ],
        },
        "end": {"text": "E", "ending": {"outcome": "success", "title": "E", "debrief": "E"}},
    }
    ex = explore(scenario_from(nodes))
    assert ex.best_unbounded == frozenset() and ex.worst_unbounded == frozenset()
    assert ex.best_total == 3 and ex.best_play == ["up", "out"]
    assert ex.worst_total == 1


def test_bound_stops_early_and_says_so() -> None:
    # `turns` in a condition makes every round of the loop a new state
    nodes = {
        "n0": {
            "text": "Again?",
            "choices": [
                {"id": "again", "text": "Again", "to": "n0"},
                {"id": "stop", "text": "Stop", "to": "end", "when": "turns > 3"},
            ],
        },
        "end": {"text": "E", "ending": {"outcome": "success", "title": "E", "debrief": "E"}},
    }
    ex = explore(scenario_from(nodes), max_states=50)
    assert not ex.complete and ex.states == 50 and ex.max_states == 50
    assert ex.endings_reachable == {"end"}


def test_automatic_loop_is_a_finding_not_a_hang() -> None:
    nodes = {
        "n0": {"text": "S", "choices": [{"id": "go", "text": "Go", "to": "a"}]},
        "a": {"text": "A", "next": [{"to": "b"}]},
        "b": {"text": "B", "next": [{"to": "a"}]},
    }
    ex = explore(scenario_from(nodes))
    assert ex.loop_nodes and ex.endings_reachable == frozenset()
    assert ex.best_total is None and ex.final_trust is None


# ---------------------------------------------------------------- against Conversation


def _random_scenario_doc(rng: random.Random, n: int, cyclic: bool) -> dict[str, Any]:
    """A random scenario using every kind of condition and effect."""
    ids = [f"n{i}" for i in range(n)]
    endings = ["win", "draw", "lose"]
    flags = ["f1", "f2"]
    conds = [
        "trust >= 55",
        "trust < 45",
        "trust_level == 'open'",
        "hierarchy >= 'peer'",
        "hierarchy == 'order-taker'",
        "f1",
        "not f2",
        "f2 == 2",
        "visited('n1')",
        "chose('c0_0')",
        "trust >= 50 and f1",
        "not visited('n2') or trust > 60",
    ]
    if not cyclic:
        conds.append("turns >= 3")  # with cycles, `turns` makes the state space infinite
    nodes: dict[str, Any] = {}
    for i, nid in enumerate(ids):
        later = ids[i + 1 :] if not cyclic else ids
        targets = later + endings if later else endings
        kind = rng.random()
        effects: dict[str, Any] = {}
        if rng.random() < 0.5:
            effects["trust"] = rng.choice([-15, -5, 5, 10, 20])
        if rng.random() < 0.3:
            effects["hierarchy"] = rng.choice(["up", "down", "peer", "trusted-advisor"])
        if rng.random() < 0.3:
            effects["set"] = {rng.choice(flags): rng.choice([True, False, 2])}
        node: dict[str, Any] = {"text": nid}
        if rng.random() < 0.3:
            node["effects"] = effects
        if kind < 0.25 and i > 0:
            branches = [
                {"when": rng.choice(conds), "to": rng.choice(targets)}
                for _ in range(rng.randint(1, 2))
            ]
            if rng.random() < 0.8:
                branches.append({"to": rng.choice(targets)})
            node["next"] = branches
        else:
            choices = []
            for j in range(rng.randint(1, 3)):
                ch: dict[str, Any] = {"id": f"c{i}_{j}", "text": "x", "to": rng.choice(targets)}
                if rng.random() < 0.4:
                    ch["when"] = rng.choice(conds)
                eff: dict[str, Any] = {}
                if rng.random() < 0.7:
                    eff["trust"] = rng.choice([-20, -10, -5, 5, 10, 15])
                if rng.random() < 0.3:
                    eff["hierarchy"] = rng.choice(["up", "down", "trusted-advisor"])
                if rng.random() < 0.3:
                    eff["set"] = {rng.choice(flags): rng.choice([True, False, 2])}
                if eff:
                    ch["effects"] = eff
                ch["sore"] = {
                    rng.choice(DIMS): rng.randint(-2, 2),
                    rng.choice(DIMS): rng.randint(-2, 2),
                }
                choices.append(ch)
            node["choices"] = choices
        nodes[nid] = node
    nodes["n0"].pop("next", None)
    if "choices" not in nodes["n0"]:
        nodes["n0"]["choices"] = [{"id": "c0_0", "text": "x", "to": ids[min(1, n - 1)]}]
    if not any(c.get("id") == "c0_0" for c in nodes["n0"]["choices"]):
        nodes["n0"]["choices"][0]["id"] = "c0_0"
    for e, outcome in zip(endings, ["success", "partial", "failure"], strict=True):
        nodes[e] = {"text": e, "ending": {"outcome": outcome, "title": e, "debrief": e}}
    # every flag is set somewhere so that conditions naming them load
    nodes["n0"]["choices"][0].setdefault("effects", {})["set"] = {"f1": True, "f2": False}
    return {
        "trust": {"start": 50},
        "hierarchy": {"requires": {"trusted-advisor": "trust >= 60"}},
        "nodes": nodes,
    }


def _load_random(seed: int, n: int, cyclic: bool) -> Scenario:
    doc = _random_scenario_doc(random.Random(seed), n, cyclic)
    nodes = doc.pop("nodes")
    return scenario_from(nodes, **doc)


def _all_plays(sc: Scenario, limit: int = 20_000) -> list[Conversation]:
    """Every complete play, by replaying choice sequences through Conversation (acyclic only)."""
    out: list[Conversation] = []
    stack: list[list[str]] = [[]]
    while stack:
        choices = stack.pop()
        conv = Conversation.replay(sc, choices)
        offered = [c.id for c in conv.offered()]
        if not offered:
            out.append(conv)
            assert len(out) < limit
            continue
        for cid in offered:
            stack.append([*choices, cid])
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(3, 7))
def test_explorer_equals_brute_force_on_acyclic_scenarios(seed: int, n: int) -> None:
    sc = _load_random(seed, n, cyclic=False)
    ex = explore(sc)
    plays = _all_plays(sc)
    ended = [c for c in plays if c.ended]
    assert ex.complete
    assert ex.endings_reachable == {c.node.id for c in ended}
    offered: set[str] = set()
    reached: set[str] = set()
    for conv in plays:
        reached.update(conv.path)
        for k in range(len(conv.choices_made) + 1):
            offered.update(c.id for c in Conversation.replay(sc, conv.choices_made[:k]).offered())
    assert ex.choices_offered == offered
    assert ex.nodes_reached == reached
    assert ex.stall_nodes == {c.node.id for c in plays if c.stalled}
    if ended:
        totals = [sum(c.scores.values()) for c in ended]
        assert (ex.worst_total, ex.best_total) == (min(totals), max(totals))
        assert ex.final_trust == (min(c.trust for c in ended), max(c.trust for c in ended))
        for d in DIMS:
            assert ex.best_scores[d] == max(c.scores[d] for c in ended)
            assert ex.worst_scores[d] == min(c.scores[d] for c in ended)
        best = Conversation.replay(sc, ex.best_play)
        assert best.ended and sum(best.scores.values()) == ex.best_total
        assert best.trust == ex.best_final_trust
    else:
        assert ex.best_total is None and ex.final_trust is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(3, 8))
def test_random_plays_stay_inside_what_the_explorer_found(seed: int, n: int) -> None:
    """On cyclic scenarios: random Conversations only reach what the explorer reports."""
    sc = _load_random(seed, n, cyclic=True)
    ex = explore(sc, max_states=200_000)
    assert ex.complete
    rng = random.Random(seed)
    for _ in range(30):
        conv = Conversation(sc)
        for _turn in range(40):
            offered = conv.offered()
            assert {c.id for c in offered} <= ex.choices_offered
            if not offered:
                break
            try:
                conv.choose(rng.choice(offered).id)
            except PlayError:  # an automatic `next` loop: the explorer must have found it
                assert ex.loop_nodes
                break
        assert set(conv.path) <= ex.nodes_reached
        if conv.ended:
            assert conv.node.id in ex.endings_reachable
            assert ex.final_trust is not None
            assert ex.final_trust[0] <= conv.trust <= ex.final_trust[1]
            total = sum(conv.scores.values())
            if ex.best_total is not None:
                assert total <= ex.best_total
            if ex.worst_total is not None:
                assert total >= ex.worst_total
        if conv.stalled:
            assert conv.node.id in ex.stall_nodes


@pytest.mark.parametrize("seed", range(25))
def test_fast_rules_match_conversation_step_by_step(seed: int) -> None:
    """engine.fastplay.Rules and Conversation agree on every state along random plays."""
    sc = _load_random(seed, 8, cyclic=True)
    rules = Rules(sc)
    rng = random.Random(seed)
    for _ in range(20):
        conv = Conversation(sc)
        arr = rules.start()
        for _turn in range(30):
            state = arr.state
            assert rules.node_of(state) == conv.node.id
            assert (state[1], state[2]) == (conv.trust, sc.ladder.index(conv.rung))
            for name, value in zip(rules.flag_names, state[3], strict=True):
                assert conv.flags.get(name, False) == value
            offered = rules.offered(state) if arr.status == DECIDE else []
            assert [c.id for c in offered] == [c.id for c in conv.offered()]
            if not offered:
                assert conv.ended == (sc.nodes[conv.node.id].ending is not None)
                break
            pick = rng.choice(offered)
            before = len(conv.path)
            arr = rules.choose(state, pick)
            if arr.status == LOOP:  # Conversation refuses a move into an automatic loop
                with pytest.raises(PlayError, match="automatic `next` links"):
                    conv.choose(pick.id)
                break
            step = conv.choose(pick.id)
            assert [rules.node_ids[i] for i in arr.entered] == conv.path[before:]
            assert arr.blocked == len(step.blocked)


def _every_move(sc: Scenario) -> tuple[int, int]:
    """Walk every reachable state with straight moves on and off (engine.fastplay): each
    move must give the same Arrival. Returns (moves, straight moves) for the caller."""
    from collections import deque

    from engine.fastplay import straight_state

    fast, kernel = Rules(sc), Rules(sc, straight=False)
    assert all(s is None for s in kernel.straight)
    first = fast.start()
    assert first == kernel.start()
    seen = {first.state}
    queue = deque([first])
    moves = straight = 0
    while queue:
        arr = queue.popleft()
        if arr.status != DECIDE:
            continue
        offered = fast.offered(arr.state)
        assert [c.id for c in offered] == [c.id for c in kernel.offered(arr.state)]
        for ch in offered:
            got = fast.choose(arr.state, ch)
            assert got == kernel.choose(arr.state, ch), (fast.node_of(arr.state), ch.id)
            moves += 1
            st = fast.straight[ch.index]
            if st is not None and straight_state(st, arr.state) is not None:
                straight += 1
            if got.state not in seen:
                seen.add(got.state)
                queue.append(got)
    return moves, straight


@pytest.mark.parametrize("seed", range(30))
def test_straight_moves_equal_the_kernel_on_every_move(seed: int) -> None:
    """The named specialisation "straight moves" (engine.fastplay) gives exactly the
    kernel's Arrival on every move of every reachable state (flags, visited(), chose(),
    turns, rung moves with and without `requires`, automatic `next`)."""
    total = used = 0
    for cyclic in (False, True):
        moves, straight = _every_move(_load_random(seed, 8, cyclic))
        total += moves
        used += straight
    assert used > 0 or total == 0


def test_straight_moves_equal_the_kernel_on_bundled_and_generated_stories() -> None:
    import sys

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "bench"))
    from gen_scenario import generate, to_yaml

    scenarios = [load_scenario(p) for p in sorted((root / "scenarios").glob("*.yaml"))]
    scenarios.append(load_scenario(FIX / "core_mini.yaml"))
    for loops in (0.0, 0.2):
        scenarios.append(load_scenario_text(to_yaml(generate(120, seed=3, loops=loops)), "g.yaml"))
    for sc in scenarios:
        moves, straight = _every_move(sc)
        assert 0 < straight <= moves, sc.id


def _without_shortcut(sc: Scenario, monkeypatch: pytest.MonkeyPatch) -> Any:
    from engine import extremes as ex_mod

    with monkeypatch.context() as m:
        m.setattr(ex_mod.Extremes, "_all_unbounded", lambda *a: False)
        return explore(sc)


def _summary(ex: Any) -> dict[str, Any]:
    return {k: v for k, v in ex.__dict__.items() if k != "graph"}


@pytest.mark.parametrize("seed", range(30))
def test_unbounded_shortcut_changes_nothing(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """engine.extremes' `Extremes._all_unbounded` (prove every objective unbounded before
    solving) gives exactly what the full solution gives, on random stories with loops."""
    sc = _load_random(seed, 8, cyclic=True)
    assert _summary(explore(sc)) == _summary(_without_shortcut(sc, monkeypatch))


def test_unbounded_shortcut_on_generated_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from gen_scenario import generate, to_yaml

    from engine import extremes as ex_mod

    sc = load_scenario_text(to_yaml(generate(150, seed=1, loops=0.2)), "g.yaml")
    used: list[bool] = []
    real = ex_mod.Extremes._all_unbounded

    def spy(self: Any, *a: Any) -> bool:
        used.append(real(self, *a))
        return used[-1]

    monkeypatch.setattr(ex_mod.Extremes, "_all_unbounded", spy)
    got = explore(sc)
    monkeypatch.undo()
    assert used == [True]  # the shortcut settled this story
    assert got.best_unbounded == got.worst_unbounded == {*DIMS, "total"}
    assert _summary(got) == _summary(_without_shortcut(sc, monkeypatch))
