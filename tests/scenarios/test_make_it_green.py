"""Scripted plays of make-it-green: one per outcome, plus the gates that shape the story.

Trust starts at 45 and the rung at service-provider; `peer` requires trust >= 50 and
`trusted-advisor` requires trust >= 70.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.helpers import offered, play

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "make-it-green.yaml"


SUCCESS = [
    "ask_what_changed",  # 48
    "facts_and_routes",  # 53, up -> peer
    "amber_conditions",  # 59 (Martin engages: trust >= 50)
    "replan_with_two",  # 63
    "scope_deep_dive",  # 68
    "offer_legal_call",  # 74
    "acknowledge_and_plan",  # 79, up -> trusted-advisor (Martin confides: trust >= 60)
    "brief_ingrid_together",  # 84 (offered to a peer or above)
]
PARTIAL = ["ask_what_changed", "fudge_amber", "route_to_dpo", "name_it_calmly", "transparent_plan"]
FAILURE = ["just_change_it", "drop_dpia_too"]


@pytest.mark.parametrize(
    ("ids", "ending", "outcome", "trust", "rung"),
    [
        (SUCCESS, "ending_trusted_counsel", "success", 84, "trusted-advisor"),
        (PARTIAL, "ending_amber_unearned", "partial", 62, "service-provider"),
        (FAILURE, "ending_green_wash", "failure", 48, "order-taker"),
    ],
    ids=["success", "partial", "failure"],
)
def test_scripted_outcomes(scenario, ids, ending, outcome, trust, rung) -> None:
    conv = play(scenario, ids)
    assert conv.ended
    assert conv.node.id == ending
    assert conv.outcome == outcome
    assert conv.trust == trust
    assert conv.rung == rung


def test_success_scores(scenario) -> None:
    conv = play(scenario, SUCCESS)
    assert conv.scores == {"situation": 10, "options": 7, "recommendation": 8, "engagement": 7}


def test_requires_blocks_peer_after_a_bad_start(scenario) -> None:
    conv = play(scenario, ["refuse_ethics", "reset_role"])  # 33 -> 41: Martin bargains
    assert conv.node.id == "martin_bargains"
    conv.choose("amber_if_evidence")  # 47 < 50
    assert conv.rung == "service-provider"
    assert [(b.choice, b.to_rung) for b in conv.blocked] == [("amber_if_evidence", "peer")]
    for choice_id in ["replan_with_two", "scope_deep_dive", "route_to_dpo", "name_it_calmly"]:
        conv.choose(choice_id)
    assert conv.node.id == "next_moves"
    assert "brief_ingrid_together" not in offered(conv)  # only a peer can offer that
    conv.choose("transparent_plan")
    assert conv.node.id == "ending_honest_amber"
    assert conv.outcome == "success"


def test_trust_gates_the_way_back_from_green(scenario) -> None:
    early = play(scenario, ["just_change_it"])  # 48
    assert "draw_line_now" in offered(early)
    late = play(scenario, ["refuse_ethics", "fold"])  # 33
    assert late.node.id == "after_green"
    assert "draw_line_now" not in offered(late)


def test_dpia_is_not_asked_twice(scenario) -> None:
    conv = play(scenario, ["just_change_it", "draw_line_now", "halfway_amber"])
    assert "after_green" in conv.path
    assert "dpia_twist" not in conv.path
    assert conv.node.id in ("martin_confides", "martin_threat")


def test_going_behind_his_back_fails(scenario) -> None:
    conv = play(scenario, [*SUCCESS[:-1], "secret_forward"])
    assert conv.node.id == "ending_behind_his_back"
    assert conv.outcome == "failure"
