"""Start the app: called by `parley` (picker) and `parley play FILE` (one scenario).

`build_hooks(settings)` is the one place where play hooks (autosave, records) are made.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.settings import Settings

if TYPE_CHECKING:
    from engine.model import Scenario
    from simulator.hooks import PlayHooks

Given = Settings | Mapping[str, Any]


def build_hooks(settings: Given) -> list[PlayHooks]:
    """Every hook a play made with these settings gets: autosave first, then any recorder."""
    from simulator.recording import Recorder
    from simulator.saves import AutosaveHook
    from simulator.served import prepare_served

    s = Settings.coerce(settings)
    prepare_served(s)  # served by `parley serve`: private saves for each browser
    recorder = Recorder.from_settings(s)
    hooks: list[PlayHooks] = [
        AutosaveHook(participant=s.participant),  # saves belong to who plays
        recorder,
    ]
    if s.lrs:
        from simulator.lrs_hook import LrsHook

        lrs_hook = LrsHook.from_settings(s, recorder)
        if lrs_hook is not None:
            hooks.append(lrs_hook)  # after the recorder: it sends what was recorded
    return hooks


def require_terminal() -> None:
    """The app draws on a terminal: refuse clearly (not hang) when there is none."""
    from engine.errors import ParleyError

    if os.environ.get("TEXTUAL_DRIVER"):  # served (textual-serve's web driver): pipes are fine
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise ParleyError(
            "the Parley app needs a terminal, and this input or output is not one",
            hint="play headless with `parley play SCENARIO --choices a,b,c [--json]`, "
            "or run `parley` in a terminal window",
        )


def _run(app: Any) -> None:
    app.run()
    for hook in getattr(app, "hooks", []):
        flush = getattr(hook, "flush", None)
        if callable(flush):
            try:
                flush()
            except Exception as exc:
                print(f"parley: your last answer could not be saved: {exc}", file=sys.stderr)
    crash = getattr(app, "crash", None)
    if crash:
        print(
            f"parley: internal error: {crash}\n"
            "  hint: this is a bug in Parley; your play was saved after your last answer. "
            "Run with --debug (or PARLEY_DEBUG=1) to see details and report it",
            file=sys.stderr,
        )
        sys.exit(1)


def run_picker(settings: Given) -> None:
    """`parley` with no command: pick a scenario, play it."""
    require_terminal()
    from simulator.app import ParleyApp
    from simulator.served import with_name_prompt

    s = Settings.coerce(settings)
    hooks = build_hooks(s)
    _run(with_name_prompt(ParleyApp, s)(s, hooks=hooks))


def run_scenario(settings: Given, scenario: Scenario) -> None:
    """`parley play FILE`: play one scenario (resuming a saved play); --watch reloads it."""
    require_terminal()
    from simulator.app import ParleyApp
    from simulator.served import with_name_prompt

    s = Settings.coerce(settings)
    hooks = [] if s.author else build_hooks(s)  # an author's test plays are not kept
    _run(with_name_prompt(ParleyApp, s)(s, scenario=scenario, hooks=hooks, watch=s.watch))


def run_watch(settings: Given, path: Path, errors: tuple[str, ...]) -> None:
    """`parley play FILE --watch` on a file that does not load yet: show why, wait for a fix."""
    require_terminal()
    from simulator.app import ParleyApp

    s = Settings.coerce(settings)
    hooks = [] if s.author else build_hooks(s)
    _run(ParleyApp(s, hooks=hooks, scenario_path=path, watch=True, load_error=errors))


def run_watched(settings: Given, ref: str) -> None:
    """`parley play FILE --watch`: open FILE even when it does not load yet, reload on change."""
    from engine.library import find_scenario
    from simulator.watch import reload

    s = Settings.coerce(settings).with_given(watch=True)
    path = find_scenario(ref, s.all_scenario_dirs())
    result = reload(path)
    if result.scenario is not None:
        run_scenario(s, result.scenario)
    else:
        run_watch(s, path, result.errors)
