"""`parley play` and `parley room` in Dutch and Swedish: Parley's own words follow --lang."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.conversation import Conversation
from engine.feedback.model_answer import model_conversation
from engine.library import find_scenario, list_scenarios
from engine.loader import load_scenario
from tests.cli import parley

MINI = Path(__file__).parent / "fixtures" / "core_mini.yaml"

# Parley's English phrases a Dutch or Swedish player must no longer see
ENGLISH = [
    "Scores:",
    "Trust ",
    "You moved",
    "Your climb",
    "Where it stands",
    "Your options now",
    "Debrief",
    "Ending:",
    "Strongest:",
    "Weakest:",
    "Biggest swings",
    "you said",
    "Hierarchy:",
    "The road not taken",
    "You could have said",
    "Endings you did not reach",
    "Compared with the best",
    "Framework total",
    "Final trust",
    "(success)",
    "(partial)",
    "(failure)",
]


def play_to_an_ending(scenario: str, lang: str, pick: int) -> list[str]:
    """Choice ids that play `scenario` to an ending, taking offered choice number `pick`."""
    conv = Conversation(load_scenario(find_scenario(scenario)), lang=lang)
    while conv.offered():
        offered = conv.offered()
        conv.choose(offered[min(pick, len(offered) - 1)].id)
    return conv.choices_made


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text]


def test_a_dutch_play_to_an_ending_shows_dutch_chrome() -> None:
    choices = (
        "ask_two_minutes,three_numbers,three_options,shared_facts_vendor,"
        "recommend_focused,fallback_benelux,draft_board_note,clear_asks"
    )
    out = parley("--lang", "nl", "play", "budget-cut", "--choices", choices)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for dutch in [
        "> Sam: Voordat je besluit",
        "  | Coach: Je vroeg ruimte om de feiten neer te leggen",
        "  | Punten: Situatie +2, Betrokkenheid +1",
        "  | Vertrouwen +5 (45 -> 50).",
        "  | Je klom op de ladder: dienstverlener -> gelijkwaardige partner.",
        "  | Vertrouwen +5 (55 -> 60); Dana Okafor is nu open.",
        "Nabespreking: De sponsor wil de laatste testcyclus schrappen",
        "Einde: Van projectmanager naar adviseur (geslaagd)",
        "Het beslissende moment\n  Beurt 8 besliste het: nadat je zei",
        "  Dimensie         Jij  Model      %",
        "  Totaal           +27    +28    98%",
        "Zwakst: Advies (94%)",
        "Beurten die iets veranderden:",
        "Beurt 3, vertrouwen +5 (55 -> 60), Dana Okafor werd open: je zei",
        "Hiërarchie: je begon als dienstverlener en eindigde als vertrouwde adviseur.",
        "De weg die je niet nam:",
        "Eindes die je niet bereikte (speel opnieuw om ze te vinden):",
        "Het modelgesprek (wat je had kunnen zeggen, beurt voor beurt):",
    ]:
        assert dutch in text
    assert english_in(text) == []
    assert max(len(line) for line in text.splitlines()) <= 80


def test_an_unfinished_dutch_play_says_where_it_stands() -> None:
    out = parley("play", "budget-cut", "--lang", "nl", "--choices", "ask_two_minutes")
    assert out.returncode == 0, out.stderr
    assert "Zo staat het na 1 beurt:\n  Vertrouwen 50: Dana Okafor is neutraal." in out.stdout
    assert "  Op de ladder ben je dienstverlener." in out.stdout
    assert "Je opties nu (het gesprek is nog niet afgelopen, dus er is nog geen" in out.stdout
    assert english_in(out.stdout) == []


def test_a_swedish_play_to_an_ending_shows_swedish_chrome() -> None:
    choices = ",".join(play_to_an_ending("quiet-expert", "sv", pick=1))
    out = parley("play", "quiet-expert", "--lang", "sv", "--choices", choices)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for swedish in [
        "  | Poäng: ",
        "  | Förtroende ",
        "Genomgång: ",
        "Avslutning: ",
        "  Dimension          Du  Modell      %",
        "  Totalt ",
        "Förtroende (",
        "Modellsamtalet (vad du kunde ha sagt, drag för drag):",
    ]:
        assert swedish in text
    assert english_in(text) == []
    assert max(len(line) for line in text.splitlines()) <= 80


def test_the_debrief_mode_transcript_is_dutch_too() -> None:
    out = parley("play", str(MINI), "--lang", "nl", "--choices", "cave", "--feedback", "debrief")
    assert out.returncode == 0, out.stderr
    assert "Einde: Half (deels geslaagd)" in out.stdout
    assert "| " not in out.stdout  # no coaching after each answer
    assert english_in(out.stdout) == []


def test_a_headless_room_play_in_dutch() -> None:
    out = parley("room", str(MINI), "--lang", "nl", "--votes", "3,1;4,1", "--no-record")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for dutch in [
        "Beurt 1: de groep stemt",
        "  Punten: ",
        "Het pad van de groep\n====================",
        "  De groep zei: Ik laat je het risico zien.",
        "  75% van 4 stemmen koos dit",
        "  80% van 5 stemmen koos dit",
        "Einde: Akkoord (geslaagd)",
        "Vertrouwen ",
    ]:
        assert dutch in text
    assert english_in(text) == []
    assert "The room" not in text and "votes agreed" not in text


# ------------------------------------------------------------------ no English mechanics

MECHANIC_WORDS = {
    # the default level and rung names, except where the translation is the same word
    "nl": [
        "hostile",
        "guarded",
        "neutral",
        "trusting",
        "order-taker",
        "service-provider",
        "peer",
        "trusted-advisor",
    ],
    "sv": [
        "hostile",
        "guarded",
        "trusting",
        "open ",
        "order-taker",
        "service-provider",
        "peer",
        "trusted-advisor",
    ],
}
CONDITION_BITS = [
    ">=",
    "<=",
    " == ",
    "!=",
    "trust_level",
    "hierarchy >",
    "visited(",
    "chose(",
    "it needs",
    "turns >",
]


def _plays(sc_path: Path, lang: str) -> list[list[str]]:
    """The model play and two more: always the first, always the last answer."""
    sc = load_scenario(sc_path)
    out = [list(model_conversation(sc, lang).choices)]
    for pick in (0, -1):
        conv = Conversation(sc, lang=lang)
        while conv.offered() and conv.turns < 60:
            conv.choose(conv.offered()[pick].id)
        out.append(list(conv.choices_made))
    return out


@pytest.mark.parametrize("lang", ["nl", "sv"])
def test_plays_in_dutch_and_swedish_print_no_english_level_rung_or_mechanic_words(
    lang: str,
) -> None:
    checked = 0
    for path in list_scenarios():
        if lang not in load_scenario(path).languages:
            continue
        for choices in _plays(path, lang):
            out = parley("play", str(path), "--lang", lang, "--choices", ",".join(choices))
            assert out.returncode == 0, out.stderr
            text = out.stdout
            for word in MECHANIC_WORDS[lang]:
                assert not re.search(rf"\b{re.escape(word.strip())}\b", text), (path.stem, word)
            for bit in CONDITION_BITS:
                assert bit not in text, (path.stem, bit)
            checked += 1
    assert checked >= 6
