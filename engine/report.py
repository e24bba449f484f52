"""The cohort report: what a group's plays add up to (UI-free; engine.report_render draws it).

For each scenario the cohort played: plays and completion, outcome and ending counts,
per-dimension averages, how the cohort split at each decision (like a room's vote) and
the share that chose the best-scoring option, and the most common turning points.

Definitions (also in docs/trainers.md):
- a play is *finished* when it reached an ending; averages (dimensions, trust, total) are
  over finished plays;
- splits count every standing decision (undone answers are left out), finished or not;
- the *best-scoring* option at a node is the one with the highest framework total
  (`choice.total`) in the current scenario file (ties: all of them count as best);
- a *turning point* is an answer after which the counterpart's trust level or the
  player's rung changed; they are ranked by how many plays went through them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from engine.model import Scenario
from engine.progress import Attempt, LearnerProgress, learner_progress
from engine.records import PlayRecord, RecordStore, StepRecord, iso, utc_now
from engine.report_query import ScenarioData, report_data

OUTCOMES = ("success", "partial", "failure", "unfinished")
TOP_TURNING_POINTS = 5

ScenarioLoader = Callable[[PlayRecord], Scenario | None]


@dataclass(frozen=True, slots=True)
class OptionSplit:
    choice: str
    text: str
    count: int
    share: float  # of the decisions made at this node
    total: int | None  # the option's framework total (None: not in the scenario file)
    best: bool
    votes: int | None = None  # room mode: summed vote counts, when any were recorded


@dataclass(frozen=True, slots=True)
class NodeSplit:
    node: str
    prompt: str
    decisions: int
    options: tuple[OptionSplit, ...]
    best_share: float | None  # None when the scenario file is not available

    @property
    def majority(self) -> OptionSplit | None:
        ranked = sorted(self.options, key=lambda o: -o.count)
        return ranked[0] if ranked and ranked[0].count else None


@dataclass(frozen=True, slots=True)
class TurningPoint:
    node: str
    choice: str
    text: str
    change: str  # e.g. "trust: neutral -> open"
    plays: int
    share: float  # of all plays
    trust_delta: float  # average trust change at this answer


@dataclass(frozen=True, slots=True)
class DimensionAverage:
    key: str
    label: str
    average: float | None


@dataclass(frozen=True, slots=True)
class PlayRow:
    participant: str
    mode: str
    started_at: str
    finished: bool
    ending: str | None
    outcome: str
    trust: int
    total: int
    turns: int
    choices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScenarioReport:
    scenario_id: str
    title: str
    lang: str
    framework: str
    plays: int
    finished: int
    participants: int
    outcomes: dict[str, int]  # OUTCOMES -> count (unfinished included)
    endings: tuple[tuple[str, str, str, int], ...]  # (ending id, title, outcome, count)
    dimensions: tuple[DimensionAverage, ...]
    average_trust: float | None
    average_total: float | None
    nodes: tuple[NodeSplit, ...]
    turning_points: tuple[TurningPoint, ...]
    rows: tuple[PlayRow, ...]
    scenario_found: bool
    changed: bool  # some plays were recorded against another version of the file
    progress: tuple[LearnerProgress, ...] = ()  # each named learner's attempts (engine.progress)
    # the raw records, for exports that need them (xAPI); not part of as_dict()
    records: tuple[PlayRecord, ...] = field(default=(), repr=False)
    steps: Mapping[int, Sequence[StepRecord]] = field(default_factory=dict, repr=False)
    scenario: Scenario | None = field(default=None, repr=False)

    @property
    def completion(self) -> float:
        return self.finished / self.plays if self.plays else 0.0

    def as_dict(self, rows: bool = True) -> dict[str, Any]:
        """Plain data for JSON (`rows=False`: without the per-play rows and the progress per
        learner, which a streaming writer adds one by one; see `row_dict`, `progress_dict`)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("records", "steps", "scenario"):
                continue
            if f.name in ("rows", "progress") and not rows:
                continue
            value = getattr(self, f.name)
            if f.name == "rows":
                out["rows"] = [row_dict(r) for r in value]
            elif f.name == "endings":
                out["endings"] = [
                    {"ending": e, "title": t, "outcome": o, "count": n} for e, t, o, n in value
                ]
            elif f.name == "progress":
                out["progress"] = [progress_dict(v) for v in value]
            elif isinstance(value, tuple):
                out[f.name] = [asdict(v) for v in value]
            elif isinstance(value, dict):
                out[f.name] = dict(value)
            else:
                out[f.name] = value
        out["completion"] = round(self.completion, 4)
        return out


def progress_dict(p: LearnerProgress) -> dict[str, Any]:
    """One learner's progress as plain data (what `asdict` gives, without its deep copy).
    Each attempt has its decisive moment; first, last and best are the same attempts
    without it (it is in `attempts[number - 1]`)."""

    def attempt(a: Attempt | None, moment: bool = False) -> dict[str, Any] | None:
        if a is None:
            return None
        out = {
            "number": a.number,
            "started_at": a.started_at,
            "finished": a.finished,
            "outcome": a.outcome,
            "total": a.total,
            "trust": a.trust,
            "scores": dict(a.scores),
            "passed": a.passed,
        }
        if moment:
            out["decisive"] = None if a.decisive is None else a.decisive.as_dict()
            out["decisive_from"] = a.decisive_from
        return out

    return {
        "participant": p.participant,
        "attempts": [attempt(a, moment=True) for a in p.attempts],
        "first": attempt(p.first),
        "last": attempt(p.last),
        "best": attempt(p.best),
        "trend": [[k, list(v)] for k, v in p.trend],
        "pass_mark": p.pass_mark,
        "change": p.change,
        "passed": p.passed,
    }


def row_dict(r: PlayRow) -> dict[str, Any]:
    """One play row as plain data (what `dataclasses.asdict` gives, without its deep copy)."""
    return {
        "participant": r.participant,
        "mode": r.mode,
        "started_at": r.started_at,
        "finished": r.finished,
        "ending": r.ending,
        "outcome": r.outcome,
        "trust": r.trust,
        "total": r.total,
        "turns": r.turns,
        "choices": list(r.choices),
    }


@dataclass(frozen=True, slots=True)
class CohortReport:
    cohort: str | None
    scenario_filter: str | None
    generated_at: str
    scenarios: tuple[ScenarioReport, ...]
    participant: str | None = None  # a progress report on one learner

    @property
    def plays(self) -> int:
        return sum(s.plays for s in self.scenarios)

    def as_dict(self, scenarios: bool = True) -> dict[str, Any]:
        """Plain data for JSON (`scenarios=False`: the head only, for a streaming writer)."""
        out: dict[str, Any] = {
            "cohort": self.cohort,
            "scenario": self.scenario_filter,
            "participant": self.participant,
            "generated_at": self.generated_at,
            "plays": self.plays,
        }
        if scenarios:
            out["scenarios"] = [s.as_dict() for s in self.scenarios]
        return out


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def build_report(
    store: RecordStore,
    cohort: str | None,
    scenario: str | None = None,
    load: ScenarioLoader | None = None,
    now: datetime | None = None,
    full: bool = False,
    participant: str | None = None,
) -> CohortReport:
    """Aggregate the plays of `cohort` (None: every play) per scenario; the counting is done
    by the database (engine.report_query). `full` also loads every play's record and
    steps into `ScenarioReport.records`/`.steps`, for exports that need them (xAPI)."""
    data = report_data(store, cohort, scenario, participant)
    steps: Mapping[int, Sequence[StepRecord]] = {}
    if full:
        steps = store.steps_for(list(data.choices))
    reports = []
    for sid, group in data.scenarios.items():
        sc: Scenario | None = None
        if load is not None:
            for play in reversed(group.plays):  # the latest play's file is the likeliest match
                sc = load(play)
                if sc is not None:
                    break
        reports.append(_scenario_report(sid, group, data.choices, sc, steps if full else None))
    return CohortReport(
        cohort=cohort,
        scenario_filter=scenario,
        generated_at=iso(now or utc_now()),
        scenarios=tuple(reports),
        participant=participant,
    )


def _scenario_report(
    sid: str,
    data: ScenarioData,
    choices: Mapping[int, Sequence[str]],
    sc: Scenario | None,
    steps: Mapping[int, Sequence[StepRecord]] | None,
) -> ScenarioReport:
    plays = data.plays
    lang = sc.language if sc is not None else (plays[-1].lang if plays else "en")
    finished = [p for p in plays if p.finished_at is not None]
    outcomes = dict.fromkeys(OUTCOMES, 0)
    for p in plays:
        o = p.outcome if p.finished_at is not None else None
        outcomes[o if o in outcomes else "unfinished"] += 1

    ending_counts = Counter(p.ending for p in finished if p.ending)
    endings: list[tuple[str, str, str, int]] = []
    for ending_id, count in ending_counts.most_common():
        title, outcome = (
            ending_id,
            next((p.outcome or "" for p in finished if p.ending == ending_id), ""),
        )
        if sc is not None and ending_id in sc.nodes and sc.nodes[ending_id].ending is not None:
            end = sc.nodes[ending_id].ending
            assert end is not None
            title, outcome = end.title.get(lang), end.outcome
        endings.append((ending_id, title, outcome, count))

    # dimensions: the framework's order when known, else the order first seen
    keys: list[str] = list(sc.framework.keys) if sc is not None else []
    for p in plays:
        for k in p.scores:
            if k not in keys:
                keys.append(k)
    dimensions = tuple(
        DimensionAverage(
            key=k,
            label=sc.framework.dimension(k).label.get(lang)
            if sc is not None and k in sc.framework.keys
            else k,
            average=_mean([p.scores.get(k, 0) for p in finished]),
        )
        for k in keys
    )

    nodes = _splits(data, sc, lang)
    turning = _turning_points(data, sc, lang)
    rows = tuple(
        [
            PlayRow(
                p.participant or "anonymous",
                p.mode,
                p.started_at,
                p.finished_at is not None,
                p.ending,
                (p.outcome or "unfinished") if p.finished_at is not None else "unfinished",
                p.trust,
                p.total,
                p.turns,
                tuple(choices.get(p.id, ())),
            )
            for p in plays
        ]
    )
    title = sc.title.get(lang) if sc is not None else (plays[-1].scenario_title or sid)
    return ScenarioReport(
        scenario_id=sid,
        title=title,
        lang=lang,
        framework=sc.framework.id if sc is not None else plays[-1].framework,
        plays=len(plays),
        finished=len(finished),
        participants=len({p.participant for p in plays if p.participant})
        + sum(1 for p in plays if not p.participant),
        outcomes=outcomes,
        endings=tuple(endings),
        dimensions=dimensions,
        average_trust=_mean([p.trust for p in finished]),
        average_total=_mean([p.total for p in finished]),
        nodes=nodes,
        turning_points=turning,
        rows=rows,
        scenario_found=sc is not None,
        changed=sc is not None and any(p.scenario_hash != sc.content_hash for p in plays),
        progress=learner_progress(plays, sc, keys, choices),
        records=tuple(plays) if steps is not None else (),
        steps={p.id: tuple(steps.get(p.id, ())) for p in plays} if steps is not None else {},
        scenario=sc,
    )


def best_choices(sc: Scenario, node_id: str) -> frozenset[str]:
    """Ids of the best-scoring options at a node (highest framework total; ties all count),
    or the node's `model:` answer when the author names one (docs/scoring.md)."""
    node = sc.nodes.get(node_id)
    if node is None or not node.choices:
        return frozenset()
    if node.model is not None:
        return frozenset({node.model})
    top = max(c.total for c in node.choices)
    return frozenset(c.id for c in node.choices if c.total == top)


def _splits(data: ScenarioData, sc: Scenario | None, lang: str) -> tuple[NodeSplit, ...]:
    counts = data.splits
    votes = {node: v for node, v in data.votes.items() if v}
    has_votes = set(votes)
    order = [n for n in sc.nodes if n in counts] if sc is not None else []
    order += [n for n in counts if n not in order]
    out = []
    for node_id in order:
        made = counts[node_id]
        decisions = sum(made.values())
        node = sc.nodes.get(node_id) if sc is not None else None
        best = best_choices(sc, node_id) if sc is not None else frozenset()
        options: list[OptionSplit] = []
        known = [c.id for c in node.choices] if node is not None else []
        for cid in known + [c for c in made if c not in known]:
            choice = sc.choices.get(cid) if sc is not None else None
            options.append(
                OptionSplit(
                    choice=cid,
                    text=_short(choice.text.get(lang)) if choice is not None else cid,
                    count=made.get(cid, 0),
                    share=made.get(cid, 0) / decisions if decisions else 0.0,
                    total=choice.total if choice is not None else None,
                    best=cid in best,
                    votes=votes[node_id].get(cid, 0) if node_id in has_votes else None,
                )
            )
        best_share = (
            sum(made.get(c, 0) for c in best) / decisions
            if node is not None and decisions
            else None
        )
        out.append(
            NodeSplit(
                node=node_id,
                prompt=_short(node.text.get(lang)) if node is not None else node_id,
                decisions=decisions,
                options=tuple(options),
                best_share=best_share,
            )
        )
    return tuple(out)


def _turning_points(data: ScenarioData, sc: Scenario | None, lang: str) -> tuple[TurningPoint, ...]:
    who = sc.speaker_name(sc.counterpart, lang) if sc is not None else "trust"
    plays = data.plays
    seen: dict[tuple[str, str, str], int] = {}
    deltas: dict[tuple[str, str, str], tuple[int, int]] = {}
    for t in data.turning:
        changes = []
        if t.level_before != t.level_after:
            changes.append(f"{who}: {t.level_before} -> {t.level_after}")
        if t.rung_before != t.rung_after:
            changes.append(f"you: {t.rung_before} -> {t.rung_after}")
        key = (t.node, t.choice, "; ".join(changes))
        seen[key] = seen.get(key, 0) + t.plays
        total, n = deltas.get(key, (0, 0))
        deltas[key] = (total + t.trust_delta_sum, n + t.answers)
    # most plays first; ties in the order the decisions were first met, then by text
    node_order = {n: i for i, n in enumerate(data.splits)}
    ranked = sorted(seen, key=lambda k: (-seen[k], node_order.get(k[0], 1 << 30), k))[
        :TOP_TURNING_POINTS
    ]
    out = []
    for key in ranked:
        node_id, cid, change = key
        choice = sc.choices.get(cid) if sc is not None else None
        out.append(
            TurningPoint(
                node=node_id,
                choice=cid,
                text=_short(choice.text.get(lang)) if choice is not None else cid,
                change=change,
                plays=seen[key],
                share=seen[key] / len(plays) if plays else 0.0,
                trust_delta=deltas[key][0] / deltas[key][1],
            )
        )
    return tuple(out)
