"""The learning around the play: the optional format keys, what checks them, and where a
learner and a trainer meet them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.check import check_paths
from engine.errors import ScenarioLoadError
from engine.library import list_scenarios
from engine.loader import load_scenario, load_scenario_text
from tests.cli import parley


def doc(**top: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "format": 1,
        "id": "learn",
        "title": "T",
        "summary": "S",
        "characters": {"you": {"name": "Sam"}, "dana": {"name": "Dana"}},
        "start": "a",
        "nodes": {
            "a": {"text": "Well?", "choices": [{"id": "go", "text": "Go.", "to": "end"}]},
            "end": {"text": "Bye.", "ending": {"outcome": "success", "title": "E", "debrief": "D"}},
        },
    }
    out.update(top)
    return out


def load(d: dict[str, Any]) -> Any:
    return load_scenario_text(yaml.safe_dump(d, sort_keys=False), "learn.yaml")


def codes(d: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioLoadError) as exc:
        load(d)
    return [x.code for x in exc.value.diagnostics]


def test_version_1_files_without_the_keys_stay_valid() -> None:
    sc = load(doc())
    assert sc.objectives == () and sc.reflection == () and sc.trainer_notes is None


def test_the_keys_load_as_translatable_text() -> None:
    d = doc(
        objectives=[{"en": "Ask first.", "nl": "Vraag eerst."}, "Then advise."],
        reflection=["What did you hear?"],
        trainer_notes={"en": "**Pause** at turn 1.", "nl": "**Pauzeer** bij beurt 1."},
        hierarchy={"requires_why": {"peer": "Dana wants proof first."}},
        trust={"names": {"guarded": {"en": "wary", "nl": "argwanend"}}},
    )
    d["nodes"]["a"]["model"] = "go"
    d["nodes"]["end"]["ending"]["reflection"] = ["Why did it end well?"]
    sc = load(d)
    assert [o.get("nl") for o in sc.objectives] == ["Vraag eerst.", "Then advise."]
    assert sc.trainer_notes.get("nl").startswith("**Pauzeer**")
    assert sc.nodes["a"].model == "go"
    assert sc.nodes["end"].ending.reflection[0].get() == "Why did it end well?"
    assert sc.level_label("guarded", "nl") == "argwanend"
    assert sc.level_label("hostile", "nl") == "vijandig"  # Parley translates the defaults
    assert sc.rung_label("peer", "sv") == "jämlik partner"
    assert sc.requires_why["peer"].get() == "Dana wants proof first."


def test_check_refuses_what_names_nothing() -> None:
    d = doc()
    d["nodes"]["a"]["model"] = "nope"
    assert codes(d) == ["P127"]
    assert codes(doc(trust={"names": {"wary": "wary"}})) == ["P153"]
    assert codes(doc(hierarchy={"requires_why": {"boss": "No."}})) == ["P150"]
    assert "P112" in codes(doc(objectives=["1", "2", "3", "4", "5"]))  # at most four


def test_check_strict_warns_when_there_are_no_objectives_or_reflection(tmp_path: Path) -> None:
    path = tmp_path / "learn.yaml"
    path.write_text(yaml.safe_dump(doc(), sort_keys=False), encoding="utf-8")
    plain = check_paths([path])
    assert "P214" not in [x.code for x in plain.diagnostics]
    strict = check_paths([path], strict=True)
    [p214] = [x for x in strict.diagnostics if x.code == "P214"]
    assert p214.level == "warning"
    path.write_text(yaml.safe_dump(doc(reflection=["Why?"]), sort_keys=False), encoding="utf-8")
    assert "P214" not in [x.code for x in check_paths([path], strict=True).diagnostics]


@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_every_bundled_scenario_has_objectives_reflection_and_notes_in_each_language(
    path: Path,
) -> None:
    sc = load_scenario(path)
    assert 2 <= len(sc.objectives) <= 4 and 2 <= len(sc.reflection) <= 3
    assert sc.trainer_notes is not None
    for text in (*sc.objectives, *sc.reflection, sc.trainer_notes):
        assert text.languages == sc.languages, (path.stem, text.get())
    for d in sc.framework.dimensions:
        assert d.why is not None and sc.languages <= d.why.languages | {"en"}


def test_objectives_open_the_transcript_and_reflection_closes_the_debrief() -> None:
    out = parley("play", "budget-cut", "--lang", "sv", "--choices", "cave,leave_it")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    head = text.split("\n\n")[1]
    assert head.startswith("Vad du övar i det här samtalet:\n  - Be om en stund")
    tail = text.rsplit("Att fundera på:", 1)[1]
    assert "Dana frågade vem som beslutade att acceptera risken" in tail  # the ending's own
    assert "Tänk på en sponsor du arbetar med" in tail  # then the scenario's
