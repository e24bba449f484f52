"""Scripted plays of what-stops: one per kind of ending, plus the rules that shape the session.

Worked out by hand from scenarios/what-stops.yaml. The counterpart is the chair, Gerard:
trust (how far he trusts Maud to run the session to a decision) starts at 40 and moves in
steps of 10; the rung starts at coordinator on minute-taker < coordinator < facilitator <
trusted-advisor, where facilitator needs trust >= 50 and trusted-advisor trust >= 70. After the
last decision `verdict` routes: the PMO's list if Maud decided for the board; not written
without the decision log; paused on paper if nothing was freed (everything became a pause, or
Wim's trade was taken untested); otherwise success, the full one when the room agreed its own
criteria and trust >= 80.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.difficulty import measure
from engine.explore import explore
from engine.statetable import MAX_STATES
from tests.cli import parley
from tests.scenarios.helpers import offered, play

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "what-stops.yaml"

# ----------------------------------------------------------------------------- success

BEST = [
    "criteria-first",  # 50, up -> facilitator (50 >= 50 holds)
    "draft-to-amend",  # 60, criteria_agreed
    "define-mandatory",  # 60
    "by-team",  # 70, up -> trusted-advisor (70 >= 70 holds)
    "cost-to-finish",  # 70, up at the top: no move
    "name-and-return",  # 80
    "stop-versus-pause",  # 80
    "test-the-trade",  # 80
    "cost-of-waiting",  # 80
    "recommend-and-hand-back",  # 90, pmo_decided false (offered from facilitator up)
    "name-the-loss",  # 90
    "decision-log",  # 90, written
    "make-it-a-rhythm",  # 90 -> verdict: criteria agreed, 90 >= 80
]


def test_success_the_board_decided_what_stops(scenario) -> None:
    conv = play(scenario, BEST)
    assert conv.ended
    assert conv.node.id == "owned_decision"
    assert conv.outcome == "success"
    assert conv.turns == 13
    assert conv.trust == 90
    assert conv.rung == "trusted-advisor"
    assert conv.blocked == []
    assert conv.scores == {"situation": 17, "options": 7, "recommendation": 5, "engagement": 16}
    assert "chair_decides" in conv.path and "list_read_out" not in conv.path


AT_A_PRICE = [
    "criteria-first",  # 50, facilitator
    "rank-by-revenue",  # 50: one criterion, not the room's own
    "define-mandatory",  # 50
    "by-team",  # 60, up -> trusted-advisor BLOCKED (needs 70)
    "cost-to-finish",  # 60, up -> trusted-advisor BLOCKED again
    "back-ilse",  # 50, took sides
    "stop-versus-pause",  # 50
    "test-the-trade",  # 50
    "cost-of-waiting",  # 50
    "recommend-and-hand-back",  # 60
    "first-call-in-q3",  # 60
    "decision-log",  # 60, written
    "glad-its-over",  # 60 -> verdict: no criteria agreed -> the second success
]


def test_success_decided_at_a_price(scenario) -> None:
    conv = play(scenario, AT_A_PRICE)
    assert conv.node.id == "decided_at_a_price"
    assert conv.outcome == "success"
    assert conv.turns == 13
    assert conv.trust == 60
    assert conv.rung == "facilitator"
    assert [(m.choice, m.from_rung, m.to_rung) for m in conv.blocked] == [
        ("by-team", "facilitator", "trusted-advisor"),
        ("cost-to-finish", "facilitator", "trusted-advisor"),
    ]


# ----------------------------------------------------------------------------- partial


def _swap(route: list[str], old: str, new: str) -> list[str]:
    assert old in route
    return [new if c == old else c for c in route]


def test_partial_decided_not_written(scenario) -> None:
    conv = play(scenario, _swap(BEST, "decision-log", "minutes-this-afternoon"))
    assert conv.node.id == "not_written"
    assert conv.outcome == "partial"
    assert conv.trust == 90  # the chair was happy; the decision still leaks away


def test_partial_paused_on_paper(scenario) -> None:
    conv = play(scenario, _swap(BEST, "stop-versus-pause", "pause-everything"))
    assert conv.node.id == "paused_on_paper"
    assert conv.outcome == "partial"
    untested = play(scenario, _swap(BEST, "test-the-trade", "take-the-deal"))
    assert untested.node.id == "paused_on_paper"


PMO_LIST = [
    "show-the-list",  # 30
    "take-it-down",  # 30
    "pmo-model",
    "ask-legal",
    "money-view",
    "park-claimdirect",
    "coffee-break",
    "slip-him-the-list",  # 40, down -> minute-taker, pmo_decided
    "pause-with-review",
    "ask-wim",
    "with-respect",  # 30
    "decide-for-them",
    "first-call-in-q3",
    "one-message",
    "glad-its-over",  # -> verdict: pmo_decided
]


def test_partial_the_pmos_list(scenario) -> None:
    conv = play(scenario, PMO_LIST)
    assert conv.node.id == "pmo_list"
    assert conv.outcome == "partial"
    assert conv.turns == 15
    assert conv.rung == "minute-taker"
    assert "list_read_out" in conv.path and "chair_decides" not in conv.path


# ----------------------------------------------------------------------------- failure


def test_failure_nothing_stops(scenario) -> None:
    conv = play(scenario, [*BEST[:8], "settle-till-march"])
    assert conv.node.id == "taken_offline"
    assert conv.outcome == "failure"
    assert conv.turns == 9


def test_failure_the_pmo_against_the_room(scenario) -> None:
    conv = play(scenario, ["show-the-list", "defend-the-scoring"])  # 30, 20
    assert conv.node.id == "meeting_closed"
    assert conv.outcome == "failure"
    assert conv.trust == 20
    assert conv.scores == {"situation": 0, "options": -2, "recommendation": 0, "engagement": -4}


def test_failure_decided_by_show_of_hands(scenario) -> None:
    conv = play(scenario, ["pitch-round", "score-the-pitches", "accept-the-vote"])
    assert conv.node.id == "loudest_wins"
    assert conv.outcome == "failure"


# ----------------------------------------------------------------------------- the rules at work


def test_a_vote_caught_early_goes_back_to_the_yardstick(scenario) -> None:
    early = play(scenario, ["pitch-round", "score-the-pitches", "check-the-vote"])
    assert early.node.id == "criteria"  # no criteria yet: the vote sends the room back
    late = play(scenario, [*BEST[:8], "show-of-hands", "check-the-vote"])
    assert late.node.id == "tell_us"


def test_the_recommendation_depends_on_the_rung(scenario) -> None:
    high = play(scenario, BEST[:9])
    assert high.node.id == "tell_us" and high.rung == "trusted-advisor"
    assert offered(high) == ["recommend-and-hand-back", "decide-for-them", "stay-neutral"]
    low = play(
        scenario,
        [
            "fix-the-model-first",
            "start-from-criteria",
            "blank-flipchart",
            "overrule-koen",
            "skip-to-projects",
            "question-the-sixty",
            "chair-steps-in",
            "no-pauses",
            "no-deals",
            "with-respect",
        ],
    )
    assert low.node.id == "tell_us" and low.rung == "coordinator" and low.trust == 0
    assert offered(low) == ["offer-a-reading", "decide-for-them", "stay-neutral"]


def test_a_list_slipped_to_the_chair_can_still_be_handed_back(scenario) -> None:
    route = [*BEST[:5], "coffee-break", "slip-him-the-list", *BEST[6:]]
    conv = play(scenario, route)
    assert conv.node.id == "owned_decision"
    assert conv.turns == 14
    slipped = play(scenario, _swap(route, "recommend-and-hand-back", "decide-for-them"))
    assert slipped.node.id == "pmo_list"


def test_every_main_route_has_twelve_decisions_or_more(scenario) -> None:
    for route in (BEST, AT_A_PRICE, PMO_LIST):
        assert play(scenario, route).turns >= 12


def test_the_state_space_fits_a_web_page(scenario) -> None:
    ex = explore(scenario, max_states=MAX_STATES + 1)  # `parley export --web` refuses more
    assert ex.complete and ex.states <= MAX_STATES


def test_difficulty_is_declared_from_the_evidence(scenario) -> None:
    d = measure(scenario)
    assert scenario.difficulty == d.expected == 2
    assert 0.01 <= d.random_success < 0.10


# ----------------------------------------------------------------------------- as a player sees it


def test_cli_json_reaches_each_kind_of_ending() -> None:
    for route, ending, outcome in (
        (BEST, "owned_decision", "success"),
        (PMO_LIST, "pmo_list", "partial"),
        (["show-the-list", "defend-the-scoring"], "meeting_closed", "failure"),
    ):
        out = parley("play", str(PATH), "--choices", ",".join(route), "--json")
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert (data["ending"], data["outcome"]) == (ending, outcome)


def test_cli_transcript_shows_coaching_after_each_answer() -> None:
    out = parley("play", str(PATH), "--choices", "show-the-list,take-it-down")
    assert out.returncode == 0, out.stderr
    assert "Coach: Gerard asked for it, and it's quick." in out.stdout
    assert "Coach: Taking your own list down costs a little face" in out.stdout
    assert "Gerard Lemmens: Fair question. Whose, Maud?" in out.stdout


def test_cli_debrief_ends_with_the_endings_own_reflection() -> None:
    out = parley("play", str(PATH), "--choices", "show-the-list,defend-the-scoring")
    assert out.returncode == 0, out.stderr
    after = out.stdout.split("The PMO against the room", 1)[1]
    assert "What would the directors have needed to hear before any names went on" in after


def test_cli_plays_in_dutch() -> None:
    out = parley("play", str(PATH), "--lang", "nl", "--choices", ",".join(BEST), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["outcome"] == "success"
    assert data["debrief"]["ending"]["title"] == "De raad besloot wat er stopt"
    text = parley("play", str(PATH), "--lang", "nl", "--choices", "show-the-list")
    assert "Coach: Gerard vroeg erom, en het gaat snel." in text.stdout
    assert "Gerard Lemmens: Dit is precies de ruzie die ik wilde voorkomen. Maud?" in text.stdout


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_text_is_translated(scenario, lang: str) -> None:
    assert scenario.languages == frozenset({"en", "nl"})
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
