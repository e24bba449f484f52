"""Play records for trainers: a SQLite store (stdlib sqlite3) of plays and their steps.

One file holds every play of a workshop. Many processes write to it at once (a served
workshop starts one process per browser), so:

- the database runs in WAL mode (readers never block the writer);
- every write is one short ``BEGIN IMMEDIATE`` transaction, and ``busy_timeout`` makes a
  writer wait for the lock instead of failing ("database is locked");
- each answer is committed as it is made: a play killed with ``kill -9`` keeps every
  choice already made.

The schema is versioned with ``PRAGMA user_version`` and upgraded by ``MIGRATIONS``.
Undo does not delete: undone steps stay in the table with ``undone_at`` set, and the
report reads only the steps that still stand (``undone_at IS NULL``).

Nothing here imports a UI or prints.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.conversation import Conversation
from engine.errors import ParleyError
from engine.events import Step

MODES = ("tui", "served", "scripted", "room")

# Each migration takes the schema from version i to i + 1; statements run in one transaction.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: plays and steps
    (
        """CREATE TABLE plays (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            scenario_id TEXT NOT NULL,
            scenario_hash TEXT NOT NULL,
            scenario_title TEXT NOT NULL DEFAULT '',
            scenario_path TEXT,
            framework TEXT NOT NULL DEFAULT '',
            participant TEXT,
            cohort TEXT,
            lang TEXT NOT NULL,
            mode TEXT NOT NULL,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT,
            ending TEXT,
            outcome TEXT,
            trust INTEGER NOT NULL,
            level TEXT NOT NULL,
            rung TEXT NOT NULL,
            turns INTEGER NOT NULL DEFAULT 0,
            scores TEXT NOT NULL DEFAULT '{}',
            total INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            play_id INTEGER NOT NULL REFERENCES plays(id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            node TEXT NOT NULL,
            choice TEXT NOT NULL,
            trust_before INTEGER NOT NULL,
            trust_after INTEGER NOT NULL,
            level_before TEXT NOT NULL,
            level_after TEXT NOT NULL,
            rung_before TEXT NOT NULL,
            rung_after TEXT NOT NULL,
            scores TEXT NOT NULL DEFAULT '{}',
            at TEXT NOT NULL,
            undone_at TEXT
        )""",
        "CREATE INDEX steps_play ON steps(play_id, turn)",
        "CREATE INDEX plays_cohort ON plays(cohort, scenario_id)",
    ),
    # 2: room mode keeps the room's vote counts per option
    ("ALTER TABLE steps ADD COLUMN votes TEXT",),
)
SCHEMA_VERSION = len(MIGRATIONS)


class RecordsError(ParleyError):
    """The records database cannot be opened or written."""

    code = "P400"


@dataclass(frozen=True, slots=True)
class PlayRecord:
    id: int
    uuid: str
    scenario_id: str
    scenario_hash: str
    scenario_title: str
    scenario_path: str | None
    framework: str
    participant: str | None
    cohort: str | None
    lang: str
    mode: str
    started_at: str
    updated_at: str
    finished_at: str | None
    ending: str | None
    outcome: str | None
    trust: int
    level: str
    rung: str
    turns: int
    scores: dict[str, int]
    total: int

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def who(self) -> str:
        return self.participant or "anonymous"


@dataclass(frozen=True, slots=True)
class StepRecord:
    id: int
    play_id: int
    turn: int
    node: str
    choice: str
    trust_before: int
    trust_after: int
    level_before: str
    level_after: str
    rung_before: str
    rung_after: str
    scores: dict[str, int]
    at: str
    undone_at: str | None
    votes: dict[str, int] | None

    @property
    def trust_delta(self) -> int:
        return self.trust_after - self.trust_before


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and a Z, e.g. 2026-11-22T00:05:59.123Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _scores(text: str | None) -> dict[str, int]:
    if not text:
        return {}
    data = json.loads(text)
    return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _votes(text: str | None) -> dict[str, int] | None:
    return _scores(text) if text else None


class RecordStore:
    """A records database. Open one per process; every method is one short transaction."""

    def __init__(
        self, path: Path | str, timeout: float = 30.0, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.path = Path(path)
        self.clock = clock
        self._timeout = timeout
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                str(self.path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise RecordsError(
                f"cannot open the records database {self.path}: {exc}",
                hint="choose another file with --db, or check the folder's permissions",
            ) from None
        try:
            self._setup()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise RecordsError(
                f"{self.path} is not a usable Parley records database ({exc})",
                hint="choose another file with --db",
            ) from None

    # ------------------------------------------------------------------ setup
    def _setup(self) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Switching to WAL needs a moment alone with the file; another process may be
        # doing the same right now, so wait and retry rather than fail.
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        if str(mode).lower() != "wal" and str(self.path) != ":memory:":
            raise sqlite3.DatabaseError(f"journal mode is {mode}, WAL is needed")
        # WAL + NORMAL: a commit survives the process being killed (not a power cut).
        conn.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        if self.schema_version == SCHEMA_VERSION:
            return
        with self._write() as conn:
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])  # re-read under lock
            if current > SCHEMA_VERSION:
                raise RecordsError(
                    f"{self.path} was written by a newer Parley (schema {current}; "
                    f"this one knows up to {SCHEMA_VERSION})",
                    hint="upgrade Parley, or record into another file with --db",
                )
            for version in range(current, SCHEMA_VERSION):
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; waits (busy_timeout) for other writers."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise RecordsError(
                f"cannot write to the records database {self.path}: {exc}",
                hint="another program may hold the file locked; try again",
            ) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the transaction is already gone
            raise

    def _run(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        try:
            with self._write() as conn:
                return fn(conn)
        except sqlite3.Error as exc:
            raise RecordsError(
                f"cannot write to the records database {self.path}: {exc}",
                hint="check free disk space and the file's permissions",
            ) from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing
    def start_play(
        self,
        conv: Conversation,
        *,
        participant: str | None = None,
        cohort: str | None = None,
        mode: str = "tui",
        play_uuid: str | None = None,
    ) -> int:
        """Record that a play began; returns its id (pass it to record_step and finish_play)."""
        if mode not in MODES:
            raise RecordsError(f"unknown play mode '{mode}' (known: {', '.join(MODES)})")
        sc = conv.scenario
        now = iso(self.clock())
        row = (
            play_uuid or str(uuid.uuid4()),
            sc.id,
            sc.content_hash,
            sc.title.get(conv.lang),
            str(sc.path) if sc.path is not None else None,
            sc.framework.id,
            (participant or "").strip() or None,
            (cohort or "").strip() or None,
            conv.lang,
            mode,
            now,
            now,
        )

        def insert(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO plays (uuid, scenario_id, scenario_hash, scenario_title, "
                "scenario_path, framework, participant, cohort, lang, mode, started_at, "
                "updated_at, trust, level, rung) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (*row, conv.trust, conv.trust_level, conv.rung),
            )
            play_id = int(cur.lastrowid or 0)
            self._update_state(conn, play_id, conv, now)
            return play_id

        return int(self._run(insert))

    def record_step(
        self,
        play_id: int,
        conv: Conversation,
        step: Step,
        votes: Mapping[str, int] | None = None,
    ) -> None:
        """Commit one answer (and the play's state after it) at once."""
        now = iso(self.clock())

        def insert(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO steps (play_id, turn, node, choice, trust_before, trust_after, "
                "level_before, level_after, rung_before, rung_after, scores, at, votes) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    play_id,
                    step.turn,
                    step.node,
                    step.choice,
                    step.trust_before,
                    step.trust_after,
                    step.level_before,
                    step.level_after,
                    step.rung_before,
                    step.rung_after,
                    json.dumps(step.scores, sort_keys=True),
                    now,
                    json.dumps(dict(votes)) if votes is not None else None,
                ),
            )
            self._update_state(conn, play_id, conv, now)

        self._run(insert)

    def record_undo(self, play_id: int, conv: Conversation) -> int:
        """Mark the steps that the play no longer has as undone; returns how many."""
        now = iso(self.clock())
        keep = len(conv.history)

        def mark(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "UPDATE steps SET undone_at = ? WHERE play_id = ? AND turn > ? "
                "AND undone_at IS NULL",
                (now, play_id, keep),
            )
            self._update_state(conn, play_id, conv, now)
            return int(cur.rowcount)

        return int(self._run(mark))

    def finish_play(self, play_id: int, conv: Conversation) -> None:
        """Record the ending (also done by record_step when an answer ends the play)."""
        now = iso(self.clock())
        self._run(lambda conn: self._update_state(conn, play_id, conv, now))

    def rename_play(self, play_id: int, participant: str | None) -> None:
        """Set who played (served plays ask for a name after the play has begun)."""
        name = (participant or "").strip() or None
        self._run(
            lambda conn: conn.execute(
                "UPDATE plays SET participant = ? WHERE id = ?", (name, play_id)
            )
        )

    def find_resumable(
        self,
        scenario_id: str,
        participant: str | None,
        cohort: str | None,
        choices: Sequence[str],
    ) -> int | None:
        """The latest unfinished play by the same person whose standing answers are `choices`
        (a resumed save continues its play instead of starting a new one)."""
        rows = self._read(
            "SELECT id FROM plays WHERE scenario_id = ? AND participant IS ? AND cohort IS ? "
            "AND finished_at IS NULL ORDER BY id DESC LIMIT 20",
            [scenario_id, (participant or "").strip() or None, (cohort or "").strip() or None],
        )
        for r in rows:
            pid = int(r["id"])
            if [st.choice for st in self.steps(pid)] == list(choices):
                return pid
        return None

    @staticmethod
    def _update_state(conn: sqlite3.Connection, play_id: int, conv: Conversation, now: str) -> None:
        conn.execute(
            "UPDATE plays SET updated_at = ?, trust = ?, level = ?, rung = ?, turns = ?, "
            "scores = ?, total = ?, ending = ?, outcome = ?, "
            "finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE NULL END "
            "WHERE id = ?",
            (
                now,
                conv.trust,
                conv.trust_level,
                conv.rung,
                conv.turns,
                json.dumps(conv.scores, sort_keys=True),
                sum(conv.scores.values()),
                conv.node.id if conv.ended else None,
                conv.outcome,
                1 if conv.ended else 0,
                now,
                play_id,
            ),
        )

    # ------------------------------------------------------------------ reading
    def plays(
        self,
        cohort: str | None = None,
        scenario: str | None = None,
        participant: str | None = None,
    ) -> list[PlayRecord]:
        """Plays in the order they started, filtered by cohort / scenario id / participant."""
        where: list[str] = []
        args: list[Any] = []
        for column, value in (
            ("cohort", cohort),
            ("scenario_id", scenario),
            ("participant", participant),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        sql = "SELECT * FROM plays" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self._read(sql + " ORDER BY started_at, id", args)
        return [self._play(r) for r in rows]

    def play(self, play_id: int) -> PlayRecord | None:
        rows = self._read("SELECT * FROM plays WHERE id = ?", [play_id])
        return self._play(rows[0]) if rows else None

    def steps(self, play_id: int, include_undone: bool = False) -> list[StepRecord]:
        """The steps of one play in order (only those still standing, unless include_undone)."""
        sql = "SELECT * FROM steps WHERE play_id = ?"
        if not include_undone:
            sql += " AND undone_at IS NULL"
        rows = self._read(sql + " ORDER BY turn, id", [play_id])
        return [self._step(r) for r in rows]

    def steps_for(self, play_ids: Sequence[int]) -> dict[int, list[StepRecord]]:
        """Standing steps of many plays: play id -> steps in order."""
        out: dict[int, list[StepRecord]] = {pid: [] for pid in play_ids}
        if not play_ids:
            return out
        # chunks keep under SQLite's limit on bound parameters
        ids = list(play_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._read(
                f"SELECT * FROM steps WHERE play_id IN ({marks}) AND undone_at IS NULL "
                "ORDER BY play_id, turn, id",
                chunk,
            )
            for r in rows:
                step = self._step(r)
                out[step.play_id].append(step)
        return out

    def cohorts(self) -> list[tuple[str | None, int]]:
        """Each cohort (None: no cohort given) with its number of plays."""
        rows = self._read(
            "SELECT cohort, COUNT(*) AS n FROM plays GROUP BY cohort ORDER BY cohort", []
        )
        return [(r["cohort"], int(r["n"])) for r in rows]

    def _read(self, sql: str, args: Sequence[Any]) -> list[sqlite3.Row]:
        try:
            cur = self._conn.execute(sql, tuple(args))
            cur.row_factory = sqlite3.Row
            return list(cur.fetchall())
        except sqlite3.Error as exc:
            raise RecordsError(f"cannot read the records database {self.path}: {exc}") from None

    @staticmethod
    def _play(r: sqlite3.Row) -> PlayRecord:
        return PlayRecord(
            id=int(r["id"]),
            uuid=str(r["uuid"]),
            scenario_id=str(r["scenario_id"]),
            scenario_hash=str(r["scenario_hash"]),
            scenario_title=str(r["scenario_title"]),
            scenario_path=r["scenario_path"],
            framework=str(r["framework"]),
            participant=r["participant"],
            cohort=r["cohort"],
            lang=str(r["lang"]),
            mode=str(r["mode"]),
            started_at=str(r["started_at"]),
            updated_at=str(r["updated_at"]),
            finished_at=r["finished_at"],
            ending=r["ending"],
            outcome=r["outcome"],
            trust=int(r["trust"]),
            level=str(r["level"]),
            rung=str(r["rung"]),
            turns=int(r["turns"]),
            scores=_scores(r["scores"]),
            total=int(r["total"]),
        )

    @staticmethod
    def _step(r: sqlite3.Row) -> StepRecord:
        return StepRecord(
            id=int(r["id"]),
            play_id=int(r["play_id"]),
            turn=int(r["turn"]),
            node=str(r["node"]),
            choice=str(r["choice"]),
            trust_before=int(r["trust_before"]),
            trust_after=int(r["trust_after"]),
            level_before=str(r["level_before"]),
            level_after=str(r["level_after"]),
            rung_before=str(r["rung_before"]),
            rung_after=str(r["rung_after"]),
            scores=_scores(r["scores"]),
            at=str(r["at"]),
            undone_at=r["undone_at"],
            votes=_votes(r["votes"]),
        )
