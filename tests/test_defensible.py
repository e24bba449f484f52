"""Several equally defensible success endings (`trade_off:`): the format, the checker and
what the learner reads in the debrief (text, `--json`, the model conversation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.conversation import Conversation
from engine.errors import ScenarioLoadError
from engine.feedback import render_debrief_text
from engine.feedback.layout import flat
from engine.loader import load_scenario_text
from engine.play import debrief_for
from tests.cli import parley


def doc() -> dict[str, Any]:
    """A small case with two defensible endings (pass or hold) and a failure."""

    def end(outcome: str, title: str, trade_off: str | None = None) -> dict[str, Any]:
        e: dict[str, Any] = {"outcome": outcome, "title": title, "debrief": f"{title}."}
        if trade_off is not None:
            e["trade_off"] = {"en": trade_off, "nl": f"nl: {trade_off}"}
        return {"text": "So be it.", "ending": e}

    def choice(cid: str, to: str, score: int) -> dict[str, Any]:
        return {
            "id": cid,
            "text": {"en": cid, "nl": cid},
            "to": to,
            "sore": {"situation": score},
            "feedback": {"en": "ok", "nl": "ok"},
        }

    return {
        "format": 1,
        "id": "two-ways",
        "title": "T",
        "summary": "S",
        "characters": {"you": {"name": "Sam"}, "pm": {"name": "Pat"}},
        "start": "ask",
        "nodes": {
            "ask": {
                "text": "Waive it?",
                "choices": [
                    choice("pass", "pass_how", 2),
                    choice("hold", "hold_how", 2),
                    choice("wave", "waved", -2),
                ],
            },
            "pass_how": {"text": "How?", "choices": [choice("sign", "passed", 1)]},
            "hold_how": {"text": "How?", "choices": [choice("fast", "held", 1)]},
            "passed": end("success", "Passed with conditions", "Starts now; risk carried."),
            "held": end("success", "Held a week", "A week late; nothing unreviewed."),
            "waved": end("failure", "Waved through"),
        },
    }


def load(d: dict[str, Any]) -> Any:
    return load_scenario_text(yaml.safe_dump(d, sort_keys=False), "two.yaml")


def codes(d: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioLoadError) as exc:
        load(d)
    return [x.code for x in exc.value.diagnostics]


def test_success_endings_with_a_trade_off_are_the_defensible_ones() -> None:
    sc = load(doc())
    assert [n.id for n in sc.defensible] == ["passed", "held"]
    assert sc.nodes["held"].ending.trade_off.get("nl") == "nl: A week late; nothing unreviewed."
    plain = doc()
    for nid in ("passed", "held"):
        del plain["nodes"][nid]["ending"]["trade_off"]
    assert load(plain).defensible == ()


def test_a_trade_off_needs_a_success_and_a_second_one() -> None:
    d = doc()
    d["nodes"]["waved"]["ending"]["trade_off"] = "Quick."
    assert codes(d) == ["P128"]
    d = doc()
    del d["nodes"]["held"]["ending"]["trade_off"]
    assert codes(d) == ["P128"]


def test_the_debrief_names_every_defensible_ending_with_its_trade_off() -> None:
    sc = load(doc())
    held = debrief_for(Conversation.replay(sc, ["hold", "fast"]))
    text = flat(render_debrief_text(held))
    assert "These are equally defensible, and each gives something up:" in text
    assert "Passed with conditions: Starts now; risk carried." in text
    assert "Held a week (yours): A week late; nothing unreviewed." in text
    # the other defensible route is not "the road not taken", and the model conversation
    # shown is the one that leads to the ending this player reached
    assert held.road_not_taken == ()
    assert held.model_play.ending == "held"
    assert [x.model_choices for x in held.defensible] == [("pass", "sign"), ("hold", "fast")]

    failed = debrief_for(Conversation.replay(sc, ["wave"]))
    text = flat(render_debrief_text(failed))
    assert "Passed with conditions: Starts now" in text and "Held a week: A week" in text
    assert "(yours)" not in text
    assert not any(x.reached for x in failed.defensible)


def test_dutch_debrief_says_so_in_dutch() -> None:
    sc = load(doc())
    d = debrief_for(Conversation.replay(sc, ["pass", "sign"], lang="nl"))
    text = flat(render_debrief_text(d))
    assert "Deze zijn even verdedigbaar" in text
    assert "Passed with conditions (jouw afloop): nl: Starts now; risk carried." in text


def test_json_carries_the_defensible_endings_only_when_declared(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(doc(), sort_keys=False), encoding="utf-8")
    out = parley("play", str(path), "--choices", "hold,fast", "--json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)["debrief"]["defensible"]
    assert got == [
        {
            "id": "passed",
            "title": "Passed with conditions",
            "trade_off": "Starts now; risk carried.",
            "reached": False,
            "model_choices": ["pass", "sign"],
        },
        {
            "id": "held",
            "title": "Held a week",
            "trade_off": "A week late; nothing unreviewed.",
            "reached": True,
            "model_choices": ["hold", "fast"],
        },
    ]
    plain = doc()
    for nid in ("passed", "held"):
        del plain["nodes"][nid]["ending"]["trade_off"]
    path.write_text(yaml.safe_dump(plain, sort_keys=False), encoding="utf-8")
    out = parley("play", str(path), "--choices", "hold,fast", "--json")
    assert "defensible" not in json.loads(out.stdout)["debrief"]
