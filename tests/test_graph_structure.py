"""The scenario graph (networkx) answers structural questions; small graphs, answers by hand."""

from __future__ import annotations

from engine.graph import (
    Route,
    analyse,
    closed_loops,
    hinges,
    moves_from,
    routes,
    scenario_graph,
)
from engine.loader import load_scenario_text
from engine.model import Scenario

ENDING = "{text: x, ending: {outcome: success, title: t, debrief: d}}"


def story(links: dict[str, str], start: str = "a") -> Scenario:
    """A scenario from a compact spec: node -> 'c:x,y' (choices to x, y), 'n:x' (an
    automatic `next` to x) or 'end'."""
    lines = [
        "format: 1",
        "id: small",
        "title: t",
        "summary: s",
        "characters: {you: {name: a}, b: {name: b}}",
        f"start: {start}",
        "nodes:",
    ]
    for nid, spec in links.items():
        if spec == "end":
            lines.append(f"  {nid}: {ENDING}")
            continue
        kind, targets = spec.split(":")
        if kind == "c":
            opts = ", ".join(f"{{text: go {t}, to: {t}}}" for t in targets.split(","))
            lines.append(f"  {nid}: {{text: x, choices: [{opts}]}}")
        else:
            opts = ", ".join(f"{{to: {t}}}" for t in targets.split(","))
            lines.append(f"  {nid}: {{text: x, next: [{opts}]}}")
    return load_scenario_text("\n".join(lines) + "\n")


# a --> b --> d --> E1        b is a hinge of E1 and E2; a choice from c can go back to a
# a --> c --> d               c --> E2 directly; t is a trap (t <-> u, no exit)
#       c --> a (back)        o is not reachable; E3 is not reachable
DIAMOND = {
    "a": "c:b,c",
    "b": "n:d",
    "c": "c:d,a,e2",
    "d": "c:e1,t",
    "t": "c:u",
    "u": "n:t",
    "o": "c:e3",
    "e1": "end",
    "e2": "end",
    "e3": "end",
}


def test_the_graph_carries_each_choice_with_its_conditions_and_effects() -> None:
    sc = load_scenario_text(
        "format: 1\nid: s\ntitle: t\nsummary: s\ncharacters: {you: {name: a}, b: {name: b}}\n"
        "start: a\nnodes:\n"
        "  a: {text: x, choices: [{text: one, to: e, effects: {trust: 5}},"
        " {text: two, to: e, when: 'trust > 60'}]}\n"
        f"  e: {ENDING}\n"
    )
    g = scenario_graph(sc)
    assert g.graph["start"] == "a"
    moves = moves_from(g, "a")
    assert [m.choice.id for m in moves if m.choice] == ["a.1", "a.2"]
    assert moves[0].effects is not None and moves[0].effects.trust == 5
    assert moves[1].when is not None and moves[1].when.source == "trust > 60"
    assert g.edges["a", "e"]["choices"] == ["a.1", "a.2"]


def test_reachability_traps_and_unreachable_endings() -> None:
    sc = story(DIAMOND)
    s = analyse(sc, scenario_graph(sc))
    assert s.reachable == {"a", "b", "c", "d", "t", "u", "e1", "e2"}
    assert s.unreachable == ["o"]
    assert s.unreachable_endings == ["e3"]
    assert s.traps == ["t", "u"]


def test_cycles_with_no_exit() -> None:
    g = scenario_graph(story(DIAMOND))
    assert closed_loops(g) == [["t", "u"]]  # a <-> c leaves (to d, e2): not closed
    g = scenario_graph(story({"a": "c:a,e", "e": "end"}))
    assert closed_loops(g) == []
    g = scenario_graph(story({"a": "c:b,e", "b": "c:b", "e": "end"}))
    assert closed_loops(g) == [["b"]]  # a node whose only way is to itself


def test_shortest_and_longest_routes_in_turns() -> None:
    # no loop: a -c-> b -n-> d -c-> e1 is 2 answers (the `next` costs none); via c: 3
    g = scenario_graph(story({"a": "c:b,c", "b": "n:d", "c": "c:d,e2", "d": "c:e1", **_ends()}))
    assert routes(g) == {"e1": Route(2, 3), "e2": Route(2, 2)}
    # the loop a -> c -> a with answers on it: no longest route to anything after it
    r = routes(scenario_graph(story(DIAMOND)))
    assert r == {"e1": Route(2, None), "e2": Route(2, None)}  # a-b(next)-d-e1: 2


def test_a_loop_of_automatic_links_only_adds_no_turns() -> None:
    g = scenario_graph(story({"a": "c:b", "b": "n:c,e1", "c": "n:b", "e1": "end"}))
    assert routes(g) == {"e1": Route(1, 1)}


def test_hinges_are_the_dominators_of_each_ending() -> None:
    g = scenario_graph(story(DIAMOND))
    h = hinges(g)
    # every route to e1 passes a and d (b or c, not both); e2 only through c
    assert h == {"e1": ["a", "d"], "e2": ["a", "c"]}
    g = scenario_graph(story({"a": "c:b", "b": "c:c,d", "c": "c:e1", "d": "c:e1", **_ends()}))
    assert hinges(g) == {"e1": ["a", "b"]}  # e2 is reached by no route: left out


def _ends() -> dict[str, str]:
    return {"e1": "end", "e2": "end"}
