"""Scripted plays of extra-pair-of-hands: one per outcome, plus how the ladder shapes the story.

Trust starts at 40 and the rung at order-taker; `peer` requires trust >= 55 and
`trusted-advisor` requires trust >= 75.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.helpers import offered, play

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "extra-pair-of-hands.yaml"


SUCCESS = [
    "ask_steerco_goal",  # 45, up -> service-provider
    "check_install_window",  # 50
    "flag_overrun",  # 55, up -> peer (55 >= 55)
    "lay_out_options",  # 60 (Rob was curious: trust >= 50)
    "recommend_amber",  # 65, already peer
    "accept_and_prep",  # 70 (Rob invited you: trust >= 60)
    "propose_split",  # 75, up -> trusted-advisor (75 >= 75)
]
PARTIAL = ["on_it", "status_only", "bail_rob_out"]
FAILURE = ["not_my_job", "escalate_to_marta"]


@pytest.mark.parametrize(
    ("ids", "ending", "outcome", "trust", "rung"),
    [
        (SUCCESS, "ending_right_hand", "success", 75, "trusted-advisor"),
        (PARTIAL, "ending_rescued", "partial", 54, "order-taker"),
        (FAILURE, "ending_reassigned", "failure", 22, "order-taker"),
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
    assert conv.scores == {"situation": 7, "options": 4, "recommendation": 5, "engagement": 8}
    assert conv.blocked == []


def test_requires_blocks_peer_and_hides_the_peer_proposal(scenario) -> None:
    conv = play(scenario, ["ask_steerco_goal", "keep_it_simple", "flag_overrun"])  # trust 52
    assert conv.rung == "service-provider"
    assert [(b.choice, b.to_rung) for b in conv.blocked] == [("flag_overrun", "peer")]
    assert conv.node.id == "rob_curious"
    # a strong recommendation later, with trust 62, does reach peer
    for choice_id in ["lay_out_options", "recommend_amber"]:
        conv.choose(choice_id)
    assert conv.rung == "peer"
    conv.choose("accept_and_prep")
    assert conv.node.id == "role_talk"
    assert "propose_split" in offered(conv)
    conv.choose("ask_what_helps")
    assert conv.node.id == "ending_partner"
    assert conv.outcome == "success"


def test_rung_gates_the_proposal(scenario) -> None:
    # reached role_talk without ever being treated as a peer: no proposal on offer
    conv = play(
        scenario,
        [
            "on_it",
            "gossip_overrun",
            "insist_exception",
            "offer_joint_flag",  # 42, 37, 29, 37
            "recommend_amber",
            "numbers_plus_note",
        ],  # 42: the jump to peer is blocked; 47
    )
    assert conv.node.id == "role_talk"
    assert conv.rung == "order-taker"
    assert [(b.choice, b.to_rung) for b in conv.blocked] == [("recommend_amber", "peer")]
    assert "propose_split" not in offered(conv)
    assert "rob_hesitant" in conv.path  # trust below 60: Rob presents it himself


def test_trust_changes_robs_reaction(scenario) -> None:
    curious = play(scenario, ["ask_steerco_goal", "check_install_window", "flag_overrun"])
    assert curious.node.id == "rob_curious"
    dismissive = play(scenario, ["on_it", "flag_overrun"])  # 47
    assert dismissive.node.id == "rob_dismissive"


def test_told_you_so_needs_a_tuesday_flag(scenario) -> None:
    silent = play(scenario, ["on_it", "status_only"])
    assert silent.node.id == "steerco_surprise"
    assert "i_told_him" not in offered(silent)  # you never raised it
    flagged = play(scenario, ["on_it", "flag_overrun", "accept_dismissal"])
    assert flagged.node.id == "steerco_surprise"
    assert "i_told_him" in offered(flagged)
