"""One play of a scenario: all mutable state lives here; the Scenario never changes.

Like Ink's StoryState beside its Story: a Conversation can be snapshotted as a small
JSON document (scenario id, content hash, choices) and restored exactly by replay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

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
from engine.model import Choice, Effects, Ending, FlagValue, Node, Scenario
from engine.order import presented
from engine.rules import clamp_trust

SAVE_VERSION = 1
MAX_AUTOMATIC_STEPS = 10_000

Listener = Callable[[Event], None]


class Conversation:
    """A play in progress. Conditions read it through the Facts attributes below."""

    def __init__(
        self,
        scenario: Scenario,
        lang: str | None = None,
        listener: Listener | None = None,
        seed: int | None = None,
    ) -> None:
        self.scenario = scenario
        self.lang = lang if lang in scenario.languages else scenario.language
        self.listener = listener
        # the order options are shown in (engine.order): None keeps file order
        self.seed = seed
        # Facts read by conditions
        self.trust: int = scenario.trust_start
        self.turns: int = 0
        self.flags: dict[str, FlagValue] = {}
        self.visited: set[str] = set()
        self.chosen: set[str] = set()
        # history
        self.path: list[str] = []
        self.choices_made: list[str] = []
        self.history: list[Step] = []
        self.opening: list[Event] = []  # events before the first answer
        self.blocked: list[BlockedMove] = []
        self.scores: dict[str, int] = dict.fromkeys(scenario.framework.keys, 0)
        self.rung_path: list[str] = [scenario.hierarchy_start]
        self.stalled = False
        self._sink: list[Event] = self.opening
        self._trust_machine = TrustMachine(scenario, self.trust, self._on_level)
        self._ladder = LadderMachine(scenario, self, self._on_rung)
        self._node: Node = scenario.nodes[scenario.start]
        self._enter(scenario.start, None)

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
        node = self._node
        if not node.choices:
            return []
        return [c for c in node.choices if c.when is None or c.when.holds(self)]

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
        self.turns += 1
        self.chosen.add(choice.id)
        self.choices_made.append(choice.id)
        self._apply(choice.effects, node.id, choice.id, step)
        step.scores = dict(choice.scores)
        for key, value in choice.scores.items():
            self.scores[key] = self.scores.get(key, 0) + value
        step.entered = self._enter(choice.to, step)
        step.trust_after = self.trust
        step.level_after = self.trust_level
        step.rung_after = self.hierarchy
        self.history.append(step)
        return step

    def undo(self, steps: int = 1) -> None:
        """Take back the last `steps` answers (replays the rest from the start)."""
        if steps < 0:
            raise PlayError("undo needs a positive number of steps")
        keep = self.choices_made[: max(0, len(self.choices_made) - steps)]
        fresh = Conversation.replay(self.scenario, keep, lang=self.lang, seed=self.seed)
        listener = self.listener
        self.__dict__.update(fresh.__dict__)
        self.listener = listener
        self._trust_machine._on_change = self._on_level
        self._ladder._on_change = self._on_rung
        self._ladder._facts = self

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
        }

    @classmethod
    def replay(
        cls,
        scenario: Scenario,
        choices: Iterable[str],
        lang: str | None = None,
        listener: Listener | None = None,
        seed: int | None = None,
    ) -> Conversation:
        conv = cls(scenario, lang=lang, listener=listener, seed=seed)
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
        seed = snapshot.get("seed")  # absent in saves from before shuffling: file order
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise SaveError("the save's option order (seed) is damaged", hint="start a fresh play")
        conv = cls(
            scenario,
            lang=lang if isinstance(lang, str) else None,
            listener=listener,
            seed=seed,
        )
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

    def _apply(
        self, effects: Effects, node_id: str, choice_id: str | None, step: Step | None
    ) -> None:
        if effects.trust:
            before = self.trust
            self.trust = clamp_trust(self.trust + effects.trust)
            if self.trust != before:
                self._emit(TrustChanged(before, self.trust))
                self._trust_machine.settle(self.trust)
        if effects.hierarchy is not None:
            dest = self._ladder.target(effects.hierarchy)
            if dest is not None:
                source = self.hierarchy
                if not self._ladder.move(effects.hierarchy):
                    cond = self.scenario.requires[dest]
                    move = BlockedMove(node_id, choice_id, source, dest, cond.source)
                    self.blocked.append(move)
                    if step is not None:
                        step.blocked.append(move)
                    self._emit(move)
        for name, value in effects.set:
            self.flags[name] = value
            self._emit(FlagSet(name, value))

    def _enter(self, node_id: str, step: Step | None) -> list[str]:
        entered: list[str] = []
        for _ in range(MAX_AUTOMATIC_STEPS):
            node = self.scenario.nodes[node_id]
            self._node = node
            self.visited.add(node_id)
            self.path.append(node_id)
            entered.append(node_id)
            self._emit(Entered(node_id))
            if not node.effects.empty:
                self._apply(node.effects, node_id, None, step)
            if node.ending is not None:
                self._emit(Ended(node_id, node.ending.outcome))
                return entered
            if not node.next:
                return entered
            for branch in node.next:
                if branch.when is None or branch.when.holds(self):
                    node_id = branch.to
                    break
            else:
                self.stalled = True
                self._emit(Stalled(node.id))
                return entered
        raise PlayError(
            f"the conversation went round automatic `next` links {MAX_AUTOMATIC_STEPS} times "
            f"without a choice (a loop at '{node_id}')",
            self.scenario.nodes[node_id].loc,
            "give the loop a choice or a branch that leaves it",
        )
