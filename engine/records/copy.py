"""`parley records migrate --to URL`: copy every play and step of one store into another.

Plays keep their uuid, which makes a copy safe to repeat: a play already in the target
(same uuid) is left as it is. Steps follow their play (new ids in the target). After the
copy the counts are checked: every copied play is in the target with as many steps
(undone ones included) as in the source; a mismatch is an error, not a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.records.model import RecordsError
from engine.records.store import PLAY_COLUMNS, STEP_COLUMNS, RecordStore, Tx

BATCH = 500


@dataclass(frozen=True, slots=True)
class CopyResult:
    plays: int  # copied now
    steps: int  # copied now
    skipped: int  # plays already in the target (same uuid)
    source_plays: int
    source_steps: int


def copy_store(
    source: RecordStore,
    target: RecordStore,
    progress: Callable[[int, int], None] | None = None,
) -> CopyResult:
    """Copy `source` into `target`; returns what was copied. Raises RecordsError when the
    counts do not add up afterwards."""
    play_cols = [c for c in PLAY_COLUMNS if c != "id"]
    step_cols = [c for c in STEP_COLUMNS if c not in ("id", "play_id")]
    there = {str(r[0]) for r in target.query("SELECT uuid FROM plays")}
    plays = list(source.query(f"SELECT {', '.join(PLAY_COLUMNS)} FROM plays ORDER BY id"))
    todo = [p for p in plays if str(p[1]) not in there]
    source_steps = 0
    copied_steps = 0
    expected: dict[str, int] = {}
    for i in range(0, len(todo), BATCH):
        batch = todo[i : i + BATCH]
        ids = [int(p[0]) for p in batch]
        marks = ",".join("?" * len(ids))
        steps: dict[int, list[tuple[Any, ...]]] = {pid: [] for pid in ids}
        for s in source.query(
            f"SELECT {', '.join(STEP_COLUMNS)} FROM steps WHERE play_id IN ({marks}) "
            "ORDER BY play_id, id",
            ids,
        ):
            steps[int(s[1])].append(s)

        def write(
            tx: Tx,
            batch: list[tuple[Any, ...]] = batch,
            steps: dict[int, list[tuple[Any, ...]]] = steps,
        ) -> int:
            n = 0
            for p in batch:
                cur = tx.execute(
                    f"INSERT INTO plays ({', '.join(play_cols)}) "
                    f"VALUES ({','.join('?' * len(play_cols))}) RETURNING id",
                    p[1:],
                )
                new_id = int(cur.fetchone()[0])
                for s in steps[int(p[0])]:
                    tx.execute(
                        f"INSERT INTO steps (play_id, {', '.join(step_cols)}) "
                        f"VALUES (?,{','.join('?' * len(step_cols))})",
                        (new_id, *s[2:]),
                    )
                    n += 1
            return n

        copied_steps += int(target._run(write))
        for p in batch:
            expected[str(p[1])] = len(steps[int(p[0])])
            source_steps += len(steps[int(p[0])])
        if progress is not None:
            progress(min(i + BATCH, len(todo)), len(todo))
    _check(target, expected)
    return CopyResult(
        plays=len(todo),
        steps=copied_steps,
        skipped=len(plays) - len(todo),
        source_plays=len(plays),
        source_steps=source_steps,
    )


def _check(target: RecordStore, expected: dict[str, int]) -> None:
    """Every copied play is in the target once, with as many steps as in the source."""
    if not expected:
        return
    found: dict[str, int] = {}
    uuids = list(expected)
    for i in range(0, len(uuids), BATCH):
        chunk = uuids[i : i + BATCH]
        marks = ",".join("?" * len(chunk))
        for uuid, n in target.query(
            "SELECT p.uuid, COUNT(s.id) FROM plays p LEFT JOIN steps s ON s.play_id = p.id "
            f"WHERE p.uuid IN ({marks}) GROUP BY p.uuid",
            chunk,
        ):
            found[str(uuid)] = int(n)
    missing = [u for u in expected if u not in found]
    wrong = [u for u in expected if u in found and found[u] != expected[u]]
    if missing or wrong:
        raise RecordsError(
            f"the copy into {target.target} does not add up: {len(missing)} plays missing, "
            f"{len(wrong)} with another number of steps",
            hint="run the same command again: plays already copied are skipped",
        )
