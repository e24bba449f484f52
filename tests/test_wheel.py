"""The installed tool works: a wheel built from this checkout, installed into a fresh venv
outside it, run from another folder, finds its bundled scenarios and frameworks.

Slow (a wheel build and a venv with every dependency): `pytest -m "not slow"` skips it.
`.ci/run` builds the wheel and the venv once and passes the venv in PARLEY_TEST_VENV; run
alone, the test builds them itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from simulator import __version__

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))

# slow; one xdist worker runs them all, so the wheel and its venv are built once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

# Run with the installed venv's python from another folder: the picker, headless (Pilot).
PICKER_SMOKE = """
import asyncio, json
import engine, simulator
from simulator.app import ParleyApp

async def main():
    app = ParleyApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        rows = screen.query_one("#scenarios").option_count
        print(json.dumps({
            "screen": type(screen).__name__,
            "ids": [e.scenario.id for e in screen.entries if e.scenario is not None],
            "broken": [str(e.path) for e in screen.entries if e.scenario is None],
            "rows": rows,
            "code": [engine.__file__, simulator.__file__],
        }))

asyncio.run(main())
"""


def _run(
    args: list[str], cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PARLEY_DEBUG")}
    full.update(env or {})
    return subprocess.run(
        args, cwd=cwd, env=full, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv outside the checkout with the wheel of this checkout installed."""
    given = os.environ.get("PARLEY_TEST_VENV")
    if given:
        return Path(given)
    work = tmp_path_factory.mktemp("wheel")
    # build from a copy: an in-tree build would write build/ and *.egg-info into the checkout
    source = work / "source"
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "build",
            "dist",
            "node_modules",
            "__pycache__",
            "*.egg-info",
            ".*_cache",
        ),
    )
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(source)],
        cwd=work,
    )
    assert built.returncode == 0, built.stderr
    wheels = list(work.glob("parley_sim-*.whl"))
    assert len(wheels) == 1, f"expected one parley_sim wheel, got {wheels}"
    made = _run([sys.executable, "-m", "venv", str(work / "venv")], cwd=work)
    assert made.returncode == 0, made.stderr
    pip = work / "venv" / "bin" / "pip"
    installed = _run([str(pip), "install", "-q", str(wheels[0])], cwd=work, timeout=1200)
    assert installed.returncode == 0, installed.stderr
    return work / "venv"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def _parley(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PARLEY_DATA_DIR": str(cwd / ".parley-data")}
    return _run([str(venv / "bin" / "parley"), *args], cwd=cwd, env=env)


def test_installed_parley_says_its_version(venv: Path, elsewhere: Path) -> None:
    out = _parley(venv, elsewhere, "--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"parley, version {__version__}"


def test_installed_parley_plays_a_bundled_scenario_to_an_ending(
    venv: Path, elsewhere: Path
) -> None:
    choices: list[str] = []
    for _ in range(60):
        out = _parley(
            venv, elsewhere, "play", "budget-cut", "--choices", ",".join(choices), "--json"
        )
        assert out.returncode == 0, out.stderr
        state = json.loads(out.stdout)
        if state["ended"]:
            break
        choices.append(state["offered"][0])
    assert state["ended"] and state["outcome"] in ("success", "partial", "failure")


def test_installed_parley_speaks_dutch_from_its_shipped_catalogue(
    venv: Path, elsewhere: Path
) -> None:
    """Parley's own words travel in the wheel as PO catalogues (engine/messages/locales)."""
    out = _parley(venv, elsewhere, "play", "budget-cut", "--choices", "cave", "--lang", "nl")
    assert out.returncode == 0, out.stderr
    assert "Zo staat het na 1 beurt:" in out.stdout and "is neutraal." in out.stdout
    assert "Where it stands" not in out.stdout
    template = _parley(venv, elsewhere, "i18n", "app", "--lang", "de")
    assert template.returncode == 0 and 'msgctxt "coach.feedback"' in template.stdout


def test_installed_parley_new_passes_check_strict(venv: Path, elsewhere: Path) -> None:
    made = _parley(venv, elsewhere, "new", "demo")
    assert made.returncode == 0, made.stderr
    checked = _parley(venv, elsewhere, "check", "--strict", "demo.yaml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 errors, 0 warnings" in checked.stdout


def test_installed_parley_prints_the_schema(venv: Path, elsewhere: Path) -> None:
    out = _parley(venv, elsewhere, "schema")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["$schema"].startswith("https://json-schema.org/")


def test_installed_app_lists_every_bundled_scenario(venv: Path, elsewhere: Path) -> None:
    env = {"PARLEY_DATA_DIR": str(elsewhere / ".parley-data")}
    out = _run([str(venv / "bin" / "python"), "-c", PICKER_SMOKE], cwd=elsewhere, env=env)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["screen"] == "PickerScreen"
    assert sorted(seen["ids"]) == BUNDLED and seen["broken"] == []
    assert seen["rows"] >= len(BUNDLED)
    # the code (and so the library) came from the venv, not from this checkout
    assert all(str(venv) in path for path in seen["code"]), seen["code"]


def test_every_data_file_of_the_code_is_installed(venv: Path) -> None:
    """Each file under engine/ and simulator/ that is not Python nor a contributor's note
    (stylesheets, the web player, migrations, the library) is in the installed package too."""
    listed = subprocess.run(
        ["git", "ls-files", "engine", "simulator"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("this checkout is not a git repository, so its file list is unknown")
    data = [
        f
        for f in listed.stdout.splitlines()
        if not f.endswith((".py", ".md")) and f != "engine/scenarios"
    ]
    data += [f"engine/scenarios/{p.relative_to(ROOT / 'scenarios')}" for p in _library_files()]
    site = next((venv / "lib").glob("python3*/site-packages"))
    assert [f for f in data if not (site / f).is_file()] == []


def _library_files() -> list[Path]:
    return [p for p in (ROOT / "scenarios").rglob("*") if p.is_file()]
