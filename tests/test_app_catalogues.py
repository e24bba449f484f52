"""A trainer adds a language to Parley's own words with a PO file, through the real command:
`parley i18n app` writes the catalogue, `--check` lists its problems with file:line,
`--install` puts it where every command finds it, and plays speak it."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from tests.cli import ROOT, parley

FIXTURE = ROOT / "tests" / "fixtures" / "core_mini.yaml"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"PARLEY_DATA_DIR": str(tmp_path / "data")}


def _scenario_in(tmp_path: Path, lang: str) -> Path:
    """The mini scenario, its English texts declared as `lang` (a play in `lang` then
    shows the scenario as written and Parley's words from the `lang` catalogue)."""
    path = tmp_path / "core-mini.yaml"
    text = FIXTURE.read_text(encoding="utf-8").replace("language: en", f"language: {lang}")
    path.write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "scenarios" / "frameworks", tmp_path / "frameworks")
    return path


def _write_catalogue(tmp_path: Path, env: dict[str, str], lang: str) -> tuple[Path, polib.POFile]:
    path = tmp_path / f"{lang}.po"
    r = parley("i18n", "app", "--lang", lang, "-o", str(path), env=env)
    assert r.returncode == 0, r.stderr
    return path, polib.pofile(str(path))


def test_a_trainer_adds_a_language_for_parleys_own_words(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """A catalogue written by `parley i18n app`, translated without writing Python and
    installed, is what a play in that language speaks."""
    po_path, po = _write_catalogue(tmp_path, env, "de")
    assert po.metadata["Language"] == "de"
    by_key = {e.msgctxt: e for e in po}
    assert by_key["coach.feedback"].msgid == "Coach: {text}"
    assert "keep these placeholders: {text}" in by_key["coach.feedback"].comment
    assert all(not e.msgstr for e in po)  # a new language starts empty
    by_key["coach.feedback"].msgstr = "Trainerin: {text}"
    by_key["turn"].msgstr = "Zug {turn}"
    by_key["coach.scores"].msgstr = "Punkte: {punkte}"  # a wrong placeholder: left out
    po.save(str(po_path))

    r = parley("i18n", "app", "--lang", "de", "--install", str(po_path), env=env)
    assert r.returncode == 0, r.stderr
    line = po_path.read_text(encoding="utf-8").splitlines().index('msgstr "Punkte: {punkte}"')
    assert (
        f"error: {po_path}:{line + 1}: coach.scores: placeholders differ from the English "
        "(missing {scores}; unknown {punkte}); English is used (keep exactly {scores})"
    ) in r.stderr
    assert "2 of " in r.stderr and (tmp_path / "data" / "locales" / "de.po").is_file()

    german = _scenario_in(tmp_path, "de")
    play = parley("play", str(german), "--choices", "push", "--lang", "de", env=env)
    assert play.returncode == 0, play.stderr
    assert "Trainerin: You made room for the facts." in play.stdout
    assert "Scores: Situation +2" in play.stdout  # English where the catalogue had no usable text

    # another data folder has no German: English throughout
    other = parley(
        "play",
        str(german),
        "--choices",
        "push",
        "--lang",
        "de",
        env={"PARLEY_DATA_DIR": str(tmp_path / "other")},
    )
    assert "Coach: You made room" in other.stdout and "Trainerin" not in other.stdout

    # the next catalogue written for German starts from what is installed
    _, po = _write_catalogue(tmp_path, env, "de")
    assert {e.msgctxt: e.msgstr for e in po}["coach.feedback"] == "Trainerin: {text}"


def test_a_catalogue_in_the_earlier_shape_keeps_working(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """What `parley i18n app` wrote before the shipped words became PO files (no header
    comment, no notes) still installs and speaks."""
    old = tmp_path / "fr.po"
    old.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. keep these placeholders: {text}\nmsgctxt "coach.feedback"\n'
        'msgid "Coach: {text}"\nmsgstr "Entraîneur : {text}"\n',
        encoding="utf-8",
    )
    r = parley("i18n", "app", "--lang", "fr", "--install", str(old), env=env)
    assert r.returncode == 0, r.stderr
    french = _scenario_in(tmp_path, "fr")
    play = parley("play", str(french), "--choices", "push", "--lang", "fr", env=env)
    assert "Entraîneur : You made room for the facts." in play.stdout, play.stdout


def test_a_trainers_dutch_words_override_the_shipped_ones_one_by_one(
    tmp_path: Path, env: dict[str, str]
) -> None:
    po_path, po = _write_catalogue(tmp_path, env, "nl")
    by_key = {e.msgctxt: e for e in po}
    assert by_key["coach.scores"].msgstr == "Punten: {scores}"  # starts from Parley's Dutch
    by_key["coach.feedback"].msgstr = "Trainer: {text}"
    for key, e in by_key.items():
        if key != "coach.feedback":
            e.msgstr = ""  # the trainer keeps only the word they changed
    po.save(str(po_path))
    r = parley("i18n", "app", "--lang", "nl", "--install", str(po_path), env=env)
    assert r.returncode == 0 and "the rest stay Parley's own" in r.stderr, r.stderr
    play = parley("play", "budget-cut", "--choices", "cave", "--lang", "nl", env=env)
    assert "Trainer: " in play.stdout and "Punten: " in play.stdout, play.stdout


def test_check_lists_each_problem_with_its_line(tmp_path: Path, env: dict[str, str]) -> None:
    po_path, po = _write_catalogue(tmp_path, env, "de")
    by_key = {e.msgctxt: e for e in po}
    by_key["coach.feedback"].msgstr = "Trainerin: {txt}"
    by_key["turn"].msgstr = "Zug {turn}"
    by_key["turn"].msgid = "Round {turn}"  # translated from English that has since changed
    po.append(polib.POEntry(msgctxt="coach.gone", msgid="Gone", msgstr="Weg"))
    po.save(str(po_path))
    lines = po_path.read_text(encoding="utf-8").splitlines()

    def at(msgstr: str) -> str:
        line = lines.index('msgstr "' + msgstr + '"') + 1
        return f"{po_path}:{line}"

    r = parley("i18n", "app", "--lang", "de", "--check", str(po_path), env=env)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    errors = r.stderr.splitlines()
    feedback, gone, turn = at("Trainerin: {txt}"), at("Weg"), at("Zug {turn}")
    assert f"error: {feedback}: coach.feedback: placeholders differ" in r.stderr
    assert f"error: {gone}: coach.gone: Parley has no message with this key" in r.stderr
    assert f"warning: {turn}: turn: translated from older English (now: 'Turn {{turn}}')" in (
        r.stderr
    )
    assert len([e for e in errors if e.startswith(("error:", "warning:"))]) == 3
    assert "1 of " in r.stdout and "(2 errors, 1 warning)" in r.stdout

    # installed, the catalogue written next marks the stale translation for review
    assert parley("i18n", "app", "--lang", "de", "--install", str(po_path), env=env).returncode == 0
    _, fresh = _write_catalogue(tmp_path, env, "de")
    entry = {e.msgctxt: e for e in fresh}["turn"]
    assert entry.msgstr == "Zug {turn}" and "fuzzy" in entry.flags
    assert entry.previous_msgid == "Round {turn}"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('msgctxt "turn"\nmsgid "Turn {turn}"\nmsgstr "Zug\n\nbogus line\n', ":5: not valid PO"),
        (b"\xff\xfe\x00broken", "not UTF-8 text"),
    ],
)
def test_a_broken_catalogue_is_one_clear_message(
    tmp_path: Path, env: dict[str, str], content: str | bytes, message: str
) -> None:
    bad = tmp_path / "de.po"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    checked = parley("i18n", "app", "--lang", "de", "--check", str(bad), env=env)
    assert checked.returncode == 1 and message in checked.stderr, checked.stderr
    assert checked.stderr.count("error:") == 1 and "Traceback" not in checked.stderr
    installed = parley("i18n", "app", "--lang", "de", "--install", str(bad), env=env)
    assert installed.returncode == 2 and "nothing installed" in installed.stderr
    assert message in installed.stderr and "Traceback" not in installed.stderr
    assert not (tmp_path / "data" / "locales" / "de.po").exists()


def test_a_broken_installed_catalogue_leaves_plays_in_english(
    tmp_path: Path, env: dict[str, str]
) -> None:
    folder = tmp_path / "data" / "locales"
    folder.mkdir(parents=True)
    (folder / "de.po").write_text('msgctxt "turn"\nmsgstr "Zug\n\nbogus\n', encoding="utf-8")
    german = _scenario_in(tmp_path, "de")
    play = parley("play", str(german), "--choices", "push", "--lang", "de", env=env)
    assert play.returncode == 0 and "Coach: You made room" in play.stdout, play.stderr
    assert "Traceback" not in play.stderr
    checked = parley("i18n", "app", "--lang", "de", "--check", env=env)
    assert checked.returncode == 1 and f"{folder / 'de.po'}:" in checked.stderr


def test_usage_errors_of_i18n_app_are_one_clear_message(env: dict[str, str]) -> None:
    r = parley("i18n", "app", "--lang", "en", env=env)
    assert r.returncode == 2 and "is not a language to translate into" in r.stderr
    r = parley("i18n", "app", "--lang", "de", "--check", env=env)
    assert r.returncode == 2 and "no catalogue for de" in r.stderr
    assert "Traceback" not in r.stderr
