"""Scripted plays of after-the-audit (SBI feedback): one per outcome, plus the rules at work.

Numbers are worked out by hand from scenarios/after-the-audit.yaml: trust (the Payments team's
trust in the PMO) starts at 30; the rung starts at auditor on the ladder
auditor < outsider < partner < ally; partner requires trust >= 50 and ally trust >= 75.
Ending `final`: success needs an ask, the red-day promise, clear rules and trust >= 80; breaking
the promise (flag-to-board after red-means-talk) or trust < 45 ends in failure.
"""

from __future__ import annotations

from pathlib import Path

from tests.scenarios.helpers import offered, play

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "after-the-audit.yaml"


# ----------------------------------------------------------------------------- success

SUCCESS = [
    "name-the-audit",  # 40, up -> outsider
    "reflect-it-back",  # 50
    "own-the-behaviour",  # 60, up -> partner (60 >= 50) -> first_impression: 60 >= 55
    "ask-their-rules",  # 70, rules_clear; up -> ally BLOCKED (70 < 75)
    "thank-and-ask",  # 80, up -> ally (80 >= 75)
    "ask-them-to-pilot",  # 85, offered to a partner with trust >= 70
    "red-means-talk",  # 90, promise_made
    "report-together",  # 100, reported_together
]


def test_success_they_tell_you_first(scenario) -> None:
    conv = play(scenario, SUCCESS)
    assert conv.ended
    assert conv.node.id == "team_tells_you_first"
    assert conv.outcome == "success"
    assert conv.trust == 100
    assert conv.rung == "ally"
    assert conv.scores == {"situation": 8, "behaviour": 3, "impact": 10, "request": 7}
    assert [(m.choice, m.to_rung) for m in conv.blocked] == [("ask-their-rules", "ally")]


SLOW_SUCCESS = [
    "not-my-audit",  # 30
    "ask-dev",  # 35
    "own-the-behaviour",  # 45, up -> outsider -> first_impression: 45 < 55 -> wary
    "come-back-later",  # 60 -> second_visit -> safe_enough
    "three-rules",  # 70, up -> partner
    "thank-and-ask",  # 80, up -> ally
    "ask-with-a-choice",
    "red-means-talk",  # 85
    "report-together",  # 95
]


def test_success_when_trust_sets_the_pace(scenario) -> None:
    conv = play(scenario, SLOW_SUCCESS)
    assert conv.ended
    assert conv.node.id == "team_tells_you_first"
    assert conv.outcome == "success"
    assert "wary" in conv.path and "second_visit" in conv.path


# ----------------------------------------------------------------------------- partial

TRUCE = [
    "name-the-audit",
    "reflect-it-back",
    "own-the-behaviour",  # 60, partner
    "three-rules",  # 70, rules_clear; ally BLOCKED
    "thank-and-ask",  # 80, ally
    "ask-with-a-choice",
    "wont-be-red",  # no promise made
    "thank-and-unblock",  # 90
]


def test_partial_working_truce(scenario) -> None:
    conv = play(scenario, TRUCE)
    assert conv.ended
    assert conv.node.id == "working_truce"
    assert conv.outcome == "partial"
    assert conv.trust == 90
    assert conv.scores == {"situation": 4, "behaviour": 4, "impact": 6, "request": 5}


def test_partial_kind_and_unclear(scenario) -> None:
    conv = play(scenario, TRUCE[:5] + ["let-them-off"])  # 85
    assert conv.ended
    assert conv.node.id == "let_off"
    assert conv.outcome == "partial"
    assert conv.trust == 85


# ----------------------------------------------------------------------------- failure


def test_failure_all_green_nothing_learned(scenario) -> None:
    conv = play(scenario, ["straight-to-the-ask", "accept-compliance"])  # 20
    assert conv.ended
    assert conv.node.id == "compliance"
    assert conv.outcome == "failure"
    assert conv.trust == 20
    assert conv.rung == "auditor"
    assert conv.scores == {"situation": 0, "behaviour": 0, "impact": -2, "request": -3}


def test_failure_breaking_the_promise(scenario) -> None:
    conv = play(scenario, TRUCE[:6] + ["red-means-talk", "flag-to-board"])  # 85, then 70
    assert conv.ended
    assert conv.trust == 70  # high enough for a truce, but the promise was broken
    assert conv.node.id == "back_to_auditors"
    assert conv.outcome == "failure"


def test_failure_back_to_the_auditors(scenario) -> None:
    conv = play(
        scenario,
        [
            "name-the-audit",  # 40
            "explain-the-context",  # 30
            "defend-colleagues",  # 20 -> wary
            "come-back-later",  # 35
            "vague-partner",
            "justify-the-invite",  # 25
            "mandate-it",  # 15
            "red-is-red",  # 5
            "why-so-late",
        ],  # 0 -> final: 0 < 45
    )
    assert conv.ended
    assert conv.node.id == "back_to_auditors"
    assert conv.outcome == "failure"
    assert conv.trust == 0
    assert conv.turns == 9


# ----------------------------------------------------------------------------- the rules at work


def test_trust_decides_whether_the_team_feels_safe_enough(scenario) -> None:
    safe = play(scenario, SUCCESS[:3])  # 60 >= 55
    assert safe.node.id == "safe_enough"
    wary = play(scenario, ["name-the-audit", "reflect-it-back", "write-it-down"])  # 45
    assert wary.node.id == "wary"


def test_asking_them_to_set_the_rules_needs_a_partner(scenario) -> None:
    partner = play(scenario, SUCCESS[:3])
    assert partner.rung == "partner"
    assert "ask-their-rules" in offered(partner)
    outsider = play(scenario, SLOW_SUCCESS[:4])
    assert outsider.node.id == "safe_enough"
    assert outsider.rung == "outsider"
    assert offered(outsider) == ["vague-partner", "three-rules", "board-sees-it"]


def test_the_pilot_needs_a_partner_with_high_trust(scenario) -> None:
    high = play(scenario, SUCCESS[:5])
    assert high.node.id == "the_ask"
    assert "ask-them-to-pilot" in offered(high)
    low = play(scenario, SUCCESS[:4] + ["justify-the-invite"])  # 60
    assert low.node.id == "the_ask"
    assert "ask-them-to-pilot" not in offered(low)


def test_longest_play_has_eleven_decisions(scenario) -> None:
    conv = play(
        scenario,
        [
            "fresh-start",
            "push-on",
            "back-up",
            "explain-the-context",
            "defend-colleagues",
            "come-back-later",
            "vague-partner",
            "justify-the-invite",
            "mandate-it",
            "wont-be-red",
            "why-so-late",
        ],
    )
    assert conv.ended
    assert conv.turns == 11
    assert conv.node.id == "back_to_auditors"
