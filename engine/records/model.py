"""What a records store holds: plays and their steps as plain frozen records, and each
finished play's decisive moment (`Moment`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from engine.errors import ParleyError

MODES = ("tui", "served", "scripted", "room")


class RecordsError(ParleyError):
    """The records database cannot be opened or written."""

    code = "P400"


MOMENT_KINDS = ("no_return", "locked_in", "none", "unknown")


@dataclass(frozen=True, slots=True)
class Moment:
    """A finished play's decisive moment as recorded when it ended (the `decisive` column,
    JSON; engine.records.decisive writes it from engine.feedback.decisive):

    - ``no_return``: after the answer at `turn` no better outcome than the one reached was
      within reach any more (`within_reach`: the best one before it; `alternatives`: the
      answers there that kept it within reach, as (choice id, text));
    - ``locked_in``: a success, and after the answer at `turn` every way on led to one;
    - ``none``: no single answer decided it (no other outcome was ever within reach);
    - ``unknown``: it could not be worked out (`reason`, e.g. the scenario has more states
      than the exploration takes).
    """

    kind: str
    turn: int = 0
    node: str = ""
    choice: str = ""
    said: str = ""  # the learner's line at that turn, in the play's language
    outcome: str = ""  # the outcome reached
    within_reach: str = ""
    alternatives: tuple[tuple[str, str], ...] = ()
    reason: str = ""

    @property
    def found(self) -> bool:
        return self.kind in ("no_return", "locked_in")

    def as_dict(self) -> dict[str, Any]:
        if not self.found:
            out: dict[str, Any] = {"kind": self.kind}
            if self.reason:
                out["reason"] = self.reason
            return out
        return {
            "kind": self.kind,
            "turn": self.turn,
            "node": self.node,
            "choice": self.choice,
            "said": self.said,
            "outcome": self.outcome,
            "within_reach_before": self.within_reach,
            "alternatives": [{"choice": c, "text": t} for c, t in self.alternatives],
        }


def decode_moment(text: str | None) -> Moment | None:
    """A `decisive` column: None when it is NULL (unfinished, or recorded before decisive
    moments were stored); RecordsError when it is not what Parley writes."""
    if text is None:
        return None
    try:
        data = json.loads(text)
        kind = str(data["kind"])
        if kind not in MOMENT_KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        if kind in ("none", "unknown"):
            return Moment(kind=kind, reason=str(data.get("reason") or ""))
        return Moment(
            kind=kind,
            turn=int(data["turn"]),
            node=str(data["node"]),
            choice=str(data["choice"]),
            said=str(data.get("said") or ""),
            outcome=str(data.get("outcome") or ""),
            within_reach=str(data.get("within_reach_before") or ""),
            alternatives=tuple(
                (str(a["choice"]), str(a.get("text") or "")) for a in data.get("alternatives", ())
            ),
        )
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise RecordsError(
            f"a decisive moment in the records is damaged: {str(text)[:60]!r}",
            hint="repair or delete that row, or set its decisive column to NULL",
        ) from None


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
    # the decisive moment, recorded when the play ended (None: unfinished, or recorded
    # before decisive moments were stored)
    decisive: Moment | None = None

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
