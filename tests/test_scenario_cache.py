"""The compiled-scenario cache (engine/scenario_cache.py): what a user sees is the same with
and without it; a changed, corrupt, foreign or unwritable cache never shows."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

import pytest

from engine.conversation import Conversation
from engine.explore import explore
from engine.library import list_scenarios
from engine.loader import load_scenario
from engine.play import play_json
from engine.scenario_cache import FORMAT, ScenarioCache, load_scenario_cached
from tests.cli import parley

ROOT = Path(__file__).resolve().parent.parent
BUDGET = ROOT / "scenarios" / "budget-cut.yaml"


def _scenario_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    return Path(shutil.copy(BUDGET, folder / "budget-cut.yaml"))


def _play(path: Path, cache: Path, *extra: str, env: dict[str, str] | None = None) -> str:
    out = parley(
        *extra,
        "play",
        str(path),
        "--choices",
        "cave",
        "--json",
        env={"PARLEY_CACHE_DIR": str(cache), **(env or {})},
    )
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    return out.stdout


def _entries(cache: Path) -> list[Path]:
    folder = cache / "scenarios"
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def _write_entry(entry: Path, payload: bytes) -> None:
    entry.write_bytes(FORMAT + hashlib.sha256(payload).digest() + payload)


def test_second_play_comes_from_the_cache_and_says_the_same(tmp_path: Path) -> None:
    path, cache = _scenario_copy(tmp_path), tmp_path / "cache"
    uncached = _play(path, cache, "--no-cache")
    assert _entries(cache) == []  # --no-cache writes nothing
    first = _play(path, cache)
    assert len(_entries(cache)) == 1
    second = _play(path, cache)
    assert first == second == uncached
    assert oct((cache / "scenarios").stat().st_mode & 0o777) == "0o700"
    assert oct(_entries(cache)[0].stat().st_mode & 0o777) == "0o600"


def test_no_cache_from_the_environment_writes_nothing(tmp_path: Path) -> None:
    path, cache = _scenario_copy(tmp_path), tmp_path / "cache"
    _play(path, cache, env={"PARLEY_NO_CACHE": "1"})
    assert _entries(cache) == []


def test_a_changed_file_is_loaded_again(tmp_path: Path) -> None:
    path, cache = _scenario_copy(tmp_path), tmp_path / "cache"
    before = _play(path, cache)
    text = path.read_text(encoding="utf-8")
    assert "testing_cut" in before
    path.write_text(text.replace("testing_cut", "tests_dropped"), encoding="utf-8")
    after = _play(path, cache)
    assert "tests_dropped" in after and "testing_cut" not in after
    assert len(_entries(cache)) == 2


def test_a_broken_change_is_reported_not_hidden_by_the_cache(tmp_path: Path) -> None:
    path, cache = _scenario_copy(tmp_path), tmp_path / "cache"
    _play(path, cache)
    path.write_text(path.read_text(encoding="utf-8") + "\nnodes: [\n", encoding="utf-8")
    out = parley(
        "play", str(path), "--choices", "cave", "--json", env={"PARLEY_CACHE_DIR": str(cache)}
    )
    assert out.returncode == 2
    assert str(path) in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: e.write_bytes(e.read_bytes()[:200]),  # truncated
        lambda e: e.write_bytes(b"not a cache entry at all"),  # foreign
        lambda e: _write_entry(e, b"\x80\x05garbage"),  # a right header on a corrupt pickle
        lambda e: e.write_bytes(e.read_bytes()[:-10] + b"0123456789"),  # bytes changed
    ],
    ids=["truncated", "foreign", "corrupt-pickle", "changed-bytes"],
)
def test_a_damaged_entry_is_rebuilt_without_a_word(tmp_path: Path, damage: object) -> None:
    path, cache = _scenario_copy(tmp_path), tmp_path / "cache"
    good = _play(path, cache)
    (entry,) = _entries(cache)
    damage(entry)  # type: ignore[operator]
    assert _play(path, cache) == good
    restored = entry.read_bytes()
    assert restored.startswith(FORMAT)
    assert _play(path, cache) == good


class _Planted:
    """An entry naming something that is not part of a scenario (here: os.system)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_an_entry_that_names_other_code_is_never_run(tmp_path: Path) -> None:
    path, cache = _scenario_copy(tmp_path), tmp_path / "cache"
    good = _play(path, cache)
    (entry,) = _entries(cache)
    marker = tmp_path / "ran"
    _write_entry(entry, pickle.dumps(_Planted(marker)))
    assert _play(path, cache) == good
    assert not marker.exists()


def test_an_entry_in_a_folder_others_may_write_is_not_read(tmp_path: Path) -> None:
    path, cache = _scenario_copy(tmp_path), tmp_path / "cache"
    good = _play(path, cache)
    (entry,) = _entries(cache)
    # the same scenario with another title, planted as if by someone else
    other = load_scenario(path)
    planted = other.__class__(
        **{**{f: getattr(other, f) for f in other.__dataclass_fields__}, "id": "planted"}
    )
    _write_entry(entry, pickle.dumps(planted))
    entry.chmod(0o666)
    assert '"scenario": "budget-cut"' in _play(path, cache) == good
    (cache / "scenarios").chmod(0o777)
    _write_entry(entry, pickle.dumps(planted))
    entry.chmod(0o600)
    out = parley(
        "play", str(path), "--choices", "cave", "--json", env={"PARLEY_CACHE_DIR": str(cache)}
    )
    assert out.stdout == good  # the folder was made private again before anything was kept


def test_a_cache_that_cannot_be_written_is_not_noticed(tmp_path: Path) -> None:
    path = _scenario_copy(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    good = _play(path, tmp_path / "cache", "--no-cache")
    assert _play(path, blocker / "cache") == good  # (its folder cannot be made)


def test_every_bundled_scenario_plays_the_same_from_the_cache(tmp_path: Path) -> None:
    cache = ScenarioCache(tmp_path / "scenarios", "test")
    for path in list_scenarios():
        fresh = load_scenario(path)
        load_scenario_cached(path, cache)  # kept
        cached = load_scenario_cached(path, cache)  # read back
        assert cached == fresh
        assert cached is not fresh
        a, b = explore(fresh), explore(cached)  # every condition, evaluated everywhere
        assert (a.states, a.endings_reachable, a.best_total, a.worst_total, a.best_play) == (
            b.states,
            b.endings_reachable,
            b.best_total,
            b.worst_total,
            b.best_play,
        ), path.name
        one, two = Conversation(fresh), Conversation(cached)
        for ref in a.best_play:
            one.choose(ref)
            two.choose(ref)
        assert play_json(one) == play_json(two)
    assert len(list((tmp_path / "scenarios").glob("*.pickle"))) == len(list_scenarios())
