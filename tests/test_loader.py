"""Loading: defaults, Text, frameworks, and hostile files answered with one clear line."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from engine.errors import ScenarioLoadError
from engine.loader import load_scenario, load_scenario_bytes, load_scenario_text

FIX = Path(__file__).parent / "fixtures"

MINIMAL = """\
format: 1
id: minimal
title: T
summary: S
characters:
  you: {name: Sam}
  dana: {name: Dana, role: Sponsor}
start: a
nodes:
  a:
    text: Hello
    choices:
      - text: Bye
        to: b
  b:
    text: End
    ending: {outcome: success, title: Done, debrief: Over}
"""


def codes(exc: ScenarioLoadError) -> list[str]:
    return [d.code for d in exc.diagnostics]


def test_defaults_follow_the_spec() -> None:
    sc = load_scenario_text(MINIMAL)
    assert sc.trust_start == 50
    assert [(lv.name, lv.floor) for lv in sc.trust_levels] == [
        ("hostile", 0),
        ("guarded", 20),
        ("neutral", 40),
        ("open", 60),
        ("trusting", 80),
    ]
    assert sc.ladder == ("order-taker", "service-provider", "peer", "trusted-advisor")
    assert sc.hierarchy_start == "service-provider"
    assert sc.language == "en" and sc.framework.id == "sore"
    assert sc.nodes["a"].speaker == "dana"  # first character that is not `you`
    assert list(sc.choices) == ["a.1"]
    assert sc.choices["a.1"].scores == {
        "situation": 0,
        "options": 0,
        "recommendation": 0,
        "engagement": 0,
    }
    assert sc.feedback_mode == "immediate"


def test_every_choice_and_node_knows_its_line() -> None:
    sc = load_scenario_text(MINIMAL, "m.yaml")
    assert (sc.nodes["a"].loc.line, sc.nodes["b"].loc.line) == (10, 15)
    assert str(sc.choices["a.1"].loc) == "m.yaml:13:9"


def test_framework_beside_the_scenario_wins(tmp_path: Path) -> None:
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "mine.yaml").write_text(
        "format: 1\nid: mine\nname: Mine\ndimensions:\n"
        "  - {key: clarity, label: Clarity, question: 'Were you clear?'}\n"
    )
    path = tmp_path / "s.yaml"
    path.write_text(
        MINIMAL.replace("start: a", "framework: mine\nstart: a").replace(
            "        to: b", "        to: b\n        mine: {clarity: 2}"
        )
    )
    sc = load_scenario(path)
    assert sc.framework.keys == ("clarity",)
    assert sc.choices["a.1"].scores == {"clarity": 2}


def test_scores_under_another_frameworks_key_are_refused() -> None:
    text = MINIMAL.replace("start: a", "framework: grow\nstart: a").replace(
        "        to: b", "        to: b\n        sore: {situation: 1}"
    )
    with pytest.raises(ScenarioLoadError) as info:
        load_scenario_text(text)
    assert codes(info.value) == ["P143"]


def test_several_errors_are_reported_together() -> None:
    text = (
        MINIMAL.replace("to: b", "to: c")
        .replace("speaker", "x")
        .replace("    text: End", "    speaker: bob\n    text: End")
    )
    with pytest.raises(ScenarioLoadError) as info:
        load_scenario_text(text)
    assert sorted(codes(info.value)) == ["P123", "P125"]


# --------------------------------------------------------------- hostile files

BILLION_LAUGHS = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize(
    "data, code, words, line",
    [
        (BILLION_LAUGHS, "P103", "anchor '&a' is not allowed", 1),
        (b"a: 1\nb: *x\n", "P103", "alias '*x'", 2),
        (b"x: " + b"[" * 20000 + b"]" * 20000, "P104", "nesting deeper", 1),
        (b"format: 1\nid: caf\xe9\n", "P105", "not valid UTF-8", 2),
        (b"", "P106", "empty", 1),
        (b"# only a comment\n", "P106", "empty", 1),
        (b"- a\n- b\n", "P107", "must be a mapping", 1),
        (b"just a string\n", "P107", "must be a mapping", 1),
        (b"format: 1\nformat: 1\n", "P108", "duplicate key 'format'", 2),
        (b"a: [1, 2\n", "P101", "YAML syntax error", 2),
        (b"\x00\x01\x02", "P105", "NUL", 1),
        (b"a: !!python/object/apply:os.system ['echo hi']\n", "P101", "tag", 1),
    ],
    ids=[
        "billion-laughs",
        "dangling-alias",
        "deep-nesting",
        "latin1",
        "empty",
        "comment-only",
        "list-top",
        "string-top",
        "duplicate-key",
        "syntax",
        "nul-bytes",
        "python-tag",
    ],
)
def test_hostile_file_gets_one_clear_error(data: bytes, code: str, words: str, line: int) -> None:
    with pytest.raises(ScenarioLoadError) as info:
        load_scenario_bytes(data, "evil.yaml")
    diag = info.value.diagnostics[0]
    assert diag.code == code
    assert words in diag.message
    assert diag.location.file == "evil.yaml" and diag.location.line == line
    assert "Traceback" not in str(info.value)


def test_billion_laughs_is_refused_in_bounded_memory() -> None:
    tracemalloc.start()
    with pytest.raises(ScenarioLoadError):
        load_scenario_bytes(BILLION_LAUGHS, "evil.yaml")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # expansion would take gigabytes (and minutes); refusing at the first anchor takes neither
    assert peak < 50 * 1024 * 1024


def test_oversized_file_is_refused_before_parsing() -> None:
    data = b"a: '" + b"x" * (3 * 1024 * 1024) + b"'\n"
    with pytest.raises(ScenarioLoadError) as info:
        load_scenario_bytes(data, "big.yaml")
    assert info.value.diagnostics[0].code == "P102"


def test_missing_file_and_folder() -> None:
    with pytest.raises(ScenarioLoadError, match="file not found"):
        load_scenario(FIX / "does-not-exist.yaml")
    with pytest.raises(ScenarioLoadError, match="folder"):
        load_scenario(FIX)


def test_norwegian_key_stays_a_string() -> None:
    sc = load_scenario_text(MINIMAL.replace("text: Hello", "text: {en: Hello, no: Hei}"))
    assert sc.nodes["a"].text.get("no") == "Hei"
    assert "no" in sc.languages
