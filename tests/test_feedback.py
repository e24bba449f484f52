"""Coaching after each answer, and the two feedback modes, as a player sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.conversation import Conversation
from engine.errors import ParleyError
from engine.feedback import coaching_for, resolve_mode
from engine.library import bundled_dir
from engine.loader import load_scenario, load_scenario_text
from engine.model import Scenario
from engine.play import transcript_lines
from tests.cli import parley

FIX = Path(__file__).parent / "fixtures"
SORE = FIX / "feedback_sore.yaml"
GROW = FIX / "feedback_grow.yaml"


@pytest.fixture(scope="module")
def sore() -> Scenario:
    return load_scenario(SORE)


# ------------------------------------------------------------------ coaching


def test_coaching_shows_feedback_signed_scores_trust_level_and_rung(sore: Scenario) -> None:
    conv = Conversation(sore)
    c = coaching_for(conv, conv.choose("facts"))
    assert c.lines() == [
        "Coach: You put the facts on the table before any position.",
        "Scores: Situation +2, Engagement +1",
        "Trust +12 (50 -> 62); Dana is now open.",
        "You moved up the ladder: service-provider -> peer.",
    ]
    assert (c.trust_delta, c.level_change) == (12, "Dana is now open")


def test_coaching_after_a_bad_answer_shows_consequences_not_a_verdict(sore: Scenario) -> None:
    conv = Conversation(sore)
    c = coaching_for(conv, conv.choose("cave"))
    # -25 from the answer, -10 on entering t2_cold: two levels down, told once
    assert c.lines() == [
        "Coach: Dana never hears the risk.",
        "Scores: Situation -1, Recommendation -2",
        "Trust -35 (50 -> 15); Dana is now hostile.",
        "You moved down the ladder: service-provider -> order-taker.",
    ]
    assert not any("incorrect" in line.lower() or "wrong" in line.lower() for line in c.lines())


def test_coaching_explains_a_blocked_climb_without_the_condition(sore: Scenario) -> None:
    conv = Conversation.replay(sore, ["facts", "options"])
    c = coaching_for(conv, conv.choose("advise"))
    assert c.lines()[-2:] == [
        "Trust +10 (67 -> 77).",
        "Your climb to trusted-advisor did not happen. Dana was not ready to give you "
        "that standing yet.",
    ]
    [move] = c.rung_moves
    assert (move.blocked, move.to_rung, move.condition) == (True, "trusted-advisor", "trust >= 80")
    assert c.level_change is None


def test_coaching_without_trust_change_or_scores_says_so() -> None:
    sc = load_scenario_text(
        """\
format: 1
id: plain
title: T
summary: S
characters:
  you: {name: Sam}
  dana: {name: Dana, role: Sponsor}
start: a
nodes:
  a:
    text: Hello
    choices:
      - id: bye
        text: Bye
        to: b
  b:
    text: End
    ending: {outcome: success, title: Done, debrief: Over}
"""
    )
    conv = Conversation(sc)
    c = coaching_for(conv, conv.choose("bye"))
    assert c.lines() == ["Trust unchanged at 50."]
    assert c.as_dict()["scores"] == {} and c.as_dict()["feedback"] is None


def test_coaching_in_the_players_language(sore: Scenario) -> None:
    conv = Conversation(sore, lang="nl")
    c = coaching_for(conv, conv.choose("facts"))
    assert c.lines()[0] == "Coach: Je legde eerst de feiten op tafel."
    assert c.lines("en")[0] == "Coach: You put the facts on the table before any position."
    d = c.as_dict()
    assert d["said"] == "Laat me eerst de cijfers zien."
    assert d["scores"] == {"situation": 2, "options": 0, "recommendation": 0, "engagement": 1}
    assert d["trust"] == {"before": 50, "after": 62, "delta": 12}
    assert d["level"]["change"] == "Dana is now open"
    assert d["hierarchy"]["moves"][0]["to"] == "peer"


def test_grow_coaching_uses_grow_labels() -> None:
    conv = Conversation(load_scenario(GROW))
    c = coaching_for(conv, conv.choose("fix_it"))
    assert "Scores: Options -2, Way forward -1" in c.lines()


# ------------------------------------------------------------------ modes


def test_the_scenario_sets_the_default_mode_and_the_player_overrides_it(sore: Scenario) -> None:
    grow = load_scenario(GROW)
    assert resolve_mode(sore) == "immediate" and resolve_mode(grow) == "debrief"
    assert resolve_mode(sore, "debrief") == "debrief"
    assert resolve_mode(grow, "immediate") == "immediate"
    with pytest.raises(ParleyError, match="'later' is not one of: immediate, debrief"):
        resolve_mode(sore, "later")


def test_immediate_mode_coaches_after_each_answer_then_debriefs() -> None:
    out = parley("play", str(SORE), "--choices", "facts,options,advise")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    # coaching sits between the answer and the reply it led to
    assert (
        "> Sam: Let me show you the numbers first.\n"
        "  | Coach: You put the facts on the table before any position.\n"
        "  | Scores: Situation +2, Engagement +1\n"
        "  | Trust +12 (50 -> 62); Dana is now open.\n"
        "  | You moved up the ladder: service-provider -> peer.\n"
        "\n"
        "Dana: Go on.\n"
    ) in text
    assert text.count("| Coach:") == 3
    assert "  | Your climb to trusted-advisor did not happen. Dana was not ready" in text
    assert ">=" not in text
    assert "Debrief: The testing talk" in text
    assert text.index("Dana: Agreed. Do it.") < text.index("Debrief: The testing talk")


def test_debrief_mode_shows_nothing_until_the_end() -> None:
    out = parley("play", str(SORE), "--choices", "facts,options,advise", "--feedback", "debrief")
    assert out.returncode == 0, out.stderr
    before, _, after = out.stdout.partition("Debrief: The testing talk")
    assert after, "the debrief is missing"
    for hidden in ["Coach:", "Scores:", "Trust +", "moved up", "did not happen"]:
        assert hidden not in before, hidden
    assert "Weakest: Recommendation (71%)" in after


def test_a_debrief_mode_scenario_can_be_played_with_immediate_coaching() -> None:
    default = parley("play", str(GROW), "--choices", "ask_goal,explore,commit")
    assert default.returncode == 0, default.stderr
    assert "Coach:" not in default.stdout.partition("Debrief:")[0]
    assert "GROW: what you earned on each dimension" in default.stdout
    coached = parley(
        "play", str(GROW), "--choices", "ask_goal,explore,commit", "--feedback", "immediate"
    )
    assert "  | Coach: She names her own goal: the conversation is hers." in coached.stdout
    assert "  | Scores: Goal +2" in coached.stdout


def test_a_bad_feedback_mode_is_a_usage_error_without_traceback() -> None:
    out = parley("play", str(SORE), "--choices", "facts", "--feedback", "sometimes")
    assert out.returncode == 2
    assert "'sometimes' is not one of 'immediate', 'debrief'" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


@pytest.mark.parametrize("mode, scores_shown", [("immediate", True), ("debrief", False)])
def test_an_unfinished_play_shows_where_it_stands_and_no_debrief(
    mode: str, scores_shown: bool
) -> None:
    out = parley("play", str(SORE), "--choices", "facts,blame", "--feedback", mode)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Debrief" not in text
    assert "Where it stands after 2 turns:" in text
    assert "  Trust 52: Dana is neutral." in text
    assert "  You are peer on the ladder." in text
    assert ("SORE so far: Situation +0, Options +0" in text) == scores_shown
    assert "Your options now (the play has not ended, so there is no debrief yet):" in text
    # numbered as on screen (file order without --seed), never a choice id
    assert "  1. My advice: the focused cycle, with go/no-go criteria." in text
    assert "[advise]" not in text


# ------------------------------------------------------------------ 80 columns


def _budget_cut_play() -> list[str]:
    sc = load_scenario(bundled_dir() / "budget-cut.yaml")
    conv = Conversation(sc)
    while conv.offered():
        conv.choose(conv.offered()[-1].id)
    return conv.choices_made


@pytest.mark.parametrize("lang", ["en", "nl", "sv"])
@pytest.mark.parametrize("mode", ["immediate", "debrief"])
def test_the_whole_transcript_fits_80_columns(lang: str, mode: str) -> None:
    choices = ",".join(_budget_cut_play())
    out = parley("play", "budget-cut", "--choices", choices, "--lang", lang, "--feedback", mode)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    heading = {"en": "Debrief: ", "nl": "Nabespreking: ", "sv": "Genomgång: "}[lang]
    assert heading in out.stdout  # the debrief is there, headed in the player's language
    too_long = [line for line in lines if len(line) > 80]
    assert too_long == []


def test_transcript_lines_of_the_fixture_fit_a_narrow_terminal(sore: Scenario) -> None:
    conv = Conversation.replay(sore, ["cave", "retract", "promise"])
    for width in (50, 80):
        lines = transcript_lines(conv, width=width)
        assert max(len(line) for line in lines) <= width
