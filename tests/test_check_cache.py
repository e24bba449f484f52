"""`parley check`'s results cache (engine/check_cache.py): the same output from a stored
result as from a fresh check, and a fresh check whenever anything it read has changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.check_cache import FORMAT
from engine.library import bundled_frameworks_dir
from tests.cli import parley
from tests.test_startup import modules_after

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "tests" / "fixtures" / "check"


def _check(*args: str, cache: Path) -> tuple[int, str, str]:
    out = parley("check", *args, env={"PARLEY_CACHE_DIR": str(cache)})
    assert "Traceback" not in out.stderr
    return out.returncode, out.stdout, out.stderr


def _entries(cache: Path) -> list[Path]:
    folder = cache / "check"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(CHECK / name, folder / name))


def test_a_stored_result_reads_exactly_like_a_fresh_check(tmp_path: Path) -> None:
    path, cache = _copy(tmp_path, "warn_trap.yaml"), tmp_path / "cache"
    fresh = _check("--no-cache", str(path), cache=cache)
    assert _entries(cache) == []  # --no-cache neither reads nor writes
    first = _check(str(path), cache=cache)
    assert len(_entries(cache)) == 1
    again = _check(str(path), cache=cache)
    assert fresh == first == again
    assert fresh[0] == 0 and "warning[P202]: node 'loop_a' is a trap" in fresh[1]
    for fmt in ("json", "sarif", "github"):
        assert _check("--format", fmt, "--no-cache", str(path), cache=cache) == _check(
            "--format", fmt, str(path), cache=cache
        )
    # --strict is applied to the stored findings: one entry serves both
    strict = _check("--strict", str(path), cache=cache)
    assert strict == _check("--strict", "--no-cache", str(path), cache=cache)
    assert strict[0] == 1 and "error[P202]" in strict[1]
    assert len(_entries(cache)) == 1


def test_a_stored_result_needs_neither_the_loader_nor_the_passes(tmp_path: Path) -> None:
    path, cache = _copy(tmp_path, "warn_trap.yaml"), {"PARLEY_CACHE_DIR": str(tmp_path / "c")}
    first = modules_after("check", str(path), env=cache)
    assert "engine.check" in first
    again = modules_after("check", str(path), env=cache)
    assert "engine.check_cache" in again  # the probe really checked, from the cache
    heavy = ("engine.check", "engine.loader", "networkx", "pydantic", "yaml")
    assert [m for m in heavy if m in again] == []


def test_a_changed_file_is_checked_again(tmp_path: Path) -> None:
    path, cache = _copy(tmp_path, "warn_trap.yaml"), tmp_path / "cache"
    assert "loop_a" in _check(str(path), cache=cache)[1]
    path.write_text(path.read_text(encoding="utf-8").replace("loop_a", "loop_c"), "utf-8")
    status, out, _ = _check(str(path), cache=cache)
    assert "node 'loop_c' is a trap" in out and "loop_a" not in out


def test_a_framework_added_beside_the_file_is_seen(tmp_path: Path) -> None:
    path, cache = _copy(tmp_path, "err_framework_missing.yaml"), tmp_path / "cache"
    status, out, _ = _check(str(path), cache=cache)
    assert status == 1 and "P142" in out
    sore = (bundled_frameworks_dir() / "sore.yaml").read_text(encoding="utf-8")
    (path.parent / "frameworks").mkdir()
    (path.parent / "frameworks" / "soar.yaml").write_text(
        sore.replace("id: sore", "id: soar"), encoding="utf-8"
    )
    status, out, _ = _check(str(path), cache=cache)
    assert "P142" not in out
    assert (status, out) == _check("--no-cache", str(path), cache=cache)[:2]


def test_a_damaged_entry_is_checked_again(tmp_path: Path) -> None:
    path, cache = _copy(tmp_path, "warn_trap.yaml"), tmp_path / "cache"
    good = _check(str(path), cache=cache)
    (entry,) = _entries(cache)
    for damage in (b"", b"garbage", FORMAT + b"0" * 32 + b"[]", entry.read_bytes()[:-5]):
        entry.write_bytes(damage)
        assert _check(str(path), cache=cache) == good
        assert entry.read_bytes().startswith(FORMAT) and _check(str(path), cache=cache) == good


def test_a_result_that_hangs_on_a_budget_is_not_stored(tmp_path: Path) -> None:
    path, cache = _copy(tmp_path, "warn_never_offered.yaml"), tmp_path / "cache"
    status, out, _ = _check("--max-states", "2", str(path), cache=cache)
    assert "info[P211]" in out
    assert _entries(cache) == []


def test_no_cache_before_the_command_turns_it_off_too(tmp_path: Path) -> None:
    path, cache = _copy(tmp_path, "warn_trap.yaml"), tmp_path / "cache"
    out = parley("--no-cache", "check", str(path), env={"PARLEY_CACHE_DIR": str(cache)})
    assert out.returncode == 0 and "P202" in out.stdout
    out = parley("check", str(path), env={"PARLEY_CACHE_DIR": str(cache), "PARLEY_NO_CACHE": "1"})
    assert out.returncode == 0 and "P202" in out.stdout
    assert _entries(cache) == []


def test_an_unwritable_cache_is_not_noticed(tmp_path: Path) -> None:
    path = _copy(tmp_path, "warn_trap.yaml")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert _check(str(path), cache=blocker / "cache") == _check(
        "--no-cache", str(path), cache=tmp_path / "c"
    )
