"""Parley's own words in the player's language: the PO catalogues, and the engine's texts."""

from __future__ import annotations

import json
import os
import string
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from engine.conversation import Conversation
from engine.feedback import coaching_for, render_debrief_text
from engine.library import bundled_dir
from engine.loader import load_scenario
from engine.messages import (
    LOCALES,
    TEMPLATE,
    english,
    language,
    shipped_languages,
    t,
    tn,
)
from engine.messages.po import merge, read_catalogue
from engine.play import debrief_for, play_json, transcript_lines

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures"
MINI = FIX / "core_mini.yaml"
SORE = FIX / "feedback_sore.yaml"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_parley_ships_dutch_and_swedish_catalogues_beside_the_template() -> None:
    assert shipped_languages() == ("nl", "sv")
    assert len(english()) > 250 and english()["coach.feedback"] == "Coach: {text}"


def test_the_template_is_a_pot_file_with_every_placeholder_named_for_translators() -> None:
    pot = polib.pofile(str(TEMPLATE))
    keys = [e.msgctxt for e in pot]
    assert len(keys) == len(set(keys)) == len(english())  # one entry per key, none without
    assert [e.msgctxt for e in pot if e.msgstr] == []  # a template: English only
    for e in pot:
        want = fields(e.msgid)
        note = "keep these placeholders: " + ", ".join("{" + f + "}" for f in sorted(want))
        assert (note in e.comment) == bool(want), e.msgctxt


@pytest.mark.parametrize("lang", ["nl", "sv"])
def test_every_shipped_catalogue_has_every_key_with_the_same_placeholders(lang: str) -> None:
    path = LOCALES / f"{lang}.po"
    found = read_catalogue(path, english())
    assert found.readable and found.language == lang
    assert found.problems == [] and found.warnings == []  # placeholders, keys, stale English
    assert sorted(set(english()) - set(found.messages)) == []  # missing (or fuzzy, empty)
    assert sorted(set(found.entries) - set(english())) == []  # stray
    differ = {k: (fields(english()[k]), fields(v)) for k, v in found.messages.items()}
    assert {k: v for k, v in differ.items() if v[0] != v[1]} == {}
    assert [k for k, v in found.messages.items() if not v.strip()] == []


@pytest.mark.parametrize("lang", ["nl", "sv"])
def test_shipped_catalogues_are_what_parley_i18n_app_writes(lang: str) -> None:
    """After a change to the template, `parley i18n app --lang nl -o
    engine/messages/locales/nl.po` brings the catalogue up to date (new messages empty,
    changed English fuzzy); a file in any other shape fails here."""
    path = LOCALES / f"{lang}.po"
    entries = read_catalogue(path, english()).entries
    assert merge(TEMPLATE, lang, entries) == path.read_text(encoding="utf-8")


def test_every_message_the_code_names_is_in_the_template() -> None:
    """A key typed in the code but missing from parley.pot would fail only when shown."""
    import re

    named = set()
    for folder in ("engine", "simulator"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            named |= set(re.findall(r'\b(?:t|word)\(\s*"([a-z_.]+)"', text))
            for stem in re.findall(r'\btn\(\s*"([a-z_.]+)"', text):
                named |= {f"{stem}.one", f"{stem}.other"}
    assert len(named) > 100
    assert sorted(named - set(english())) == []


def test_plural_keys_come_in_pairs() -> None:
    keys = set(english())
    stems = {k.rsplit(".", 1)[0] for k in keys if k.endswith((".one", ".other"))}
    assert stems and all({f"{s}.one", f"{s}.other"} <= keys for s in stems)


PROBE = """
import json, sys
from simulator.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.__stderr__.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _modules_after(*args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "PARLEY_DEBUG"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = [x for x in out.stderr.splitlines() if x.startswith("MODULES ")]
    assert line, out.stderr
    return set(json.loads(line[-1].removeprefix("MODULES ")))


@pytest.mark.parametrize(
    ("args", "reads"),
    [
        (["--version"], False),
        (["--help"], False),
        (["play", "budget-cut", "--choices", "", "--json"], False),  # ids only: no words
        (["--no-cache", "play", "budget-cut", "--choices", "cave", "--lang", "nl"], True),
    ],
)
def test_a_catalogue_is_read_only_by_a_command_that_shows_words(
    args: list[str], reads: bool
) -> None:
    """(With the cache, a later play reads no PO file at all: tests/test_messages_cache.py.)"""
    loaded = _modules_after(*args)
    assert ("polib" in loaded) == reads


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
    for word in [
        "Debrief",
        "Total ",
        "Turns that changed",
        "Hierarchy",
        "Trust (",
        "you said",
        "decisive",
        "Model ",
    ]:
        assert word not in text
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
