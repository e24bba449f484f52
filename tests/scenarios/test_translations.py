"""Every Text in every scenario has every language the scenario uses anywhere.

This walks the raw YAML (yaml.safe_load), independently of the engine's loader, so a missing
translation is caught even if the checker's own walk were to miss a field. A Text is either a
plain string (in the scenario's `language`, default en) or a map of language code to string.

Text fields (SCENARIO-FORMAT.md): title, summary; each character's role (and name, when it is
given as a map: a plain-string name is a proper name and needs no translation, as in
`parley check`); each node's text and narration; each choice's text and feedback; each
ending's title and debrief.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

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
