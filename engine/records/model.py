"""What a records store holds: plays and their steps as plain frozen records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from engine.errors import ParleyError

MODES = ("tui", "served", "scripted", "room")


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


def decode_scores(text: str | None) -> dict[str, int]:
    """A scores (or votes) column: JSON object of name -> integer."""
    if not text:
        return {}
    try:
        data = json.loads(text)
        return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (ValueError, TypeError, RecursionError):
        raise RecordsError(
            f"a scores or votes value in the records is damaged: {str(text)[:60]!r}",
            hint="repair or delete that row (it was probably edited by hand)",
        ) from None


def decode_votes(text: str | None) -> dict[str, int] | None:
    return decode_scores(text) if text else None
