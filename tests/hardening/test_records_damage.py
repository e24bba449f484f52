"""A records file edited by hand, and a --db in a folder that does not exist (#16 class 9):
a clear message naming the row or the folder, never an internal error or a silent mkdir."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from tests.cli import parley
from tests.hardening.hostile import SMALL

DAMAGE = [
    ("plays", "scores", "{not json"),
    ("plays", "scores", '{"situation": "lots"}'),
    ("plays", "trust", "high"),
    ("plays", "total", "1e999x"),
    ("steps", "scores", "[1, 2"),
    ("steps", "trust_after", "up"),
    ("steps", "votes", '{"a": {"b": 1}}'),
]


def _recorded(db: Path) -> None:
    for who in ("Ann", "Bo"):
        out = parley("play", str(SMALL), "--choices", "trade,advise", "--record",
                     "--participant", who, "--cohort", "c1", "--db", str(db))  # fmt: skip
        assert out.returncode == 0, out.stderr


def test_a_damaged_row_is_named_not_an_internal_error(tmp_path: Path) -> None:
    rng = random.Random(4)
    for i, (table, column, value) in enumerate(rng.sample(DAMAGE, 4)):
        db = tmp_path / f"r{i}.sqlite3"
        _recorded(db)
        with sqlite3.connect(db) as conn:
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = 1", (value,))
        for fmt in ("table", "csv", "json"):
            out = parley("report", "--db", str(db), "--format", fmt)
            text = out.stdout + out.stderr
            assert "internal error" not in text and "Traceback" not in text, text
            if out.returncode != 0:  # refused, saying what is damaged
                assert "damaged" in out.stderr and "repair or delete" in out.stderr, out.stderr


def test_db_in_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    parts = [f"d{random.Random(2).randint(0, 99)}", "nested", "deeper"]
    target = tmp_path.joinpath(*parts) / "x.sqlite3"
    out = parley("play", str(SMALL), "--choices", "trade", "--record", "--db", str(target))
    assert out.returncode != 0
    assert "does not exist" in out.stderr and "mkdir -p" in out.stderr
    assert not (tmp_path / parts[0]).exists()  # no folder made behind the user's back
