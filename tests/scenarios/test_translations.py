"""Every Text in every scenario has every language the scenario uses anywhere.

This walks the raw YAML (yaml.safe_load), independently of the engine's loader, so a missing
translation is caught even if the checker's own walk were to miss a field. A Text is either a
plain string (in the scenario's `language`, default en) or a map of language code to string.

Text fields (SCENARIO-FORMAT.md): title, summary; each character's role (and name, when it is
given as a map: a plain-string name is a proper name and needs no translation, as in
`parley check`); each node's text and narration; each choice's text and feedback; each
ending's title and debrief; the learning around the play (objectives, reflection prompts,
trainer notes).

It also pins the languages each bundled scenario ships, and plays the Dutch and Swedish
scenarios to every ending they have, in each language, as a player would.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.conversation import Conversation
from engine.feedback.model_answer import model_conversation
from engine.library import find_scenario
from engine.loader import load_scenario
from engine.model import Choice, Scenario
from tests.cli import parley

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))


def _texts(doc: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(where, value) for every Text field in a scenario document."""
    for key in ("title", "summary"):
        if key in doc:
            yield key, doc[key]
    for cid, char in (doc.get("characters") or {}).items():
        if isinstance(char, dict):
            if isinstance(char.get("name"), dict):
                yield f"characters.{cid}.name", char["name"]
            if "role" in char:
                yield f"characters.{cid}.role", char["role"]
    for nid, node in (doc.get("nodes") or {}).items():
        if not isinstance(node, dict):
            continue
        for key in ("text", "narration"):
            if key in node:
                yield f"nodes.{nid}.{key}", node[key]
        ending = node.get("ending")
        if isinstance(ending, dict):
            for key in ("title", "debrief"):
                if key in ending:
                    yield f"nodes.{nid}.ending.{key}", ending[key]
        for i, choice in enumerate(node.get("choices") or []):
            label = choice.get("id", f"{nid}.{i + 1}")
            for key in ("text", "feedback"):
                if key in choice:
                    yield f"nodes.{nid}.choices[{label}].{key}", choice[key]
    for key in ("objectives", "reflection"):
        for i, item in enumerate(doc.get(key) or []):
            yield f"{key}[{i}]", item
    if "trainer_notes" in doc:
        yield "trainer_notes", doc["trainer_notes"]


def _languages(value: Any, default: str) -> set[str]:
    return set(value) if isinstance(value, dict) else {default}


@pytest.fixture(params=SCENARIO_FILES, ids=lambda p: p.stem)
def document(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    path: Path = request.param
    with path.open(encoding="utf-8") as fh:
        return path.name, yaml.safe_load(fh)


def test_library_is_not_empty() -> None:
    assert len(SCENARIO_FILES) >= 2


def test_every_text_has_every_language(document: tuple[str, dict[str, Any]]) -> None:
    name, doc = document
    default = doc.get("language", "en")
    texts = list(_texts(doc))
    assert texts, f"{name}: no Text fields found"
    used = {default}
    for _, value in texts:
        used |= _languages(value, default)
    missing = [
        f"{where}: lacks {sorted(used - _languages(value, default))}"
        for where, value in texts
        if _languages(value, default) != used
    ]
    assert not missing, f"{name} uses {sorted(used)}; missing translations:\n" + "\n".join(missing)


def test_every_translation_is_a_nonempty_string(document: tuple[str, dict[str, Any]]) -> None:
    name, doc = document
    bad = []
    for where, value in _texts(doc):
        items = value.items() if isinstance(value, dict) else [(doc.get("language", "en"), value)]
        for lang, text in items:
            if not isinstance(text, str) or not text.strip():
                bad.append(f"{where} [{lang}]")
    assert not bad, f"{name}: empty or non-string translations: {bad}"


# ---------------------------------------------------------------- the languages each file ships

# A translation that disappears from a file (a bad merge, an import gone wrong) would make the
# checks above pass trivially: the file would simply use fewer languages. So pin them.
SHIPPED = {
    "budget-cut": {"en", "nl", "sv"},
    "extra-pair-of-hands": {"en", "nl", "sv"},
    "make-it-green": {"en", "nl", "sv"},
    "first-update": {"en", "nl"},
    "quiet-expert": {"en", "sv"},
    "stepping-stone": {"en", "nl"},
}
# Scenarios whose Dutch and Swedish plays are followed to every ending below.
PLAYED = ("extra-pair-of-hands", "make-it-green")


@pytest.mark.parametrize("sid", sorted(SHIPPED))
def test_the_scenario_ships_its_languages(sid: str) -> None:
    sc = load_scenario(find_scenario(sid))
    assert sc.languages >= SHIPPED[sid], f"{sid} lacks {sorted(SHIPPED[sid] - sc.languages)}"


def _paths_to_every_ending(sc: Scenario) -> dict[str, list[str]]:
    """One choice path to each ending a play can reach (breadth first over distinct states)."""
    endings = {n.id for n in sc.nodes.values() if n.ending is not None}
    found: dict[str, list[str]] = {}
    seen: set[tuple[Any, ...]] = set()
    todo: deque[list[str]] = deque([[]])
    while todo and len(found) < len(endings):
        path = todo.popleft()
        conv = Conversation.replay(sc, path)
        if conv.ended:
            found.setdefault(conv.node.id, path)
            continue
        state = (
            conv.node.id,
            conv.trust,
            conv.rung,
            tuple(sorted(conv.flags.items())),
            frozenset(conv.visited),
            frozenset(conv.chosen),
        )
        if state not in seen:
            seen.add(state)
            todo.extend([*path, c.id] for c in conv.offered())
    return found


@pytest.fixture(scope="module", params=PLAYED)
def endings(request: pytest.FixtureRequest) -> tuple[Scenario, dict[str, list[str]]]:
    sc = load_scenario(find_scenario(request.param))
    return sc, _paths_to_every_ending(sc)


@pytest.mark.parametrize("lang", ["nl", "sv"])
def test_every_ending_is_reached_in_the_language(
    endings: tuple[Scenario, dict[str, list[str]]], lang: str
) -> None:
    sc, paths = endings
    assert set(paths) == {n.id for n in sc.nodes.values() if n.ending is not None}
    for ending, path in paths.items():
        conv = Conversation.replay(sc, path, lang=lang)
        assert conv.lang == lang and conv.ended and conv.node.id == ending
        seen = [sc.nodes[nid] for nid in conv.path]
        texts = [n.text for n in seen] + [n.narration for n in seen if n.narration is not None]
        for choice in _chosen(sc, conv):
            texts += [choice.text] + ([choice.feedback] if choice.feedback is not None else [])
        ending_texts = [conv.node.ending.title, conv.node.ending.debrief]  # type: ignore[union-attr]
        untranslated = [t.get("en") for t in texts + ending_texts if lang not in t.languages]
        assert untranslated == [], f"{sc.id} [{lang}] on the way to {ending}"


def _chosen(sc: Scenario, conv: Conversation) -> list[Choice]:
    by_id = {c.id: c for n in sc.nodes.values() for c in n.choices}
    return [by_id[step.choice] for step in conv.history]


_ENDING_WORD = {"nl": "Einde: ", "sv": "Avslutning: "}


@pytest.mark.parametrize("lang", ["nl", "sv"])
def test_the_best_play_reads_in_the_language(
    endings: tuple[Scenario, dict[str, list[str]]], lang: str
) -> None:
    """The transcript a player gets from `parley play --lang`: their language, no English."""
    sc, _ = endings
    choices = list(model_conversation(sc, lang).choices)
    conv = Conversation.replay(sc, choices, lang=lang)
    assert conv.ended and conv.outcome == "success"
    out = parley("play", sc.id, "--lang", lang, "--choices", ",".join(choices))
    assert out.returncode == 0, out.stderr
    title = conv.node.ending.title  # type: ignore[union-attr]
    assert _ENDING_WORD[lang] + title.get(lang) in out.stdout
    shown = " ".join(out.stdout.split())  # the transcript wraps long lines
    english = [sc.nodes[nid].text for nid in conv.path] + [c.text for c in _chosen(sc, conv)]
    leaked = [
        t.get("en")[:30]
        for t in english
        if t.get("en")[:30] in shown
        and not (lang in t.languages and t.get(lang)[:30] == t.get("en")[:30])
    ]
    assert leaked == []
