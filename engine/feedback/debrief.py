"""The end-of-play debrief as data: what happened, and what it teaches (no UI here).

It leads with the decisive moment (engine.feedback.decisive), scores the play under the
one scoring rule (engine.feedback.scoring, docs/scoring.md), shows the trust journey with
the swings that teach (turns where the trust level or the rung changed, or where the
outcomes within reach changed; a steady play is called steady), the rung path, the road not
taken (each decision where the model answer earned more than the answer given), the model
conversation (engine.feedback.model_answer), the endings not reached, and the reflection
prompts of the ending and the scenario. When the scenario declares several success endings
equally defensible (`trade_off:`), it names each with what it gives up, and a player who
reached one of them is shown the model conversation toward that one.

The caller passes in the exploration of the scenario (engine.explore): the decisive moment,
the outcome changes among the swings and the endings still reachable come from its state
graph; without it those parts are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.conversation import Conversation
from engine.events import BlockedMove, LevelChanged, RungChanged, Step
from engine.explore import Exploration
from engine.feedback.coaching import RungNote, ScoreEarned, rung_notes
from engine.feedback.decisive import Decisive, OutcomeReach, decisive_moment, play_states
from engine.feedback.layout import flat
from engine.feedback.model_answer import ModelConversation, model_choice, model_conversation
from engine.feedback.scoring import DimensionResult, percent_of, ranked
from engine.model import Choice

SWING_COUNT = 3
BIG_SWING = 10  # a trust change this large teaches even without a level change


@dataclass(frozen=True, slots=True)
class Swing:
    """A turn that changed where the conversation stood (see the module docstring)."""

    turn: int
    choice: str
    said: str  # the player's line
    delta: int
    trust_before: int
    trust_after: int
    reaction_node: str | None
    reaction_speaker: str | None  # name
    reaction: str | None  # what the counterpart said next
    level: str | None = None  # the new trust level's name, when it changed
    rung: str | None = None  # the new rung's name, when it changed
    blocked: str | None = None  # the rung a climb to was blocked, by name
    reach: str | None = None  # "lost:<outcome>" / "opened:<outcome>" when the reach changed

    def as_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "choice": self.choice,
            "said": self.said,
            "delta": self.delta,
            "trust_before": self.trust_before,
            "trust_after": self.trust_after,
            "level": self.level,
            "rung": self.rung,
            "blocked": self.blocked,
            "reach": self.reach,
            "reaction": None
            if self.reaction is None
            else {
                "node": self.reaction_node,
                "speaker": self.reaction_speaker,
                "text": self.reaction,
            },
        }


@dataclass(frozen=True, slots=True)
class RoadNotTaken:
    """A decision where the model answer earned more than the answer given."""

    turn: int
    node: str
    chosen: str
    chosen_text: str
    chosen_total: int
    chosen_trust: int  # the choice's own trust effect
    better: str  # the model answer there
    better_text: str
    better_total: int
    better_trust: int
    better_scores: tuple[ScoreEarned, ...]
    feedback: str | None  # the model answer's feedback

    def as_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "node": self.node,
            "chosen": {
                "choice": self.chosen,
                "text": self.chosen_text,
                "total": self.chosen_total,
                "trust": self.chosen_trust,
            },
            "better": {
                "choice": self.better,
                "text": self.better_text,
                "total": self.better_total,
                "trust": self.better_trust,
                "scores": {s.key: s.value for s in self.better_scores},
                "feedback": self.feedback,
            },
        }


@dataclass(frozen=True, slots=True)
class Defensible:
    """One of several success endings the scenario declares equally defensible."""

    ending: str  # node id
    title: str
    trade_off: str  # what it gives up
    reached: bool  # the play ended here
    model_choices: tuple[str, ...]  # the model answers that lead there (empty: not known)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.ending,
            "title": self.title,
            "trade_off": self.trade_off,
            "reached": self.reached,
            "model_choices": list(self.model_choices),
        }


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the end-of-play debrief shows, as data (texts in `lang`)."""

    scenario: str
    title: str
    lang: str
    framework: str  # framework id
    framework_name: str
    ended: bool
    ending: str | None  # ending node id
    ending_title: str | None
    outcome: str | None
    ending_debrief: str | None
    turns: int
    choices: tuple[str, ...]  # the choice ids the player made
    decisive: Decisive | None
    dimensions: tuple[DimensionResult, ...]
    total: DimensionResult  # the framework total under the same rule
    strongest: DimensionResult | None
    weakest: DimensionResult | None
    counterpart: str  # name
    trust_start: int  # trust when the first answer was given
    trust_trajectory: tuple[int, ...]  # trust after each turn
    trust_final: int
    trust_level: str  # the level's id (JSON)
    trust_level_name: str  # the name a player reads, in `lang`
    swings: tuple[Swing, ...]  # in play order; empty on a steady play
    rung_start: str  # ids (JSON); the names a player reads are in rung_names
    rung_final: str
    rung_path: tuple[RungNote, ...]  # moves made and blocked, in order
    road_not_taken: tuple[RoadNotTaken, ...]
    model_play: ModelConversation
    endings_not_reached: tuple[str, ...]  # titles
    objectives: tuple[str, ...] = ()
    reflection: tuple[str, ...] = ()  # the ending's prompts, then the scenario's
    rung_names: Mapping[str, str] = field(default_factory=dict)  # rung id -> name, in `lang`
    defensible: tuple[Defensible, ...] = ()  # equally defensible success endings, if declared

    @property
    def steady(self) -> bool:
        """No turn changed the trust level, the rung or the outcomes within reach."""
        return self.turns > 0 and not self.swings

    @property
    def need(self) -> DimensionResult | None:
        """The dimension the player most needs (the weakest), shown with its `why`."""
        return self.weakest

    def rung_name(self, rung: str) -> str:
        """The name a player reads for `rung`, in `lang`."""
        return self.rung_names.get(rung, rung)

    def as_dict(self) -> dict[str, Any]:
        """The `debrief` object of `parley play --json`."""

        def dim(d: DimensionResult | None) -> dict[str, Any] | None:
            return None if d is None else d.as_dict()

        out: dict[str, Any] = {
            "ended": self.ended,
            "ending": None
            if self.ending is None
            else {
                "id": self.ending,
                "title": self.ending_title,
                "outcome": self.outcome,
                "debrief": self.ending_debrief,
            },
            "decisive": None if self.decisive is None else self.decisive.as_dict(),
            "framework": {"id": self.framework, "name": self.framework_name},
            "turns": self.turns,
            "dimensions": [d.as_dict() for d in self.dimensions],
            "total": {
                "total": self.total.total,
                "model": self.total.model,
                "worst": self.total.worst,
                "percent": self.total.percent,
            },
            "strongest": dim(self.strongest),
            "weakest": dim(self.weakest),
            "trust": {
                "start": self.trust_start,
                "trajectory": list(self.trust_trajectory),
                "final": self.trust_final,
                "level": self.trust_level,
                "steady": self.steady,
                "swings": [s.as_dict() for s in self.swings],
            },
            "hierarchy": {
                "start": self.rung_start,
                "final": self.rung_final,
                "path": [m.as_dict() for m in self.rung_path],
            },
            "road_not_taken": [r.as_dict() for r in self.road_not_taken],
            "model_conversation": self.model_play.as_dict(),
            "endings_not_reached": list(self.endings_not_reached),
            "objectives": list(self.objectives),
            "reflection": list(self.reflection),
        }
        if self.defensible:  # only scenarios that declare them (other outputs stay as they were)
            out["defensible"] = [x.as_dict() for x in self.defensible]
        return out


# ---------------------------------------------------------------- building the debrief


def offered_at_each_turn(conv: Conversation) -> list[list[Choice]]:
    """The choices offered at each decision of `conv` (each Step records them)."""
    choices = conv.scenario.choices
    return [[choices[cid] for cid in step.offered] for step in conv.history]


def _reaction(conv: Conversation, step: Step) -> tuple[str | None, str | None, str | None]:
    """The first line the counterpart says after this answer: node id, speaker, text."""
    sc = conv.scenario
    nodes = [sc.nodes[n] for n in step.entered]
    pick = next((n for n in nodes if n.speaker == sc.counterpart), None)
    if pick is None:
        pick = next((n for n in nodes if n.speaker != "you"), None)
    if pick is None:
        return None, None, None
    return pick.id, sc.speaker_name(pick.speaker, conv.lang), flat(pick.text.get(conv.lang))


def score_play(conv: Conversation) -> tuple[tuple[DimensionResult, ...], DimensionResult]:
    """Every dimension and the total under the scoring rule (engine.feedback.scoring)."""
    sc = conv.scenario
    lang = conv.lang
    fw = sc.framework
    earned = dict.fromkeys(fw.keys, 0)
    model = dict.fromkeys(fw.keys, 0)
    worst = dict.fromkeys(fw.keys, 0)
    total = model_total = worst_total = 0
    for step, offered in zip(conv.history, offered_at_each_turn(conv), strict=True):
        made = sc.choices[step.choice]
        best = model_choice(sc.nodes[step.node], offered) or made
        for key in fw.keys:
            earned[key] += made.scores.get(key, 0)
            model[key] += best.scores.get(key, 0)
            worst[key] += min(c.scores.get(key, 0) for c in offered)
        total += made.total
        model_total += best.total
        worst_total += min(c.total for c in offered)
    dims = tuple(
        DimensionResult(
            key=d.key,
            label=d.label.get(lang),
            question=d.question.get(lang),
            total=earned[d.key],
            model=model[d.key],
            worst=worst[d.key],
            percent=percent_of(earned[d.key], model[d.key], worst[d.key]),
            why=None if d.why is None else flat(d.why.get(lang)),
        )
        for d in fw.dimensions
    )
    whole = DimensionResult(
        key="total",
        label="total",
        question="",
        total=total,
        model=model_total,
        worst=worst_total,
        percent=percent_of(total, model_total, worst_total),
    )
    return dims, whole


def _swings(conv: Conversation, ex: Exploration | None) -> list[Swing]:
    sc = conv.scenario
    lang = conv.lang
    reach: list[str | None] = [None] * len(conv.history)
    graph = ex.graph if ex is not None else None
    if graph is not None and graph.complete:
        states = play_states(graph, conv.choices_made)
        if states is not None:
            ranks = OutcomeReach(graph)
            names = ("failure", "partial", "success")
            for i in range(1, len(states)):
                b0, b1 = ranks.best(states[i - 1]), ranks.best(states[i])
                if b0 is not None and b1 is not None and b1 < b0:
                    reach[i - 1] = f"lost:{names[b0]}"
    found: list[tuple[int, Swing]] = []
    for i, step in enumerate(conv.history):
        level = rung = blocked = None
        for ev in step.events:
            if isinstance(ev, LevelChanged):
                level = sc.level_label(ev.after, lang)
            elif isinstance(ev, RungChanged):
                rung = sc.rung_label(ev.after, lang)
            elif isinstance(ev, BlockedMove):
                blocked = sc.rung_label(ev.to_rung, lang)
        big = abs(step.trust_delta) >= BIG_SWING
        weight = 3 * (reach[i] is not None) + 2 * (level is not None) + 2 * (rung is not None)
        weight += (blocked is not None) + big
        if weight == 0:
            continue
        choice = sc.choices.get(step.choice)
        node_id, speaker, text = _reaction(conv, step)
        swing = Swing(
            turn=step.turn,
            choice=step.choice,
            said=flat(choice.text.get(lang)) if choice is not None else step.choice,
            delta=step.trust_delta,
            trust_before=step.trust_before,
            trust_after=step.trust_after,
            reaction_node=node_id,
            reaction_speaker=speaker,
            reaction=text,
            level=level,
            rung=rung,
            blocked=blocked,
            reach=reach[i],
        )
        found.append((weight * 1000 + abs(step.trust_delta), swing))
    top = sorted(found, key=lambda x: (-x[0], x[1].turn))[:SWING_COUNT]
    return sorted((s for _, s in top), key=lambda s: s.turn)


def build_debrief(conv: Conversation, exploration: Exploration | None = None) -> Debrief:
    """The debrief of `conv` (normally an ended play; works on any play, `ended` says which).

    `exploration` is `engine.explore.explore(conv.scenario)` (the caller runs it, and may
    keep it for the next play); without it the debrief has no decisive moment, no outcome
    changes among the swings, and lists every ending not reached.
    """
    sc = conv.scenario
    lang = conv.lang
    fw = sc.framework
    offered = offered_at_each_turn(conv)
    dims, whole = score_play(conv)
    strongest, weakest = ranked(dims)
    history = conv.history

    # hierarchy
    rung_path = rung_notes(sc, 0, conv.opening)
    for step in history:
        rung_path += rung_notes(sc, step.turn, step.events, step.choice)

    # the road not taken: where the model answer earned more than the answer given
    roads: list[RoadNotTaken] = []
    for step, choices in zip(history, offered, strict=True):
        made = sc.choices[step.choice]
        alt = model_choice(sc.nodes[step.node], choices)
        if alt is None or alt.id == made.id:
            continue
        authored = sc.nodes[step.node].model == alt.id
        if not authored and (alt.total, alt.effects.trust) <= (made.total, made.effects.trust):
            continue
        roads.append(
            RoadNotTaken(
                turn=step.turn,
                node=step.node,
                chosen=made.id,
                chosen_text=flat(made.text.get(lang)),
                chosen_total=made.total,
                chosen_trust=made.effects.trust,
                better=alt.id,
                better_text=flat(alt.text.get(lang)),
                better_total=alt.total,
                better_trust=alt.effects.trust,
                better_scores=tuple(
                    ScoreEarned(d.key, d.label.get(lang), alt.scores.get(d.key, 0))
                    for d in fw.dimensions
                ),
                feedback=flat(alt.feedback.get(lang)) if alt.feedback is not None else None,
            )
        )

    # endings not reached (those some play can reach, when the exploration knows)
    ex = exploration
    reachable: frozenset[str] | None = None
    if ex is not None and ex.complete:
        reachable = ex.endings_reachable
    reached = conv.node.id if conv.ended else None
    titles: list[str] = []
    for node in sc.endings:
        if node.id == reached or node.ending is None:
            continue
        if reachable is not None and node.id not in reachable:
            continue
        title = flat(node.ending.title.get(lang))
        if title not in titles:
            titles.append(title)

    # several equally defensible success endings: each with its trade-off and model route
    graph = ex.graph if ex is not None else None
    model_play = model_conversation(sc, lang)
    defensible: list[Defensible] = []
    for node in sc.defensible:
        assert node.ending is not None and node.ending.trade_off is not None
        route = model_conversation(sc, lang, toward=node.id, graph=graph)
        steered = route.ending == node.id
        if node.id == reached and steered:
            model_play = route
        defensible.append(
            Defensible(
                ending=node.id,
                title=flat(node.ending.title.get(lang)),
                trade_off=flat(node.ending.trade_off.get(lang)),
                reached=node.id == reached,
                model_choices=route.choices if steered else (),
            )
        )

    ending = conv.ending
    reflection = tuple(flat(x.get(lang)) for x in (ending.reflection if ending else ()))
    reflection += tuple(flat(x.get(lang)) for x in sc.reflection)
    return Debrief(
        scenario=sc.id,
        title=flat(sc.title.get(lang)),
        lang=lang,
        framework=fw.id,
        framework_name=fw.name.get(lang),
        ended=conv.ended,
        ending=reached,
        ending_title=flat(ending.title.get(lang)) if ending else None,
        outcome=ending.outcome if ending else None,
        ending_debrief=ending.debrief.get(lang).strip() if ending else None,
        turns=conv.turns,
        choices=tuple(conv.choices_made),
        decisive=decisive_moment(conv, ex.graph if ex is not None else None),
        dimensions=dims,
        total=whole,
        strongest=strongest,
        weakest=weakest,
        counterpart=sc.speaker_name(sc.counterpart, lang),
        trust_start=history[0].trust_before if history else conv.trust,
        trust_trajectory=tuple(s.trust_after for s in history),
        trust_final=conv.trust,
        trust_level=conv.trust_level,
        trust_level_name=sc.level_label(conv.trust_level, lang),
        swings=tuple(_swings(conv, ex)),
        rung_start=sc.hierarchy_start,
        rung_final=conv.rung,
        rung_path=tuple(rung_path),
        road_not_taken=tuple(roads),
        model_play=model_play,
        endings_not_reached=tuple(titles),
        objectives=tuple(flat(x.get(lang)) for x in sc.objectives),
        reflection=reflection,
        rung_names={r: sc.rung_label(r, lang) for r in sc.ladder},
        defensible=tuple(defensible),
    )
