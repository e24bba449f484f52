"""Play records for trainers: plays and their steps, in SQLite (the embedded default, one
file) or PostgreSQL (a URL: several hosts, one store).

- `open_store(target)`: a file path -> SQLiteStore, ``postgresql://…`` -> PostgresStore;
  both are a `RecordStore` (engine.records.store) with the same methods and SQL;
- engine.records.migrations: the schema as numbered SQL files shared by both;
- engine.records.copy: copy one store into another with the counts checked.

Nothing here imports a UI or prints.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from engine.records.migrations import SCHEMA_VERSION, migrations
from engine.records.model import (
    MODES,
    Moment,
    PlayRecord,
    RecordsError,
    StepRecord,
    decode_scores,
    iso,
    utc_now,
)
from engine.records.postgres import PostgresStore, is_postgres_url, redact
from engine.records.sqlite import SQLiteStore
from engine.records.store import RecordStore

# The SQLite statements of each migration (version i -> i + 1), as older code knew them.
MIGRATIONS = migrations("sqlite")

__all__ = [
    "MIGRATIONS",
    "MODES",
    "SCHEMA_VERSION",
    "Moment",
    "PlayRecord",
    "PostgresStore",
    "RecordStore",
    "RecordsError",
    "SQLiteStore",
    "StepRecord",
    "decode_scores",
    "display_target",
    "is_postgres_url",
    "iso",
    "open_store",
    "store_exists",
    "utc_now",
]


def open_store(target: str | Path, clock: Callable[[], datetime] = utc_now) -> RecordStore:
    """Open (creating or upgrading) the records store at `target`: a SQLite file path, or a
    ``postgresql://`` URL."""
    text = str(target)
    if is_postgres_url(text):
        return PostgresStore(text, clock=clock)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise RecordsError(
            f"unknown records database URL scheme '{scheme}://'",
            hint="use a SQLite file path, or postgresql://user@host:port/dbname",
        )
    return SQLiteStore(text, clock=clock)


def display_target(target: str | Path) -> str:
    """How to show a store's target to a user (a URL loses its password)."""
    text = str(target)
    return redact(text) if is_postgres_url(text) else text


def store_exists(target: str | Path) -> bool:
    """False only for a SQLite file that is not there (a URL is asked when opened)."""
    text = str(target)
    return "://" in text or Path(text).is_file()
