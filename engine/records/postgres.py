"""The PostgreSQL records store (psycopg 3): one database for several hosts and trainers.

Chosen by URL (``--db postgresql://user@host/dbname`` or ``PARLEY_DB``). Same tables and
migrations as SQLite (engine.records.migrations); the schema version is kept in the table
``parley_schema``, and a migration runs under an advisory lock so that many processes
starting at once upgrade the database exactly once. Every write is one transaction on an
autocommit connection; PostgreSQL's row locks let many writers commit side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from engine.records.migrations import SCHEMA_VERSION, migrations
from engine.records.model import RecordsError, utc_now
from engine.records.store import Cursor, RecordStore, Row, Tx

URL_SCHEMES = ("postgresql", "postgres")
MIGRATION_LOCK = 0x7061726C6579  # "parley": one advisory lock id for schema upgrades


def is_postgres_url(target: str) -> bool:
    return target.split("://", 1)[0].lower() in URL_SCHEMES and "://" in target


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://…"
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = (parts.username or "") + ":***"
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc[-1]}"))


class _PgTx:
    """A write transaction that speaks the stores' ``?`` placeholders."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, args: Sequence[Any] = (), /) -> Cursor:
        cur: Cursor = self._conn.execute(_pg(sql), tuple(args))
        return cur


def _pg(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(RecordStore):
    dialect = "postgresql"

    def __init__(
        self, url: str, timeout: float = 10.0, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(redact(url), clock)
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError:
            raise RecordsError(
                "PostgreSQL records need the psycopg package, which is not installed",
                hint="pip install 'psycopg[binary]' (or: pip install 'parley[postgresql]')",
            ) from None
        self._psycopg = psycopg
        self._dict_row = dict_row
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=int(timeout))
        except psycopg.Error as exc:
            raise RecordsError(
                f"cannot connect to the records database {self.target}: {_first_line(exc)}",
                hint="check the URL (postgresql://user@host:port/dbname), that the server "
                "runs and that the user may log in",
            ) from None
        try:
            self._migrate()
        except psycopg.Error as exc:
            self._conn.close()
            raise RecordsError(
                f"{self.target} is not a usable Parley records database ({_first_line(exc)})",
                hint="use a database of its own for Parley, and a user that may create tables",
            ) from None

    @property
    def schema_version(self) -> int:
        row = self._conn.execute(
            "SELECT version FROM parley_schema WHERE id = 1"
            if self._has_schema_table()
            else "SELECT 0"
        ).fetchone()
        return int(row[0]) if row else 0

    def _has_schema_table(self) -> bool:
        row = self._conn.execute("SELECT to_regclass('parley_schema') IS NOT NULL").fetchone()
        return bool(row and row[0])

    def _migrate(self) -> None:
        if self._has_schema_table() and self.schema_version == SCHEMA_VERSION:
            return
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS parley_schema "
                "(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)"
            )
            self._conn.execute(
                "INSERT INTO parley_schema (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING"
            )
            current = self.schema_version
            if current > SCHEMA_VERSION:
                raise RecordsError(
                    f"{self.target} was written by a newer Parley (schema {current}; "
                    f"this one knows up to {SCHEMA_VERSION})",
                    hint="upgrade Parley, or record into another database with --db",
                )
            for version in range(current, SCHEMA_VERSION):
                for statement in migrations(self.dialect)[version]:
                    self._conn.execute(statement)
            self._conn.execute(
                "UPDATE parley_schema SET version = %s WHERE id = 1", (SCHEMA_VERSION,)
            )

    @contextmanager
    def _transaction(self) -> Iterator[Tx]:
        with self._conn.transaction():  # a failure to begin is mapped by _write_error
            yield _PgTx(self._conn)

    def _write_error(self, exc: Exception) -> RecordsError | None:
        if not isinstance(exc, self._psycopg.Error):
            return None
        return RecordsError(
            f"cannot write to the records database {self.target}: {_first_line(exc)}",
            hint="check that the server runs and that the user may write",
        )

    def _rows(self, sql: str, args: Sequence[Any]) -> list[Row]:
        try:
            with self._conn.cursor(row_factory=self._dict_row) as cur:
                cur.execute(_pg(sql), tuple(args))
                return list(cur.fetchall())
        except self._psycopg.Error as exc:
            raise RecordsError(
                f"cannot read the records database {self.target}: {_first_line(exc)}"
            ) from None

    def _tuples(self, sql: str, args: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        try:
            with self._conn.cursor() as cur:
                cur.execute(_pg(sql), tuple(args))
                while batch := cur.fetchmany(5000):
                    yield from batch
        except self._psycopg.Error as exc:
            raise RecordsError(
                f"cannot read the records database {self.target}: {_first_line(exc)}"
            ) from None

    def close(self) -> None:
        self._conn.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
