"""The decisive moment: small hand-made scenarios whose answer is known, and every failure
ending of every bundled scenario."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.conversation import Conversation
from engine.explore import StateGraph, explore
from engine.feedback.decisive import OUTCOME_RANK, decisive_moment
from engine.feedback.layout import render_debrief_text
from engine.library import list_scenarios
from engine.loader import load_scenario, load_scenario_text
from engine.play import debrief_for, play_json


def scenario(nodes: dict[str, Any], start: str = "n0") -> Any:
    doc = {
        "format": 1,
        "id": "decisive",
        "title": "T",
        "summary": "S",
        "characters": {"you": {"name": "Sam"}, "dana": {"name": "Dana"}},
        "trust": {"start": 50},
        "start": start,
        "nodes": nodes,
    }
    return load_scenario_text(yaml.safe_dump(doc, sort_keys=False), "decisive.yaml")


def ending(outcome: str) -> dict[str, Any]:
    return {"text": "...", "ending": {"outcome": outcome, "title": outcome, "debrief": "D"}}


def choice(cid: str, to: str, **more: Any) -> dict[str, Any]:
    return {"id": cid, "text": f"Say {cid}.", "to": to, **more}


TWO_STEPS = {
    "n0": {"text": "Well?", "choices": [choice("a", "n1"), choice("b", "lost")]},
    "n1": {"text": "And?", "choices": [choice("c", "won"), choice("d", "half")]},
    "won": ending("success"),
    "half": ending("partial"),
    "lost": ending("failure"),
}


def decide(sc: Any, choices: list[str]) -> Any:
    conv = Conversation.replay(sc, choices)
    return decisive_moment(conv, explore(sc).graph)


def test_a_partial_is_decided_by_the_last_answer_with_what_still_worked() -> None:
    m = decide(scenario(TWO_STEPS), ["a", "d"])
    assert (m.kind, m.turn, m.choice, m.within_reach) == ("no_return", 2, "d", "success")
    assert [(a.choice, a.outcome) for a in m.alternatives] == [("c", "success")]


def test_a_failure_at_the_first_answer_names_it_and_the_answer_that_kept_success() -> None:
    m = decide(scenario(TWO_STEPS), ["b"])
    assert (m.kind, m.turn, m.choice) == ("no_return", 1, "b")
    assert [(a.choice, a.outcome) for a in m.alternatives] == [("a", "success")]


def test_a_success_is_locked_in_by_the_answer_after_which_nothing_else_could_happen() -> None:
    m = decide(scenario(TWO_STEPS), ["a", "c"])
    assert (m.kind, m.turn, m.choice, m.alternatives) == ("locked_in", 2, "c", ())


def test_a_trust_gate_decides_at_the_answer_that_lost_the_trust() -> None:
    nodes = {
        "n0": {
            "text": "Well?",
            "choices": [
                choice("snap", "n1", effects={"trust": -30}),
                choice("listen", "n1", effects={"trust": 5}),
            ],
        },
        "n1": {"text": "Hm.", "choices": [choice("go", "gate"), choice("wait", "gate")]},
        "gate": {"text": "So.", "next": [{"when": "trust >= 40", "to": "won"}, {"to": "lost"}]},
        "won": ending("success"),
        "lost": ending("failure"),
    }
    sc = scenario(nodes)
    m = decide(sc, ["snap", "go"])
    assert (m.kind, m.turn, m.choice) == ("no_return", 1, "snap")
    assert [a.choice for a in m.alternatives] == ["listen"]
    # and listening locks the success in at once
    assert decide(sc, ["listen", "wait"]).turn == 1


def test_no_decisive_moment_when_nothing_better_was_ever_within_reach() -> None:
    nodes = {
        "n0": {"text": "Well?", "choices": [choice("a", "lost"), choice("b", "lost2")]},
        "lost": ending("failure"),
        "lost2": ending("failure"),
    }
    assert decide(scenario(nodes), ["a"]) is None


def test_the_debrief_leads_with_it_in_text_and_json() -> None:
    sc = scenario(TWO_STEPS)
    conv = Conversation.replay(sc, ["a", "d"])
    text = render_debrief_text(debrief_for(conv))
    head = text.split("\n\n")[1]
    assert head.startswith("The decisive moment\n  Turn 2 decided it:")
    assert 'you could have said "Say c."' in head
    data = play_json(conv)["debrief"]["decisive"]
    assert data["turn"] == 2 and data["alternatives"][0]["choice"] == "c"


# ------------------------------------------------------------------ bundled failure endings


def plays_to_each_failure(sg: StateGraph) -> dict[str, list[str]]:
    """One shortest play (choice ids) reaching each failure ending, by the state graph."""
    sc = sg.rules.scenario
    failures = {n.id for n in sc.endings if n.ending is not None and n.ending.outcome == "failure"}
    seen = {0}
    back: dict[int, tuple[int, str]] = {}
    todo = deque([0])
    out: dict[str, list[str]] = {}
    while todo:
        s = todo.popleft()
        end = sg.node(s)
        if sg.status(s) == "ending" and end in failures and end not in out:
            path: list[str] = []
            while s in back:
                s, cid = back[s]
                path.append(cid)
            out[end] = path[::-1]
            continue
        for cid, t in sg.moves(s):
            if t not in seen:
                seen.add(t)
                back[t] = (s, cid)
                todo.append(t)
    return out


@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_every_failure_ending_of_a_bundled_scenario_has_its_point_of_no_return(
    path: Path,
) -> None:
    sc = load_scenario(path)
    sg = explore(sc).graph
    assert sg is not None and sg.complete
    plays = plays_to_each_failure(sg)
    assert plays, "every bundled scenario has a failure ending some play reaches"
    for choices in plays.values():
        conv = Conversation.replay(sc, choices)
        assert conv.ending is not None and conv.ending.outcome == "failure"
        m = decisive_moment(conv, sg)
        # walk the play's states: before the decisive answer something better was within
        # reach at every turn; right after it nothing better is
        states = [0]
        for cid in choices:
            states.append(dict(sg.moves(states[-1]))[cid])

        def best(s: int) -> int:
            return max(OUTCOME_RANK[sc.nodes[e].ending.outcome] for e in sg.endings_from(s))  # type: ignore[union-attr]

        if best(0) == 0:
            assert m is None
            continue
        assert m is not None and m.kind == "no_return"
        assert all(best(states[i]) > 0 for i in range(m.turn))
        assert best(states[m.turn]) == 0
        assert m.alternatives, "some other answer kept a better ending within reach"
        for alt in m.alternatives:
            after = dict(sg.moves(states[m.turn - 1]))[alt.choice]
            assert best(after) > 0
