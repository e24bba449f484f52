"""Shared helpers for the app's Pilot and snapshot tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from engine.conversation import Conversation
from engine.loader import load_scenario
from engine.model import Scenario
from simulator.app import ParleyApp
from simulator.hooks import PlayHooks
from simulator.launch import build_hooks

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SMALL = FIXTURES / "tui_small.yaml"
BROKEN = FIXTURES / "tui_broken.yaml"
FLAGSHIP = ROOT / "scenarios" / "budget-cut.yaml"


def make_app(
    scenario: Scenario | Path | None = None,
    *,
    hooks: Sequence[PlayHooks] | None = None,
    watch: bool = False,
    load_error: Sequence[str] = (),
    scenario_path: Path | None = None,
    **options: Any,
) -> ParleyApp:
    """An app as `parley` (no scenario) or `parley play FILE` builds it, quiet for tests."""
    if isinstance(scenario, Path):
        scenario = load_scenario(scenario)
    # shuffle off: options in file order, so tests can press the keys the file implies
    opts: dict[str, Any] = {"scenario_dirs": (), "lang": None, "shuffle": False, **options}
    app = ParleyApp(
        opts,
        scenario=scenario,
        hooks=build_hooks(opts) if hooks is None else hooks,
        watch=watch,
        load_error=load_error,
        scenario_path=scenario_path,
    )
    app.animation_level = "none"
    app.cursor_blink = False
    record_notices(app)
    return app


def record_notices(app: App[Any]) -> None:
    """Keep every notice `app` shows, so a test can read one after it timed out (a loaded
    machine can take longer than a notice's few seconds between two steps of a test)."""
    shown: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        shown.append(str(message))
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app._parley_notices = shown  # type: ignore[attr-defined]


def notices(app: App[Any]) -> list[str]:
    """Every notice's message the app has shown so far (see `record_notices`)."""
    shown = getattr(app, "_parley_notices", None)
    if shown is None:
        return [n.message for n in app._notifications]
    return list(shown)


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers (catalog loading, debrief, reload) finish and the screen redraw."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.flush_hooks()  # type: ignore[attr-defined]


def text_of(widget: Widget) -> str:
    """The text a widget shows (what a user reads)."""
    rendered = widget.render()
    plain = getattr(rendered, "plain", None)
    return plain if isinstance(plain, str) else str(rendered)


def screen_text(app: ParleyApp) -> str:
    """Everything the current screen shows, as plain text (as far as widgets render text)."""
    from textual.widgets import OptionList, Static

    parts: list[str] = []
    for w in app.screen.query("*"):
        if isinstance(w, OptionList):
            for opt in w.options:
                prompt = opt.prompt
                parts.append(getattr(prompt, "plain", str(prompt)))
        elif isinstance(w, Static) or type(w).__name__ in {"TrustMeter", "StatusLine", "Ladder"}:
            if w.display:
                parts.append(text_of(w))
    return "\n".join(parts)


def screen_lines(app: App[Any]) -> list[str]:
    """The terminal's rows as the user sees them, notices included: one string per row, one
    character per cell (the app draws no double-width characters)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def region_lines(app: App[Any], region: Region) -> list[str]:
    """The rows of the screen inside `region` (e.g. `widget.region`), cropped to it and to
    the screen (a widget that runs on below the screen shows only its top)."""
    lines = screen_lines(app)
    width = len(lines[0]) if lines else 0
    region = region.intersection(Region(0, 0, width, len(lines)))
    return [lines[y][region.x : region.right] for y in range(region.y, region.bottom)]


def words(lines: Iterable[str]) -> str:
    """Lines joined by single spaces, so text that wraps reads as one sentence."""
    return " ".join(" ".join(lines).split())


def keys_to(scenario: Scenario, ending_outcome: str) -> list[str]:
    """Number keys that play `scenario` to an ending with this outcome (breadth first)."""
    start = Conversation(scenario)
    queue: list[list[str]] = [[]]
    seen = 0
    while queue and seen < 20000:
        keys = queue.pop(0)
        seen += 1
        conv = Conversation(scenario)
        for k in keys:
            conv.choose(conv.offered()[int(k) - 1].id)
        if conv.ended:
            if conv.outcome == ending_outcome:
                return keys
            continue
        for i in range(len(conv.offered())):
            queue.append([*keys, str(i + 1)])
    del start
    raise AssertionError(f"no play reaches a {ending_outcome} ending")
