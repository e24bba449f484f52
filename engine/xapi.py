"""xAPI statements for Parley plays: the profile in docs/xapi.md, as data.

One play is one `registration` (the play's UUID). Its statements, in order:

- ``initialized``: the play began; object the scenario (a `simulation` activity);
- ``answered``: one per decision; object the decision node as a `cmi.interaction` activity
  of interactionType `choice`, every option of the node in `choices`, the chosen option's id
  as `result.response`, the framework scores it earned in `result.extensions`;
- ``completed`` and then ``passed`` or ``failed``: the play reached an ending; `result.score`
  has `raw` (the framework total), `min`/`max` (the scenario's worst and best possible totals,
  from engine.explore) and `scaled`;
- ``terminated``: the play is over.

Statement ids are UUID v5 of the scenario's activity id, the registration and the
statement's place in the play, so sending or exporting twice never duplicates a statement in
a Learning Record Store. Every statement names the scenario (`contextActivities.parent`), the
cohort when there is one (`grouping`) and the profile (`category`).

Nothing here sends anything (engine.outbox does) or prints.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.model import Scenario

DEFAULT_BASE = "https://parley.example"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS: dict[str, str] = {
    name: ADL + name
    for name in ("initialized", "answered", "completed", "passed", "failed", "terminated")
}
ACTIVITY_SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
ACTIVITY_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
ACTIVITY_GROUP = "http://activitystrea.ms/schema/1.0/group"
ACTIVITY_PROFILE = "http://adlnet.gov/expapi/activities/profile"
VERSION = "1.0.3"

Statement = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ScoreBounds:
    """The worst and best framework totals any play of a scenario can reach."""

    worst: int
    best: int

    def scaled(self, raw: int) -> float:
        """`raw` as -1..1: a share of the best total when >= 0, of the worst when below."""
        if raw >= 0:
            return 1.0 if self.best <= 0 else round(min(raw, self.best) / self.best, 4)
        return -1.0 if self.worst >= 0 else round(max(raw, self.worst) / -self.worst, 4)

    def score(self, raw: int) -> dict[str, Any]:
        """An xAPI `result.score` object (min <= raw <= max always holds)."""
        lo, hi = min(self.worst, raw), max(self.best, raw)
        return {"raw": raw, "min": lo, "max": hi, "scaled": self.scaled(raw)}


_BOUNDS: dict[tuple[str, str], ScoreBounds | None] = {}


def score_bounds(scenario: Scenario) -> ScoreBounds | None:
    """The scenario's worst and best possible totals (None when they are not finite or the
    exploration stopped at its state limit). Cached by content hash."""
    key = (scenario.id, scenario.content_hash)
    if scenario.content_hash and key in _BOUNDS:
        return _BOUNDS[key]
    from engine.explore import explore

    ex = explore(scenario)
    found = None
    if ex.complete and ex.best_total is not None and ex.worst_total is not None:
        found = ScoreBounds(worst=ex.worst_total, best=ex.best_total)
    if scenario.content_hash:
        if len(_BOUNDS) > 64:
            _BOUNDS.clear()
        _BOUNDS[key] = found
    return found


def passed(
    scenario: Scenario | None, raw: int, outcome: str | None, bounds: ScoreBounds | None
) -> bool:
    """Whether a finished play passes: with `pass_mark`, its scaled score reaches the mark
    (a total of at least pass_mark x best); without one, its ending's outcome is success."""
    if scenario is None or scenario.pass_mark is None or bounds is None:
        return outcome == "success"
    return bounds.scaled(raw) >= scenario.pass_mark


def statement_id(scenario_iri: str, registration: str, place: str) -> str:
    """A stable statement id: the same play and place always give the same id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{scenario_iri}/{registration}/{place}"))


def duration(start: str, end: str) -> str | None:
    """ISO 8601 duration between two ISO timestamps, e.g. PT1M2.5S (None if unreadable)."""
    try:
        a = datetime.fromisoformat(start.replace("Z", "+00:00"))
        b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    except ValueError:
        return None
    seconds = max(0.0, (b - a).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{int(hours)}H"
    if minutes:
        out += f"{int(minutes)}M"
    return out + f"{secs:.2f}".rstrip("0").rstrip(".") + "S"


class PlayStatements:
    """Makes the statements of one play (one registration).

    `scenario` may be None for a recorded play whose file is gone: then `scenario_id` and
    `title` name it and the interactions carry no options."""

    def __init__(
        self,
        scenario: Scenario | None,
        registration: str,
        *,
        scenario_id: str = "",
        title: str = "",
        participant: str | None = None,
        cohort: str | None = None,
        lang: str | None = None,
        mode: str | None = None,
        base: str = DEFAULT_BASE,
        bounds: ScoreBounds | None = None,
    ) -> None:
        self.scenario = scenario
        self.registration = registration
        self.lang = lang or (scenario.language if scenario else "en")
        self.base = base.rstrip("/")
        if bounds is None and scenario is not None:
            bounds = score_bounds(scenario)
        self.bounds = bounds
        self.scenario_id = scenario.id if scenario else scenario_id
        self.title = " ".join(scenario.title.get(self.lang).split()) if scenario else title
        self.scenario_iri = f"{self.base}/scenarios/{self.scenario_id}"
        self.ext = f"{self.base}/xapi/extensions"
        name = participant or f"anonymous-{registration[:8]}"
        self.actor: Statement = {
            "objectType": "Agent",
            "name": participant or "anonymous",
            "account": {"homePage": self.base, "name": name},
        }
        self.cohort = cohort
        self.mode = mode

    # ------------------------------------------------------------------ parts
    def scenario_activity(self) -> Statement:
        definition: Statement = {"type": ACTIVITY_SIMULATION, "name": {self.lang: self.title}}
        if self.scenario is not None:
            summary = " ".join(self.scenario.summary.get(self.lang).split())
            definition["description"] = {self.lang: summary}
        return {"objectType": "Activity", "id": self.scenario_iri, "definition": definition}

    def _context(self, parent: bool, **extra: Any) -> Statement:
        activities: dict[str, Any] = {
            "category": [
                {
                    "objectType": "Activity",
                    "id": f"{self.base}/xapi/profile",
                    "definition": {"type": ACTIVITY_PROFILE},
                }
            ]
        }
        if parent:
            activities["parent"] = [{"objectType": "Activity", "id": self.scenario_iri}]
        if self.cohort:
            activities["grouping"] = [
                {
                    "objectType": "Activity",
                    "id": f"{self.base}/cohorts/{self.cohort}",
                    "definition": {"type": ACTIVITY_GROUP, "name": {"en": self.cohort}},
                }
            ]
        extensions: dict[str, Any] = {}
        if self.scenario is not None:
            extensions[f"{self.ext}/scenario-hash"] = self.scenario.content_hash
        if self.mode:
            extensions[f"{self.ext}/mode"] = self.mode
        extensions.update({f"{self.ext}/{k}": v for k, v in extra.items()})
        return {
            "registration": self.registration,
            "platform": "Parley",
            "language": self.lang,
            "contextActivities": activities,
            "extensions": extensions,
        }

    def _statement(
        self,
        place: str,
        verb: str,
        obj: Statement,
        at: str,
        context: Statement,
        result: Statement | None = None,
    ) -> Statement:
        out: Statement = {
            "id": statement_id(self.scenario_iri, self.registration, place),
            "actor": self.actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": obj,
            "context": context,
            "timestamp": at,
        }
        if result is not None:
            out["result"] = result
        return out

    # ------------------------------------------------------------------ statements
    def initialized(self, at: str) -> Statement:
        """The play began."""
        return self._statement(
            "initialized", "initialized", self.scenario_activity(), at, self._context(False)
        )

    def answered(
        self,
        place: str,
        *,
        turn: int,
        node: str,
        choice: str,
        scores: Mapping[str, int],
        trust_before: int,
        trust_after: int,
        level: str,
        rung: str,
        at: str,
        votes: Mapping[str, int] | None = None,
    ) -> Statement:
        """One decision: `place` names it within the play ("<turn>/<choice id>")."""
        lang = self.lang
        definition: dict[str, Any] = {
            "type": ACTIVITY_INTERACTION,
            "name": {lang: node},
            "interactionType": "choice",
        }
        n = self.scenario.nodes.get(node) if self.scenario is not None else None
        best: frozenset[str] = frozenset()
        if n is not None and n.choices:
            definition["description"] = {lang: " ".join(n.text.get(lang).split())}
            definition["choices"] = [
                {"id": c.id, "description": {lang: " ".join(c.text.get(lang).split())}}
                for c in n.choices
            ]
            top = max(c.total for c in n.choices)
            best = frozenset(c.id for c in n.choices if c.total == top)
            definition["correctResponsesPattern"] = sorted(best)
        ext = self.ext
        result: Statement = {
            "response": choice,
            "score": {"raw": sum(scores.values())},
            "extensions": {
                f"{ext}/scores": dict(scores),
                f"{ext}/trust-before": trust_before,
                f"{ext}/trust-after": trust_after,
                f"{ext}/level": level,
                f"{ext}/rung": rung,
            },
        }
        if best:
            result["success"] = choice in best
        if votes is not None:
            result["extensions"][f"{ext}/room-votes"] = dict(votes)
        obj = {
            "objectType": "Activity",
            "id": f"{self.scenario_iri}/nodes/{node}",
            "definition": definition,
        }
        return self._statement(
            f"answered/{place}", "answered", obj, at, self._context(True, turn=turn), result
        )

    def finished(
        self,
        *,
        total: int,
        scores: Mapping[str, int],
        outcome: str | None,
        ending: str | None,
        trust: int,
        level: str,
        rung: str,
        at: str,
        started_at: str | None = None,
    ) -> list[Statement]:
        """`completed`, then `passed` or `failed`, for a play that reached an ending."""
        ext = self.ext
        ok = passed(self.scenario, total, outcome, self.bounds)
        result: Statement = {
            "completion": True,
            "success": ok,
            "extensions": {
                f"{ext}/outcome": outcome,
                f"{ext}/ending": ending,
                f"{ext}/trust": trust,
                f"{ext}/level": level,
                f"{ext}/rung": rung,
                f"{ext}/scores": dict(scores),
            },
        }
        if self.scenario is not None and self.scenario.pass_mark is not None:
            result["extensions"][f"{ext}/pass-mark"] = self.scenario.pass_mark
        result["score"] = self.bounds.score(total) if self.bounds else {"raw": total}
        if started_at is not None:
            took = duration(started_at, at)
            if took:
                result["duration"] = took
        obj = self.scenario_activity()
        done = self._statement("completed", "completed", obj, at, self._context(False), result)
        verdict = "passed" if ok else "failed"
        judged = self._statement(verdict, verdict, obj, at, self._context(False), dict(result))
        return [done, judged]

    def terminated(self, at: str, started_at: str | None = None) -> Statement:
        """The play is over (after the verdict)."""
        result: Statement | None = None
        if started_at is not None:
            took = duration(started_at, at)
            if took:
                result = {"duration": took}
        return self._statement(
            "terminated", "terminated", self.scenario_activity(), at, self._context(False), result
        )


def statements_for_record(
    scenario: Scenario | None,
    play: Any,
    steps: Sequence[Any],
    base: str = DEFAULT_BASE,
    bounds: ScoreBounds | None = None,
) -> list[Statement]:
    """Every statement of one recorded play (engine.records PlayRecord and its StepRecords)."""
    maker = PlayStatements(
        scenario,
        play.uuid,
        scenario_id=play.scenario_id,
        title=play.scenario_title,
        participant=play.participant,
        cohort=play.cohort,
        lang=play.lang,
        mode=play.mode,
        base=base,
        bounds=bounds,
    )
    out = [maker.initialized(play.started_at)]
    for step in steps:
        out.append(
            maker.answered(
                f"{step.turn}/{step.choice}",
                turn=step.turn,
                node=step.node,
                choice=step.choice,
                scores=step.scores,
                trust_before=step.trust_before,
                trust_after=step.trust_after,
                level=step.level_after,
                rung=step.rung_after,
                at=step.at,
                votes=step.votes,
            )
        )
    if play.finished_at is not None:
        out += maker.finished(
            total=play.total,
            scores=play.scores,
            outcome=play.outcome,
            ending=play.ending,
            trust=play.trust,
            level=play.level,
            rung=play.rung,
            at=play.finished_at,
            started_at=play.started_at,
        )
        out.append(maker.terminated(play.finished_at, play.started_at))
    return out
