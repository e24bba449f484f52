"""Start-up imports only what the command needs (speed itself is in bench/startup_bench.py).

Each case runs the real command in a fresh process and lists the modules it imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from simulator.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.__stderr__.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_after(*args: str, env: dict[str, str] | None = None) -> set[str]:
    env = {**os.environ, **(env or {})}
    env.pop("PARLEY_DEBUG", None)
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


HEAVY = ("networkx", "pydantic", "engine.loader", "transitions", "textual", "sqlite3")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["play", "--help"]])
def test_version_and_help_import_no_engine_heavyweights(args: list[str]) -> None:
    loaded = modules_after(*args)
    assert [m for m in HEAVY if m in loaded] == []


def test_play_json_imports_no_graph_library_store_or_app(tmp_path: Path) -> None:
    cache = {"PARLEY_CACHE_DIR": str(tmp_path)}
    loaded = modules_after("play", "budget-cut", "--choices", "", "--json", env=cache)
    assert "engine.loader" in loaded  # the first play loads (and checks) the file
    assert [m for m in ("networkx", "textual", "sqlite3", "engine.check") if m in loaded] == []
    # the next one plays the compiled scenario: no YAML reader, no pydantic, no loader
    again = modules_after("play", "budget-cut", "--choices", "", "--json", env=cache)
    assert "engine.conversation" in again  # the probe really played
    unwanted = ("networkx", "textual", "sqlite3", "engine.check", "pydantic", "yaml")
    assert [m for m in (*unwanted, "engine.loader", "engine.schema") if m in again] == []


def test_schema_imports_no_loader_graph_or_app() -> None:
    loaded = modules_after("schema")
    assert "engine.schema" in loaded
    assert [m for m in ("networkx", "engine.loader", "transitions", "textual") if m in loaded] == []


def test_help_lists_every_command_with_its_own_summary() -> None:
    """`parley --help` shows summaries without importing the commands: they must agree."""
    import click

    from simulator.cli.main import COMMANDS, cli

    for name, (_, short) in COMMANDS.items():
        cmd = cli.get_command(click.Context(cli), name)
        assert cmd is not None and cmd.name == name
        real = cmd.get_short_help_str(limit=300)
        assert real.startswith(short.rstrip(".")), (name, real)


APP_PROBE = """
import json, sys
from simulator.launch import build_hooks
from simulator.app import ParleyApp
from simulator.settings import Settings

settings = Settings()
app = ParleyApp(settings, hooks=build_hooks(settings))
seen = {}

async def auto_pilot(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    seen["listed"] = len(pilot.app.screen.entries)
    seen["modules"] = sorted(sys.modules)
    pilot.app.exit()

app.run(headless=True, auto_pilot=auto_pilot, size=(80, 24))
print(json.dumps(seen))
"""


def test_the_picker_starts_without_the_play_screen_or_the_loader(tmp_path: Path) -> None:
    """The app's first screen needs neither a play nor, once they are cached, the loader."""
    env = {**os.environ, "PARLEY_CACHE_DIR": str(tmp_path)}

    def start() -> tuple[int, set[str]]:
        out = subprocess.run(
            [sys.executable, "-c", APP_PROBE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        seen = json.loads(out.stdout.strip().splitlines()[-1])
        return seen["listed"], set(seen["modules"])

    listed, first = start()
    assert listed >= 8 and "simulator.screens.picker" in first
    not_for_the_picker = (
        "simulator.screens.play",
        "simulator.screens.author",
        "engine.conversation",
        "transitions",
        "networkx",
    )
    assert [m for m in not_for_the_picker if m in first] == []
    again, second = start()  # the list comes from compiled scenarios now
    assert again == listed
    assert [m for m in (*not_for_the_picker, "engine.loader", "pydantic") if m in second] == []
