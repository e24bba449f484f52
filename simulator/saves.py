"""Autosave: every answer is written atomically (write + rename) to the user data folder.

The save is engine.conversation.Conversation.snapshot(); restoring goes through
Conversation.restore(), which raises SaveError with a clear message when it cannot.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
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
    return write_snapshot(conv.scenario.id, conv.snapshot())


def write_snapshot(scenario_id: str, snapshot: dict[str, Any]) -> Path:
    path = save_path(scenario_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(snapshot, ensure_ascii=False, indent=1)
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


def set_aside(scenario_id: str) -> None:
    """Move an unusable save out of the way (kept as <id>.json.damaged for the curious)."""
    path = save_path(scenario_id)
    try:
        os.replace(path, path.with_name(path.name + ".damaged"))
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
    except UnicodeDecodeError:
        raise SaveError("the saved play is damaged (it is not text)") from None
    except OSError as exc:
        raise SaveError(f"the saved play could not be read ({exc.strerror or exc})") from None
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
    """Saves after every answer and undo; a finished play's save is removed.

    The snapshot is taken at once (it is a small dict); the file is written by one
    background thread, in order, so the screen never waits for the disk. A write that
    fails is reported at the next answer (`problem`), and raised from `flush()`.
    """

    def __init__(self, background: bool = True) -> None:
        self._pool: ThreadPoolExecutor | None = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="parley-autosave")
            if background
            else None
        )
        self._pending: list[Future[None]] = []

    def _submit(self, job: Callable[[], object]) -> None:
        self._raise_failures()
        if self._pool is None:
            job()
            return
        self._pending.append(self._pool.submit(lambda: (job(), None)[1]))

    def _raise_failures(self) -> None:
        done = [f for f in self._pending if f.done()]
        self._pending = [f for f in self._pending if not f.done()]
        for future in done:
            exc = future.exception()
            if exc is not None:
                raise exc

    def flush(self) -> None:
        """Wait until every save is on disk (tests, and before the app exits)."""
        for future in list(self._pending):
            future.result()
        self._pending.clear()

    def _save(self, conv: Conversation) -> None:
        scenario_id, data = conv.scenario.id, conv.snapshot()
        self._submit(lambda: write_snapshot(scenario_id, data))

    def _delete(self, conv: Conversation) -> None:
        scenario_id = conv.scenario.id
        self._submit(lambda: delete_save(scenario_id))

    def on_start(self, conv: Conversation) -> None:
        if conv.choices_made and not conv.ended:
            self._save(conv)

    def on_step(self, conv: Conversation, step: Step) -> None:
        self._save(conv)

    def on_undo(self, conv: Conversation) -> None:
        if conv.choices_made:
            self._save(conv)
        else:
            self._delete(conv)

    def on_end(self, conv: Conversation) -> None:
        self._delete(conv)
