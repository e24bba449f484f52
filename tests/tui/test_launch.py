"""simulator.launch: what `parley`, `parley play FILE` and `--watch` start."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from simulator import launch
from simulator.app import ParleyApp
from simulator.cli.main import main
from simulator.saves import AutosaveHook
from tests.tui.helpers import BROKEN, SMALL


def _main(args: list[str]) -> None:
    """Run the CLI as `parley ARGS` would; a clean exit may or may not raise SystemExit."""
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[ParleyApp]:
    apps: list[ParleyApp] = []
    monkeypatch.setattr(launch, "_run", apps.append)
    monkeypatch.setattr(launch, "require_terminal", lambda: None)  # pytest's stdin is no tty
    # and for the same reason `parley play` would choose plain mode: these test the app
    monkeypatch.setattr("simulator.cli.play._wants_plain", lambda: False)
    return apps


def test_build_hooks_starts_with_autosave() -> None:
    hooks = launch.build_hooks({})
    assert isinstance(hooks[0], AutosaveHook)


def test_parley_with_no_command_opens_the_picker(started: list[ParleyApp]) -> None:
    _main([])
    assert len(started) == 1 and not started[0].direct


def test_parley_play_opens_the_scenario(started: list[ParleyApp]) -> None:
    _main(["play", str(SMALL)])
    app = started[0]
    assert app.direct and not app.watch_file


def test_parley_play_watch_opens_even_a_broken_file(
    started: list[ParleyApp], tmp_path: Path
) -> None:
    path = tmp_path / "b.yaml"
    shutil.copy(BROKEN, path)
    _main(["play", str(path), "--watch"])
    app = started[0]
    assert app.direct and app.watch_file
    assert any("start names 'nowhere'" in e for e in app._load_error)


def test_parley_play_watch_on_a_good_file(started: list[ParleyApp]) -> None:
    _main(["play", str(SMALL), "--watch", "--feedback", "debrief"])
    app = started[0]
    assert app.watch_file and app.feedback == "debrief" and app._scenario is not None


def test_a_crash_inside_the_app_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Crashing:
        crash = "ValueError: boom"
        hooks: list[Any] = []

        def run(self) -> None:
            return None

    with pytest.raises(SystemExit):
        launch._run(Crashing())
    err = capsys.readouterr().err
    assert "parley: internal error: ValueError: boom" in err
    assert "Traceback" not in err
