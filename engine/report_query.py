"""What the cohort report reads from a records store, aggregated in SQL where it can be.

`report_data` runs four queries on any store (the portable SQL of engine.records.store):

- the plays of the filter, in start order (each distinct scores text and decisive moment
  is decoded once, however many plays share it);
- every standing answer as (play, node, choice), in play order: the answers column of
  the play rows, and the split at each decision (options in the order first met);
- the turning points (answers that changed the trust level or the rung), in one GROUP BY
  over those answers only: counts, plays and summed trust change;
- room votes: only the answers that carry them.

Per-step scores are never read: the report does not show them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from engine.records import PlayRecord, RecordsError, RecordStore, decode_scores
from engine.records.model import Moment, decode_moment
from engine.records.store import PLAY_COLUMNS, play_from_tuple

SCORES = PLAY_COLUMNS.index("scores")
DECISIVE = PLAY_COLUMNS.index("decisive")


@dataclass(frozen=True, slots=True)
class TurningRow:
    node: str
    choice: str
    level_before: str
    level_after: str
    rung_before: str
    rung_after: str
    plays: int
    trust_delta_sum: int
    answers: int


@dataclass(slots=True)
class ScenarioData:
    plays: list[PlayRecord] = field(default_factory=list)
    # node -> choice -> count, both in the order first met (play order, then turn)
    splits: dict[str, Counter[str]] = field(default_factory=dict)
    votes: dict[str, Counter[str]] = field(default_factory=dict)  # room mode only
    turning: list[TurningRow] = field(default_factory=list)


@dataclass(slots=True)
class ReportData:
    scenarios: dict[str, ScenarioData]  # scenario id -> data, in order of first play
    choices: dict[int, list[str]]  # play id -> standing answers in order


def report_data(
    store: RecordStore,
    cohort: str | None = None,
    scenario: str | None = None,
    participant: str | None = None,
) -> ReportData:
    """The report's data from the store (RecordsError when a row was damaged by hand)."""
    try:
        return _report_data(store, cohort, scenario, participant)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise RecordsError(
            f"the records hold a damaged value ({type(exc).__name__}: {str(exc)[:120]}); a "
            "row was probably edited by hand",
            hint="repair or delete that row (parley report reads every play of the cohort)",
        ) from None


def _report_data(
    store: RecordStore,
    cohort: str | None = None,
    scenario: str | None = None,
    participant: str | None = None,
) -> ReportData:
    where, args = store.play_filter(cohort, scenario, participant, alias="p.")
    scores_cache: dict[str, dict[str, int]] = {}
    moments: dict[str, Moment | None] = {}
    scenarios: dict[str, ScenarioData] = {}
    play_scenario: dict[int, ScenarioData] = {}
    cols = ", ".join(f"p.{c}" for c in PLAY_COLUMNS)
    for row in store.query(f"SELECT {cols} FROM plays p{where} ORDER BY p.started_at, p.id", args):
        play = _play(row, scores_cache, moments)
        data = scenarios.get(play.scenario_id)
        if data is None:
            data = scenarios[play.scenario_id] = ScenarioData()
        data.plays.append(play)
        play_scenario[play.id] = data

    steps_where = " WHERE s.undone_at IS NULL" + (" AND " + where[7:] if where else "")
    joined = f"FROM steps s JOIN plays p ON p.id = s.play_id{steps_where}"

    # every standing answer in play order: the answers of each play, and the split at each
    # decision (options counted in the order first met)
    choices: dict[int, list[str]] = {pid: [] for pid in play_scenario}
    current = None
    mine: list[str] = []
    splits: dict[str, Counter[str]] = {}
    for pid, node, choice in store.query(
        f"SELECT s.play_id, s.node, s.choice {joined} ORDER BY p.started_at, p.id, s.turn, s.id",
        args,
    ):
        if pid != current:
            current, mine, splits = pid, choices[pid], play_scenario[pid].splits
        mine.append(choice)
        made = splits.get(node)
        if made is None:
            made = splits[node] = Counter()
        made[choice] += 1

    # the turning points: answers after which the trust level or the rung changed, grouped
    for sid, *rest in store.query(
        "SELECT p.scenario_id, s.node, s.choice, s.level_before, s.level_after, "
        "s.rung_before, s.rung_after, COUNT(*), COUNT(DISTINCT s.play_id), "
        f"SUM(s.trust_after - s.trust_before) {joined} "
        "AND (s.level_before <> s.level_after OR s.rung_before <> s.rung_after) "
        "GROUP BY p.scenario_id, s.node, s.choice, s.level_before, s.level_after, "
        "s.rung_before, s.rung_after",
        args,
    ):
        node, choice, lb, la, rb, ra, n, n_plays, delta = rest
        scenarios[sid].turning.append(
            TurningRow(node, choice, lb, la, rb, ra, int(n_plays), int(delta), int(n))
        )

    for sid, node, votes in store.query(
        f"SELECT p.scenario_id, s.node, s.votes {joined} AND s.votes IS NOT NULL", args
    ):
        scenarios[sid].votes.setdefault(node, Counter()).update(decode_scores(votes))
    return ReportData(scenarios=scenarios, choices=choices)


def _play(
    row: tuple[Any, ...],
    scores: dict[str, dict[str, int]],
    moments: dict[str, Moment | None],
) -> PlayRecord:
    """A play row (PLAY_COLUMNS) as a PlayRecord; each distinct scores text and decisive
    moment is decoded once, however many plays share it."""
    text = row[SCORES] or ""
    found = scores.get(text)
    if found is None:
        found = scores[text] = decode_scores(text)
    decisive = row[DECISIVE]
    moment = None
    if decisive is not None:
        if decisive in moments:
            moment = moments[decisive]
        else:
            moment = moments[decisive] = decode_moment(decisive)
    return play_from_tuple(row, found, moment)
