"""The explorer's state graph as others walk it: states, offered choices, successors, endings."""

from __future__ import annotations

from engine.explore import explore
from engine.loader import load_scenario_text

STORY = """\
format: 1
id: s
title: t
summary: s
characters: {you: {name: a}, b: {name: b}}
trust: {start: 50}
start: a
nodes:
  a:
    text: x
    choices:
      - {id: warm, text: warm, to: b, effects: {trust: 10}}
      - {id: cold, text: cold, to: b, effects: {trust: -10}}
  b:
    text: x
    choices:
      - {id: close, text: close, to: win, when: "trust >= 60"}
      - {id: leave, text: leave, to: lose}
  win: {text: x, ending: {outcome: success, title: t, debrief: d}}
  lose: {text: x, ending: {outcome: failure, title: t, debrief: d}}
"""


def test_states_moves_and_reachable_endings() -> None:
    ex = explore(load_scenario_text(STORY))
    g = ex.graph
    assert (
        g is not None and g.complete and len(g) == ex.states == 6
    )  # a, b at 60 and 40, win, lose at 60 and 40
    start = 0
    assert (g.node(start), g.trust(start), g.status(start)) == ("a", 50, "decide")
    moves = dict(g.moves(start))
    assert list(moves) == ["warm", "cold"]
    warm, cold = moves["warm"], moves["cold"]
    assert (g.node(warm), g.trust(warm)) == ("b", 60)
    assert (g.node(cold), g.trust(cold)) == ("b", 40)
    assert [c for c, _ in g.moves(warm)] == ["close", "leave"]
    assert [c for c, _ in g.moves(cold)] == ["leave"]  # `close` is not offered at 40
    assert g.endings_from(start) == {"win", "lose"}
    # answering coldly is the point of no return for the win
    assert g.endings_from(cold) == {"lose"}
    end = dict(g.moves(warm))["close"]
    assert g.status(end) == "ending" and g.endings_from(end) == {"win"}
    assert g.rung(start) == ex.graph.rules.scenario.hierarchy_start
    assert g.flags(start) == {}


LOOP = """\
format: 1
id: loop
title: t
summary: s
characters: {you: {name: a}, b: {name: b}}
start: a
nodes:
  a:
    text: x
    choices:
      - {id: up, text: up, to: b, sore: {situation: 2}}
      - {id: out_a, text: out, to: end, sore: {situation: 0}}
  b:
    text: x
    choices:
      - {id: back, text: back, to: a, sore: {situation: -1}}
      - {id: out_b, text: out, to: c, sore: {situation: -2}}
  c:
    text: x
    choices:
      - {id: out_c, text: out, to: end, sore: {situation: -1}}
  end: {text: x, ending: {outcome: success, title: t, debrief: d}}
"""


def test_a_score_raising_loop_is_proved_and_the_other_side_settled_exactly() -> None:
    # going round a -> b -> a scores +1 each time: the best is unbounded; the worst is
    # exact: up, out from b, out from c (2 - 2 - 1 = -1); going round only adds
    ex = explore(load_scenario_text(LOOP))
    assert "situation" in ex.best_unbounded and "situation" not in ex.best_scores
    assert ex.worst_scores["situation"] == -1
    assert "situation" not in ex.worst_unbounded and ex.notes == ()
