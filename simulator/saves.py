"""Autosave: every answer is written atomically (write + rename) to the user data folder.

The save is engine.conversation.Conversation.snapshot(); restoring goes through
Conversation.restore(), which raises SaveError with a clear message when it cannot.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.conversation import Conversation
from engine.errors import SaveError
from engine.events import Step
from engine.model import Scenario
from simulator.hooks import NoHooks
from simulator.paths import saves_dir

MAX_SAVE_BYTES = 1_000_000


def save_path(scenario_id: str) -> Path:
    return saves_dir() / f"{scenario_id}.json"


def write_save(conv: Conversation) -> Path:
    """Write conv's snapshot atomically: a crash leaves the old save or the new, never half."""
    path = save_path(conv.scenario.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(conv.snapshot(), ensure_ascii=False, indent=1)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def delete_save(scenario_id: str) -> None:
    try:
        save_path(scenario_id).unlink(missing_ok=True)
    except OSError:
        pass


@dataclass(frozen=True, slots=True)
class SaveInfo:
    """What the picker needs to know about a save without restoring it."""

    path: Path
    turns: int | None  # None when the file is damaged
    problem: str | None = None


def save_info(scenario_id: str) -> SaveInfo | None:
    """The save for a scenario, if there is one (damaged saves are reported, not raised)."""
    path = save_path(scenario_id)
    if not path.is_file():
        return None
    try:
        data = _read(path)
    except SaveError as exc:
        return SaveInfo(path, None, exc.message)
    choices = data.get("choices")
    turns = len(choices) if isinstance(choices, list) else None
    return SaveInfo(path, turns, None if turns is not None else "the save is damaged")


def _read(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise SaveError("the saved play is too large to be a Parley save")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SaveError(f"the saved play could not be read ({exc.__class__.__name__})") from None
    except json.JSONDecodeError:
        raise SaveError("the saved play is damaged (not valid JSON)") from None
    if not isinstance(data, dict):
        raise SaveError("this is not a Parley save (it may be corrupt)")
    return data


def restore_play(scenario: Scenario) -> Conversation | None:
    """The saved play for `scenario`, or None when there is none. SaveError when it is unusable."""
    path = save_path(scenario.id)
    if not path.is_file():
        return None
    return Conversation.restore(scenario, _read(path))


class AutosaveHook(NoHooks):
    """Saves after every answer and undo; a finished play's save is removed."""

    def on_start(self, conv: Conversation) -> None:
        if conv.choices_made and not conv.ended:
            write_save(conv)

    def on_step(self, conv: Conversation, step: Step) -> None:
        write_save(conv)

    def on_undo(self, conv: Conversation) -> None:
        if conv.choices_made:
            write_save(conv)
        else:
            delete_save(conv.scenario.id)

    def on_end(self, conv: Conversation) -> None:
        delete_save(conv.scenario.id)
