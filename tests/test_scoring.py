"""The one scoring rule (docs/scoring.md) and the model conversation, on every bundled
scenario and on generated ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.conversation import Conversation
from engine.feedback import percent_of
from engine.feedback.layout import render_debrief_text
from engine.feedback.model_answer import model_choice, model_conversation
from engine.library import list_scenarios
from engine.loader import load_scenario, load_scenario_text
from engine.play import debrief_for

BUNDLED = list_scenarios()
DIMS = ("situation", "options", "recommendation", "engagement")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_the_model_answer_at_every_turn_is_100_percent_with_no_weakest(path: Path) -> None:
    sc = load_scenario(path)
    for lang in sorted(sc.languages & {"en", "nl", "sv"}):
        model = model_conversation(sc, lang)
        conv = Conversation.replay(sc, list(model.choices), lang=lang)
        d = debrief_for(conv)
        assert conv.ended
        for x in d.dimensions:
            assert x.percent in (100, None), (x.key, x.percent)
        assert d.total.percent == 100
        assert d.weakest is None and d.road_not_taken == ()
        text = render_debrief_text(d)
        assert "Weakest" not in text and "Zwakst" not in text and "Svagast" not in text


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_the_model_conversation_never_takes_a_lower_total_unless_the_author_says_so(
    path: Path,
) -> None:
    sc = load_scenario(path)
    conv = Conversation(sc)
    model = model_conversation(sc)
    for cid in model.choices:
        offered = conv.offered()
        pick = sc.choices[cid]
        assert pick in offered
        if sc.nodes[conv.node.id].model != cid:
            assert pick.total == max(c.total for c in offered), (conv.node.id, cid)
        conv.choose(cid)
    assert conv.ended and model.ending == conv.node.id
    # the script has the player's line at each turn, then what the counterpart answered
    you_lines = [x for x in model.lines if x.you and x.choice is not None]
    assert [x.choice for x in you_lines] == list(model.choices)


def test_an_authored_model_answer_is_the_one_the_script_takes() -> None:
    doc = {
        "format": 1,
        "id": "authored",
        "title": "T",
        "summary": "S",
        "characters": {"you": {"name": "Sam"}, "dana": {"name": "Dana"}},
        "start": "a",
        "nodes": {
            "a": {
                "text": "Well?",
                "model": "calm",
                "choices": [
                    {"id": "loud", "text": "Loud.", "sore": {"options": 2}, "to": "end"},
                    {"id": "calm", "text": "Calm.", "sore": {"options": 1}, "to": "end"},
                    {"id": "mute", "text": "...", "sore": {"options": -1}, "to": "end"},
                ],
            },
            "end": {
                "text": "Bye.",
                "ending": {"outcome": "success", "title": "E", "debrief": "D"},
            },
        },
    }
    sc = load_scenario_text(yaml.safe_dump(doc), "authored.yaml")
    assert model_conversation(sc).choices == ("calm",)
    # the author's model answer is the 100% mark: taking the louder answer earns more
    # on options but tops out at 100%, and the road not taken points to the model answer
    d = debrief_for(Conversation.replay(sc, ["loud"]))
    assert [(x.key, x.percent) for x in d.dimensions if x.key == "options"] == [("options", 100)]
    assert [r.better for r in d.road_not_taken] == ["calm"]


# ------------------------------------------------------------------ generated scenarios


@st.composite
def scenarios(draw: Any) -> dict[str, Any]:
    """Small layered scenarios: each turn offers 1-3 choices with random scores and trust."""
    depth = draw(st.integers(1, 4))
    nodes: dict[str, Any] = {}
    for i in range(depth):
        n = draw(st.integers(1, 3))
        choices = []
        for j in range(n):
            scores = {k: draw(st.integers(-2, 2)) for k in DIMS}
            choices.append(
                {
                    "id": f"c{i}_{j}",
                    "text": f"Answer {i}.{j}",
                    "effects": {"trust": draw(st.integers(-15, 15))},
                    "sore": scores,
                    "to": f"n{i + 1}" if i + 1 < depth else "end",
                }
            )
        nodes[f"n{i}"] = {"text": f"Turn {i}", "choices": choices}
        if draw(st.booleans()):
            nodes[f"n{i}"]["model"] = choices[draw(st.integers(0, n - 1))]["id"]
    nodes["end"] = {"text": "Done.", "ending": {"outcome": "success", "title": "E", "debrief": "D"}}
    picks = [draw(st.integers(0, 2)) for _ in range(depth)]
    return {
        "doc": {
            "format": 1,
            "id": "gen",
            "title": "T",
            "summary": "S",
            "characters": {"you": {"name": "Sam"}, "dana": {"name": "Dana"}},
            "start": "n0",
            "nodes": nodes,
        },
        "picks": picks,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_percentages_stay_within_0_and_100_and_follow_the_rule(case: dict[str, Any]) -> None:
    sc = load_scenario_text(yaml.safe_dump(case["doc"], sort_keys=False), "gen.yaml")
    conv = Conversation(sc)
    model = worst = dict.fromkeys(DIMS, 0)
    model, worst = dict(model), dict(worst)
    m_total = w_total = 0
    for pick in case["picks"]:
        offered = conv.offered()
        m = model_choice(conv.node, offered)
        assert m is not None
        for k in DIMS:
            model[k] += m.scores[k]
            worst[k] += min(c.scores[k] for c in offered)
        m_total += m.total
        w_total += min(c.total for c in offered)
        conv.choose(offered[pick % len(offered)].id)
    d = debrief_for(conv)
    for x in d.dimensions:
        assert (x.model, x.worst) == (model[x.key], worst[x.key])
        assert x.worst <= x.total
        if x.model == x.worst:
            assert x.percent is None
        else:
            assert x.percent is not None and 0 <= x.percent <= 100
            expect = min(100.0, 100 * (x.total - x.worst) / (x.model - x.worst))
            assert abs(x.percent - expect) <= 0.5
    assert (d.total.model, d.total.worst) == (m_total, w_total)
    assert d.total.percent == percent_of(d.total.total, m_total, w_total)
    # strongest and weakest only when true
    stake = [x for x in d.dimensions if x.percent is not None]
    if d.weakest is not None:
        assert d.weakest.percent is not None and d.weakest.percent < 100
        assert all(d.weakest.percent <= x.percent for x in stake if x.percent is not None)
    if d.strongest is not None:
        assert any(
            x.percent is not None
            and d.strongest.percent is not None
            and x.percent < d.strongest.percent
            for x in stake
        )
    # the model conversation scores 100% on everything at stake
    replay = Conversation.replay(sc, list(model_conversation(sc).choices))
    dm = debrief_for(replay)
    assert all(x.percent in (100, None) for x in dm.dimensions) and dm.weakest is None
