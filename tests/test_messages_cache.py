"""Catalogues read before come from the cache folder: same words, no polib, no stale entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

from engine.diskcache import write_entry
from engine.messages import TEMPLATE
from engine.messages.cache import MAGIC, cached
from tests.cli import ROOT, parley

PROBE = """
import json, sys
from simulator.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.__stderr__.write("\\nPOLIB " + json.dumps("polib" in sys.modules) + "\\n")
"""


def _play(cache: Path, data: Path, *args: str) -> tuple[str, bool]:
    """stdout of `parley play ARGS`, and whether it imported polib."""
    env = {**os.environ, "PARLEY_CACHE_DIR": str(cache), "PARLEY_DATA_DIR": str(data)}
    env.pop("PARLEY_DEBUG", None)
    env.pop("PARLEY_NO_CACHE", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "play", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    line = [x for x in out.stderr.splitlines() if x.startswith("POLIB ")][-1]
    return out.stdout, json.loads(line.removeprefix("POLIB "))


def test_a_second_play_reads_the_words_from_the_cache_without_polib(tmp_path: Path) -> None:
    args = ("budget-cut", "--choices", "cave", "--lang", "nl")
    first, parsed = _play(tmp_path / "cache", tmp_path / "data", *args)
    assert parsed and "Zo staat het na 1 beurt:" in first
    entries = sorted((tmp_path / "cache" / "messages").glob("*.words"))
    assert len(entries) == 2  # the template and nl.po
    second, parsed = _play(tmp_path / "cache", tmp_path / "data", *args)
    assert second == first and not parsed


def test_an_edited_trainer_catalogue_is_read_again_at_once(tmp_path: Path) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    po_path = tmp_path / "de.po"
    assert parley("i18n", "app", "--lang", "de", "-o", str(po_path)).returncode == 0
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgctxt == "coach.feedback")
    entry.msgstr = "Trainerin: {text}"
    po.save(str(po_path))
    (data / "locales").mkdir(parents=True)
    installed = data / "locales" / "de.po"
    installed.write_text(po_path.read_text(encoding="utf-8"), encoding="utf-8")
    scenario = tmp_path / "mini.yaml"
    fixture = (ROOT / "tests" / "fixtures" / "core_mini.yaml").read_text(encoding="utf-8")
    scenario.write_text(fixture.replace("language: en", "language: de"), encoding="utf-8")
    (tmp_path / "frameworks").symlink_to(ROOT / "scenarios" / "frameworks")
    args = (str(scenario), "--choices", "push", "--lang", "de")

    before, _ = _play(cache, data, *args)
    assert "Trainerin: You made room" in before
    # the same size, another word: a cache keyed by size or time alone would miss it
    text = installed.read_text(encoding="utf-8").replace("Trainerin: {text}", "Trainer*n: {text}")
    installed.write_text(text, encoding="utf-8")
    after, parsed = _play(cache, data, *args)
    assert "Trainer*n: You made room" in after and parsed


def test_a_damaged_or_foreign_entry_is_read_as_no_entry(tmp_path: Path) -> None:
    folder = tmp_path / "messages"
    built: list[int] = []

    def build() -> dict[str, str]:
        built.append(1)
        return {"turn": "Turn {turn}"}

    assert cached(folder, (TEMPLATE,), build) == {"turn": "Turn {turn}"}
    assert cached(folder, (TEMPLATE,), build) == {"turn": "Turn {turn}"} and len(built) == 1
    (entry,) = folder.glob("*.words")

    entry.write_bytes(entry.read_bytes()[:-3])  # truncated: the digest does not match
    assert cached(folder, (TEMPLATE,), build) == {"turn": "Turn {turn}"} and len(built) == 2
    write_entry(entry, MAGIC, b"\x00not marshal")  # an intact file that is not one
    assert cached(folder, (TEMPLATE,), build) == {"turn": "Turn {turn}"} and len(built) == 3
    import marshal

    write_entry(entry, MAGIC, marshal.dumps({"turn": 3}))  # not text: not used
    assert cached(folder, (TEMPLATE,), build) == {"turn": "Turn {turn}"} and len(built) == 4
    os.chmod(entry, 0o666)  # others may write it: not trusted
    assert cached(folder, (TEMPLATE,), build) == {"turn": "Turn {turn}"} and len(built) == 5


def test_no_cache_writes_no_entry(tmp_path: Path) -> None:
    r = parley(
        "--no-cache",
        "play",
        "budget-cut",
        "--choices",
        "cave",
        "--lang",
        "nl",
        env={"PARLEY_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert r.returncode == 0 and "Zo staat het" in r.stdout, r.stderr
    assert not (tmp_path / "cache" / "messages").exists()
