"""Scripted plays of gate-waiver: two different good endings, both defensible, and the
debrief that says so; a partial and failures; the Dutch text.

Worked out by hand from scenarios/gate-waiver.yaml: trust starts at 45; a success needs the
route's key decisions with no `gap` (the sponsor's own signature, a dated condition on the board
summary; or the sponsor deciding the standby cost and a delegated gate decision), no hidden
risk, and trust >= 60. Trust moves in steps of 3, which keeps the state graph small enough
for `parley export --web` (about 1,150 states).
Plays go through the real `parley play --choices … --json`, as an author would run them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.difficulty import measure
from engine.feedback.layout import flat
from engine.loader import load_scenario
from tests.cli import parley

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "gate-waiver.yaml"

TRUNK = [
    "hear_it_out",  # 48
    "find_exposure",  # 51
    "sponsor_owns",  # 54, peer
    "read_letter",  # 57
    "ask_scoped",  # 60
    "not_different",  # 63
]
CONDITIONAL = [
    *TRUNK,
    "propose_conditional",  # 66
    "a_stop_line",  # 69
    "a_joost_owns",  # 72
    "a_hester_signs",  # 75 (countersigning sets `gap`)
    "a_on_summary",  # 75
    "a_fix_first",  # 78
    "a_asks",  # 81
]
FAST_TRACK = [
    *TRUNK,
    "propose_fast_track",  # 66
    "b_tell_together",  # 69
    "b_rest_queued",  # 72
    "b_hester_decides",  # 75 (the contingency or the invoices set `gap`)
    "b_delegated",  # 78
    "b_reframe",  # 81
    "b_asks",  # 84
]


def play(choices: list[str], *extra: str) -> dict[str, Any]:
    out = parley("play", str(PATH), "--choices", ",".join(choices), "--json", *extra)
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def test_a_typical_route_has_twelve_or_more_decisions() -> None:
    assert len(CONDITIONAL) == len(FAST_TRACK) == 13


def test_success_a_conditional_pass_with_the_risk_in_daylight() -> None:
    got = play(CONDITIONAL)
    assert (got["ending"], got["outcome"], got["trust"]) == (
        "ending_conditional_pass",
        "success",
        81,
    )
    assert got["flags"] == {}  # no gap, no hidden risk
    d = got["debrief"]
    assert d["total"]["percent"] == 100
    assert d["road_not_taken"] == []


def test_success_a_held_gate_with_a_fast_tracked_review() -> None:
    got = play(FAST_TRACK)
    assert (got["ending"], got["outcome"], got["trust"]) == ("ending_fast_track", "success", 84)
    d = got["debrief"]
    assert d["total"]["percent"] == 100
    # choosing the hold over the conditional pass is not a road not taken
    assert d["road_not_taken"] == []


@pytest.mark.parametrize(
    ("choices", "reached", "other"),
    [
        (CONDITIONAL, "ending_conditional_pass", "ending_fast_track"),
        (FAST_TRACK, "ending_fast_track", "ending_conditional_pass"),
    ],
)
def test_the_debrief_says_both_good_endings_are_defensible(
    choices: list[str], reached: str, other: str
) -> None:
    d = play(choices)["debrief"]
    by_id = {x["id"]: x for x in d["defensible"]}
    assert set(by_id) == {reached, other}
    assert by_id[reached]["reached"] is True and by_id[other]["reached"] is False
    assert "regulator's date is safe" in by_id["ending_conditional_pass"]["trade_off"]
    assert "the price is a week" in by_id["ending_fast_track"]["trade_off"]
    # each good ending has its own model route, and they part at the fork
    routes = {x["id"]: x["model_choices"] for x in d["defensible"]}
    assert routes["ending_conditional_pass"][6] == "propose_conditional"
    assert routes["ending_fast_track"][6] == "propose_fast_track"

    text = parley("play", str(PATH), "--choices", ",".join(choices))
    said = flat(text.stdout)
    assert "These are equally defensible, and each gives something up:" in said
    assert "Held for a week, reviewed where it matters" in said
    assert "Through the gate, with the risk in daylight" in said
    yours = "Through the gate, with the risk in daylight (yours):"
    if reached == "ending_fast_track":
        yours = "Held for a week, reviewed where it matters (yours):"
    assert yours in said


def test_a_failed_play_is_shown_both_good_endings() -> None:
    got = play(["to_follow", "go_tell"])
    assert (got["ending"], got["outcome"]) == ("ending_waved_through", "failure")
    d = got["debrief"]
    assert [x["reached"] for x in d["defensible"]] == [False, False]
    assert {x["title"] for x in d["defensible"]} == {
        "Through the gate, with the risk in daylight",
        "Held for a week, reviewed where it matters",
    }


def test_partial_a_condition_without_the_sponsors_signature() -> None:
    choices = [*CONDITIONAL[:9], "a_countersign", *CONDITIONAL[10:]]
    got = play(choices)
    assert (got["ending"], got["outcome"]) == ("ending_conditions_unowned", "partial")


def test_partial_the_hold_that_waits_for_the_board() -> None:
    choices = [*FAST_TRACK[:10], "b_next_board", *FAST_TRACK[11:]]
    got = play(choices)
    assert (got["ending"], got["outcome"]) == ("ending_hold_drifts", "partial")


def test_partial_two_options_and_no_recommendation() -> None:
    got = play([*TRUNK, "both_to_board"])
    assert (got["ending"], got["outcome"]) == ("ending_board_decides", "partial")


def test_failure_a_rubber_stamp_that_hides_the_risk() -> None:
    choices = [*CONDITIONAL[:10], "a_show_green", *CONDITIONAL[11:]]
    got = play(choices)
    assert (got["ending"], got["outcome"]) == ("ending_rubber_stamp", "failure")
    assert got["trust"] >= 60  # Joost is happy: the failure is the hidden risk, not the mood


def test_failure_a_rigid_refusal_sends_the_project_round_the_gate() -> None:
    got = play([*TRUNK, "no_room", "dare_him"])
    assert (got["ending"], got["outcome"]) == ("ending_round_the_gate", "failure")
    # a refusal at the start can still be taken back, once
    early = play(["flat_no", "ten_minutes", *TRUNK[1:], "propose_fast_track"])
    assert early["ended"] is False and early["path"][-1] == "b_reaction"


def test_a_quiet_yes_can_be_taken_back() -> None:
    got = play(["to_follow", "reopen", *TRUNK[1:], *CONDITIONAL[6:]])
    assert (got["ending"], got["outcome"]) == ("ending_conditional_pass", "success")
    assert got["flags"] == {}


def test_the_declared_difficulty_is_what_the_evidence_says() -> None:
    sc = load_scenario(PATH)
    d = measure(sc)
    assert sc.difficulty == d.expected
    assert d.expected == 2 and 0.01 <= d.random_success < 0.10


def test_the_dutch_text_plays_and_its_debrief_says_so_in_dutch() -> None:
    got = play(FAST_TRACK, "--lang", "nl")
    assert (got["ending"], got["outcome"]) == ("ending_fast_track", "success")
    titles = {x["id"]: x["title"] for x in got["debrief"]["defensible"]}
    assert titles == {
        "ending_conditional_pass": "Door de poort, met het risico in het volle licht",
        "ending_fast_track": "Een week dicht, getoetst waar het ertoe doet",
    }
    said = flat(parley("play", str(PATH), "--lang", "nl", "--choices", ",".join(FAST_TRACK)).stdout)
    assert "Hier is meer dan één afloop een goed antwoord." in said
    assert "Een week dicht, getoetst waar het ertoe doet (jouw afloop):" in said
    assert "Joost Verhagen: Wat stel je dan voor?" in said
