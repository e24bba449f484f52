"""Learner progress: each named learner's attempts at a scenario, from first to last.

Definitions (also in docs/trainers.md):
- an *attempt* is one play by the learner (same participant name) of the scenario, in the
  order they started; only finished attempts have a result, and first / last / best are
  taken over those;
- *best* is the finished attempt with the highest framework total (ties: the earliest);
- the *trend* of a dimension is its score in each finished attempt, in order; *change* is
  last minus first;
- *pass / fail* is shown only where the scenario sets `pass_mark`: an attempt passes when its
  total reaches that share of the best possible total (the rule of engine.xapi.passed, so a
  report and an LMS agree).
Anonymous plays have no learner to follow and are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.model import Scenario
from engine.records import PlayRecord


@dataclass(frozen=True, slots=True)
class Attempt:
    number: int  # 1-based, among the learner's plays of this scenario
    started_at: str
    finished: bool
    outcome: str
    total: int
    trust: int
    scores: dict[str, int]
    passed: bool | None  # None: unfinished, or the scenario has no pass mark


@dataclass(frozen=True, slots=True)
class LearnerProgress:
    participant: str
    attempts: tuple[Attempt, ...]
    first: Attempt | None  # over finished attempts
    last: Attempt | None
    best: Attempt | None
    trend: tuple[tuple[str, tuple[int, ...]], ...]  # dimension key -> score per finished attempt
    pass_mark: float | None

    @property
    def finished(self) -> tuple[Attempt, ...]:
        return tuple(a for a in self.attempts if a.finished)

    @property
    def change(self) -> int | None:
        """Framework total, last finished attempt minus first (None: fewer than two)."""
        done = self.finished
        return done[-1].total - done[0].total if len(done) > 1 else None

    @property
    def passed(self) -> bool | None:
        """Whether the last finished attempt passes (None: no pass mark or nothing finished)."""
        return None if self.last is None else self.last.passed


def learner_progress(
    plays: Sequence[PlayRecord], sc: Scenario | None, keys: Sequence[str]
) -> tuple[LearnerProgress, ...]:
    """Progress of every named learner in `plays` (one scenario, in start order), by name."""
    by_learner: dict[str, list[PlayRecord]] = {}
    for p in plays:
        if p.participant:
            by_learner.setdefault(p.participant, []).append(p)
    pass_mark = sc.pass_mark if sc is not None else None
    bounds = None
    if sc is not None and pass_mark is not None:
        from engine.xapi import score_bounds

        bounds = score_bounds(sc)
    out = []
    for who in sorted(by_learner, key=str.casefold):
        attempts = []
        for n, p in enumerate(by_learner[who], start=1):
            result: bool | None = None
            if p.finished and pass_mark is not None and bounds is not None:
                result = bounds.scaled(p.total) >= pass_mark
            attempts.append(
                Attempt(
                    number=n,
                    started_at=p.started_at,
                    finished=p.finished,
                    outcome=p.outcome if p.finished and p.outcome else "unfinished",
                    total=p.total,
                    trust=p.trust,
                    scores=p.scores,
                    passed=result,
                )
            )
        done = [a for a in attempts if a.finished]
        best = max(done, key=lambda a: (a.total, -a.number)) if done else None
        trend = tuple((k, tuple(a.scores.get(k, 0) for a in done)) for k in keys)
        out.append(
            LearnerProgress(
                participant=who,
                attempts=tuple(attempts),
                first=done[0] if done else None,
                last=done[-1] if done else None,
                best=best,
                trend=trend,
                pass_mark=pass_mark if bounds is not None else None,
            )
        )
    return tuple(out)
