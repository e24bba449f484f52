"""The condition language: what it accepts, what it refuses, and that it never runs code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.conditions import ConditionContext, ConditionProblem, compile_condition
from engine.errors import Location

CTX = ConditionContext(
    levels=("hostile", "guarded", "neutral", "open", "trusting"),
    ladder=("order-taker", "service-provider", "peer", "trusted-advisor"),
    flags=frozenset({"testing_cut", "mood", "count"}),
    nodes=frozenset({"opening", "risk"}),
    choices=frozenset({"cave", "opening.2"}),
)
HERE = Location("s.yaml", 3, 7)


@dataclass
class Facts:
    trust: int = 50
    level_index: int = 2
    rung_index: int = 1
    turns: int = 0
    flags: dict[str, Any] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    chosen: set[str] = field(default_factory=set)


def holds(src: str, **kw: Any) -> bool:
    return compile_condition(src, HERE, CTX).holds(Facts(**kw))


@pytest.mark.parametrize(
    "src, facts, expected",
    [
        ("trust >= 50", {}, True),
        ("trust > 50", {}, False),
        ("hierarchy >= 'peer'", {"rung_index": 2}, True),
        ("hierarchy >= 'peer'", {"rung_index": 1}, False),
        ("'peer' > hierarchy", {"rung_index": 1}, True),
        ("trust_level == 'neutral'", {}, True),
        ("trust_level < 'open' and trust_level > 'guarded'", {}, True),
        ("not testing_cut", {}, True),  # a flag holds false until set
        ("testing_cut", {"flags": {"testing_cut": True}}, True),
        ("mood == 'calm'", {"flags": {"mood": "calm"}}, True),
        ("count >= 2", {"flags": {"count": 3}}, True),
        ("mood > 3", {"flags": {"mood": "calm"}}, False),  # mismatched types: false, not a crash
        ("visited('risk') or chose('cave')", {"chosen": {"cave"}}, True),
        ("chose('opening.2')", {"chosen": {"opening.2"}}, True),
        ("turns == 0 and (trust < 10 or true)", {}, True),
        ("0 < trust < 60", {}, True),
        ("trust >= -5", {"trust": 0}, True),
        ("false", {}, False),
    ],
)
def test_evaluates(src: str, facts: dict[str, Any], expected: bool) -> None:
    assert holds(src, **facts) is expected


@pytest.mark.parametrize(
    "src, code, words",
    [
        ("__import__('os').system('touch /tmp/parley-pwned')", "P134", "not allowed"),
        ("open('/etc/passwd')", "P134", "calling 'open' is not allowed"),
        ("trust.__class__", "P134", "attribute access"),
        ("[x for x in ()]", "P134", "not part of the condition language"),
        ("(lambda: 1)()", "P134", "not allowed"),
        ("flags['x']", "P134", "indexing"),
        ("trust + 1 > 2", "P134", "arithmetic"),
        ("trust >= 50 && mood", "P130", "does not parse"),
        ("", "P130", "empty"),
        ("trus >= 50", "P131", "did you mean 'trust'?"),
        ("hierarchy >= 'boss'", "P133", "'boss' is not a hierarchy rung"),
        ("trust_level == 'friendly'", "P133", "not a trust level"),
        ("hierarchy > 2", "P133", "in quotes"),
        ("visited('nowhere')", "P132", "no node 'nowhere'"),
        ("chose('cav')", "P132", "no choice 'cav'"),
        ("visited(risk)", "P134", "one id in quotes"),
        ("'x' in 'xy'", "P134", "operator 'in'"),
    ],
)
def test_refuses_with_code(src: str, code: str, words: str) -> None:
    with pytest.raises(ConditionProblem) as info:
        compile_condition(src, HERE, CTX)
    assert info.value.code == code
    assert words in info.value.message + " " + (info.value.hint or "")


def test_code_in_a_condition_is_never_executed(tmp_path: Any) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(ConditionProblem):
        compile_condition(f"__import__('os').system('touch {marker}')", HERE, CTX)
    assert not marker.exists()


def test_reports_what_it_reads() -> None:
    cond = compile_condition(
        "trust > 3 and visited('risk') and not chose('cave') and mood", HERE, CTX
    )
    assert cond.names == {"trust", "mood"}
    assert cond.visited_nodes == {"risk"} and cond.chosen_ids == {"cave"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_compiles_or_is_refused_with_a_code(src: str) -> None:
    try:
        cond = compile_condition(src, HERE, CTX)
    except ConditionProblem as exc:
        assert exc.code.startswith("P13")
    else:
        cond.holds(Facts())  # whatever compiled must evaluate without raising


def test_the_authoring_guide_lists_exactly_the_registered_functions() -> None:
    """docs/authoring.md's conditions table names every function of the registry, and no
    other (a new function is one entry in engine.conditions.FUNCTIONS plus this line)."""
    import re
    from pathlib import Path

    from engine.conditions import FUNCTIONS

    guide = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text()
    (row,) = [line for line in guide.splitlines() if line.startswith("| functions:")]
    cell = row.split("|")[1]
    assert re.findall(r"`(\w+)\('(\w+)'\)`", cell) == [
        (f.name, f.names) for f in FUNCTIONS.values()
    ]
    for f in FUNCTIONS.values():
        assert f.meaning in cell
