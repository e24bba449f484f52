"""Scripted plays of stepping-stone (principled negotiation, en/nl): one per outcome, plus rules.

Numbers are worked out by hand from scenarios/stepping-stone.yaml: trust (Frank's belief that you
argue for Noor, not for your turf) starts at 45; the rung starts at service-provider on the
default ladder; peer requires trust >= 50 and trusted-advisor trust >= 70. Ending `final`: success
needs an agreed sentence, an agreed objective criterion and trust >= 70.
"""

from __future__ import annotations

from pathlib import Path

from tests.scenarios.helpers import offered, play

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "stepping-stone.yaml"


# ----------------------------------------------------------------------------- success

SUCCESS = [
    "glad-and-curious",  # 50
    "mirror-his-interests",  # 60, up -> peer (60 >= 50)
    "agree-and-redraw",  # 65, up -> trusted-advisor BLOCKED (65 < 70)
    "two-routes",  # (frank_challenge: 65 >= 55 -> show_me) 70
    "ask-her-together",  # 75, up -> trusted-advisor (75 >= 70)
    "why-not-both",  # 80, offered from peer up
    "go-to-hr-together",  # 85, offered from peer up with trust >= 60; criteria_agreed
    "write-both-routes",  # agreed
    "neither-am-i",  # 95 -> final: agreed, criteria, 95 >= 70
]


def test_success_a_route_not_a_stepping_stone(scenario) -> None:
    conv = play(scenario, SUCCESS)
    assert conv.ended
    assert conv.node.id == "profession_recognised"
    assert conv.outcome == "success"
    assert conv.trust == 95
    assert conv.rung == "trusted-advisor"
    assert conv.scores == {"people": 8, "interests": 12, "options": 5, "criteria": 5}
    assert [(m.choice, m.to_rung) for m in conv.blocked] == [
        ("agree-and-redraw", "trusted-advisor")
    ]


RECOVERY = [
    "defend-the-profession",  # 35, down -> order-taker
    "reset-the-tone",  # 45
    "mirror-his-interests",  # 55, up -> service-provider
    "agree-and-redraw",  # 60, up -> peer (60 >= 50)
    "two-routes",  # (60 >= 55 -> show_me) 65
    "ask-her-together",  # 70, up -> trusted-advisor (70 >= 70)
    "brainstorm-first",
    "apply-existing-rule",  # 75, criteria_agreed
    "write-both-routes",  # agreed
    "cross-that-bridge",  # 75 -> final: success
]


def test_success_after_a_defensive_start(scenario) -> None:
    conv = play(scenario, RECOVERY)
    assert conv.ended
    assert conv.node.id == "profession_recognised"
    assert conv.outcome == "success"
    assert conv.trust == 75
    assert conv.rung == "trusted-advisor"
    assert conv.turns == 10


# ----------------------------------------------------------------------------- partial

ONE_ANALYST = [
    "glad-and-curious",
    "mirror-his-interests",
    "agree-and-redraw",
    "two-routes",  # 70
    "speak-for-noor",  # 65
    "single-answer",
    "push-hr-harder",  # no objective criterion agreed
    "write-both-routes",  # agreed
    "cross-that-bridge",  # 65 -> final: agreed, no criteria
]


def test_partial_a_choice_for_noor_not_yet_a_profession(scenario) -> None:
    conv = play(scenario, ONE_ANALYST)
    assert conv.ended
    assert conv.node.id == "one_analyst"
    assert conv.outcome == "partial"
    assert conv.trust == 65
    assert conv.rung == "peer"
    assert conv.scores == {"people": 2, "interests": 8, "options": 1, "criteria": 2}


def test_partial_won_the_point(scenario) -> None:
    conv = play(
        scenario,
        SUCCESS[:5] + ["brainstorm-first", "apply-existing-rule", "pmo-route-only", "neither-am-i"],
    )
    assert conv.ended
    assert conv.node.id == "won_the_point"
    assert conv.outcome == "partial"
    assert conv.flags.get("pmo_only") is True


# ----------------------------------------------------------------------------- failure


def test_failure_stepping_stone_confirmed(scenario) -> None:
    conv = play(scenario, ["wave-it-through", "tell-noor-to-go"])  # 50
    assert conv.ended
    assert conv.node.id == "stepping_stone_confirmed"
    assert conv.outcome == "failure"
    assert conv.trust == 50
    assert conv.scores == {"people": 1, "interests": -4, "options": -2, "criteria": -1}


def test_failure_turf_war(scenario) -> None:
    conv = play(scenario, ["defend-the-profession", "double-down"])  # 35, 25
    assert conv.ended
    assert conv.node.id == "standoff"
    assert conv.outcome == "failure"
    assert conv.trust == 25
    assert conv.rung == "order-taker"


def test_failure_back_to_the_default(scenario) -> None:
    conv = play(
        scenario,
        SUCCESS[:5] + ["brainstorm-first", "apply-existing-rule", "your-call", "neither-am-i"],
    )
    assert conv.ended
    assert conv.node.id == "back_to_default"
    assert conv.outcome == "failure"
    assert conv.trust == 90  # high trust does not save an agreement nobody wrote down


# ----------------------------------------------------------------------------- the rules at work


def test_trust_decides_how_frank_asks_for_the_path(scenario) -> None:
    curious = play(scenario, SUCCESS[:3])  # 65 >= 55
    assert curious.node.id == "show_me"
    sceptical = play(scenario, ["defend-the-profession", "fair-question"])  # 40 < 55
    assert sceptical.node.id == "prove_it"


def test_options_for_mutual_gain_need_a_peer(scenario) -> None:
    peer = play(scenario, SUCCESS[:5])
    assert peer.node.id == "options_table"
    assert "why-not-both" in offered(peer)
    provider = play(
        scenario,
        ["defend-the-profession", "fair-question", "use-the-architects-rule", "ask-her-together"],
    )  # order-taker -> service-provider
    assert provider.node.id == "options_table"
    assert provider.rung == "service-provider"
    assert offered(provider) == ["single-answer", "brainstorm-first", "meet-in-the-middle"]
    provider.choose("single-answer")
    assert "go-to-hr-together" not in offered(provider)


def test_reopening_after_a_quick_yes(scenario) -> None:
    conv = play(scenario, ["wave-it-through", "reopen-with-frank", "own-the-change"])
    assert conv.node.id == "frank_reasons"
    assert "noor_message" in conv.path


def test_plays_in_dutch(scenario) -> None:
    conv = play(scenario, SUCCESS, lang="nl")
    assert conv.outcome == "success"
    assert conv.ending is not None
    assert conv.ending.title.get("nl") == "Een route, geen springplank"


def test_longest_play_has_eleven_decisions(scenario) -> None:
    conv = play(
        scenario,
        [
            "wave-it-through",
            "reopen-with-frank",
            "own-the-change",
            "mirror-his-interests",
            "take-it-personally",
            "two-routes",
            "speak-for-noor",
            "single-answer",
            "push-hr-harder",
            "your-call",
            "she-wont-want-to",
        ],
    )
    assert conv.ended
    assert conv.turns == 11
    assert conv.node.id == "back_to_default"
    assert conv.outcome == "failure"
