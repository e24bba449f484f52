"""Scripted plays of the flagship scenario budget-cut: one per outcome, plus the rules it shows off.

The expected numbers are worked out by hand from scenarios/budget-cut.yaml (trust starts at 45,
rung at service-provider; `trusted-advisor` requires trust >= 70).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.helpers import offered, play

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "budget-cut.yaml"


# ----------------------------------------------------------------------------- success

SUCCESS_ADVISOR = [
    "ask_two_minutes",  # 50
    "three_numbers",  # 55, up -> peer
    "three_options",  # 60
    "shared_facts_vendor",  # 65
    "recommend_focused",  # 70, up -> trusted-advisor (70 >= 70 holds)
    "fallback_benelux",  # 75, up at the top: no move
    "come_to_prebrief",  # 80 (offered only to a trusted-advisor)
    "clear_asks",  # 85
]


def test_success_trusted_advisor(scenario) -> None:
    conv = play(scenario, SUCCESS_ADVISOR)
    assert conv.ended
    assert conv.node.id == "ending_trusted_advisor"
    assert conv.outcome == "success"
    assert conv.trust == 85
    assert conv.rung == "trusted-advisor"
    assert conv.scores == {"situation": 10, "options": 5, "recommendation": 6, "engagement": 7}
    assert conv.blocked == []
    # trust >= 65 and no cut agreed: Dana buys in without asking for proof
    assert "dana_buys_in" in conv.path and "prove_it" not in conv.path


SUCCESS_FOCUSED = [
    "ask_two_minutes",  # 50
    "three_numbers",  # 55, peer
    "three_options",  # 60
    "blame_vendor",  # 55
    "recommend_focused",  # 60, up -> trusted-advisor BLOCKED (needs 70)
    "exit_criteria",  # 68 (Dana asked for proof: trust < 65)
    "promise_weekend",  # 65
    "offer_numbers",  # 67
    "clear_asks",  # 72
]


def test_success_focused_cycle(scenario) -> None:
    conv = play(scenario, SUCCESS_FOCUSED)
    assert conv.ended
    assert conv.node.id == "ending_focused_cycle"
    assert conv.outcome == "success"
    assert conv.trust == 72
    assert conv.rung == "peer"
    assert conv.scores == {"situation": 6, "options": 3, "recommendation": 4, "engagement": 3}
    assert "prove_it" in conv.path and "dana_buys_in" not in conv.path


# ----------------------------------------------------------------------------- partial

PARTIAL = [
    "ask_two_minutes",  # 50
    "three_numbers",  # 55, peer
    "whatever_you_decide",  # 52, down -> service-provider
    "risk_acceptance",  # 55
]


def test_partial_cut_with_eyes_open(scenario) -> None:
    conv = play(scenario, PARTIAL)
    assert conv.ended
    assert conv.node.id == "ending_cut_eyes_open"
    assert conv.outcome == "partial"
    assert conv.trust == 55
    assert conv.rung == "service-provider"
    assert conv.scores == {"situation": 5, "options": 1, "recommendation": -1, "engagement": 1}


# ----------------------------------------------------------------------------- failure

FAILURE = ["cave", "leave_it"]  # 40, down -> order-taker


def test_failure_silent_cut(scenario) -> None:
    conv = play(scenario, FAILURE)
    assert conv.ended
    assert conv.node.id == "ending_silent_cut"
    assert conv.outcome == "failure"
    assert conv.trust == 40
    assert conv.rung == "order-taker"
    assert conv.scores == {"situation": -2, "options": -1, "recommendation": -3, "engagement": -2}
    assert conv.flags.get("testing_cut") is True


# ----------------------------------------------------------------------------- the rules at work


def test_requires_blocks_the_climb_to_trusted_advisor(scenario) -> None:
    conv = play(scenario, SUCCESS_FOCUSED[:4])
    assert conv.trust == 55 and conv.rung == "peer"
    conv.choose("recommend_focused")  # trust 60 < 70
    assert conv.rung == "peer"
    assert len(conv.blocked) == 1
    move = conv.blocked[0]
    assert (move.node, move.choice, move.from_rung, move.to_rung) == (
        "options_on_table",
        "recommend_focused",
        "peer",
        "trusted-advisor",
    )
    # a rung-gated choice stays hidden: only a trusted-advisor may offer to come to the pre-brief
    for choice_id in SUCCESS_FOCUSED[5:7]:
        conv.choose(choice_id)
    assert conv.node.id == "board_framing"
    assert "come_to_prebrief" not in offered(conv)
    assert "draft_board_note" in offered(conv)


def test_trust_changes_what_dana_says(scenario) -> None:
    listened = play(scenario, ["ask_two_minutes", "three_numbers"])  # 55
    assert listened.node.id == "dana_listens"
    impatient = play(scenario, ["ask_two_minutes", "test_plan_walkthrough"])  # 45
    assert impatient.node.id == "dana_impatient"


def test_escalation_is_offered_only_to_a_peer(scenario) -> None:
    peer = play(scenario, ["ask_two_minutes", "three_numbers", "only_option_delay"])
    assert peer.rung == "peer"
    assert "escalate_to_steerco" in offered(peer)
    peer.choose("escalate_to_steerco")
    assert peer.node.id == "ending_escalation_backfires"
    assert peer.outcome == "failure"

    provider = play(
        scenario, ["lecture_risk", "reset_facts", "test_plan_walkthrough", "repeat_numbers_louder"]
    )
    assert provider.node.id == "date_fight"
    assert provider.rung == "service-provider"
    assert offered(provider) == ["hold_the_line", "widen_options"]


def test_reopening_after_caving_is_a_one_time_chance(scenario) -> None:
    conv = play(scenario, ["cave"])
    assert "reopen_risk" in offered(conv)
    for choice_id in ["reopen_risk", "three_numbers", "cave_under_pressure"]:
        conv.choose(choice_id)
    assert conv.node.id == "after_cave"
    assert "reopen_risk" not in offered(conv)  # not visited('show_risk') no longer holds


def test_spin_is_found_out(scenario) -> None:
    conv = play(
        scenario,
        [
            "ask_two_minutes",
            "three_numbers",
            "three_options",
            "shared_facts_vendor",
            "recommend_focused",
            "fallback_benelux",
            "spin_it",
            "clear_asks",
        ],
    )
    assert conv.node.id == "ending_spin_found_out"
    assert conv.outcome == "failure"


def test_longest_play_has_twelve_decisions(scenario) -> None:
    conv = play(
        scenario,
        [
            "lecture_risk",
            "apologise_and_cave",
            "reopen_risk",
            "fear_story",
            "repeat_numbers_louder",
            "widen_options",
            "shared_facts_vendor",
            "recommend_focused",
            "blame_history",
            "fallback_benelux",
            "offer_numbers",
            "clear_asks",
        ],
    )
    assert conv.ended
    assert conv.turns == 12
    assert conv.node.id == "ending_plan_no_owner"
    assert conv.outcome == "partial"


@pytest.mark.parametrize("lang", ["en", "nl", "sv"])
def test_every_text_is_translated(scenario, lang: str) -> None:
    assert scenario.languages == frozenset({"en", "nl", "sv"})
    for node in scenario.nodes.values():
        assert lang in node.text.languages, node.id
        if node.narration is not None:
            assert lang in node.narration.languages, node.id
        for choice in node.choices:
            assert lang in choice.text.languages, choice.id
            assert choice.feedback is not None and lang in choice.feedback.languages, choice.id
        if node.ending is not None:
            assert lang in node.ending.title.languages, node.id
            assert lang in node.ending.debrief.languages, node.id
