"""Autosave: every answer is written atomically (write + rename) to the user data folder.

The save is engine.conversation.Conversation.snapshot(); restoring goes through
Conversation.restore(), which raises SaveError with a clear message when it cannot.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import SaveError
from engine.model import Scenario
from engine.safefile import NotAFile, TooLarge, read_capped
from simulator.hooks import NoHooks
from simulator.paths import saves_dir

if TYPE_CHECKING:  # (a play's types: the picker starts without the rules engine)
    from engine.conversation import Conversation
    from engine.events import Step

MAX_SAVE_BYTES = 1_000_000
MAX_SAVE_DEPTH = 8  # a save is a flat object with one list in it
MAX_NUMBER_CHARS = 30  # no number in a save is longer


def _slug(text: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in text)[:40]


def save_path(scenario: Scenario, participant: str | None = None) -> Path:
    """Where the save of `participant`'s play of `scenario` lives.

    A save belongs to one participant (None: whoever plays without a name) and to one
    scenario by id *and* file (two scenarios with the same id in different folders, or
    one given as text, keep their saves apart).
    """
    where = str(scenario.path.resolve()) if scenario.path is not None else scenario.content_hash
    key = hashlib.sha256(f"{scenario.id}\0{where}\0{participant or ''}".encode()).hexdigest()
    who = f".{_slug(participant)}" if participant else ""
    return saves_dir() / f"{_slug(scenario.id)}{who}.{key[:12]}.json"


def write_save(conv: Conversation, participant: str | None = None) -> Path:
    """Write conv's snapshot atomically: a crash leaves the old save or the new, never half."""
    return write_snapshot(save_path(conv.scenario, participant), _snapshot(conv, participant))


def _snapshot(conv: Conversation, participant: str | None) -> dict[str, Any]:
    data = conv.snapshot()
    data["participant"] = participant
    return data


def write_snapshot(path: Path, snapshot: dict[str, Any]) -> Path:
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


def delete_save(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def set_aside(path: Path) -> Path | None:
    """Move an unusable save out of the way (kept as <name>.damaged for the curious);
    the new name, or None when it could not be moved (it is then removed if possible)."""
    target = path.with_name(path.name + ".damaged")
    try:
        os.replace(path, target)
        return target
    except OSError:
        delete_save(path)
        return None


@dataclass(frozen=True, slots=True)
class SaveInfo:
    """What the picker needs to know about a save without restoring it."""

    path: Path
    turns: int | None  # None when the file is damaged
    problem: str | None = None
    participant: str | None = None
    moved_to: Path | None = None  # a damaged save, moved out of the way


def save_info(scenario: Scenario, participant: str | None = None) -> SaveInfo | None:
    """The participant's save for a scenario, if there is one.

    A damaged save is moved aside at once (it never stops the app twice) and reported
    in `problem` with where it went."""
    path = save_path(scenario, participant)
    if not os.path.lexists(path):
        return None
    try:
        data = read_save(path)
        choices = data.get("choices")
        if not isinstance(choices, list):
            raise SaveError("the save is damaged (it has no list of answers)")
    except SaveError as exc:
        moved = set_aside(path)
        where = f"; it was moved to {moved}" if moved else "; it was removed"
        return SaveInfo(path, None, exc.message + where, participant, moved)
    who = data.get("participant")
    return SaveInfo(path, len(choices), None, who if isinstance(who, str) else participant)


def _depth(text: str) -> int:
    """How deeply the JSON text nests (brackets inside strings are skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _number(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        if len(text) > MAX_NUMBER_CHARS:
            raise SaveError(f"the saved play is damaged (a number of {len(text):,} characters)")
        return kind(text)

    return parse


def _no_constant(name: str) -> Any:
    raise SaveError(f"the saved play is damaged ({name} is not a number a save holds)")


def read_save(path: Path) -> dict[str, Any]:
    """A save's JSON object, read with bounds (size, nesting, number length). SaveError
    says what is wrong with it; it never raises anything else for a bad file."""
    try:
        raw = read_capped(path, MAX_SAVE_BYTES)
    except TooLarge:
        raise SaveError("the saved play is too large to be a Parley save") from None
    except NotAFile as exc:
        raise SaveError(f"the saved play is {exc.kind}, not a file") from None
    except OSError as exc:
        raise SaveError(f"the saved play could not be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError("the saved play is damaged (it is not text)") from None
    if _depth(text) > MAX_SAVE_DEPTH:
        raise SaveError("the saved play is damaged (it nests too deeply)")
    try:
        data = json.loads(
            text,
            parse_int=_number(int),
            parse_float=_number(float),
            parse_constant=_no_constant,
        )
    except (json.JSONDecodeError, ValueError, RecursionError):
        raise SaveError("the saved play is damaged (not valid JSON)") from None
    if not isinstance(data, dict):
        raise SaveError("this is not a Parley save (it may be corrupt)")
    return data


def restore_play(scenario: Scenario, participant: str | None = None) -> Conversation | None:
    """The participant's saved play of `scenario`, or None when there is none. SaveError
    when it is unusable."""
    path = save_path(scenario, participant)
    if not os.path.lexists(path):
        return None
    data = read_save(path)
    who = data.get("participant")
    if who is not None and who != participant:  # (a renamed or copied file)
        raise SaveError(f"the save belongs to {who!r}, not to {participant or 'you'!r}")
    from engine.conversation import Conversation

    return Conversation.restore(scenario, data)


class AutosaveHook(NoHooks):
    """Saves after every answer and undo; a finished play's save is removed.

    The snapshot is taken at once (it is a small dict); the file is written by one
    background thread, in order, so the screen never waits for the disk. A write that
    fails is reported at the next answer (`problem`), and raised from `flush()`.
    """

    def __init__(self, background: bool = True, participant: str | None = None) -> None:
        self.participant = participant
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
        path = save_path(conv.scenario, self.participant)
        data = _snapshot(conv, self.participant)
        self._submit(lambda: write_snapshot(path, data))

    def _delete(self, conv: Conversation) -> None:
        path = save_path(conv.scenario, self.participant)
        self._submit(lambda: delete_save(path))

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
