"""YAML mistakes explained in the author's terms: the likely cause and the line to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.diagnostics import Diagnostic
from engine.errors import ScenarioLoadError
from engine.loader import load_scenario_text

FIXTURE = Path(__file__).parent / "fixtures" / "tui_small.yaml"
SCENARIOS = Path(__file__).parent.parent / "scenarios"
TEXT = FIXTURE.read_text(encoding="utf-8")


def problem(text: str) -> Diagnostic:
    with pytest.raises(ScenarioLoadError) as exc:
        load_scenario_text(text, "s.yaml", base_dir=SCENARIOS)
    return exc.value.diagnostics[0]


def edit(old: str, new: str) -> str:
    assert TEXT.count(old) == 1, old
    return TEXT.replace(old, new)


def test_a_key_indented_less_than_its_block() -> None:
    d = problem(edit("        to: agreed\n", "      to: agreed\n"))
    assert d.code == "P101"
    assert (d.location.line, d.location.col) == (33, 7)
    assert d.message == (
        "'to:' starts in column 7, but 'feedback:' on line 32 starts in column 9: "
        "keys of one block must line up"
    )
    assert d.hint is not None and "indent 'to:' to column 9" in d.hint
    assert "<block end>" not in d.message


def test_a_key_indented_more_than_the_line_above() -> None:
    d = problem(edit("        to: agreed\n", "          to: agreed\n"))
    assert d.location.line == 33
    assert d.message == (
        "'to:' starts in column 11, but 'feedback:' on line 32 starts in column 9: "
        "keys of one block must line up"
    )
    assert d.hint is not None and "indent 'to:' to column 9" in d.hint


def test_a_list_item_indented_differently_from_the_items_above() -> None:
    d = problem(edit("      - id: trade\n", "     - id: trade\n"))
    assert d.location.line == 34
    assert d.message.startswith("this list item ('- id: trade') starts in column 6")
    assert "the items above it start in column 7 (line 28)" in d.message
    assert d.hint == "indent the '-' to column 7, like the item on line 28"
    assert "<block sequence start>" not in d.message


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    d = problem(
        edit(
            'text: {en: "Sure, tomorrow it is.", nl: "Prima, morgen dan."}', 'text: "Sure, tomorrow'
        )
    )
    assert (d.location.line, d.location.col) == (29, 15)  # the opening quote, not the end
    assert d.message.startswith('a " opened on line 29 is not closed on that line')
    assert d.hint is not None and d.hint.startswith('close the text with "')


def test_a_quote_open_at_the_end_of_the_file() -> None:
    d = problem(TEXT + 'extra: "never closed\n')
    assert d.location.line == TEXT.count("\n") + 1
    assert "is not closed" in d.message or "is never closed" in d.message


def test_a_comma_inside_braces_is_explained_as_a_cut_value() -> None:
    d = problem(
        edit(
            "{name: Kim, role: {en: Manager, nl: Manager}}",
            "{name: Kim, role: Team Lead, Data Platform}",
        )
    )
    assert d.code == "P110"
    assert d.message.startswith("unknown key 'Data Platform'")
    assert d.location.line == 14
    assert d.hint is not None and "inside { } a comma starts a new key" in d.hint
    assert 'quote a value that has one (role: "Team Lead, Data Platform")' in d.hint


def test_a_text_with_a_colon_still_gets_its_quoting_hint() -> None:
    d = problem(edit("narration: {en:", "narration: Kim says: hi\n    other: {en:"))
    assert d.code in ("P101", "P110")


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("trust => 90", "'=>' is not an operator here; for 'at least' write: trust >= 90"),
        ("trust =< 90", "'=<' is not an operator here; for 'at most' write: trust <= 90"),
        ("trust = 90", "'=' sets nothing in a condition; to compare, write: trust == 90"),
    ],
)
def test_an_operator_from_another_language_gets_the_condition_as_it_should_read(
    written: str, hint: str
) -> None:
    d = problem(edit('trusted-advisor: "trust >= 90"', f'trusted-advisor: "{written}"'))
    assert d.code == "P130" and d.location.line == 20
    assert d.hint == hint
