"""The SQLite records store (stdlib sqlite3): the embedded default, one file per workshop.

Many processes write to one file at once (a served workshop starts one process per
browser), so the database runs in WAL mode (readers never block the writer), every write is
one ``BEGIN IMMEDIATE`` transaction, and ``busy_timeout`` makes a writer wait for the lock
instead of failing ("database is locked"). The schema version is ``PRAGMA user_version``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.records.migrations import SCHEMA_VERSION, migrations
from engine.records.model import RecordsError, utc_now
from engine.records.store import RecordStore, Row, Tx


class SQLiteStore(RecordStore):
    dialect = "sqlite"

    def __init__(
        self, path: Path | str, timeout: float = 30.0, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(str(path), clock)
        self.path = Path(path)
        self._timeout = timeout
        folder = self.path.parent
        if str(self.path) != ":memory:" and not folder.is_dir():
            # never make folders the user did not ask for (a typo in --db); the default
            # file's folder is made by the caller (simulator.paths.default_db)
            raise RecordsError(
                f"cannot open the records database {self.path}: the folder {folder} does not exist",
                hint=f"create it first (mkdir -p {folder}), or give --db a file in an "
                "existing folder",
            )
        try:
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
        with self._transaction() as tx:
            current = int(tx.execute("PRAGMA user_version").fetchone()[0])  # under the lock
            if current > SCHEMA_VERSION:
                raise RecordsError(
                    f"{self.path} was written by a newer Parley (schema {current}; "
                    f"this one knows up to {SCHEMA_VERSION})",
                    hint="upgrade Parley, or record into another file with --db",
                )
            for version in range(current, SCHEMA_VERSION):
                for statement in migrations(self.dialect)[version]:
                    tx.execute(statement)
            tx.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[Tx]:
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

    def _write_error(self, exc: Exception) -> RecordsError | None:
        if not isinstance(exc, sqlite3.Error):
            return None
        return RecordsError(
            f"cannot write to the records database {self.path}: {exc}",
            hint="check free disk space and the file's permissions",
        )

    def _rows(self, sql: str, args: Sequence[Any]) -> list[Row]:
        try:
            cur = self._conn.execute(sql, tuple(args))
            cur.row_factory = sqlite3.Row
            return list(cur.fetchall())
        except sqlite3.Error as exc:
            raise RecordsError(f"cannot read the records database {self.path}: {exc}") from None

    def _tuples(self, sql: str, args: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        try:
            cur = self._conn.execute(sql, tuple(args))
            while batch := cur.fetchmany(5000):
                yield from batch
        except sqlite3.Error as exc:
            raise RecordsError(f"cannot read the records database {self.path}: {exc}") from None

    def close(self) -> None:
        self._conn.close()
