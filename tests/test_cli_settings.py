"""The CLI's settings: one typed object from the group down, every PARLEY_* variable declared
on its option and listed in `parley --help`, nothing talking through os.environ."""

from __future__ import annotations

import re
import shlex
import socket
import sqlite3
from pathlib import Path

import pytest

from simulator.cli.serve import build_command
from simulator.settings import ENV_VARS, Settings
from tests.cli import parley

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "records_small.yaml"
CODE = [*ROOT.joinpath("engine").rglob("*.py"), *ROOT.joinpath("simulator").rglob("*.py")]


def _variables_in_code() -> set[str]:
    found: set[str] = set()
    for path in CODE:
        found |= set(re.findall(r"\bPARLEY_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    return found


def test_help_lists_every_parley_variable_the_code_names() -> None:
    out = parley("--help")
    assert out.returncode == 0, out.stderr
    assert _variables_in_code() <= set(ENV_VARS)
    for name in ENV_VARS:
        assert name in out.stdout


def test_every_listed_variable_is_documented() -> None:
    docs = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    assert [name for name in ENV_VARS if name not in docs] == []


def test_no_part_writes_the_environment_to_talk_to_another() -> None:
    writes = re.compile(r"os\.environ\[[^\]]+\]\s*=|os\.environ\.(pop|setdefault|update)|putenv")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in CODE
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        # the one write: pydantic's documented switch for its plugin scan (see cli/main.py)
        if writes.search(line) and "PYDANTIC_DISABLE_PLUGINS" not in line
    ]
    assert offenders == []


def test_variables_reach_the_play_through_their_options(tmp_path: Path) -> None:
    db = tmp_path / "env.sqlite3"
    env = {"PARLEY_DB": str(db), "PARLEY_COHORT": "env-day", "PARLEY_PARTICIPANT": "Env"}
    out = parley("play", str(SMALL), "--choices", "just_ask", "--record", env=env)
    assert out.returncode == 0, out.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT participant, cohort FROM plays").fetchall() == [
            ("Env", "env-day")
        ]
    # an option given on the line wins over its variable
    out = parley(
        "--cohort", "line-day", "play", str(SMALL), "--choices", "just_ask", "--record", env=env
    )
    assert out.returncode == 0, out.stderr
    with sqlite3.connect(db) as con:
        cohorts = [c for (c,) in con.execute("SELECT cohort FROM plays ORDER BY id")]
    assert cohorts == ["env-day", "line-day"]


def test_data_dir_option_holds_the_default_database(tmp_path: Path) -> None:
    folder = tmp_path / "kiosk"
    out = parley("--data-dir", str(folder), "play", str(SMALL), "--choices", "just_ask", "--record")
    assert out.returncode == 0, out.stderr
    assert (folder / "records.sqlite3").is_file()


def test_a_served_browser_gets_its_settings_on_its_command_line(tmp_path: Path) -> None:
    cmd = shlex.split(build_command(tmp_path / "r.db", "wed", (), "nl", None, name_prompt=True))
    assert cmd[cmd.index("--mode") + 1] == "served"
    assert "--name-prompt" in cmd and cmd[cmd.index("--cohort") + 1] == "wed"
    quiet = shlex.split(build_command(tmp_path / "r.db", None, (), None, None, name_prompt=False))
    assert "--name-prompt" not in quiet and "--cohort" not in quiet
    assert "--no-cache" not in cmd
    uncached = shlex.split(build_command(tmp_path / "r.db", None, (), None, None, no_cache=True))
    assert "--no-cache" in uncached


def test_serve_passes_no_cache_to_each_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`parley --no-cache serve` reaches the app process each browser gets (the server is
    stopped as it is built, once it has been handed the command it would run)."""
    from click.testing import CliRunner

    import simulator.serve_guard as guard
    from simulator.cli.main import cli

    seen: list[str] = []

    class Built(Exception):
        pass

    class Server(guard.GuardedServer):
        def __init__(self, cmd: str, **_: object) -> None:
            seen.append(cmd)
            raise Built

    monkeypatch.setattr(guard, "GuardedServer", Server)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    for root, expected in ((["--no-cache"], True), ([], False)):
        seen.clear()
        args = [*root, "--data-dir", str(tmp_path), "serve", "--port", port]
        result = CliRunner().invoke(cli, args)
        assert isinstance(result.exception, Built), result.output
        assert ("--no-cache" in shlex.split(seen[0])) is expected


def test_settings_narrow_with_a_commands_own_options() -> None:
    root = Settings(cohort="root", lang="en")
    narrowed = root.with_given(cohort="own", lang=None)
    assert (narrowed.cohort, narrowed.lang) == ("own", "en")
    assert Settings.coerce({"scenario_dirs": ("a",), "unknown": 1}).scenario_dirs == (Path("a"),)
