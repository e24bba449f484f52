"""The translator round trip through the real command: export a PO/XLIFF file, a translator
edits it, import writes only the translated strings back, and `parley check` flags a
translation whose source changed afterwards."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import polib
import pytest

from engine.i18n import read, source_hash
from tests.cli import ROOT, parley

FLAGSHIP = ROOT / "scenarios" / "budget-cut.yaml"
ENGLISH_ONLY = ROOT / "scenarios" / "stuck-delivery.yaml"


def _copy(tmp_path: Path, source: Path) -> Path:
    shutil.copytree(ROOT / "scenarios" / "frameworks", tmp_path / "frameworks")
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_export_lists_every_text_with_id_source_and_translation(tmp_path: Path) -> None:
    out = tmp_path / "nl.po"
    r = parley("i18n", "export", "budget-cut", "--lang", "nl", "-o", str(out))
    assert r.returncode == 0, r.stderr
    po = polib.pofile(str(out))
    assert po.metadata["Language"] == "nl"
    by_id = {e.msgctxt: e for e in po}
    cave = by_id["nodes.opening.choices.cave.text"]
    source = next(
        e
        for e in read(FLAGSHIP.read_text(encoding="utf-8")).entries("nl")
        if e.id == "nodes.opening.choices.cave.text"
    )
    assert (cave.msgid, cave.msgstr) == (source.source, source.translation)
    assert cave.msgid and cave.msgstr and cave.msgid != cave.msgstr
    assert f"source hash {source_hash(cave.msgid)}" in cave.comment
    assert "characters.dana.role" in by_id and "title" in by_id
    assert "texts, " in r.stderr and "translated into nl" in r.stderr


def test_round_trip_touches_only_the_translated_strings(tmp_path: Path) -> None:
    scenario = _copy(tmp_path, FLAGSHIP)
    before = scenario.read_text(encoding="utf-8")
    po_path = tmp_path / "nl.po"
    assert (
        parley("i18n", "export", str(scenario), "--lang", "nl", "-o", str(po_path)).returncode == 0
    )

    # the translator revises two strings and leaves the rest alone
    po = polib.pofile(str(po_path))
    edits = {
        "nodes.opening.choices.cave.text": "Helder. Ik haal cyclus drie eruit en stuur vanavond de nieuwe planning.",
        "nodes.opening.text": "Ik heb je planning gelezen. Live op de 23e? Schrap cyclus drie.",
    }
    for e in po:
        if e.msgctxt in edits:
            e.msgstr = edits[e.msgctxt]
    po.save(str(po_path))

    r = parley("i18n", "import", str(scenario), str(po_path))
    assert r.returncode == 0, r.stderr
    assert "wrote 2 nl translations" in r.stderr
    after = scenario.read_text(encoding="utf-8")
    changed = _changed_lines(before, after)
    removed = [line for line in changed if line.startswith("-")]
    added = [line for line in changed if line.startswith("+")]
    # only the two Dutch values changed, each on its own line, with the source hash beside it
    assert len(removed) == 2 and all(line.lstrip("- ").startswith("nl:") for line in removed)
    assert len(added) == 2 and all("# parley:nl=" in line for line in added)
    assert any(edits["nodes.opening.text"] in line for line in added)
    # comments and everything else are as they were
    assert after.splitlines()[0] == before.splitlines()[0]
    assert after.count("\n#") == before.count("\n#")

    check = parley("check", "--strict", str(scenario))
    assert check.returncode == 0, check.stdout + check.stderr
    # importing the same file again changes nothing
    again = parley("i18n", "import", str(scenario), str(po_path))
    assert "wrote 0 nl translations" in again.stderr
    assert scenario.read_text(encoding="utf-8") == after


def test_a_source_edit_makes_the_translation_stale(tmp_path: Path) -> None:
    scenario = _copy(tmp_path, FLAGSHIP)
    po_path = tmp_path / "sv.po"
    parley("i18n", "export", str(scenario), "--lang", "sv", "-o", str(po_path))
    r = parley("i18n", "import", "--confirm-unchanged", str(scenario), str(po_path))
    texts = len(read(scenario.read_text(encoding="utf-8")).entries("sv"))
    assert r.returncode == 0 and f"wrote {texts} sv translations" in r.stderr
    assert "P230" not in parley("check", str(scenario)).stdout

    text = scenario.read_text(encoding="utf-8")
    old = next(e.source for e in read(text).entries("sv") if e.id.endswith("cave.text"))
    assert text.count(old) >= 1
    scenario.write_text(text.replace(old, "Fine. Cycle three is gone; revised plan tonight.", 1))
    r = parley("check", str(scenario))
    assert "warning[P230]: the sv translation of nodes.opening.choices.cave.text" in r.stdout
    assert "nl translation of nodes.opening.choices.cave.text" not in r.stdout  # never imported

    # the next export marks it fuzzy for the translator
    parley("i18n", "export", str(scenario), "--lang", "sv", "-o", str(po_path))
    entry = next(e for e in polib.pofile(str(po_path)) if e.msgctxt.endswith("cave.text"))
    assert "fuzzy" in entry.flags and "the source has changed" in entry.comment


def test_xliff_round_trip_into_a_new_language(tmp_path: Path) -> None:
    scenario = _copy(tmp_path, ENGLISH_ONLY)
    before = scenario.read_text(encoding="utf-8")
    xlf = tmp_path / "de.xlf"
    assert parley("i18n", "export", str(scenario), "--lang", "de", "-o", str(xlf)).returncode == 0
    body = xlf.read_text(encoding="utf-8")
    assert 'trgLang="de"' in body and '<unit id="title">' in body
    body = body.replace(
        "<source>The project that keeps slipping</source>",
        "<source>The project that keeps slipping</source>\n        <target>Das Projekt, das immer wieder rutscht</target>",
    )
    xlf.write_text(body, encoding="utf-8")
    r = parley("i18n", "import", str(scenario), str(xlf))
    assert r.returncode == 0, r.stderr
    after = scenario.read_text(encoding="utf-8")
    assert len(_changed_lines(before, after)) == 2  # the title line, now a map of languages
    doc = read(after)
    title = next(e for e in doc.entries("de") if e.id == "title")
    assert title.translation == "Das Projekt, das immer wieder rutscht" and not title.stale
    check = parley("check", str(scenario))
    assert check.returncode == 0 and "error" not in check.stdout.split("checked")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "budget-cut", "--lang", "en"], "the scenario's own language"),
        (["export", "budget-cut", "--lang", "not a lang"], "is not a language code"),
        (["export", "no-such-scenario", "--lang", "nl"], "no-such-scenario"),
    ],
)
def test_usage_errors_are_one_clear_message(args: list[str], message: str) -> None:
    r = parley("i18n", *args)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_a_broken_translation_file_is_refused_clearly(tmp_path: Path) -> None:
    scenario = _copy(tmp_path, FLAGSHIP)
    bad = tmp_path / "bad.xlf"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    r = parley("i18n", "import", str(scenario), str(bad))
    assert r.returncode != 0 and "DOCTYPE" in r.stderr and "Traceback" not in r.stderr
    po = tmp_path / "unknown.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\nmsgctxt "nodes.gone.text"\nmsgid "x"\nmsgstr "y"\n'
    )
    r = parley("i18n", "import", str(scenario), str(po))
    assert r.returncode == 0 and "nodes.gone.text is not a text" in r.stderr


def test_a_plain_string_with_a_comma_becomes_a_valid_map_of_languages(tmp_path: Path) -> None:
    # A plain (unquoted) source with a comma inside a new flow map must be quoted, or the
    # comma would split it; the C composer reports plain scalars with style "" (not None).
    scenario = _copy(tmp_path, ENGLISH_ONLY)
    text = scenario.read_text(encoding="utf-8")
    text = text.replace("title: The project that keeps slipping", "title: Slipping, again")
    scenario.write_text(text, encoding="utf-8")
    po_path = tmp_path / "nl.po"
    assert (
        parley("i18n", "export", str(scenario), "--lang", "nl", "-o", str(po_path)).returncode == 0
    )
    po = polib.pofile(str(po_path))
    next(e for e in po if e.msgctxt == "title").msgstr = "Weer uitgelopen, alweer"
    po.save(str(po_path))

    r = parley("i18n", "import", str(scenario), str(po_path))
    assert r.returncode == 0, r.stderr
    assert 'title: { en: "Slipping, again", nl: "Weer uitgelopen, alweer" }' in scenario.read_text(
        encoding="utf-8"
    )
    play = parley("play", str(scenario), "--lang", "nl", "--choices", "open-the-plan,add-buffers")
    assert play.returncode == 0, play.stderr
    assert "Weer uitgelopen, alweer" in play.stdout
