"""Frameworks are data: bundled files validate, broken ones fail with file:line, and a
scenario is scored only on its own framework's dimensions."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.conversation import Conversation
from engine.errors import ScenarioLoadError
from engine.framework_loader import load_framework
from engine.library import bundled_frameworks_dir, list_scenarios
from engine.loader import load_scenario, load_scenario_text

FIX = Path(__file__).parent / "fixtures"
BUNDLED = sorted(bundled_frameworks_dir().glob("*.yaml"))

GOOD = """\
format: 1
id: {id}
name: Clarity check
summary: One dimension.
dimensions:
  - key: clarity
    label: Clarity
    question: Were you clear?
"""

SCENARIO = """\
format: 1
id: scored
title: T
summary: S
framework: {framework}
characters:
  you: {{name: Sam}}
  dana: {{name: Dana, role: Sponsor}}
start: a
nodes:
  a:
    text: Hello
    choices:
      - id: bye
        text: Bye
        {scores}
        to: b
  b:
    text: End
    ending: {{outcome: success, title: Done, debrief: Over}}
"""


def codes(exc: ScenarioLoadError) -> list[str]:
    return [d.code for d in exc.diagnostics]


# ------------------------------------------------------------------ bundled frameworks


def test_the_bundled_frameworks_include_sore_grow_principled_and_sbi() -> None:
    assert {p.stem for p in BUNDLED} >= {"sore", "grow", "principled", "sbi"}


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_bundled_framework_validates_with_a_label_and_question_per_dimension(
    path: Path,
) -> None:
    fw = load_framework(path)
    assert fw.id == path.stem
    assert fw.name.get() and fw.summary.get()
    assert len(fw.dimensions) >= 2
    assert len(set(fw.keys)) == len(fw.keys)
    for d in fw.dimensions:
        assert d.label.get().strip(), d.key
        # a question the debrief can put to the player
        assert d.question.get().rstrip().endswith("?"), d.key


def test_grow_has_the_four_grow_dimensions_in_order() -> None:
    fw = load_framework(bundled_frameworks_dir() / "grow.yaml")
    assert fw.keys == ("goal", "reality", "options", "way_forward")
    assert [d.label.get() for d in fw.dimensions] == ["Goal", "Reality", "Options", "Way forward"]


# ------------------------------------------------------------------ broken framework files


@pytest.mark.parametrize(
    "text, code, line, words",
    [
        (
            GOOD.replace("    question: Were you clear?", "    questoin: Were you clear?"),
            "P110",
            8,
            "unknown key 'questoin'",
        ),
        (
            GOOD.replace("    question: Were you clear?\n", ""),
            "P111",
            6,
            "missing required key 'question'",
        ),
        (
            GOOD + "  - key: clarity\n    label: Again\n    question: Again?\n",
            "P108",
            9,
            "dimension key 'clarity' appears twice",
        ),
        (GOOD.replace("format: 1", "format: 2"), "P113", 1, "format must be 1"),
        (GOOD.replace("dimensions:\n", "dimensions: [\n"), "P101", 0, ""),
        (GOOD.replace("name: Clarity check", "name: [Clarity, check]"), "P112", 3, "name"),
    ],
    ids=["unknown-key", "missing-question", "duplicate-key", "format-2", "yaml-syntax", "bad-name"],
)
def test_a_broken_framework_file_fails_with_file_and_line(
    tmp_path: Path, text: str, code: str, line: int, words: str
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(text.format(id="mine"))
    with pytest.raises(ScenarioLoadError) as info:
        load_framework(path)
    found = [d for d in info.value.diagnostics if d.code == code]
    assert found, codes(info.value)
    diag = found[0]
    assert diag.location.file == str(path)
    if line:
        assert diag.location.line == line
    else:
        assert diag.location.line > 0
    assert words in diag.message
    assert str(path) in str(info.value)


def test_a_framework_whose_id_is_not_its_file_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD.format(id="theirs"))
    with pytest.raises(ScenarioLoadError) as info:
        load_framework(path)
    assert codes(info.value) == ["P116"]
    assert info.value.diagnostics[0].location.line == 2
    assert "rename the file to theirs.yaml" in (info.value.diagnostics[0].hint or "")


def test_a_broken_framework_beside_a_scenario_stops_the_scenario_with_its_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "frameworks").mkdir()
    fw = tmp_path / "frameworks" / "mine.yaml"
    fw.write_text(GOOD.format(id="mine").replace("label: Clarity", "lable: Clarity"))
    sc = tmp_path / "s.yaml"
    sc.write_text(SCENARIO.format(framework="mine", scores="mine: {clarity: 1}"))
    with pytest.raises(ScenarioLoadError) as info:
        load_scenario(sc)
    assert "P110" in codes(info.value)
    diag = next(d for d in info.value.diagnostics if d.code == "P110")
    assert (diag.location.file, diag.location.line) == (str(fw), 7)
    assert "unknown key 'lable'" in diag.message


# ------------------------------------------------------------------ scoring keys


def test_a_player_cannot_be_scored_on_a_key_the_framework_lacks(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.format(framework="sore", scores="sore: {situaton: 1, options: 1}"))
    with pytest.raises(ScenarioLoadError) as info:
        load_scenario(path)
    assert codes(info.value) == ["P140"]
    diag = info.value.diagnostics[0]
    assert (diag.location.file, diag.location.line) == (str(path), 16)
    assert "'situaton' is not a dimension of the sore framework" in diag.message
    assert diag.hint == "did you mean 'situation'?"


def test_sore_keys_are_not_grow_keys() -> None:
    text = SCENARIO.format(framework="grow", scores="grow: {situation: 1, goal: 2}")
    with pytest.raises(ScenarioLoadError) as info:
        load_scenario_text(text, "grow-s.yaml")
    assert codes(info.value) == ["P140"]
    assert "not a dimension of the grow framework" in info.value.diagnostics[0].message
    assert "goal, reality, options, way_forward" in (info.value.diagnostics[0].hint or "")


def test_a_scenario_using_grow_is_scored_on_grow() -> None:
    sc = load_scenario(FIX / "feedback_grow.yaml")
    assert sc.framework.id == "grow"
    conv = Conversation.replay(sc, ["ask_goal", "judge", "commit"])
    assert conv.scores == {"goal": 2, "reality": -1, "options": 1, "way_forward": 2}


def test_the_framework_beside_the_scenario_is_the_one_scored(tmp_path: Path) -> None:
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "mine.yaml").write_text(GOOD.format(id="mine"))
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.format(framework="mine", scores="mine: {clarity: 2}"))
    conv = Conversation.replay(load_scenario(path), ["bye"])
    assert conv.scores == {"clarity": 2}


# ------------------------------------------------------------------ bundled scenarios


def _bundled_frameworks_used() -> dict[str, str]:
    return {p.stem: load_scenario(p).framework.id for p in list_scenarios()}


def test_every_bundled_scenario_loads_with_a_bundled_framework() -> None:
    used = _bundled_frameworks_used()
    assert used, "no bundled scenarios"
    assert set(used.values()) <= {p.stem for p in BUNDLED}


def test_the_bundled_scenarios_use_sore_grow_and_another_framework() -> None:
    used = set(_bundled_frameworks_used().values())
    assert {"sore", "grow"} <= used
    assert used & {"principled", "sbi"}
