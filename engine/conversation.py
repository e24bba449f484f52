"""One play of a scenario: all mutable state lives here; the Scenario never changes.

Like Ink's StoryState beside its Story: a Conversation can be snapshotted as a small
JSON document (scenario id, content hash, choices) and restored exactly by replay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine import rules
from engine.errors import PlayError, SaveError
from engine.events import (
    BlockedMove,
    Ended,
    Entered,
    Event,
    FlagSet,
    LevelChanged,
    RungChanged,
    Stalled,
    Step,
    TrustChanged,
)
from engine.machines import LadderMachine, TrustMachine
from engine.model import Choice, Ending, FlagValue, Node, Scenario
from engine.order import presented
from engine.rules import MAX_AUTOMATIC_STEPS

SAVE_VERSION = 1
__all__ = [
    "MAX_AUTOMATIC_STEPS",
    "SAVE_VERSION",
    "Conversation",
    "Listener",
    "StartPoint",
    "Step",
]

Listener = Callable[[Event], None]


@dataclass(frozen=True)
class StartPoint:
    """Where a play begins when it does not begin at the start (`parley play --from`): a
    node and, for authors testing it, the trust, rung and flags to be there with. Anything
    left out is as at the start of a play."""

    node: str
    trust: int | None = None
    rung: str | None = None
    flags: Mapping[str, FlagValue] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "trust": self.trust,
            "rung": self.rung,
            "flags": dict(self.flags),
        }

    def check(self, scenario: Scenario) -> None:
        """PlayError for a node, rung or trust the scenario cannot have."""
        if self.node not in scenario.nodes:
            raise PlayError(
                f"there is no node '{self.node}' in '{scenario.id}'",
                hint="node ids: " + ", ".join(list(scenario.nodes)[:12]),
            )
        if self.rung is not None and self.rung not in scenario.ladder:
            raise PlayError(
                f"'{self.rung}' is not a rung of the ladder",
                hint="rungs: " + ", ".join(scenario.ladder),
            )
        if self.trust is not None and not rules.TRUST_MIN <= self.trust <= rules.TRUST_MAX:
            raise PlayError(f"trust must be {rules.TRUST_MIN}..{rules.TRUST_MAX}, not {self.trust}")


class Conversation:
    """A play in progress. Conditions read it through the Facts attributes below."""

    def __init__(
        self,
        scenario: Scenario,
        lang: str | None = None,
        listener: Listener | None = None,
        start: StartPoint | None = None,
        seed: int | None = None,
    ) -> None:
        self.scenario = scenario
        self.lang = lang if lang in scenario.languages else scenario.language
        self.listener = listener
        # the order options are shown in (engine.order): None keeps file order
        self.seed = seed
        if start is not None:
            start.check(scenario)
        self.start_point = start
        self._begin()

    def _begin(self) -> None:
        """A fresh play: every fact and record at its start, then the start node entered."""
        scenario = self.scenario
        at = self.start_point
        # Facts read by conditions
        self.trust: int = (
            at.trust if at is not None and at.trust is not None else scenario.trust_start
        )
        self.turns: int = 0
        self.flags: dict[str, FlagValue] = dict(at.flags) if at is not None else {}
        self.visited: set[str] = set()
        self.chosen: set[str] = set()
        # history
        self.path: list[str] = []
        self.choices_made: list[str] = []
        self.history: list[Step] = []
        self.opening: list[Event] = []  # events before the first answer
        self.blocked: list[BlockedMove] = []
        self.scores: dict[str, int] = dict.fromkeys(scenario.framework.keys, 0)
        first_rung = at.rung if at is not None and at.rung else scenario.hierarchy_start
        self.rung_path: list[str] = [first_rung]
        self.stalled = False
        self._sink: list[Event] = self.opening
        self._step: Step | None = None
        self._trust_machine = TrustMachine(scenario, self.trust, self._on_level)
        self._ladder = LadderMachine(scenario, self, self._on_rung, initial=first_rung)
        self._node: Node = scenario.nodes[scenario.start]
        entered: list[Node] = []
        if at is None:
            self._arrived(rules.start(scenario, self, entered), entered)
        else:
            self._arrived(rules.enter(scenario, at.node, self, entered), entered)

    # ------------------------------------------------------------------ facts
    @property
    def level_index(self) -> int:
        return self._trust_machine.index

    @property
    def rung_index(self) -> int:
        return self._ladder.index

    @property
    def trust_level(self) -> str:
        """The name of the trust level the counterpart is at."""
        return self._trust_machine.state

    @property
    def rung(self) -> str:
        """The player's rung on the hierarchy ladder."""
        return self._ladder.state

    hierarchy = rung

    # ------------------------------------------------------------------ state
    @property
    def node(self) -> Node:
        return self._node

    @property
    def ended(self) -> bool:
        return self._node.ending is not None

    @property
    def ending(self) -> Ending | None:
        return self._node.ending

    @property
    def outcome(self) -> str | None:
        return self._node.ending.outcome if self._node.ending else None

    def offered(self) -> list[Choice]:
        """The choices the player may make now ([] when ended or stalled)."""
        return rules.offered(self._node, self)

    def presented(self) -> list[Choice]:
        """The offered choices in the order shown to the player (keys 1-9 follow it):
        shuffled by the play's `seed`, file order without one (engine.order)."""
        return presented(self._node, self.offered(), self.seed)

    def find_offered(self, ref: str) -> Choice:
        """The offered choice named by its id or by '<node>.<n>'; PlayError otherwise."""
        return self._find(ref, self.offered())

    def _find(self, ref: str, offered: list[Choice]) -> Choice:
        for c in offered:
            if c.id == ref or f"{c.node_id}.{c.index}" == ref:
                return c
        if self.ended:
            raise PlayError(f"the conversation has ended at '{self._node.id}'; no more choices")
        ids = ", ".join(c.id for c in offered) or "none"
        raise PlayError(
            f"choice '{ref}' is not offered at node '{self._node.id}' (offered: {ids})",
            hint="use a choice id or <node>.<n>; `parley play FILE --json` lists `offered`",
        )

    # ------------------------------------------------------------------ moves
    def choose(self, ref: str) -> Step:
        """Answer with an offered choice (id or '<node>.<n>'). Returns what it caused."""
        offered = self.offered()
        choice = self._find(ref, offered)
        node = self._node
        step = Step(
            turn=self.turns + 1,
            node=node.id,
            choice=choice.id,
            trust_before=self.trust,
            level_before=self.trust_level,
            rung_before=self.hierarchy,
            offered=tuple(c.id for c in presented(node, offered, self.seed)),
        )
        self._sink = step.events
        self._step = step
        entered: list[Node] = []
        status = rules.answer(self.scenario, node, choice, self, entered)
        step.scores = dict(choice.scores)
        step.entered = [n.id for n in entered]
        self._arrived(status, entered)
        step.trust_after = self.trust
        step.level_after = self.trust_level
        step.rung_after = self.hierarchy
        self.history.append(step)
        return step

    def undo(self, steps: int = 1) -> None:
        """Take back the last `steps` answers (replays the rest from the start, quietly)."""
        if steps < 0:
            raise PlayError("undo needs a positive number of steps")
        keep = self.choices_made[: max(0, len(self.choices_made) - steps)]
        listener, self.listener = self.listener, None
        try:
            self._begin()
            for ref in keep:
                self.choose(ref)
        finally:
            self.listener = listener

    def rewind_to(self, turn: int) -> None:
        """Go back to just before answer number `turn` (1-based)."""
        self.undo(len(self.choices_made) - max(0, turn - 1))

    # ------------------------------------------------------------------ save
    def snapshot(self) -> dict[str, Any]:
        """A JSON-able save: enough to restore this play exactly."""
        return {
            "parley_save": SAVE_VERSION,
            "scenario": self.scenario.id,
            "hash": self.scenario.content_hash,
            "lang": self.lang,
            "seed": self.seed,
            "choices": list(self.choices_made),
            **({"from": self.start_point.as_dict()} if self.start_point else {}),
        }

    @classmethod
    def replay(
        cls,
        scenario: Scenario,
        choices: Iterable[str],
        lang: str | None = None,
        listener: Listener | None = None,
        start: StartPoint | None = None,
        seed: int | None = None,
    ) -> Conversation:
        conv = cls(scenario, lang=lang, listener=listener, start=start, seed=seed)
        for ref in choices:
            conv.choose(ref)
        return conv

    @classmethod
    def restore(
        cls, scenario: Scenario, snapshot: Any, listener: Listener | None = None
    ) -> Conversation:
        """Rebuild a play from snapshot(); replays by id when the scenario has changed."""
        if not isinstance(snapshot, dict) or "parley_save" not in snapshot:
            raise SaveError("this is not a Parley save (it may be corrupt)")
        if snapshot.get("parley_save") != SAVE_VERSION:
            raise SaveError(
                f"save version {snapshot.get('parley_save')!r} is not supported "
                f"(this Parley writes version {SAVE_VERSION})",
                hint="start a fresh play",
            )
        choices = snapshot.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise SaveError("the save's list of choices is damaged", hint="start a fresh play")
        if snapshot.get("scenario") != scenario.id:
            raise SaveError(
                f"the save is for scenario '{snapshot.get('scenario')}', not '{scenario.id}'"
            )
        lang = snapshot.get("lang")
        start = _start_point(snapshot.get("from"))
        seed = snapshot.get("seed")  # absent in saves from before shuffling: file order
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise SaveError("the save's option order (seed) is damaged", hint="start a fresh play")
        try:
            conv = cls(
                scenario,
                lang=lang if isinstance(lang, str) else None,
                listener=listener,
                start=start,
                seed=seed,
            )
        except PlayError as exc:
            raise SaveError(f"the save starts where this scenario cannot: {exc.message}") from None
        changed = snapshot.get("hash") != scenario.content_hash
        for turn, ref in enumerate(choices, start=1):
            try:
                conv.choose(ref)
            except PlayError:
                what = "no longer exists" if ref not in scenario.choices else "is not offered"
                why = "the scenario has changed since the save: " if changed else ""
                raise SaveError(
                    f"{why}choice '{ref}' (turn {turn}) {what} at node '{conv.node.id}'",
                    hint="start a fresh play",
                ) from None
        return conv

    # ------------------------------------------------------------------ internals
    def _emit(self, event: Event) -> None:
        self._sink.append(event)
        if self.listener is not None:
            self.listener(event)

    def _on_level(self, before: str, after: str) -> None:
        self._emit(LevelChanged(before, after))

    def _on_rung(self, before: str, after: str) -> None:
        self.rung_path.append(after)
        self._emit(RungChanged(before, after))

    # ------------------------------------------------------------------ the kernel's driver
    # engine.rules decides what happens and in what order; these record it as a play
    # (events, history) and move the transitions machines.
    def set_trust(self, value: int) -> None:
        before = self.trust
        self.trust = value
        self._emit(TrustChanged(before, value))
        self._trust_machine.settle(value)

    def climb(self, target: int) -> bool:
        return self._ladder.climb(target)

    def rung_blocked(self, target: int, node: Node, choice: Choice | None) -> None:
        dest = self.scenario.ladder[target]
        cond = self.scenario.requires[dest]
        move = BlockedMove(
            node.id, None if choice is None else choice.id, self.hierarchy, dest, cond.source
        )
        self.blocked.append(move)
        if self._step is not None:
            self._step.blocked.append(move)
        self._emit(move)

    def set_flag(self, name: str, value: FlagValue) -> None:
        self.flags[name] = value
        self._emit(FlagSet(name, value))

    def visit(self, node: Node) -> None:
        self._node = node
        self.visited.add(node.id)
        self.path.append(node.id)
        self._emit(Entered(node.id))

    def answered(self, choice: Choice) -> None:
        self.turns += 1
        self.chosen.add(choice.id)
        self.choices_made.append(choice.id)
        for key, value in choice.scores.items():
            self.scores[key] = self.scores.get(key, 0) + value

    def _arrived(self, status: int, entered: list[Node]) -> None:
        """How things stand after entering: ended, stalled, or a loop of `next` links."""
        node = self._node
        if status == rules.ENDING and node.ending is not None:
            self._emit(Ended(node.id, node.ending.outcome))
        elif status == rules.STALL:
            self.stalled = True
            self._emit(Stalled(node.id))
        elif status == rules.LOOP:
            at = rules.next_target(node, self) or node.id
            raise PlayError(
                f"the conversation went round automatic `next` links {MAX_AUTOMATIC_STEPS} "
                f"times without a choice (a loop at '{at}')",
                self.scenario.nodes[at].loc,
                "give the loop a choice or a branch that leaves it",
            )


def _start_point(raw: Any) -> StartPoint | None:
    """A save's `from` (a play begun at a node), checked field by field."""
    if raw is None:
        return None
    damaged = SaveError("the save's starting point is damaged", hint="start a fresh play")
    if not isinstance(raw, dict) or not isinstance(raw.get("node"), str):
        raise damaged
    trust, rung, flags = raw.get("trust"), raw.get("rung"), raw.get("flags") or {}
    if trust is not None and (not isinstance(trust, int) or isinstance(trust, bool)):
        raise damaged
    if rung is not None and not isinstance(rung, str):
        raise damaged
    if not isinstance(flags, dict) or not all(
        isinstance(k, str) and isinstance(v, bool | int | float | str) for k, v in flags.items()
    ):
        raise damaged
    return StartPoint(raw["node"], trust, rung, flags)
