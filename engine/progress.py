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
  report and an LMS agree);
- the *decisive moment* of a finished attempt is the one its debrief showed the learner
  (engine.feedback.decisive), recorded when it ended. For a play recorded before Parley
  stored them it is worked out again from the recorded answers, but only when the scenario
  file is the one it was played against (same content hash) and the replay ends where the
  play did; otherwise the report says that it was not stored (`decisive_from`).
Anonymous plays have no learner to follow and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.model import Scenario
from engine.records import Moment, PlayRecord

# where an attempt's decisive moment comes from (Attempt.decisive_from)
RECORDED = "recorded"  # written when the play ended
WORKED_OUT = "worked_out"  # recorded before they were stored; replayed now (file unchanged)
NOT_STORED = "not_stored"  # recorded before they were stored; the file changed or is missing
UNFINISHED = "unfinished"


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
    decisive: Moment | None = None
    decisive_from: str = UNFINISHED  # RECORDED, WORKED_OUT, NOT_STORED or UNFINISHED


@dataclass(frozen=True, slots=True)
class LearnerProgress:
    participant: str
    attempts: tuple[Attempt, ...]
    finished: tuple[Attempt, ...]  # the finished attempts, in order
    first: Attempt | None  # over finished attempts
    last: Attempt | None
    best: Attempt | None
    trend: tuple[tuple[str, tuple[int, ...]], ...]  # dimension key -> score per finished attempt
    pass_mark: float | None

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
    plays: Sequence[PlayRecord],
    sc: Scenario | None,
    keys: Sequence[str],
    choices: Mapping[int, Sequence[str]] | None = None,
) -> tuple[LearnerProgress, ...]:
    """Progress of every named learner in `plays` (one scenario, in start order), by name.
    `choices` (play id -> standing answers) lets a play recorded before decisive moments
    were stored have its moment worked out again (see the module docstring)."""
    by_learner: dict[str, list[PlayRecord]] = {}
    for p in plays:
        if p.participant:
            by_learner.setdefault(p.participant, []).append(p)
    pass_mark = sc.pass_mark if sc is not None else None
    bounds = None
    if sc is not None and pass_mark is not None:
        from engine.xapi import score_bounds

        bounds = score_bounds(sc)
    replays: dict[tuple[str, tuple[str, ...], str | None], Moment | None] = {}
    marked = pass_mark is not None and bounds is not None
    out = []
    for who in sorted(by_learner, key=str.casefold):
        attempts = []
        done = []
        for n, p in enumerate(by_learner[who], start=1):
            if p.finished_at is None:  # (positional: 10,000 attempts in a big report)
                attempts.append(
                    Attempt(n, p.started_at, False, "unfinished", p.total, p.trust, p.scores,
                            None, None, UNFINISHED)
                )  # fmt: skip
                continue
            result: bool | None = None
            if marked:
                assert bounds is not None and pass_mark is not None
                result = bounds.scaled(p.total) >= pass_mark
            moment, source = p.decisive, RECORDED
            if moment is None:
                moment = _replayed(p, sc, choices, replays)
                source = NOT_STORED if moment is None else WORKED_OUT
            a = Attempt(n, p.started_at, True, p.outcome or "unfinished", p.total, p.trust,
                        p.scores, result, moment, source)  # fmt: skip
            attempts.append(a)
            done.append(a)
        best = max(done, key=lambda a: (a.total, -a.number)) if done else None
        trend = tuple((k, tuple([a.scores.get(k, 0) for a in done])) for k in keys)
        out.append(
            LearnerProgress(
                participant=who,
                attempts=tuple(attempts),
                finished=tuple(done),
                first=done[0] if done else None,
                last=done[-1] if done else None,
                best=best,
                trend=trend,
                pass_mark=pass_mark if bounds is not None else None,
            )
        )
    return tuple(out)


def _replayed(
    play: PlayRecord,
    sc: Scenario | None,
    choices: Mapping[int, Sequence[str]] | None,
    cache: dict[tuple[str, tuple[str, ...], str | None], Moment | None],
) -> Moment | None:
    """The decisive moment of a finished play recorded before they were stored, worked out
    from its recorded answers; None unless the scenario file is unchanged since the play."""
    if sc is None or choices is None or not sc.content_hash:
        return None
    if play.scenario_hash != sc.content_hash:
        return None
    key = (play.lang, tuple(choices.get(play.id, ())), play.ending)
    if key not in cache:
        from engine.records.decisive import replay_moment

        cache[key] = replay_moment(sc, *key)
    return cache[key]
