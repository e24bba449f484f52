"""Scripted plays of quiet-expert: one per outcome, plus the rules that shape the story.

Numbers are worked out by hand from scenarios/quiet-expert.yaml: trust (Ingrid's sense that it
is safe to speak) starts at 35; the rung starts at coordinator on the ladder
note-taker < coordinator < facilitator < trusted-advisor; facilitator requires trust >= 40 and
trusted-advisor requires trust >= 60. Ending `final` leads to success only when the plan is
phased, trust >= 60 and the detail met the whole (visited detail_meets_whole).
"""

from __future__ import annotations

from pathlib import Path

from tests.scenarios.helpers import offered, play

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "quiet-expert.yaml"


# ----------------------------------------------------------------------------- success

SUCCESS = [
    "frame-the-decision",  # 40, up -> facilitator (40 >= 40 holds)
    "say-more",  # 50 -> data_question: 50 >= 45, Ingrid opens -> magnus_pushback
    "test-the-number",  # 60, up -> trusted-advisor (60 >= 60 holds)
    "connect-to-petra",  # 65, up at the top: no move
    "open-options",  # 70
    "recommend-b-with-gate",  # plan_phased (offered from facilitator up)
    "name-owners",  # 75 -> door: 75 >= 50 -> door_open
    "agree-a-channel",  # 85 -> final: phased, 85 >= 60, detail visited
]


def test_success_decision_made(scenario) -> None:
    conv = play(scenario, SUCCESS)
    assert conv.ended
    assert conv.node.id == "decision_made"
    assert conv.outcome == "success"
    assert conv.trust == 85
    assert conv.rung == "trusted-advisor"
    assert conv.scores == {"situation": 9, "options": 3, "recommendation": 3, "engagement": 11}
    assert conv.blocked == []
    assert conv.turns == 8


# ----------------------------------------------------------------------------- partial

PARTIAL_THIN_ICE = [
    "frame-the-decision",  # 40, facilitator
    "say-more",  # 50
    "test-the-number",  # 60, trusted-advisor
    "summarise-the-detail",  # 65
    "open-options",  # 70
    "recommend-b-with-gate",  # plan_phased
    "carry-it-all",  # 65 -> door_open
    "lesson-for-her",  # 50 -> final: phased but 50 < 60
]


def test_partial_right_call_on_thin_ice(scenario) -> None:
    conv = play(scenario, PARTIAL_THIN_ICE)
    assert conv.ended
    assert conv.node.id == "right_call_thin_ice"
    assert conv.outcome == "partial"
    assert conv.trust == 50
    assert conv.scores == {"situation": 9, "options": 3, "recommendation": 3, "engagement": 1}


PARTIAL_MARCH = [
    "frame-the-decision",  # 40, facilitator
    "say-more",  # 50
    "split-the-difference",  # 45 -> binary_vote
    "accept-march",  # plan_march
    "minutes-tonight",  # 45 -> door: 45 < 50 -> door_guarded
    "defend-the-process",  # 40 -> final: not phased
]


def test_partial_march_with_eyes_open(scenario) -> None:
    conv = play(scenario, PARTIAL_MARCH)
    assert conv.ended
    assert conv.node.id == "march_eyes_open"
    assert conv.outcome == "partial"
    assert conv.trust == 40
    assert "door_guarded" in conv.path and "door_open" not in conv.path


def test_partial_approved_then_discovered(scenario) -> None:
    conv = play(scenario, ["approve-on-silence", "check-afterwards"])  # 30, 30
    assert conv.ended
    assert conv.node.id == "approved_with_caveat"
    assert conv.outcome == "partial"


# ----------------------------------------------------------------------------- failure


def test_failure_approved_in_silence(scenario) -> None:
    conv = play(scenario, ["approve-on-silence", "let-it-stand"])  # 30
    assert conv.ended
    assert conv.node.id == "silent_approval"
    assert conv.outcome == "failure"
    assert conv.trust == 30
    assert conv.rung == "coordinator"
    assert conv.scores == {"situation": -2, "options": -1, "recommendation": -2, "engagement": -3}


TOO_LATE = [
    "put-ingrid-on-the-spot",  # 25
    "take-her-word",  # 20 -> magnus_moves_on
    "reopen-the-item",  # 25, up -> facilitator BLOCKED (needs 40)
    "reassure-the-room",  # 15 -> data_question: 15 < 45 -> ingrid_hedges
    "demand-yes-or-no",  # 5 -> ingrid_shuts_down
    "own-the-pressure",  # 20 -> second_chance: 20 < 30 -> too_late
]


def test_failure_too_late_to_be_safe(scenario) -> None:
    conv = play(scenario, TOO_LATE)
    assert conv.ended
    assert conv.node.id == "too_late"
    assert conv.outcome == "failure"
    assert conv.trust == 20
    assert conv.rung == "coordinator"
    assert [(m.choice, m.from_rung, m.to_rung) for m in conv.blocked] == [
        ("reopen-the-item", "coordinator", "facilitator"),
    ]


def test_failure_taken_offline(scenario) -> None:
    conv = play(scenario, SUCCESS[:3] + ["summarise-the-detail", "open-options", "stay-neutral"])
    assert conv.ended
    assert conv.node.id == "no_decision"
    assert conv.outcome == "failure"


# ----------------------------------------------------------------------------- the rules at work


def test_trust_decides_whether_ingrid_opens_up(scenario) -> None:
    opens = play(scenario, ["frame-the-decision", "say-more"])  # 50 >= 45
    assert opens.node.id == "magnus_pushback"
    assert "ingrid_opens" in opens.path
    hedges = play(scenario, ["frame-the-decision", "cite-vendor-report"])  # 40 < 45
    assert hedges.node.id == "ingrid_hedges"


def test_naming_the_pattern_needs_standing_and_trust(scenario) -> None:
    # facilitator and trust 50: offered
    conv = play(scenario, ["frame-the-decision", "say-more"])
    assert "name-the-pattern" in offered(conv)
    # coordinator (the climb was never made), trust 45: hidden
    conv = play(scenario, ["put-ingrid-on-the-spot", "repair-and-widen", "say-more"])
    assert conv.node.id == "magnus_pushback"
    assert conv.rung == "coordinator" and conv.trust == 45
    assert "name-the-pattern" not in offered(conv)


def test_recommendation_depends_on_the_rung(scenario) -> None:
    low = play(
        scenario,
        [
            "put-ingrid-on-the-spot",
            "take-her-word",
            "reopen-the-item",
            "say-more",
            "call-a-break",
            "appeal-to-duty",
            "own-the-pressure",
            "side-with-sponsor",
            "reopen-the-number",
            "summarise-the-detail",
            "open-options",
        ],
    )
    assert low.node.id == "options_table"
    assert low.rung == "note-taker"
    assert offered(low) == ["suggest-b-tentatively", "recommend-a", "stay-neutral"]
    high = play(scenario, SUCCESS[:5])
    assert offered(high) == ["recommend-b-with-gate", "recommend-a", "stay-neutral"]


def test_longest_play_has_fifteen_decisions(scenario) -> None:
    conv = play(
        scenario,
        [
            "put-ingrid-on-the-spot",
            "take-her-word",
            "reopen-the-item",
            "say-more",
            "call-a-break",
            "appeal-to-duty",
            "own-the-pressure",
            "side-with-sponsor",
            "reopen-the-number",
            "summarise-the-detail",
            "binary-vote",
            "third-option",
            "suggest-b-tentatively",
            "minutes-tonight",
            "defend-the-process",
        ],
    )
    assert conv.ended
    assert conv.turns == 15
    assert conv.node.id == "right_call_thin_ice"
    assert conv.outcome == "partial"
