"""Scripted plays of first-update (the level-1 warm-up): one per outcome, plus its gentleness.

Worked out by hand from scenarios/first-update.yaml: trust starts at 50; every decision has a
best answer (+8), a partly-right one (+4) and a weak one (-6, -8 for promising both). Success
needs trust >= 70, the risk and the options named, and the summary promised.
"""

from __future__ import annotations

from pathlib import Path

from engine.conversation import Conversation
from engine.difficulty import measure
from tests.scenarios.helpers import play

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "first-update.yaml"

BEST = [
    "status-headline",  # 58, risk_named
    "risk-facts",  # 66
    "two-options-advice",  # 74, options_named
    "price-the-third",  # 82
    "decision-by-friday",  # 90
    "one-page-tonight",  # 98, summary_sent
]


def test_success_a_sponsor_who_knows_where_she_stands(scenario) -> None:
    conv = play(scenario, BEST)
    assert conv.node.id == "ending_trusted" and conv.outcome == "success"
    assert conv.trust == 98
    assert conv.scores == {"situation": 7, "options": 3, "recommendation": 2, "engagement": 8}


def test_one_weak_answer_is_recoverable(scenario) -> None:
    conv = play(scenario, ["status-later", *BEST[1:]])  # 44 after the first answer
    assert conv.trust == 84 and conv.outcome == "success"


def test_partial_without_the_summary(scenario) -> None:
    conv = play(scenario, [*BEST[:5], "good-luck"])
    assert conv.node.id == "ending_informed" and conv.outcome == "partial"
    assert conv.trust == 84  # trust is high, but nothing was put in writing


def test_failure_the_sponsor_hears_it_last(scenario) -> None:
    weak = ["status-later", "risk-vague", "push-supplier", "promise-both", "nothing-needed"]
    conv = play(scenario, [*weak, "good-luck"])
    assert conv.node.id == "ending_in_the_dark" and conv.outcome == "failure"
    assert conv.trust == 12


def test_dutch_text_throughout(scenario) -> None:
    conv = Conversation.replay(scenario, BEST, lang="nl")
    assert conv.node.text.get(conv.lang).startswith("Je samenvatting ging ongewijzigd")


def test_it_is_a_gentle_warm_up(scenario) -> None:
    d = measure(scenario)
    assert scenario.difficulty == d.expected == 1
    assert d.random_success >= 0.10 and d.early_endings == 0
