"""The recorder: a PlayHooks implementation that writes every play to the records database.

The app (TUI or served), `parley play --record` and `parley room` all record through it.
A records problem (disk full, unreadable file) never stops a play: the recorder keeps the
message in `problem` and raises RecordsError, which the app shows as a notice before it plays
on; the next answer tries again (a failed start records the answers made so far).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.records import RecordsError, RecordStore, display_target, open_store
from simulator.paths import default_db
from simulator.settings import Settings

if TYPE_CHECKING:  # (a play's types: the picker starts without the rules engine)
    from engine.conversation import Conversation
    from engine.events import Step


def db_path_from(options: Settings | Mapping[str, Any]) -> Path:
    """--db (or PARLEY_DB, declared on the option), else the default file in the user
    data folder."""
    return Settings.coerce(options).records_path()


def db_target_from(options: Settings | Mapping[str, Any]) -> str:
    """The records store to open: a SQLite file path or a postgresql:// URL."""
    return Settings.coerce(options).records_target()


class Recorder:
    """Records one play at a time: on_start opens a play row, each step is committed at once."""

    def __init__(
        self,
        db_path: Path | str | None = None,
        participant: str | None = None,
        cohort: str | None = None,
        mode: str = "tui",
    ) -> None:
        # a SQLite file path or a postgresql:// URL
        self.db_path = str(db_path) if db_path is not None else str(default_db())
        self.participant = participant
        self.cohort = cohort
        self.mode = mode
        self.play_id: int | None = None
        self.problem: str | None = None
        self._store: RecordStore | None = None
        self._votes: dict[int, Mapping[str, int]] = {}

    @classmethod
    def from_settings(
        cls, settings: Settings | Mapping[str, Any], mode: str | None = None
    ) -> Recorder:
        """Build from the CLI's settings (db_path, participant, cohort, served or not)."""
        s = Settings.coerce(settings)
        return cls(
            db_path=s.records_target(),
            participant=s.participant,
            cohort=s.cohort or None,
            mode=mode or s.mode,
        )

    from_options = from_settings  # the name used before Settings existed

    # ------------------------------------------------------------------ hooks
    def on_start(self, conv: Conversation) -> None:
        """A play begins (or a saved play resumes: it continues its recorded play)."""
        self.play_id = None
        store = self._open()
        try:
            if conv.history:
                self.play_id = store.find_resumable(
                    conv.scenario.id, self.participant, self.cohort, conv.choices_made
                )
                if self.play_id is not None:
                    store.finish_play(self.play_id, conv)  # refresh its state
                    self.problem = None
                    return
            play_id = store.start_play(
                conv, participant=self.participant, cohort=self.cohort, mode=self.mode
            )
            for step in conv.history:  # a play begun earlier: bring its answers in
                store.record_step(play_id, conv, step, self._votes.pop(step.turn, None))
            if conv.ended:
                store.finish_play(play_id, conv)
            self.play_id = play_id
            self.problem = None
        except RecordsError as exc:
            self.problem = str(exc)
            raise

    def on_step(self, conv: Conversation, step: Step) -> None:
        self._with_play(
            conv,
            lambda store, pid: store.record_step(pid, conv, step, self._votes.pop(step.turn, None)),
        )

    def on_undo(self, conv: Conversation) -> None:
        self._with_play(conv, lambda store, pid: store.record_undo(pid, conv))

    def on_end(self, conv: Conversation) -> None:
        self._with_play(conv, lambda store, pid: store.finish_play(pid, conv))

    def rename(self, participant: str | None) -> None:
        """Served plays ask for a name after the play began: record it on the play."""
        self.participant = participant
        if self.play_id is None:
            return
        try:
            self._open().rename_play(self.play_id, participant)
            self.problem = None
        except RecordsError as exc:
            self.problem = str(exc)

    # ------------------------------------------------------------------ room mode
    def set_votes(self, turn: int, votes: Mapping[str, int]) -> None:
        """Room mode: the vote counts to record with the answer of `turn` (call before it)."""
        self._votes[turn] = dict(votes)

    # ------------------------------------------------------------------ internals
    def _open(self) -> RecordStore:
        if self._store is None:
            try:
                self._store = open_store(self.db_path)
            except RecordsError as exc:
                self.problem = str(exc)
                raise
        return self._store

    def _with_play(self, conv: Conversation, action: Any) -> None:
        """Run `action(store, play_id)`. A RecordsError is kept in `problem` and re-raised:
        the app shows it and the play goes on."""
        if self.play_id is None:
            # the start failed earlier: start now (on_start records the answers made so far)
            self.on_start(conv)
            return
        try:
            action(self._open(), self.play_id)
            self.problem = None
        except RecordsError as exc:
            self.problem = str(exc)
            raise

    def flush(self) -> None:
        """Called by the launcher after the app exits: every answer is already committed,
        so this only closes the file."""
        self.close()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def finish_scripted(recorder: Recorder | None, conv: Conversation) -> str | None:
    """End a scripted recording; returns a one-line note for stderr, or raises on a problem."""
    if recorder is None:
        return None
    if conv.ended:
        recorder.on_end(conv)
    recorder.close()
    return f"parley: recorded play {recorder.play_id} in {display_target(recorder.db_path)}"
