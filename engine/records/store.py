"""The records store: one interface, the same SQL, for SQLite and PostgreSQL.

`RecordStore` holds every query; a store for one database (engine.records.sqlite,
engine.records.postgres) only says how to open it, run one write transaction, read rows,
and keep the schema version. The SQL here is the portable subset both speak, written with
``?`` placeholders (the PostgreSQL store turns them into its own).

Every write is one short transaction and each answer is committed as it is made: a play
killed with ``kill -9`` keeps every choice already made. Undo does not delete: undone steps
stay with ``undone_at`` set, and reads skip them unless asked.
"""

from __future__ import annotations

import json
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from engine.records.model import (
    MODES,
    Moment,
    PlayRecord,
    RecordsError,
    StepRecord,
    decode_moment,
    decode_scores,
    decode_votes,
    iso,
    utc_now,
)

if TYPE_CHECKING:  # a report reads records without the play machinery
    from engine.conversation import Conversation
    from engine.events import Step

Row = Mapping[str, Any]

PLAY_COLUMNS = (
    "id", "uuid", "scenario_id", "scenario_hash", "scenario_title", "scenario_path",
    "framework", "participant", "cohort", "lang", "mode", "started_at", "updated_at",
    "finished_at", "ending", "outcome", "trust", "level", "rung", "turns", "scores", "total",
    "decisive",
)  # fmt: skip
STEP_COLUMNS = (
    "id", "play_id", "turn", "node", "choice", "trust_before", "trust_after", "level_before",
    "level_after", "rung_before", "rung_after", "scores", "at", "undone_at", "votes",
)  # fmt: skip


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Tx(Protocol):
    """One write transaction: run statements with ``?`` placeholders."""

    def execute(self, sql: str, args: Sequence[Any] = (), /) -> Cursor: ...


def _who(value: str | None) -> str | None:
    """A participant or cohort name as stored: trimmed; a lone surrogate (bytes that were
    not UTF-8) becomes U+FFFD, so no name can make the database refuse a play."""
    text = (value or "").strip()
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text or None


class RecordStore(ABC):
    """A records database. Open one per process (`engine.records.open_store`); every method
    is one short transaction."""

    dialect: str = ""

    def __init__(self, target: str, clock: Callable[[], datetime] = utc_now) -> None:
        self.target = target  # what to show a user: a file path, or a URL without password
        self.clock = clock

    # ------------------------------------------------------------ what a store provides
    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Tx]:
        """One short write transaction (RecordsError when it cannot begin)."""

    @abstractmethod
    def _rows(self, sql: str, args: Sequence[Any]) -> list[Row]:
        """Rows of a read query, by column name (RecordsError on failure)."""

    @abstractmethod
    def _tuples(self, sql: str, args: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of a read query as plain tuples, fetched in batches (for big reports)."""

    @property
    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def _write_error(self, exc: Exception) -> RecordsError | None:
        """The RecordsError for a database error raised while writing (None: not ours)."""

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, fn: Callable[[Tx], Any]) -> Any:
        try:
            with self._transaction() as tx:
                return fn(tx)
        except RecordsError:
            raise
        except Exception as exc:
            err = self._write_error(exc)
            if err is None:
                raise
            raise err from None

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
            _who(participant),
            _who(cohort),
            conv.lang,
            mode,
            now,
            now,
        )

        def insert(tx: Tx) -> int:
            cur = tx.execute(
                "INSERT INTO plays (uuid, scenario_id, scenario_hash, scenario_title, "
                "scenario_path, framework, participant, cohort, lang, mode, started_at, "
                "updated_at, trust, level, rung) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                "RETURNING id",
                (*row, conv.trust, conv.trust_level, conv.rung),
            )
            play_id = int(cur.fetchone()[0])
            self._update_state(tx, play_id, conv, now, decisive)
            return play_id

        decisive = _decisive(conv)

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

        def insert(tx: Tx) -> None:
            tx.execute(
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
            self._update_state(tx, play_id, conv, now, decisive)

        decisive = _decisive(conv)  # worked out before the write lock is taken
        self._run(insert)

    def record_undo(self, play_id: int, conv: Conversation) -> int:
        """Mark the steps that the play no longer has as undone; returns how many."""
        now = iso(self.clock())
        keep = len(conv.history)

        def mark(tx: Tx) -> int:
            cur = tx.execute(
                "UPDATE steps SET undone_at = ? WHERE play_id = ? AND turn > ? "
                "AND undone_at IS NULL",
                (now, play_id, keep),
            )
            self._update_state(tx, play_id, conv, now, decisive)
            return int(cur.rowcount)

        decisive = _decisive(conv)
        return int(self._run(mark))

    def finish_play(self, play_id: int, conv: Conversation) -> None:
        """Record the ending (also done by record_step when an answer ends the play)."""
        now = iso(self.clock())
        decisive = _decisive(conv)
        self._run(lambda tx: self._update_state(tx, play_id, conv, now, decisive))

    def rename_play(self, play_id: int, participant: str | None) -> None:
        """Set who played (served plays ask for a name after the play has begun)."""
        name = _who(participant)
        self._run(
            lambda tx: tx.execute("UPDATE plays SET participant = ? WHERE id = ?", (name, play_id))
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
        where = ["scenario_id = ?", "finished_at IS NULL"]
        args: list[Any] = [scenario_id]
        for column, value in (("participant", _who(participant)), ("cohort", _who(cohort))):
            if value is None:
                where.append(f"{column} IS NULL")
            else:
                where.append(f"{column} = ?")
                args.append(value)
        rows = self._rows(
            "SELECT id FROM plays WHERE " + " AND ".join(where) + " ORDER BY id DESC LIMIT 20",
            args,
        )
        for r in rows:
            pid = int(r["id"])
            if [st.choice for st in self.steps(pid)] == list(choices):
                return pid
        return None

    @staticmethod
    def _update_state(
        tx: Tx, play_id: int, conv: Conversation, now: str, decisive: str | None
    ) -> None:
        """The play's row as `conv` stands; `decisive`: its decisive moment (_decisive)."""
        finished = "COALESCE(finished_at, ?)" if conv.ended else "NULL"
        args: list[Any] = [
            now,
            conv.trust,
            conv.trust_level,
            conv.rung,
            conv.turns,
            json.dumps(conv.scores, sort_keys=True),
            sum(conv.scores.values()),
            conv.node.id if conv.ended else None,
            conv.outcome,
            decisive,
        ]
        if conv.ended:
            args.append(now)
        tx.execute(
            "UPDATE plays SET updated_at = ?, trust = ?, level = ?, rung = ?, turns = ?, "
            "scores = ?, total = ?, ending = ?, outcome = ?, decisive = ?, "
            f"finished_at = {finished} WHERE id = ?",
            (*args, play_id),
        )

    # ------------------------------------------------------------------ reading
    def plays(
        self,
        cohort: str | None = None,
        scenario: str | None = None,
        participant: str | None = None,
    ) -> list[PlayRecord]:
        """Plays in the order they started, filtered by cohort / scenario id / participant."""
        where, args = self.play_filter(cohort, scenario, participant)
        rows = self._rows(
            f"SELECT {', '.join(PLAY_COLUMNS)} FROM plays{where} ORDER BY started_at, id", args
        )
        return [play_from_row(r) for r in rows]

    @staticmethod
    def play_filter(
        cohort: str | None = None,
        scenario: str | None = None,
        participant: str | None = None,
        alias: str = "",
    ) -> tuple[str, list[Any]]:
        """A WHERE clause (with a leading space, or empty) and its arguments."""
        where: list[str] = []
        args: list[Any] = []
        for column, value in (
            ("cohort", cohort),
            ("scenario_id", scenario),
            ("participant", participant),
        ):
            if value is not None:
                where.append(f"{alias}{column} = ?")
                args.append(value)
        return (" WHERE " + " AND ".join(where) if where else ""), args

    def play(self, play_id: int) -> PlayRecord | None:
        rows = self._rows(f"SELECT {', '.join(PLAY_COLUMNS)} FROM plays WHERE id = ?", [play_id])
        return play_from_row(rows[0]) if rows else None

    def steps(self, play_id: int, include_undone: bool = False) -> list[StepRecord]:
        """The steps of one play in order (only those still standing, unless include_undone)."""
        sql = f"SELECT {', '.join(STEP_COLUMNS)} FROM steps WHERE play_id = ?"
        if not include_undone:
            sql += " AND undone_at IS NULL"
        rows = self._rows(sql + " ORDER BY turn, id", [play_id])
        return [step_from_row(r) for r in rows]

    def steps_for(self, play_ids: Sequence[int]) -> dict[int, list[StepRecord]]:
        """Standing steps of many plays: play id -> steps in order."""
        out: dict[int, list[StepRecord]] = {pid: [] for pid in play_ids}
        ids = list(play_ids)
        for i in range(0, len(ids), 500):  # chunks keep under SQLite's bound-parameter limit
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._rows(
                f"SELECT {', '.join(STEP_COLUMNS)} FROM steps WHERE play_id IN ({marks}) "
                "AND undone_at IS NULL ORDER BY play_id, turn, id",
                chunk,
            )
            for r in rows:
                step = step_from_row(r)
                out[step.play_id].append(step)
        return out

    def cohorts(self) -> list[tuple[str | None, int]]:
        """Each cohort (None: no cohort given, first) with its number of plays."""
        rows = self._rows("SELECT cohort, COUNT(*) AS n FROM plays GROUP BY cohort", [])
        found = [(r["cohort"], int(r["n"])) for r in rows]
        return sorted(found, key=lambda c: (c[0] is not None, c[0] or ""))

    def counts(self) -> tuple[int, int]:
        """(plays, steps) in the store, undone steps included."""
        [r] = self._rows(
            "SELECT (SELECT COUNT(*) FROM plays) AS plays, (SELECT COUNT(*) FROM steps) AS steps",
            [],
        )
        return int(r["plays"]), int(r["steps"])

    def query(self, sql: str, args: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Run a read-only query written in the portable SQL (``?`` placeholders); rows as
        tuples. For reports that aggregate in the database."""
        return self._tuples(sql, args)


def _decisive(conv: Conversation) -> str | None:
    """The `decisive` column for the play as it stands (None until it has ended)."""
    if not conv.ended:
        return None
    from engine.records.decisive import moment_text

    return moment_text(conv)


def _damaged(table: str, r: Row, exc: Exception) -> RecordsError:
    """A row edited by hand (bad JSON, a word where a number belongs): name it."""
    try:
        row_id = r["id"]
    except (KeyError, IndexError, TypeError):
        row_id = "?"
    return RecordsError(
        f"row {row_id} of table '{table}' in the records is damaged ({type(exc).__name__}: "
        f"{str(exc)[:120]})",
        hint="repair or delete that row (it was probably edited by hand); the other rows are fine",
    )


_UNREAD: Any = object()  # play_from_row: decode the decisive column itself


def play_from_row(
    r: Row, scores: dict[str, int] | None = None, decisive: Moment | None = _UNREAD
) -> PlayRecord:
    """A play row as a PlayRecord (`scores`, `decisive`: when the caller has decoded them
    already); RecordsError naming the row when it is damaged."""
    try:
        return _play_from_row(r, scores, decisive)
    except (ValueError, TypeError, AttributeError, KeyError, RecordsError) as exc:
        raise _damaged("plays", r, exc) from None


def play_from_tuple(
    t: Sequence[Any], scores: dict[str, int], decisive: Moment | None
) -> PlayRecord:
    """A play row read as a tuple in PLAY_COLUMNS order, its scores and decisive moment
    already decoded (the report's fast path: no dict per row)."""
    try:
        (pid, uid, sid, sha, title, path, fw, who, cohort, lang, mode, started, updated,
         finished, ending, outcome, trust, level, rung, turns, _, total, _) = t  # fmt: skip
        return PlayRecord(
            int(pid), str(uid), str(sid), str(sha), str(title), path, str(fw), who, cohort,
            str(lang), str(mode), str(started), str(updated), finished, ending, outcome,
            int(trust), str(level), str(rung), int(turns), scores, int(total), decisive,
        )  # fmt: skip
    except (ValueError, TypeError) as exc:
        raise _damaged("plays", dict(zip(PLAY_COLUMNS, t, strict=False)), exc) from None


def step_from_row(r: Row) -> StepRecord:
    """A step row as a StepRecord; RecordsError naming the row when it is damaged."""
    try:
        return _step_from_row(r)
    except (ValueError, TypeError, AttributeError, KeyError, RecordsError) as exc:
        raise _damaged("steps", r, exc) from None


def _play_from_row(r: Row, scores: dict[str, int] | None, decisive: Moment | None) -> PlayRecord:
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
        scores=decode_scores(r["scores"]) if scores is None else scores,
        total=int(r["total"]),
        decisive=decode_moment(r["decisive"]) if decisive is _UNREAD else decisive,
    )


def _step_from_row(r: Row) -> StepRecord:
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
        scores=decode_scores(r["scores"]),
        at=str(r["at"]),
        undone_at=r["undone_at"],
        votes=decode_votes(r["votes"]),
    )
