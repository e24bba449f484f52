"""Start the app: called by `parley` (picker) and `parley play FILE` (one scenario).

`build_hooks(options)` is the one place where play hooks (autosave, records) are made.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from engine.model import Scenario
from simulator.hooks import PlayHooks


def build_hooks(options: Mapping[str, Any]) -> list[PlayHooks]:
    """Every hook a play made with these options gets: autosave first, then any recorder."""
    from simulator.recording import Recorder
    from simulator.saves import AutosaveHook
    from simulator.served import prepare_served

    prepare_served()  # served by `parley serve`: private saves for each browser
    participant = options.get("participant")  # saves belong to who plays
    hooks: list[PlayHooks] = [
        AutosaveHook(participant=participant),
        Recorder.from_options(options),
    ]
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
            "Run with PARLEY_DEBUG=1 to see details and report it",
            file=sys.stderr,
        )
        sys.exit(1)


def run_picker(options: Mapping[str, Any]) -> None:
    """`parley` with no command: pick a scenario, play it."""
    require_terminal()
    from simulator.app import ParleyApp
    from simulator.served import with_name_prompt

    hooks = build_hooks(options)
    _run(with_name_prompt(ParleyApp)(options, hooks=hooks))


def run_scenario(options: Mapping[str, Any], scenario: Scenario) -> None:
    """`parley play FILE`: play one scenario (resuming a saved play); --watch reloads it."""
    require_terminal()
    from simulator.app import ParleyApp
    from simulator.served import with_name_prompt

    watch = bool(options.get("watch"))
    hooks = build_hooks(options)
    _run(with_name_prompt(ParleyApp)(options, scenario=scenario, hooks=hooks, watch=watch))


def run_watch(options: Mapping[str, Any], path: Path, errors: tuple[str, ...]) -> None:
    """`parley play FILE --watch` on a file that does not load yet: show why, wait for a fix."""
    require_terminal()
    from simulator.app import ParleyApp

    _run(
        ParleyApp(
            options,
            hooks=build_hooks(options),
            scenario_path=path,
            watch=True,
            load_error=errors,
        )
    )


def run_watched(options: Mapping[str, Any], ref: str) -> None:
    """`parley play FILE --watch`: open FILE even when it does not load yet, reload on change."""
    from engine.library import find_scenario
    from simulator.screens.catalog import scenario_dirs
    from simulator.watch import reload

    path = find_scenario(ref, scenario_dirs(dict(options)))
    result = reload(path)
    if result.scenario is not None:
        run_scenario({**options, "watch": True}, result.scenario)
    else:
        run_watch({**options, "watch": True}, path, result.errors)
