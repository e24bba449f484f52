"""Sending plays to an LRS: a play hook that follows the recorder (`--lrs URL`).

After the recorder has written a start, an answer or an ending, this hook turns the recorded
play into its xAPI statements (engine.xapi, the profile in docs/xapi.md), puts the new ones in
the outbox of the same records store (engine.records.outbox) and wakes a background sender.
The play never waits for the LRS; an LRS that is down only means the statements wait in the
outbox (the sender retries, and `parley records push` sends what is left).
"""

from __future__ import annotations

from collections.abc import Callable

from engine.conversation import Conversation
from engine.events import Step
from engine.lrs import Lrs, lrs_from
from engine.records import open_store
from engine.records.outbox import Sender, enqueue
from engine.xapi import statements_for_record
from simulator.recording import Recorder
from simulator.settings import Settings

FLUSH_SECONDS = 5.0  # at the end, how long to wait for the LRS before leaving the rest queued


class LrsHook:
    """Queue and send a recorded play's statements (put it after the Recorder)."""

    def __init__(
        self,
        recorder: Recorder,
        lrs: Lrs,
        warn: Callable[[str], None] | None = None,
        flush_seconds: float = FLUSH_SECONDS,
    ) -> None:
        self.recorder = recorder
        self.lrs = lrs
        self.warn = warn
        self.flush_seconds = flush_seconds
        self.problem: str | None = None
        self._sender: Sender | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, recorder: Recorder, warn: Callable[[str], None] | None = None
    ) -> LrsHook | None:
        """The hook for `--lrs` (None without it); a bad address or credentials file is a
        ParleyError here, before the play begins."""
        if not settings.lrs:
            return None
        return cls(
            recorder,
            lrs_from(
                settings.lrs, settings.lrs_credentials, settings.lrs_user, settings.lrs_password
            ),
            warn,
        )

    def _note(self, problem: str | None) -> None:
        if problem and problem != self.problem and self.warn is not None:
            self.warn(f"parley: note: the LRS has not taken every statement yet ({problem}); "
                      "they wait in the outbox")  # fmt: skip
        self.problem = problem

    def _sender_for(self) -> Sender:
        if self._sender is None:
            target = self.recorder.db_path
            self._sender = Sender(lambda: open_store(target), self.lrs, on_problem=self._note)
        return self._sender

    def _sync(self, conv: Conversation) -> None:
        play_id = self.recorder.play_id
        if play_id is None:
            return
        try:
            store = self.recorder._open()
            play = store.play(play_id)
            if play is None:
                return
            statements = statements_for_record(conv.scenario, play, store.steps(play_id))
            enqueue(store, self.lrs, statements)
        except Exception as exc:  # never stop a play for the LRS
            self._note(f"cannot queue statements: {exc}")
            return
        sender = self._sender_for()
        sender.follow(play.uuid)
        sender.wake()

    # ------------------------------------------------------------------ hooks
    def on_start(self, conv: Conversation) -> None:
        self._sync(conv)

    def on_step(self, conv: Conversation, step: Step) -> None:
        self._sync(conv)

    def on_undo(self, conv: Conversation) -> None:
        return None  # statements already sent stay sent (docs/xapi.md)

    def on_end(self, conv: Conversation) -> None:
        self._sync(conv)

    def flush(self) -> None:
        """At the end: give the LRS a few seconds, then leave the rest in the outbox."""
        if self._sender is not None:
            self._sender.close(flush=self.flush_seconds)
            self._sender = None

    def close(self) -> None:
        self.flush()


class SendingRecorder(Recorder):
    """A Recorder that also sends what it records to an LRS (for code that takes one
    recorder, such as room mode)."""

    lrs_hook: LrsHook | None = None

    def on_start(self, conv: Conversation) -> None:
        super().on_start(conv)
        if self.lrs_hook is not None:
            self.lrs_hook.on_start(conv)

    def on_step(self, conv: Conversation, step: Step) -> None:
        super().on_step(conv, step)
        if self.lrs_hook is not None:
            self.lrs_hook.on_step(conv, step)

    def on_end(self, conv: Conversation) -> None:
        super().on_end(conv)
        if self.lrs_hook is not None:
            self.lrs_hook.on_end(conv)

    def close(self) -> None:
        if self.lrs_hook is not None:
            self.lrs_hook.flush()
        super().close()


def with_lrs(
    recorder: Recorder, settings: Settings, warn: Callable[[str], None] | None = None
) -> Recorder:
    """`recorder`, or (with --lrs) one like it that also sends to the LRS."""
    if not settings.lrs:
        return recorder
    out = SendingRecorder(recorder.db_path, recorder.participant, recorder.cohort, recorder.mode)
    out.lrs_hook = LrsHook.from_settings(settings, out, warn)
    return out
