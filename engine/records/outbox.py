"""The xAPI outbox: statements wait in the records store until an LRS has taken them.

A play never waits for an LRS. Its statements are written to the `xapi_outbox` table of the
records store (the same SQLite file or PostgreSQL database as the play; migration
0003_xapi_outbox), in the same order as they happened, and a `Sender` thread posts them
one at a time, oldest first, marking each sent when the LRS accepts it. When the LRS is
down or slow the sender waits and tries again (the waits grow to a minute); nothing is lost
when the program ends, because what is not sent stays in the table for the next sender or
for `parley records push`. A statement is only ever inserted once per LRS (its id is
stable), so sending again never makes a duplicate.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.lrs import Lrs, LrsUnavailable, send
from engine.records.model import iso, utc_now
from engine.records.store import RecordStore

BACKOFF_FIRST = 0.5
BACKOFF_MAX = 60.0
BATCH = 50


@dataclass
class PushResult:
    """What one round of sending did."""

    sent: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (statement id, reason)
    pending: int = 0  # still waiting after this round
    problem: str | None = None  # why the round stopped early (the LRS is not available)


def enqueue(store: RecordStore, lrs: Lrs, statements: Iterable[dict[str, Any]]) -> int:
    """Put statements in the outbox for `lrs`, in order; ones already there are skipped.
    Returns how many were new."""
    rows = [
        (lrs.endpoint, st["context"]["registration"], st["id"], json.dumps(st, ensure_ascii=False))
        for st in statements
    ]
    if not rows:
        return 0
    now = iso(utc_now())

    def insert(tx: Any) -> int:
        new = 0
        for endpoint, registration, sid, body in rows:
            cur = tx.execute(
                "INSERT INTO xapi_outbox (lrs, registration, statement_id, body, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (lrs, statement_id) DO NOTHING",
                (endpoint, registration, sid, body, now),
            )
            new += max(cur.rowcount, 0)
        return new

    result: int = store._run(insert)
    return result


def counts(store: RecordStore, lrs: Lrs | None = None) -> dict[str, int]:
    """How many statements are pending, sent and refused (for one LRS, or all)."""
    where, args = ("WHERE lrs = ?", (lrs.endpoint,)) if lrs is not None else ("", ())
    rows = store._rows(
        "SELECT "
        "SUM(CASE WHEN sent_at IS NULL AND refused_at IS NULL THEN 1 ELSE 0 END) AS pending, "
        "SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END) AS sent, "
        "SUM(CASE WHEN refused_at IS NOT NULL THEN 1 ELSE 0 END) AS refused "
        f"FROM xapi_outbox {where}",
        args,
    )
    keys = ("pending", "sent", "refused")
    if not rows:
        return dict.fromkeys(keys, 0)
    return {k: int(rows[0][k] or 0) for k in keys}


def _pending(
    store: RecordStore, lrs: Lrs, registrations: Sequence[str] | None, limit: int
) -> list[tuple[int, str, str]]:
    sql = (
        "SELECT id, statement_id, body FROM xapi_outbox"
        " WHERE lrs = ? AND sent_at IS NULL AND refused_at IS NULL"
    )
    args: list[Any] = [lrs.endpoint]
    if registrations is not None:
        if not registrations:
            return []
        sql += f" AND registration IN ({', '.join('?' for _ in registrations)})"
        args += list(registrations)
    sql += " ORDER BY id LIMIT ?"
    args.append(limit)
    return [(int(r["id"]), str(r["statement_id"]), str(r["body"])) for r in store._rows(sql, args)]


def _mark(store: RecordStore, row_id: int, column: str, note: str | None) -> None:
    now = iso(utc_now())
    store._run(
        lambda tx: tx.execute(
            f"UPDATE xapi_outbox SET {column} = ?, attempts = attempts + 1, last_error = ?"
            " WHERE id = ?",
            (now, note, row_id),
        )
    )


def _failed(store: RecordStore, row_id: int, reason: str) -> None:
    store._run(
        lambda tx: tx.execute(
            "UPDATE xapi_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
            (reason, row_id),
        )
    )


def push(
    store: RecordStore,
    lrs: Lrs,
    registrations: Sequence[str] | None = None,
    stop: Callable[[], bool] = lambda: False,
    timeout: float = 10.0,
) -> PushResult:
    """Send what is pending for `lrs` (only these plays' statements when `registrations` is
    given), oldest first, until all are sent, the LRS is unavailable, or `stop()` says so."""
    out = PushResult()
    while not stop():
        batch = _pending(store, lrs, registrations, BATCH)
        if not batch:
            break
        for row_id, statement_id, body in batch:
            if stop():
                break
            try:
                outcome, detail = send(lrs, json.loads(body), timeout=timeout)
            except LrsUnavailable as exc:
                _failed(store, row_id, exc.reason)
                out.problem = exc.reason
                break
            if outcome == "refused":
                _mark(store, row_id, "refused_at", detail)
                out.refused.append((statement_id, detail))
            else:
                _mark(store, row_id, "sent_at", None if outcome == "sent" else detail)
                out.sent += 1
        if out.problem is not None:
            break
    out.pending = counts(store, lrs)["pending"]
    return out


class Sender:
    """A background thread that sends a process's statements as they are enqueued.

    `open_store()` opens the records store for the thread (a connection of its own).
    `wake()` after enqueueing; `close(flush=...)` waits at most `flush` seconds for what is
    still pending, then leaves it in the outbox.
    """

    def __init__(
        self,
        open_store: Callable[[], RecordStore],
        lrs: Lrs,
        on_problem: Callable[[str | None], None] | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._open = open_store
        self.lrs = lrs
        self.on_problem = on_problem
        self.timeout = timeout
        self.registrations: list[str] = []
        self.problem: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="parley-lrs-sender", daemon=True)
        self._thread.start()

    def follow(self, registration: str) -> None:
        """Send this play's statements too."""
        with self._lock:
            if registration not in self.registrations:
                self.registrations.append(registration)

    def wake(self) -> None:
        self._idle.clear()
        self._wake.set()

    def _loop(self) -> None:
        store: RecordStore | None = None
        delay = BACKOFF_FIRST
        while not self._stop.is_set():
            self._wake.clear()
            try:
                if store is None:
                    store = self._open()
                with self._lock:
                    regs = list(self.registrations)
                result = push(store, self.lrs, regs, self._stop.is_set, self.timeout)
                problem = result.problem
            except Exception as exc:  # a records problem: keep trying, never crash the play
                problem = f"the outbox cannot be read: {exc}"
                if store is not None:
                    store.close()
                    store = None
            if problem != self.problem:
                self.problem = problem
                if self.on_problem is not None:
                    self.on_problem(problem)
            if problem is None:
                delay = BACKOFF_FIRST
                self._idle.set()
                self._wake.wait()
            else:
                self._wake.wait(delay)
                delay = min(delay * 2, BACKOFF_MAX)
        if store is not None:
            store.close()

    def close(self, flush: float = 5.0) -> None:
        """Give pending statements up to `flush` seconds, then stop (they stay pending)."""
        if flush > 0:
            self.wake()
            self._idle.wait(flush)
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=1.0)  # a send in flight is repeated later, harmlessly


def statements_of_play(store: RecordStore, play_id: int, base: str, scenario: Any) -> list[Any]:
    """Every statement of a recorded play, from the records (engine.xapi)."""
    from engine.xapi import statements_for_record

    play = store.play(play_id)
    if play is None:
        return []
    return statements_for_record(scenario, play, store.steps(play_id), base)
