"""Plays of unread-report (coaching your own PMO analyst, GROW, en/nl): one per ending, plus rules.

Each ending is reached the way a user reaches it, through `parley play unread-report --choices …
--json`; the rules are checked on the engine. Numbers are worked out by hand from
scenarios/unread-report.yaml: trust (how safe Pieter feels admitting the report may not work)
starts at 45; the rung (how he hears his manager) starts at boss on the ladder
critic < boss < sounding-board < coach; sounding-board requires trust >= 55, coach trust >= 70.
Ending `final`: success needs the fear named, readers and a measure of his own, a check-in, no
rescue by you, and trust >= 65.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.model import Scenario
from tests.cli import parley
from tests.scenarios.helpers import offered, play

PATH = Path(__file__).resolve().parents[2] / "scenarios" / "unread-report.yaml"
GROW_KEYS = {"goal", "reality", "options", "way_forward"}

SUCCESS = [
    "what-is-it-for",  # 50                                   goal +2
    "what-changes-on-thursday",  # 60, up -> sounding-board    goal +2, reality +1
    # reveal: 60 >= 55 -> reveal_open
    "length-is-protection",  # 70, up -> coach; fear_named       reality +2
    "matter-to-whom",  # 75                                   goal +2, reality +1
    "no-heres-what-they-did",  # 80                           goal +1, reality +1
    "who-could-you-ask",  # 85; readers_his                  reality +1, options +1, way_forward +1
    # standing: coach >= sounding-board -> his_options
    "whose-report",  # 90; offered to a coach only        goal +1, reality +2, options +1
    "what-will-tell-you",  # experiment                         goal +1, way_forward +2
    "what-would-they-do",  # measure_his                        reality +1, way_forward +2
    "what-do-you-want-to-learn",  #                              goal +1, reality +1, options +1
    "how-shall-we-look",  # 95; checkin                        goal +1, way_forward +2
    "then-you-learned",  #                                      reality +1, way_forward +1
]


def cli_play(choices: list[str], *extra: str) -> dict[str, Any]:
    r = parley("play", "unread-report", "--choices", ",".join(choices), "--json", *extra)
    assert r.returncode == 0, r.stderr
    doc: dict[str, Any] = json.loads(r.stdout)
    assert doc["ended"], doc["path"]
    return doc


def test_uses_the_grow_framework_on_every_answer(scenario: Scenario) -> None:
    assert scenario.framework.id == "grow"
    choices = [c for n in scenario.nodes.values() for c in n.choices]
    assert len(choices) >= 60
    # every choice lists all four GROW keys, so every play's scores cover the framework
    raw = PATH.read_text(encoding="utf-8")
    assert raw.count("grow: { goal:") == len(choices)


# ----------------------------------------------------------------------------- success


def test_success_a_page_that_gets_read() -> None:
    doc = cli_play(SUCCESS)
    assert (doc["ending"], doc["outcome"]) == ("read_and_used", "success")
    assert doc["turns"] == 12  # twelve decisions on the way
    assert doc["trust"] == 95
    assert doc["hierarchy"] == "coach"
    assert doc["scores"] == {"goal": 11, "reality": 11, "options": 3, "way_forward": 8}
    assert doc["debrief"]["ending"]["title"] == "A page that gets read"


RECOVERED = [
    "what-is-it-for",  # 50
    "nobody-reads-it",  # 35, down -> critic
    "put-that-badly",  # 45 -> repair -> reveal: 45 < 55 -> reveal_guarded
    "how-did-it-grow",  # 60, up -> boss
    "length-is-protection",  # 70, up -> sounding-board; fear_named
    "matter-to-whom",  # 75
    "no-heres-what-they-did",  # 80
    "who-could-you-ask",  # 85 -> his_options (sounding-board)
    "smallest-safe-test",
    "what-will-tell-you",
    "what-would-they-do",
    "what-do-you-want-to-learn",
    "how-shall-we-look",  # 90
    "then-you-learned",
]


def test_success_after_a_verdict_takes_more_than_one_good_answer(scenario: Scenario) -> None:
    conv = play(scenario, RECOVERED)
    assert conv.node.id == "read_and_used" and conv.outcome == "success"
    assert conv.turns == 14 and conv.trust == 90
    assert conv.rung_path == ["boss", "critic", "boss", "sounding-board"]
    assert "whose-report" not in conv.choices_made  # never offered below coach


# ----------------------------------------------------------------------------- partial

BOTH_PACKS = [SUCCESS[0], SUCCESS[1], "that-was-then", *SUCCESS[3:6], "smallest-safe-test"]
BOTH_PACKS += SUCCESS[7:]


def test_partial_a_page_on_top_of_the_fear() -> None:
    doc = cli_play(BOTH_PACKS)  # the fear is never named
    assert (doc["ending"], doc["outcome"]) == ("both_packs", "partial")
    assert doc["turns"] == 12
    assert "fear_named" not in doc["flags"]
    assert doc["trust"] == 75 and doc["hierarchy"] == "sounding-board"


def test_partial_tried_not_tested() -> None:
    doc = cli_play([*SUCCESS[:8], "we-will-know", *SUCCESS[9:]])  # no measure of his own
    assert (doc["ending"], doc["outcome"]) == ("no_yardstick", "partial")
    assert doc["turns"] == 12
    assert "measure_his" not in doc["flags"]


def test_partial_your_report_now_when_you_ask_the_readers_for_him() -> None:
    doc = cli_play([*SUCCESS[:5], "leave-it-with-me", *SUCCESS[6:]])
    assert (doc["ending"], doc["outcome"]) == ("your_template", "partial")
    assert doc["flags"]["rescued"] is True
    assert doc["trust"] == 95  # high trust does not undo a rescue


def test_partial_your_report_now_when_you_hand_him_a_format() -> None:
    doc = cli_play(
        [
            "reinout-pushed-it-aside",  # 40
            "what-changes-on-thursday",  # 50, up -> sounding-board BLOCKED (50 < 55)
            "contents-page-isnt-enough",  # 45 (reveal_guarded)
            "here-is-the-format",  # just_tell_me
        ]
    )
    assert (doc["ending"], doc["outcome"]) == ("your_template", "partial")
    assert doc["path"][-2:] == ["just_tell_me", "your_template"]
    assert [b["choice"] for b in doc["blocked"]] == ["what-changes-on-thursday"]


# ----------------------------------------------------------------------------- failure


@pytest.mark.parametrize(
    ("choices", "ending", "title"),
    [
        (["cut-it-to-two", "reds-and-ambers"], "shorter_unread", "Shorter, still unread"),
        (["admire-the-heat-map", "go-for-it"], "praised_unchanged", "Praised and unread"),
        (
            ["what-is-it-for", "nobody-reads-it", "take-it-as-feedback"],
            "compliance",
            "Revised as requested",
        ),
        (
            [
                "reinout-pushed-it-aside",
                "what-changes-on-thursday",
                "summary-on-top",
                "one-line-per-project",
            ],
            "summary_on_top",
            "A summary of everything",
        ),
    ],
    ids=["order-it-shorter", "cheer-him-on", "make-it-about-him", "layout-first"],
)
def test_failures(choices: list[str], ending: str, title: str) -> None:
    doc = cli_play(choices)
    assert (doc["ending"], doc["outcome"]) == (ending, "failure")
    assert doc["debrief"]["ending"]["title"] == title


def test_making_it_about_him_drops_you_to_critic() -> None:
    doc = cli_play(["what-is-it-for", "nobody-reads-it", "take-it-as-feedback"])
    assert doc["hierarchy"] == "critic" and doc["trust"] == 25


# ----------------------------------------------------------------------------- what a player sees


def test_coaching_after_every_answer_explains_the_consequence() -> None:
    r = parley("play", "unread-report", "--choices", "cut-it-to-two,reds-and-ambers")
    assert r.returncode == 0, r.stderr
    out = " ".join(r.stdout.split())
    assert "Coach: Probably the right direction, given as an order by his manager." in out
    assert "Coach: A rule of thumb, and yours." in out
    assert "Shorter, still unread" in out
    assert "cut-it-to-two" not in r.stdout  # players never see choice ids


def test_plays_in_dutch() -> None:
    doc = cli_play(SUCCESS, "--lang", "nl")
    assert doc["outcome"] == "success"
    assert doc["debrief"]["ending"]["title"] == "Een pagina die gelezen wordt"
    r = parley("play", "unread-report", "--lang", "nl", "--choices", "what-is-it-for")
    out = " ".join(r.stdout.split())
    assert "Het rapport dat niemand leest" in out
    assert "Coach: Je erkende de moeite zonder er een cijfer aan te geven" in out
    assert "Doel +2" in out  # the GROW labels speak Dutch too


# ----------------------------------------------------------------------------- the rules at work


def test_trust_decides_whether_pieter_tells_you_why_the_pack_is_long(scenario: Scenario) -> None:
    open_ = play(scenario, SUCCESS[:2])  # 60
    assert open_.node.id == "reveal_open"
    guarded = play(scenario, ["reinout-pushed-it-aside", "what-changes-on-thursday"])  # 50
    assert guarded.node.id == "reveal_guarded"


def test_as_his_boss_every_suggestion_is_an_instruction(scenario: Scenario) -> None:
    # below sounding-board Pieter asks to be told what format to build
    boss = play(
        scenario,
        [
            "reinout-pushed-it-aside",  # 40
            "what-changes-on-thursday",  # 50, sounding-board blocked
            "how-did-it-grow",  # 65, up -> sounding-board
            "appendix-then",  # summary_plan
            "ask-the-readers-first",  # 70 -> readers
        ],
    )
    assert boss.rung == "sounding-board" and boss.node.id == "readers"
    boss.choose("who-could-you-ask")
    assert boss.node.id == "his_options"

    low = play(
        scenario,
        ["cut-it-to-two", "step-back-to-purpose", "management-by-exception", "summary-on-top"],
    )  # 40, 50, 45 -> guarded; boss
    assert low.node.id == "summary_plan" and low.rung == "boss"
    low.choose("ask-the-readers-first")
    low.choose("who-could-you-ask")
    assert low.node.id == "just_tell_me"


def test_only_a_coach_can_name_the_pattern(scenario: Scenario) -> None:
    coach = play(scenario, SUCCESS[:6])
    assert coach.rung == "coach" and coach.node.id == "his_options"
    assert "whose-report" in offered(coach)
    sounding = play(scenario, RECOVERED[:8])
    assert sounding.rung == "sounding-board" and sounding.node.id == "his_options"
    assert offered(sounding) == ["smallest-safe-test", "do-all-three", "cfo-wont-ask"]


def test_a_late_verdict_repaired_returns_to_the_readers(scenario: Scenario) -> None:
    conv = play(scenario, [*SUCCESS[:4], "partly-if-im-candid", "put-that-badly"])
    assert conv.path[-3:] == ["defended", "repair", "readers"]  # not round to the start again


def test_the_opening_is_not_won_by_a_question(scenario: Scenario) -> None:
    best = max(scenario.nodes["opening"].choices, key=lambda c: c.total)
    assert best.id == "what-is-it-for"
    assert "?" not in best.text.get("en") and "?" not in best.text.get("nl")
