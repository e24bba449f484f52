"""Parley's own words in the player's language: the catalogues, and the engine's texts."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from engine.conversation import Conversation
from engine.feedback import coaching_for, render_debrief_text
from engine.library import bundled_dir
from engine.loader import load_scenario
from engine.messages import CATALOGUES, language, t, tn
from engine.play import debrief_for, play_json, transcript_lines

FIX = Path(__file__).parent / "fixtures"
MINI = FIX / "core_mini.yaml"
SORE = FIX / "feedback_sore.yaml"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("lang", sorted(set(CATALOGUES) - {"en"}))
def test_every_catalogue_has_every_key_with_the_same_placeholders(lang: str) -> None:
    english, other = CATALOGUES["en"], CATALOGUES[lang]
    assert sorted(set(english) - set(other)) == []  # missing
    assert sorted(set(other) - set(english)) == []  # stray
    differ = {k: (fields(english[k]), fields(other[k])) for k in english}
    assert {k: v for k, v in differ.items() if v[0] != v[1]} == {}
    assert [k for k, v in other.items() if not v.strip()] == []


def test_plural_keys_come_in_pairs() -> None:
    keys = set(CATALOGUES["en"])
    stems = {k.rsplit(".", 1)[0] for k in keys if k.endswith((".one", ".other"))}
    assert all({f"{s}.one", f"{s}.other"} <= keys for s in stems)


def test_lookup_falls_back_to_english_and_knows_regions() -> None:
    assert t("coach.scores", "nl", scores="x") == "Punten: x"
    assert t("coach.scores", "de", scores="x") == "Scores: x"
    assert t("coach.scores", None, scores="x") == "Scores: x"
    assert language("nl-BE") == "nl" and language("sv_FI") == "sv" and language("fr") == "en"
    assert tn("play.standing", 1, "nl") == "Zo staat het na 1 beurt:"
    assert tn("play.standing", 3, "sv") == "Så här står det efter 3 omgångar:"
    with pytest.raises(KeyError):
        t("no.such.key", "en")


def test_coaching_lines_speak_the_plays_language() -> None:
    conv = Conversation(load_scenario(SORE), lang="nl")
    lines = coaching_for(conv, conv.choose("facts")).lines()
    assert lines[1:] == [
        "Punten: Situatie +2, Betrokkenheid +1",
        "Vertrouwen +12 (50 -> 62); Dana is nu open.",
        "Je klom op de ladder: dienstverlener -> gelijkwaardige partner.",
    ]
    english = coaching_for(conv, conv.history[-1]).lines("en")  # the labels were taken in nl
    assert english[1].startswith("Scores: ")
    assert english[2:] == [
        "Trust +12 (50 -> 62); Dana is now open.",
        "You moved up the ladder: service-provider -> peer.",
    ]


def test_the_debrief_text_in_swedish_has_no_english_headings() -> None:
    sc = load_scenario(bundled_dir() / "budget-cut.yaml")
    conv = Conversation(sc, lang="sv")
    while conv.offered():
        conv.choose(conv.offered()[0].id)
    text = render_debrief_text(debrief_for(conv))
    assert text.startswith("Genomgång: Sponsorn vill stryka den sista testcykeln")
    for heading in ["Totalt", "Hierarki: du ", "Modellsamtalet", "Det avgörande ögonblicket"]:
        assert heading in text
    for english in [
        "Debrief",
        "Total ",
        "Turns that changed",
        "Hierarchy",
        "Trust (",
        "you said",
        "decisive",
        "Model ",
    ]:
        assert english not in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_an_unfinished_dutch_play_says_where_it_stands_in_dutch() -> None:
    conv = Conversation.replay(load_scenario(MINI), ["push"], lang="nl")
    text = "\n".join(transcript_lines(conv))
    assert "Zo staat het na 1 beurt:" in text
    assert "Je opties nu (het gesprek is nog niet afgelopen" in text
    assert "Where it stands" not in text and "Your options now" not in text


def test_the_json_contract_stays_english_in_any_language() -> None:
    conv = Conversation.replay(load_scenario(MINI), ["push", "advise"], lang="nl")
    data = play_json(conv, explore=False)
    assert data["outcome"] == "success"
    assert data["debrief"]["ending"]["outcome"] == "success"
    assert data["debrief"]["ending"]["title"] == "Akkoord"  # scenario text follows --lang
    step = coaching_for(conv, conv.history[0]).as_dict()
    assert step["level"]["change"] in (None, f"Dana is now {step['level']['after']}")
