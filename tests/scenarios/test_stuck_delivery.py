"""Scripted plays of stuck-delivery (a GROW coaching conversation): one per outcome, plus rules.

Numbers are worked out by hand from scenarios/stuck-delivery.yaml: trust (how far Daniel trusts
you with what is really going on) starts at 40; the rung starts at inspector on the ladder
inspector < helper < coach < confidant; coach requires trust >= 55, confidant trust >= 70.
Every choice in the file lists all four GROW keys, so every play's scores cover the framework.
"""

from __future__ import annotations

from pathlib import Path

from engine.framework_loader import load_framework
from tests.scenarios.helpers import offered, play

ROOT = Path(__file__).resolve().parents[2]
PATH = ROOT / "scenarios" / "stuck-delivery.yaml"
GROW_KEYS = {"goal", "reality", "options", "way_forward"}


def test_uses_the_grow_framework(scenario) -> None:
    assert scenario.framework.id == "grow"
    assert set(scenario.framework.keys) == GROW_KEYS
    fw = load_framework(ROOT / "scenarios" / "frameworks" / "grow.yaml")
    assert fw.keys == ("goal", "reality", "options", "way_forward")


# ----------------------------------------------------------------------------- success

SUCCESS = [
    "ask-what-he-wants",  # 50, up -> helper                     goal +2
    "sharpen-the-goal",  # 55 -> reality: 55 >= 50 -> frank     goal +2, reality +1
    "what-have-you-tried",  # 60, up -> coach (60 >= 55)           reality +2
    "face-to-face",  # 60 -> practice_reveal: 60 >= 55 -> practice_open   reality +2
    "name-the-gap",  # 65, diagnosed; up -> confidant BLOCKED (65 < 70)   reality +2
    "his-ideas-first",  #                                      options +2
    "weigh-them",  # -> his_choice -> rehearsal           reality +1, options +2
    "how-did-that-feel",  # 70                                   reality +2
    "push-back-as-ruth",  # rehearsed                            reality +1, options +1
    "what-and-when",  #                                      way_forward +2
    "agree-support",  # 75, checkin                          goal +1, way_forward +2
]


def test_success_unstuck(scenario) -> None:
    conv = play(scenario, SUCCESS)
    assert conv.ended
    assert conv.node.id == "unstuck"
    assert conv.outcome == "success"
    assert set(conv.scores) == GROW_KEYS
    assert conv.scores == {"goal": 5, "reality": 11, "options": 5, "way_forward": 4}
    assert conv.trust == 75
    assert conv.rung == "coach"
    assert [(m.choice, m.to_rung) for m in conv.blocked] == [("name-the-gap", "confidant")]


SUCCESS_AS_CONFIDANT = [
    "ask-what-he-wants",  # 50, helper                 goal +2
    "sharpen-the-goal",  # 55                         goal +2, reality +1
    "what-have-you-tried",  # 60, coach                  reality +2
    "face-to-face",  # 60                         reality +2
    "share-own-story",  # 70, up -> confidant (70 >= 70); offered to a coach only
    #                            goal +1, reality +2
    "his-ideas-first",  #                            options +2
    "practise-now",  #                            options +1, way_forward +1
    "stay-as-ruth",  # offered to a coach or above  reality +2, way_forward +1
    "push-back-as-ruth",  #                            reality +1, options +1
    "what-and-when",  #                            way_forward +2
    "agree-support",  # 75                         goal +1, way_forward +2
]


def test_success_as_confidant(scenario) -> None:
    conv = play(scenario, SUCCESS_AS_CONFIDANT)
    assert conv.ended
    assert conv.node.id == "unstuck"
    assert conv.outcome == "success"
    assert set(conv.scores) == GROW_KEYS
    assert conv.scores == {"goal": 6, "reality": 10, "options": 4, "way_forward": 6}
    assert conv.rung == "confidant"
    assert conv.blocked == []


# ----------------------------------------------------------------------------- partial

PRACTISED_NOT_ANCHORED = SUCCESS[:10] + ["good-luck"]  # 70, rehearsed but no check-in


def test_partial_practised_not_anchored(scenario) -> None:
    conv = play(scenario, PRACTISED_NOT_ANCHORED)
    assert conv.ended
    assert conv.node.id == "practised_not_anchored"
    assert conv.outcome == "partial"
    assert set(conv.scores) == GROW_KEYS
    assert conv.scores == {"goal": 4, "reality": 11, "options": 5, "way_forward": 2}
    assert conv.trust == 70


NAMED_NOT_PRACTISED = [
    "ask-what-he-wants",
    "sharpen-the-goal",
    "what-have-you-tried",
    "face-to-face",
    "name-the-gap",  # 65
    "here-is-the-plan",  # options -1: no rehearsal
    "what-and-when",  # way_forward +2
    "agree-support",  # 70, goal +1, way_forward +2
]


def test_partial_named_not_practised(scenario) -> None:
    conv = play(scenario, NAMED_NOT_PRACTISED)
    assert conv.ended
    assert conv.node.id == "named_not_practised"
    assert conv.outcome == "partial"
    assert set(conv.scores) == GROW_KEYS
    assert conv.scores == {"goal": 5, "reality": 7, "options": -1, "way_forward": 4}


def test_partial_rescued(scenario) -> None:
    # 50, 55, 60: goal +2 / goal +2, reality +1 / reality -1, options -1, way_forward -2
    conv = play(scenario, ["ask-what-he-wants", "sharpen-the-goal", "offer-to-escalate"])
    assert conv.ended
    assert conv.node.id == "rescued"
    assert conv.outcome == "partial"
    assert conv.scores == {"goal": 4, "reality": 0, "options": -1, "way_forward": -2}


# ----------------------------------------------------------------------------- failure


def test_failure_bigger_buffer(scenario) -> None:
    # goal -1, options -1 / reality -1, options -1, way_forward -1
    conv = play(scenario, ["open-the-plan", "add-buffers"])
    assert conv.ended
    assert conv.node.id == "buffer_plan"
    assert conv.outcome == "failure"
    assert set(conv.scores) == GROW_KEYS
    assert conv.scores == {"goal": -1, "reality": -1, "options": -2, "way_forward": -1}
    assert conv.trust == 40
    assert conv.rung == "inspector"


SENT_UNPREPARED = [
    "name-the-slips",  # 35 -> reality: 35 < 50 -> guarded        reality +1
    "if-vendor-fixed",  # 45, up -> helper                          reality +2
    "what-have-you-tried",  # 50, up -> coach BLOCKED (50 < 55)         reality +2
    "face-to-face",  # 50 -> practice_reveal: 50 < 55 -> closed  reality +2
    "just-go-see-her",  # 45                reality -1, options -1, way_forward -1
]


def test_failure_sent_in_unprepared(scenario) -> None:
    conv = play(scenario, SENT_UNPREPARED)
    assert conv.ended
    assert conv.node.id == "sent_unprepared"
    assert conv.outcome == "failure"
    assert set(conv.scores) == GROW_KEYS
    assert conv.scores == {"goal": 0, "reality": 6, "options": -1, "way_forward": -1}
    assert [(m.choice, m.from_rung, m.to_rung) for m in conv.blocked] == [
        ("what-have-you-tried", "helper", "coach"),
    ]


def test_failure_another_course(scenario) -> None:
    conv = play(scenario, SENT_UNPREPARED[:3] + ["improve-the-papers", "advanced-course"])
    assert conv.ended
    assert conv.node.id == "course_booked"
    assert conv.outcome == "failure"
    assert conv.scores == {"goal": -1, "reality": 3, "options": -2, "way_forward": 0}


# ----------------------------------------------------------------------------- the rules at work


def test_trust_decides_what_daniel_tells_you(scenario) -> None:
    frank = play(scenario, ["ask-what-he-wants", "good-lets-move-on"])  # 50
    assert frank.node.id == "reality_frank"
    guarded = play(scenario, ["its-not-a-review", "good-lets-move-on"])  # 45
    assert guarded.node.id == "reality_guarded"


def test_playing_ruth_for_real_needs_a_coach(scenario) -> None:
    as_coach = play(scenario, SUCCESS[:7])
    assert as_coach.node.id == "rehearsal" and as_coach.rung == "coach"
    assert "stay-as-ruth" in offered(as_coach)

    as_helper = play(
        scenario,
        [
            "name-the-slips",  # 35 -> guarded
            "challenge-the-story",  # 25, down at the bottom: no move
            "what-have-you-tried",  # 30, up -> helper
            "probe-motivation",  # 25
            "it-matters",  # 30 -> practice_reveal: 30 < 55 -> closed
            "hard-to-go-upward",  # 45, up -> coach BLOCKED
            "name-the-gap",  # 50, up -> coach BLOCKED
            "his-ideas-first",
            "practise-now",
        ],
    )
    assert as_helper.node.id == "rehearsal"
    assert as_helper.rung == "helper"
    assert [m.choice for m in as_helper.blocked] == ["hard-to-go-upward", "name-the-gap"]
    assert offered(as_helper) == ["how-did-that-feel", "give-him-the-line", "thats-great"]


def test_sharing_your_own_story_needs_a_coach(scenario) -> None:
    as_coach = play(scenario, SUCCESS[:4])
    assert as_coach.node.id == "practice_open"
    assert "share-own-story" in offered(as_coach)
    as_helper = play(
        scenario,
        [
            "name-the-slips",
            "challenge-the-story",
            "what-have-you-tried",
            "probe-motivation",
            "it-matters",
            "hard-to-go-upward",
        ],
    )
    assert as_helper.node.id == "practice_open"
    assert "share-own-story" not in offered(as_helper)


def test_longest_play_has_fifteen_decisions(scenario) -> None:
    conv = play(
        scenario,
        [
            "open-the-plan",
            "step-back",
            "good-lets-move-on",
            "challenge-the-story",
            "what-have-you-tried",
            "improve-the-papers",
            "not-the-papers",
            "hard-to-go-upward",
            "name-the-gap",
            "his-ideas-first",
            "weigh-them",
            "how-did-that-feel",
            "push-back-as-ruth",
            "what-and-when",
            "tell-helen",
        ],
    )
    assert conv.ended
    assert conv.turns == 15
    assert conv.node.id == "practised_not_anchored"
    assert set(conv.scores) == GROW_KEYS
